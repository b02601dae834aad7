"""``make_classification`` data at each configured positive rate."""

import dataclasses
import os

from imbench.errors import ConfigError
from imbench.sources import DatasetSpec, check_minority, rate_name, subsample


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """A generated instance: ``generator`` holds ``make_classification``'s size and
    shape parameters and ``label_noise``."""

    kind = "synthetic"

    generator: dict

    def data_bytes(self):
        return self.rows * self.generator["n_features"] * 8  # float64

    def minority(self):
        positives = round(self.rate * self.rows)
        return min(positives, self.rows - positives)


def expand(config, base_dir):
    """One instance per positive rate and generator seed."""
    if "synthetic" not in config["datasets"]:
        return
    generator = dict(config["datasets"]["synthetic"])
    seeds = generator.pop("seeds")
    _check_generator(generator)
    n_samples = generator["n_samples"]
    for rate in config["positive_rates"]:
        for seed in range(seeds):
            spec = Spec(
                name=f"synthetic-r{rate_name(rate)}-s{seed}",
                source="synthetic",
                rate=rate,
                rows=n_samples,
                generator=generator,
            )
            check_minority(spec.name, spec.minority(), config, "datasets.synthetic")
            yield spec


GENERATION_COPIES = 3  # generated X at twice the size, its subsample, the job's copy


def _check_generator(generator):
    """What ``make_classification`` would reject, and data too large for memory."""
    where = "datasets.synthetic"
    informative = generator["n_informative"]
    if informative + generator["n_redundant"] > generator["n_features"]:
        raise ConfigError(f"{where}: n_informative + n_redundant exceeds n_features")
    clusters = generator["n_clusters_per_class"]
    if 2 * clusters > 2**informative:
        raise ConfigError(
            f"{where}: 2 classes x n_clusters_per_class = {2 * clusters} exceeds "
            f"2**n_informative = {2**informative} (make_classification's limit)"
        )
    needed = GENERATION_COPIES * 2 * generator["n_samples"] * generator["n_features"]
    needed *= 8  # float64
    available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if needed > available:
        raise ConfigError(
            f"{where}: n_samples x n_features needs about {needed / 2**30:,.0f} GiB "
            f"to generate, more than this machine's {available / 2**30:,.0f} GiB"
        )


def load(spec):
    return (*generate(spec.rate, spec.seed, **spec.generator), [])


def generate(rate, seed, n_samples, label_noise=0.0, noise="shuffle", **generator):
    """``make_classification`` data at positive rate ``rate``.

    With ``noise="shuffle"`` the rate is exact: label noise as ``flip_y`` would pull
    it towards 50%, so instead a random subset of ``label_noise * n_samples`` samples
    has its labels shuffled among itself: those labels no longer depend on the
    features, and the class counts do not move. ``noise="flip_y"`` is scikit-learn's
    own generator, ``weights=[1 - rate, rate]`` and ``flip_y=label_noise`` (each
    noisy label drawn at random), whose realised rate drifts towards 50%.
    """
    import numpy as np
    from sklearn.datasets import make_classification

    if noise == "flip_y":
        return make_classification(
            n_samples=n_samples,
            weights=[1 - rate, rate],
            flip_y=label_noise,
            random_state=seed,
            **generator,
        )

    n_positive = round(rate * n_samples)
    X, y = make_classification(
        n_samples=2 * n_samples,
        weights=[1 - rate, rate],
        flip_y=0.0,
        random_state=seed,
        **generator,
    )
    X, y = subsample(X, y, n_samples - n_positive, n_positive, seed)
    rng = np.random.default_rng([seed, 1])
    noisy = rng.choice(n_samples, size=round(label_noise * n_samples), replace=False)
    y[noisy] = rng.permutation(y[noisy])
    return X, y
