"""The workflow steps, run directly on small files."""

import gc
import json
import logging
import re
import shutil
from importlib import metadata

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.parquet as pq
import pytest
from threadpoolctl import threadpool_info

from imbench.evaluation import NO_THRESHOLD
from imbench.io import read_dataset, read_table_with_meta, write_dataset
from imbench.jobs import job
from imbench.methods import METHODS
from imbench.sources import files
from imbench.stats import t_interval
from imbench.steps import aggregate, cross_validate
from imbench.summary import GROUP_KEYS, summarise
from imbench.thresholds import plan_rules

PARAMS = {
    "classifier_params": {},
    "method_params": {},
    "seed": 1,
    "cv": {"folds": 3, "repeats": 1, "seed": 2},
    "thresholds": {"strategy": "holdout", "inner_folds": 3, "holdout_fraction": 0.25},
}


def file_spec(tmp_path, X, y, name="d"):
    """A dataset spec of ``X``, ``y`` saved as a user's Parquet file."""
    path = tmp_path / f"{name}.parquet"
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame.assign(target=y).to_parquet(path)
    spec = files.Spec(
        name=name, source=name, rate=None, seed=0, path=str(path), target="target"
    )
    return spec.record()


@pytest.fixture
def spec(tmp_path, imbalanced):
    return file_spec(tmp_path, *imbalanced)


def run_cells(spec, tmp_path, cells, threads=1, classifier="logistic_regression"):
    """Run the ``cross_validate`` step on ``cells`` (method -> params) of
    ``classifier``; returns the metrics, their metadata and each cell's predictions
    and metadata."""
    outputs = {
        "dataset": tmp_path / "dataset.parquet",
        "predictions": tmp_path / "predictions",
        "metrics": tmp_path / "metrics.parquet",
        "timings": tmp_path / "timings.json",
    }
    shutil.rmtree(outputs["predictions"], ignore_errors=True)  # as Snakemake does
    params = {
        "spec": spec,
        "cells": {f"{classifier}/{method}": p for method, p in cells.items()},
        "evaluation": {
            "rules": [rule.name for rule in plan_rules("holdout", [10.0])],
            "cost_ratios": [10.0],
            "grid_size": 50,
        },
        "splits": [["cv.folds", 3]],
        "cache": tmp_path / "cache",
    }
    cross_validate.run({}, outputs, params, threads)
    table, meta = read_table_with_meta(outputs["metrics"])
    predictions = {
        method: read_table_with_meta(
            outputs["predictions"] / classifier / f"{method}.parquet"
        )
        for method in cells
    }
    return table.to_pandas(), meta, predictions


def test_a_job_writes_the_dataset_predictions_with_provenance_and_metrics(
    spec, tmp_path
):
    broken = {**PARAMS, "classifier_params": {"C": -1.0}}
    metrics, meta, predictions = run_cells(
        spec, tmp_path, {"smote": PARAMS, "class_weight": broken}
    )
    X, y, info = read_dataset(tmp_path / "dataset.parquet")
    assert (
        X.shape == (400, 6)
        and info["n_positive"] == y.sum() == meta["dataset"]["n_positive"]
    )
    table, fitted = predictions["smote"]
    assert fitted["status"] == "ok" and len(fitted["folds"]) == 3
    assert fitted["provenance"]["scikit-learn"] and fitted["identity"]["code"]
    assert all(record["fit_time"] > 0 for record in fitted["folds"])
    roles = table.column("role").to_pylist()
    assert roles.count("test") == 400 and roles.count("validation") > 0
    assert [c["status"] for c in meta["cells"]] == ["ok", "failed"]
    assert set(metrics["method"]) == {"smote"}
    assert set(metrics["threshold_rule"]) == {
        "none",
        "default",
        "tuned_f1",
        "tuned_cost_10",
    }


def test_a_failing_fit_is_recorded_not_raised(spec, tmp_path):
    broken = {**PARAMS, "classifier_params": {"C": -1.0}}
    _, _, predictions = run_cells(spec, tmp_path, {"baseline": broken})
    table, meta = predictions["baseline"]
    assert meta["status"] == "failed"
    assert "InvalidParameterError" in meta["reason"] and "'C'" in meta["reason"]
    assert table.num_rows == 0


