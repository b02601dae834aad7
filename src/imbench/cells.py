"""One cell (dataset x classifier x method): fitted, or read from the prediction
cache, then scored.

A cell's predictions are cached under a key of what they depend on (its fit
parameters, the data's values, imbench's code, the package versions), so a rerun
refits only the cells whose key changed.
"""

import hashlib
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from imbench.classifiers import CLASSIFIERS
from imbench.config import config_hash
from imbench.evaluation import evaluate_cell
from imbench.fitting import NotApplicable, cross_validate, empty_predictions
from imbench.io import read_table_with_meta, write_table_with_meta
from imbench.methods import METHODS
from imbench.runtime import package_versions
from imbench.thresholds import ThresholdRule

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
            balances_inside=entry.balances_inside,
        )
        predictions, meta["folds"] = result.predictions, result.folds
    except NotApplicable as error:
        meta.update(status="not_applicable", reason=str(error))
    except Exception as error:  # a failed method must not stop the benchmark
        log.exception("fit failed")
        message = str(error).splitlines()[0] if str(error) else ""
        meta.update(status="failed", reason=f"{type(error).__name__}: {message}")
    return predictions, meta


def run_cell(X, y, dataset, name, params, cached, output, evaluation):
    """Predictions of the cell ``name`` (``classifier/method``), from the ``cached``
    file or fitted (failures are not cached), linked to ``output``, then scored.

    ``evaluation`` holds ``rules`` (``ThresholdRule`` names), ``cost_ratios`` and
    ``grid_size``. Returns its metrics (None unless it ran), its status record with
    the thresholds each rule chose per fold, and its fit seconds (None from the
    cache).
    """
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
        metrics, meta["thresholds"] = evaluate_cell(
            table.to_pandas(),
            meta["folds"],
            [ThresholdRule.parse(name) for name in evaluation["rules"]],
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
