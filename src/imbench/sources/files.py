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
    positive class (None: the classes must be 0/1 or booleans). ``digest`` is the
    file's SHA-256 when the run was planned: part of its job's parameters, so a file
    replaced by another reruns its job whatever its modification time."""

    kind = "file"

    path: str
    target: str
    positive_label: str | int | bool | None = None
    digest: str = ""

    def origin(self):
        return self.path

    def data_bytes(self):
        """From the file's size: a CSV value takes about the 8 bytes of a float64
        (``-0.12345,``), Parquet compresses them to a quarter or more."""
        size = Path(self.path).stat().st_size
        return size if Path(self.path).suffix.lower() == ".csv" else 4 * size


def expand(config, base_dir):
    """One instance per file; the files must exist (they are read by their job)."""
    for i, entry in enumerate(config["datasets"]["files"]):
        path = Path(entry["path"]).expanduser()
        if not path.is_absolute():
            path = Path(base_dir) / path
        if path.suffix.lower() not in SUFFIXES:
            raise ConfigError(
                f"datasets.files.{i}.path: {entry['path']!r} is not .csv or .parquet"
            )
        if not path.is_file():
            raise ConfigError(
                f"datasets.files.{i}.path: no such file {entry['path']!r}"
            )
        name = f"file-{entry['name']}"
        yield Spec(
            name=name,
            source=name,
            rate=None,
            path=str(path),
            target=entry["target"],
            positive_label=entry.get("positive_label"),
            digest=file_digest(path),
        )


def file_digest(path):
    """SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def load(spec):
    if spec.digest and file_digest(spec.path) != spec.digest:
        raise DatasetError(
            f"{spec.path!r}: changed after the run was planned; run again"
        )
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
    where = repr(str(path))  # quoted, so that the message stays one line
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        elif path.suffix.lower() in SUFFIXES:
            frame = pd.read_parquet(path)
        else:
            raise DatasetError(f"{where}: not a .csv or .parquet file")
    except (OSError, ValueError, pa.ArrowException) as error:
        if isinstance(error, DatasetError):
            raise
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatasetError(f"{where}: cannot read it ({first_line})") from error
    if target not in frame.columns:
        raise DatasetError(f"{where}: no target column {target!r}")
    labels = frame.pop(target)
    if labels.map(lambda value: isinstance(value, list | dict | np.ndarray)).any():
        raise DatasetError(
            f"{where}: target column {target!r} holds lists or mappings, not labels"
        )
    if labels.isna().any():
        raise DatasetError(f"{where}: target column {target!r} has missing values")
    classes = sorted(labels.unique().tolist(), key=str)
    if len(classes) != 2:
        raise DatasetError(
            f"{where}: target column {target!r} must have exactly two classes, "
            f"found {len(classes)}"
        )
    if positive_label is None:
        if set(classes) != {0, 1} and set(classes) != {False, True}:
            raise DatasetError(
                f"{where}: target column {target!r} has classes {classes}; "
                "set positive_label"
            )
        positive_label = 1
    if positive_label not in classes:
        raise DatasetError(
            f"{where}: positive_label {positive_label!r} is not a class of {target!r} "
            f"({classes})"
        )
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(
            frame[column]
        ) or pd.api.types.is_bool_dtype(frame[column]):
            raise DatasetError(f"{where}: feature column {column!r} is not numeric")
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isfinite(values).all():
            raise DatasetError(
                f"{where}: feature column {column!r} has missing or infinite values"
            )
    if frame.shape[1] == 0:
        raise DatasetError(f"{where}: no feature columns besides {target!r}")
    y = (labels == positive_label).to_numpy().astype(np.int64)
    X = frame.to_numpy(dtype=np.float64)
    _refuse_label_copies(where, frame.columns, X, y, target)
    notes = _suspicious(frame.columns, X, y)
    for note in notes:
        log.warning("%s: %s", path, note)
    return X, y, notes


def _refuse_label_copies(where, columns, X, y, target):
    """``DatasetError`` for a feature whose two values are the two classes: a copy
    of the target (a repeated header becomes such a column), its complement or a
    recoding, which would hand every method the label."""
    import numpy as np

    for column, values in zip(columns, X.T, strict=True):
        distinct = np.unique(values)
        if len(distinct) == 2:
            negative_values = np.unique(values[y == 0])
            positive_values = np.unique(values[y == 1])
            if len(negative_values) == len(positive_values) == 1:
                raise DatasetError(
                    f"{where}: feature column {column!r} determines the "
                    f"target {target!r} exactly (a copy or recoding of it would "
                    "leak the label); drop it"
                )


def _suspicious(columns, X, y):
    """What a careful user would want to know about the features (kept as given):
    constant or duplicated columns, a column that alone separates the classes, a
    row number, rows that repeat another row's features."""
    import numpy as np

    notes = []
    first_of = {}
    for column, values in zip(columns, X.T, strict=True):
        name = repr(str(column))
        if (values == values[0]).all():
            notes.append(f"feature column {name} is constant")
            continue
        digest = hashlib.sha256(values.tobytes()).digest()
        if digest in first_of:
            notes.append(f"feature column {name} duplicates {first_of[digest]}")
            continue
        first_of[digest] = name
        steps = np.diff(values)
        if len(values) > 2 and steps[0] != 0 and (steps == steps[0]).all():
            notes.append(
                f"feature column {name} counts the rows (a row number or ID leaks "
                "the label when the file is ordered by class)"
            )
        low = [values[y == label].min() for label in (0, 1)]
        high = [values[y == label].max() for label in (0, 1)]
        if high[0] < low[1] or high[1] < low[0]:
            notes.append(f"feature column {name} alone separates the classes")
    repeated = len(X) - len(np.unique(X, axis=0))
    if repeated:
        notes.append(
            f"{repeated} rows repeat another row's features (copies can fall in "
            "both a training and a test fold)"
        )
    return notes
