"""OpenML datasets (scikit-learn's ``fetch_openml``) at their own rates, the positive
class the minority one; ``climb`` names CLIMB's list (Liu et al., NeurIPS 2025 D&B).

CLIMB's list is ``imbench/data/climb_openml.csv``, its ``_openml_datainfo.csv``
(imbalanced-ensemble, MIT licence): 73 datasets, 60 of two classes. Fetching needs
internet once; the cache then serves every run offline.
"""

import csv
import dataclasses
from pathlib import Path

from imbench.errors import DatasetError
from imbench.sources import (
    DatasetSpec,
    minority_problem,
    one_hot,
    stratified_splits,
)

CLIMB = Path(__file__).resolve().parents[1] / "data" / "climb_openml.csv"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """OpenML dataset ``data_id``, cached in ``cache_dir``; fetched there once when
    ``download`` is true."""

    kind = "openml"

    data_id: int
    cache_dir: str
    download: bool


def climb():
    """CLIMB's datasets: ``{id: (name, instances, minority, classes)}``."""
    with open(CLIMB, newline="") as handle:
        return {
            int(row["openml_id"]): (
                row["dataset_name"],
                int(float(row["NumberOfInstances"])),
                int(float(row["MinorityClassSize"])),
                int(float(row["NumberOfClasses"])),
            )
            for row in csv.DictReader(handle)
        }


def _chosen(entry, config):
    """``(ids, excluded)``: the two-class datasets the entry names, and ``(name,
    reason)`` of CLIMB's others (more classes, or too few minority samples)."""
    if entry["names"] != "climb":
        return list(entry["names"]), []
    ids, excluded, splits = [], [], stratified_splits(config)
    for data_id, (name, _, minority, classes) in sorted(climb().items()):
        problem = minority_problem(minority, splits)
        if classes != 2:
            excluded.append((f"openml-{data_id}", f"{name} has {classes} classes"))
        elif problem:
            excluded.append((f"openml-{data_id}", f"{name}: {problem}"))
        else:
            ids.append(data_id)
    return ids, excluded


def instances(config, base_dir):
    """``(specs, excluded)``: one instance per chosen dataset, ``openml-{id}``, and
    ``(name, reason)`` of CLIMB's datasets left out."""
    entry = config["datasets"].get("openml")
    if not entry:
        return [], []
    listed = climb()
    ids, excluded = _chosen(entry, config)
    specs = [
        Spec(
            name=f"openml-{data_id}",
            source="openml",
            rate=None,
            rows=listed[data_id][1] if data_id in listed else None,
            data_id=data_id,
            cache_dir=str(Path(entry["cache_dir"]).expanduser()),
            download=entry["download"],
        )
        for data_id in ids
    ]
    return specs, excluded


def load(spec):
    frame, target = fetch(spec.data_id, spec.cache_dir, spec.download)
    return encode(frame, target, f"openml dataset {spec.data_id}")


def fetch(data_id, cache_dir, download):
    """``(features, target)`` of OpenML dataset ``data_id`` as pandas objects, from
    ``cache_dir``; a ``DatasetError`` saying so when it is not cached and may not, or
    cannot, be downloaded."""
    from sklearn.datasets import fetch_openml

    cached = Path(cache_dir, "openml", "openml.org", "api", "v1", "json", "data")
    if not download and not (cached / f"{data_id}.gz").exists():
        raise DatasetError(
            f"OpenML dataset {data_id} is not in the cache {cache_dir} and "
            "datasets.openml.download is false"
        )
    try:
        bunch = fetch_openml(
            data_id=data_id, data_home=str(cache_dir), as_frame=True, parser="auto"
        )
    except OSError as error:
        raise DatasetError(
            f"OpenML dataset {data_id} is not in the cache {cache_dir} and could not "
            f"be downloaded ({str(error).splitlines()[0]}); download it on a machine "
            "with internet access or copy the cache"
        ) from error
    return bunch.data, bunch.target


def encode(frame, target, where):
    """``(X, y, warnings)``: numeric columns as they are, categorical ones one-hot
    over the categories the dataset declares (a fixed map, as for KEEL's nominal
    attributes); the minority class is 1. Rows with a missing value are dropped."""
    import numpy as np
    import pandas as pd

    classes = target.value_counts()
    if len(classes) != 2:
        raise DatasetError(f"{where}: {len(classes)} classes, not two")
    missing = frame.isna().any(axis=1) | target.isna()
    frame, target = frame[~missing], target[~missing]
    blocks = []
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            blocks.append(one_hot(values, list(values.cat.categories))[0])
        else:
            blocks.append(values.to_numpy(dtype=np.float64)[:, None])
    X = np.hstack(blocks).astype(np.float64)
    positive = min(classes.index, key=lambda label: (classes[label], str(label)))
    y = (target == positive).to_numpy().astype(np.int64)
    dropped = int(missing.sum())
    return X, y, [f"{dropped} rows with missing values dropped"] if dropped else []
