import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.validation import has_fit_parameter

from imbench.classifiers import CLASSIFIERS, PARAMS_FILE, derive_params
from imbench.config import ConfigValidator, config_schema
from imbench.fitting import (
    NotApplicable,
    adapt_neighbours,
    cross_validate,
    ensemble_mean,
    member_probabilities,
    skip_reached_sampler,
)
from imbench.methods import METHODS, Method
from imbench.records import OuterCV, Validation

from .conftest import SCHEMA

# The tiny models here stop before converging on purpose, to keep the suite fast.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SMALL = {
    "random_forest": {"n_estimators": 10},
    "hist_gradient_boosting": {"max_iter": 10},
    "lightgbm": {"n_estimators": 10},
    "xgboost": {"n_estimators": 10},
    "adaboost": {"n_estimators": 10},
    "mlp": {"hidden_layer_sizes": [8], "max_iter": 200},
}
FAST = {"undersample_ensemble": {"n_members": 3}}
# the methods that fit (a threshold view's predictions are its baseline's)
PAIRS = [
    (m, c) for m, e in METHODS.items() if isinstance(e, Method) for c in CLASSIFIERS
]


def test_the_config_schema_is_built_from_the_registries():
    schema = config_schema(SCHEMA)["properties"]
    assert set(schema["methods"]["properties"]) == set(METHODS)
    assert set(schema["classifiers"]["properties"]) == set(CLASSIFIERS)
    for name, method in METHODS.items():
        entry = schema["methods"]["properties"][name]
        assert set(entry["properties"]) == set(method.params)
        assert set(method.defaults) <= set(method.params)  # every default settable


def test_the_classifier_parameter_file_is_current():
    """``classifier_params.json`` is what scikit-learn's constraints give today
    (regenerate it with ``python -m imbench.classifiers``)."""
    committed = json.loads(PARAMS_FILE.read_text())
    assert committed == {
        name: derive_params(c) for name, c in CLASSIFIERS.items() if c.estimator
    }


CANDIDATES = [
    -1,
    0,
    1,
    2,
    3,
    300,
    0.0,
    0.25,
    0.5,
    1.0,
    1.5,
    3.0,
    "auto",
    "balanced",
    "sqrt",
    "lbfgs",
    "relu",
    "gini",
    "l2",
    "nonsense",
    None,
    True,
    [8],
    {"0": 1},
]


@pytest.mark.parametrize(
    "classifier", sorted(name for name, c in CLASSIFIERS.items() if c.estimator)
)
def test_config_checks_of_classifier_params_agree_with_scikit_learn(classifier):
    """For every parameter and many values, the planning-time check (JSON schema, no
    scikit-learn import) accepts exactly what scikit-learn's own check accepts, except
    that it is stricter in two documented ways: a boolean is not a number, and an
    array-like is a list, not a mapping."""
    import importlib

    from sklearn.utils._param_validation import InvalidParameterError

    entry = CLASSIFIERS[classifier]
    module, _, name = entry.estimator.rpartition(".")
    estimator = getattr(importlib.import_module(module), name)
    validator = ConfigValidator(entry.config_schema())
    disagreements = []
    for param in validator.schema["properties"]:
        for value in CANDIDATES:
            ours = validator.is_valid({param: value})
            try:
                estimator(**{param: value})._validate_params()
                theirs = True
            except InvalidParameterError:
                theirs = False
            stricter = value is True or isinstance(value, dict)
            if ours != theirs and not (stricter and theirs):
                disagreements.append((param, value, ours, theirs))
    assert disagreements == []


BOOSTING = sorted(name for name, c in CLASSIFIERS.items() if not c.estimator)
SETTINGS = {"integer": 3, "number": 0.5, "null": None}  # a valid value of each type


@pytest.mark.parametrize("classifier", BOOSTING)
def test_a_boosting_librarys_config_params_are_its_own_and_fit(classifier):
    """Without scikit-learn's constraints to derive them from, the parameters a
    config may set are written by hand: each is one of the library's own (which
    ignore unknown ones) and fits at a value its schema accepts."""
    entry = CLASSIFIERS[classifier]
    schema = entry.config_schema()["properties"]
    assert set(schema) <= set(entry.build().get_params())
    for param, rule in schema.items():
        kind = rule.get("type") or rule["anyOf"][0]["type"]
        value = SETTINGS[kind]
        assert ConfigValidator(entry.config_schema()).is_valid({param: value})
        assert entry.fit_refusal({param: value}) is None, param


