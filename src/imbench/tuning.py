"""Thresholds tuned on validation predictions from the training fold.

scikit-learn tunes a threshold only inside a fitted ``TunedThresholdClassifierCV``; here
the validation predictions are stored, so any criterion can be applied later without a
refit. The selection is the same as scikit-learn's: score each validation split on a
common grid, average across splits, take the best.
"""

import numpy as np

from imbench.metrics import confusion_counts, decision_metrics
from imbench.names import cost_metric
from imbench.thresholds import DEFAULT_THRESHOLD


def threshold_grid(scores, size=100):
    """``size`` evenly spaced candidate thresholds from the lowest to highest score,
    as ``TunedThresholdClassifierCV(thresholds=size)``."""
    return np.linspace(np.min(scores), np.max(scores), num=size)


def criterion_curve(y_true, scores, grid, criterion):
    """The criterion at each grid threshold, higher is better.

    ``criterion`` is ``"f1"`` or a FN:FP cost ratio (a number), whose expected cost is
    negated.
    """
    counts = confusion_counts(y_true, scores, grid)
    if criterion == "f1":
        return decision_metrics(*counts)["f1"]
    return -decision_metrics(*counts, cost_ratios=[criterion])[cost_metric(criterion)]


def select_threshold(y_true, scores, splits, criterion, grid_size=100):
    """Best threshold for ``criterion`` averaged over validation splits.

    Parameters
    ----------
    y_true, scores : ndarray of shape (n,)
        Validation labels and positive-class probabilities, all splits stacked.
    splits : ndarray of shape (n,)
        Which validation split each row belongs to.
    criterion : "f1" or float
        Maximise F1, or minimise expected cost at this FN:FP ratio.
    grid_size : int
        Number of candidate thresholds.

    Returns
    -------
    float
        The threshold; NaN when all validation scores are equal (nothing to tune).
    """
    scores = np.asarray(scores)
    if scores.size == 0 or np.isclose(scores.min(), scores.max()):
        return np.nan
    grid = threshold_grid(scores, grid_size)
    curves = [
        criterion_curve(
            y_true[splits == split], scores[splits == split], grid, criterion
        )
        for split in np.unique(splits)
    ]
    return float(grid[np.argmax(np.mean(curves, axis=0))])


def fold_thresholds(validation, own_threshold, rules, grid_size):
    """Threshold of one fold under each rule (``ThresholdRule``): 0.5 for ``default``,
    ``own_threshold`` for ``own`` (left out when the method tuned none), tuned on the
    ``validation`` predictions for tuned rules (NaN when nothing can be tuned).

    Returns
    -------
    dict of str to float
        By rule name, in the order of ``rules``.
    """
    y_val = validation["y_true"].to_numpy()
    scores = validation["proba"].to_numpy()
    splits = validation["split"].to_numpy()
    thresholds = {}
    for rule in rules:
        if rule.kind == "default":
            thresholds[rule.name] = DEFAULT_THRESHOLD
        elif rule.kind == "own":
            if own_threshold is not None:
                thresholds[rule.name] = own_threshold
        else:
            thresholds[rule.name] = select_threshold(
                y_val, scores, splits, rule.criterion, grid_size
            )
    return thresholds
