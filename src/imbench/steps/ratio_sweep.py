"""Rule ``ratio_sweep`` (question 1): each method's gain over the baseline against the
positive rate, its practical verdict (better, equivalent, worse or undecided), and the
rate from which every method is practically equivalent to the baseline."""

import pandas as pd

from imbench import figures
from imbench.comparisons import gains_over, stops_mattering
from imbench.names import label, relative_rope
from imbench.runtime import stem
from imbench.stats import Equivalence
from imbench.tables import load_metrics, write_tables


def run(input, output, params, threads=1):
    """``params``: ``panels``, the ``[metric, rule]`` of each figure (one figure per
    panel, in ``output["pdf"]`` and ``output["png"]`` in the same order);
    ``equivalence`` (see ``stats.Equivalence``)."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    equivalence = Equivalence(**params["equivalence"])
    gains, answers = [], []
    for (metric, rule), pdf, png in zip(
        params["panels"], output["pdf"], output["png"], strict=True
    ):
        table = gains_over(metrics, metric, rule, equivalence)
        figures.ratio_sweep(
            table, label(metric, rule), relative_rope(metric), [pdf, png]
        )
        gains.append(table.assign(metric=label(metric, rule)))
        answers.append(stops_mattering(table).assign(metric=label(metric, rule)))
    for frames, path in ((gains, output["csv"]), (answers, output["answer_csv"])):
        table = pd.concat(frames, ignore_index=True)
        write_tables(table[["metric", *table.columns.drop("metric")]], stem(path))
