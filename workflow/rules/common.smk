import re
import sys
from collections import defaultdict
from pathlib import Path

from imbench.config import Cell, ConfigError, build_plan, config_hash
from imbench.runtime import git_commit
from imbench.status import failure_summary, previous_config

try:
    PLAN = build_plan(
        config,
        Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml",
    )
except ConfigError as error:
    sys.exit(f"imbench: config error: {error}")

CELLS_BY_DATASET = defaultdict(list)
for cell in PLAN.cells:
    CELLS_BY_DATASET[cell.dataset].append(cell)


def reported(path, category):
    """``path`` flagged for ``snakemake --report``, captioned by
    workflow/report/<name>_<suffix>.rst."""
    name = Path(path).name.replace(".", "_")
    caption = Path(workflow.basedir, "workflow", "report", f"{name}.rst")
    return report(path, caption=str(caption), category=category)


TABLES = {
    "long": "results/tables/metrics_long.csv",
    "summary": reported("results/tables/summary.csv", "0. Summary"),
    "markdown": "results/tables/summary.md",
    "cells": reported("results/tables/cells.csv", "0. Summary"),
    "datasets": reported("results/tables/datasets.csv", "0. Summary"),
    "provenance": "results/tables/provenance.json",
}


def one_of(names):
    """Wildcard constraint matching exactly the given names."""
    return "|".join(re.escape(name) for name in sorted(names))


wildcard_constraints:
    dataset=one_of(PLAN.datasets),
    classifier=one_of(PLAN.config["classifiers"]),
    method=one_of(PLAN.config["methods"]),


def prediction_path(cell):
    return f"results/predictions/{cell.dataset}/{cell.classifier}/{cell.method}.parquet"


def predictions_of(wildcards):
    """Prediction files of every cell of a dataset."""
    return [prediction_path(cell) for cell in CELLS_BY_DATASET[wildcards.dataset]]


METRICS = expand("results/metrics/{dataset}.parquet", dataset=PLAN.datasets)
METHODS_RUN = {cell.method for cell in PLAN.cells}
ANALYSES = [
    *(["results/figures/ratio_sweep.pdf"] if "baseline" in METHODS_RUN else []),
    "results/figures/cost_threshold.pdf",
    *(
        ["results/figures/ensembles.pdf"]
        if {"undersample_ensemble", "baseline"} <= METHODS_RUN
        else []
    ),
    "results/figures/f1_averages.pdf",
    "results/figures/pr_curves.pdf",
    "results/figures/critical_difference.pdf",
    "results/tables/decision_guide.csv",
]


def fit_params(wildcards):
    return PLAN.fit_params(
        Cell(wildcards.dataset, wildcards.classifier, wildcards.method)
    )


_previous = previous_config(TABLES["provenance"], config_hash(PLAN.config))
if _previous:
    print(
        f"imbench: warning: results/ holds results of another config ({_previous}); "
        "this run replaces those its changes affect (move results/ aside first to "
        "keep them)",
        file=sys.stderr,
    )


def provenance():
    return {
        "config_hash": config_hash(PLAN.config),
        "git_commit": git_commit(workflow.basedir),
    }
