"""Cross-validated fitting of one cell (dataset x classifier x method).

All folds and repeats of a cell run in one call, so that one workflow job does enough
work to dwarf process start-up. Every fit sees training rows only: samplers and scalers
live in the estimator's pipeline, and the validation predictions used to choose
thresholds come from splits of the training fold.
"""

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
)
from sklearn.utils.class_weight import compute_class_weight

from imbench.provenance import package_versions
from imbench.records import CellRecord
from imbench.seeds import seed_from

log = logging.getLogger("imbench")
# what imbalanced-learn's samplers raise on data they cannot resample (a property of
# the data, like too few neighbours, not a fault): ADASYN when no minority sample has
# a majority neighbour, or when its weights round to nothing
SAMPLER_REFUSALS = ("ADASYN is not suited", "No samples will be generated")


class NotApplicable(Exception):
    """The method cannot run on this data; the message says why."""


@dataclass
class CellResult:
    """What a cell's cross-validation produced.

    ``predictions`` has one row per (repeat, fold, role, split, sample): ``role`` is
    ``test`` (out-of-fold, ``split`` = -1) or ``validation`` (inner split of the
    training fold, ``split`` = its index). ``folds`` holds one record per outer fold.
    """

    predictions: pd.DataFrame
    folds: list = field(default_factory=list)


def outer_splits(y, folds, repeats, seed):
    """``(repeat, fold, train, test)`` of repeated stratified k-fold."""
    splitter = RepeatedStratifiedKFold(
        n_splits=folds, n_repeats=repeats, random_state=seed
    )
    for i, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        yield i // folds, i % folds, train, test


def validation_splits(y, validation, seed):
    """Splits of a training fold whose held-out predictions choose thresholds, as
    ``validation`` (a ``records.Validation``) says."""
    if validation.strategy == "none":
        return []
    if validation.strategy == "holdout":
        splitter = StratifiedShuffleSplit(
            n_splits=1, test_size=validation.holdout_fraction, random_state=seed
        )
    else:
        splitter = StratifiedKFold(
            validation.inner_folds, shuffle=True, random_state=seed
        )
    return list(splitter.split(np.zeros(len(y)), y))


def adapt_neighbours(estimator, y, neighbour_params):
    """Lower neighbour counts that exceed (minority count - 1) in ``y``.

    Returns
    -------
    list of str
        One note per change, e.g. ``sampler__k_neighbors 5 -> 3``.

    Raises
    ------
    NotApplicable
        If the minority class has fewer than two samples.
    """
    if not neighbour_params:
        return []
    minority = int(min(np.sum(y == 1), np.sum(y == 0)))
    if minority < 2:
        raise NotApplicable(f"a training set holds {minority} minority sample(s)")
    params = estimator.get_params()
    notes = []
    for name in neighbour_params:
        if name in params and params[name] > minority - 1:
            estimator.set_params(**{name: minority - 1})
            notes.append(f"{name} {params[name]} -> {minority - 1}")
    return notes


def skip_reached_sampler(estimator, y):
    """Replace the pipeline's sampler by ``passthrough`` when ``y`` is already at least
    as balanced as a numeric ``sampling_strategy`` asks (imbalanced-learn would raise).

    Returns
    -------
    list of str
        A note when the sampler was skipped.
    """
    params = estimator.get_params()
    ratio = min(np.sum(y == 1), np.sum(y == 0)) / max(np.sum(y == 1), np.sum(y == 0))
    for name, value in params.items():
        if (
            name.startswith("sampler__")
            and name.endswith("sampling_strategy")
            and isinstance(value, float)
            and ratio >= value
        ):
            estimator.set_params(sampler="passthrough")
            return [f"sampler skipped: minority:majority {ratio:.3f} >= {name} {value}"]
    return []


