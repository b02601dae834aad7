"""Reading and writing results: the per-dataset metric files, the cells' predictions,
and tables as CSV, Markdown and LaTeX.

Tables are written with a fixed float format and Unix newlines, so the same results
give the same bytes whatever order the jobs ran in.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from imbench.errors import MissingResultError
from imbench.io import atomic_path, read_table_with_meta, write_text
from imbench.names import PROBABILITY_METRICS
from imbench.records import POOLED, CellRecord
from imbench.sources import observation, shared_rows, shown_rate
from imbench.thresholds import NO_RULE

FLOAT_FORMAT = "%.10g"
NO_RESULTS = (
    "no results to show: no cell this analysis needs ran (results/tables/cells.csv "
    "says why)"
)


class NothingToShow(Exception):
    """An analysis has nothing to show; the message says why. The step runner then
    writes each of its figures and tables as a note saying so."""


def some(results, why=NO_RESULTS):
    """``results`` (a table or a list), or ``NothingToShow`` when there are none."""
    if len(results) == 0:
        raise NothingToShow(why)
    return results


def load_metrics(paths):
    """Concatenate per-dataset metric files; returns ``(metrics, cells, datasets)``:
    the long metrics with each row's ``source``, ``positive_rate`` and
    ``observation`` (``sources.observation``), the cells' status records (with the
    thresholds each rule chose), one row per dataset."""
    frames, cells, datasets = [], [], []
    for path in paths:
        table, meta = read_result(path, path)
        info = meta["dataset"]
        rate = shown_rate(info)
        name = Path(path).stem
        counted_as = observation(info)
        datasets.append(
            {
                "dataset": name,
                "source": info["source"],
                "positive_rate": rate,
                "observation": counted_as,
                "shared_rows": shared_rows(info),
                "realized_rate": info["realized_rate"],
                "n_samples": info["n_samples"],
                "n_positive": info["n_positive"],
                "n_features": info["n_features"],
                "warnings": "; ".join(info.get("warnings", [])),
            }
        )
        frames.append(
            table.to_pandas().assign(
                source=info["source"], positive_rate=rate, observation=counted_as
            )
        )
        cells.extend(meta["cells"])
    metrics = pd.concat(frames, ignore_index=True)
    flags = {
        "identical": identical_rows(metrics, cells),
        "degenerate": degenerate_rows(metrics, cells),
    }
    return metrics.assign(**flags), cells, pd.DataFrame(datasets)


def _of_cells(metrics, cells):
    """Whether each metric row is of one of ``cells`` (``(dataset, classifier,
    method)`` tuples)."""
    if not cells:
        return np.zeros(len(metrics), bool)
    index = pd.MultiIndex.from_frame(metrics[["dataset", "classifier", "method"]])
    return index.isin(list(cells))


def degenerate_rows(metrics, cells):
    """Whether each metric row is of a cell whose model is degenerate
    (``cells.degenerate``)."""
    flagged = {
        (c["dataset"], c["classifier"], c["method"])
        for c in cells
        if c.get("degenerate")
    }
    return _of_cells(metrics, flagged)


def identical_rows(metrics, cells):
    """Whether each metric row is the baseline's by construction: its cell predicts
    what its classifier's baseline does on the dataset (``cells.same_predictions``,
    recorded as ``identical``), at any rule but the method's ``own`` threshold."""
    same = {
        (c["dataset"], c["classifier"], c["method"])
        for c in cells
        if c.get("identical")
    }
    return _of_cells(metrics, same) & (metrics["threshold_rule"] != "own").to_numpy()


def ok_cells(cells, method=None):
    """Status records of the cells that ran (of ``method`` only, when given): the
    datasets in the order given, each one's cells by classifier and method."""
    position = {}
    for cell in cells:
        position.setdefault(cell["dataset"], len(position))
    chosen = [
        cell
        for cell in cells
        if cell["status"] == "ok" and method in (None, cell["method"])
    ]
    return sorted(
        chosen, key=lambda c: (position[c["dataset"]], c["classifier"], c["method"])
    )


def read_predictions(prediction_dirs, cell):
    """Predictions and ``CellRecord`` of ``cell`` (a row of a metrics file's cells),
    from the predictions directory of its dataset; a missing file is an error naming
    it."""
    directory = next(
        Path(d) for d in prediction_dirs if Path(d).name == cell["dataset"]
    )
    path = directory / cell["classifier"] / f"{cell['method']}.parquet"
    metrics = directory.parent.parent / "metrics" / f"{cell['dataset']}.parquet"
    table, meta = read_result(path, metrics)
    return table.to_pandas(), CellRecord.from_json(meta)


