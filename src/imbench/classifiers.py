"""Registry of base classifiers.

An entry knows how to build its estimator and which traits it has, so that methods can
say statically (without importing scikit-learn) whether they apply to it. Its
parameters are checked at planning time against ``classifier_params.json``, a JSON
schema derived from scikit-learn's own parameter constraints by ``derive_params`` (run
``python -m imbench.classifiers`` after upgrading scikit-learn; a test fails while the
file is stale, and another checks its verdicts against scikit-learn's).
"""

import functools
import importlib
import json
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imbench.active import ActiveRegistry

PARAMS_FILE = Path(__file__).with_name("classifier_params.json")


@dataclass(frozen=True)
class Classifier:
    """A named base classifier.

    Parameters
    ----------
    name : str
        Registry key, used in configs and file paths.
    factory : callable
        ``factory(params, seed, threads)`` returns an unfitted estimator.
    defaults : dict
        Parameters used where the config gives none.
    traits : frozenset of str
        What the estimator supports: ``class_weight``, ``sample_weight``,
        ``adaboost`` (is AdaBoost over a weak learner, whose variant with
        undersampling at each round is RUSBoost), ``scaling``
        (wants standardised inputs), ``focal`` (has a focal-loss analogue),
        ``forest`` (is a random forest), ``trees`` (a tree ensemble), ``neural`` (a
        neural network); the last two pick the rule of thumb in the decision guide.
    focal_params : callable or None
        Maps the classifier's parameters to those of the focal-loss analogue.
    refined : dict
        JSON schemas that replace derived ones that say too little (an "array-like"
        whose items must be positive integers).
    estimator : str
        The scikit-learn class, as ``module.Class``: its parameter constraints are the
        config's. Empty for a library without them, whose ``refined`` schemas are
        then all the config may set.
    needs : str
        The module it comes from when that is in an optional extra of imbench's
        (checked at planning time, without importing it).
    set_by_imbench : tuple of str
        Parameters imbench sets itself (seeds, threads), not the config.
    plugin : str
        A plug-in's import path (``imbench.plugins``), empty for imbench's own.
    """

    name: str
    factory: Callable[[dict, int, int], Any]
    estimator: str = ""
    set_by_imbench: tuple = ("random_state",)
    defaults: dict = field(default_factory=dict)
    traits: frozenset = frozenset()
    focal_params: Callable[[dict], dict] | None = None
    refined: dict = field(default_factory=dict)
    needs: str = ""
    plugin: str = ""

    def config_schema(self):
        """JSON schema of the classifier's ``params`` in a config: the derived one,
        with ``refined`` parameters narrowed where the constraints say too little;
        any mapping for a plug-in, whose trial fit checks them."""
        if self.plugin:
            return {"type": "object"}
        properties = json.loads(PARAMS_FILE.read_text()).get(self.name, {})
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {**properties, **self.refined},
        }

    def build(self, params=None, seed=0, threads=1, **overrides):
        """Return an unfitted estimator with defaults, ``params`` and ``overrides``.

        A ``class_weight`` mapping gets integer class keys back: job parameters pass
        through JSON, whose keys are strings.
        """
        params = {**self.defaults, **(params or {}), **overrides}
        if isinstance(params.get("class_weight"), dict):
            weights = params["class_weight"].items()
            params["class_weight"] = {int(label): w for label, w in weights}
        return self.factory(params, seed, threads)

    def missing(self):
        """How to install the optional library the classifier needs, or None when
        it is installed (found without importing it)."""
        import importlib.util

        if not self.needs or importlib.util.find_spec(self.needs):
            return None
        return f"needs {self.needs}, not installed: pip install 'imbench[boosting]'"

    def fit_refusal(self, params):
        """Why the estimator refuses ``params`` when it fits (combinations its
        parameter checks let through, such as lbfgs with an l1 penalty), in one
        line; None when a fit on 40 random rows succeeds."""
        import warnings

        import numpy as np

        X = np.random.default_rng(0).normal(size=(40, 3))
        y = np.tile([0, 1, 0, 0], 10)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence on 40 rows
                self.build(params).fit(X, y)
        except Exception as error:  # whatever the estimator raises is the answer
            message = str(error).splitlines()[0] if str(error) else ""
            return f"{type(error).__name__}: {message}"
        return None


def _logistic_regression(params, seed, threads):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(**params, random_state=seed)


def _random_forest(params, seed, threads):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(**params, random_state=seed, n_jobs=threads)


def _hist_gradient_boosting(params, seed, threads):
    from imbench.hist_gradient_boosting import HistGradientBoosting

    return HistGradientBoosting(**params, random_state=seed)


def _adaboost(params, seed, threads):
    from sklearn.ensemble import AdaBoostClassifier
    from sklearn.tree import DecisionTreeClassifier

    # the canonical weak learner (AdaBoost's default, and EasyEnsemble's and
    # RUSBoost's in imbalanced-learn): a decision stump
    stump = DecisionTreeClassifier(max_depth=1)
    return AdaBoostClassifier(estimator=stump, **params, random_state=seed)


