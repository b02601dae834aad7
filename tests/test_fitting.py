"""Cross-validation structure and the proof that nothing learns from a test fold."""

import numpy as np
import pytest
from imblearn import FunctionSampler
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.preprocessing import StandardScaler

from imbench.classifiers import CLASSIFIERS
from imbench.evaluation import evaluate_cell
from imbench.fitting import (
    cross_validate,
    fit_returning_labels,
    outer_splits,
    trained_positive_rate,
)
from imbench.methods import METHODS
from imbench.metrics import expected_cost
from imbench.names import cost_metric
from imbench.records import POOLED, OuterCV, Validation
from imbench.thresholds import ThresholdRule, plan_rules

CV = OuterCV(folds=4, repeats=2, seed=11)
INNER = Validation("inner_cv", inner_folds=3, holdout_fraction=0.25)
NONE = Validation("none", inner_folds=3, holdout_fraction=0.25)


@pytest.fixture
def identified(imbalanced):
    """The dataset with its row number as the first feature."""
    X, y = imbalanced
    return np.column_stack([np.arange(len(y)), X]), y


def recording_pipeline(seen):
    def record(X, y):
        seen.append(X[:, 0].astype(int))
        return X, y

    return Pipeline(
        [
            ("record", FunctionSampler(func=record, validate=False)),
            ("scale", StandardScaler()),
            ("sampler", SMOTE(random_state=0)),
            ("model", LogisticRegression()),
        ]
    )


def test_resampling_and_validation_fits_see_training_rows_only(identified):
    X, y = identified
    seen = []
    cross_validate(X, y, recording_pipeline(seen), CV, INNER)
    fits_per_fold = 1 + INNER.inner_folds
    splits = list(outer_splits(y, CV.folds, CV.repeats, CV.seed))
    assert len(seen) == len(splits) * fits_per_fold
    for i, (_, _, train, test) in enumerate(splits):
        outer, *inner = seen[i * fits_per_fold : (i + 1) * fits_per_fold]
        np.testing.assert_array_equal(np.sort(outer), np.sort(train))
        for rows in inner:
            assert set(rows) < set(train)
            assert not set(rows) & set(test)


def test_predictions_cover_each_sample_once_per_repeat(identified):
    X, y = identified
    result = cross_validate(X, y, recording_pipeline([]), CV, INNER)
    predictions = result.predictions
    test = predictions[predictions["role"] == "test"]
    for _, rows in test.groupby("repeat"):
        assert sorted(rows["sample_index"]) == list(range(len(y)))
    np.testing.assert_array_equal(test["y_true"], y[test["sample_index"]])
    for (_repeat, _fold), rows in predictions.groupby(["repeat", "fold"]):
        held_out = set(rows.loc[rows["role"] == "test", "sample_index"])
        validation = rows[rows["role"] == "validation"]
        assert not held_out & set(validation["sample_index"])
        assert len(validation) + len(held_out) == len(y)  # inner splits cover training
    assert len(result.folds) == CV.folds * CV.repeats


def test_tuned_thresholds_ignore_test_predictions(identified):
    X, y = identified
    result = cross_validate(X, y, recording_pipeline([]), CV, INNER)
    shuffled = result.predictions.copy()
    is_test = shuffled["role"] == "test"
    rng = np.random.default_rng(0)
    shuffled.loc[is_test, "proba"] = rng.random(is_test.sum())
    rules, costs = plan_rules("inner_cv", [10.0]), [10.0]
    original, chosen = evaluate_cell(result.predictions, result.folds, rules, costs)
    perturbed, chosen_again = evaluate_cell(shuffled, result.folds, rules, costs)
    assert chosen == chosen_again
    thresholds = original["metric"] == "threshold"
    np.testing.assert_array_equal(
        original.loc[thresholds, "value"], perturbed.loc[thresholds, "value"]
    )
    f1 = original["metric"] == "f1"
    assert not np.allclose(original.loc[f1, "value"], perturbed.loc[f1, "value"])


def test_folds_are_identical_across_methods(imbalanced):
    X, y = imbalanced
    classifier = CLASSIFIERS["logistic_regression"]
    indices = []
    for method in ("baseline", "smote", "class_weight"):
        estimator = METHODS[method].build(classifier)
        result = cross_validate(X, y, estimator, CV, NONE)
        indices.append(result.predictions[["repeat", "fold", "sample_index"]])
    for other in indices[1:]:
        assert indices[0].equals(other)


def test_holdout_validation_and_no_own_threshold(imbalanced):
    X, y = imbalanced
    estimator = METHODS["baseline"].build(CLASSIFIERS["logistic_regression"])
    holdout = Validation("holdout", inner_folds=3, holdout_fraction=0.25)
    result = cross_validate(X, y, estimator, CV, holdout)
    validation = result.predictions[result.predictions["role"] == "validation"]
    assert set(validation["split"]) == {0}
    per_fold = validation.groupby(["repeat", "fold"]).size()
    assert (per_fold == round(0.25 * len(y) * (CV.folds - 1) / CV.folds)).all()
    rules = [ThresholdRule.parse(n) for n in ("default", "own", "tuned_f1")]
    metrics, chosen = evaluate_cell(result.predictions, result.folds, rules, [10.0])
    assert set(metrics["threshold_rule"]) == {"none", "default", "tuned_f1"}
    assert all(0 < c["thresholds"]["tuned_f1"] < 1 for c in chosen)


