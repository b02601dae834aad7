"""One cell (dataset x classifier x method): its predictions from the cache or
fitted, then scored.

A cell's predictions are cached under a key of what its fit depends on: the cell,
its fit parameters, the data's values, the code that fits it (the fitting modules,
and the code of its method and classifier only) and the package versions. A rerun
refits only the cells whose key changed: editing a figure refits nothing, editing a
method refits that method's cells. Every cache read checks that the file is readable,
that the identity it records is the one looked up, that its values are the ones
written (a checksum) and that its probabilities are probabilities; a bad entry is
logged, discarded and refitted. Outputs are copies, never links, so editing or
truncating an output cannot reach the cache.
"""

import functools
import hashlib
import inspect
import json
import logging
import re
import shutil
import time
import types
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from imbench import plugins
from imbench.config import config_hash
from imbench.evaluation import evaluate_cell
from imbench.fitting import fit_cell
from imbench.io import (
    META_KEY,
    atomic_path,
    read_table_with_meta,
    table_digest,
    write_table_with_meta,
)
from imbench.provenance import module_source, package_versions
from imbench.records import CellRecord, FitParams
from imbench.thresholds import ThresholdRule
from imbench.views import view_record

log = logging.getLogger("imbench")
FIT_MODULES = ("imbench.fitting", "imbench.seeds")  # the code every fit runs
# a classifier's fields a fit ignores: its name, config schemas, traits, install hint
NOT_FIT_CODE = {"name", "estimator", "refined", "traits", "needs"}


def cell_identity(dataset, classifier, method, params, data):
    """What the predictions of the cell of ``dataset``, ``classifier`` (a
    ``classifiers.Classifier``) x ``method`` (a ``methods.Method``) depend on, as
    JSON: its ``FitParams``, the dataset's digest ``data``, the code and the
    packages."""
    return {
        "dataset": dataset,
        "classifier": classifier.name,
        "method": method.name,
        "params": params.to_json(),
        "data": data,
        "code": fit_code_digest(classifier, method),
        "packages": package_versions(),
    }


def run_cell(X, y, identity, cache_dir, output, evaluation, classifier, method):
    """Predictions of the cell ``identity`` describes (of ``classifier`` x
    ``method``: ``cell_identity``), from the cache or fitted (failures are not
    cached), copied to ``output``, then scored.

    ``evaluation`` holds ``rules`` (``ThresholdRule`` names), ``cost_ratios`` and
    ``grid_size``. Returns its metrics (None unless it ran), its ``CellRecord``
    with the thresholds each rule chose per fold, and its fit's ``seconds`` and
    ``cpu_seconds`` (None from the cache).
    """
    cached = Path(cache_dir) / f"{config_hash(identity)}.parquet"
    found, fit = read_cached(cached, identity), None
    if found is None:
        start, cpu = time.perf_counter(), time.process_time()
        params = FitParams.from_json(identity["params"])
        predictions, record = fit_cell(
            X, y, identity["dataset"], classifier, method, params
        )
        fit = {
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
        }
        table = pa.Table.from_pandas(predictions, preserve_index=False)
        problem = probability_problem(table)
        if problem and record.status == "ok":
            record.fail("failed", f"the model's {problem}")
        target = cached if record.status != "failed" else output
        checksum = table_digest(table)
        write_table_with_meta(
            target,
            table,
            {**record.to_json(), "identity": identity, "checksum": checksum},
        )
        found = read_table_with_meta(target)  # fitted or cached: scored the same
    table, meta = found
    record = CellRecord.from_json(meta)
    if record.status != "failed":
        copy(cached, output)
    return score(table, record, evaluation), record, fit


def run_view(baseline_output, method, params, output, evaluation):
    """The cell of ``method`` (a ``methods.ThresholdView``) as a view of
    its baseline cell, whose predictions ``run_cell`` wrote to ``baseline_output``
    (``imbench.views``): written to ``output`` with its own thresholds, then scored.
    Returns what ``run_cell`` does, with no fit."""
    table, stored = read_table_with_meta(baseline_output)
    criterion = method.criterion(params)
    predictions = table.to_pandas()
    record = view_record(
        CellRecord.from_json(stored),
        predictions,
        method.name,
        params,
        criterion,
        evaluation["grid_size"],
    )
    write_table_with_meta(output, table, record.to_json())
    return score(table, record, evaluation), record, None


def score(table, record, evaluation):
    """Metrics of a cell whose status is ``ok`` (None otherwise); the thresholds each
    rule chose per fold and whether it is degenerate go into its ``record``."""
    if record.status != "ok":
        return None
    predictions = table.to_pandas()
    record.degenerate = degenerate(predictions)
    metrics, record.thresholds = evaluate_cell(
        predictions,
        record.folds,
        [ThresholdRule.parse(name) for name in evaluation["rules"]],
        evaluation["cost_ratios"],
        evaluation["grid_size"],
    )
    return metrics


