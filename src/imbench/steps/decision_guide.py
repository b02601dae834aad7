"""Rule ``decision_guide``: per classifier, positive rate and metric, the method that
won, by how much, how confidently, and whether the rule of thumb agrees."""

import pandas as pd

from imbench import figures
from imbench.advice import decision_guide
from imbench.runtime import stem
from imbench.stats import Equivalence
from imbench.tables import load_metrics, write_tables


def run(input, output, params, threads=1):
    """``params``: ``metrics``, the ``[metric, rule]`` pairs of the guide;
    ``equivalence`` (see ``stats.Equivalence``)."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    equivalence = Equivalence(**params["equivalence"])
    guide = pd.concat(
        [
            decision_guide(metrics, metric, rule, equivalence)
            for metric, rule in params["metrics"]
        ],
        ignore_index=True,
    )
    write_tables(guide[["metric", *guide.columns.drop("metric")]], stem(output["csv"]))
