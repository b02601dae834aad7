"""End to end: the test config through Snakemake, in a scratch copy of the workflow."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from imbench.steps import publish

from .conftest import REPO, TEST_CONFIG, copy_workflow, snakemake

SWEEP_PANELS = (  # the test config's: F1 at tuned thresholds
    "f1_at_tuned_f1",
    "balanced_accuracy_at_default",
    "recall_at_default",
    "average_precision",
    "roc_auc",
    "brier",
)


def same_tables(first, second):
    """Names of the tables (and findings) that differ between two workdirs'
    results."""
    names = sorted(p.name for p in (first / "results" / "tables").iterdir())
    assert names == sorted(p.name for p in (second / "results" / "tables").iterdir())
    paths = [Path("tables", name) for name in names] + [Path("findings.md")]
    return [
        str(path)
        for path in paths
        if (first / "results" / path).read_bytes()
        != (second / "results" / path).read_bytes()
    ]


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
def runs(test_config_run, tmp_path_factory):
    """The test config run with --cores 2 and with --cores 1, each from scratch."""
    workdir = copy_workflow(tmp_path_factory.mktemp("cores1"))
    result = snakemake(workdir, "--cores", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    return {2: test_config_run, 1: workdir}


def test_tables_are_byte_identical_across_core_counts(runs):
    tables = {p.name for p in (runs[2] / "results" / "tables").iterdir()}
    assert {"metrics_long.csv", "summary.csv", "summary.md", "cells.csv"} <= tables
    assert same_tables(runs[2], runs[1]) == []


def test_tables_do_not_depend_on_the_order_jobs_ran_in(runs, tmp_path):
    """Datasets evaluated one at a time in reverse order, then the rest."""
    workdir = copy_workflow(tmp_path)
    for metrics in sorted((runs[2] / "results" / "metrics").iterdir(), reverse=True):
        target = f"results/metrics/{metrics.name}"
        assert snakemake(workdir, "--cores", "1", target).returncode == 0
    assert snakemake(workdir, "--cores", "2").returncode == 0
    assert same_tables(runs[2], workdir) == []


def test_dataset_jobs_run_users_files_first_then_the_largest(runs):
    """At one core the jobs run one by one, in priority order (breast_cancer has 510
    rows, each synthetic dataset 300)."""
    logs = (runs[1] / "results" / "logs" / "cross_validate").glob("*.log")
    started = {log.stem: log.read_text().split(" INFO ")[0] for log in logs}
    assert sorted(started, key=started.get) == [
        "file-customers",
        "breast_cancer-p0-r0.3-s0",
        "synthetic-r0.3-s0",
        "synthetic-r0.1-s0",
    ]


def half_done_dataset(workdir):
    """Whether a dataset job is mid-way: some of its 8 cells done, at least 4 to go."""
    return any(
        1 <= len(list(directory.glob("*/*.parquet"))) <= 4
        for directory in (workdir / "results" / "predictions").glob("*")
    )


def cross_validate_logs(workdir):
    return [
        log.read_text()
        for log in sorted((workdir / "results" / "logs" / "cross_validate").glob("*"))
    ]


def test_a_run_killed_mid_fit_resumes_to_identical_tables(runs, tmp_path):
    workdir = copy_workflow(tmp_path)
    command = [sys.executable, "-m", "snakemake", "--configfile", TEST_CONFIG]
    with open(tmp_path / "killed.log", "w") as log:
        process = subprocess.Popen(
            [*command, "--cores", "2"],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, jobs included
        )
        deadline = time.monotonic() + 300
        while not half_done_dataset(workdir):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert not (workdir / "results" / "tables" / "summary.csv").exists()
    # the resume command the README documents
    assert snakemake(workdir, "--unlock").returncode == 0
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list((workdir / "results").rglob("*.partial"))
    assert same_tables(runs[2], workdir) == []
    # the killed job's finished cells came from the cache, not refitted
    assert "(from the cache)" in "".join(cross_validate_logs(workdir))


def test_a_failing_method_is_isolated_shown_and_fails_the_run(runs, tmp_path):
    workdir = copy_workflow(tmp_path)
    # the registry is the schema: the injected method is a valid config entry
    config = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config["methods"]["always_fails"] = {}
    (workdir / "config" / "faulty.yaml").write_text(yaml.safe_dump(config))
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests" / "faults")}
    result = snakemake(
        workdir, "--cores", "2", configfile="config/faulty.yaml", env=env
    )
    assert result.returncode == 1
    assert "imbench: 4 of " in result.stderr and "cells failed" in result.stderr
    assert "injected fault: always_fails raises while fitting" in result.stderr
    import pandas as pd

    tables = workdir / "results" / "tables"
    cells = pd.read_csv(tables / "cells.csv")
    failed = cells[cells["status"] == "failed"]
    assert set(failed["method"]) == {"always_fails"} and len(failed) == 4
    assert failed["reason"].str.contains("injected fault").all()
    assert (cells.loc[cells["method"] != "always_fails", "status"] != "failed").all()
    assert "always_fails" in (tables / "summary.md").read_text()
    for name in (
        "ratio_sweep/average_precision.pdf",
        "mean_ranks.png",
        "pr_curves/synthetic.pdf",
    ):
        assert (workdir / "results" / "figures" / name).exists()
    # every other cell's metrics are those of the run without the fault
    keys = ["dataset", "classifier", "method", "repeat", "fold", "threshold_rule"]
    clean = pd.read_csv(runs[2] / "results" / "tables" / "metrics_long.csv")
    faulty = pd.read_csv(tables / "metrics_long.csv")
    pd.testing.assert_frame_equal(
        clean.sort_values([*keys, "metric"], ignore_index=True),
        faulty.sort_values([*keys, "metric"], ignore_index=True),
    )


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
    for log in cross_validate_logs(runs[2]):  # where a job is, for tail -f
        assert re.search(r"progress: (\d+) of \1 cells done after [\d.]+ min", log)


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
    "recalibration": 1,
    "ranking": 1,
    "decision_guide": 1,
    "findings": 1,
    "all": 1,
}


def rerun_after(runs, tmp_path, change, files=None):
    """Jobs a run plans, and cells it refits, after ``change(config)`` edits the test
    config of a finished run (copied, with its timestamps and records) and ``files``
    (text by path) are written into its working directory."""
    workdir = tmp_path / "workdir"
    if not workdir.exists():
        shutil.copytree(runs[2], workdir, symlinks=True)
    for path, text in (files or {}).items():
        (workdir / path).write_text(text)
    config = yaml.safe_load((REPO / TEST_CONFIG).read_text())
    change(config)
    (workdir / "config" / "changed.yaml").write_text(yaml.safe_dump(config))
    planned = snakemake(workdir, "--dry-run", configfile="config/changed.yaml")
    assert planned.returncode == 0, planned.stderr
    result = snakemake(workdir, "--cores", "2", configfile="config/changed.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    logs = "".join(cross_validate_logs(workdir))
    fitted = re.findall(r"INFO \S+?/(\S+): .*\(fitted in", logs)
    return job_counts(planned.stdout), sorted(fitted)


def test_a_method_edit_refits_only_its_cells_and_a_new_cost_ratio_nothing(
    runs, tmp_path
):
    def change(config):
        config["methods"].update(smote={"k_neighbors": 3})
        config["thresholds"].update(cost_ratios=[1, 10, 20])

    jobs, fitted = rerun_after(runs, tmp_path, change)
    # smote runs on logistic regression only: one cell in each of the 4 datasets
    assert jobs == {"cross_validate": 4, **ANALYSIS_JOBS}
    assert fitted == ["logistic_regression/smote"] * 4


def readme_plugin():
    """The README's own sampler (its code) and the ``methods`` entries naming it."""
    text = (REPO / "README.md").read_text()
    section = text.split("## Methods, classifiers and your own")[1]
    code, entries = re.findall(r"```(?:python|yaml)\n(.*?)```", section, re.S)[:2]
    return code, yaml.safe_load(entries)


