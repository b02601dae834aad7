"""Rule ``ranking``: mean ranks of the methods over all dataset instances per
classifier and metric, Friedman test, Nemenyi critical difference and its diagram (a
classifier run with fewer than three methods is only in the table)."""

from imbench import figures
from imbench.comparisons import rankings
from imbench.tables import load_metrics, some, write_tables

ALPHA = 0.05


def run(input, output, params, threads=1):
    """``params``: ``scored_metrics``, the ``[metric, rule]`` pairs to rank by."""
    metrics = some(load_metrics(input["metrics"])[0])
    _, table = rankings(metrics, params["scored_metrics"], ALPHA)
    figures.mean_ranks(table, output["figure_mean_ranks"], ALPHA)
    write_tables(table, output["table_ranking"])
