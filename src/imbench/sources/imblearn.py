"""imbalanced-learn's benchmark collection (``fetch_datasets``), at their own rates."""

import dataclasses
from pathlib import Path

from imbench.errors import DatasetError
from imbench.sources import DatasetSpec


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """Dataset ``dataset`` of the collection, cached in ``cache_dir``; fetched there
    once when ``download`` is true."""

    kind = "imblearn"

    dataset: str
    cache_dir: str
    download: bool


def expand(config, base_dir):
    """One instance per configured name."""
    entry = config["datasets"].get("imblearn")
    for dataset in entry["names"] if entry else []:
        name = f"imblearn-{dataset}"
        yield Spec(
            name=name,
            source=name,
            rate=None,
            dataset=dataset,
            cache_dir=str(Path(entry["cache_dir"]).expanduser()),
            download=entry["download"],
        )


def load(spec):
    return (*fetch(spec.dataset, spec.cache_dir, spec.download), [])


def fetch(name, cache_dir, download):
    """One of imbalanced-learn's 27 benchmark datasets, from ``cache_dir``.

    Downloads into the cache once when ``download`` is true; offline and not cached,
    raises a ``DatasetError`` that says so.
    """
    import numpy as np
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
