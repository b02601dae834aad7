"""Classifiers trained with the focal loss (Lin et al. 2017).

Neither scikit-learn nor imbalanced-learn trains a model with the focal loss, so this
module does: a feed-forward network (no hidden layer = a linear model) whose weights
minimise the focal loss with L-BFGS.
"""

import itertools
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_random_state,
    validate_data,
)


def focal_loss(logits, y, gamma=2.0, alpha=0.25):
    """Per-sample focal loss of binary logits and its derivative with respect to them.

    ``FL = -alpha_t (1 - p_t)**gamma log(p_t)``, where ``p_t`` is the probability given
    to the true class and ``alpha_t`` is ``alpha`` for positives, ``1 - alpha`` for
    negatives. ``gamma = 0`` and ``alpha = 0.5`` give half the cross-entropy.

    Parameters
    ----------
    logits : ndarray of shape (n_samples,)
        Log-odds of the positive class.
    y : ndarray of shape (n_samples,)
        True labels in {0, 1}.
    gamma : float
        Focusing parameter, >= 0.
    alpha : float
        Weight of the positive class, in (0, 1).

    Returns
    -------
    loss : ndarray of shape (n_samples,)
    grad : ndarray of shape (n_samples,)
        Derivative of each sample's loss with respect to its logit.
    """
    sign = 2.0 * y - 1.0
    margin = sign * logits
    log_pt = log_expit(margin)
    pt = expit(margin)
    one_minus_pt = expit(-margin)  # 1 - p_t without cancellation
    alpha_t = np.where(y == 1, alpha, 1.0 - alpha)
    modulator = one_minus_pt**gamma
    loss = -alpha_t * modulator * log_pt
    grad = sign * alpha_t * modulator * (gamma * pt * log_pt - one_minus_pt)
    return loss, grad


class FocalLossClassifier(ClassifierMixin, BaseEstimator):
    """Binary classifier trained by minimising the focal loss.

    The objective is ``mean(2 * FL) + l2 / (2 n) * ||W||^2`` over the weight matrices
    (biases are not penalised). The factor 2 makes ``gamma = 0, alpha = 0.5`` exactly
    the logistic loss, so with no hidden layer and ``l2 = 1 / C`` the model is
    scikit-learn's ``LogisticRegression(C=C)``; with hidden layers it is an MLP with
    ReLU units whose ``l2`` plays the role of ``MLPClassifier``'s ``alpha``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=()
        Sizes of the hidden layers; empty for a linear model.
    gamma : float, default=2.0
        Focusing parameter; 0 turns the focal loss into weighted cross-entropy.
    alpha : float, default=0.25
        Weight of the positive (rare) class.
    l2 : float, default=1.0
        L2 penalty on the weights.
    max_iter : int, default=500
        Maximum L-BFGS iterations.
    tol : float, default=1e-6
        L-BFGS tolerance on the projected gradient.
    random_state : int, RandomState or None, default=None
        Seeds the initial weights of hidden layers (a linear model starts at zero).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coefs_ : list of ndarray
        Weight matrices, input layer first.
    intercepts_ : list of ndarray
    n_iter_ : int
    """

    # scikit-learn's convention: checked by ``fit``, and the config's schema of the
    # ``mlp`` classifier is derived from it (``imbench.classifiers``)
    _parameter_constraints: ClassVar[dict] = {
        "hidden_layer_sizes": ["array-like"],
        "gamma": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(),
        gamma=2.0,
        alpha=0.25,
        l2=1.0,
        max_iter=500,
        tol=1e-6,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.gamma = gamma
        self.alpha = alpha
        self.l2 = l2
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the weights on ``X`` and binary labels ``y``; ``sample_weight`` scales
        each sample's loss (as scikit-learn's ``LogisticRegression``).

        Returns
        -------
        self : FocalLossClassifier
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        if type_of_target(y) != "binary":
            raise ValueError("FocalLossClassifier needs exactly two classes in y.")
        sizes = np.asarray(self.hidden_layer_sizes)
        if sizes.ndim != 1 or (sizes.size and (sizes < 1).any()):
            raise ValueError("hidden_layer_sizes must be a list of positive sizes.")
        weights = _check_sample_weight(sample_weight, X)
        self.classes_, y01 = np.unique(y, return_inverse=True)
        shapes = self._shapes(X.shape[1])
        start = self._initial_weights(shapes, check_random_state(self.random_state))
        result = minimize(
            self._objective,
            start,
            args=(X, y01.astype(np.float64), weights, shapes),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 1e-15},
        )
        self.coefs_, self.intercepts_ = self._unpack(result.x, shapes)
        self.n_iter_ = result.nit
        return self

    def decision_function(self, X):
        """Log-odds of the positive class."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self._forward(X, self.coefs_, self.intercepts_)[-1][:, 0]

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``."""
        positive = expit(self.decision_function(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X):
        """Class with the higher probability."""
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def _shapes(self, n_features):
        sizes = [n_features, *self.hidden_layer_sizes, 1]
        return list(itertools.pairwise(sizes))

    def _initial_weights(self, shapes, rng):
        if len(shapes) == 1:
            return np.zeros(shapes[0][0] * shapes[0][1] + shapes[0][1])
        parts = []
        for i, (fan_in, fan_out) in enumerate(shapes):
            gain = 2.0 if i == len(shapes) - 1 else 6.0  # Glorot, as MLPClassifier
            bound = np.sqrt(gain / (fan_in + fan_out))
            parts.append(rng.uniform(-bound, bound, fan_in * fan_out + fan_out))
        return np.concatenate(parts)

    @staticmethod
    def _unpack(flat, shapes):
        coefs, intercepts, start = [], [], 0
        for fan_in, fan_out in shapes:
            stop = start + fan_in * fan_out
            coefs.append(flat[start:stop].reshape(fan_in, fan_out))
            intercepts.append(flat[stop : stop + fan_out])
            start = stop + fan_out
        return coefs, intercepts

    @staticmethod
    def _forward(X, coefs, intercepts):
        activations = [X]
        for i, (weights, bias) in enumerate(zip(coefs, intercepts, strict=True)):
            out = activations[-1] @ weights + bias
            activations.append(out if i == len(coefs) - 1 else np.maximum(out, 0.0))
        return activations

    def _objective(self, flat, X, y, sample_weight, shapes):
        n_samples = X.shape[0]
        coefs, intercepts = self._unpack(flat, shapes)
        activations = self._forward(X, coefs, intercepts)
        loss, dlogit = focal_loss(activations[-1][:, 0], y, self.gamma, self.alpha)
        value = 2.0 * np.dot(sample_weight, loss) / n_samples
        value += self.l2 / (2 * n_samples) * sum(np.sum(w * w) for w in coefs)
        delta = (2.0 / n_samples) * (sample_weight * dlogit)[:, None]
        grads = []
        for layer in range(len(coefs) - 1, -1, -1):
            grad_w = activations[layer].T @ delta + (self.l2 / n_samples) * coefs[layer]
            grads.append((grad_w.ravel(), delta.sum(axis=0)))
            if layer:
                delta = (delta @ coefs[layer].T) * (activations[layer] > 0)
        flat_grad = np.concatenate([part for pair in reversed(grads) for part in pair])
        return value, flat_grad