def test_xgboost_without_class_weight_is_xgboost_and_balanced_is_its_own_weighting(
    imbalanced,
):
    from xgboost import XGBClassifier

    X, y = imbalanced
    ours = CLASSIFIERS["xgboost"].build({"n_estimators": 10}, seed=4)
    plain = XGBClassifier(
        **{k: v for k, v in ours.get_params().items() if k != "class_weight"}
    )
    np.testing.assert_array_equal(
        ours.fit(X, y).predict_proba(X), plain.fit(X, y).predict_proba(X)
    )
    balanced = clone(ours).set_params(class_weight="balanced").fit(X, y)
    weighted = clone(plain).set_params(scale_pos_weight=(y == 0).sum() / y.sum())
    np.testing.assert_array_equal(
        balanced.predict_proba(X), weighted.fit(X, y).predict_proba(X)
    )
    assert balanced.get_params()["scale_pos_weight"] is None  # fit changed no param


def test_the_undersampling_ensemble_of_adaboost_is_easyensemble(imbalanced):
    """EasyEnsemble (Liu, Wu & Zhou 2009) is bags of AdaBoost on balanced
    undersamples: imbalanced-learn's ``EasyEnsembleClassifier`` with the same
    members, seed and weak learner predicts what ``undersample_ensemble`` of the
    ``adaboost`` classifier does, bit for bit; and RUSBoost boosts AdaBoost's own
    weak learner, rounds and learning rate."""
    from imblearn.ensemble import EasyEnsembleClassifier

    X, y = imbalanced
    adaboost = CLASSIFIERS["adaboost"]
    ours = METHODS["undersample_ensemble"].build(
        adaboost, {"n_estimators": 10}, {"n_members": 4}, seed=3
    )
    theirs = EasyEnsembleClassifier(
        n_estimators=4,
        estimator=adaboost.build({"n_estimators": 10}, seed=3),
        random_state=3,
    )
    np.testing.assert_array_equal(
        ours.fit(X, y).predict_proba(X), theirs.fit(X, y).predict_proba(X)
    )
    rusboost = METHODS["rusboost"].build(adaboost, {"n_estimators": 7}, {}, seed=3)
    booster = rusboost.named_steps["model"]
    assert (booster.n_estimators, booster.learning_rate) == (7, 1.0)
    assert booster.estimator.get_params()["max_depth"] == 1
    for name, entry in CLASSIFIERS.items():
        assert bool(METHODS["rusboost"].not_applicable(entry)) == (name != "adaboost")


@pytest.mark.parametrize("classifier", sorted(CLASSIFIERS))
def test_traits_describe_the_estimators(classifier):
    entry = CLASSIFIERS[classifier]
    estimator = entry.build(SMALL.get(classifier))
    assert ("class_weight" in estimator.get_params()) == (
        "class_weight" in entry.traits
    )
    assert has_fit_parameter(estimator, "sample_weight") == (
        "sample_weight" in entry.traits
    )


@pytest.mark.parametrize("method,classifier", PAIRS)
def test_every_applicable_method_fits_and_predicts(method, classifier, imbalanced):
    X, y = imbalanced
    entry, base = METHODS[method], CLASSIFIERS[classifier]
    if entry.not_applicable(base):
        assert entry.applies.requires - base.traits
        return
    estimator = entry.build(base, SMALL.get(classifier), FAST.get(method), seed=0)
    adapt_neighbours(estimator, y, entry.applies.neighbour_params)
    proba = estimator.fit(X[:300], y[:300]).predict_proba(X[300:])
    assert proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert np.all((proba >= 0) & (proba <= 1))
    again = clone(entry.build(base, SMALL.get(classifier), FAST.get(method), seed=0))
    adapt_neighbours(again, y, entry.applies.neighbour_params)
    np.testing.assert_array_equal(
        proba, again.fit(X[:300], y[:300]).predict_proba(X[300:])
    )


def test_methods_change_what_the_classifier_sees(imbalanced):
    X, y = imbalanced
    base = CLASSIFIERS["logistic_regression"]
    baseline = METHODS["baseline"].build(base).fit(X, y).predict_proba(X)[:, 1].mean()
    for method in ("class_weight", "random_undersample", "smote"):
        balanced = METHODS[method].build(base).fit(X, y).predict_proba(X)[:, 1].mean()
        assert balanced > baseline + 0.05, method


def test_ensemble_members_average_to_the_ensemble(imbalanced):
    X, y = imbalanced
    for classifier in ("logistic_regression", "hist_gradient_boosting"):
        estimator = (
            METHODS["undersample_ensemble"]
            .build(
                CLASSIFIERS[classifier], SMALL.get(classifier), {"n_members": 4}, seed=1
            )
            .fit(X, y)
        )
        members = member_probabilities(estimator, X)
        assert members.shape == (len(y), 4)
        # bit for bit, so the stored ensemble probability needs no second predict
        assert np.array_equal(ensemble_mean(members), estimator.predict_proba(X)[:, 1])
        assert np.ptp(members, axis=1).max() > 0  # different undersamples


