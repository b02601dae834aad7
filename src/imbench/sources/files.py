"""The user's own CSV or Parquet files, each used at its own positive rate."""

import dataclasses
import hashlib
import logging
from pathlib import Path

from imbench.errors import ConfigError, DatasetError
from imbench.sources import DatasetSpec

log = logging.getLogger(__name__)
SUFFIXES = {".csv", ".parquet", ".pq"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """Column ``target`` of the file at ``path``; ``positive_label`` names the
    positive class (None: the classes must be 0/1 or booleans)."""

    kind = "file"

    path: str
    target: str
    positive_label: str | int | bool | None = None

    def origin(self):
        return self.path


def expand(config, base_dir):
    """One instance per file; the files must exist (they are read by their job)."""
    for i, entry in enumerate(config["datasets"]["files"]):
        path = Path(entry["path"]).expanduser()
        if not path.is_absolute():
            path = Path(base_dir) / path
        if path.suffix.lower() not in SUFFIXES:
            raise ConfigError(
                f"datasets.files.{i}.path: {entry['path']} is not .csv or .parquet"
            )
        if not path.is_file():
            raise ConfigError(f"datasets.files.{i}.path: no such file {entry['path']}")
        name = f"file-{entry['name']}"
        yield Spec(
            name=name,
            source=name,
            rate=None,
            path=str(path),
            target=entry["target"],
            positive_label=entry.get("positive_label"),
        )


def load(spec):
    return read(spec.path, spec.target, spec.positive_label)


def read(path, target, positive_label=None):
    """A user's CSV or Parquet file with a binary ``target`` column.

    Raises
    ------
    DatasetError
        If the file cannot be read, the target is not binary, or the features are not
        all finite numbers.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        elif path.suffix.lower() in SUFFIXES:
            frame = pd.read_parquet(path)
        else:
            raise DatasetError(f"{path}: not a .csv or .parquet file")
    except (OSError, ValueError, pa.ArrowException) as error:
        if isinstance(error, DatasetError):
            raise
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatasetError(f"{path}: cannot read it ({first_line})") from error
    if target not in frame.columns:
        raise DatasetError(f"{path}: no target column '{target}'")
    labels = frame.pop(target)
    if labels.isna().any():
        raise DatasetError(f"{path}: target column '{target}' has missing values")
    classes = sorted(labels.unique().tolist(), key=str)
    if len(classes) != 2:
        raise DatasetError(
            f"{path}: target column '{target}' must have exactly two classes, "
            f"found {len(classes)}"
        )
    if positive_label is None:
        if set(classes) != {0, 1} and set(classes) != {False, True}:
            raise DatasetError(
                f"{path}: target column '{target}' has classes {classes}; "
                "set positive_label"
            )
        positive_label = 1
    if positive_label not in classes:
        raise DatasetError(
            f"{path}: positive_label {positive_label!r} is not a class of '{target}' "
            f"({classes})"
        )
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(
            frame[column]
        ) or pd.api.types.is_bool_dtype(frame[column]):
            raise DatasetError(f"{path}: feature column '{column}' is not numeric")
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isfinite(values).all():
            raise DatasetError(
                f"{path}: feature column '{column}' has missing or infinite values"
            )
    if frame.shape[1] == 0:
        raise DatasetError(f"{path}: no feature columns besides '{target}'")
    _log_uninformative_columns(path, frame)
    y = (labels == positive_label).to_numpy().astype(np.int64)
    return frame.to_numpy(dtype=np.float64), y


def _log_uninformative_columns(path, frame):
    """Warn about constant and duplicated feature columns. They are kept: no method
    here fails on them, and dropping columns silently would change the user's data."""
    import numpy as np

    values = frame.to_numpy(np.float64)
    constant = [
        str(c)
        for c, column in zip(frame.columns, values.T, strict=True)
        if (column == column[0]).all()
    ]
    if constant:
        log.warning(
            "%s: constant feature columns (kept): %s", path, ", ".join(constant)
        )
    first_of = {}
    for column in frame.columns:
        digest = hashlib.sha256(frame[column].to_numpy(np.float64).tobytes()).digest()
        if digest in first_of:
            log.warning(
                "%s: feature column '%s' duplicates '%s' (kept)",
                path,
                column,
                first_of[digest],
            )
        else:
            first_of[digest] = column
