"""scikit-learn's bundled datasets, one class against the rest, brought to each rate."""

import dataclasses

from imbench.errors import ConfigError
from imbench.sources import DatasetSpec, check_minority, rate_name, subsample

# Class counts per loader and label, so that configs are checked at planning time
# without loading the data (a test checks them against scikit-learn).
CLASS_COUNTS = {
    "breast_cancer": {0: 212, 1: 357},
    "digits": {
        0: 178,
        1: 182,
        2: 177,
        3: 183,
        4: 181,
        5: 182,
        6: 181,
        7: 179,
        8: 174,
        9: 180,
    },
    "wine": {0: 59, 1: 71, 2: 48},
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """``positive_label`` of scikit-learn's ``load_<loader>`` against the rest."""

    kind = "builtin"

    loader: str
    positive_label: int

    def pool(self):
        counts = CLASS_COUNTS[self.loader]
        positives = counts[self.positive_label]
        return sum(counts.values()) - positives, positives

    def minority(self):
        negatives, positives = self.pool()
        return min(counts_at_rate(positives, negatives, self.rate))


def counts_at_rate(n_positive, n_negative, rate):
    """Class counts that hit ``rate`` by removing samples of one class only.

    Returns
    -------
    tuple of int
        ``(n_negative, n_positive)`` kept.
    """
    if rate <= n_positive / (n_positive + n_negative):
        return n_negative, max(1, round(rate * n_negative / (1 - rate)))
    return max(1, round(n_positive * (1 - rate) / rate)), n_positive


def expand(config, base_dir):
    """One instance per entry, rate and seed."""
    for i, entry in enumerate(config["datasets"]["builtin"]):
        where = f"datasets.builtin.{i}"
        counts = CLASS_COUNTS[entry["loader"]]
        label = entry["positive_label"]
        if label not in counts:
            raise ConfigError(
                f"{where}.positive_label: {label} is not a class of {entry['loader']} "
                f"({sorted(counts)})"
            )
        source = f"{entry['loader']}-p{label}"
        n_positive = counts[label]
        n_negative = sum(counts.values()) - n_positive
        for rate in entry.get("positive_rates", config["positive_rates"]):
            kept = counts_at_rate(n_positive, n_negative, rate)
            for seed in range(entry["seeds"]):
                name = f"{source}-r{rate_name(rate)}-s{seed}"
                check_minority(name, min(kept), config, where)
                yield Spec(
                    name=name,
                    source=source,
                    rate=rate,
                    rows=sum(kept),
                    loader=entry["loader"],
                    positive_label=label,
                )


def load(spec):
    import numpy as np
    import sklearn.datasets

    loader = getattr(sklearn.datasets, f"load_{spec.loader}")
    X, labels = loader(return_X_y=True)
    y = (labels == spec.positive_label).astype(np.int64)
    n_negative, n_positive = counts_at_rate(y.sum(), len(y) - y.sum(), spec.rate)
    X, y = subsample(X.astype(np.float64), y, n_negative, n_positive, spec.seed)
    return X, y, []
