"""Registry of imbalance-handling methods.

A method wraps any compatible classifier into an estimator: usually an
imbalanced-learn ``Pipeline`` of [scaler] -> [sampler] -> model, so that scaling and
resampling are fitted on training data only. Each entry says, in its own part, how it
builds (``Recipe``), where it applies (``Applies``: classifier traits, decided
without importing scikit-learn, so the workflow can plan its DAG quickly; and the
neighbour counts a small training set lowers), how its handling is turned off for
the fair-comparison test (``Neutral``) and how tables and figures show it
(``Presentation``). A threshold view (``ThresholdView``) is the other kind of entry:
it fits nothing. A config's variants and plug-ins fill the same parts (``resolve``).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from imbench.active import ActiveRegistry
from imbench.classifiers import Classifier


@dataclass(frozen=True)
class Recipe:
    """How a method builds its estimator.

    ``factory(classifier, classifier_params, params, seed, threads)`` returns it
    unfitted, with ``defaults`` under the config's ``params``; ``keeps_members``: it
    is a bagging ensemble whose members' probabilities are stored;
    ``balances_inside``: each member or boosting round sees a balanced sample, so the
    model learns at a positive rate of 0.5 (for the others the rate is measured on
    what the model was trained on).
    """

    factory: Callable[..., Any]
    defaults: dict = field(default_factory=dict)
    keeps_members: bool = False
    balances_inside: bool = False


@dataclass(frozen=True)
class Applies:
    """Where a method applies: the classifier traits it ``requires`` (see
    ``Classifier.traits``), and its ``neighbour_params``, estimator parameters
    counting minority neighbours that are lowered to (minority count - 1) when a
    training set holds too few (``fitting.adapt_neighbours``)."""

    requires: frozenset = frozenset()
    neighbour_params: tuple = ()

    def not_applicable(self, method, classifier: Classifier) -> str | None:
        """Why ``method`` cannot wrap ``classifier``, or None if it can."""
        missing = sorted(self.requires - classifier.traits)
        if missing:
            return f"{classifier.name} lacks {', '.join(missing)} needed by {method}"
        return None


@dataclass(frozen=True)
class Neutral:
    """How a method's handling is turned off: ``settings`` are ``set_params`` that
    make it its baseline, whose predictions it then gives within ``tolerance`` (0,
    bit for bit, unless another optimiser or row order is involved; a test holds
    every allowed pair to it); a callable value is called for its setting. None
    where no setting does: a method built on another model family.
    ``unlike_baseline``: classifier name (or ``"*"``) -> why the neutralised method
    still differs from the baseline there; shown in the methods table and marked in
    figures when ``settings`` is None."""

    settings: dict | None = field(default_factory=dict)
    unlike_baseline: dict = field(default_factory=dict)
    tolerance: float = 0.0

    def unlike(self, classifier_name):
        """Why the neutralised method differs from the baseline on this classifier,
        or an empty string."""
        reasons = self.unlike_baseline
        return reasons.get(classifier_name, reasons.get("*", ""))

    @property
    def other_family(self):
        """No setting turns the method into its baseline."""
        return self.settings is None


@dataclass(frozen=True)
class Presentation:
    """How tables and figures show a method: its ``family`` (``FAMILIES``, or
    ``other``: figures give each family its own row, so that no panel shows more
    than a few methods) and a one-line ``description``."""

    family: str
    description: str


@dataclass(frozen=True)
class Plugin:
    """A method from outside imbench (``imbench.plugins``): its import ``path``, its
    ``kind`` (``sampler`` or ``estimator``) and the ``neutral`` parameters that, its
    config says, turn its handling off (the contract checks them)."""

    path: str
    kind: str
    neutral: dict | None = None


def _schema(params):
    return {"type": "object", "additionalProperties": False, "properties": params}


@dataclass(frozen=True)
class Method:
    """A named imbalance-handling method that fits its own estimator; ``params`` is
    the JSON schema of each parameter the config may set."""

    name: str
    recipe: Recipe
    shown: Presentation
    params: dict = field(default_factory=dict)
    applies: Applies = Applies()
    neutral: Neutral = Neutral()
    plugin: Plugin | None = None

    @property
    def defaults(self):
        """Parameters used where the config gives none."""
        return self.recipe.defaults

    def not_applicable(self, classifier: Classifier) -> str | None:
        """Why the method cannot wrap ``classifier``, or None if it can."""
        return self.applies.not_applicable(self.name, classifier)

    def config_schema(self):
        """JSON schema of the method's entry under ``methods`` in a config."""
        return _schema(self.params)

    def neutralised(self, estimator):
        """``estimator`` (built by this method) with its handling turned off."""
        settings = {
            key: value() if callable(value) else value
            for key, value in (self.neutral.settings or {}).items()
        }
        return estimator.set_params(**settings)

    def build(self, classifier, classifier_params=None, params=None, seed=0, threads=1):
        """Return the unfitted estimator for ``classifier``."""
        params = {**self.recipe.defaults, **(params or {})}
        classifier_params = {**classifier.defaults, **(classifier_params or {})}
        return self.recipe.factory(classifier, classifier_params, params, seed, threads)


