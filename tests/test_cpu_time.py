"""The cost model: work per cell, interpolation, and its estimate against a measured
run."""

import math
import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from imbench.config import build_plan, load_yaml
from imbench.cpu_time import (
    RECORDS,
    CostModel,
    dataset_shapes,
    estimate,
    read_records,
    summary,
    validation_fits,
    work,
)
from imbench.records import FitParams, OuterCV, Validation

from .conftest import REPO, SCHEMA

MEASURED_DEFAULT = REPO / "benchmarks" / "records" / "config.csv"  # performance.py


def record(rows, rate, seconds, classifier="logistic_regression", method="smote"):
    return {
        "classifier": classifier,
        "method": method,
        "rate": rate,
        "rows": rows,
        "fits": 10.0,
        "size": 1.0,
        "width": 20.0,
        "cpu_seconds": seconds,
    }


@pytest.mark.parametrize(
    "thresholds,fits",
    [
        (Validation("none", inner_folds=3, holdout_fraction=0.25), 0.0),
        (Validation("holdout", inner_folds=3, holdout_fraction=0.25), 0.75),
        (Validation("inner_cv", inner_folds=3, holdout_fraction=0.25), 2.0),
    ],
)
def test_validation_fits_count_training_fold_fits(thresholds, fits):
    assert validation_fits(thresholds) == fits


def test_work_grows_with_folds_models_and_members():
    params = FitParams(
        classifier_params={"n_estimators": 50},
        method_params={"n_members": 4},
        seed=0,
        cv=OuterCV(folds=5, repeats=2, seed=0),
        thresholds=Validation("holdout", inner_folds=3, holdout_fraction=0.25),
    )
    assert work("random_forest", "undersample_ensemble", params, 20) == (17.5, 200, 20)
    mlp = {"hidden_layer_sizes": [16, 8], "max_iter": 100}
    params = replace(params, classifier_params=mlp, method_params={})
    assert work("mlp", "baseline", params, 20) == (17.5, 2400, 20)


def test_interpolation_in_rate_and_rows():
    model = CostModel(
        [record(2000, 0.01, 1.0), record(2000, 0.1, 4.0), record(20000, 0.01, 20.0)]
    )
    at = {"fits": 10.0, "size": 1.0, "width": 20.0}

    def seconds(rate, rows):
        return model.seconds("logistic_regression", "smote", rate, rows, **at)

    assert seconds(0.01, 2000) == pytest.approx(1.0)
    assert seconds(math.sqrt(0.01 * 0.1), 2000) == pytest.approx(2.0)  # log-linear
    assert seconds(0.5, 2000) == pytest.approx(4.0)  # constant beyond the rates
    assert seconds(0.01, 20000) == pytest.approx(20.0)
    # beyond the rows: the slope of the two nearest row counts (log10 20 here)
    assert seconds(0.01, 200000) == pytest.approx(20.0 * 20.0)
    steep = CostModel([record(2000, 0.01, 1.0), record(20000, 0.01, 1000.0)])
    assert steep.seconds(
        "logistic_regression", "smote", 0.01, 200000, **at
    ) == pytest.approx(1000.0 * 10**1.5)  # clipped to SLOPES
    assert seconds(0.01, 2000) * 2 == pytest.approx(
        CostModel([record(2000, 0.01, 1.0)]).seconds(
            "logistic_regression", "smote", 0.01, 4000, **at
        )
    )  # one row count: linear in rows


def test_views_cost_nothing_and_unknown_pairs_are_named():
    model = CostModel([record(2000, 0.1, 1.0)])
    at = {"fits": 10.0, "size": 1.0, "width": 20.0}
    assert model.seconds("mlp", "threshold_f1", 0.1, 2000, **at) == 0.0
    assert model.seconds("mlp", "smote", 0.1, 2000, **at) is None
    text, total = summary(
        [
            ("d", "mlp", "smote", 0.1, 2000, None),
            ("d", "mlp", "baseline", 0.1, 2000, 7.0),
        ]
    )
    assert "no estimate for mlp/smote (no records)" in text and total == 7.0


def test_the_default_config_estimate_is_within_1_5x_of_its_measured_cost():
    """Shipped records (other runs than the default config's) against the default
    config's own measured run."""
    plan = build_plan(load_yaml(REPO / "config" / "config.yaml"), SCHEMA, base_dir=REPO)
    cells = estimate(plan, CostModel(read_records(RECORDS)), dataset_shapes(plan))
    _, estimated = summary(cells)
    measured = sum(r["cpu_seconds"] for r in read_records(MEASURED_DEFAULT))
    assert 1 / 1.5 <= estimated / measured <= 1.5, (estimated, measured)


