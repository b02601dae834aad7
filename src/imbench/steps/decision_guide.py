"""Rule ``decision_guide``: per classifier, positive rate and metric, the method that
won, by how much, how confidently, and whether the rule of thumb agrees (with
question 1's verdicts, read from its table)."""

import pandas as pd

from imbench import figures
from imbench.advice import decision_guide
from imbench.runtime import stem
from imbench.tables import load_metrics, read_result_table, write_tables


def run(input, output, params, threads=1):
    """``input``: ``metrics``, and ``sweep`` (question 1's table) when a baseline
    ran; ``params``: ``metrics``, the ``[metric, rule]`` pairs of the guide."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    sweep = read_result_table(input["sweep"]) if input.get("sweep") else pd.DataFrame()
    guide = pd.concat(
        [
            decision_guide(metrics, metric, rule, sweep)
            for metric, rule in params["metrics"]
        ],
        ignore_index=True,
    )
    write_tables(guide[["metric", *guide.columns.drop("metric")]], stem(output["csv"]))
