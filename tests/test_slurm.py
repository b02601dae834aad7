"""The test config through Snakemake's SLURM executor on a real one-node cluster."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import TEST_CONFIG, copy_workflow
from .slurm_cluster import OneNodeCluster

# The README's command as written, with the account, the partition and (without
# slurmdbd, sacct has no records) the status command filled in; no --cores, on a node
# with fewer CPUs than the profile's group jobs ask for at most.
README_COMMAND = [
    "--workflow-profile",
    "profiles/slurm",
    "--default-resources",
    "slurm_account=root",
    "slurm_partition=test",
    "--slurm-status-command",
    "squeue",
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


def test_slurm_run_matches_a_local_run(cluster, test_config_run, tmp_path):
    on_slurm = copy_workflow(tmp_path / "slurm")
    result = run_snakemake(on_slurm, *README_COMMAND)
    assert result.returncode == 0, result.stderr[-3000:]

    jobs = cluster.jobs(on_slurm)
    assert {state for _, state, _, _ in jobs} == {"COMPLETED"}
    # One submission per group: the test config's 4 datasets in one; the tables, the
    # seven analysis rules and the findings in one (named after their first five).
    assert sorted(comment for comment, *_ in jobs) == [
        "rule_analyses_aggregate_cost_threshold_curves_decision_guide_ensembles_...",
        "rule_cells_cross_validate",
    ]
    # sized to the node, and every rule's runtime reached SLURM despite the
    # command line's --default-resources replacing the profile's
    assert all(cpus <= os.cpu_count() for _, _, cpus, _ in jobs)
    assert all(limit not in ("UNLIMITED", "INVALID") for *_, limit in jobs)
    kept = list((on_slurm / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert len(kept) == len(jobs)  # SLURM's logs of successful jobs are kept

    local = test_config_run
    tables = sorted((local / "results" / "tables").iterdir())
    assert tables
    for table in tables:
        on_cluster = on_slurm / "results" / "tables" / table.name
        assert on_cluster.read_bytes() == table.read_bytes(), table.name
    findings = Path("results", "findings.md")
    assert (on_slurm / findings).read_bytes() == (local / findings).read_bytes()
