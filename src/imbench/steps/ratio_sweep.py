"""Rule ``ratio_sweep`` (question 1): each method's gain over the baseline against the
positive rate, its practical verdict (better, equivalent, worse or undecided; no
verdict for a comparison identical to the baseline or with degenerate models only),
the rate from which every method is practically equivalent to the baseline, the
observation values every verdict pairs, every verdict at half and twice its ROPE,
and the verdicts per source where several are pooled."""

from imbench import figures
from imbench.comparisons import sweep_tables
from imbench.names import label
from imbench.stats import Equivalence
from imbench.tables import load_metrics, some, write_tables


def run(input, output, params, threads=1):
    """``params``: ``sweep_panels``, the ``[metric, rule]`` of each figure (one per
    panel, its PDF and PNG in turn in ``output["figure_ratio_sweep"]``);
    ``equivalence`` (see ``stats.Equivalence``)."""
    metrics = some(load_metrics(input["metrics"])[0])
    panels = params["sweep_panels"]
    tables = sweep_tables(metrics, panels, Equivalence(**params["equivalence"]))
    gains = tables["ratio_sweep"]
    paths = output["figure_ratio_sweep"]
    for index, (metric, rule) in enumerate(panels):
        figures.ratio_sweep(
            gains[gains["metric"] == label(metric, rule)]
            .drop(columns="metric")
            .reset_index(drop=True),
            label(metric, rule),
            paths[2 * index : 2 * index + 2],
        )
    for name, table in tables.items():
        write_tables(table, output[f"table_{name}"])
