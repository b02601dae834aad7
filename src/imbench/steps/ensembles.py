"""Rule ``ensembles`` (question 3): the full undersampling ensemble against one model
on all the data (``baseline``) and one undersampled model (``random_undersample``),
and the ensemble of its first 1..N members."""

import pandas as pd

from imbench import figures
from imbench.comparisons import ensemble_gains
from imbench.curves import ensemble_curves
from imbench.names import label
from imbench.stats import Equivalence, holm
from imbench.tables import (
    instance_means,
    load_metrics,
    ok_cells,
    read_predictions,
    some,
    write_tables,
)

PANELS = [("average_precision", "none"), ("f1", "default"), ("brier", "none")]
REFERENCES = ("baseline", "random_undersample")


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories; ``params``:
    ``equivalence`` (see ``stats.Equivalence``)."""
    metrics, cells, datasets = load_metrics(input["metrics"])
    rate_of = datasets.set_index("dataset")["positive_rate"]
    curves = pd.concat(
        [
            ensemble_curves(read_predictions(input["predictions"], cell)[0]).assign(
                dataset=cell["dataset"],
                classifier=cell["classifier"],
                positive_rate=rate_of[cell["dataset"]],
            )
            for cell in some(ok_cells(cells, "undersample_ensemble"))
        ],
        ignore_index=True,
    )
    figures.ensembles(
        curves,
        {metric: instance_means(metrics, metric, rule) for metric, rule in PANELS},
        PANELS,
        output["figure_ensembles"],
    )
    table = pd.DataFrame(
        {"metric": label(metric, rule), **row}
        for metric, rule in PANELS
        for row in ensemble_gains(
            curves,
            metrics,
            metric,
            rule,
            REFERENCES,
            Equivalence(**params["equivalence"]),
        )
    )
    table["p_holm"] = holm(table["p"])
    write_tables(table, output["table_ensembles"])
    metrics = [metric for metric, _ in PANELS]
    sizes = curves.groupby(["classifier", "positive_rate", "members"])[metrics].mean()
    write_tables(sizes.reset_index(), output["table_ensemble_sizes"])
