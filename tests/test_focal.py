import numpy as np
import pytest
from scipy.optimize import approx_fprime
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from imbench.focal import FocalLossClassifier, focal_loss


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(300, n_features=6, weights=[0.8], random_state=3)
    return X, y


@pytest.mark.parametrize("gamma,alpha", [(0.0, 0.5), (2.0, 0.25), (0.5, 0.9)])
def test_loss_gradient_matches_finite_differences(gamma, alpha):
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3, size=50)
    y = rng.integers(0, 2, size=50).astype(float)
    _, grad = focal_loss(logits, y, gamma, alpha)
    for i in range(50):

        def one(z, i=i):
            shifted = logits.copy()
            shifted[i] = z[0]
            return focal_loss(shifted, y, gamma, alpha)[0][i]

        numeric = approx_fprime(logits[i : i + 1], one, 1e-7)[0]
        assert grad[i] == pytest.approx(numeric, rel=1e-4, abs=1e-6)


def test_gamma_zero_alpha_half_is_half_cross_entropy():
    logits = np.linspace(-5, 5, 11)
    y = (np.arange(11) % 2).astype(float)
    loss, _ = focal_loss(logits, y, 0.0, 0.5)
    p = 1 / (1 + np.exp(-logits))
    cross_entropy = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(loss, 0.5 * cross_entropy, rtol=1e-12)


def test_focusing_down_weights_easy_examples():
    easy, hard = focal_loss(np.array([4.0, -1.0]), np.array([1.0, 1.0]), 2.0, 0.5)[0]
    ce_easy, ce_hard = focal_loss(np.array([4.0, -1.0]), np.array([1.0, 1.0]), 0, 0.5)[
        0
    ]
    assert easy / hard < ce_easy / ce_hard


@pytest.mark.parametrize("hidden", [(), (5,), (4, 3)])
def test_objective_gradient_matches_finite_differences(data, hidden):
    X, y = data
    model = FocalLossClassifier(hidden_layer_sizes=hidden, l2=0.3)
    shapes = model._shapes(X.shape[1])
    flat = model._initial_weights(shapes, np.random.RandomState(0))
    flat = flat + np.random.default_rng(1).normal(scale=0.1, size=flat.size)
    weights = np.random.default_rng(2).uniform(0.5, 2.0, size=40)  # weighted too
    args = (X[:40], y[:40].astype(float), weights, shapes)
    _, grad = model._objective(flat, *args)
    numeric = approx_fprime(flat, lambda w: model._objective(w, *args)[0], 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_linear_model_matches_logistic_regression(data, C):
    X, y = data
    focal = FocalLossClassifier(gamma=0.0, alpha=0.5, l2=1 / C, tol=1e-12).fit(X, y)
    reference = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(focal.coefs_[0][:, 0], reference.coef_[0], atol=1e-4)
    np.testing.assert_allclose(focal.intercepts_[0], reference.intercept_, atol=1e-4)


def test_mlp_learns_and_is_reproducible(data):
    X, y = data
    first = FocalLossClassifier(hidden_layer_sizes=(8,), random_state=0).fit(X, y)
    again = FocalLossClassifier(hidden_layer_sizes=(8,), random_state=0).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), again.predict_proba(X))
    assert first.score(X, y) > 0.85
    assert set(first.predict(X)) <= set(first.classes_)


def test_positive_weight_raises_positive_probabilities(data):
    X, y = data
    low = FocalLossClassifier(alpha=0.1).fit(X, y).predict_proba(X)[:, 1].mean()
    high = FocalLossClassifier(alpha=0.9).fit(X, y).predict_proba(X)[:, 1].mean()
    assert high > low


def test_rejects_more_than_two_classes():
    with pytest.raises(ValueError, match="two classes"):
        FocalLossClassifier().fit(np.eye(3), [0, 1, 2])


def test_sample_weights_match_logistic_regression_and_repeated_rows(data):
    """Weight 2 counts a sample twice, as in scikit-learn's LogisticRegression."""
    X, y = data
    weights = np.where(y == 1, 3.0, 1.0)
    focal = FocalLossClassifier(gamma=0.0, alpha=0.5, l2=1.0, tol=1e-12)
    focal.fit(X, y, sample_weight=weights)
    reference = LogisticRegression(tol=1e-12, max_iter=10_000)
    reference.fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(focal.coefs_[0][:, 0], reference.coef_[0], atol=1e-4)
    unweighted = FocalLossClassifier(gamma=0.0, alpha=0.5, tol=1e-12).fit(X, y)
    ones = FocalLossClassifier(gamma=0.0, alpha=0.5, tol=1e-12)
    ones.fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_array_equal(ones.coefs_[0], unweighted.coefs_[0])


@pytest.mark.parametrize("params", [{"gamma": -1}, {"alpha": 1.0}, {"max_iter": 0}])
def test_invalid_parameters_are_rejected_by_fit(data, params):
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError):
        FocalLossClassifier(**params).fit(*data)


def test_layer_sizes_must_be_positive(data):
    with pytest.raises(ValueError, match="positive sizes"):
        FocalLossClassifier(hidden_layer_sizes=(4, 0)).fit(*data)
