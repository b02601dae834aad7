"""Registry of imbalance-handling methods.

A method wraps any compatible classifier into an estimator: usually an
imbalanced-learn ``Pipeline`` of [scaler] -> [sampler] -> model, so that scaling and
resampling are fitted on training data only. Applicability is decided from classifier
traits, without importing scikit-learn, so the workflow can plan its DAG quickly.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from imbench.classifiers import Classifier


@dataclass(frozen=True)
class Method:
    """A named imbalance-handling method.

    Parameters
    ----------
    name : str
        Registry key, used in configs and file paths.
    factory : callable
        ``factory(classifier, classifier_params, params, seed, threads)`` returns an
        unfitted estimator.
    description : str
        One line for tables and docs.
    family : str
        The kind of handling (``FAMILIES``): figures give each family its own row,
        so that no panel shows more than a few methods.
    defaults : dict
        Method parameters used where the config gives none.
    requires : frozenset of str
        Classifier traits the method needs (see ``Classifier.traits``).
    neighbour_params : tuple of str
        Estimator parameters that count minority-class neighbours; they are lowered to
        (minority count - 1) when a training set holds too few minority samples.
    params : dict
        JSON schema of each parameter the config may set (the config schema's entry
        for the method is built from it).
    keeps_members : bool
        The estimator is a bagging ensemble whose members' probabilities are stored.
    balances_inside : bool
        The model balances the classes inside itself (each member or boosting round
        sees a balanced sample), so it learns at a positive rate of 0.5; for the other
        methods the rate is measured on what the model was trained on.
    neutral : dict or None
        ``set_params`` that turn the handling off (a callable value is called for
        it): the method is then its baseline, whose predictions it gives (a test
        holds every allowed pair to it). None where no setting does: a method built
        on another model family.
    unlike_baseline : dict
        Classifier name (or ``"*"``) -> why the neutralised method still differs from
        the baseline there; shown in the methods table and marked in figures when
        ``neutral`` is None.
    tolerance : float
        How far the neutralised method's probabilities may lie from the baseline's:
        0 (bit for bit) unless another optimiser or row order is involved.
    threshold_criterion : callable or None
        ``threshold_criterion(params)`` is the criterion (``"f1"`` or a FN:FP cost
        ratio) the method tunes its threshold for. Such a method fits nothing: it is a
        view of the baseline cell, whose predictions it shares, with each fold's
        threshold tuned on the baseline's validation predictions (``imbench.views``).
    """

    name: str
    factory: Callable[..., Any]
    description: str
    family: str
    defaults: dict = field(default_factory=dict)
    requires: frozenset = frozenset()
    neighbour_params: tuple = ()
    params: dict = field(default_factory=dict)
    keeps_members: bool = False
    balances_inside: bool = False
    neutral: dict | None = field(default_factory=dict)
    unlike_baseline: dict = field(default_factory=dict)
    tolerance: float = 0.0
    threshold_criterion: Callable[[dict], str | float] | None = None

    @property
    def is_view(self):
        """The method fits nothing: it is a view of its baseline cell."""
        return self.threshold_criterion is not None

    def criterion(self, params=None):
        """What a view tunes its threshold for, under the config's ``params``."""
        return self.threshold_criterion({**self.defaults, **(params or {})})

    def not_applicable(self, classifier: Classifier) -> str | None:
        """Why the method cannot wrap ``classifier``, or None if it can."""
        missing = sorted(self.requires - classifier.traits)
        if missing:
            return f"{classifier.name} lacks {', '.join(missing)} needed by {self.name}"
        return None

    def config_schema(self):
        """JSON schema of the method's entry under ``methods`` in a config."""
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": self.params,
        }

    def neutralised(self, estimator):
        """``estimator`` (built by this method) with its handling turned off."""
        settings = {
            key: value() if callable(value) else value
            for key, value in (self.neutral or {}).items()
        }
        return estimator.set_params(**settings)

    def unlike(self, classifier_name):
        """Why the neutralised method differs from the baseline on this classifier,
        or an empty string."""
        reasons = self.unlike_baseline
        return reasons.get(classifier_name, reasons.get("*", ""))

    def build(self, classifier, classifier_params=None, params=None, seed=0, threads=1):
        """Return the unfitted estimator for ``classifier``."""
        params = {**self.defaults, **(params or {})}
        classifier_params = {**classifier.defaults, **(classifier_params or {})}
        return self.factory(classifier, classifier_params, params, seed, threads)


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


def _easy_ensemble(classifier, cp, params, seed, threads):
    from imblearn.ensemble import EasyEnsembleClassifier
    from sklearn.ensemble import AdaBoostClassifier

    booster = AdaBoostClassifier(
        estimator=classifier.build(cp, seed, 1),
        n_estimators=params["boosting_rounds"],
        random_state=seed,
    )
    ensemble = EasyEnsembleClassifier(
        n_estimators=params["n_members"],
        estimator=booster,
        random_state=seed,
        n_jobs=threads,
    )
    return make_pipeline(classifier, ensemble)


def _rusboost(classifier, cp, params, seed, threads):
    from imblearn.ensemble import RUSBoostClassifier

    booster = RUSBoostClassifier(
        estimator=classifier.build(cp, seed, threads),
        n_estimators=params["boosting_rounds"],
        random_state=seed,
    )
    return make_pipeline(classifier, booster)


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
_SAMPLE_WEIGHT = frozenset({"sample_weight"})
_CLASS_WEIGHT = frozenset({"class_weight"})

