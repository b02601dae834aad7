"""Methods from outside imbench: variants, samplers and estimators by import path,
the contract each is held to before any fit, and what their cache key knows."""

import textwrap

import numpy as np
import pytest

from imbench import cells, plugins
from imbench.classifiers import CLASSIFIERS
from imbench.config import build_plan
from imbench.errors import ConfigError
from imbench.fitting import fit_cell
from imbench.methods import (
    METHODS,
    Method,
    ThresholdView,
    active,
    registry,
    resolve,
    using,
)
from imbench.records import FitParams, OuterCV, Validation

from .conftest import REPO

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
LOGISTIC = CLASSIFIERS["logistic_regression"]
# a user's own samplers, in a file of their own; each breaks one term of the
# contract but the first
SAMPLERS = '''
import numpy as np
from sklearn.base import BaseEstimator


class Jitter:
    """Each positive row copied ``copies`` times, plus a little noise."""

    def __init__(self, copies=2, scale=0.1, random_state=None):
        self.copies, self.scale, self.random_state = copies, scale, random_state

    def fit_resample(self, X, y):
        rng = np.random.default_rng(self.random_state)
        new = np.repeat(X[y == 1], self.copies, axis=0)
        new = new + rng.normal(scale=self.scale, size=new.shape)
        return np.vstack([X, new]), np.concatenate([y, np.ones(len(new), int)])


class Unclonable(BaseEstimator, Jitter):
    """Its constructor changes a parameter, as smote-variants' ProWSyn does."""

    def __init__(self, nn_params=None, random_state=None):
        super().__init__(random_state=random_state)
        self.nn_params = dict(nn_params or {}, metric="euclidean")

    def sample(self, X, y):
        return self.fit_resample(X, y)


class Majority:
    def fit_resample(self, X, y):
        return X[y == 0], y[y == 0]


class Unseeded:
    def fit_resample(self, X, y):
        return X + np.random.normal(size=X.shape), y


class InPlace:
    def fit_resample(self, X, y):
        X[:, 0] = 0.0
        return X, y


class Narrow:
    def fit_resample(self, X, y):
        return X[:, :2], y


class Idle:
    def fit_resample(self, X, y):
        return X, y


class NotASampler:
    pass
'''


CLASSIFIER = '''
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier


class Strong(LogisticRegression):
    """Logistic regression with a strong L2 penalty."""

    def __init__(self, C=0.1, class_weight=None, random_state=None):
        super().__init__(C=C, class_weight=class_weight, random_state=random_state)


class Neighbours(KNeighborsClassifier):
    pass
'''