def test_a_users_own_sampler_runs_from_config_alone_and_an_edit_refits_its_cells(
    runs, tmp_path
):
    """The README's sampler, in a file beside the config and named there with a
    variant of SMOTE, is cross-validated, compared and drawn like imbench's own
    methods; editing the file refits its cells only."""
    code, entries = readme_plugin()
    assert entries["jitter"]["sampler"] == "config/jitter.py:Jitter"

    def change(config):
        config["methods"].update(entries)

    jobs, fitted = rerun_after(runs, tmp_path, change, {"config/jitter.py": code})
    assert jobs["cross_validate"] == 4 and jobs["ratio_sweep"] == 1
    assert fitted == sorted(
        ["logistic_regression/jitter", "logistic_regression/smote_k3"] * 4
    )
    results = tmp_path / "workdir" / "results"
    sweep = pd.read_csv(results / "tables" / "ratio_sweep.csv")
    for method in entries:
        verdicts = sweep.loc[sweep["method"] == method, "verdict"]
        assert len(verdicts) > 0 and verdicts.notna().all()
    summary = pd.read_csv(results / "tables" / "summary.csv")
    assert set(entries) <= set(summary["method"])
    assert "jitter" in (results / "findings.md").read_text()
    figure = Path("figures", "ratio_sweep", "f1_at_tuned_f1.png")
    assert (results / figure).read_bytes() != (
        runs[2] / "results" / figure
    ).read_bytes()
    edited = code.replace("0.1", "0.2")
    assert edited != code
    jobs, fitted = rerun_after(runs, tmp_path, change, {"config/jitter.py": edited})
    assert jobs["cross_validate"] == 4
    assert fitted == ["logistic_regression/jitter"] * 4


