"""Summaries of the long metrics table: per positive rate with 95% intervals, the
Markdown headline tables, the status of every cell, and the gaps between F1
averages."""

import numpy as np
import pandas as pd

from imbench.names import F1_AVERAGES
from imbench.records import CELL_KEYS
from imbench.stats import t_half_width
from imbench.tables import pooled_metric
from imbench.thresholds import NO_RULE

MARKDOWN_INTRO = """\
Mean ± standard deviation over folds and dataset seeds (a decision metric: over
repeats, each from its folds' pooled confusion counts); n/a where a metric is undefined
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


def cell_table(cells, not_applicable, datasets):
    """Status of every configured cell: ok, failed or not_applicable, with a reason,
    and for a cell that ran why its model is degenerate (``cells.degenerate``); cells
    the plan ruled out (a classifier lacks what a method needs) included."""
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
    columns = [*CELL_KEYS, "status", "reason", "degenerate"]
    return pd.DataFrame(rows, columns=columns).sort_values(CELL_KEYS, ignore_index=True)


def dataset_table(datasets, excluded):
    """One row per dataset that ran (``tables.load_metrics``), then one per dataset
    a collection's filters or the folds left out, with ``excluded`` saying why (empty
    for those that ran)."""
    left_out = pd.DataFrame(excluded, columns=["dataset", "source", "excluded"])
    table = pd.concat([datasets.assign(excluded=""), left_out], ignore_index=True)
    return table.sort_values("dataset", ignore_index=True)


def summarise(scored):
    """Mean, standard deviation and 95% t-interval per positive rate, of the scored
    rows (``tables.scored_rows``: folds, or a decision metric's repeats, as
    ``scored_per`` says).

    The mean and standard deviation run over the scored values of all dataset
    instances; the interval runs over observations (an instance's mean, near-copies
    averaged into one: ``sources.observation``), as observations are independent and
    folds are not. With a single observation it falls back to its scored values, and
    ``interval_over`` says which. NaN values are left out; an interval over fewer than
    two values is NaN.
    """
    values = scored.groupby(GROUP_KEYS, sort=True)["value"]
    table = values.agg(n_values="count", mean="mean", std="std")
    table.insert(1, "n_missing", values.size() - table["n_values"])
    per = np.where(
        table.index.get_level_values("metric").map(pooled_metric), "repeat", "fold"
    )
    table.insert(2, "scored_per", per)
    instances = scored.groupby([*GROUP_KEYS, "observation", "dataset"], sort=True)[
        "value"
    ].mean()
    table.insert(2, "n_datasets", instances.groupby(GROUP_KEYS, sort=True).size())
    observations = (
        instances.groupby([*GROUP_KEYS, "observation"], sort=True)
        .mean()
        .groupby(GROUP_KEYS, sort=True)
        .agg(["size", "count", "mean", "std"])
    )
    over = observations["size"] > 1
    n = np.where(over, observations["count"], table["n_values"])
    centre = np.where(over, observations["mean"], table["mean"])
    spread = np.where(over, observations["std"], table["std"])
    half = t_half_width(n, spread)
    table["ci_low"], table["ci_high"] = centre - half, centre + half
    table["interval_over"] = np.where(over, "observations", table["scored_per"] + "s")
    return table.reset_index()


def _headline_column(summary, entry):
    metric, _, rule = entry.partition("@")
    chosen = summary[
        (summary["metric"] == metric) & (summary["threshold_rule"] == (rule or NO_RULE))
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


def f1_gaps(scored, rule="default"):
    """How far the four F1 averages lie apart, per source, rate, classifier, method.

    Returns
    -------
    DataFrame
        Mean of each average over the scored rows (``tables.scored_rows``: repeats)
        and instances, the largest gap between any two, and which two; sorted by the
        gap, largest first. Cells identical to their baseline by construction
        (``tables.identical_rows``) are left out: their gaps are the baseline's.
    """
    chosen = scored[
        scored["metric"].isin(F1_AVERAGES)
        & (scored["threshold_rule"] == rule)
        & ~scored["identical"]
    ]
    keys = ["source", "positive_rate", "classifier", "method"]
    wide = chosen.pivot_table(
        index=keys, columns="metric", values="value"
    ).reset_index()
    values = wide[list(F1_AVERAGES)].to_numpy()
    highest, lowest = np.nanargmax(values, axis=1), np.nanargmin(values, axis=1)
    wide["gap"] = np.nanmax(values, axis=1) - np.nanmin(values, axis=1)
    wide["highest"] = np.array(F1_AVERAGES)[highest]
    wide["lowest"] = np.array(F1_AVERAGES)[lowest]
    return wide.sort_values(
        ["gap", *keys], ascending=[False, *[True] * len(keys)], ignore_index=True
    )


def f1_pattern(gaps):
    """How the F1 averages move with the positive rate: per rate, the median of
    each average and of micro F1's lead over the positive class's F1 over the cells
    of ``f1_gaps``, and their number."""
    table = gaps.assign(micro_lead=gaps["f1_micro"] - gaps["f1"])
    medians = table.groupby("positive_rate")[[*F1_AVERAGES, "micro_lead"]].median()
    return medians.assign(cells=table.groupby("positive_rate").size()).reset_index()
