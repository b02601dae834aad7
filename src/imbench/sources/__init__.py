"""Dataset sources: where the benchmark's dataset instances come from.

Each source is a module of this package with a ``Spec`` (a frozen dataclass, one per
dataset instance), ``expand(config, base_dir)`` yielding the specs a config asks for
(checked at planning time, standard library only; a source that selects from a
collection defines ``instances(config, base_dir)`` instead, returning the specs and
``(name, reason)`` of every dataset it leaves out, both from one pass over the
collection), and ``load(spec)`` returning
``(X, y, warnings)``: ``y`` in {0, 1}, 1 the positive class, and one-line warnings
about the data (kept in the dataset's record and ``datasets.csv``). Adding a source
is a module here, an entry in ``_registry`` and its schema keys.
"""

import dataclasses
import math

from imbench.errors import ConfigError, DatasetError


@dataclasses.dataclass(frozen=True, kw_only=True)
class DatasetSpec:
    """What every dataset instance has.

    ``name`` names its files; ``source`` groups instances in tables; ``rate`` is the
    target positive rate (None: the data's own); ``rows`` is its size when known
    before loading (None for files); ``seed`` seeds its making, derived from its name
    by ``expand``.
    """

    kind = "abstract"  # set by each source: the key of ``SOURCES``

    name: str
    source: str
    rate: float | None
    rows: int | None = None
    seed: int | None = None

    def origin(self):
        """What error messages name: the source, or a user's file."""
        return self.source

    def data_bytes(self):
        """The size of its features in memory, when known before loading; None for
        data small enough not to matter or of unknown size."""
        return None

    def minority(self):
        """Its minority samples, when known before it is read (None otherwise)."""
        return None

    def shown_rate(self, realized_rate):
        """The positive rate its results are grouped and shown at: its target, or
        for data at its own rate the rate it has."""
        return self.rate if self.rate is not None else round(realized_rate, 4)

    def counted_as(self):
        """The observation it counts as in every test when the source knows
        (datasets derived from one base set: one observation), else None."""
        return None

    def pool(self):
        """``(negatives, positives)`` of the finite set its instances are drawn from
        without replacement, or None when each instance is an independent draw (a
        generator's seed) or the only one of its data."""
        return None

    def record(self):
        """The spec as JSON-able data: what a job receives and its dataset records."""
        return {"kind": self.kind, **dataclasses.asdict(self)}


def stratified_splits(config):
    """``[key, value]`` of every stratified split: the outer folds first, then the
    splits of a training fold (inner folds, or the holdout's fraction, and the inner
    folds a dataset with too few positives for a holdout uses instead)."""
    splits = [["cv.folds", config["cv"]["folds"]]]
    thresholds = config["thresholds"]
    if thresholds["strategy"] == "holdout":
        splits.append(["thresholds.holdout_fraction", thresholds["holdout_fraction"]])
    if thresholds["strategy"] == "inner_cv" or (
        thresholds["strategy"] == "holdout" and thresholds.get("holdout_min_positives")
    ):
        splits.append(["thresholds.inner_folds", thresholds["inner_folds"]])
    return splits