METHODS = {
    entry.name: entry
    for entry in [
        Method("baseline", _baseline, "the classifier as is", family="baseline"),
        Method(
            "class_weight",
            _class_weight,
            "class weights inversely proportional to class frequencies",
            family="reweighting",
            requires=_CLASS_WEIGHT,
            neutral={"model__class_weight": None},
        ),
        Method(
            "random_oversample",
            _sampler_method(_random_oversampler),
            "duplicate random minority samples up to balance",
            family="oversampling",
            params=_SAMPLER,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "random_undersample",
            _sampler_method(_random_undersampler),
            "drop random majority samples down to balance",
            family="undersampling",
            params=_SAMPLER,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "smote",
            _sampler_method(_smote),
            "SMOTE: interpolate new minority samples between neighbours",
            family="oversampling",
            defaults={"k_neighbors": 5},
            params=_SMOTE,
            neighbour_params=_K,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "smote_class_weight",
            _sampler_method(_smote, class_weight=True),
            "SMOTE part of the way, class weights for the rest",
            family="oversampling",
            defaults={"k_neighbors": 5, "sampling_strategy": 0.5},
            requires=_CLASS_WEIGHT,
            params=_SMOTE,
            neighbour_params=_K,
            neutral={"sampler": "passthrough", "model__class_weight": None},
        ),
        Method(
            "adasyn",
            _sampler_method(_adasyn),
            "ADASYN: synthetic samples where the minority is hardest to learn",
            family="oversampling",
            defaults={"n_neighbors": 5},
            params={"n_neighbors": _NEIGHBOURS, **_SAMPLER},
            neighbour_params=("sampler__n_neighbors",),
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "borderline_smote",
            _sampler_method(_borderline_smote),
            "SMOTE on minority samples near the class border",
            family="oversampling",
            defaults={"k_neighbors": 5, "m_neighbors": 10},
            params={**_SMOTE, "m_neighbors": _NEIGHBOURS},
            neighbour_params=_K,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "smote_tomek",
            _sampler_method(_smote_tomek),
            "SMOTE, then remove Tomek links",
            family="undersampling",
            defaults={"k_neighbors": 5},
            params=_SMOTE,
            neighbour_params=_SMOTE_IN_COMBINATION,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "smote_enn",
            _sampler_method(_smote_enn),
            "SMOTE, then clean with edited nearest neighbours",
            family="undersampling",
            defaults={"k_neighbors": 5},
            params=_SMOTE,
            neighbour_params=_SMOTE_IN_COMBINATION,
            neutral={"sampler": "passthrough"},
        ),
        Method(
            "focal_loss",
            _focal_loss,
            "the classifier's model trained with the focal loss",
            family="reweighting",
            defaults={"gamma": 2.0, "alpha": 0.25},
            params={
                "gamma": {"type": "number", "minimum": 0},
                "alpha": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "exclusiveMaximum": 1,
                },
            },
            requires=frozenset({"focal"}),
            neutral={"model__gamma": 0.0, "model__alpha": 0.5},
            tolerance=1e-12,  # linear: imbench's L-BFGS against scikit-learn's
        ),
        Method(
            "threshold_f1",
            _baseline,
            "baseline, threshold maximising F1 on its validation predictions",
            family="thresholds",
            threshold_criterion=_tunes_f1,
        ),
        Method(
            "threshold_cost",
            _baseline,
            "baseline, threshold minimising expected cost on its validation "
            "predictions",
            family="thresholds",
            defaults={"cost_ratio": 10.0},
            params={"cost_ratio": {"type": "number", "exclusiveMinimum": 0}},
            threshold_criterion=_tunes_cost,
        ),
        Method(
            "undersample_ensemble",
            _undersample_ensemble,
            "average of models each trained on a different random undersample",
            family="ensembles",
            defaults={"n_members": 10},
            params={"n_members": _MEMBERS},
            keeps_members=True,
            balances_inside=True,
            neutral={"model__n_estimators": 1, "model__sampler": _identity_sampler},
            unlike_baseline={
                "random_forest": "bagging reseeds its member: one member on all rows "
                "is the forest with another seed",
                "mlp": "bagging reseeds its member: one member on all rows is the "
                "network from other initial weights",
            },
            tolerance=1e-9,  # the member sees the rows in another order
        ),
        Method(
            "balanced_random_forest",
            _balanced_random_forest,
            "random forest whose trees each see a balanced bootstrap",
            family="ensembles",
            requires=frozenset({"forest"}),
            balances_inside=True,
            neutral=None,
            unlike_baseline={
                "*": "imbalanced-learn's forest: its trees draw their samples "
                "otherwise than scikit-learn's"
            },
        ),
        Method(
            "easy_ensemble",
            _easy_ensemble,
            "EasyEnsemble: AdaBoost learners on balanced undersamples",
            family="ensembles",
            defaults={"n_members": 10, "boosting_rounds": 10},
            params={"n_members": _MEMBERS, "boosting_rounds": _MEMBERS},
            requires=_SAMPLE_WEIGHT,
            balances_inside=True,
            neutral=None,
            unlike_baseline={
                "*": "AdaBoost ensembles built on the classifier: another model family"
            },
        ),
        Method(
            "rusboost",
            _rusboost,
            "RUSBoost: AdaBoost with random undersampling at each round",
            family="ensembles",
            defaults={"boosting_rounds": 10},
            params={"boosting_rounds": _MEMBERS},
            requires=_SAMPLE_WEIGHT,
            balances_inside=True,
            neutral=None,
            unlike_baseline={"*": "AdaBoost on the classifier: another model family"},
        ),
    ]
}