def imbench_cost(*args):
    return subprocess.run(
        [sys.executable, "-m", "imbench.cpu_time", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_the_command_prints_hours_per_method_and_the_longest_job():
    result = imbench_cost("config/paper.yaml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| random_forest | baseline | 126 |" in result.stdout
    assert "| random_forest | threshold_f1 | 126 | 0.00 | 0 s |" in result.stdout
    assert any(line.startswith("total: ") for line in lines)
    assert any(line.startswith("longest dataset job: ") for line in lines)
    # every pair of the paper grid is recorded: an estimate, not a lower bound
    assert "no estimate for" not in result.stdout


def test_a_bad_config_is_one_line():
    result = imbench_cost("nope.yaml")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("imbench-cost: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_method_recorded_far_away_costs_what_it_did_relative_to_its_baseline():
    """Per-fit costs do not scale with rows alone: where the baseline was recorded
    near a cell's rows and the method only far from them, the method keeps its ratio
    to the baseline."""
    records = [
        record(2000, 0.1, 1.0, method="baseline"),
        record(2000, 0.1, 3.0, method="smote"),
        record(20000, 0.1, 2.0, method="baseline"),  # grew 2x, not 10x
    ]
    at = {"fits": 10.0, "size": 1.0, "width": 20.0}
    model = CostModel(records)
    assert model.seconds(
        "logistic_regression", "smote", 0.1, 20000, **at
    ) == pytest.approx(6.0)
    assert model.seconds(
        "logistic_regression", "smote", 0.1, 3000, **at
    ) == pytest.approx(3.0 * 1.5)  # within 2x of its own record: its own slope (1)


def write_config(tmp_path, change):
    config = load_yaml(REPO / "config" / "test.yaml")
    config["datasets"]["files"][0]["path"] = str(REPO / "tests/data/customers.csv")
    change(config)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def only_the_users_file(config):
    config["datasets"] = {"files": config["datasets"]["files"]}


def unrecorded(config):
    """A user's file and a pair the shipped records do not hold."""
    only_the_users_file(config)
    config["classifiers"] = {"mlp": {"methods": ["adasyn"]}}
    config["methods"] = {"adasyn": {}}


def test_a_users_file_is_estimated_from_its_own_rows_and_rate(tmp_path):
    result = imbench_cost(str(write_config(tmp_path, only_the_users_file)))
    assert result.returncode == 0, result.stderr
    assert "| logistic_regression | smote | 1 |" in result.stdout
    assert "total: " in result.stdout and "in 1 dataset jobs" in result.stdout


def test_pairs_without_records_are_named_not_a_crash(tmp_path):
    result = imbench_cost(str(write_config(tmp_path, unrecorded)))
    assert result.returncode == 0, result.stderr
    assert "no estimate for mlp/adasyn (no records)" in result.stdout
    assert "total: " not in result.stdout


def test_a_config_smaller_than_the_records_says_it_is_extrapolated():
    result = imbench_cost("config/test.yaml", "--results", "no-such-results")
    assert result.returncode == 0, result.stderr
    assert "extrapolated: " in result.stdout
    assert "none from no-such-results/" in result.stdout


def bad_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("seed: [unclosed\n")
    return path


def bad_file(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a,outcome\n1,yes\n2,no\n3,maybe\n")

    def change(config):
        only_the_users_file(config)
        config["datasets"]["files"][0].update(path=str(data), positive_label="yes")

    return write_config(tmp_path, change)


def offline_collection(tmp_path):
    def change(config):
        config["datasets"] = {
            "imblearn": {
                "names": ["ecoli"],
                "cache_dir": str(tmp_path / "empty"),
                "download": False,
            }
        }

    return write_config(tmp_path, change)


@pytest.mark.parametrize(
    "make,message",
    [
        (bad_yaml, "expected ',' or ']'"),
        (bad_file, "must have exactly two classes, found 3"),
        (offline_collection, "'ecoli' is not in the cache"),
    ],
)
def test_bad_input_is_one_line_without_a_traceback(tmp_path, make, message):
    result = imbench_cost(str(make(tmp_path)))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("imbench-cost: ") and message in line
