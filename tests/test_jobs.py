"""The workflow steps' bodies, run directly on small files."""

import json
import logging

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from threadpoolctl import threadpool_info

from imbench.datasets import write_dataset
from imbench.evaluation import NO_THRESHOLD
from imbench.io import read_table_with_meta
from imbench.jobs import evaluate_job, fit_job
from imbench.runtime import job
from imbench.tables import aggregate

PARAMS = {
    "classifier_params": {},
    "method_params": {},
    "seed": 1,
    "cv": {"folds": 3, "repeats": 1, "seed": 2},
    "thresholds": {"strategy": "holdout", "holdout_fraction": 0.25},
}


@pytest.fixture
def dataset(tmp_path, imbalanced):
    X, y = imbalanced
    path = tmp_path / "d.parquet"
    info = {
        "source": "test",
        "rate": None,
        "realized_rate": float(y.mean()),
        "n_samples": len(y),
        "n_positive": int(y.sum()),
        "n_features": X.shape[1],
    }
    write_dataset(path, X, y, info)
    return path


def run_fit(dataset, tmp_path, method, params, classifier="logistic_regression"):
    output = tmp_path / f"{method}.parquet"
    fit_job(dataset, output, "d", classifier, method, params)
    return read_table_with_meta(output)


def evaluate(prediction_paths, dataset, tmp_path):
    output = tmp_path / "metrics.parquet"
    evaluate_job(
        prediction_paths,
        dataset,
        output,
        criteria=["f1", 10.0],
        cost_ratios=[10.0],
        grid_size=50,
    )
    return output


def test_fit_job_writes_predictions_and_provenance(dataset, tmp_path):
    table, meta = run_fit(dataset, tmp_path, "smote", PARAMS)
    assert meta["status"] == "ok" and len(meta["folds"]) == 3
    assert meta["provenance"]["scikit-learn"] and meta["provenance"]["params_hash"]
    assert all(record["fit_time"] > 0 for record in meta["folds"])
    roles = table.column("role").to_pylist()
    assert roles.count("test") == 400 and roles.count("validation") > 0


def test_a_failing_fit_is_recorded_not_raised(dataset, tmp_path):
    broken = {**PARAMS, "classifier_params": {"C": -1.0}}
    table, meta = run_fit(dataset, tmp_path, "baseline", broken)
    assert meta["status"] == "failed"
    assert "InvalidParameterError" in meta["reason"] and "'C'" in meta["reason"]
    assert table.num_rows == 0


def test_too_few_minority_samples_make_smote_not_applicable(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)), np.r_[np.ones(3), np.zeros(57)].astype(int)
    path = tmp_path / "tiny.parquet"
    write_dataset(path, X, y, {"source": "tiny"})
    _, meta = run_fit(path, tmp_path, "smote", PARAMS)
    assert meta["status"] == "not_applicable"
    assert "1 minority sample" in meta["reason"]


def test_evaluate_job_keeps_statuses_and_metrics(dataset, tmp_path):
    run_fit(dataset, tmp_path, "baseline", PARAMS)
    run_fit(
        dataset, tmp_path, "class_weight", {**PARAMS, "classifier_params": {"C": -1}}
    )
    output = tmp_path / "metrics.parquet"
    evaluate_job(
        [tmp_path / "baseline.parquet", tmp_path / "class_weight.parquet"],
        dataset,
        output,
        criteria=["f1", 10.0],
        cost_ratios=[10.0],
        grid_size=50,
    )
    table, meta = read_table_with_meta(output)
    assert [c["status"] for c in meta["cells"]] == ["ok", "failed"]
    assert meta["dataset"]["source"] == "test"
    metrics = table.to_pandas()
    assert set(metrics["method"]) == {"baseline"}
    assert set(metrics["threshold_rule"]) == {
        "none",
        "default",
        "tuned_f1",
        "tuned_cost_10",
    }


def test_job_pins_threads_and_logs_to_its_file(tmp_path):
    log = tmp_path / "job.log"
    with job(log, threads=1):
        import sklearn.linear_model  # noqa: F401  (loads BLAS and OpenMP)

        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
        logging.getLogger("imbench").info("inside the job")
    assert "inside the job" in log.read_text()
    with pytest.raises(ValueError, match="boom"), job(log, threads=1):
        raise ValueError("boom")
    text = log.read_text()
    assert "ValueError: boom" in text and "job failed" in text


def test_dataset_metadata_is_readable_without_loading_data(dataset):
    info = json.loads(pq.read_schema(dataset).metadata[b"imbench"])
    assert info["source"] == "test"


def write_data(tmp_path, X, y):
    path = tmp_path / "edge.parquet"
    write_dataset(path, X, y, {"source": "edge", "rate": None})
    return path


@pytest.mark.parametrize("kind", ["separable", "noise"])
def test_separable_and_pure_noise_data_run_to_the_expected_scores(tmp_path, kind):
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(40), np.zeros(360)].astype(int)
    X = rng.normal(size=(400, 3)) + (10 * y[:, None] if kind == "separable" else 0)
    path = write_data(tmp_path, X, y)
    methods = ["baseline", "class_weight", "smote", "random_undersample"]
    for method in methods:
        assert run_fit(path, tmp_path, method, PARAMS)[1]["status"] == "ok"
    paths = [tmp_path / f"{method}.parquet" for method in methods]
    metrics = read_table_with_meta(evaluate(paths, path, tmp_path))[0].to_pandas()
    scores = metrics[metrics["threshold_rule"] == "none"].groupby("metric")["value"]
    if kind == "separable":
        assert scores.min()["roc_auc"] == pytest.approx(1.0)
        assert scores.min()["average_precision"] == pytest.approx(1.0)
    else:  # a random scorer: ROC-AUC near 0.5, AP near the positive rate
        assert 0.35 < scores.mean()["roc_auc"] < 0.65
        assert scores.mean()["average_precision"] < 0.25


def test_constant_predictions_leave_roc_auc_missing_with_the_reason(dataset, tmp_path):
    stump = {**PARAMS, "classifier_params": {"min_samples_leaf": 10_000}}
    _, meta = run_fit(dataset, tmp_path, "baseline", stump, "hist_gradient_boosting")
    assert meta["status"] == "ok"
    output = evaluate([tmp_path / "baseline.parquet"], dataset, tmp_path)
    metrics = read_table_with_meta(output)[0].to_pandas()
    auc = metrics[metrics["metric"] == "roc_auc"]
    assert auc["value"].isna().all()
    assert set(auc["missing"]) == {"constant scores: nothing is ranked"}
    tuned = metrics[metrics["threshold_rule"] == "tuned_f1"]
    assert set(tuned["missing"]) == {NO_THRESHOLD}
    outputs = {
        name: tmp_path / f"{name}.out"
        for name in ("long", "summary", "markdown", "cells", "datasets", "provenance")
    }
    aggregate([output], outputs, [], ["roc_auc", "average_precision"], {})
    summary = pd.read_csv(outputs["summary"])
    row = summary[summary["metric"] == "roc_auc"].iloc[0]
    assert row["n_folds"] == 0 and row["n_missing"] == 3 and np.isnan(row["mean"])
    assert "| n/a " in outputs["markdown"].read_text()
    long = pd.read_csv(outputs["long"])
    assert (long.loc[long["metric"] == "roc_auc", "missing"] != "").all()