@dataclass(frozen=True)
class ThresholdView:
    """A method that fits nothing: its baseline's predictions, with each fold's
    threshold tuned on the baseline's validation predictions for the criterion
    ``tunes(params)`` gives (``"f1"`` or a FN:FP cost ratio; ``imbench.views``). It
    applies wherever the baseline runs and thresholds are tuned; its probabilities
    are the baseline's, so it needs no neutral setting."""

    name: str
    tunes: Callable[[dict], str | float]
    shown: Presentation
    params: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    neutral: Neutral = Neutral()
    plugin: Plugin | None = None

    def criterion(self, params=None):
        """What the view tunes its threshold for, under the config's ``params``."""
        return self.tunes({**self.defaults, **(params or {})})

    def not_applicable(self, classifier: Classifier) -> str | None:
        """A view applies to every classifier."""
        return None

    def config_schema(self):
        """JSON schema of the view's entry under ``methods`` in a config."""
        return _schema(self.params)


def make_pipeline(classifier, model, sampler=None):
    """Chain [StandardScaler if the classifier wants it] -> [sampler] -> model."""
    from imblearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    steps = [("scale", StandardScaler())] if "scaling" in classifier.traits else []
    if sampler is not None:
        steps.append(("sampler", sampler))
    return Pipeline([*steps, ("model", model)])


def _baseline(classifier, cp, params, seed, threads):
    return make_pipeline(classifier, classifier.build(cp, seed, threads))


def _class_weight(classifier, cp, params, seed, threads):
    model = classifier.build(cp, seed, threads, class_weight="balanced")
    return make_pipeline(classifier, model)


def _sampler_method(sampler_factory, class_weight=False):
    """Method factory: ``sampler_factory(params, seed)`` before the classifier."""

    def factory(classifier, cp, params, seed, threads):
        extra = {"class_weight": "balanced"} if class_weight else {}
        model = classifier.build(cp, seed, threads, **extra)
        return make_pipeline(classifier, model, sampler_factory(params, seed))

    return factory


def _random_oversampler(params, seed):
    from imblearn.over_sampling import RandomOverSampler

    return RandomOverSampler(random_state=seed, **params)


def _random_undersampler(params, seed):
    from imblearn.under_sampling import RandomUnderSampler

    return RandomUnderSampler(random_state=seed, **params)


def _smote(params, seed):
    from imblearn.over_sampling import SMOTE

    return SMOTE(random_state=seed, **params)


def _adasyn(params, seed):
    from imblearn.over_sampling import ADASYN

    return ADASYN(random_state=seed, **params)


def _borderline_smote(params, seed):
    from imblearn.over_sampling import BorderlineSMOTE

    return BorderlineSMOTE(random_state=seed, **params)


def _smote_tomek(params, seed):
    from imblearn.combine import SMOTETomek

    return SMOTETomek(smote=_smote(params, seed), random_state=seed)


