"""Rule ``cost_threshold`` (question 2): expected cost against the threshold per
method, and the cost at 0.5, at the Bayes threshold (with and without prior
correction), at the threshold tuned on training data, and the oracle bound; whether
the Bayes threshold is practically as good as the tuned one."""

import pandas as pd

from imbench import figures
from imbench.costs import (
    cost_summary,
    fold_cost_curves,
    instance_costs,
    with_tuned_thresholds,
)
from imbench.stats import Equivalence
from imbench.tables import load_metrics, ok_cells, read_predictions, some, write_tables


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories; ``params``:
    ``cost_ratios``, ``shown_cost_ratio`` (the one the figure shows) and
    ``equivalence`` (see ``stats.Equivalence``)."""
    ratios, shown = params["cost_ratios"], params["shown_cost_ratio"]
    _, cells, datasets = load_metrics(input["metrics"])
    of_dataset = datasets.set_index("dataset")
    rows, curves, tuned_shown = [], [], []
    for cell in some(ok_cells(cells)):
        predictions, record = read_predictions(input["predictions"], cell)
        test = predictions.loc[
            predictions["role"] == "test", ["repeat", "fold", "y_true", "proba"]
        ]
        key = {
            "classifier": cell["classifier"],
            "method": cell["method"],
            "positive_rate": of_dataset.loc[cell["dataset"], "positive_rate"],
        }
        instance = {
            "dataset": cell["dataset"],
            "observation": of_dataset.loc[cell["dataset"], "observation"],
            "degenerate": bool(cell.get("degenerate")),
        }
        folds = with_tuned_thresholds(record.folds, cell["thresholds"], ratios)
        rows += instance_costs(test, folds, ratios, instance | key)
        if cell["method"] == "baseline":  # the figure shows the baselines
            curves.append(fold_cost_curves(test, shown, key))
        tuned_shown += [
            {**key, "threshold": fold["tuned"].get(shown)} for fold in folds
        ]
    summary = cost_summary(pd.DataFrame(rows), Equivalence(**params["equivalence"]))
    write_tables(summary, output["table_cost_threshold"])
    tuned_at = (
        pd.DataFrame(tuned_shown)
        .groupby(["positive_rate", "classifier", "method"])["threshold"]
        .mean()
    )
    shown_rows = summary[summary["cost_ratio"] == shown]
    figures.cost_curves(
        pd.concat(curves, ignore_index=True),
        tuned_at,
        shown_rows.groupby("positive_rate")["constant"].first(),
        shown,
        output["figure_cost_threshold"],
    )