@pytest.fixture
def samplers(tmp_path, monkeypatch):
    """The files ``samplers.py`` (its path returned) and ``models.py`` (a user's
    classifiers) in a working directory of their own."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samplers.py").write_text(SAMPLERS)
    (tmp_path / "models.py").write_text(CLASSIFIER)
    plugins.load.cache_clear()
    yield tmp_path / "samplers.py"
    plugins.load.cache_clear()


def plan_of(methods, classifiers=None):
    """The plan of a one-dataset config running ``methods`` beside the baseline."""
    config = {
        "positive_rates": [0.2],
        "datasets": {"synthetic": {"seeds": 1, "n_samples": 200}},
        "cv": {"folds": 3, "repeats": 1},
        "classifiers": classifiers or {"logistic_regression": {}},
        "methods": {"baseline": {}, **methods},
    }
    return build_plan(config, SCHEMA)


def data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    return rng.normal(size=(n, 4)) + y[:, None], y


PARAMS = FitParams(
    classifier_params={},
    method_params={},
    seed=3,
    cv=OuterCV(folds=3, repeats=1, seed=5),
    thresholds=Validation(strategy="holdout", inner_folds=3, holdout_fraction=0.25),
)


def fitted(method, params=None, classifier=LOGISTIC):
    X, y = data()
    fit = FitParams(**{**vars(PARAMS), "method_params": params or {}})
    return fit_cell(X, y, "d", classifier, method, fit)


def test_a_users_sampler_in_a_file_cross_validates_inside_training_folds(samplers):
    jitter = resolve("jitter", {"sampler": "samplers.py:Jitter", "params": {}})
    predictions, record = fitted(jitter, {"copies": 3})
    assert record.status == "ok", record.reason
    baseline, _ = fitted(METHODS["baseline"])
    test = predictions["role"] == "test"
    assert len(predictions[test]) == 300  # every row predicted once, out of fold
    assert not np.allclose(predictions.loc[test, "proba"], baseline.loc[test, "proba"])
    # trained on its resample: 3 copies of each positive of the training fold
    for fold in record.folds:
        rate, positives = fold["train_positive_rate"], fold["trained_positive_rate"]
        assert positives == pytest.approx(4 * rate / (1 + 3 * rate))


def test_a_sampler_that_breaks_scikit_learns_clone_runs_built_at_each_fit(samplers):
    from sklearn.base import clone

    with pytest.raises(RuntimeError, match="Cannot clone"):
        clone(plugins.load("samplers.py:Unclonable")())
    unclonable = resolve("u", {"sampler": "samplers.py:Unclonable"})
    _, record = fitted(unclonable)
    assert record.status == "ok", record.reason


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"sampler": "missing.py:Jitter"}, "cannot import 'missing.py:Jitter'"),
        ({"sampler": "samplers.py:Nothing"}, "AttributeError"),
        ({"sampler": "samplers.py:NotASampler"}, "has no fit_resample"),
        ({"sampler": "samplers.py:Jitter", "params": {"k": 1}}, "building it failed"),
        ({"sampler": "samplers.py:Majority"}, "returns the classes [0], not both"),
        ({"sampler": "samplers.py:Unseeded"}, "two runs with the same seed differ"),
        ({"sampler": "samplers.py:InPlace"}, "changes the training rows it is given"),
        ({"sampler": "samplers.py:Narrow"}, "expected rows of 4 features"),
        (
            {"sampler": "samplers.py:Jitter", "neutral": {"copies": 1}},
            "at its neutral setting {'copies': 1} it does not give the baseline's",
        ),
        (
            {"estimator": "samplers.py:Jitter"},
            "building it failed (TypeError: Jitter.__init__() got an unexpected "
            "keyword argument 'estimator')",
        ),
    ],
)
def test_a_plugin_that_breaks_the_contract_stops_in_one_line(samplers, entry, problem):
    plan = plan_of({"mine": entry})
    with pytest.raises(ConfigError) as error:
        plan.check_fits()
    message = str(error.value)
    assert message.startswith("methods.mine: ") and "\n" not in message
    assert problem in message


def test_a_plugin_that_keeps_the_contract_passes_and_a_no_op_is_flagged(samplers):
    plan = plan_of(
        {
            "jitter": {"sampler": "samplers.py:Jitter", "neutral": {"copies": 0}},
            "idle": {"sampler": "samplers.py:Idle"},
            "bagging": {
                "estimator": "imblearn.ensemble:BalancedBaggingClassifier",
                "params": {"n_estimators": 3},
            },
        }
    )
    assert plan.check_fits() == [
        "methods.idle: it resampled nothing on the contract's data (is it a no-op?)"
    ]


def test_an_estimator_whose_predictions_depend_on_the_batch_is_refused(tmp_path):
    (tmp_path / "batch.py").write_text(
        textwrap.dedent(
            """
            import numpy as np
            from sklearn.base import BaseEstimator, ClassifierMixin


            class BatchNormalised(ClassifierMixin, BaseEstimator):
                def __init__(self, estimator=None):
                    self.estimator = estimator

                def fit(self, X, y):
                    self.classes_ = np.array([0, 1])
                    self.model_ = self.estimator.fit(X, y)
                    return self

                def predict_proba(self, X):  # scores ranked within the batch
                    score = self.model_.predict_proba(X)[:, 1]
                    rank = (score.argsort().argsort() + 0.5) / len(score)
                    return np.column_stack([1 - rank, rank])
            """
        )
    )
    path = str(tmp_path / "batch.py") + ":BatchNormalised"
    plan = plan_of({"batch": {"estimator": path}})
    with pytest.raises(ConfigError, match="depends on the other rows predicted"):
        plan.check_fits()


def test_an_estimator_plugin_wraps_the_classifier_and_is_another_model_family():
    bagging = resolve(
        "bagging", {"estimator": "imblearn.ensemble:BalancedBaggingClassifier"}
    )
    estimator = bagging.build(LOGISTIC, params={"n_estimators": 4})
    model = estimator.named_steps["model"]
    assert type(model).__name__ == "BalancedBaggingClassifier"
    assert model.n_estimators == 4 and model.random_state == 0
    assert type(model.estimator).__name__ == "LogisticRegression"
    assert bagging.neutral.other_family and bagging.neutral.unlike("mlp")
    declared = resolve(
        "bagging",
        {
            "estimator": "imblearn.ensemble:BalancedBaggingClassifier",
            "neutral": {"n_estimators": 1},
        },
    )
    assert declared.neutral.settings == {"model__n_estimators": 1}


def test_named_variants_are_methods_of_their_own_with_their_settings():
    plan = plan_of(
        {
            "smote": {},
            "smote_k3": {"like": "smote", "params": {"k_neighbors": 3}},
            "smote_half": {
                "like": "smote",
                "params": {"sampling_strategy": 0.5},
                "family": "other",
            },
        }
    )
    assert {cell.method for cell in plan.cells} == {
        "baseline",
        "smote",
        "smote_k3",
        "smote_half",
    }
    by_method = {cell.method: plan.fit_params(cell) for cell in plan.cells}
    assert by_method["smote_k3"].method_params == {"k_neighbors": 3}
    k3 = plan.methods["smote_k3"]
    sampler = k3.build(LOGISTIC, params={"k_neighbors": 3}).named_steps["sampler"]
    assert sampler.k_neighbors == 3
    assert k3.shown.family == "oversampling"
    assert plan.methods["smote_half"].shown.family == "other"
    assert (
        k3.applies == METHODS["smote"].applies
        and k3.neutral == METHODS["smote"].neutral
    )
    # a variant runs the same code as its built-in: only its settings set it apart
    assert cells.fit_code_digest(LOGISTIC, k3) == cells.fit_code_digest(
        LOGISTIC, METHODS["smote"]
    )


def test_a_variant_of_a_threshold_view_is_a_view_with_its_own_criterion():
    plan = plan_of(
        {
            "threshold_cost": {},
            "threshold_cost_5": {"like": "threshold_cost", "params": {"cost_ratio": 5}},
        }
    )
    view = plan.methods["threshold_cost_5"]
    assert isinstance(view, ThresholdView) and view.criterion({"cost_ratio": 5}) == 5.0


def test_editing_or_upgrading_a_plugin_changes_its_cache_key_and_no_others(samplers):
    methods = registry(
        {
            "smote": {},
            "jitter": {"sampler": "samplers.py:Jitter"},
            "idle": {"sampler": "samplers.py:Idle"},
        }
    )
    methods = {m: e for m, e in methods.items() if isinstance(e, Method)}
    digest = {m: cells.fit_code_digest(LOGISTIC, e) for m, e in methods.items()}
    source = plugins.source_digest("samplers.py:Jitter")
    samplers.write_text(SAMPLERS.replace("scale=0.1", "scale=0.2"))
    plugins.load.cache_clear()
    edited = {m: cells.fit_code_digest(LOGISTIC, e) for m, e in methods.items()}
    # the file is the module of both: editing it refits both, and nothing else
    assert {m for m in methods if digest[m] != edited[m]} == {"jitter", "idle"}
    assert plugins.source_digest("samplers.py:Jitter") != source
    bagging = resolve("b", {"estimator": "imblearn.ensemble:BalancedBaggingClassifier"})
    outside = plugins.outside_code(bagging.plugin.path)
    assert outside["distribution"] == "imbalanced-learn"
    assert outside["version"] == plugins.metadata.version("imbalanced-learn")


def test_an_upgraded_distribution_changes_its_plugins_key(monkeypatch):
    path = "imblearn.ensemble:BalancedBaggingClassifier"
    before = plugins.outside_code(path), plugins.source_digest(path)
    monkeypatch.setattr(plugins.metadata, "version", lambda name: "99.0")
    after = plugins.outside_code(path), plugins.source_digest(path)
    assert before[0]["version"] != "99.0" and after[0]["version"] == "99.0"
    assert before[1] != after[1]


def test_planning_imports_no_plugin(samplers, monkeypatch):
    import sys

    for name in [name for name in sys.modules if name.startswith("imbench_plugin_")]:
        monkeypatch.delitem(sys.modules, name)
    plan = plan_of({"jitter": {"sampler": "samplers.py:Jitter"}})
    assert plan.plugin_digests().keys() == {"methods.jitter"}
    assert not any(name.startswith("imbench_plugin_samplers") for name in sys.modules)


def test_a_step_sees_the_configs_methods_as_the_registry():
    entries = {
        "random_undersample": {},
        "mine": {"sampler": "m.py:S", "family": "undersampling"},
    }
    assert "mine" not in active()
    with using(entries):
        assert list(active()) == ["random_undersample", "mine"]
        assert active()["mine"].shown.family == "undersampling"
        from imbench import figures

        assert figures._family("mine") == "undersampling"
        assert figures.method_groups(["baseline", "random_undersample", "mine"]) == [
            ["random_undersample", "mine"]
        ]
    assert "mine" not in active()


def test_a_users_classifier_runs_the_methods_its_traits_allow(samplers):
    entry = {"import": "models.py:Strong", "params": {"C": 0.05}}
    plan = plan_of(
        {"class_weight": {}, "threshold_f1": {}},
        {"strong": {**entry, "traits": ["class_weight", "scaling"]}},
    )
    assert plan.check_fits() == []
    assert {cell.method for cell in plan.cells} == {
        "baseline",
        "class_weight",
        "threshold_f1",
    }
    strong = plan.classifiers["strong"]
    estimator = METHODS["class_weight"].build(strong, {"C": 0.05}, seed=3)
    assert [name for name, _ in estimator.steps] == ["scale", "model"]
    model = estimator.named_steps["model"]
    assert (model.C, model.class_weight, model.random_state) == (0.05, "balanced", 3)
    assert plan.plugin_digests().keys() == {"classifiers.strong"}
    _, record = fitted(METHODS["class_weight"], classifier=strong)
    assert record.status == "ok", record.reason
    bare = plan_of({"class_weight": {}}, {"strong": entry})  # no traits declared
    assert bare.not_applicable == [
        ("strong", "class_weight", "strong lacks class_weight needed by class_weight")
    ]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"import": "models.py:Missing"}, "cannot import 'models.py:Missing'"),
        (
            {"import": "models.py:Neighbours", "traits": ["class_weight"]},
            "classifiers.mine.traits: it declares class_weight, which it lacks",
        ),
        (
            {"import": "models.py:Neighbours", "traits": ["sample_weight"]},
            "it declares sample_weight, which it lacks",
        ),
        ({"import": "sklearn.svm:SVC"}, "predict_proba failed"),
        ({"import": "models.py:Strong", "params": {"nope": 1}}, "building it failed"),
    ],
)
def test_a_classifier_that_breaks_the_contract_stops_in_one_line(
    samplers, entry, problem
):
    plan = plan_of({}, {"mine": entry})
    with pytest.raises(ConfigError) as error:
        plan.check_fits()
    assert str(error.value).startswith("classifiers.mine")
    assert problem in str(error.value) and "\n" not in str(error.value)


def test_editing_a_users_classifier_changes_its_cells_keys(samplers, tmp_path):
    strong = plan_of({}, {"strong": {"import": "models.py:Strong"}}).classifiers
    before = cells.fit_code_digest(strong["strong"], METHODS["baseline"])
    logistic = cells.fit_code_digest(LOGISTIC, METHODS["baseline"])
    (tmp_path / "models.py").write_text(CLASSIFIER.replace("C=0.1", "C=0.2"))
    plugins.load.cache_clear()
    assert cells.fit_code_digest(strong["strong"], METHODS["baseline"]) != before
    assert cells.fit_code_digest(LOGISTIC, METHODS["baseline"]) == logistic


def test_the_provenance_names_the_libraries_outside_imbench_that_cells_run(samplers):
    """Optional classifiers' and installed plug-ins' modules, not a user's file
    (it belongs to no distribution; its digest keys its cells instead)."""
    plan = plan_of(
        {
            "mine": {"sampler": "samplers.py:Jitter", "family": "oversampling"},
            "ipf": {"sampler": "smote_variants:SMOTE_IPF", "family": "oversampling"},
        },
        {"logistic_regression": {}, "lightgbm": {"methods": ["baseline"]}},
    )
    assert plan.libraries() == ["lightgbm", "smote_variants"]
    assert plan_of({}).libraries() == []