def member_probabilities(estimator, X):
    """Positive-class probability of each member of a fitted bagging ensemble that ends
    a pipeline, as columns."""
    bagging = estimator[-1]
    features = estimator[:-1].transform(X) if len(estimator) > 1 else X
    return np.column_stack(
        [
            member.predict_proba(features[:, columns])[:, 1]
            for member, columns in zip(
                bagging.estimators_, bagging.estimators_features_, strict=True
            )
        ]
    )


def ensemble_mean(members):
    """The ensemble's probability from its members' (columns), summed in member order
    then divided, as scikit-learn's bagging ``predict_proba`` does: bit for bit."""
    total = np.zeros(len(members))
    for column in members.T:
        total += column
    return total / members.shape[1]


def fit_returning_labels(estimator, X, y):
    """Fit ``estimator`` and return the labels its model was trained on: ``y``, or
    what the pipeline's sampler made of it. Such a pipeline is fitted in the two parts
    its own ``fit`` runs, the steps up to the sampler (``fit_resample``), then the
    model, so that the resampled labels are seen without resampling twice."""
    sampler = getattr(estimator, "named_steps", {}).get("sampler")
    if sampler is None or sampler == "passthrough":
        estimator.fit(X, y)
        return y
    X_trained, y_trained = estimator[:-1].fit_resample(X, y)
    estimator[-1].fit(X_trained, y_trained)
    return y_trained


def trained_positive_rate(estimator, y_trained, balances_inside=False):
    """The positive rate a fitted model learnt at: that of the labels it was trained
    on, weighted by its class weights; 0.5 for models that balance inside themselves
    (each member or round sees a balanced sample). A model trained at rate b predicts
    as if the positive prior were b (prior correction, ``imbench.costs``)."""
    if balances_inside:
        return 0.5
    model = estimator[-1] if hasattr(estimator, "steps") else estimator
    class_weight = model.get_params().get("class_weight")
    n_positive = float(np.sum(y_trained == 1))
    n_negative = float(len(y_trained) - n_positive)
    if class_weight is None:
        return n_positive / len(y_trained)
    if class_weight == "balanced_subsample":  # per tree; balanced overall
        class_weight = "balanced"
    weights = compute_class_weight(class_weight, classes=np.array([0, 1]), y=y_trained)
    positive, negative = weights[1] * n_positive, weights[0] * n_negative
    return float(positive / (positive + negative))


def _fit(estimator, X, y, neighbour_params):
    notes = skip_reached_sampler(estimator, y)
    notes += adapt_neighbours(estimator, y, neighbour_params)
    start = time.perf_counter()
    try:
        y_trained = fit_returning_labels(estimator, X, y)
    except (RuntimeError, ValueError) as error:
        if not any(text in str(error) for text in SAMPLER_REFUSALS):
            raise
        reason = str(error).split(".")[0]
        raise NotApplicable(f"the sampler refuses a training set: {reason}") from error
    return notes, time.perf_counter() - start, y_trained


def empty_predictions():
    """A predictions table with no rows, for cells that produced none."""
    return _frame(0, 0, "test", -1, np.array([], np.int32), np.array([], np.int8), [])


def _predict(model, X, y, rows, key, keep_members):
    """Predictions of a fitted ``model`` on ``rows``, keyed (repeat, fold, role,
    split)."""
    if keep_members:  # each member predicts once, not again inside predict_proba
        members = member_probabilities(model, X[rows])
        return _frame(*key, rows, y, ensemble_mean(members), members)
    return _frame(*key, rows, y, model.predict_proba(X[rows])[:, 1])


def _frame(repeat, fold, role, split, index, y, proba, members=None):
    columns = {
        "repeat": np.full(len(index), repeat, np.int16),
        "fold": np.full(len(index), fold, np.int16),
        "role": role,
        "split": np.full(len(index), split, np.int16),
        "sample_index": index.astype(np.int32),
        "y_true": y[index].astype(np.int8),
        "proba": proba,
    }
    if members is not None:
        columns |= {f"member_{m:03d}": members[:, m] for m in range(members.shape[1])}
    return pd.DataFrame(columns)


