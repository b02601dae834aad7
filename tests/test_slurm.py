"""The test config through Snakemake's SLURM executor on a real one-node cluster."""

import subprocess
import sys
from pathlib import Path

import pytest

from .slurm_cluster import OneNodeCluster
from .test_workflow import TEST_CONFIG, copy_workflow

# Without slurmdbd, sacct has no records: the executor must poll squeue (finished jobs
# stay visible for MinJobAge). The account flag skips the plugin's guess via sacct.
SLURM_FLAGS = [
    "--workflow-profile",
    "profiles/slurm",
    "--cores",
    "2",
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "2",
    "--slurm-no-account",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = OneNodeCluster(tmp_path_factory.mktemp("slurm")).start()
    yield running
    running.stop()


def run_snakemake(workdir, *args):
    """Snakemake under a hard timeout: a hung executor fails the test, not CI."""
    command = [sys.executable, "-m", "snakemake", "--configfile", TEST_CONFIG, *args]
    return subprocess.run(
        ["timeout", "-k", "10", "600", *command],
        cwd=workdir,
        capture_output=True,
        text=True,
    )


def test_slurm_run_matches_a_local_run(cluster, tmp_path):
    on_slurm = copy_workflow(tmp_path / "slurm")
    result = run_snakemake(on_slurm, *SLURM_FLAGS)
    assert result.returncode == 0, result.stderr[-3000:]

    jobs = cluster.jobs(on_slurm)
    assert {state for _, state in jobs} == {"COMPLETED"}
    # One submission per group: the test config's 4 datasets in one; the tables, the
    # seven analysis rules and the findings in one (named after their first five).
    assert sorted(comment for comment, _ in jobs) == [
        "rule_analyses_aggregate_cost_threshold_curves_decision_guide_ensembles_...",
        "rule_cells_cross_validate",
    ]

    local = copy_workflow(tmp_path / "local")
    assert run_snakemake(local, "--cores", "2").returncode == 0
    tables = sorted((local / "results" / "tables").iterdir())
    assert tables
    for table in tables:
        on_cluster = on_slurm / "results" / "tables" / table.name
        assert on_cluster.read_bytes() == table.read_bytes(), table.name
    findings = Path("results", "findings.md")
    assert (on_slurm / findings).read_bytes() == (local / findings).read_bytes()
