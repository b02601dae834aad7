"""Registry of base classifiers.

An entry knows how to build its estimator and which traits it has, so that methods can
say statically (without importing scikit-learn) whether they apply to it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
        What the estimator supports: ``class_weight``, ``sample_weight``, ``scaling``
        (wants standardised inputs), ``focal`` (has a focal-loss analogue),
        ``forest`` (is a random forest), ``trees`` (a tree ensemble), ``neural`` (a
        neural network); the last two pick the rule of thumb in the decision guide.
    focal_params : callable or None
        Maps the classifier's parameters to those of the focal-loss analogue.
    """

    name: str
    factory: Callable[[dict, int, int], Any]
    defaults: dict = field(default_factory=dict)
    traits: frozenset = frozenset()
    focal_params: Callable[[dict], dict] | None = None

    def build(self, params=None, seed=0, threads=1, **overrides):
        """Return an unfitted estimator with defaults, ``params`` and ``overrides``."""
        return self.factory(
            {**self.defaults, **(params or {}), **overrides}, seed, threads
        )


def _logistic_regression(params, seed, threads):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(**params, random_state=seed)


def _random_forest(params, seed, threads):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(**params, random_state=seed, n_jobs=threads)


def _hist_gradient_boosting(params, seed, threads):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**params, random_state=seed)


def _mlp(params, seed, threads):
    from sklearn.neural_network import MLPClassifier

    params = {
        **params,
        "hidden_layer_sizes": _layer_sizes(params["hidden_layer_sizes"]),
    }
    return MLPClassifier(**params, random_state=seed)


def _layer_sizes(sizes):
    """Hidden layer sizes as a tuple (YAML gives a list or one integer)."""
    return tuple(sizes) if isinstance(sizes, list | tuple) else (sizes,)


CLASSIFIERS = {
    entry.name: entry
    for entry in [
        Classifier(
            "logistic_regression",
            _logistic_regression,
            defaults={"C": 1.0, "max_iter": 1000},
            traits=frozenset({"class_weight", "sample_weight", "scaling", "focal"}),
            focal_params=lambda p: {"hidden_layer_sizes": (), "l2": 1.0 / p["C"]},
        ),
        Classifier(
            "random_forest",
            _random_forest,
            defaults={"n_estimators": 100, "min_samples_leaf": 1},
            traits=frozenset({"class_weight", "sample_weight", "forest", "trees"}),
        ),
        Classifier(
            "hist_gradient_boosting",
            _hist_gradient_boosting,
            defaults={"max_iter": 100, "learning_rate": 0.1},
            traits=frozenset({"class_weight", "sample_weight", "trees"}),
        ),
        Classifier(
            "mlp",
            _mlp,
            defaults={"hidden_layer_sizes": [32], "alpha": 1e-4, "max_iter": 500},
            traits=frozenset({"sample_weight", "scaling", "focal", "neural"}),
            focal_params=lambda p: {
                "hidden_layer_sizes": _layer_sizes(p["hidden_layer_sizes"]),
                "l2": p["alpha"],
                "max_iter": p["max_iter"],
            },
        ),
    ]
}