def cross_validate(
    X,
    y,
    estimator,
    cv,
    validation,
    neighbour_params=(),
    keep_members=False,
    balances_inside=False,
):
    """Run one cell: every outer fold, plus validation fits for thresholds.

    Parameters
    ----------
    X, y : ndarray
        The dataset; ``y`` in {0, 1}.
    estimator : estimator
        Unfitted and seeded; cloned for every fit, as scikit-learn's cross-validation
        does.
    cv : records.OuterCV
        The outer cross-validation (the seed is the dataset's, so folds are
        identical across methods).
    validation : records.Validation
        How the validation predictions are made (see ``validation_splits``).
    neighbour_params : tuple of str
        See ``adapt_neighbours``.
    keep_members : bool
        Store each ensemble member's probabilities too.
    balances_inside : bool
        The model balances classes inside itself (see ``trained_positive_rate``).

    Returns
    -------
    CellResult
    """
    frames, folds = [], []
    for repeat, fold, train, test in outer_splits(y, cv.folds, cv.repeats, cv.seed):
        model = clone(estimator)
        notes, fit_time, y_trained = _fit(model, X[train], y[train], neighbour_params)
        start = time.perf_counter()
        frames.append(
            _predict(model, X, y, test, (repeat, fold, "test", -1), keep_members)
        )
        predict_time = time.perf_counter() - start
        validation_time = 0.0
        inner_seed = seed_from(cv.seed, "validation", repeat, fold)
        for split, (fit_rows, held_out) in enumerate(
            validation_splits(y[train], validation, inner_seed)
        ):
            inner = clone(estimator)
            fit_rows, held_out = train[fit_rows], train[held_out]
            _, seconds, _ = _fit(inner, X[fit_rows], y[fit_rows], neighbour_params)
            validation_time += seconds
            key = (repeat, fold, "validation", split)
            frames.append(_predict(inner, X, y, held_out, key, keep_members))
        folds.append(
            {
                "repeat": repeat,
                "fold": fold,
                "fit_time": fit_time,
                "predict_time": predict_time,
                "validation_fit_time": validation_time,
                "train_positive_rate": float(y[train].mean()),
                "trained_positive_rate": trained_positive_rate(
                    model, y_trained, balances_inside
                ),
                "adaptations": notes,
            }
        )
    return CellResult(pd.concat(frames, ignore_index=True), folds)


def fit_cell(X, y, dataset, classifier, method, params):
    """Cross-validate one cell of ``dataset``, ``classifier`` (a
    ``classifiers.Classifier``) x ``method`` (a ``methods.Method``) with fit
    parameters ``params`` (a ``records.FitParams``), in one thread; returns its
    predictions and its ``records.CellRecord``.

    A method that cannot apply to this data (``not_applicable``) or raises while
    fitting (``failed``) is recorded as such with the reason, never raised, so the
    rest of the benchmark goes on.
    """
    record = CellRecord(
        dataset, classifier.name, method.name, params, package_versions()
    )
    predictions = empty_predictions()
    try:
        estimator = method.build(
            classifier,
            params.classifier_params,
            params.method_params,
            params.seed,
        )
        result = cross_validate(
            X,
            y,
            estimator,
            params.cv,
            params.thresholds,
            method.applies.neighbour_params,
            keep_members=method.recipe.keeps_members,
            balances_inside=method.recipe.balances_inside,
        )
        predictions, record.folds = result.predictions, result.folds
    except NotApplicable as error:
        record.fail("not_applicable", str(error))
    except Exception as error:  # a failed method must not stop the benchmark
        log.exception("fit failed")
        message = str(error).splitlines()[0] if str(error) else ""
        record.fail("failed", f"{type(error).__name__}: {message}")
    return predictions, record
