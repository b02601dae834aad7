"""Dataset instances: synthetic, real features made imbalanced, user files, imblearn's.

Every loader returns ``(X, y)`` with ``y`` in {0, 1} (1 = positive, the class whose rate
is controlled); ``make_dataset`` adds a record of what was made.
"""

import hashlib
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from imbench.io import read_table_with_meta, write_table_with_meta

log = logging.getLogger(__name__)

# Class counts of scikit-learn's bundled datasets, per loader and label, so that the
# config can be checked at start-up without loading them (a test checks these).
BUILTIN_CLASS_COUNTS = {
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


class DatasetError(ValueError):
    """A dataset that cannot be used; the message names the file and the problem."""


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


def _subsample(X, y, n_negative, n_positive, seed):
    from imblearn.datasets import make_imbalance

    X, y = make_imbalance(
        X, y, sampling_strategy={0: n_negative, 1: n_positive}, random_state=seed
    )
    order = np.random.default_rng(seed).permutation(len(y))
    return X[order], y[order]


def synthetic(rate, seed, n_samples, label_noise=0.0, **generator):
    """``make_classification`` data whose positive rate is exactly ``rate``.

    Label noise as ``flip_y`` would pull the rate towards 50%, so instead a random
    subset of ``label_noise * n_samples`` samples has its labels shuffled among itself:
    those labels no longer depend on the features, and the class counts do not move.
    """
    from sklearn.datasets import make_classification

    n_positive = round(rate * n_samples)
    X, y = make_classification(
        n_samples=2 * n_samples,
        weights=[1 - rate, rate],
        flip_y=0.0,
        random_state=seed,
        **generator,
    )
    X, y = _subsample(X, y, n_samples - n_positive, n_positive, seed)
    rng = np.random.default_rng([seed, 1])
    noisy = rng.choice(n_samples, size=round(label_noise * n_samples), replace=False)
    y[noisy] = rng.permutation(y[noisy])
    return X, y


def builtin(loader, positive_label, rate, seed):
    """A scikit-learn bundled dataset, one class against the rest, at ``rate``."""
    import sklearn.datasets

    X, labels = getattr(sklearn.datasets, f"load_{loader}")(return_X_y=True)
    y = (labels == positive_label).astype(np.int64)
    n_negative, n_positive = counts_at_rate(y.sum(), len(y) - y.sum(), rate)
    return _subsample(X.astype(np.float64), y, n_negative, n_positive, seed)


def user_file(path, target, positive_label=None):
    """A user's CSV or Parquet file with a binary ``target`` column.

    Raises
    ------
    DatasetError
        If the file cannot be read, the target is not binary, or the features are not
        all finite numbers.
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        elif path.suffix.lower() in {".parquet", ".pq"}:
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


def imblearn_benchmark(name, cache_dir, download):
    """One of imbalanced-learn's 27 benchmark datasets, from ``cache_dir``.

    Downloads into the cache once when ``download`` is true; offline and not cached,
    raises a ``DatasetError`` that says so.
    """
    from imblearn.datasets import fetch_datasets

    try:
        bunch = fetch_datasets(
            data_home=str(cache_dir), filter_data=(name,), download_if_missing=download
        )[name]
    except OSError as error:
        raise DatasetError(
            f"imbalanced-learn dataset '{name}' is not in the cache {cache_dir} and "
            f"could not be downloaded ({error}); download it on a machine with "
            "internet access or copy the cache"
        ) from error
    return bunch.data.astype(np.float64), (bunch.target == 1).astype(np.int64)


def minority_problem(minority, splits):
    """What is wrong when ``minority`` samples must be split stratified by ``splits``
    (``[key, n_splits]`` pairs, the outer folds first), or None."""
    (outer_key, folds), *inner = splits
    if minority < folds:
        return f"{minority} minority samples, fewer than {outer_key} = {folds}"
    in_training = minority - -(-minority // folds)  # the smallest training fold
    for key, n_splits in inner:
        if in_training < n_splits:
            return (
                f"{in_training} minority samples in a training fold, fewer than "
                f"{key} = {n_splits}"
            )
    return None


def make_dataset(spec):
    """Build the dataset an expanded config spec describes.

    Returns
    -------
    X : ndarray
    y : ndarray of {0, 1}
    info : dict
        The spec plus the realized class counts and positive rate.
    """
    kind = spec["kind"]
    if kind == "synthetic":
        X, y = synthetic(spec["rate"], spec["seed"], **spec["generator"])
    elif kind == "builtin":
        X, y = builtin(
            spec["loader"], spec["positive_label"], spec["rate"], spec["seed"]
        )
    elif kind == "file":
        X, y = user_file(spec["path"], spec["target"], spec.get("positive_label"))
    else:
        X, y = imblearn_benchmark(spec["name"], spec["cache_dir"], spec["download"])
    n_positive = int(y.sum())
    if "splits" in spec:  # counts known only now that the data is read
        problem = minority_problem(min(n_positive, len(y) - n_positive), spec["splits"])
        if problem:
            raise DatasetError(f"{spec.get('path', spec['source'])}: {problem}")
    info = {
        **spec,
        "n_samples": len(y),
        "n_features": X.shape[1],
        "n_positive": n_positive,
        "realized_rate": n_positive / len(y),
    }
    return X, y, info


def write_dataset(path, X, y, info):
    """Write features ``x0..`` and ``y`` to Parquet, with ``info`` as metadata."""
    columns = {f"x{i}": X[:, i] for i in range(X.shape[1])}
    table = pa.table({**columns, "y": pa.array(y, pa.int8())})
    write_table_with_meta(path, table, info)


def read_dataset(path):
    """Read what ``write_dataset`` wrote: ``(X, y, info)``."""
    table, info = read_table_with_meta(path)
    y = table.column("y").to_numpy().astype(np.int64)
    X = np.column_stack([table.column(n).to_numpy() for n in table.column_names[:-1]])
    return X, y, info
