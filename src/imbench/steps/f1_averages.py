"""Rule ``f1_averages`` (question 4): positive-class, macro, weighted and micro F1
against the positive rate, and where they differ most."""

from imbench import figures
from imbench.names import F1_AVERAGES
from imbench.summary import f1_gaps, f1_pattern
from imbench.tables import (
    instance_means,
    load_metrics,
    scored_rows,
    some,
    write_tables,
)

LARGEST_GAPS = 20


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files."""
    metrics = some(load_metrics(input["metrics"])[0])
    figures.f1_averages(
        {
            average: instance_means(metrics, average, "default")
            for average in F1_AVERAGES
        },
        output["figure_f1_averages"],
    )
    gaps = f1_gaps(scored_rows(metrics))
    write_tables(gaps.head(LARGEST_GAPS), output["table_f1_averages"])
    write_tables(f1_pattern(gaps), output["table_f1_by_rate"])
