"""The workflow steps' bodies, run directly on small files."""

import json
import logging

import numpy as np
import pyarrow.parquet as pq
import pytest
from threadpoolctl import threadpool_info

from imbench.datasets import write_dataset
from imbench.io import read_table_with_meta
from imbench.jobs import evaluate_job, fit_job
from imbench.runtime import job

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


def run_fit(dataset, tmp_path, method, params):
    output = tmp_path / f"{method}.parquet"
    fit_job(dataset, output, "d", "logistic_regression", method, params)
    return read_table_with_meta(output)


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