def test_too_few_minority_samples_make_smote_not_applicable(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)), np.r_[np.ones(3), np.zeros(57)].astype(int)
    _, meta, _ = run_cells(file_spec(tmp_path, X, y), tmp_path, {"smote": PARAMS})
    assert meta["cells"][0]["status"] == "not_applicable"
    assert "1 minority sample" in meta["cells"][0]["reason"]


def fitted_cells(tmp_path):
    """``classifier/method`` of the cells the last job fitted (not cached)."""
    log = (tmp_path / "job.log").read_text()
    return sorted(re.findall(r"d/(\S+): \w+ .*\(fitted in", log))


def test_a_rerun_refits_only_cells_whose_params_data_or_failure_changed(
    spec, tmp_path, imbalanced
):
    broken = {**PARAMS, "classifier_params": {"C": -1.0}}
    cells = {"baseline": PARAMS, "smote": PARAMS, "class_weight": broken}
    with job(tmp_path / "job.log"):
        first = run_cells(spec, tmp_path, cells)
    assert fitted_cells(tmp_path) == [
        "logistic_regression/baseline",
        "logistic_regression/class_weight",
        "logistic_regression/smote",
    ]
    changed = {**cells, "smote": {**PARAMS, "method_params": {"k_neighbors": 3}}}
    with job(tmp_path / "job.log"):
        second = run_cells(spec, tmp_path, changed)
    # a failure is not cached: it may have been the machine's, not the method's
    assert fitted_cells(tmp_path) == [
        "logistic_regression/class_weight",
        "logistic_regression/smote",
    ]
    baseline = "method == 'baseline'"  # scored first both times: same index
    pd.testing.assert_frame_equal(first[0].query(baseline), second[0].query(baseline))
    assert first[2]["baseline"][0].equals(second[2]["baseline"][0])
    X, y = imbalanced
    other = file_spec(tmp_path, X[::-1], y[::-1])  # same file name, other data
    with job(tmp_path / "job.log"):
        run_cells(other, tmp_path, changed)
    assert len(fitted_cells(tmp_path)) == 3


def test_cells_run_in_parallel_score_exactly_as_run_one_by_one(spec, tmp_path):
    cells = {"baseline": PARAMS, "smote": PARAMS, "random_undersample": PARAMS}
    one = run_cells(spec, tmp_path / "one", cells, threads=1)
    two = run_cells(spec, tmp_path / "two", cells, threads=2)
    pd.testing.assert_frame_equal(one[0], two[0])
    assert one[1] == two[1]


def test_job_pins_threads_and_logs_to_its_file(tmp_path):
    log = tmp_path / "job.log"
    with job(log, threads=1):
        import sklearn.linear_model  # noqa: F401  (loads BLAS and OpenMP)

        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
        assert pyarrow.cpu_count() == 1  # Arrow's pool too (Parquet encoding)
        assert gc.get_freeze_count() > 0  # what was imported is never collected
        logging.getLogger("imbench").info("inside the job")
    assert "inside the job" in log.read_text()
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError, match="boom"), job(log, threads=1):
        raise ValueError("boom")
    text = log.read_text()
    assert "ValueError: boom" in text and "job failed" in text


def test_a_tables_digest_survives_parquet_and_sees_every_edit(tmp_path):
    from imbench.io import table_digest, write_table_with_meta

    table = pyarrow.table(
        {"role": ["test", "validation"] * 3, "proba": np.linspace(0, 1, 6)}
    )
    path = tmp_path / "t.parquet"
    write_table_with_meta(path, table, {"any": "record"})
    read, _ = read_table_with_meta(path)
    assert table_digest(read) == table_digest(table)
    proba = table.column("proba").to_numpy().copy()
    proba[3] = np.nextafter(proba[3], 1)  # the smallest edit of one value
    edited = table.set_column(1, "proba", pyarrow.array(proba))
    renamed = table.rename_columns(["role", "p"])
    relabelled = table.set_column(0, "role", pyarrow.array(["test"] * 6))
    digests = {table_digest(t) for t in (table, edited, renamed, relabelled)}
    assert len(digests) == 4


def test_dataset_metadata_is_readable_without_loading_data(tmp_path, imbalanced):
    path = tmp_path / "d.parquet"
    write_dataset(path, *imbalanced, {"source": "test"})
    info = json.loads(pq.read_schema(path).metadata[b"imbench"])
    assert info["source"] == "test"