def _mlp(params, seed, threads):
    from imbench.focal import FocalLossClassifier

    return FocalLossClassifier(**_network(params), random_state=seed)


def _lightgbm(params, seed, threads):
    from lightgbm import LGBMClassifier

    # deterministic and row-wise: the same model whatever the thread count
    return LGBMClassifier(
        **params,
        random_state=seed,
        n_jobs=threads,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )


def _xgboost(params, seed, threads):
    from imbench.boosting import XGBoost

    return XGBoost(**params, random_state=seed, n_jobs=threads)


def _boosting_params(extra):
    """The parameters imbench lets a config set on a boosting library's model (the
    libraries check none of their own until fitting and ignore unknown ones)."""
    count = {"type": "integer", "minimum": 1}
    rate = {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
    non_negative = {"type": "number", "minimum": 0}
    return {
        "n_estimators": count,
        "learning_rate": {"type": "number", "exclusiveMinimum": 0},
        "max_depth": {"type": "integer"},
        "subsample": rate,
        "colsample_bytree": rate,
        "reg_alpha": non_negative,
        "reg_lambda": non_negative,
        "min_child_weight": non_negative,
        **extra,
    }


def _network(params):
    """Parameters of imbench's network trained with the cross-entropy (the focal loss
    at gamma 0, alpha 0.5) unless ``params`` set the focal loss's; layer sizes as a
    tuple (YAML gives a list)."""
    sizes = params["hidden_layer_sizes"]
    return {"gamma": 0.0, "alpha": 0.5, **params, "hidden_layer_sizes": tuple(sizes)}


CLASSIFIERS = {
    entry.name: entry
    for entry in [
        Classifier(
            "logistic_regression",
            _logistic_regression,
            "sklearn.linear_model.LogisticRegression",
            defaults={"C": 1.0, "max_iter": 1000, "tol": 1e-4},  # tol: scikit-learn's
            traits=frozenset({"class_weight", "sample_weight", "scaling", "focal"}),
            # the same model and optimiser settings, fitted by imbench's L-BFGS
            focal_params=lambda p: {
                "hidden_layer_sizes": (),
                "l2": 1.0 / p["C"],
                "max_iter": p["max_iter"],
                "tol": p["tol"],
            },
        ),
        Classifier(
            "random_forest",
            _random_forest,
            "sklearn.ensemble.RandomForestClassifier",
            ("random_state", "n_jobs"),
            defaults={"n_estimators": 100, "min_samples_leaf": 1},
            traits=frozenset({"class_weight", "sample_weight", "forest", "trees"}),
        ),
        Classifier(
            "hist_gradient_boosting",
            _hist_gradient_boosting,
            "sklearn.ensemble.HistGradientBoostingClassifier",
            # a fixed number of iterations: with scikit-learn's early_stopping="auto"
            # (on above 10,000 rows) the validation model and its refit stop at
            # different iterations, and a threshold tuned on one misfits the other
            # (docs/design.md, "Fair comparisons")
            defaults={"max_iter": 100, "learning_rate": 0.1, "early_stopping": False},
            traits=frozenset({"class_weight", "sample_weight", "trees"}),
        ),
        Classifier(
            "adaboost",
            _adaboost,
            "sklearn.ensemble.AdaBoostClassifier",
            ("random_state", "estimator"),  # the weak learner is a stump
            defaults={"n_estimators": 50, "learning_rate": 1.0},
            traits=frozenset({"sample_weight", "adaboost"}),
        ),
        Classifier(
            "mlp",
            _mlp,
            "imbench.focal.FocalLossClassifier",
            ("random_state", "gamma", "alpha"),  # the loss is the method's
            # l2 3: trained to convergence by L-BFGS, a network with scikit-learn's
            # alpha of 1e-4 is overconfident (calibration slope 0.2); 3 makes it as
            # calibrated as MLPClassifier's (docs/sanity.md)
            defaults={"hidden_layer_sizes": [32], "l2": 3.0, "max_iter": 500},
            traits=frozenset({"sample_weight", "scaling", "focal", "neural"}),
            focal_params=_network,
            refined={
                "hidden_layer_sizes": {
                    "description": "a list of positive layer sizes",
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1},
                }
            },
        ),
        Classifier(
            "lightgbm",
            _lightgbm,
            set_by_imbench=("random_state", "n_jobs"),
            defaults={"n_estimators": 100, "learning_rate": 0.1, "num_leaves": 31},
            traits=frozenset({"class_weight", "sample_weight", "trees"}),
            refined=_boosting_params(
                {
                    "num_leaves": {"type": "integer", "minimum": 2},
                    "min_child_samples": {"type": "integer", "minimum": 0},
                    "subsample_freq": {"type": "integer", "minimum": 0},
                    "class_weight": {
                        "description": "None, 'balanced' or a weight per class",
                        "anyOf": [
                            {"type": "null"},
                            {"enum": ["balanced"]},
                            {"type": "object"},
                        ],
                    },
                }
            ),
            needs="lightgbm",
        ),
        Classifier(
            "xgboost",
            _xgboost,
            set_by_imbench=("random_state", "n_jobs"),
            defaults={"n_estimators": 100, "learning_rate": 0.1, "max_depth": 6},
            traits=frozenset({"class_weight", "sample_weight", "trees"}),
            refined=_boosting_params(
                {
                    "max_leaves": {"type": "integer", "minimum": 0},
                    "gamma": {"type": "number", "minimum": 0},
                    "class_weight": {
                        "description": "None or 'balanced' (scale_pos_weight)",
                        "anyOf": [{"type": "null"}, {"enum": ["balanced"]}],
                    },
                }
            ),
            needs="xgboost",
        ),
    ]
}


