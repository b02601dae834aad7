import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from imbench.metrics import expected_cost
from imbench.thresholds import ThresholdRule
from imbench.tuning import select_threshold, threshold_grid


def validation_predictions(X, y, cv):
    """Held-out probabilities of each split, stacked, as the fit step stores them."""
    labels, scores, splits = [], [], []
    for split, (train, held) in enumerate(cv.split(X, y)):
        model = LogisticRegression().fit(X[train], y[train])
        labels.append(y[held])
        scores.append(model.predict_proba(X[held])[:, 1])
        splits.append(np.full(len(held), split))
    return map(np.concatenate, (labels, scores, splits))


@pytest.mark.parametrize(
    "criterion,scoring",
    [
        ("f1", "f1"),
        (10.0, make_scorer(expected_cost, greater_is_better=False, cost_ratio=10.0)),
        (2.0, make_scorer(expected_cost, greater_is_better=False, cost_ratio=2.0)),
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_threshold_matches_tuned_threshold_classifier_cv(criterion, scoring, seed):
    X, y = make_classification(600, weights=[0.9], flip_y=0.05, random_state=seed)
    cv = StratifiedKFold(4, shuffle=True, random_state=seed)
    labels, scores, splits = validation_predictions(X, y, cv)
    ours = select_threshold(labels, scores, splits, criterion, grid_size=200)
    tuned = TunedThresholdClassifierCV(
        LogisticRegression(),
        scoring=scoring,
        cv=cv,
        thresholds=threshold_grid(scores, 200),
    ).fit(X, y)
    assert ours == pytest.approx(tuned.best_threshold_)


def test_cost_threshold_is_near_the_bayes_threshold_for_calibrated_scores():
    rng = np.random.default_rng(0)
    proba = rng.random(200_000) * 0.5
    y = (rng.random(len(proba)) < proba).astype(int)
    chosen = select_threshold(y, proba, np.zeros(len(y)), 10.0, grid_size=500)
    assert chosen == pytest.approx(1 / 11, abs=0.01)


def test_constant_scores_give_no_threshold():
    y = np.array([0, 1, 0, 1])
    assert np.isnan(select_threshold(y, np.full(4, 0.3), np.zeros(4), "f1"))


@pytest.mark.parametrize(
    "name", ["default", "own", "tuned_f1", "tuned_cost_10", "tuned_cost_2.5"]
)
def test_threshold_rule_names_parse_back_to_the_same_rule(name):
    rule = ThresholdRule.parse(name)
    assert rule.name == name
    assert ThresholdRule.parse(rule.name) == rule


@pytest.mark.parametrize("name", ["tuned", "tuned_cost_", "tuned_cost_x", "oracle"])
def test_names_of_no_rule_are_rejected(name):
    with pytest.raises(ValueError, match="is not a threshold rule"):
        ThresholdRule.parse(name)


def test_tuned_cost_rules_of_equal_ratios_are_one_rule():
    assert ThresholdRule.tuned_cost(10) == ThresholdRule.parse("tuned_cost_10")
    assert ThresholdRule.tuned_cost(10).name == "tuned_cost_10"
