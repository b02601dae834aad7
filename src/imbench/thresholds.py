"""Decision thresholds chosen from validation predictions on training data.

scikit-learn tunes a threshold only inside a fitted ``TunedThresholdClassifierCV``; here
the validation predictions are stored, so any criterion can be applied later without a
refit. The selection is the same as scikit-learn's: score each validation split on a
common grid, average across splits, take the best.
"""

import numpy as np

from imbench.metrics import confusion_counts, cost_metric, decision_metrics


def criterion_name(criterion):
    """Threshold-rule name of a criterion: ``tuned_f1`` or ``tuned_cost_<ratio>``."""
    return f"tuned_{criterion}" if criterion == "f1" else f"tuned_cost_{criterion:g}"


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
