"""imbench's histogram gradient boosting is scikit-learn's, bit for bit, whatever the
weights: only its weighted binning is vectorised."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier, HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.binning import _find_binning_thresholds

from imbench.classifiers import CLASSIFIERS
from imbench.hist_gradient_boosting import (
    HistGradientBoosting,
    WeightedBinMapper,
    weighted_thresholds,
)


@st.composite
def weighted_columns(draw):
    """A feature column with ties, NaNs or few distinct values, and weights with
    zeros, repeats and large class-weight-like ratios."""
    n = draw(st.integers(2, 1500))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=n)
    shape = draw(st.sampled_from(["smooth", "rounded", "integers", "nan", "few"]))
    if shape == "rounded":
        x = np.round(x, 1)
    elif shape == "integers":
        x = rng.integers(0, 400, size=n).astype(float)
    elif shape == "nan":
        x[rng.random(n) < 0.3] = np.nan
    elif shape == "few":
        x = rng.integers(0, 5, size=n).astype(float)
    levels = draw(st.sampled_from([[0.7], [0.5, 30.0], [0.0, 1.0, 49.5]]))
    weights = rng.choice(levels, size=n)
    max_bins = draw(st.sampled_from([255, 63, 10]))
    return x, max_bins, weights


@settings(max_examples=300, deadline=None)
@given(weighted_columns())
def test_weighted_edges_are_scikit_learns(column):
    x, max_bins, weights = column
    try:
        theirs = _find_binning_thresholds(x, max_bins, sample_weight=weights)
    except ValueError as error:  # e.g. every weight zero: the same refusal
        with pytest.raises(ValueError, match=str(error)):
            weighted_thresholds(x, max_bins, weights)
        return
    ours = weighted_thresholds(x, max_bins, weights)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def data(n=600, rate=0.05, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    X[:, 5] = rng.integers(0, 4, size=n)  # a categorical feature
    X[rng.random((n, 6)) < 0.02] = np.nan
    y = (X[:, 0] + rng.normal(size=n) > 1.645 + 2 * (rate < 0.05)).astype(int)
    return X, y


FITS = {
    "class weights": ({"class_weight": "balanced"}, {}),
    "no weights": ({}, {}),
    "sample weights": ({}, {"sample_weight": "ramp"}),
    "categorical, class weights": (
        {"class_weight": "balanced", "categorical_features": [5]},
        {},
    ),
    "early stopping": ({"class_weight": "balanced", "early_stopping": True}, {}),
}


@pytest.mark.parametrize("fit", sorted(FITS))
def test_models_are_scikit_learns_bit_for_bit(fit):
    params, fit_params = FITS[fit]
    X, y = data()
    if fit_params.get("sample_weight") == "ramp":
        fit_params = {"sample_weight": np.linspace(0.1, 3.0, len(y))}
    settings = {"max_iter": 20, "random_state": 3, **params}
    ours = HistGradientBoosting(**settings).fit(X, y, **fit_params)
    theirs = HistGradientBoostingClassifier(**settings).fit(X, y, **fit_params)
    assert isinstance(ours._bin_mapper, WeightedBinMapper)  # the override ran
    for a, b in zip(
        ours._bin_mapper.bin_thresholds_,
        theirs._bin_mapper.bin_thresholds_,
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


def test_boosting_rounds_with_changing_weights_are_scikit_learns():
    """AdaBoost (RUSBoost, EasyEnsemble) reweights every round."""
    X, y = data(seed=1)
    X = np.nan_to_num(X)
    member = {"max_iter": 5, "random_state": 0}
    ours = AdaBoostClassifier(HistGradientBoosting(**member), n_estimators=3)
    theirs = AdaBoostClassifier(
        HistGradientBoostingClassifier(**member), n_estimators=3
    )
    ours.set_params(random_state=0).fit(X, y)
    theirs.set_params(random_state=0).fit(X, y)
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


def test_the_registry_builds_it_and_it_clones():
    model = CLASSIFIERS["hist_gradient_boosting"].build({"max_iter": 7}, seed=2)
    assert isinstance(model, HistGradientBoosting)
    assert clone(model).get_params() == model.get_params()
    defaults = HistGradientBoostingClassifier().get_params()
    assert set(model.get_params()) == set(defaults)