def test_another_configs_results_are_not_replaced_silently(runs):
    same = snakemake(runs[2], "--dry-run")
    assert "warning: results/ holds results of another config" not in same.stderr
    config = yaml.safe_load((REPO / TEST_CONFIG).read_text())
    config["seed"] = "another"
    (runs[2] / "config" / "other.yaml").write_text(yaml.safe_dump(config))
    other = snakemake(runs[2], "--dry-run", configfile="config/other.yaml")
    assert "imbench: warning: results/ holds results of another config" in (
        other.stderr
    )


def test_every_rule_declares_its_runtime_and_memory(tmp_path):
    """``--default-resources`` on the command line (as the README's SLURM command
    gives it) replaces the profile's defaults: every job must still carry both."""
    workdir = copy_workflow(tmp_path)
    result = snakemake(workdir, "--dry-run", "--default-resources", "slurm_partition=p")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = re.findall(
        r"^rule (\w+):.*?\n    resources: ([^\n]*)", result.stdout, re.M | re.S
    )
    assert {rule for rule, _ in jobs} >= {"cross_validate", "aggregate", "findings"}
    for rule, resources in jobs:
        if rule == "all":  # a target only: it runs nothing, so nothing is submitted
            continue
        assert "runtime=" in resources and "mem_mb=" in resources, (rule, resources)