@pytest.mark.parametrize("kind", ["separable", "noise"])
def test_separable_and_pure_noise_data_run_to_the_expected_scores(tmp_path, kind):
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(40), np.zeros(360)].astype(int)
    X = rng.normal(size=(400, 3)) + (10 * y[:, None] if kind == "separable" else 0)
    methods = ["baseline", "class_weight", "smote", "random_undersample"]
    metrics, meta, _ = run_cells(
        file_spec(tmp_path, X, y), tmp_path, dict.fromkeys(methods, PARAMS)
    )
    assert {cell["status"] for cell in meta["cells"]} == {"ok"}
    scores = metrics[metrics["threshold_rule"] == "none"].groupby("metric")["value"]
    if kind == "separable":
        assert scores.min()["roc_auc"] == pytest.approx(1.0)
        assert scores.min()["average_precision"] == pytest.approx(1.0)
    else:  # a random scorer: ROC-AUC near 0.5, AP near the positive rate
        assert 0.35 < scores.mean()["roc_auc"] < 0.65
        assert scores.mean()["average_precision"] < 0.25


def test_constant_predictions_leave_roc_auc_missing_with_the_reason(spec, tmp_path):
    stump = {**PARAMS, "classifier_params": {"min_samples_leaf": 10_000}}
    metrics, meta, _ = run_cells(
        spec, tmp_path, {"baseline": stump}, classifier="hist_gradient_boosting"
    )
    assert meta["cells"][0]["status"] == "ok"
    output = tmp_path / "metrics.parquet"
    auc = metrics[metrics["metric"] == "roc_auc"]
    assert auc["value"].isna().all()
    assert set(auc["missing"]) == {"constant scores: nothing is ranked"}
    tuned = metrics[metrics["threshold_rule"] == "tuned_f1"]
    assert set(tuned["missing"]) == {NO_THRESHOLD}
    outputs = {
        name: tmp_path / f"{name}.out"
        for name in ("long", "summary", "markdown", "cells", "datasets", "provenance")
    }
    params = {
        "not_applicable": [],
        "excluded": [],
        "headline": ["roc_auc", "average_precision"],
        "provenance": {},
        "libraries": ["lightgbm"],
    }
    aggregate.run({"metrics": [output]}, outputs, params)
    packages = json.loads(outputs["provenance"].read_text())["packages"]
    assert packages["lightgbm"] == metadata.version("lightgbm")
    assert packages["scikit-learn"] == metadata.version("scikit-learn")
    summary = pd.read_csv(outputs["summary"])
    row = summary[summary["metric"] == "roc_auc"].iloc[0]
    assert row["n_values"] == 0 and row["n_missing"] == 3 and np.isnan(row["mean"])
    assert "| n/a " in outputs["markdown"].read_text()
    long = pd.read_csv(outputs["long"])
    assert (long.loc[long["metric"] == "roc_auc", "missing"] != "").all()


def test_summary_intervals_run_over_observations_or_else_over_folds():
    """synthetic: 3 instances x 4 folds, one fold missing; digits: 1 instance; real:
    2 instances that are one observation (near-copies)."""
    rng = np.random.default_rng(0)
    cell = dict.fromkeys(GROUP_KEYS, "x") | {"metric": "roc_auc"}
    rows = [
        {
            **cell,
            "source": source,
            "dataset": f"{source}-{i}",
            "observation": source if source == "real" else f"{source}-{i}",
            "value": value,
        }
        for source, instances in (("synthetic", 3), ("digits", 1), ("real", 2))
        for i in range(instances)
        for value in rng.random(4)
    ]
    rows[0]["value"] = np.nan
    metrics = pd.DataFrame(rows)
    summary = summarise(metrics).set_index("source")
    means = metrics.groupby("dataset")["value"].mean()
    synthetic, digits = summary.loc["synthetic"], summary.loc["digits"]
    assert (synthetic["n_values"], synthetic["n_missing"]) == (11, 1)
    assert (synthetic["n_datasets"], synthetic["interval_over"]) == (3, "observations")
    expected = t_interval(means[means.index.str.startswith("synthetic")])
    assert (synthetic["ci_low"], synthetic["ci_high"]) == pytest.approx(expected)
    assert (digits["n_datasets"], digits["interval_over"]) == (1, "folds")
    expected = t_interval(metrics.loc[metrics["source"] == "digits", "value"])
    assert (digits["ci_low"], digits["ci_high"]) == pytest.approx(expected)
    assert digits["mean"] == pytest.approx(means["digits-0"])
    real = summary.loc["real"]
    assert (real["n_datasets"], real["interval_over"]) == (2, "folds")


