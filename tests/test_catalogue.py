"""The analysis catalogue holds the workflow to it: each entry has its step, its
report captions, its params and its outputs, and a config makes the analyses whose
methods it runs."""

import copy
import inspect

import pytest

from imbench.analyses import CATALOGUE
from imbench.config import Plan, build_plan, load_yaml
from imbench.steps import run

from .conftest import REPO, SCHEMA, TEST_CONFIG


def the_test_config():
    return load_yaml(REPO / TEST_CONFIG)


def plan_of(config):
    return build_plan(config, SCHEMA, base_dir=REPO)


@pytest.mark.parametrize("analysis", CATALOGUE, ids=lambda a: a.name)
def test_every_entry_has_its_step_captions_params_and_inputs(analysis):
    from importlib import import_module

    step = import_module(f"imbench.steps.{analysis.name}")
    assert list(inspect.signature(step.run).parameters)[:3] == [
        "input",
        "output",
        "params",
    ]
    plan = plan_of(the_test_config())
    for files in plan.analysis_outputs(analysis).values():
        for _, caption in files:
            if caption:
                assert (REPO / "workflow" / "report" / f"{caption}.rst").is_file()
    for name in analysis.params:
        assert callable(getattr(Plan, name, None)), name
    assert set(analysis.inputs) <= {"metrics", "predictions"}
    written = {table for entry in CATALOGUE for table in entry.tables}
    assert set(analysis.reads) <= written
    assert set(analysis.unpublished) <= set(analysis.tables)
    if analysis.panels:
        assert callable(getattr(Plan, analysis.panels, None))


def test_the_test_run_made_every_output_of_every_analysis(test_config_run):
    plan = plan_of(the_test_config())
    assert [a.name for a in plan.analyses()] == [a.name for a in CATALOGUE]
    for analysis in plan.analyses():
        for files in plan.analysis_outputs(analysis).values():
            for path, _ in files:
                assert (test_config_run / path).stat().st_size > 0, path


def test_an_analysis_is_made_only_when_its_methods_run():
    config = the_test_config()
    without = copy.deepcopy(config)
    del without["methods"]["undersample_ensemble"]
    without["classifiers"]["hist_gradient_boosting"]["methods"].remove(
        "undersample_ensemble"
    )
    names = [analysis.name for analysis in plan_of(without).analyses()]
    assert "ensembles" not in names and "ratio_sweep" in names
    no_baseline = copy.deepcopy(without)
    for view_or_baseline in ("baseline", "threshold_f1"):  # a view needs its baseline
        del no_baseline["methods"][view_or_baseline]
    no_baseline["classifiers"]["hist_gradient_boosting"]["methods"].remove("baseline")
    names = {analysis.name for analysis in plan_of(no_baseline).analyses()}
    assert not names & {"ratio_sweep", "findings", "ensembles"}
    assert {"cost_threshold", "decision_guide"} <= names


def test_publish_copies_every_figure_and_the_published_tables():
    """Every figure as PNG, the Markdown of the tables but the unpublished ones, the
    data tables as CSV, the documents."""
    plan = plan_of(the_test_config())
    published = set(plan.published())
    for analysis in plan.analyses():
        for key, files in plan.analysis_outputs(analysis).items():
            for path, _ in files:
                table = key.removeprefix("table_")
                expected = (
                    path.endswith(".png")
                    or key.startswith("document_")
                    or (path.endswith(".md") and table not in analysis.unpublished)
                    or (
                        path.endswith(".csv")
                        and table in (*analysis.data, *analysis.rechecked)
                    )
                )
                assert (path in published) == expected, path