def _smote_enn(params, seed):
    from imblearn.combine import SMOTEENN

    return SMOTEENN(smote=_smote(params, seed), random_state=seed)


def _focal_loss(classifier, cp, params, seed, threads):
    from imbench.focal import FocalLossClassifier

    model = FocalLossClassifier(
        **{**classifier.focal_params(cp), **params}, random_state=seed
    )
    return make_pipeline(classifier, model)


def _tunes_f1(params):
    return "f1"


def _tunes_cost(params):
    return float(params["cost_ratio"])


def _undersample_ensemble(classifier, cp, params, seed, threads):
    from imblearn.ensemble import BalancedBaggingClassifier
    from imblearn.under_sampling import RandomUnderSampler

    bagging = BalancedBaggingClassifier(
        estimator=classifier.build(cp, seed, 1),
        n_estimators=params["n_members"],
        bootstrap=False,
        sampler=RandomUnderSampler(),
        random_state=seed,
        n_jobs=threads,
    )
    return make_pipeline(classifier, bagging)


def _balanced_random_forest(classifier, cp, params, seed, threads):
    from imblearn.ensemble import BalancedRandomForestClassifier

    forest = BalancedRandomForestClassifier(
        **cp, **params, random_state=seed, n_jobs=threads
    )
    return make_pipeline(classifier, forest)


def _rusboost(classifier, cp, params, seed, threads):
    """RUSBoost (Seiffert et al. 2010) of the AdaBoost classifier's weak learner,
    rounds and learning rate: AdaBoost with a random undersample at each round."""
    from imblearn.ensemble import RUSBoostClassifier

    adaboost = classifier.build(cp, seed, threads)
    booster = RUSBoostClassifier(
        estimator=adaboost.estimator,
        n_estimators=adaboost.n_estimators,
        learning_rate=adaboost.learning_rate,
        random_state=seed,
    )
    return make_pipeline(classifier, booster)


def _every_sample():
    """An undersampler's ``sampling_strategy`` that keeps every sample."""
    return _class_counts


def _class_counts(y):
    import numpy as np

    labels, counts = np.unique(y, return_counts=True)
    return dict(zip(labels.tolist(), counts.tolist(), strict=True))


SAMPLING_STRATEGY = {
    "description": "minority/majority ratio after resampling, or an imbalanced-learn "
    "keyword",
    "oneOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        {
            "enum": [
                "auto",
                "minority",
                "not majority",
                "not minority",
                "all",
                "majority",
            ]
        },
    ],
}
_NEIGHBOURS = {"type": "integer", "minimum": 1}
_MEMBERS = {"type": "integer", "minimum": 1, "maximum": 1000}
_SAMPLER = {"sampling_strategy": SAMPLING_STRATEGY}
_SMOTE = {"k_neighbors": _NEIGHBOURS, **_SAMPLER}
_K = ("sampler__k_neighbors",)


def _identity_sampler():
    """imbalanced-learn's sampler that returns its input: no resampling."""
    from imblearn import FunctionSampler

    return FunctionSampler()


_SMOTE_IN_COMBINATION = ("sampler__smote__k_neighbors",)
FAMILIES = (
    "baseline",
    "reweighting",
    "oversampling",
    "undersampling",
    "thresholds",
    "ensembles",
)
_CLASS_WEIGHT = frozenset({"class_weight"})

