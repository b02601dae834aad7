"""The body of each workflow step, callable without Snakemake.

``workflow/scripts/*.py`` only unpack the ``snakemake`` object and call these.
"""

import json
import logging

import pandas as pd
import pyarrow as pa

from imbench.classifiers import CLASSIFIERS
from imbench.config import config_hash
from imbench.datasets import make_dataset, read_dataset, write_dataset
from imbench.evaluation import CELL_KEYS, FOLD_KEYS, evaluate_cell
from imbench.fitting import NotApplicable, cross_validate, empty_predictions
from imbench.io import read_table_with_meta, write_table_with_meta
from imbench.methods import METHODS
from imbench.runtime import package_versions

log = logging.getLogger("imbench")


def dataset_job(spec, output):
    """Make the dataset ``spec`` describes and write it to ``output``."""
    X, y, info = make_dataset(spec)
    log.info(
        "%s: %d samples, %d features, %d positives (rate %.4f, target %s)",
        spec["source"],
        info["n_samples"],
        info["n_features"],
        info["n_positive"],
        info["realized_rate"],
        spec["rate"],
    )
    write_dataset(output, X, y, info)


def fit_cell(X, y, dataset, classifier, method, params, threads=1):
    """Cross-validate one cell; returns its predictions and a status record.

    A method that cannot apply to this data (``not_applicable``) or raises while
    fitting (``failed``) is recorded as such with the reason, never raised, so the
    rest of the benchmark goes on.
    """
    entry = METHODS[method]
    meta = {
        "dataset": dataset,
        "classifier": classifier,
        "method": method,
        "params": params,
        "provenance": {**package_versions(), "params_hash": config_hash(params)},
        "status": "ok",
        "reason": "",
        "folds": [],
    }
    predictions = empty_predictions()
    try:
        estimator = entry.build(
            CLASSIFIERS[classifier],
            params["classifier_params"],
            params["method_params"],
            params["seed"],
            threads,
        )
        result = cross_validate(
            X,
            y,
            estimator,
            params["cv"],
            params["thresholds"],
            entry.neighbour_params,
            keep_members=entry.keeps_members,
        )
        predictions, meta["folds"] = result.predictions, result.folds
    except NotApplicable as error:
        meta.update(status="not_applicable", reason=str(error))
    except Exception as error:  # a failed method must not stop the benchmark
        log.exception("fit failed")
        message = str(error).splitlines()[0] if str(error) else ""
        meta.update(status="failed", reason=f"{type(error).__name__}: {message}")
    for record in meta["folds"]:
        for note in record["adaptations"]:
            log.info("repeat %d fold %d: %s", record["repeat"], record["fold"], note)
    log.info(
        "%s/%s/%s: %s %s", dataset, classifier, method, meta["status"], meta["reason"]
    )
    return predictions, meta


def fit_job(dataset_path, output, dataset, classifier, method, params, threads=1):
    """Cross-validate one cell (``fit_cell``) and write its predictions with the
    status record."""
    X, y, _ = read_dataset(dataset_path)
    predictions, meta = fit_cell(X, y, dataset, classifier, method, params, threads)
    table = pa.Table.from_pandas(predictions, preserve_index=False)
    write_table_with_meta(output, table, meta)


def evaluate_job(
    prediction_paths, dataset_path, output, criteria, cost_ratios, grid_size
):
    """Metrics of every cell of one dataset, with the cells' statuses."""
    from pyarrow.parquet import read_schema

    dataset_info = json.loads(read_schema(dataset_path).metadata[b"imbench"])
    frames, cells = [], []
    for path in prediction_paths:
        table, meta = read_table_with_meta(path)
        cell = {key: meta[key] for key in CELL_KEYS}
        cells.append({**cell, "status": meta["status"], "reason": meta["reason"]})
        if meta["status"] != "ok":
            continue
        metrics = evaluate_cell(
            table.to_pandas(), meta["folds"], criteria, cost_ratios, grid_size
        )
        frames.append(metrics.assign(**cell))
    columns = [*CELL_KEYS, *FOLD_KEYS, "value", "missing"]
    metrics = (
        pd.concat(frames, ignore_index=True)[columns]
        if frames
        else pd.DataFrame({column: [] for column in columns})
    )
    write_table_with_meta(
        output,
        pa.Table.from_pandas(metrics, preserve_index=False),
        {"dataset": dataset_info, "cells": cells},
    )