def test_a_step_with_nothing_to_show_writes_a_note_in_each_output(
    tmp_path, monkeypatch
):
    """``NothingToShow`` from a step: each of its figures and tables says why, in
    every format, and the job succeeds."""
    import sys
    import types

    from imbench.tables import NothingToShow, read_result_table

    def nothing(input, output, params, threads):
        raise NothingToShow("nothing ran")

    step = types.SimpleNamespace(run=nothing)
    monkeypatch.setitem(sys.modules, "imbench.steps.curves", step)
    analysis = next(a for a in CATALOGUE if a.name == "curves")
    output = {
        key: [tmp_path / path for path, _ in files]
        for key, files in analysis.outputs().items()
    }
    for paths in output.values():
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
    run("curves", {}, output, {})
    csv, md, tex = output["table_calibration"]
    assert read_result_table(csv).empty
    assert md.read_text() == "nothing ran\n" and tex.read_text() == "% nothing ran\n"
    figures = [
        path for key in output if key.startswith("figure_") for path in output[key]
    ]
    assert len(figures) == 6
    for path in figures:
        assert path.stat().st_size > 1000


def recompute_sweep_verdicts(tables):
    """Check every row of ``tables/ratio_sweep.csv`` from ``ratio_sweep_instances.csv``
    alone: baycomp's signed-rank test on its gains (with the verdicts' seed and
    draws) gives the row's three probabilities from the instances not degenerate; an
    identical or a degenerate row has none. Returns the number of rows tested."""
    import numpy as np
    import pandas as pd
    from baycomp import SignedRankTest

    from imbench.names import lower_is_better, relative_rope
    from imbench.stats import POSTERIOR_SAMPLES, posterior_seed

    verdicts = pd.read_csv(tables / "ratio_sweep.csv")
    values = pd.read_csv(tables / "ratio_sweep_instances.csv")
    keys = ["metric", "classifier", "positive_rate", "method"]
    pairs = dict(tuple(values.groupby(keys)))
    checked = 0
    for _, row in verdicts.iterrows():
        pair = pairs[tuple(row[keys])]
        if row["verdict"] in ("identical", "degenerate"):
            assert pair[row["verdict"]].all() and np.isnan(row["p_equivalent"])
            continue
        pair = pair[~pair["degenerate"]]
        metric = row["metric"].split(" @ ")[0]
        gains = pair["value"] - pair["baseline_value"]
        gains = -gains if lower_is_better(metric) else gains
        if relative_rope(metric):
            gains = gains / pair["baseline_value"].abs()
        gains = gains.dropna().to_numpy()
        assert len(gains) == row["n"]
        if not len(gains):  # no value to pair (no threshold tuned): no posterior
            assert np.isnan(row["gain"]) and np.isnan(row["p_equivalent"])
            continue
        assert gains.mean() == pytest.approx(row["gain"], rel=1e-9)  # 10 digits
        theirs = SignedRankTest.probs(
            np.zeros(len(gains)),
            gains,
            row["rope"],
            nsamples=POSTERIOR_SAMPLES,
            random_state=posterior_seed(len(gains)),
        )
        ours = row[["p_worse", "p_equivalent", "p_better"]].to_numpy(float)
        np.testing.assert_allclose(ours, theirs, atol=1 / POSTERIOR_SAMPLES)
        checked += 1
    return checked


def test_every_sweep_verdict_is_recomputed_by_baycomp_from_the_instance_table(
    test_config_run,
):
    """A run's ``ratio_sweep_instances.csv`` re-checks its ``ratio_sweep.csv``."""
    assert recompute_sweep_verdicts(test_config_run / "results" / "tables") > 0


def test_every_published_verdict_is_recomputed_by_baycomp_from_its_instances():
    """The same from docs/results alone: every published verdict re-checks."""
    assert recompute_sweep_verdicts(REPO / "docs" / "results" / "tables") > 500


def test_the_slurm_profile_bundles_every_analysis_in_one_submission():
    """A catalogue entry outside the profile's analyses group would be a submission
    of its own: every entry, with the tables (``aggregate``), is in the group, and
    the group runs them all in one job."""
    profile = load_yaml(REPO / "profiles" / "slurm" / "config.yaml")
    bundled = {rule for rule, group in profile["groups"].items() if group == "analyses"}
    assert bundled == {"aggregate", *(analysis.name for analysis in CATALOGUE)}
    assert profile["group-components"]["analyses"] == len(bundled)
