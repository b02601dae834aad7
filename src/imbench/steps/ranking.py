"""Rule ``ranking``: mean ranks of the methods over all dataset instances per
classifier and metric, Friedman test, Nemenyi critical difference and its diagram (a
classifier run with fewer than three methods is only in the table)."""

import itertools

import pandas as pd

from imbench import figures
from imbench.names import label, lower_is_better
from imbench.runtime import stem
from imbench.stats import rank_methods
from imbench.tables import instance_means, load_metrics, write_tables

ALPHA = 0.05
COLUMNS = [
    "classifier",
    "metric",
    "method",
    "mean_rank",
    "n_datasets",
    "k_methods",
    "friedman_p",
    "critical_difference",
    "within_cd_of_best",
    "dropped",
]


def run(input, output, params, threads=1):
    """``params``: ``metrics``, the ``[metric, rule]`` pairs to rank by."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    rankings, rows = {}, []
    for classifier, (metric, rule) in itertools.product(
        sorted(metrics["classifier"].unique()), params["metrics"]
    ):
        means = instance_means(metrics, metric, rule)
        wide = means[means["classifier"] == classifier].pivot_table(
            index="dataset", columns="method", values="value"
        )
        if wide.empty:
            continue
        ranking = rank_methods(wide, not lower_is_better(metric), ALPHA)
        rankings[f"{classifier}: {label(metric, rule)}"] = ranking
        best = ranking.ranks.iloc[0]
        rows.extend(
            (
                classifier,
                label(metric, rule),
                method,
                rank,
                ranking.n,
                len(ranking.ranks),
                ranking.friedman_p,
                ranking.cd,
                rank == best or rank - best <= ranking.cd,
                ", ".join(ranking.dropped),
            )
            for method, rank in ranking.ranks.items()
        )
    figures.critical_differences(rankings, [output["pdf"], output["png"]], ALPHA)
    write_tables(pd.DataFrame(rows, columns=COLUMNS), stem(output["csv"]))
