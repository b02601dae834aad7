"""End to end: the test config through Snakemake, in a scratch copy of the workflow."""

import shutil
import subprocess
import sys

import numpy as np
import pytest
import yaml

from .conftest import REPO

TEST_CONFIG = "config/test.yaml"


def copy_workflow(destination):
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "config", "tests/data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy(source, destination / name)
    return destination


def snakemake(workdir, *args, configfile=TEST_CONFIG):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", configfile, *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
    )


def job_counts(output):
    """Rule -> number of jobs, from the 'Job stats' table of a dry run."""
    lines = output.split("Job stats:")[1].splitlines()[3:]
    counts = {}
    for line in lines:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        counts[parts[0]] = int(parts[1])
    return counts


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The test config run with --cores 2 and with --cores 1, each from scratch."""
    workdirs = {}
    for cores in (2, 1):
        workdir = copy_workflow(tmp_path_factory.mktemp(f"cores{cores}"))
        result = snakemake(workdir, "--cores", str(cores))
        assert result.returncode == 0, result.stderr[-3000:]
        workdirs[cores] = workdir
    return workdirs


def test_tables_are_byte_identical_across_core_counts(runs):
    tables = sorted(p.name for p in (runs[2] / "results" / "tables").iterdir())
    assert {"metrics_long.csv", "summary.csv", "summary.md", "cells.csv"} <= set(tables)
    for name in tables:
        first = (runs[2] / "results" / "tables" / name).read_bytes()
        assert first == (runs[1] / "results" / "tables" / name).read_bytes(), name


def test_every_cell_is_in_the_tables(runs):
    import pandas as pd

    from imbench.config import build_plan, load_yaml

    plan = build_plan(
        load_yaml(REPO / TEST_CONFIG),
        REPO / "workflow" / "schemas" / "config.schema.yaml",
    )
    tables = runs[2] / "results" / "tables"
    cells = pd.read_csv(tables / "cells.csv")
    expected = len(plan.cells) + len(plan.not_applicable) * len(plan.datasets)
    assert len(cells) == expected
    assert set(cells["status"]) == {"ok", "not_applicable"}
    long = pd.read_csv(tables / "metrics_long.csv")
    ok = cells[cells["status"] == "ok"]
    assert len(long.groupby(["dataset", "classifier", "method"])) == len(ok)
    folds = plan.config["cv"]["folds"] * plan.config["cv"]["repeats"]
    per_cell = long[long["metric"] == "roc_auc"].groupby(["dataset", "method"]).size()
    assert (per_cell % folds == 0).all()
    assert "## Cells without results" in (tables / "summary.md").read_text()


def test_a_second_run_does_nothing(runs):
    result = snakemake(runs[2], "--cores", "2", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Nothing to be done" in result.stdout + result.stderr


ANALYSIS_JOBS = {
    "aggregate": 1,
    "ratio_sweep": 1,
    "cost_threshold": 1,
    "ensembles": 1,
    "f1_averages": 1,
    "curves": 1,
    "ranking": 1,
    "decision_guide": 1,
    "all": 1,
}


def dry_run_counts(workdir, change):
    """Jobs a dry run plans after ``change(config)`` edits the test config."""
    config = yaml.safe_load((REPO / TEST_CONFIG).read_text())
    change(config)
    (workdir / "config" / "changed.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--dry-run", configfile="config/changed.yaml")
    assert result.returncode == 0, result.stderr
    return job_counts(result.stdout)


def test_changing_one_method_reruns_only_its_jobs(runs):
    counts = dry_run_counts(
        runs[2], lambda config: config["methods"].update(smote={"k_neighbors": 3})
    )
    n_datasets = 4
    smote_cells = n_datasets  # smote runs on logistic regression only
    assert counts == {"fit": smote_cells, "evaluate": n_datasets, **ANALYSIS_JOBS}


def test_a_new_cost_ratio_refits_nothing(runs):
    counts = dry_run_counts(
        runs[2], lambda config: config["thresholds"].update(cost_ratios=[1, 10, 20])
    )
    assert counts == {"evaluate": 4, **ANALYSIS_JOBS}


def test_a_bad_config_stops_before_any_job_with_one_line(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config["methods"]["smoat"] = {}
    (workdir / "config" / "bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "1", configfile="config/bad.yaml")
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert lines == [
        "imbench: config error: methods: Additional properties are not allowed "
        "('smoat' was unexpected)"
    ]
    assert not (workdir / "results").exists()


def test_a_bad_user_file_stops_its_dataset_job_with_one_line(tmp_path):
    workdir = copy_workflow(tmp_path)
    data = workdir / "tests" / "data" / "customers.csv"
    data.write_text(data.read_text().replace("0.", "x.", 1))  # first value of row 1
    result = snakemake(workdir, "--cores", "1")
    assert result.returncode == 1
    message = (
        "imbench: dataset error: tests/data/customers.csv: feature column 'feature_0' "
        "is not numeric"
    )
    assert message in result.stderr.splitlines()
    assert not (workdir / "results" / "predictions").exists()


def test_the_four_questions_are_answered(runs):
    import pandas as pd

    results = runs[2] / "results"
    for name in (
        "ratio_sweep",
        "cost_threshold",
        "ensembles",
        "f1_averages",
        "pr_curves",
        "roc_curves",
        "reliability",
        "critical_difference",
    ):
        for suffix in (".pdf", ".png"):
            assert (results / "figures" / f"{name}{suffix}").stat().st_size > 10_000
    for name in (
        "ratio_sweep",
        "ratio_sweep_answer",
        "cost_threshold",
        "ensembles",
        "f1_averages",
        "calibration",
        "ranking",
        "decision_guide",
    ):
        for suffix in (".csv", ".md", ".tex"):
            assert (results / "tables" / f"{name}{suffix}").stat().st_size > 0
    costs = pd.read_csv(results / "tables" / "cost_threshold.csv")
    oracle = costs["oracle (test-fold bound)"]
    for column in ("at_0.5", "at_bayes", "at_bayes_prior_corrected", "at_tuned"):
        assert (oracle <= costs[column].fillna(np.inf) + 1e-12).all(), column
    answers = pd.read_csv(results / "tables" / "ratio_sweep_answer.csv")
    assert set(answers["classifier"]) == {
        "logistic_regression",
        "hist_gradient_boosting",
    }
    assert "\\toprule" in (results / "tables" / "ratio_sweep.tex").read_text()


def test_the_report_holds_every_figure_and_table_with_its_caption(runs):
    result = snakemake(runs[2], "--report", "results/report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    report = (runs[2] / "results" / "report.html").read_text()
    results = runs[2] / "results"
    shown = [
        *(results / "figures").glob("*.png"),
        *(path for path in (results / "tables").glob("*.csv")),
    ]
    left_out = {"metrics_long.csv"}  # tens of MB; summary.csv summarises it
    for path in shown:
        if path.name in left_out:
            continue
        assert path.name in report, path.name
        caption = REPO / "workflow" / "report" / (path.name.replace(".", "_") + ".rst")
        first_words = " ".join(caption.read_text().split()[:4]).replace("*", "")
        assert first_words in report, path.name