def test_every_rule_has_its_step_and_no_step_imports_another():
    """One room per step: the body of rule ``r`` is ``imbench.steps.r.run``, every
    rule runs it through the one script, and steps share only library code. The
    analysis rules are the catalogue's, made by one loop."""
    import ast
    import importlib
    import inspect

    from imbench.analyses import CATALOGUE

    from .conftest import REPO

    rules_text = "".join(p.read_text() for p in (REPO / "workflow/rules").glob("*.smk"))
    written = re.findall(r"^rule (\w+):", rules_text, re.MULTILINE)
    assert re.findall(r"^    rule:$", rules_text, re.MULTILINE) == ["    rule:"]
    scripts = re.findall(r'script:\s+"([^"]+)"', rules_text)
    assert scripts == ["../scripts/step.py"] * (len(written) + 1)
    rules = [*written, *(analysis.name for analysis in CATALOGUE)]
    steps = REPO / "src" / "imbench" / "steps"
    assert sorted(rules) == sorted(p.stem for p in steps.glob("[!_]*.py"))
    for rule in rules:
        step = importlib.import_module(f"imbench.steps.{rule}")
        parameters = list(inspect.signature(step.run).parameters)
        assert parameters == ["input", "output", "params", "threads"]
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(ast.parse(inspect.getsource(step)))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not any(name.startswith("imbench.steps") for name in imported), rule


def cache_files(tmp_path):
    return sorted((tmp_path / "cache").glob("*.parquet"))


def edit_probabilities(path):
    """Rewrite an entry's ``proba`` as 1 - p, keeping its record: a valid file
    with the right identity and the wrong values."""
    table, meta = read_table_with_meta(path)
    column = table.schema.get_field_index("proba")
    flipped = pyarrow.array(1 - table.column("proba").to_numpy())
    table = table.set_column(column, "proba", flipped)
    table = table.replace_schema_metadata({b"imbench": json.dumps(meta)})
    pq.write_table(table, path, compression="zstd")


def flip_bytes(path, count=40):
    """XOR ``count`` bytes in the middle of the entry's ``proba`` column chunk."""
    row_group = pq.ParquetFile(path).metadata.row_group(0)
    names = [row_group.column(i).path_in_schema for i in range(row_group.num_columns)]
    chunk = row_group.column(names.index("proba"))
    first = chunk.dictionary_page_offset or chunk.data_page_offset  # its first page
    start = first + chunk.total_compressed_size // 2
    data = bytearray(path.read_bytes())
    for i in range(start, start + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["swapped", "truncated", "not parquet", "values edited", "bytes flipped"],
)
def test_a_bad_cache_entry_is_discarded_and_refitted(spec, tmp_path, damage):
    cells = {"baseline": PARAMS, "smote": PARAMS}
    with job(tmp_path / "job.log"):
        first = run_cells(spec, tmp_path, cells)
    entries = {
        read_table_with_meta(path)[1]["method"]: path for path in cache_files(tmp_path)
    }
    smote = entries["smote"]
    if damage == "swapped":  # another valid cell's file under smote's key
        shutil.copyfile(entries["baseline"], smote)
    elif damage == "truncated":
        smote.write_bytes(smote.read_bytes()[:100])
    elif damage == "values edited":
        edit_probabilities(smote)
    elif damage == "bytes flipped":
        flip_bytes(smote)
    else:
        smote.write_text("not a parquet file")
    with job(tmp_path / "job.log"):
        second = run_cells(spec, tmp_path, cells)
    log = (tmp_path / "job.log").read_text()
    assert fitted_cells(tmp_path) == ["logistic_regression/smote"]
    assert log.count("bad cache entry") == 1
    assert [c["method"] for c in second[1]["cells"]] == ["baseline", "smote"]
    pd.testing.assert_frame_equal(first[0], second[0])


