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

import pandas as pd

from imbench.comparisons import gains_over
from imbench.metrics import average_precision
from imbench.records import CELL_KEYS, POOLED
from imbench.stats import Equivalence
from imbench.tables import load_metrics, ok_cells, read_predictions

PANELS = [("f1", "default"), ("f1", "tuned_f1"), ("average_precision", "none")]


def pooled_average_precision(metrics, cells, prediction_dirs):
    """Per cell and repeat: the AP of its concatenated out-of-fold probabilities,
    as metric rows with fold 0 (the decision metrics' pooled rows are in the
    metrics files already, fold ``records.POOLED``)."""
    rows = []
    for cell in ok_cells(cells):
        predictions, _ = read_predictions(prediction_dirs, cell)
        test = predictions[predictions["role"] == "test"]
        rows.extend(
            {
                **{key: cell[key] for key in CELL_KEYS},
                "repeat": repeat,
                "fold": 0,
                "threshold_rule": "none",
                "metric": "average_precision",
                "value": average_precision(
                    folds["y_true"].to_numpy(), folds["proba"].to_numpy()
                ),
            }
            for repeat, folds in test.groupby("repeat")
        )
    info = metrics.groupby(CELL_KEYS, as_index=False).agg(
        source=("source", "first"),
        positive_rate=("positive_rate", "first"),
        observation=("observation", "first"),
        identical=("identical", "all"),
        degenerate=("degenerate", "any"),
    )
    return pd.DataFrame(rows).merge(info, on=CELL_KEYS)


def both_scorings(metrics, cells, prediction_dirs):
    """``(fold-averaged, pooled)``: the panels' rows, each scored one way, in the
    form ``tables.select`` reads (a decision metric's rows at fold POOLED)."""
    f1 = metrics[metrics["metric"] == "f1"]
    ap = metrics[metrics["metric"] == "average_precision"]
    fold_averaged = pd.concat(
        [f1[f1["fold"] != POOLED].assign(fold=POOLED), ap], ignore_index=True
    )
    pooled = pd.concat(
        [
            f1[f1["fold"] == POOLED],
            pooled_average_precision(metrics, cells, prediction_dirs),
        ],
        ignore_index=True,
    )
    return fold_averaged, pooled


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results", type=Path)
    args = parser.parse_args(argv)
    paths = sorted((args.results / "metrics").glob("*.parquet"))
    metrics, cells, _ = load_metrics(paths)
    prediction_dirs = sorted((args.results / "predictions").iterdir())
    scorings = both_scorings(metrics, cells, prediction_dirs)
    keys = [*CELL_KEYS, "threshold_rule", "metric", "positive_rate"]
    folded, pooled = (s.groupby(keys, as_index=False)["value"].mean() for s in scorings)
    both = folded.merge(pooled, on=keys, suffixes=("_folds", "_pooled"))
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
            for frame in scorings
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
