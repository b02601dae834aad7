"""Aggregated tables: the tidy long table, the summary per positive rate, cell statuses.

Tables are written sorted and with a fixed float format, so the same results give the
same bytes whatever order the jobs ran in.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from imbench.analysis import t_half_width
from imbench.evaluation import CELL_KEYS, FOLD_KEYS
from imbench.io import read_table_with_meta
from imbench.runtime import package_versions

FLOAT_FORMAT = "%.10g"
MARKDOWN_INTRO = """\
Mean ± standard deviation over folds and dataset seeds; n/a where a metric is undefined
(e.g. no threshold can be tuned on constant scores). `metric@rule` is a decision metric
at a threshold rule: `default` = 0.5, `own` = the method's, `tuned_*` = chosen on
training data. Full numbers with 95% intervals: `summary.csv`."""
GROUP_KEYS = [
    "source",
    "positive_rate",
    "classifier",
    "method",
    "threshold_rule",
    "metric",
]


def load_metrics(paths):
    """Concatenate per-dataset metric files; returns ``(metrics, cells, datasets)``."""
    frames, cells, datasets = [], [], []
    for path in paths:
        table, meta = read_table_with_meta(path)
        info = meta["dataset"]
        rate = (
            info["rate"]
            if info["rate"] is not None
            else round(info["realized_rate"], 4)
        )
        name = Path(path).stem
        datasets.append(
            {
                "dataset": name,
                "source": info["source"],
                "positive_rate": rate,
                "realized_rate": info["realized_rate"],
                "n_samples": info["n_samples"],
                "n_positive": info["n_positive"],
                "n_features": info["n_features"],
            }
        )
        frames.append(
            table.to_pandas().assign(source=info["source"], positive_rate=rate)
        )
        cells.extend(meta["cells"])
    return pd.concat(frames, ignore_index=True), cells, pd.DataFrame(datasets)


def cell_table(cells, not_applicable, datasets):
    """Status of every configured cell: ok, failed or not_applicable, with a reason;
    cells the plan ruled out (a classifier lacks what a method needs) included."""
    rows = list(cells)
    for classifier, method, reason in not_applicable:
        rows.extend(
            {
                "dataset": dataset,
                "classifier": classifier,
                "method": method,
                "status": "not_applicable",
                "reason": reason,
            }
            for dataset in datasets
        )
    return pd.DataFrame(rows, columns=[*CELL_KEYS, "status", "reason"]).sort_values(
        CELL_KEYS, ignore_index=True
    )


def summarise(metrics):
    """Mean, standard deviation and 95% t-interval per positive rate.

    The mean and standard deviation run over all folds of all dataset instances; the
    interval treats each dataset instance (its mean over folds) as one observation, as
    instances are independent and folds are not. With a single instance it falls back
    to the folds, and ``interval_over`` says which. NaN values are left out; an interval
    over fewer than two values is NaN.
    """
    folds = metrics.groupby(GROUP_KEYS, sort=True)["value"]
    table = folds.agg(n_folds="count", mean="mean", std="std")
    table.insert(1, "n_missing", folds.size() - table["n_folds"])
    instances = (
        metrics.groupby([*GROUP_KEYS, "dataset"], sort=True)["value"]
        .mean()
        .groupby(GROUP_KEYS, sort=True)
        .agg(["size", "count", "mean", "std"])
    )
    table.insert(2, "n_datasets", instances["size"])
    over_datasets = instances["size"] > 1
    n = np.where(over_datasets, instances["count"], table["n_folds"])
    centre = np.where(over_datasets, instances["mean"], table["mean"])
    spread = np.where(over_datasets, instances["std"], table["std"])
    half = t_half_width(n, spread)
    table["ci_low"], table["ci_high"] = centre - half, centre + half
    table["interval_over"] = np.where(over_datasets, "datasets", "folds")
    return table.reset_index()


def _headline_column(summary, entry):
    metric, _, rule = entry.partition("@")
    chosen = summary[
        (summary["metric"] == metric) & (summary["threshold_rule"] == (rule or "none"))
    ]
    text = [
        "n/a" if np.isnan(mean) else f"{mean:.3f} ± {std:.3f}"
        for mean, std in zip(chosen["mean"], chosen["std"].fillna(0), strict=True)
    ]
    return pd.Series(
        text,
        index=pd.MultiIndex.from_frame(chosen[["classifier", "method"]]),
        name=entry,
    )


def summary_markdown(summary, cells, headline):
    """Markdown: one table per source and positive rate, rows classifier x method,
    columns the headline metrics as mean ± sd; then cells that did not run."""
    parts = [
        "# imbench summary",
        "",
        MARKDOWN_INTRO,
        "",
    ]
    for (source, rate), group in summary.groupby(
        ["source", "positive_rate"], sort=True
    ):
        columns = [_headline_column(group, entry) for entry in headline]
        table = pd.concat(columns, axis=1).sort_index().fillna("n/a")
        parts += [
            f"## {source}, positive rate {rate:g}",
            "",
            table.reset_index().to_markdown(index=False),
            "",
        ]
    skipped = cells[cells["status"] != "ok"].drop_duplicates(
        ["classifier", "method", "status", "reason"]
    )
    if len(skipped):
        parts += [
            "## Cells without results",
            "",
            skipped[["classifier", "method", "status", "reason"]].to_markdown(
                index=False
            ),
            "",
        ]
    return "\n".join(parts)


def write_csv(frame, path):
    """CSV with a fixed float format and Unix newlines."""
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def aggregate(metric_paths, outputs, not_applicable, headline, provenance):
    """Write every aggregated table (``outputs`` maps a table name to its path)."""
    metrics, cells, datasets = load_metrics(metric_paths)
    cells = cell_table(cells, not_applicable, datasets["dataset"])
    metrics = metrics.sort_values([*CELL_KEYS, *FOLD_KEYS], ignore_index=True)
    long_columns = ["dataset", "source", "positive_rate", *CELL_KEYS[1:], *FOLD_KEYS]
    write_csv(metrics[[*long_columns, "value", "missing"]], outputs["long"])
    summary = summarise(metrics)
    write_csv(summary, outputs["summary"])
    Path(outputs["markdown"]).write_text(summary_markdown(summary, cells, headline))
    write_csv(cells, outputs["cells"])
    write_csv(datasets.sort_values("dataset", ignore_index=True), outputs["datasets"])
    Path(outputs["provenance"]).write_text(
        json.dumps(
            {**provenance, "packages": package_versions()}, indent=2, sort_keys=True
        )
        + "\n"
    )
