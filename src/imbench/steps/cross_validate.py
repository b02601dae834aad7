"""Rule ``cross_validate``: one dataset's whole share of the benchmark, in one process.

Make (or read) the dataset, cross-validate each of its cells, or take its predictions
from the cache, and score them. A cell's predictions are keyed by what they depend on,
so a change to one method refits only that method, and a killed job resumes where it
stopped. Cells run in ``threads`` processes of one thread each.
"""

import json
import logging
import os
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
from joblib import Parallel, delayed, parallel_config

from imbench import classifiers, methods, sources
from imbench.cells import (
    cell_identity,
    data_digest,
    run_cell,
    run_view,
    same_predictions,
)
from imbench.io import write_dataset, write_table_with_meta, write_text
from imbench.methods import ThresholdView
from imbench.records import CELL_KEYS, METRIC_COLUMNS, FitParams

log = logging.getLogger("imbench")
SHOW_EVERY = 60  # seconds between progress lines on stderr (every line is logged)


def run(input, output, params, threads=1):
    """``params``: ``spec`` (the dataset's record), ``cells`` (fit params by
    ``classifier/method``), ``evaluation`` (``rules``, ``cost_ratios``,
    ``grid_size``), ``splits`` (the stratified splits the data must allow) and
    ``cache`` (the prediction cache's directory). ``output``: ``dataset``,
    ``predictions`` (a directory), ``metrics`` and ``timings`` (what the job cost,
    for the cost model: ``job_timings``)."""
    spec = params["spec"]
    X, y, info = sources.load(spec, params["splits"])
    log.info(
        "%s: %d samples, %d features, %d positives (rate %.4f, target %s)",
        spec["source"],
        info["n_samples"],
        info["n_features"],
        info["n_positive"],
        info["realized_rate"],
        spec["rate"],
    )
    write_dataset(output["dataset"], X, y, info)
    data = data_digest(X, y)
    cells = {name: FitParams.from_json(p) for name, p in params["cells"].items()}
    # the registries here: joblib may dispatch from a thread of its own
    classifier_of = {name: classifiers.active()[name.split("/")[0]] for name in cells}
    method_of = {name: methods.active()[name.split("/")[1]] for name in cells}
    views = {name for name in cells if isinstance(method_of[name], ThresholdView)}
    fitted = {name: p for name, p in cells.items() if name not in views}
    output_of = {
        name: Path(output["predictions"]) / f"{name}.parquet" for name in cells
    }
    started, shown, results, fits = time.monotonic(), 0.0, [], {}
    with parallel_config(backend="loky", inner_max_num_threads=1):
        done = Parallel(n_jobs=threads, return_as="generator")(
            delayed(run_cell)(
                X,
                y,
                cell_identity(
                    spec["name"],
                    classifier_of[name],
                    method_of[name],
                    cell_params,
                    data,
                ),
                params["cache"],
                output_of[name],
                params["evaluation"],
                classifier_of[name],
                method_of[name],
            )
            for name, cell_params in fitted.items()
        )
        for metrics, record, fit in done:  # in order, as they finish
            _log_cell(record, fit)
            results.append((metrics, record))
            fits[f"{record.classifier}/{record.method}"] = fit
            elapsed = time.monotonic() - started
            line = progress(len(results), len(fitted), elapsed)
            log.info(line)
            if elapsed - shown >= SHOW_EVERY:  # long jobs: in the SLURM log too
                print(f"imbench: {spec['name']}: {line}", file=sys.stderr, flush=True)
                shown = elapsed
    for name, cell_params in cells.items():
        if name in views:  # after the fits: it reads its baseline's predictions
            classifier = name.split("/")[0]
            metrics, record, _ = run_view(
                output_of[f"{classifier}/baseline"],
                method_of[name],
                cell_params.method_params,
                output_of[name],
                params["evaluation"],
            )
            log.info("%s: %s, a view of the baseline (no fit)", name, record.status)
            results.append((metrics, record))
    ran = {f"{r.classifier}/{r.method}" for _, r in results if r.status == "ok"}
    frames, statuses = [], []
    for metrics, record in results:
        cell = {field: getattr(record, field) for field in CELL_KEYS}
        baseline = f"{record.classifier}/baseline"
        statuses.append(
            {
                **cell,
                "status": record.status,
                "reason": record.reason,
                "thresholds": record.thresholds or [],
                "degenerate": record.degenerate or "",
                "identical": record.status == "ok"
                and record.method != "baseline"
                and baseline in ran
                and same_predictions(
                    output_of[f"{record.classifier}/{record.method}"],
                    output_of[baseline],
                ),
            }
        )
        if metrics is not None:
            frames.append(metrics.assign(**cell))
    metrics = (
        pd.concat(frames, ignore_index=True)[METRIC_COLUMNS]
        if frames
        else pd.DataFrame({column: [] for column in METRIC_COLUMNS})
    )
    write_table_with_meta(
        output["metrics"],
        pa.Table.from_pandas(metrics, preserve_index=False),
        {"dataset": info, "cells": statuses},
    )
    timings = job_timings(fits, statuses, threads, time.monotonic() - started)
    write_text(output["timings"], json.dumps(timings, indent=1, sort_keys=True))


def job_timings(fits, statuses, threads, seconds):
    """What this job cost: its CPU-seconds (this process since it started, imports
    included, plus its workers' fits when cells ran in ``threads`` > 1 processes),
    its wall ``seconds`` after the imports, the machine's load average, and each
    fitted cell's status and fit (None: read from the cache). CPU time, unlike wall
    time, does not grow while the job waits for a core on a busy machine."""
    workers = sum(fit["cpu_seconds"] for fit in fits.values() if fit and threads > 1)
    status = {f"{s['classifier']}/{s['method']}": s["status"] for s in statuses}
    return {
        "cpu_seconds": time.process_time() + workers,
        "seconds": seconds,
        "load_average": os.getloadavg()[0],
        "cores": os.cpu_count(),
        "cells": {
            name: {"status": status[name], "fit": fit} for name, fit in fits.items()
        },
    }


def progress(done, total, elapsed):
    """Where a job is, for ``tail -f`` on its log: cells done, time so far, and what
    is left at the pace so far."""
    left = elapsed / done * (total - done)
    return (
        f"progress: {done} of {total} cells done after {elapsed / 60:.1f} min; "
        f"about {left / 60:.1f} min left at this pace"
    )


def _log_cell(record, fit):
    for fold in record.folds:
        for note in fold["adaptations"]:
            log.info("repeat %d fold %d: %s", fold["repeat"], fold["fold"], note)
    how = f"fitted in {fit['seconds']:.1f} s" if fit else "from the cache"
    log.info(
        "%s/%s/%s: %s %s (%s)",
        *(getattr(record, field) for field in CELL_KEYS),
        record.status,
        record.reason,
        how,
    )
