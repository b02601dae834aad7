"""Rule ``curves``: per source, precision-recall and ROC curves (vertically averaged
over its dataset instances and repeats; sources are never averaged together),
reliability diagrams of the pooled out-of-fold probabilities, and a calibration
table (mean predicted against observed rate, expected calibration error)."""

from collections import defaultdict

import numpy as np
import pandas as pd

from imbench import figures
from imbench.calibration import calibration_table
from imbench.curves import repeat_curves
from imbench.tables import load_metrics, ok_cells, read_predictions, some, write_tables

KEY = ["positive_rate", "classifier", "method"]


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories; ``params``:
    ``source_panels``, the sources in the order of the figures' panels (each
    figure's PDF and PNG in turn in its output)."""
    _, cells, datasets = load_metrics(input["metrics"])
    of_dataset = datasets.set_index("dataset")
    tests = defaultdict(lambda: defaultdict(list))
    learnt = defaultdict(set)  # the keys with a model that learnt something
    for cell in some(ok_cells(cells)):
        predictions, _ = read_predictions(input["predictions"], cell)
        dataset = of_dataset.loc[cell["dataset"]]
        key = (dataset["positive_rate"], cell["classifier"], cell["method"])
        tests[dataset["source"]][key].append(predictions[predictions["role"] == "test"])
        if not cell.get("degenerate"):
            learnt[dataset["source"]].add(key)
    tables = []
    for index, source in enumerate(params["source_panels"]):
        paths = {
            name: output[f"figure_{name}"][2 * index : 2 * index + 2]
            for name in ("pr_curves", "roc_curves", "reliability")
        }
        if source not in tests:
            for pair in paths.values():
                figures.note(pair, f"{source}: no cell ran")
            continue
        pr, roc, pooled = repeat_curves(tests[source])
        degenerate = set(tests[source]) - learnt[source]
        figures.curve_panels(
            pr,
            paths["pr_curves"],
            "recall",
            "precision",
            ("random scorer", lambda x, rate: np.full_like(x, rate, dtype=float)),
            f"{source}: precision-recall curves (mean over instances and repeats)",
            degenerate,
        )
        figures.curve_panels(
            roc,
            paths["roc_curves"],
            "false-positive rate",
            "true-positive rate",
            ("random scorer", lambda x, rate: x),
            f"{source}: ROC curves (mean over instances and repeats)",
            degenerate,
        )
        diagrams, table = calibration_table(pooled, KEY)
        figures.reliability(
            diagrams,
            paths["reliability"],
            f"{source}: reliability of the pooled out-of-fold probabilities (ten "
            "quantile bins, log-odds axes)",
            degenerate,
        )
        tables.append(table.assign(source=source))
    table = pd.concat(some(tables), ignore_index=True)
    write_tables(table[["source", *table.columns[:-1]]], output["table_calibration"])
