"""Rule ``ratio_sweep`` (question 1): each method's gain over the baseline against the
positive rate, its practical verdict (better, equivalent, worse or undecided; no
verdict for a comparison identical to the baseline or with degenerate models only),
the rate from which every method is practically equivalent to the baseline, the
instance values every verdict pairs, and every verdict at half and twice its ROPE."""

from imbench import figures
from imbench.comparisons import sweep_tables
from imbench.names import label, relative_rope
from imbench.stats import Equivalence
from imbench.tables import load_metrics, some, write_tables


def run(input, output, params, threads=1):
    """``params``: ``sweep_panels``, the ``[metric, rule]`` of each figure (one per
    panel, its PDF and PNG in turn in ``output["figure_ratio_sweep"]``);
    ``equivalence`` (see ``stats.Equivalence``)."""
    metrics = some(load_metrics(input["metrics"])[0])
    panels = params["sweep_panels"]
    gains, answers, values, sensitivity = sweep_tables(
        metrics, panels, Equivalence(**params["equivalence"])
    )
    paths = output["figure_ratio_sweep"]
    for index, (metric, rule) in enumerate(panels):
        figures.ratio_sweep(
            gains[gains["metric"] == label(metric, rule)]
            .drop(columns="metric")
            .reset_index(drop=True),
            label(metric, rule),
            relative_rope(metric),
            paths[2 * index : 2 * index + 2],
        )
    write_tables(gains, output["table_ratio_sweep"])
    write_tables(answers, output["table_ratio_sweep_answer"])
    write_tables(values, output["table_ratio_sweep_instances"])
    write_tables(sensitivity, output["table_ratio_sweep_rope"])
