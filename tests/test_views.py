"""Threshold methods are views of the baseline cell: no fit, and equal to
scikit-learn's ``TunedThresholdClassifierCV`` given the same splits and grid."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from imbench.classifiers import CLASSIFIERS
from imbench.fitting import cross_validate, outer_splits, validation_splits
from imbench.methods import METHODS, ThresholdView
from imbench.metrics import expected_cost, positive_f1
from imbench.records import CellRecord, FitParams, OuterCV, Validation
from imbench.seeds import seed_from
from imbench.tuning import threshold_grid
from imbench.views import view_record

CV = OuterCV(folds=3, repeats=2, seed=5)
SCORING = {
    "threshold_f1": make_scorer(positive_f1),
    "threshold_cost": make_scorer(
        expected_cost, greater_is_better=False, cost_ratio=10.0
    ),
}
SMALL = {"random_forest": {"n_estimators": 20}}


def baseline_cell(X, y, classifier, validation):
    base = CLASSIFIERS[classifier]
    estimator = METHODS["baseline"].build(base, SMALL.get(classifier), seed=4)
    result = cross_validate(X, y, estimator, CV, validation)
    params = FitParams(SMALL.get(classifier, {}), {}, 4, CV, validation)
    record = CellRecord("data", classifier, "baseline", params, {}, folds=result.folds)
    return estimator, result.predictions, record


@pytest.mark.parametrize("method", ["threshold_f1", "threshold_cost"])
@pytest.mark.parametrize("classifier", ["logistic_regression", "random_forest"])
def test_a_threshold_view_is_tuned_threshold_classifier_cv(
    method, classifier, imbalanced
):
    """Per outer fold, ``TunedThresholdClassifierCV`` of the baseline on the training
    fold, with the baseline cell's inner splits and grid, picks the view's threshold
    and predicts the view's probabilities and labels, bit for bit."""
    X, y = imbalanced
    validation = Validation("inner_cv", inner_folds=3, holdout_fraction=0.25)
    estimator, predictions, baseline = baseline_cell(X, y, classifier, validation)
    view = view_record(
        baseline, predictions, method, {}, METHODS[method].criterion(), 100
    )
    splits = outer_splits(y, CV.folds, CV.repeats, CV.seed)
    for (repeat, fold, train, _), record in zip(splits, view.folds, strict=True):
        inner_seed = seed_from(CV.seed, "validation", repeat, fold)
        held_out = predictions[
            (predictions["repeat"] == repeat) & (predictions["fold"] == fold)
        ]
        scores = held_out.loc[held_out["role"] == "validation", "proba"]
        tuned = TunedThresholdClassifierCV(
            clone(estimator),
            scoring=SCORING[method],
            cv=validation_splits(y[train], validation, inner_seed),
            thresholds=threshold_grid(scores, 100),
        ).fit(X[train], y[train])
        assert record["own_threshold"] == tuned.best_threshold_
        test = held_out[held_out["role"] == "test"]
        rows = test["sample_index"].to_numpy()
        np.testing.assert_array_equal(test["proba"], tuned.predict_proba(X[rows])[:, 1])
        np.testing.assert_array_equal(
            test["proba"] >= record["own_threshold"], tuned.predict(X[rows]) == 1
        )


def test_the_cost_view_tunes_lower_than_the_f1_view_on_a_holdout(imbalanced):
    """A false negative costing 10x pushes the threshold down; a holdout (one split)
    serves as well as inner folds."""
    X, y = imbalanced
    holdout = Validation("holdout", inner_folds=3, holdout_fraction=0.25)
    _, predictions, baseline = baseline_cell(X, y, "logistic_regression", holdout)
    thresholds = {
        method: [
            record["own_threshold"]
            for record in view_record(
                baseline, predictions, method, {}, METHODS[method].criterion(), 100
            ).folds
        ]
        for method in ("threshold_f1", "threshold_cost")
    }
    cost, f1 = (
        np.array(thresholds["threshold_cost"]),
        np.array(thresholds["threshold_f1"]),
    )
    assert np.all((cost > 0) & (cost < 0.5))
    assert np.all(cost <= f1) and cost.mean() < f1.mean()


def test_a_view_of_a_baseline_that_did_not_run_says_why():
    params = FitParams({}, {}, 4, CV, Validation("none", 3, 0.25))
    failed = CellRecord("data", "logistic_regression", "baseline", params, {})
    failed.fail("failed", "ValueError: boom")
    stored = {**failed.to_json(), "identity": {"method": "baseline"}, "checksum": "x"}
    view = view_record(
        CellRecord.from_json(stored), None, "threshold_f1", {}, "f1", 100
    ).to_json()
    assert view["status"] == "failed"
    assert view["reason"] == "its baseline is failed: ValueError: boom"
    assert view["method"] == "threshold_f1" and view["view_of"] == "baseline"
    assert "identity" not in view and "checksum" not in view


def test_views_fit_nothing():
    assert {name for name, m in METHODS.items() if isinstance(m, ThresholdView)} == {
        "threshold_f1",
        "threshold_cost",
    }
    assert METHODS["threshold_cost"].criterion({"cost_ratio": 5}) == 5.0
    assert METHODS["threshold_cost"].criterion() == 10.0
    assert METHODS["threshold_f1"].criterion() == "f1"
