"""Calibration of pooled out-of-fold probabilities: reliability curves and the
expected calibration error."""

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve

CALIBRATION_BINS = 10


def reliability(y_true, proba, n_bins=CALIBRATION_BINS):
    """Reliability curve over quantile bins: ``(mean predicted, observed rate)``."""
    observed, predicted = calibration_curve(
        y_true, proba, n_bins=n_bins, strategy="quantile"
    )
    return predicted, observed


def calibration_error(y_true, proba, n_bins=CALIBRATION_BINS):
    """Expected calibration error over quantile bins (the bins of scikit-learn's
    ``calibration_curve(strategy="quantile")``; scikit-learn has no ECE itself): the
    mean over samples of |observed - predicted rate| in their bin."""
    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.percentile(proba, np.linspace(0, 100, n_bins + 1))
    bins = np.searchsorted(edges[1:-1], proba)
    counts = np.bincount(bins, minlength=n_bins)
    observed = np.bincount(bins, weights=y_true, minlength=n_bins)
    predicted = np.bincount(bins, weights=proba, minlength=n_bins)
    return float(np.abs(observed - predicted).sum() / counts.sum())


def calibration_table(pooled, key_names):
    """Reliability diagrams and the calibration table of pooled predictions:
    ``pooled`` maps a key (named ``key_names``) to ``(y, proba)``. Returns the
    diagrams (key -> ``(mean predicted, [observed])``) and one row per key, in key
    order: observed rate, mean predicted, expected calibration error."""
    rows, diagrams = [], {}
    for key, (y, proba) in sorted(pooled.items()):
        predicted, observed = reliability(y, proba)
        diagrams[key] = (predicted, [observed])
        rows.append(
            dict(
                zip(key_names, key, strict=True),
                observed_rate=y.mean(),
                mean_predicted=proba.mean(),
                expected_calibration_error=calibration_error(y, proba),
            )
        )
    return diagrams, pd.DataFrame(rows)
