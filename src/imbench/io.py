"""Parquet files that carry a JSON record, written atomically: datasets,
predictions, metrics."""

import contextlib
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

META_KEY = b"imbench"


@contextlib.contextmanager
def atomic_path(path):
    """A path beside ``path`` to write to, renamed onto ``path`` when the block ends
    without error (and removed when it does not): a reader never sees a partial
    file, and an interrupted write leaves the old file as it was."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_text(path, text):
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as partial:
        partial.write_text(text)


def write_table_with_meta(path, table, meta):
    """Write ``table`` to ``path`` with ``meta`` (JSON-able) in its schema metadata,
    atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = table.replace_schema_metadata({META_KEY: json.dumps(meta, sort_keys=True)})
    with atomic_path(path) as partial:
        pq.write_table(table, partial, compression="zstd")


def table_digest(table):
    """SHA-256 of a table's column names and values (not its metadata or how Arrow
    stores them): the same for a table and what Parquet gives back of it, different
    after any edit of a value."""
    digest = hashlib.sha256()
    for name, column in zip(table.column_names, table.columns, strict=True):
        values = column.to_numpy()
        digest.update(f"{name}\0{values.dtype}\0{len(values)}\0".encode())
        if values.dtype == object:
            digest.update("\0".join(map(str, values)).encode())
        else:
            digest.update(np.ascontiguousarray(values).data)
    return digest.hexdigest()


def read_table_with_meta(path):
    """Read a table written by ``write_table_with_meta``: ``(table, meta)``."""
    table = pq.read_table(path)
    return table, json.loads(table.schema.metadata[META_KEY])


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