def test_smote_neighbours_adapt_to_a_small_minority(imbalanced):
    X, y = imbalanced
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]])
    estimator = METHODS["smote_tomek"].build(CLASSIFIERS["logistic_regression"])
    notes = adapt_neighbours(
        estimator, y[keep], METHODS["smote_tomek"].applies.neighbour_params
    )
    assert notes == ["sampler__smote__k_neighbors 5 -> 3"]
    estimator.fit(X[keep], y[keep])  # would raise with k_neighbors = 5


def test_smote_with_one_minority_sample_is_not_applicable(imbalanced):
    _X, y = imbalanced
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:1]])
    estimator = METHODS["smote"].build(CLASSIFIERS["logistic_regression"])
    with pytest.raises(NotApplicable, match="1 minority sample"):
        adapt_neighbours(estimator, y[keep], METHODS["smote"].applies.neighbour_params)


def test_not_applicable_names_the_missing_trait():
    reason = METHODS["class_weight"].not_applicable(CLASSIFIERS["mlp"])
    assert reason == "mlp lacks class_weight needed by class_weight"
    assert METHODS["focal_loss"].not_applicable(CLASSIFIERS["random_forest"])
    assert METHODS["focal_loss"].not_applicable(CLASSIFIERS["mlp"]) is None


@pytest.mark.parametrize("method", ["smote_class_weight", "random_undersample"])
def test_a_sampler_whose_ratio_is_already_reached_is_skipped(method, imbalanced):
    X, y = imbalanced
    balanced = np.r_[np.flatnonzero(y == 1), np.flatnonzero(y == 0)[: y.sum()]]
    params = {"sampling_strategy": 0.5}
    estimator = METHODS[method].build(CLASSIFIERS["logistic_regression"], params=params)
    notes = skip_reached_sampler(estimator, y[balanced])
    assert (
        notes
        and "minority:majority 1.000 >= sampler__sampling_strategy 0.5" in notes[0]
    )
    assert estimator.named_steps["sampler"] == "passthrough"
    estimator.fit(X[balanced], y[balanced])  # would raise with the sampler
    untouched = METHODS[method].build(CLASSIFIERS["logistic_regression"], params=params)
    assert skip_reached_sampler(untouched, y) == []


NEUTRAL_PAIRS = [
    (m, c) for m, c in PAIRS if not METHODS[m].not_applicable(CLASSIFIERS[c])
]


@pytest.mark.parametrize("method,classifier", NEUTRAL_PAIRS)
def test_a_method_with_its_handling_off_is_its_baseline(method, classifier, imbalanced):
    """A method is its baseline plus one imbalance-handling change: turned off, it
    predicts as the baseline (bit for bit, or within the method's stated tolerance).
    Where it cannot, the registry says why, and the difference is real."""
    X, y = imbalanced
    entry, base = METHODS[method], CLASSIFIERS[classifier]
    params = {**entry.defaults, **FAST.get(method, {})}
    baseline = METHODS["baseline"].build(base, SMALL.get(classifier), seed=3)
    built = entry.build(base, SMALL.get(classifier), params, seed=3)
    if entry.neutral is None:
        assert entry.neutral.unlike(classifier)  # another model family, documented
        return
    neutral = entry.neutralised(built)
    expected = baseline.fit(X, y).predict_proba(X)
    got = neutral.fit(X, y).predict_proba(X)
    if entry.neutral.unlike(classifier):
        assert not np.allclose(got, expected, atol=1e-3)
    else:
        np.testing.assert_allclose(got, expected, rtol=0, atol=entry.neutral.tolerance)


def test_adasyn_refusing_separable_data_is_not_applicable():
    """ADASYN weights minority samples by their majority neighbours; where none has
    any, imbalanced-learn refuses the data: the cell does not apply, it has not
    failed."""
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (90, 2)), rng.normal(50, 1, (12, 2))]
    y = np.r_[np.zeros(90, int), np.ones(12, int)]
    estimator = METHODS["adasyn"].build(CLASSIFIERS["logistic_regression"])
    cv = OuterCV(folds=3, repeats=1, seed=0)
    with pytest.raises(NotApplicable, match="the sampler refuses a training set"):
        cross_validate(X, y, estimator, cv, Validation("none", 3, 0.25))
