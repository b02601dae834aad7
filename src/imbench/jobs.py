"""The body of each workflow step, callable without Snakemake.

``workflow/scripts/*.py`` only unpack the ``snakemake`` object and call these.
"""

import hashlib
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from imbench.classifiers import CLASSIFIERS
from imbench.config import config_hash
from imbench.datasets import make_dataset, write_dataset
from imbench.evaluation import CELL_KEYS, FOLD_KEYS, evaluate_cell
from imbench.fitting import NotApplicable, cross_validate, empty_predictions
from imbench.io import read_table_with_meta, write_table_with_meta
from imbench.methods import METHODS
from imbench.runtime import package_versions

log = logging.getLogger("imbench")


def fit_cell(X, y, dataset, classifier, method, params):
    """Cross-validate one cell in one thread; returns its predictions and a status
    record.

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
    return predictions, meta


def cross_validate_job(dataset, spec, cells, evaluation, outputs, cache_dir, threads=1):
    """One dataset's whole share of the benchmark, in one process: make the data,
    cross-validate each of its cells, score their predictions.

    ``cells`` maps ``"classifier/method"`` to the cell's fit params; ``evaluation``
    holds ``criteria``, ``cost_ratios`` and ``grid_size``; ``outputs`` the paths of
    the ``dataset`` file, the ``predictions`` directory and the ``metrics`` file. A
    cell whose predictions are in ``cache_dir`` under the same key (its params, the
    data, the code) is not refitted, so a change to one method refits only that
    method, and a killed job resumes where it stopped. Cells run in ``threads``
    processes of one thread each.
    """
    from joblib import Parallel, delayed, parallel_config

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
    write_dataset(outputs["dataset"], X, y, info)
    key = {
        "dataset": dataset,
        "data": data_digest(X, y),
        "code": code_digest(),
        **package_versions(),
    }
    with parallel_config(backend="loky", inner_max_num_threads=1):
        results = Parallel(n_jobs=threads)(
            delayed(_cross_validate_cell)(
                X,
                y,
                dataset,
                name,
                params,
                Path(cache_dir) / f"{config_hash({**key, name: params})}.parquet",
                Path(outputs["predictions"]) / f"{name}.parquet",
                evaluation,
            )
            for name, params in cells.items()
        )
    frames, statuses = [], []
    for metrics, meta, seconds in results:
        for record in meta["folds"]:
            for note in record["adaptations"]:
                log.info(
                    "repeat %d fold %d: %s", record["repeat"], record["fold"], note
                )
        how = f"fitted in {seconds:.1f} s" if seconds is not None else "from the cache"
        cell = {field: meta[field] for field in CELL_KEYS}
        log.info(
            "%s/%s/%s: %s %s (%s)", *cell.values(), meta["status"], meta["reason"], how
        )
        statuses.append({**cell, "status": meta["status"], "reason": meta["reason"]})
        if metrics is not None:
            frames.append(metrics.assign(**cell))
    columns = [*CELL_KEYS, *FOLD_KEYS, "value", "missing"]
    metrics = (
        pd.concat(frames, ignore_index=True)[columns]
        if frames
        else pd.DataFrame({column: [] for column in columns})
    )
    write_table_with_meta(
        outputs["metrics"],
        pa.Table.from_pandas(metrics, preserve_index=False),
        {"dataset": info, "cells": statuses},
    )


def _cross_validate_cell(X, y, dataset, name, params, cached, output, evaluation):
    """Predictions of one cell, from the cache or fitted (failures are not cached),
    linked to ``output``; returns its metrics, status record and fit seconds."""
    seconds = None
    if not cached.exists():
        start = time.perf_counter()
        classifier, method = name.split("/")
        predictions, meta = fit_cell(X, y, dataset, classifier, method, params)
        seconds = time.perf_counter() - start
        table = pa.Table.from_pandas(predictions, preserve_index=False)
        write_table_with_meta(
            cached if meta["status"] != "failed" else output, table, meta
        )
    if cached.exists():
        link(cached, output)
    table, meta = read_table_with_meta(output)  # fitted or cached: scored the same
    metrics = None
    if meta["status"] == "ok":
        metrics = evaluate_cell(
            table.to_pandas(),
            meta["folds"],
            evaluation["criteria"],
            evaluation["cost_ratios"],
            evaluation["grid_size"],
        )
    return metrics, meta, seconds


def link(source, target):
    """Hard-link ``source`` to ``target`` (a copy across file systems)."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def data_digest(X, y):
    """SHA-256 of a dataset's values, the data's part of a cell's cache key."""
    digest = hashlib.sha256()
    for array in (X, y):
        digest.update(str((array.dtype, array.shape)).encode())
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def code_digest():
    """SHA-256 of imbench's source: editing the package invalidates cached cells."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