def minority_problem(minority, splits):
    """What is wrong when ``minority`` samples must be split stratified by ``splits``
    (``stratified_splits``), or None: each fold, inner fold and holdout must hold at
    least one."""
    (outer_key, folds), *inner = splits
    if minority < folds:
        return f"{minority} minority samples, fewer than {outer_key} = {folds}"
    in_training = minority - -(-minority // folds)  # the smallest training fold
    for key, value in inner:
        if isinstance(value, int):  # inner folds
            needed, what = value, f"{key} = {value}"
        else:  # a holdout of this fraction
            needed = math.ceil(round(1 / value, 9))
            what = f"the {needed} a holdout of {key} = {value} needs to hold one"
        if in_training < needed:
            return (
                f"{in_training} minority samples in a training fold, fewer than {what}"
            )
    return None


def check_minority(name, minority, config, where):
    """``ConfigError`` at ``where`` when instance ``name`` cannot be split."""
    problem = minority_problem(minority, stratified_splits(config))
    if problem:
        raise ConfigError(f"{where}: {name} would have {problem}")


def rate_name(rate):
    """A positive rate as it appears in instance names (``0.05``)."""
    return f"{rate:g}"


def subsample(X, y, n_negative, n_positive, seed):
    """Keep ``n_negative`` and ``n_positive`` random samples, in a random order."""
    import numpy as np
    from imblearn.datasets import make_imbalance

    X, y = make_imbalance(
        X, y, sampling_strategy={0: n_negative, 1: n_positive}, random_state=seed
    )
    order = np.random.default_rng(seed).permutation(len(y))
    return X[order], y[order]


def one_hot(values, declared):
    """``(columns, levels)``: 0/1 columns of ``values`` over the ``declared`` levels
    (one column, for the second level, when there are two), a map fixed by the
    declaration, so that no row's value shapes it and encoding before the folds
    leaks nothing (KEEL's ``@attribute`` values, OpenML's categories)."""
    import numpy as np

    levels = list(declared[1:] if len(declared) == 2 else declared)
    values = np.asarray(values, dtype=object)
    columns = np.column_stack([values == level for level in levels]).astype(float)
    return columns.reshape(len(values), len(levels)), levels


# instances of one source and rate expected to share more than this fraction of their
# rows are near-copies: together they are one observation of every test
SHARED_ROWS = 0.5


def shared_rows(record):
    """The expected fraction of its rows that an instance (a dataset ``record`` with
    its realized class counts) shares with another instance of its source at its
    rate: each class is drawn without replacement from the source's ``pool``, so two
    draws of ``k`` of ``N`` share ``k**2 / N`` rows on average; 0 for independent
    draws."""
    pool = _spec(record).pool()
    if pool is None:
        return 0.0
    kept = (record["n_samples"] - record["n_positive"], record["n_positive"])
    common = sum(k**2 / n for k, n in zip(kept, pool, strict=True))
    return common / record["n_samples"]


def shown_rate(record):
    """``DatasetSpec.shown_rate`` of a loaded instance's ``record``."""
    return _spec(record).shown_rate(record["realized_rate"])


def observation(record):
    """The observation an instance counts as in every test: the one its source says
    (``DatasetSpec.counted_as``: KEEL's family in its tier), or the instance itself,
    or, where instances of its source and rate are near-copies (``shared_rows``
    above ``SHARED_ROWS``), the source at that rate."""
    counted_as = _spec(record).counted_as()
    if counted_as:
        return counted_as
    if shared_rows(record) > SHARED_ROWS:
        return f"{record['source']}-r{rate_name(record['rate'])}"
    return record["name"]


def _spec(record):
    """The ``Spec`` a ``record`` describes (extra keys, such as realized counts,
    ignored)."""
    sources = _registry()
    if record.get("kind") not in sources:
        raise ValueError(f"unknown dataset kind {record.get('kind')!r}")
    spec = sources[record["kind"]].Spec
    names = {f.name for f in dataclasses.fields(spec)}
    return spec(**{k: v for k, v in record.items() if k in names})


def _registry():
    from imbench.sources import builtin, files, imblearn, keel, openml, synthetic

    return {
        module.Spec.kind: module
        for module in (synthetic, builtin, files, imblearn, keel, openml)
    }


def expand(config, base_dir, seed_of):
    """``(specs, excluded)``: the specs of every dataset instance ``config`` asks for,
    source by source, each seeded by ``seed_of(name)``, and ``(name, source,
    reason)`` of every dataset a source's filters or the folds leave out."""
    specs, excluded = [], []
    for kind, module in _registry().items():
        if hasattr(module, "instances"):
            chosen, left_out = module.instances(config, base_dir)
        else:
            chosen, left_out = module.expand(config, base_dir), []
        specs += [dataclasses.replace(s, seed=seed_of(s.name)) for s in chosen]
        excluded += [(name, kind, reason) for name, reason in left_out]
    return specs, excluded


def load(record, splits):
    """``(X, y, info)`` of the instance a spec ``record`` describes; ``info`` adds the
    realized class counts to the record. ``DatasetError`` when the data cannot be
    split by ``splits`` (only knowable once it is read)."""
    spec = _spec(record)
    X, y, warnings = _registry()[record["kind"]].load(spec)
    n_positive = int(y.sum())
    problem = minority_problem(min(n_positive, len(y) - n_positive), splits)
    if problem:
        raise DatasetError(f"{spec.origin()!r}: {problem}")
    info = {
        **record,
        "n_samples": len(y),
        "n_features": X.shape[1],
        "n_positive": n_positive,
        "realized_rate": n_positive / len(y),
        "warnings": warnings,
    }
    return X, y, info
