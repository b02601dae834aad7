"""Rule ``decision_guide``: per classifier, positive rate and metric, the method that
won, by how much, how confidently, and whether the rule of thumb agrees (with
question 1's verdicts, read from its table)."""

import pandas as pd

from imbench.advice import decision_guide
from imbench.stats import Equivalence
from imbench.tables import load_metrics, read_result_table, some, write_tables


def run(input, output, params, threads=1):
    """``input``: ``metrics``, and ``ratio_sweep`` (question 1's table) when a
    baseline ran; ``params``: ``scored_metrics``, the ``[metric, rule]`` pairs of the
    guide, and ``equivalence`` (the verdicts' decision level)."""
    metrics = some(load_metrics(input["metrics"])[0])
    sweep = (
        read_result_table(input["ratio_sweep"])
        if input.get("ratio_sweep")
        else pd.DataFrame()
    )
    probability = Equivalence(**params["equivalence"]).probability
    guide = pd.concat(
        [
            decision_guide(metrics, metric, rule, sweep, probability)
            for metric, rule in params["scored_metrics"]
        ],
        ignore_index=True,
    )
    write_tables(
        guide[["metric", *guide.columns.drop("metric")]],
        output["table_decision_guide"],
    )