def read_cached(path, identity):
    """``(table, meta)`` of the cache entry at ``path`` if it is readable, records
    ``identity``, holds the values it was written with and probabilities in [0, 1],
    else None; a bad entry is logged on one line and deleted."""
    if not path.exists():
        return None
    try:
        recorded = json.loads(pq.read_schema(path).metadata[META_KEY])
        if recorded.get("identity") != identity:
            raise ValueError("it records another cell")
        table, meta = read_table_with_meta(path)
        if meta.get("checksum") != table_digest(table):
            raise ValueError("its values are not the ones written (checksum)")
        problem = probability_problem(table)
        if problem:
            raise ValueError(f"its {problem}")
        return table, meta
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        log.warning("bad cache entry %s discarded and refitted: %s", path.name, reason)
        path.unlink(missing_ok=True)
        return None


SAME = 1e-9  # probabilities this close are one model's, fitted in another row order
LAYOUT = ["repeat", "fold", "role", "split", "sample_index"]


def same_predictions(path, reference):
    """Whether the cell whose predictions are at ``path`` predicts what the cell at
    ``reference`` does: the same samples of every fold and validation split, each
    probability within ``SAME`` (a sampler with nothing to resample still passes the
    rows on in another order, which moves a fit by rounding only). Then every metric
    at every rule but the method's ``own`` threshold is the reference's, by
    construction."""
    columns = [*LAYOUT, "proba"]
    table = pq.read_table(path, columns=columns).to_pandas()
    other = pq.read_table(reference, columns=columns).to_pandas()
    if len(table) != len(other) or not table[LAYOUT].equals(other[LAYOUT]):
        return False
    return bool(
        np.abs(table["proba"].to_numpy() - other["proba"].to_numpy()).max(initial=0.0)
        <= SAME
    )


CONSTANT = 1e-9  # probabilities within this of each other are one value


def degenerate(predictions):
    """Why a cell's model learnt nothing, or ``""``: it predicts one value for every
    sample of every test fold (as gradient boosting does on an undersample too small
    to split), so its scores say nothing about its method."""
    test = predictions[predictions["role"] == "test"]
    spread = test.groupby(["repeat", "fold"])["proba"].agg(np.ptp)
    if len(spread) and (spread <= CONSTANT).all():
        value = test["proba"].iloc[0]
        return f"it predicts one value in every test fold ({value:.3g})"
    return ""


def probability_problem(table):
    """What is wrong with a predictions table's probabilities (``proba`` and each
    member's), or None when every one is a finite number in [0, 1]."""
    for name in table.column_names:
        if name == "proba" or name.startswith("member_"):
            values = table.column(name).to_numpy()
            if not np.all((values >= 0) & (values <= 1)):  # NaN fails both
                return f"{name} holds values that are not probabilities in [0, 1]"
    return None


def copy(source, target):
    """Copy ``source`` to ``target`` atomically (a copy: outputs never share an
    inode with the cache)."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as partial:
        shutil.copyfile(source, partial)


def data_digest(X, y):
    """SHA-256 of a dataset's values, the data's part of a cell's cache key."""
    digest = hashlib.sha256()
    for array in (X, y):
        digest.update(str((array.dtype, array.shape)).encode())
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def fit_code_digest(classifier, method):
    """SHA-256 of the code a cell of ``classifier`` x ``method`` runs to fit: the
    modules every fit runs, the classifier's settings, the method's recipe and
    neighbour counts (``methods.Recipe``, ``Applies``), the source of their
    factories with every imbench function and module those use, and a plug-in's
    own code (``plugins.outside_code``). How a method is shown, where it applies and
    its neutral setting are not here; nor is the code that makes the data, whose
    digest is part of the key."""
    digest = hashlib.sha256()
    for module in FIT_MODULES:
        digest.update(module_source(module).encode())
    parts = [
        {k: v for k, v in vars(classifier).items() if k not in NOT_FIT_CODE},
        {**vars(method.recipe), "neighbour_params": method.applies.neighbour_params},
    ]
    for part in parts:
        settings = {k: v for k, v in part.items() if not callable(v)}
        digest.update(json.dumps(settings, sort_keys=True, default=sorted).encode())
        for text in _sources([v for v in part.values() if callable(v)]):
            digest.update(text.encode())
    for path in (classifier.plugin, method.plugin and method.plugin.path):
        if path:
            outside = plugins.outside_code(path)
            digest.update(json.dumps(outside, sort_keys=True).encode())
    return digest.hexdigest()


def _sources(functions):
    """Source of ``functions`` and, recursively, of the imbench functions they call or
    close over and the imbench modules they import inside their body."""
    texts, seen, todo = [], set(), list(functions)
    while todo:
        function = todo.pop()
        if isinstance(function, functools.partial):  # a plug-in's factory
            texts.append(repr((function.args, function.keywords)))
            function = function.func
        if id(function) in seen:
            continue
        seen.add(id(function))
        source = inspect.getsource(function)
        texts.append(source)
        texts += [
            module_source(f"imbench.{m}")
            for m in re.findall(r"from imbench\.([\w.]+) import", source)
        ]
        code = function.__code__
        names = set(code.co_names)
        for const in code.co_consts:  # nested functions and comprehensions
            if isinstance(const, types.CodeType):
                names |= set(const.co_names)
        cells = [c.cell_contents for c in function.__closure__ or ()]
        globals_ = [function.__globals__.get(name) for name in sorted(names)]
        todo += [f for f in (*cells, *globals_) if _imbench_function(f)]
    return sorted(texts)


def _imbench_function(value):
    return isinstance(value, types.FunctionType) and value.__module__.startswith(
        "imbench"
    )
