"""scikit-learn's histogram gradient boosting with its weighted binning made fast.

Since scikit-learn 1.9 the bin edges of a weighted fit (``class_weight`` or
``sample_weight``) are weighted quantiles, found by one ``_weighted_percentile`` call
per edge: 255 sorts of every feature, which made ``class_weight`` cost 18x its baseline
on the default config (scikit-learn PR #34248 fixes it upstream, in no release yet).
``HistGradientBoosting`` finds the same edges in one vectorised pass per feature: its
bins, and so its models, are scikit-learn's bit for bit (tested), only sooner. It
extends private binning code, so ``pyproject.toml`` pins scikit-learn to 1.9; drop
both once a release has the fix.
"""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.binning import (
    _BinMapper,
    _find_binning_thresholds,
)
from sklearn.ensemble._hist_gradient_boosting.common import ALMOST_INF, X_DTYPE
from sklearn.utils import check_array

EPSILON = np.finfo(np.float64).eps  # what _weighted_percentile compares against


def weighted_thresholds(col_data, max_bins, sample_weight):
    """scikit-learn's ``_find_binning_thresholds(col_data, max_bins, sample_weight)``
    with the weighted percentiles of all edges from one sort and one cumulative sum
    (scikit-learn's ``_weighted_percentile`` with ``average=True``, step for step)."""
    keep = ~np.isnan(col_data) & (sample_weight != 0)
    values, weights = col_data[keep], sample_weight[keep]
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    if len(np.unique(values)) <= max_bins:  # midpoints of the values: no percentiles
        return _find_binning_thresholds(col_data, max_bins, sample_weight)
    resorted = np.argsort(values)  # _weighted_percentile sorts its input again
    cdf = np.cumsum(weights[resorted])
    percentiles = np.linspace(0, 100, num=max_bins + 1)[1:-1]
    ranks = percentiles / 100 * cdf[-1]
    last = len(values) - 1
    at = np.minimum(np.searchsorted(cdf, ranks), last)
    low = values[resorted[at]]
    high = values[resorted[np.minimum(at + 1, last)]]
    thresholds = np.where(cdf[at] - ranks > EPSILON, low, (low + high) / 2)
    thresholds = np.unique(thresholds)  # sorted already: only drops repeats
    return np.clip(thresholds, a_min=None, a_max=ALMOST_INF)


class WeightedBinMapper(_BinMapper):
    """scikit-learn's bin mapper, with weighted edges from ``weighted_thresholds``."""

    def fit(self, X, y=None, sample_weight=None):
        subsampled = self.subsample is not None and X.shape[0] > self.subsample
        if sample_weight is None or subsampled:  # scikit-learn's own fast paths
            return super().fit(X, y, sample_weight)
        super().fit(X)  # checks and categories; the weighted edges replace its own
        X = check_array(X, dtype=[X_DTYPE], ensure_all_finite=False)
        for feature in np.flatnonzero(self.is_categorical_ == 0):
            edges = weighted_thresholds(X[:, feature], self.n_bins - 1, sample_weight)
            self.bin_thresholds_[feature] = edges
            self.n_bins_non_missing_[feature] = len(edges) + 1
        return self


class HistGradientBoosting(HistGradientBoostingClassifier):
    """``HistGradientBoostingClassifier`` binning weighted data with
    ``WeightedBinMapper``; every parameter and result is scikit-learn's."""

    def _bin_data(self, X, sample_weight, is_training_data):
        if is_training_data:  # fit made a _BinMapper just before
            self._bin_mapper = WeightedBinMapper(**self._bin_mapper.get_params())
        return super()._bin_data(X, sample_weight, is_training_data)
