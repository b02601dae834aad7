"""The records a cell is planned, fitted and stored by, and the columns of the tables
that hold them.

Records are typed here and become JSON only where they cross a boundary: Snakemake's
params (``FitParams.to_json``) and the metadata stored with a cell's predictions
(``CellRecord.to_json``). Standard library only: planning builds ``FitParams``.
"""

import json
from dataclasses import asdict, dataclass, field, fields, replace

CELL_KEYS = ["dataset", "classifier", "method"]  # a cell, in every table
FOLD_KEYS = ["repeat", "fold", "threshold_rule", "metric"]  # a score of a cell
POOLED = -1  # the fold of a repeat's pooled score: from its folds' summed counts
METRIC_COLUMNS = [*CELL_KEYS, *FOLD_KEYS, "value", "missing"]  # a metrics file


@dataclass(frozen=True)
class OuterCV:
    """The outer repeated stratified cross-validation (the dataset's seed, so that
    every method of a dataset sees the same folds)."""

    folds: int
    repeats: int
    seed: int


@dataclass(frozen=True)
class Validation:
    """How a training fold is split for the validation predictions thresholds are
    chosen on (the config's ``thresholds`` block): ``inner_cv`` (``inner_folds``
    folds), ``holdout`` (one split, ``holdout_fraction`` held out) or ``none``."""

    strategy: str
    inner_folds: int
    holdout_fraction: float


@dataclass(frozen=True)
class FitParams:
    """Everything a cell's fit depends on besides its data and code: the params part
    of its cache key, so that changing it refits only that cell. ``seed`` is shared
    by every method of a classifier on a dataset (common random numbers)."""

    classifier_params: dict
    method_params: dict
    seed: int
    cv: OuterCV
    thresholds: Validation

    def to_json(self):
        """The params as canonical JSON values (keys sorted): what Snakemake
        records, and the cache key's part."""
        return json.loads(json.dumps(asdict(self), sort_keys=True))

    @classmethod
    def from_json(cls, record):
        return cls(
            classifier_params=record["classifier_params"],
            method_params=record["method_params"],
            seed=record["seed"],
            cv=OuterCV(**record["cv"]),
            thresholds=Validation(**record["thresholds"]),
        )

    def with_method_params(self, method_params):
        """The same params for another method of the cell's classifier."""
        return replace(self, method_params=method_params)


@dataclass
class CellRecord:
    """How a cell ran: ``status`` ``ok``, ``not_applicable`` or ``failed`` with its
    ``reason``, one record per outer fold (``fitting.cross_validate``), once scored
    the thresholds each rule chose per fold and why its model is degenerate
    (``cells.degenerate``; empty when it is not), and for a
    threshold method's view the method it is a view of (``imbench.views``)."""

    dataset: str
    classifier: str
    method: str
    params: FitParams
    provenance: dict
    status: str = "ok"
    reason: str = ""
    folds: list = field(default_factory=list)
    thresholds: list | None = None
    degenerate: str | None = None
    view_of: str | None = None

    def to_json(self):
        """The record as JSON values; fields not set (None) are left out."""
        record = {f.name: getattr(self, f.name) for f in fields(self)}
        record["params"] = self.params.to_json()
        return {key: value for key, value in record.items() if value is not None}

    @classmethod
    def from_json(cls, record):
        """The record stored as ``record`` (what else a cache entry stores with it,
        its identity and checksum, is left out)."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in record.items() if key in known}
        return cls(**{**values, "params": FitParams.from_json(record["params"])})

    def fail(self, status, reason):
        """Mark the cell ``status`` (not ``ok``) with ``reason``."""
        self.status, self.reason = status, reason