METHODS = {
    entry.name: entry
    for entry in [
        Method(
            "baseline",
            Recipe(_baseline),
            Presentation("baseline", "the classifier as is"),
        ),
        Method(
            "class_weight",
            Recipe(_class_weight),
            Presentation(
                "reweighting",
                "class weights inversely proportional to class frequencies",
            ),
            applies=Applies(requires=_CLASS_WEIGHT),
            neutral=Neutral({"model__class_weight": None}),
        ),
        Method(
            "random_oversample",
            Recipe(_sampler_method(_random_oversampler)),
            Presentation(
                "oversampling", "duplicate random minority samples up to balance"
            ),
            params=_SAMPLER,
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "random_undersample",
            Recipe(_sampler_method(_random_undersampler)),
            Presentation(
                "undersampling", "drop random majority samples down to balance"
            ),
            params=_SAMPLER,
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "smote",
            Recipe(_sampler_method(_smote), defaults={"k_neighbors": 5}),
            Presentation(
                "oversampling",
                "SMOTE: interpolate new minority samples between neighbours",
            ),
            params=_SMOTE,
            applies=Applies(neighbour_params=_K),
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "smote_class_weight",
            Recipe(
                _sampler_method(_smote, class_weight=True),
                defaults={"k_neighbors": 5, "sampling_strategy": 0.5},
            ),
            Presentation(
                "oversampling", "SMOTE part of the way, class weights for the rest"
            ),
            params=_SMOTE,
            applies=Applies(requires=_CLASS_WEIGHT, neighbour_params=_K),
            neutral=Neutral({"sampler": "passthrough", "model__class_weight": None}),
        ),
        Method(
            "adasyn",
            Recipe(_sampler_method(_adasyn), defaults={"n_neighbors": 5}),
            Presentation(
                "oversampling",
                "ADASYN: synthetic samples where the minority is hardest to learn",
            ),
            params={"n_neighbors": _NEIGHBOURS, **_SAMPLER},
            applies=Applies(neighbour_params=("sampler__n_neighbors",)),
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "borderline_smote",
            Recipe(
                _sampler_method(_borderline_smote),
                defaults={"k_neighbors": 5, "m_neighbors": 10},
            ),
            Presentation(
                "oversampling", "SMOTE on minority samples near the class border"
            ),
            params={**_SMOTE, "m_neighbors": _NEIGHBOURS},
            applies=Applies(neighbour_params=_K),
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "smote_tomek",
            Recipe(_sampler_method(_smote_tomek), defaults={"k_neighbors": 5}),
            Presentation("undersampling", "SMOTE, then remove Tomek links"),
            params=_SMOTE,
            applies=Applies(neighbour_params=_SMOTE_IN_COMBINATION),
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "smote_enn",
            Recipe(_sampler_method(_smote_enn), defaults={"k_neighbors": 5}),
            Presentation(
                "undersampling", "SMOTE, then clean with edited nearest neighbours"
            ),
            params=_SMOTE,
            applies=Applies(neighbour_params=_SMOTE_IN_COMBINATION),
            neutral=Neutral({"sampler": "passthrough"}),
        ),
        Method(
            "focal_loss",
            Recipe(_focal_loss, defaults={"gamma": 2.0, "alpha": 0.25}),
            Presentation(
                "reweighting", "the classifier's model trained with the focal loss"
            ),
            params={
                "gamma": {"type": "number", "minimum": 0},
                "alpha": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "exclusiveMaximum": 1,
                },
            },
            applies=Applies(requires=frozenset({"focal"})),
            neutral=Neutral(
                {"model__gamma": 0.0, "model__alpha": 0.5},
                tolerance=1e-12,  # linear: imbench's L-BFGS against scikit-learn's
            ),
        ),
        ThresholdView(
            "threshold_f1",
            _tunes_f1,
            Presentation(
                "thresholds",
                "baseline, threshold maximising F1 on its validation predictions",
            ),
        ),
        ThresholdView(
            "threshold_cost",
            _tunes_cost,
            Presentation(
                "thresholds",
                "baseline, threshold minimising expected cost on its validation "
                "predictions",
            ),
            params={"cost_ratio": {"type": "number", "exclusiveMinimum": 0}},
            defaults={"cost_ratio": 10.0},
        ),
        Method(
            "undersample_ensemble",
            Recipe(
                _undersample_ensemble,
                defaults={"n_members": 10},
                keeps_members=True,
                balances_inside=True,
            ),
            Presentation(
                "ensembles",
                "average of models each trained on a different random undersample",
            ),
            params={"n_members": _MEMBERS},
            neutral=Neutral(
                {"model__n_estimators": 1, "model__sampler": _identity_sampler},
                unlike_baseline={
                    "random_forest": "bagging reseeds its member: one member on all "
                    "rows is the forest with another seed",
                    "mlp": "bagging reseeds its member: one member on all rows is the "
                    "network from other initial weights",
                },
                tolerance=1e-9,  # the member sees the rows in another order
            ),
        ),
        Method(
            "balanced_random_forest",
            Recipe(_balanced_random_forest, balances_inside=True),
            Presentation(
                "ensembles", "random forest whose trees each see a balanced bootstrap"
            ),
            applies=Applies(requires=frozenset({"forest"})),
            neutral=Neutral(
                None,
                unlike_baseline={
                    "*": "imbalanced-learn's forest: its trees draw their samples "
                    "otherwise than scikit-learn's"
                },
            ),
        ),
        Method(
            "rusboost",
            Recipe(_rusboost, balances_inside=True),
            Presentation(
                "ensembles",
                "RUSBoost: AdaBoost with random undersampling at each round",
            ),
            applies=Applies(requires=frozenset({"adaboost"})),
            neutral=Neutral(
                {"model__sampling_strategy": _every_sample},
                # imbalanced-learn's boosting loop multiplies the weights where
                # scikit-learn's adds their logarithms
                tolerance=1e-9,
            ),
        ),
    ]
}