def test_a_repeats_decision_metrics_are_those_of_its_pooled_predictions(imbalanced):
    """Each repeat's F1, recall and cost at a rule come from its out-of-fold
    predictions, each fold cut at its own threshold (Forman & Scholz's F1_tp,fp),
    over the folds whose threshold could be tuned; ranking metrics stay per fold."""
    X, y = imbalanced
    estimator = METHODS["baseline"].build(CLASSIFIERS["logistic_regression"])
    holdout = Validation("holdout", inner_folds=3, holdout_fraction=0.25)
    result = cross_validate(X, y, estimator, CV, holdout)
    predictions = result.predictions
    untunable = (predictions["repeat"] == 1) & (predictions["fold"] == 0)
    validation = predictions["role"] == "validation"
    predictions.loc[untunable & validation, "proba"] = 0.3  # nothing to tune on
    rules = [ThresholdRule.parse(n) for n in ("default", "tuned_f1")]
    metrics, chosen = evaluate_cell(predictions, result.folds, rules, [10.0])
    pooled = metrics[metrics["fold"] == POOLED].set_index(
        ["repeat", "threshold_rule", "metric"]
    )["value"]
    assert not {"threshold", "roc_auc"} & set(pooled.index.get_level_values(2))
    test = predictions[predictions["role"] == "test"]
    for repeat in range(CV.repeats):
        for rule in ("default", "tuned_f1"):
            cut = {
                c["fold"]: c["thresholds"][rule]
                for c in chosen
                if c["repeat"] == repeat
            }
            rows = test[test["repeat"] == repeat]
            rows = rows[rows["fold"].map(cut).notna()]
            y_pred = rows["proba"] >= rows["fold"].map(cut)
            y_true = rows["y_true"]
            assert np.isnan(cut[0]) == ((repeat, rule) == (1, "tuned_f1"))
            assert pooled[repeat, rule, "f1"] == pytest.approx(f1_score(y_true, y_pred))
            assert pooled[repeat, rule, "recall"] == pytest.approx(
                recall_score(y_true, y_pred)
            )
            assert pooled[repeat, rule, cost_metric(10.0)] == pytest.approx(
                expected_cost(y_true, y_pred, 10.0)
            )


def test_ensemble_members_are_stored(imbalanced):
    X, y = imbalanced
    estimator = METHODS["undersample_ensemble"].build(
        CLASSIFIERS["logistic_regression"], params={"n_members": 5}
    )
    result = cross_validate(
        X,
        y,
        estimator,
        CV,
        Validation("holdout", inner_folds=3, holdout_fraction=0.3),
        keep_members=True,
    )
    members = result.predictions.filter(like="member_")
    assert members.shape[1] == 5
    assert set(result.predictions["role"]) == {"test", "validation"}
    assert members.notna().all().all()
    np.testing.assert_allclose(members.mean(axis=1), result.predictions["proba"])


@pytest.mark.parametrize(
    "method,params,expected",
    [
        ("baseline", {}, "data"),
        ("class_weight", {}, 0.5),
        ("smote", {}, 0.5),
        ("random_undersample", {"sampling_strategy": 0.5}, 1 / 3),
        ("random_oversample", {"sampling_strategy": 0.25}, 0.2),
        ("smote_class_weight", {"sampling_strategy": 0.5}, 0.5),
        ("undersample_ensemble", {"n_members": 2}, 0.5),
        ("focal_loss", {}, "data"),
    ],
)
def test_the_rate_a_model_trained_at_is_measured(imbalanced, method, params, expected):
    """What the cost table's prior correction starts from: the training fold's rate
    after resampling and class weights, not an assumed 0.5."""
    X, y = imbalanced
    entry = METHODS[method]
    estimator = entry.build(CLASSIFIERS["logistic_regression"], params=params)
    y_trained = fit_returning_labels(estimator, X, y)
    rate = trained_positive_rate(estimator, y_trained, entry.recipe.balances_inside)
    assert rate == pytest.approx(y.mean() if expected == "data" else expected, abs=2e-3)


@pytest.mark.parametrize("method", ["smote", "random_undersample", "smote_tomek"])
def test_fitting_in_two_parts_predicts_bit_for_bit_as_the_pipelines_fit(
    imbalanced, method
):
    X, y = imbalanced
    build = METHODS[method].build
    whole = build(CLASSIFIERS["logistic_regression"], seed=3).fit(X, y)
    parts = build(CLASSIFIERS["logistic_regression"], seed=3)
    y_trained = fit_returning_labels(parts, X, y)
    np.testing.assert_array_equal(whole.predict_proba(X), parts.predict_proba(X))
    assert len(y_trained) != len(y)  # the model saw the resampled set