def test_a_bad_config_stops_before_any_job_with_one_line(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config["methods"]["smoat"] = {}
    (workdir / "config" / "bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "1", configfile="config/bad.yaml")
    assert result.returncode == 1
    lines = [
        line
        for line in (result.stdout + result.stderr).strip().splitlines()
        if not line.startswith("Using workflow specific profile")  # Snakemake's note
    ]
    assert lines == [
        "imbench: config error: methods.smoat: not a built-in method (did you mean "
        "smote?); a method of your own names exactly one of like, sampler or "
        "estimator, not none"
    ]
    assert not (workdir / "results").exists()


def test_parameters_refused_only_when_fitting_stop_before_any_job(tmp_path):
    """lbfgs with an l1 penalty passes scikit-learn's parameter checks and fails
    every fit: a trial fit when the workflow starts says so in one line."""
    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config["classifiers"]["logistic_regression"]["params"] = {
        "solver": "lbfgs",
        "penalty": "l1",
    }
    (workdir / "config" / "l1.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "2", configfile="config/l1.yaml")
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("imbench:")]
    assert line == (
        "imbench: config error: classifiers.logistic_regression.params: refused "
        "when fitting (ValueError: Solver lbfgs supports only 'l2' or None "
        "penalties, got l1 penalty.)"
    )
    assert "Traceback" not in result.stderr
    assert not (workdir / "results" / "datasets").exists()


def test_a_bad_user_file_stops_its_dataset_job_with_one_line(tmp_path):
    workdir = copy_workflow(tmp_path)
    data = workdir / "tests" / "data" / "customers.csv"
    data.write_text(data.read_text().replace("0.", "x.", 1))  # first value of row 1
    result = snakemake(workdir, "--cores", "1")
    assert result.returncode == 1
    message = (
        "imbench: dataset error: 'tests/data/customers.csv': feature column "
        "'feature_0' is not numeric"
    )
    assert message in result.stderr.splitlines()
    assert not (workdir / "results" / "predictions").exists()


def test_the_four_questions_are_answered(runs):
    import pandas as pd

    results = runs[2] / "results"
    for name in (
        *(f"ratio_sweep/{panel}" for panel in SWEEP_PANELS),
        "cost_threshold",
        "ensembles",
        "f1_averages",
        *(
            f"{figure}/{source}"
            for figure in ("pr_curves", "roc_curves", "reliability")
            for source in ("breast_cancer-p0", "file-customers", "synthetic")
        ),
        "mean_ranks",
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
        "recalibration",
        "f1_by_rate",
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


DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")
CITED = re.compile(r"`(\w+\.csv)`")
DEFINITIONS = {"0.5"}  # the default threshold and the balanced rate: not results


def findings_numbers(text):
    """(decimal number, cited tables) for every decimal in ``findings.md``: a line's
    own citations, or for a table row those of the "Source:" line above it."""
    cited, pairs = [], []
    for line in text.splitlines():
        own = CITED.findall(line)
        if own and not line.startswith("|"):
            cited = own
        for token in DECIMAL.findall(line):
            pairs.append((token, own or cited))
    return pairs


def table_values(path):
    import pandas as pd

    numbers = pd.read_csv(path).select_dtypes("number").to_numpy().ravel()
    return numbers[~np.isnan(numbers)]


def test_every_number_in_the_findings_is_a_tables(runs, tmp_path):
    """Each decimal in findings.md equals, as printed, a value of a table its line
    cites; and the findings follow the tables: a value changed in a table changes
    the page."""
    import pandas as pd

    from imbench.analyses import ANALYSES
    from imbench.stats import probability_text
    from imbench.steps import findings

    results = runs[2] / "results"
    text = (results / "findings.md").read_text()
    for heading in ("## 1.", "## 2.", "## 3.", "## 4.", "## Published claims"):
        assert heading in text
    assert "Nothing to show" not in text
    pairs = findings_numbers(text)
    assert len(pairs) > 50
    for token, tables in pairs:
        if token in DEFINITIONS:
            continue
        assert tables, f"{token} cites no table"
        decimals = len(token.split(".")[1])
        values = np.concatenate([table_values(results / "tables" / t) for t in tables])
        printed = {f"{value:.{decimals}f}" for value in values}
        printed |= {probability_text(value) for value in values}  # floored
        assert token in printed, (token, tables)
    inputs = {
        name: str(results / "tables" / f"{name}.csv")
        for name in ANALYSES["findings"].reads  # every table findings reads
    }
    costs = pd.read_csv(inputs["cost_threshold"])
    first = costs.index[(costs["method"] == "baseline") & (costs["cost_ratio"] == 10)]
    costs.loc[first[0], "at_tuned"] = 0.123456
    inputs["cost_threshold"] = str(tmp_path / "cost_threshold.csv")
    costs.to_csv(inputs["cost_threshold"], index=False)
    output = {"document_findings": [str(tmp_path / "findings.md")]}
    params = {
        "shown_cost_ratio": 10,
        "f1_rule": "tuned_f1",
        "equivalence": {},
        "config_hash": "x",
        "tiers": [],
    }
    findings.run(inputs, output, params)
    changed = (tmp_path / "findings.md").read_text()
    cell = re.compile(r"\| 0\.123 +\|")
    assert cell.search(changed) and not cell.search(text)


def test_the_report_holds_every_figure_and_table_with_its_caption(runs):
    result = snakemake(runs[2], "--report", "results/report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    report = (runs[2] / "results" / "report.html").read_text()
    results = runs[2] / "results"
    shown = [
        *(results / "figures").glob("**/*.png"),
        *(results / "tables").glob("*.csv"),
        results / "findings.md",
    ]
    left_out = {"metrics_long.csv"}  # tens of MB; summary.csv summarises it
    for path in shown:
        if path.name in left_out:
            continue
        assert path.name in report, path.name
        panel = path.parent.name not in ("figures", "tables", "results")
        name = f"{path.parent.name}.png" if panel else path.name
        caption = REPO / "workflow" / "report" / (name.replace(".", "_") + ".rst")
        first_words = " ".join(caption.read_text().split()[:4]).replace("*", "")
        assert first_words in report, path.name


def test_a_config_with_a_python_tag_runs_no_code(tmp_path):
    workdir = copy_workflow(tmp_path)
    pwned = tmp_path / "pwned"
    text = (workdir / TEST_CONFIG).read_text()
    tagged = f'seed: !!python/object/apply:os.system ["touch {pwned}"]\n' + "\n".join(
        line for line in text.splitlines() if not line.startswith("seed:")
    )
    (workdir / "config" / "tagged.yaml").write_text(tagged)
    result = snakemake(workdir, "--dry-run", configfile="config/tagged.yaml")
    assert result.returncode == 1
    assert "not valid JSON or YAML" in result.stdout + result.stderr
    assert not pwned.exists()


@pytest.mark.parametrize(
    "change,rules,f1_label",
    [
        (  # no tuned threshold at all: no tuned_f1, no tuned cost
            {"thresholds": {"strategy": "none"}},
            {"none", "default"},  # threshold_f1 has nothing to tune on: not applicable
            "f1 @ default",
        ),
        (  # tuned thresholds, but no cost ratio of 10
            {"thresholds": {"strategy": "holdout", "cost_ratios": [1, 5]}},
            {"none", "default", "own", "tuned_f1", "tuned_cost_1", "tuned_cost_5"},
            "f1 @ tuned_f1",
        ),
    ],
    ids=["strategy-none", "no-ratio-10"],
)
def test_configs_without_the_default_threshold_rules_run_end_to_end(
    tmp_path, change, rules, f1_label
):
    """Tables and figures show the rules a config has; a sampler asked for 1:2 makes
    the model learn at a rate of 1/3, and the cost table corrects from that rate."""
    import pandas as pd

    from imbench.io import read_table_with_meta

    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config.update(change)
    config["methods"]["smote"] = {"sampling_strategy": 0.5}
    (workdir / "config" / "variant.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "2", configfile="config/variant.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    tables = workdir / "results" / "tables"
    long = pd.read_csv(tables / "metrics_long.csv")
    assert set(long["threshold_rule"]) == rules
    cells = pd.read_csv(tables / "cells.csv")
    views = cells[cells["method"] == "threshold_f1"]
    assert len(views) and set(views["status"]) == (
        {"ok"} if "own" in rules else {"not_applicable"}
    )
    assert f1_label in set(pd.read_csv(tables / "ratio_sweep.csv")["metric"])
    assert f1_label in set(pd.read_csv(tables / "ranking.csv")["metric"])
    assert f1_label in set(pd.read_csv(tables / "decision_guide.csv")["metric"])
    ratios = set(pd.read_csv(tables / "cost_threshold.csv")["cost_ratio"])
    assert ratios == set(config["thresholds"].get("cost_ratios", [1, 5, 10, 20]))
    cell = "synthetic-r0.1-s0/logistic_regression/smote.parquet"
    _, meta = read_table_with_meta(workdir / "results" / "predictions" / cell)
    for fold in meta["folds"]:
        assert fold["trained_positive_rate"] == pytest.approx(1 / 3, abs=0.01)
    for name in ("cost_threshold", "ratio_sweep/roc_auc", "mean_ranks"):
        assert (workdir / "results" / "figures" / f"{name}.png").exists()


def test_the_oversamplers_config_runs_smote_variants_and_lightgbm_end_to_end(
    tmp_path,
):
    """config/oversamplers.yaml, on the test config's small data: every
    smote-variants oversampler it names passes its contract and resamples on both
    classifiers, and each is compared with the baseline in the tables."""
    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / "config" / "oversamplers.yaml").read_text())
    small = yaml.safe_load((workdir / TEST_CONFIG).read_text())
    config.update({key: small[key] for key in ("positive_rates", "datasets", "cv")})
    config["classifiers"]["lightgbm"]["params"] = {"n_estimators": 20}
    (workdir / "config" / "small.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "2", configfile="config/small.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "imbench: warning: methods." not in result.stderr  # none is a no-op
    tables = workdir / "results" / "tables"
    cells = pd.read_csv(tables / "cells.csv")
    plugins = [name for name, e in config["methods"].items() if "sampler" in e]
    assert len(plugins) == 5
    mine = cells[cells["method"].isin(plugins)]
    assert len(mine) == 5 * 2 * 4  # plug-ins x classifiers x datasets
    assert set(mine["status"]) == {"ok"}
    sweep = pd.read_csv(tables / "ratio_sweep.csv")
    for plugin in plugins:  # compared, and not the baseline's predictions
        verdicts = set(sweep.loc[sweep["method"] == plugin, "verdict"])
        assert verdicts and verdicts != {"identical"}, plugin
    logs = "".join(cross_validate_logs(workdir))
    assert "smote_variants" not in logs  # its INFO lines kept out of the job logs


def test_a_code_edit_reruns_the_jobs_that_run_it_and_refits_only_its_cells(
    runs, tmp_path
):
    """A plain ``snakemake`` after an edit of the package (an edited copy first on
    PYTHONPATH) reruns the jobs whose step runs the edited code, and the cell cache,
    keyed on the code a fit runs, refits only the cells whose fit it is: a figure
    edit reruns the analyses that draw and no dataset job, an edit of SMOTE's factory
    every dataset job, fitting SMOTE's cells alone."""
    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    package = tmp_path / "src" / "imbench"
    shutil.copytree(REPO / "src" / "imbench", package)
    env = {**os.environ, "PYTHONPATH": str(package.parent)}

    def rerun():
        planned = snakemake(workdir, "--dry-run", env=env)
        assert planned.returncode == 0, planned.stderr[-3000:]
        result = snakemake(workdir, "--cores", "2", env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        return job_counts(planned.stdout)

    figures = package / "figures.py"
    figures.write_text(figures.read_text() + "\n# a plotting tweak\n")
    jobs = rerun()
    assert "cross_validate" not in jobs and jobs["ratio_sweep"] == 1
    assert "aggregate" not in jobs  # its step draws nothing
    methods = package / "methods.py"
    source = methods.read_text()
    edited = source.replace(
        "    return SMOTE(random_state=seed, **params)",
        "    return SMOTE(random_state=seed, **params)  # an edit",
    )
    assert edited != source
    methods.write_text(edited)
    assert rerun()["cross_validate"] == 4
    logs = "".join(cross_validate_logs(workdir))
    fitted = sorted(re.findall(r"INFO \S+?/(\S+): .*\(fitted in", logs))
    assert fitted == ["logistic_regression/smote"] * 4
    assert same_tables(runs[2], workdir) == []


def test_a_result_deleted_by_hand_is_remade_or_named_with_its_command(runs, tmp_path):
    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    results = workdir / "results"
    # whole outputs of a dataset job: noticed and remade from the cache, the same
    deleted = ["datasets/synthetic-r0.1-s0.parquet", "predictions/synthetic-r0.3-s0"]
    (results / deleted[0]).unlink()
    shutil.rmtree(results / deleted[1])
    planned = snakemake(workdir, "--dry-run")
    assert job_counts(planned.stdout)["cross_validate"] == 2
    result = snakemake(workdir, "--cores", "2", *(f"results/{p}" for p in deleted))
    assert result.returncode == 0, result.stderr[-3000:]
    remade = [
        path.relative_to(workdir)
        for name in (*deleted, "metrics")
        for path in [results / name, *sorted((results / name).rglob("*.parquet"))]
        if path.is_file()
    ]
    assert len(remade) == 1 + 8 + 4  # the data, 8 cells' predictions, 4 metrics
    for path in remade:
        assert (workdir / path).read_bytes() == (runs[2] / path).read_bytes(), path
    # one cell's file inside a dataset's predictions: an analysis names it and the
    # command that remakes it, instead of leaving the cell out
    cell = results / "predictions" / "synthetic-r0.1-s0" / "logistic_regression"
    (cell / "smote.parquet").unlink()
    failed = snakemake(
        workdir,
        "--cores",
        "1",
        "--forcerun",
        "cost_threshold",
        "results/tables/cost_threshold.csv",
    )
    assert failed.returncode == 1
    (line,) = [x for x in failed.stderr.splitlines() if x.startswith("imbench:")]
    command = (
        "snakemake --cores all --forcerun results/metrics/synthetic-r0.1-s0.parquet"
    )
    assert line.startswith("imbench: missing result: ") and line.endswith(command)
    fixed = snakemake(workdir, *command.split()[1:])
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert same_tables(runs[2], workdir) == []


def test_a_corrupt_state_file_never_blocks_a_command(runs, tmp_path):
    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    provenance = workdir / "results" / "tables" / "provenance.json"
    provenance.write_text(provenance.read_text()[:20])  # truncated
    for args in (["--dry-run"], ["--unlock"]):
        result = snakemake(workdir, *args)
        assert result.returncode == 0, result.stderr[-3000:]
        warnings = [x for x in result.stderr.splitlines() if x.startswith("imbench:")]
        assert len(warnings) == 1 and "is unreadable" in warnings[0]


def test_a_run_where_every_cell_fails_still_writes_every_output(tmp_path):
    """Degenerate: nothing ran. Every analysis writes its outputs, empty with a note,
    and the run ends with the one-line failure summary and exit status 1."""
    workdir = copy_workflow(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "tests" / "faults"),
        "IMBENCH_FAULT": "every_fit",
    }
    result = snakemake(workdir, "--cores", "2", env=env)
    assert result.returncode == 1
    summary = [x for x in result.stderr.splitlines() if x.startswith("imbench:")]
    assert len(summary) == 1 and " cells failed; " in summary[0]
    assert "injected fault: every fit raises" in summary[0]
    results = workdir / "results"
    for name in ("ratio_sweep", "cost_threshold", "ensembles", "decision_guide"):
        note = (results / "tables" / f"{name}.md").read_text()
        assert note.startswith("no results to show")
    for name in ("ratio_sweep/roc_auc", "pr_curves/synthetic", "mean_ranks"):
        assert (results / "figures" / f"{name}.png").stat().st_size > 1000
    assert (results / "findings.md").read_text().count("Nothing to show") == 5
    assert "## Cells without results" in (results / "tables" / "summary.md").read_text()


def test_an_edited_user_file_older_than_its_outputs_reruns_and_refits(runs, tmp_path):
    """A user file replaced by an edited one with an older modification time
    (``cp -p``, ``rsync -a``, ``mv`` of an earlier download): the job is keyed on the
    file's content, not its time, and every cell of it is refitted."""
    import pandas as pd

    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    data = workdir / "tests" / "data" / "customers.csv"
    frame = pd.read_csv(data)
    frame.loc[frame.index[:20], "outcome"] = "churn"  # 20 more positives at most
    frame.to_csv(data, index=False)
    os.utime(data, (946684800, 946684800))  # 2000-01-01: older than every output
    planned = snakemake(workdir, "--dry-run")
    assert job_counts(planned.stdout)["cross_validate"] == 1
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    log = (workdir / "results/logs/cross_validate/file-customers.log").read_text()
    fitted = re.findall(r"INFO \S+?/(\S+): .*\(fitted in", log)
    assert len(fitted) == 7 and "from the cache" not in log  # every cell refitted
    assert "logistic_regression/threshold_f1: ok, a view of the baseline" in log
    datasets = pd.read_csv(workdir / "results" / "tables" / "datasets.csv")
    positives = datasets.set_index("dataset").loc["file-customers", "n_positive"]
    assert positives == (frame["outcome"] == "churn").sum() > 36
    assert same_tables(runs[2], workdir) != []


def imbench_cost(workdir):
    return subprocess.run(
        [sys.executable, "-m", "imbench.cpu_time", TEST_CONFIG],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_cost_command_learns_from_a_run_and_says_what_it_used(runs, tmp_path):
    """The run's records (a user's file among them) join the shipped ones; a rerun
    whose cells came from the cache gives none, as its time is not its cells'."""
    first = imbench_cost(runs[2])
    assert first.returncode == 0, first.stderr
    assert "records of 4 dataset jobs in results/" in first.stdout
    assert "not used" not in first.stdout
    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    rerun = snakemake(workdir, "--cores", "2", "--forcerun", "cross_validate")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    second = imbench_cost(workdir)
    assert second.returncode == 0, second.stderr
    assert "0 records of 0 dataset jobs in results/ (not used: 4 jobs with cells " in (
        second.stdout
    )


def test_a_damaged_cache_is_refitted_to_the_same_tables(runs, tmp_path):
    """Cache entries swapped for another cell's, truncated and replaced by junk:
    each is discarded with one log line and refitted, and the tables come out
    byte-identical to the clean run."""
    workdir = tmp_path / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    entries = sorted((workdir / "results" / "cache" / "predictions").glob("*.parquet"))
    swapped, truncated, junk = entries[0], entries[1], entries[2]
    shutil.copyfile(entries[3], swapped)
    truncated.write_bytes(truncated.read_bytes()[:200])
    junk.write_text("not a parquet file")
    result = snakemake(workdir, "--cores", "2", "--forcerun", "cross_validate")
    assert result.returncode == 0, result.stderr[-3000:]
    logs = "".join(cross_validate_logs(workdir))
    assert logs.count("bad cache entry") == 3
    assert len(re.findall(r"\(fitted in", logs)) == 3
    assert same_tables(runs[2], workdir) == []


def tree_state(directory):
    """Every file under ``directory`` with its bytes and modification time."""
    return {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(Path(directory).rglob("*"))
        if path.is_file()
    }


SYNTHETIC = "config/published.yaml"


@pytest.fixture(scope="module")
def published(runs, tmp_path_factory):
    """A finished run whose config is config/published.yaml, published with the
    command the README gives, as written."""
    workdir = tmp_path_factory.mktemp("published") / "workdir"
    shutil.copytree(runs[2], workdir, symlinks=True)
    shutil.copyfile(REPO / TEST_CONFIG, workdir / SYNTHETIC)
    program, *args = shlex.split(publish.command(SYNTHETIC))
    assert program == "snakemake"
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_publish_copies_the_results_with_what_made_them(published):
    target = published / "docs" / "results"
    results = published / "results"
    findings = (target / "findings.md").read_text()
    files = [p.relative_to(target) for p in target.rglob("*") if p.is_file()]
    assert findings == publish.linked((results / "findings.md").read_text(), files)
    links = re.findall(r"\]\(((?:tables|figures)/[^)]+)\)", findings)
    assert links and all((target / link).is_file() for link in links)
    figures = sorted(p.relative_to(target) for p in target.rglob("*.png"))
    assert Path("figures", "ratio_sweep", "roc_auc.png") in figures
    assert len(figures) == len(list(results.joinpath("figures").rglob("*.png")))
    assert (target / "config.yaml").read_bytes() == (REPO / TEST_CONFIG).read_bytes()
    index = (target / "README.md").read_text()
    for figure in figures:
        assert f"]({figure.as_posix()})" in index
    assert f"Made by `{publish.command(SYNTHETIC)}`" in index
    assert sorted(p.name for p in target.parent.iterdir()) == ["results"]


@pytest.mark.parametrize(
    "args",
    [
        ["--forcerun", "publish", "--configfile", TEST_CONFIG],
        ["--configfile", TEST_CONFIG],
        ["--configfile", "config/published.yaml", "--config", "seed=other"],
        ["--configfile", "config/published.yaml", TEST_CONFIG],
        [],  # the default config
    ],
)
def test_a_refused_publish_runs_nothing_and_touches_nothing(published, args):
    """Another config, or the published one changed by --config: refused with one
    line while Snakemake plans, so no job reruns and docs/results/ stays."""
    before = tree_state(published / "docs"), tree_state(published / "results")
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "publish", "--cores", "2", *args],
        cwd=published,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("imbench: con")]
    assert line.startswith("imbench: config error: publish:")
    if "--config" in args:  # the published config, changed: rerun it as written
        assert line.endswith(publish.command("config/published.yaml"))
    else:  # another config: every published one is named
        assert line.endswith(publish.command("<one of them>"))
        assert all(config in line for config in publish.PUBLISHED)
    assert "Traceback" not in result.stderr
    assert (tree_state(published / "docs"), tree_state(published / "results")) == (
        before
    )


def test_real_yaml_runs_the_keel_collection_offline_counting_families_once(tmp_path):
    """config/real.yaml on eight of its datasets: they run from the shipped files
    (nominal ones one-hot, a set with missing values without those rows), the other
    92 are listed with the filter that left them out, and each tier's verdicts count
    families: three yeast sets are one observation."""
    workdir = copy_workflow(tmp_path)
    config = yaml.safe_load((workdir / "config" / "real.yaml").read_text())
    names = ["car-good", "cleveland-0_vs_4", "glass2", "haberman", "pima"]
    names += ["yeast4", "yeast5", "yeast6"]
    config["datasets"]["keel"]["names"] = names
    config["cv"] = {"folds": 3, "repeats": 1}
    config["classifiers"] = {"logistic_regression": {"methods": "all"}}
    config["methods"] = {"baseline": {}, "smote": {}, "threshold_f1": {}}
    (workdir / "config" / "small.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--cores", "2", configfile="config/small.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "imbench: note: 92 collection datasets excluded" in result.stderr
    tables = workdir / "results" / "tables"
    datasets = pd.read_csv(tables / "datasets.csv")
    datasets["excluded"] = datasets["excluded"].fillna("")
    assert len(datasets) == 100
    ran = datasets[datasets["excluded"] == ""].set_index("dataset")
    assert sorted(ran.index) == sorted(f"keel-{name}" for name in names)
    assert set(datasets.loc[datasets["excluded"] != "", "excluded"]) == {
        "not in datasets.keel.names"
    }
    assert ran.loc["keel-car-good", "n_features"] == 21  # 6 nominal, one-hot
    assert ran.loc["keel-cleveland-0_vs_4", "n_samples"] == 173
    assert ran.loc["keel-cleveland-0_vs_4", "warnings"] == (
        "4 rows with missing values dropped"
    )
    yeast = set(ran.loc[[f"keel-yeast{i}" for i in (4, 5, 6)], "observation"])
    assert yeast == {"keel-yeast-IR10-50"}
    sweep = pd.read_csv(tables / "ratio_sweep.csv")
    n_by_rate = sweep.groupby("positive_rate")["n"].max()
    tiers = ran.groupby("positive_rate")["observation"].nunique()
    assert n_by_rate.to_dict() == tiers.to_dict()
    assert sorted(tiers) == [2, 4]  # pima, haberman; car, cleveland, glass, yeast
