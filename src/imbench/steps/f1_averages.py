"""Rule ``f1_averages`` (question 4): positive-class, macro, weighted and micro F1
against the positive rate, and where they differ most."""

from imbench import figures
from imbench.names import F1_AVERAGES
from imbench.runtime import stem
from imbench.summary import f1_gaps
from imbench.tables import instance_means, load_metrics, write_tables

LARGEST_GAPS = 20


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files."""
    metrics, _, _ = load_metrics(input["metrics"])
    if metrics.empty:
        return figures.nothing_to_show(output)
    figures.f1_averages(
        {
            average: instance_means(metrics, average, "default")
            for average in F1_AVERAGES
        },
        [output["pdf"], output["png"]],
    )
    write_tables(f1_gaps(metrics).head(LARGEST_GAPS), stem(output["csv"]))