def read_result(path, remade_by):
    """``(table, meta)`` of the result file ``path``; a ``MissingResultError``, with
    the command that remakes it (``--forcerun remade_by``), when it is gone or
    unreadable."""
    try:
        return read_table_with_meta(path)
    except (OSError, ValueError, KeyError, pa.ArrowException) as error:
        problem = "is gone" if not Path(path).exists() else "is unreadable"
        raise MissingResultError(
            f"{str(path)!r} {problem}; remake it with: snakemake --cores all "
            f"--forcerun {remade_by}"
        ) from error


def read_result_table(path):
    """An analysis's CSV table; empty where the analysis wrote a note instead
    (``write_note``)."""
    table = pd.read_csv(path)
    return pd.DataFrame() if list(table.columns) == ["note"] else table


def pooled_metric(metric):
    """Whether an instance's ``metric`` is scored per repeat from its folds' pooled
    confusion counts (a decision metric, ``evaluation.evaluate_cell``) rather than
    per fold (a ranking or probability metric, and the chosen threshold), as
    docs/design.md's "Fold-averaged or pooled metrics" decides."""
    return metric not in PROBABILITY_METRICS and metric != "threshold"


def scored_rows(metrics):
    """The rows instances are scored by: a decision metric's repeats (fold
    ``records.POOLED``), every other metric's folds."""
    pooled = metrics["metric"].map(pooled_metric).to_numpy()
    return metrics[pooled == (metrics["fold"] == POOLED).to_numpy()]


def select(metrics, metric, rule=NO_RULE):
    """The scored rows (``scored_rows``) of one metric at one threshold rule."""
    rows = metrics[(metrics["metric"] == metric) & (metrics["threshold_rule"] == rule)]
    return rows[(rows["fold"] == POOLED) == pooled_metric(metric)]


def instance_means(metrics, metric, rule=NO_RULE):
    """Mean of the scored rows (over folds, or a decision metric's repeats) per
    dataset instance: the unit of every statistical test."""
    keys = ["source", "positive_rate", "dataset", "classifier", "method"]
    return select(metrics, metric, rule).groupby(keys, as_index=False)["value"].mean()


def compared_means(metrics, metric, rule=NO_RULE):
    """The values methods are compared by, one per observation (the mean of the
    scored rows, then over the instances counted as one: ``sources.observation``, whose
    number is ``instances``): a threshold method (one with an ``own`` threshold) at
    its own threshold where the rule is ``default``, so that it is compared where it
    differs from the baseline (at 0.5); ``identical`` says the value is the
    baseline's by construction (``identical_rows``) on every instance,
    ``degenerate`` that its model learnt nothing (``degenerate_rows``) on some. The
    values are ``as_published``."""
    rows = select(metrics, metric, rule)
    if rule == "default":
        own = select(metrics, metric, "own")
        rows = pd.concat(
            [rows[~rows["method"].isin(set(own["method"]))], own], ignore_index=True
        )
    keys = ["source", "positive_rate", "observation", "classifier", "method"]
    flags = {"identical": ("identical", "all"), "degenerate": ("degenerate", "any")}
    instances = rows.groupby([*keys, "dataset"], as_index=False).agg(
        value=("value", "mean"), **flags
    )
    means = instances.groupby(keys, as_index=False).agg(
        value=("value", "mean"), **flags, instances=("dataset", "size")
    )
    return means.assign(value=as_published(means["value"]))


def as_published(values):
    """``values`` rounded as the CSV tables write them (``FLOAT_FORMAT``): what is
    compared is what is published, so a verdict recomputed from a published table
    is the same to the bit, also where a gain lies exactly on its ROPE."""
    return values.map(lambda value: float(FLOAT_FORMAT % value))


def write_csv(frame, path):
    """CSV with a fixed float format and Unix newlines, written atomically."""
    with atomic_path(path) as partial:
        frame.to_csv(
            partial, index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
        )


def write_tables(frame, paths):
    """``frame`` to each of ``paths`` by its suffix: .csv, .md, .tex (booktabs), each
    written atomically."""
    for path in paths:
        suffix = Path(path).suffix
        if suffix == ".csv":
            write_csv(frame, path)
        elif suffix == ".md":
            write_text(path, frame.to_markdown(index=False, floatfmt=".4g") + "\n")
        else:
            text = frame.to_latex(index=False, float_format=lambda v: f"{v:.4g}")
            write_text(path, text + "\n")


def write_note(paths, note):
    """An empty table at each of ``paths`` (.csv, .md, .tex) that says why it is
    empty."""
    for path in paths:
        suffix = Path(path).suffix
        if suffix == ".csv":
            write_csv(pd.DataFrame({"note": [note]}), path)
        else:
            write_text(path, f"{note}\n" if suffix == ".md" else f"% {note}\n")
