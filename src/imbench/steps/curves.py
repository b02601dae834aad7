"""Rule ``curves``: precision-recall and ROC curves (vertically averaged over dataset
instances and repeats), reliability diagrams of the pooled out-of-fold
probabilities, and a calibration table (mean predicted against observed rate,
expected calibration error)."""

from collections import defaultdict

import numpy as np
import pandas as pd

from imbench import figures
from imbench.calibration import calibration_error, reliability
from imbench.curves import precision_on_grid, roc_on_grid
from imbench.runtime import stem
from imbench.tables import load_metrics, ok_cells, read_predictions, write_tables

GRID = np.linspace(0, 1, 101)
KEY = ["positive_rate", "classifier", "method"]


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories."""
    _, cells, datasets = load_metrics(input["metrics"])
    rate_of = datasets.set_index("dataset")["positive_rate"]
    pr, roc = defaultdict(list), defaultdict(list)
    pooled = defaultdict(lambda: ([], []))
    cells = ok_cells(cells)
    if not cells:
        return figures.nothing_to_show(output)
    for cell in cells:
        predictions, _ = read_predictions(input["predictions"], cell)
        key = (rate_of[cell["dataset"]], cell["classifier"], cell["method"])
        test = predictions[predictions["role"] == "test"]
        for _, repeat in test.groupby("repeat"):
            y, proba = repeat["y_true"].to_numpy(), repeat["proba"].to_numpy()
            pooled[key][0].append(y)
            pooled[key][1].append(proba)
            if y.min() < y.max():  # a curve needs both classes
                pr[key].append(precision_on_grid(y, proba, GRID))
                roc[key].append(roc_on_grid(y, proba, GRID))
    figures.curve_panels(
        {key: (GRID, ys) for key, ys in pr.items()},
        [output["pr_pdf"], output["pr_png"]],
        "recall",
        "precision",
        ("random scorer", lambda x, rate: np.full_like(x, rate, dtype=float)),
    )
    figures.curve_panels(
        {key: (GRID, ys) for key, ys in roc.items()},
        [output["roc_pdf"], output["roc_png"]],
        "false-positive rate",
        "true-positive rate",
        ("random scorer", lambda x, rate: x),
    )
    rows, diagrams = [], {}
    for key, (ys, probas) in sorted(pooled.items()):
        y, proba = np.concatenate(ys), np.concatenate(probas)
        predicted, observed = reliability(y, proba)
        diagrams[key] = (predicted, [observed])
        rows.append(
            dict(
                zip(KEY, key, strict=True),
                observed_rate=y.mean(),
                mean_predicted=proba.mean(),
                expected_calibration_error=calibration_error(y, proba),
            )
        )
    figures.curve_panels(
        diagrams,
        [output["calibration_pdf"], output["calibration_png"]],
        "predicted (quantile-bin mean)",
        "observed positive rate",
        ("calibrated", lambda x, rate: x),
    )
    write_tables(pd.DataFrame(rows), stem(output["csv"]))
