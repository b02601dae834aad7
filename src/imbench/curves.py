"""Curves on common grids, so that they can be averaged: ROC and precision-recall
(vertical averaging, Fawcett 2006), and metrics of an ensemble against its size."""

import numpy as np
import pandas as pd

from imbench.metrics import (
    confusion_counts,
    decision_metrics,
    probability_metrics,
    ranking_counts,
    roc_points,
)
from imbench.records import POOLED

GRID = np.linspace(0, 1, 101)  # where curves are sampled, to be averaged


def roc_on_grid(y_true, proba, grid):
    """True-positive rate at each false-positive rate of ``grid``."""
    return np.interp(grid, *roc_points(y_true, proba))


def precision_on_grid(y_true, proba, grid):
    """Interpolated precision (the best precision at recall >= r) at each recall of
    ``grid``."""
    tp, fp = ranking_counts(y_true, proba)
    recall, precision = np.r_[0, tp / tp[-1]], np.r_[1, tp / (tp + fp)]
    best_from = np.maximum.accumulate(precision[::-1])[::-1]
    index = np.minimum(np.searchsorted(recall, grid, side="left"), len(recall) - 1)
    return best_from[index]


def repeat_curves(tests):
    """Each repeat's precision-recall and ROC curves on ``GRID``, and the pooled
    out-of-fold predictions, per key. ``tests`` maps a key (positive rate,
    classifier, method) to its cells' test predictions, one frame per cell.

    Returns
    -------
    pr, roc : dict
        key -> ``(GRID, curves)``, a curve per repeat that holds both classes.
    pooled : dict
        key -> ``(y, proba)``, every repeat's, concatenated.
    """
    pr, roc, pooled = {}, {}, {}
    for key, frames in tests.items():
        ys, probas, pr_curves, roc_curves = [], [], [], []
        for frame in frames:
            for _, repeat in frame.groupby("repeat"):
                y, proba = repeat["y_true"].to_numpy(), repeat["proba"].to_numpy()
                ys.append(y)
                probas.append(proba)
                if y.min() < y.max():  # a curve needs both classes
                    pr_curves.append(precision_on_grid(y, proba, GRID))
                    roc_curves.append(roc_on_grid(y, proba, GRID))
        if pr_curves:
            pr[key], roc[key] = (GRID, pr_curves), (GRID, roc_curves)
        pooled[key] = (np.concatenate(ys), np.concatenate(probas))
    return pr, roc, pooled


def ensemble_curves(predictions):
    """Metrics of the ensemble of the first k members, k = 1..N, scored as the
    cells' metrics are (``tables.scored_rows``): average precision and Brier per
    fold, F1 at 0.5 per repeat from its folds' pooled confusion counts (fold
    ``records.POOLED``; NaN where the other is given).

    Returns
    -------
    DataFrame
        ``repeat, fold, members, average_precision, brier, f1``.
    """
    test = predictions[predictions["role"] == "test"]
    member_columns = sorted(c for c in test.columns if c.startswith("member_"))
    sizes = np.arange(1, len(member_columns) + 1)
    rows, pooled = [], {}
    for (repeat, fold), rows_ in test.groupby(["repeat", "fold"]):
        y = rows_["y_true"].to_numpy()
        probas = np.cumsum(rows_[member_columns].to_numpy(), axis=1) / sizes
        counts = np.zeros((4, len(sizes)), np.int64)
        for k, proba in zip(sizes, probas.T, strict=True):
            scores = probability_metrics(y, proba, ["average_precision", "brier"])
            rows.append(
                (repeat, fold, k, scores["average_precision"], scores["brier"], np.nan)
            )
            counts[:, k - 1] = np.ravel(confusion_counts(y, proba, [0.5]))
        pooled[repeat] = pooled.get(repeat, 0) + counts
    for repeat, counts in pooled.items():
        f1 = decision_metrics(*counts)["f1"]
        rows.extend((repeat, POOLED, k, np.nan, np.nan, f1[k - 1]) for k in sizes)
    return pd.DataFrame(
        rows, columns=["repeat", "fold", "members", "average_precision", "brier", "f1"]
    )
