"""Rule ``curves``: precision-recall and ROC curves (vertically averaged over dataset
instances and repeats), reliability diagrams of the pooled out-of-fold
probabilities, and a calibration table (mean predicted against observed rate,
expected calibration error)."""

from collections import defaultdict

import numpy as np

from imbench import figures
from imbench.calibration import calibration_table
from imbench.curves import repeat_curves
from imbench.tables import load_metrics, ok_cells, read_predictions, some, write_tables

KEY = ["positive_rate", "classifier", "method"]


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories."""
    _, cells, datasets = load_metrics(input["metrics"])
    rate_of = datasets.set_index("dataset")["positive_rate"]
    tests = defaultdict(list)
    for cell in some(ok_cells(cells)):
        predictions, _ = read_predictions(input["predictions"], cell)
        key = (rate_of[cell["dataset"]], cell["classifier"], cell["method"])
        tests[key].append(predictions[predictions["role"] == "test"])
    pr, roc, pooled = repeat_curves(tests)
    figures.curve_panels(
        pr,
        output["figure_pr_curves"],
        "recall",
        "precision",
        ("random scorer", lambda x, rate: np.full_like(x, rate, dtype=float)),
    )
    figures.curve_panels(
        roc,
        output["figure_roc_curves"],
        "false-positive rate",
        "true-positive rate",
        ("random scorer", lambda x, rate: x),
    )
    diagrams, table = calibration_table(pooled, KEY)
    figures.curve_panels(
        diagrams,
        output["figure_reliability"],
        "predicted (quantile-bin mean)",
        "observed positive rate",
        ("calibrated", lambda x, rate: x),
    )
    write_tables(table, output["table_calibration"])
