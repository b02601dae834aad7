"""Rule ``ratio_sweep`` (question 1): each metric against the positive rate per
method, each method's gain over the baseline with Wilcoxon-Holm tests, and the rate
from which handling stops mattering."""

import pandas as pd

from imbench import figures
from imbench.comparisons import gains_over, stops_mattering
from imbench.names import label
from imbench.runtime import stem
from imbench.tables import instance_means, load_metrics, write_tables


def run(input, output, params, threads=1):
    """``params``: ``panels``, the ``[metric, rule]`` of each figure row."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    panels = [tuple(panel) for panel in params["panels"]]
    figures.ratio_sweep(
        {panel: instance_means(metrics, *panel) for panel in panels},
        sorted(metrics["classifier"].unique()),
        [output["pdf"], output["png"]],
    )
    gains, answers = [], []
    for metric, rule in panels:
        table = gains_over(metrics, metric, rule)
        gains.append(table.assign(metric=label(metric, rule)))
        answers.append(stops_mattering(table).assign(metric=label(metric, rule)))
    for frames, path in ((gains, output["csv"]), (answers, output["answer_csv"])):
        table = pd.concat(frames, ignore_index=True)
        write_tables(table[["metric", *table.columns.drop("metric")]], stem(path))
