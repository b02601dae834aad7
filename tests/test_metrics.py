import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics import geometric_mean_score, specificity_score
from sklearn import metrics as sk

from imbench.metrics import (
    confusion_counts,
    cost_metric,
    decision_metrics,
    expected_cost,
    positive_f1,
    probability_metrics,
)

from .conftest import BOTH_CLASSES

REFERENCES = {
    "accuracy": sk.accuracy_score,
    "balanced_accuracy": sk.balanced_accuracy_score,
    "precision": lambda y, p: sk.precision_score(y, p, zero_division=np.nan),
    "recall": sk.recall_score,
    "specificity": specificity_score,
    "f1": lambda y, p: sk.f1_score(y, p, zero_division=0),
    "f1_macro": lambda y, p: sk.f1_score(y, p, average="macro", zero_division=0),
    "f1_weighted": lambda y, p: sk.f1_score(y, p, average="weighted", zero_division=0),
    "f1_micro": lambda y, p: sk.f1_score(y, p, average="micro"),
    "g_mean": geometric_mean_score,
    "mcc": sk.matthews_corrcoef,
}


@settings(max_examples=60, deadline=None)
@given(labels=BOTH_CLASSES, seed=st.integers(0, 2**16))
def test_decision_metrics_match_scikit_learn(labels, seed):
    y = np.array(labels, dtype=int)
    scores = np.random.default_rng(seed).random(len(y))
    thresholds = np.array([0.0, 0.3, 0.5, 0.9, 1.1])
    values = decision_metrics(
        *confusion_counts(y, scores, thresholds), cost_ratios=[10]
    )
    for i, threshold in enumerate(thresholds):
        predicted = (scores >= threshold).astype(int)
        for name, reference in REFERENCES.items():
            expected = reference(y, predicted)
            assert values[name][i] == pytest.approx(expected, nan_ok=True), name
        assert values[cost_metric(10)][i] == pytest.approx(
            expected_cost(y, predicted, 10)
        )
        assert positive_f1(y, predicted) == pytest.approx(values["f1"][i])


def test_micro_f1_is_accuracy_and_weighted_follows_the_majority():
    y = np.array([1] * 5 + [0] * 95)
    all_negative = decision_metrics(*confusion_counts(y, np.zeros(100), [0.5]))
    assert all_negative["f1_micro"][0] == all_negative["accuracy"][0] == 0.95
    assert all_negative["f1"][0] == 0
    assert all_negative["f1_weighted"][0] > 0.9 > 0.5 > all_negative["f1_macro"][0]
    assert np.isnan(all_negative["precision"][0])


def test_expected_cost_weights_false_negatives():
    y = np.array([1, 1, 0, 0])
    assert expected_cost(y, np.array([0, 1, 0, 0]), 10) == 10 / 4
    assert expected_cost(y, np.array([1, 1, 1, 0]), 10) == 1 / 4


PROBABILITY_REFERENCES = {
    "roc_auc": sk.roc_auc_score,
    "average_precision": sk.average_precision_score,
    "brier": sk.brier_score_loss,
    "log_loss": lambda y, p: sk.log_loss(y, p, labels=[0, 1]),
}


@settings(max_examples=100, deadline=None)
@given(labels=BOTH_CLASSES, seed=st.integers(0, 2**16), decimals=st.integers(1, 6))
def test_probability_metrics_match_scikit_learn(labels, seed, decimals):
    y = np.array(labels, dtype=int)
    rng = np.random.default_rng(seed)
    proba = np.round(rng.random(len(y)), decimals)  # few decimals: many ties
    proba[rng.random(len(y)) < 0.1] = rng.integers(0, 2)  # certain, even if wrong
    if proba.min() == proba.max():
        proba[0] = 0.5 if proba[0] != 0.5 else 0.25
    values = probability_metrics(y, proba)
    for name, reference in PROBABILITY_REFERENCES.items():
        assert values[name] == pytest.approx(reference(y, proba), rel=1e-12), name


def test_probability_metrics_of_a_random_scorer():
    rng = np.random.default_rng(0)
    y = (rng.random(20_000) < 0.1).astype(int)
    values = probability_metrics(y, rng.random(len(y)))
    assert values["roc_auc"] == pytest.approx(0.5, abs=0.02)
    assert values["average_precision"] == pytest.approx(y.mean(), abs=0.01)
    constant = probability_metrics(y, np.full(len(y), y.mean()))
    assert constant["brier"] == pytest.approx(y.mean() * (1 - y.mean()))