PLUGIN_KINDS = ("sampler", "estimator")
PLUGIN_TOLERANCE = 1e-9  # a neutral sampler may pass the rows on in another order


def _plugin_sampler(path, classifier, cp, params, seed, threads):
    """The sampler at ``path`` before the classifier, built afresh at each fit."""
    from imblearn import FunctionSampler

    from imbench.plugins import resample

    sampler = FunctionSampler(
        func=resample,
        kw_args={"path": path, "params": params, "seed": seed},
        validate=False,
    )
    model = classifier.build(cp, seed, threads)
    return make_pipeline(classifier, model, sampler)


def _plugin_estimator(path, classifier, cp, params, seed, threads):
    """The estimator at ``path`` wrapping the classifier's model (``estimator=``)."""
    from imbench.plugins import build

    model = build(path, {"estimator": classifier.build(cp, seed, 1), **params}, seed)
    return make_pipeline(classifier, model)


def resolve(name, entry):
    """The method a config's ``methods.<name>`` entry names: a built-in, a variant of
    one (``like``, with its own ``params``) or a plug-in (``sampler`` or
    ``estimator``: an import path). Imports nothing (planning stays light)."""
    if name in METHODS:
        return METHODS[name]
    base = METHODS.get(entry.get("like"))
    shown = replace(
        base.shown if base else Presentation("other", ""),
        **{key: entry[key] for key in ("family", "description") if key in entry},
    )
    if base:
        return replace(base, name=name, shown=shown)
    kind = next(kind for kind in PLUGIN_KINDS if kind in entry)
    path, neutral = entry[kind], entry.get("neutral")
    if kind == "sampler":  # the pipeline's sampler, whatever the plug-in's settings
        settings, factory = {"sampler": "passthrough"}, _plugin_sampler
    else:
        settings = {f"model__{k}": v for k, v in neutral.items()} if neutral else None
        factory = _plugin_estimator
    return Method(
        name,
        Recipe(functools.partial(factory, path)),
        replace(shown, description=shown.description or f"{kind} {path}"),
        neutral=Neutral(
            settings,
            {} if settings else {"*": f"the plug-in {path}"},
            entry.get("tolerance", PLUGIN_TOLERANCE),
        ),
        plugin=Plugin(path, kind, neutral),
    )


def method_params(name, entry):
    """The parameters a config's ``methods.<name>`` entry sets: the entry itself
    for a built-in, its ``params`` for a variant or a plug-in."""
    return entry if name in METHODS else entry.get("params", {})


# the registry of a config's methods, and the one of the step running now
ACTIVE = ActiveRegistry("methods", METHODS, resolve)
registry, active, using = ACTIVE.registry, ACTIVE.active, ACTIVE.using