def _plugin_classifier(path, params, seed, threads):
    from imbench.plugins import build

    return build(path, params, seed)


TRAITS = (  # the traits a plug-in may declare (the others pick built-in rules)
    "class_weight",
    "sample_weight",
    "scaling",
    "trees",
    "neural",
)


def resolve(name, entry):
    """The classifier a config's ``classifiers.<name>`` entry names: a built-in, or a
    plug-in (``import``: the import path of anything scikit-learn-like with
    ``predict_proba``, with the ``traits`` it declares). Imports nothing."""
    if name in CLASSIFIERS:
        return CLASSIFIERS[name]
    path = entry["import"]
    return Classifier(
        name,
        functools.partial(_plugin_classifier, path),
        set_by_imbench=(),
        traits=frozenset(entry.get("traits", [])),
        plugin=path,
    )


# the registry of a config's classifiers, and the one of the step running now
ACTIVE = ActiveRegistry("classifiers", CLASSIFIERS, resolve)
registry, active, using = ACTIVE.registry, ACTIVE.active, ACTIVE.using


def derive_params(classifier):
    """JSON schema of each parameter of ``classifier``'s scikit-learn estimator, from
    the constraints scikit-learn checks when fitting (those a YAML config can express:
    numbers in intervals, strings, booleans, None, lists, mappings; callables and
    objects cannot be written in a config and are left out)."""
    module, _, name = classifier.estimator.rpartition(".")
    estimator = getattr(importlib.import_module(module), name)
    constraints = estimator._parameter_constraints  # scikit-learn's, read only here
    return {
        param: _schema_of(constraints[param])
        for param in sorted(constraints)
        if param not in classifier.set_by_imbench
    }


def _schema_of(constraints):
    from sklearn.utils._param_validation import (
        Hidden,
        Interval,
        Options,
        RealNotInt,
        StrOptions,
    )

    branches = []
    for constraint in constraints:
        if isinstance(constraint, Hidden):
            continue
        if isinstance(constraint, StrOptions):
            branches.append({"enum": sorted(constraint.options)})
        elif isinstance(constraint, Options):
            continue  # non-string options (e.g. inf) cannot come from a config
        elif isinstance(constraint, Interval):
            branches.append(_interval_schema(constraint, RealNotInt))
        elif constraint is None:
            branches.append({"type": "null"})
        elif constraint == "boolean":
            branches.append({"type": "boolean"})
        elif constraint == "verbose":
            branches += [{"type": "integer", "minimum": 0}, {"type": "boolean"}]
        elif constraint in ("array-like", list, tuple):
            branches.append({"type": "array"})
        elif constraint is dict:
            branches.append({"type": "object"})
        elif constraint is str:
            branches.append({"type": "string"})
        elif constraint is numbers.Integral:
            branches.append({"type": "integer"})
        elif constraint is numbers.Real:
            branches.append({"type": "number"})
    unique = [b for i, b in enumerate(branches) if b not in branches[:i]]
    description = " or ".join(
        f"one of {sorted(c.options)}"
        if isinstance(c, StrOptions)
        else c.__name__
        if isinstance(c, type)
        else str(c)
        for c in constraints
        if not isinstance(c, Hidden) and (isinstance(c, type) or not callable(c))
    )
    return {"description": description, "anyOf": unique or [{"not": {}}]}


def _interval_schema(interval, real_not_int):
    schema = {"type": "integer" if interval.type is numbers.Integral else "number"}
    if interval.type is real_not_int:
        schema["not"] = {"type": "integer"}
    closed_left = interval.closed in ("left", "both")
    closed_right = interval.closed in ("right", "both")
    if interval.left is not None:
        schema["minimum" if closed_left else "exclusiveMinimum"] = interval.left
    if interval.right is not None:
        schema["maximum" if closed_right else "exclusiveMaximum"] = interval.right
    return schema


if __name__ == "__main__":
    PARAMS_FILE.write_text(
        json.dumps(
            {
                name: derive_params(entry)
                for name, entry in CLASSIFIERS.items()
                if entry.estimator
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