def test_predictions_that_are_not_probabilities_fail_their_cell(spec, tmp_path):
    """A model whose probabilities are NaN or outside [0, 1] is a failed cell, not
    scored and not cached."""
    from imbench import cells

    table = pyarrow.table({"proba": [0.2, float("nan")], "member_000": [0.1, 0.3]})
    assert "proba holds values that are not" in cells.probability_problem(table)
    table = pyarrow.table({"proba": [0.2, 0.4], "member_001": [0.1, 1.5]})
    assert "member_001 holds" in cells.probability_problem(table)
    assert cells.probability_problem(pyarrow.table({"proba": [0.0, 1.0]})) is None


def test_outputs_are_copies_so_damaging_one_leaves_the_cache_intact(spec, tmp_path):
    with job(tmp_path / "job.log"):
        first = run_cells(spec, tmp_path, {"smote": PARAMS})
    output = tmp_path / "predictions" / "logistic_regression" / "smote.parquet"
    (cached,) = cache_files(tmp_path)
    assert output.stat().st_ino != cached.stat().st_ino
    output.write_bytes(b"")  # truncated by hand
    with job(tmp_path / "job.log"):
        second = run_cells(spec, tmp_path, {"smote": PARAMS})
    assert fitted_cells(tmp_path) == []
    pd.testing.assert_frame_equal(first[0], second[0])


def test_the_code_key_of_a_cell_is_its_fit_code_only(monkeypatch):
    """A cell's code key covers the fitting modules and its own method's and
    classifier's code: not figures, tables or other methods."""
    import dataclasses

    from imbench import cells, classifiers, methods

    classifier = classifiers.CLASSIFIERS["logistic_regression"]
    fitted = {m: e for m, e in METHODS.items() if isinstance(e, methods.Method)}
    before = {m: cells.fit_code_digest(classifier, e) for m, e in fitted.items()}
    assert len(set(before.values())) == len(before)  # every method its own code
    texts = "".join(cells._sources([METHODS["smote"].recipe.factory]))
    assert "def _smote(" in texts and "def make_pipeline(" in texts
    assert "def _adasyn(" not in texts and "def ratio_sweep(" not in texts

    def _smote(params, seed):  # an edit of SMOTE's factory
        from imblearn.over_sampling import SMOTE

        return SMOTE(random_state=seed + 1, **params)

    _smote.__module__ = "imbench.methods"
    monkeypatch.setattr(methods, "_smote", _smote)
    recipe = dataclasses.replace(
        METHODS["smote"].recipe, factory=methods._sampler_method(_smote)
    )
    fitted["smote"] = dataclasses.replace(METHODS["smote"], recipe=recipe)
    after = {m: cells.fit_code_digest(classifier, e) for m, e in fitted.items()}
    changed = {m for m in fitted if before[m] != after[m]}
    assert changed == {"smote", "smote_tomek", "smote_enn"}  # those that run _smote


def test_a_rules_code_digest_covers_every_module_its_step_imports(monkeypatch):
    """What a step imports at the top or inside a function, directly or through
    another module or a package (``from imbench import sources``), is in its digest;
    what it never imports is not, so editing a figure leaves the dataset jobs be."""
    from imbench import provenance

    modules = provenance.imported_modules("imbench.steps.cross_validate")
    assert {"imbench.fitting", "imbench.evaluation", "imbench.methods"} <= set(modules)
    assert "imbench.sources.synthetic" in modules  # via ``from imbench import sources``
    assert "imbench.figures" not in modules and "imbench.stats" not in modules
    assert "imbench.figures" in provenance.imported_modules("imbench.steps.ratio_sweep")

    digest = provenance.code_digest.__wrapped__
    before = digest("imbench.steps.cross_validate")
    edited = {"imbench.fitting": "# an edit\n"}
    source = provenance.module_source
    monkeypatch.setattr(
        provenance, "module_source", lambda name: source(name) + edited.get(name, "")
    )
    assert digest("imbench.steps.cross_validate") != before
    edited = {"imbench.figures": "# an edit\n"}
    assert digest("imbench.steps.cross_validate") == before


def test_progress_says_what_is_done_and_what_is_left():
    from imbench.steps.cross_validate import progress

    assert progress(5, 20, 300.0) == (
        "progress: 5 of 20 cells done after 5.0 min; about 15.0 min left at this pace"
    )
