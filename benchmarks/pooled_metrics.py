"""How far fold-averaged F1 and average precision are from those of each repeat's
pooled out-of-fold predictions, and how many verdicts the choice moves.

Reads a finished run's results (default: results/), prints one Markdown table per
positive rate: for F1 at 0.5 and at the tuned threshold and for average precision,
the mean fold-averaged value, the mean pooled value (F1 from the folds' confusion
counts summed over a repeat, Forman & Scholz 2010's F1_tp,fp; AP of a repeat's
concatenated out-of-fold probabilities), their mean and largest gap, and the
ratio-sweep verdicts that differ when each instance's value is the pooled one.

    .venv/bin/python benchmarks/pooled_metrics.py results/
"""

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from imbench.comparisons import gains_over
from imbench.metrics import average_precision, confusion_counts, decision_metrics
from imbench.stats import Equivalence
from imbench.tables import load_metrics, ok_cells, read_predictions

PANELS = [("f1", "default"), ("f1", "tuned_f1"), ("average_precision", "none")]


def pooled_rows(metrics, cells, prediction_dirs):
    """Per cell and repeat: the pooled value of each panel, as metric rows with fold
    -1 (so that ``tables`` averages them over repeats as it does folds)."""
    thresholds = metrics[metrics["metric"] == "threshold"].set_index(
        ["dataset", "classifier", "method", "repeat", "fold", "threshold_rule"]
    )["value"]
    rows = []
    for cell in ok_cells(cells):
        predictions, _ = read_predictions(prediction_dirs, cell)
        test = predictions[predictions["role"] == "test"]
        key = (cell["dataset"], cell["classifier"], cell["method"])
        for repeat, folds in test.groupby("repeat"):
            y, proba = folds["y_true"].to_numpy(), folds["proba"].to_numpy()
            values = {("average_precision", "none"): average_precision(y, proba)}
            for rule in ("default", "tuned_f1", "own"):
                counts = np.zeros(4)
                for fold, part in folds.groupby("fold"):
                    threshold = thresholds.get((*key, repeat, fold, rule), np.nan)
                    if np.isnan(threshold):
                        break
                    found = confusion_counts(
                        part["y_true"].to_numpy(),
                        part["proba"].to_numpy(),
                        np.array([threshold]),
                    )
                    counts += np.array([c[0] for c in found])
                else:
                    values["f1", rule] = decision_metrics(*counts[:, None])["f1"][0]
            rows.extend(
                {
                    "dataset": key[0],
                    "classifier": key[1],
                    "method": key[2],
                    "repeat": repeat,
                    "fold": -1,
                    "threshold_rule": rule,
                    "metric": metric,
                    "value": value,
                }
                for (metric, rule), value in values.items()
            )
    pooled = pd.DataFrame(rows)
    cell = ["dataset", "classifier", "method"]
    info = metrics.groupby(cell, as_index=False).agg(
        source=("source", "first"),
        positive_rate=("positive_rate", "first"),
        observation=("observation", "first"),
        identical=("identical", "any"),  # a copy of the baseline but at "own"
        degenerate=("degenerate", "any"),
    )
    pooled = pooled.merge(info, on=cell)
    return pooled.assign(
        identical=pooled["identical"] & (pooled["threshold_rule"] != "own")
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results", type=Path)
    args = parser.parse_args(argv)
    paths = sorted((args.results / "metrics").glob("*.parquet"))
    metrics, cells, _ = load_metrics(paths)
    prediction_dirs = sorted((args.results / "predictions").iterdir())
    pooled = pooled_rows(metrics, cells, prediction_dirs)
    keys = ["dataset", "classifier", "method", "threshold_rule", "metric"]
    folded = metrics.groupby([*keys, "positive_rate"], as_index=False)["value"].mean()
    both = folded.merge(
        pooled.groupby(keys, as_index=False)["value"].mean(),
        on=keys,
        suffixes=("_folds", "_pooled"),
    )
    equivalence = Equivalence()
    rows = []
    for (metric, rule), rate in itertools.product(
        PANELS, sorted(both["positive_rate"].unique())
    ):
        cells = both[
            (both["metric"] == metric)
            & (both["threshold_rule"] == rule)
            & (both["positive_rate"] == rate)
        ].dropna()
        gap = cells["value_folds"] - cells["value_pooled"]
        folds_verdicts, pooled_verdicts = (
            gains_over(
                frame[frame["positive_rate"] == rate], metric, rule, equivalence
            ).set_index(["classifier", "method"])["verdict"]
            for frame in (metrics, pooled)
        )
        judged = ~folds_verdicts.isin(["identical", "degenerate"])
        changed = folds_verdicts != pooled_verdicts.reindex(folds_verdicts.index)
        rows.append(
            {
                "metric": f"{metric} @ {rule}",
                "positive rate": rate,
                "cells": len(cells),
                "fold-averaged": cells["value_folds"].mean(),
                "pooled": cells["value_pooled"].mean(),
                "mean gap": gap.mean(),
                "largest gap": gap.abs().max(),
                "verdicts": judged.sum(),
                "changed": (changed & judged).sum(),
            }
        )
    print(pd.DataFrame(rows).to_markdown(index=False, floatfmt=".4g"))


if __name__ == "__main__":
    sys.exit(main())
