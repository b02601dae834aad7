import re
import sys
from collections import defaultdict
from pathlib import Path

from snakemake.exceptions import WorkflowError

from imbench.config import ConfigError, build_plan, config_hash, refuse_templates
from imbench.jobs import cluster_cores
from imbench.provenance import code_digest, git_commit
from imbench.steps import publish
from imbench.status import config_warning, failure_summary

SCHEMA = str(Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
try:
    refuse_templates(workflow.configfiles)
    PLAN = build_plan(config, SCHEMA)
except ConfigError as error:
    sys.exit(f"imbench: config error: {error}")

CELLS_BY_DATASET = defaultdict(list)
for cell in PLAN.cells:
    CELLS_BY_DATASET[cell.dataset].append(cell)


def reported(path, category, caption=None):
    """``path`` flagged for ``snakemake --report``, captioned by
    workflow/report/<caption>.rst (by default <name>_<suffix>)."""
    caption = caption or Path(path).name.replace(".", "_")
    caption = Path(workflow.basedir, "workflow", "report", f"{caption}.rst")
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


def dataset_files(wildcards):
    """The user's file a dataset is read from (none for generated data), so that
    editing it reruns the dataset's job."""
    spec = PLAN.datasets[wildcards.dataset]
    return [spec["path"]] if spec["kind"] == "file" else []


def cell_params(wildcards):
    """Fit params of every cell of a dataset, by ``classifier/method``, as JSON."""
    return {
        f"{cell.classifier}/{cell.method}": PLAN.fit_params(cell).to_json()
        for cell in CELLS_BY_DATASET[wildcards.dataset]
    }


def dataset_memory(wildcards, threads, attempt):
    """A dataset job's mem_mb, from its data's size, doubled on each retry."""
    return attempt * PLAN.job_memory_mb(wildcards.dataset, threads)


JOB_PRIORITIES = PLAN.job_priorities()


def job_priority(wildcards):
    """Users' files first, then the largest datasets (see ``Plan.job_priorities``)."""
    return JOB_PRIORITIES[wildcards.dataset]


try:
    CORES = workflow.cores
except WorkflowError:  # a cluster run without --cores: the CPUs of one group job
    CORES = cluster_cores()
    workflow.global_resources["_cores"] = CORES
# Cores are spread over the datasets: a config with fewer datasets than cores
# cross-validates each dataset's cells in parallel.
CELL_PROCESSES = max(1, CORES // len(PLAN.datasets))
# Every analysis rule's resources, doubled on each retry: several times what the
# largest took on config/published.yaml (results/benchmarks/analysis/).
ANALYSIS_RESOURCES = {
    "mem_mb": lambda wildcards, attempt: 4000 * attempt,
    "runtime": lambda wildcards, attempt: 60 * attempt,
}
# Predictions by content (params, data, code), outside the jobs' outputs, so that a
# rerun job refits only the cells that changed.
CELL_CACHE = "results/cache/predictions"
DATASETS = expand("results/datasets/{dataset}.parquet", dataset=PLAN.datasets)
METRICS = expand("results/metrics/{dataset}.parquet", dataset=PLAN.datasets)
PREDICTIONS = expand("results/predictions/{dataset}", dataset=PLAN.datasets)
ANALYSES_MADE = PLAN.analyses()
TABLES_MADE = {table for analysis in ANALYSES_MADE for table in analysis.tables}


def analysis_input(analysis):
    """An analysis rule's input: the per-dataset results it reads, and the tables of
    other analyses it reads that this config makes."""
    per_dataset = {"metrics": METRICS, "predictions": PREDICTIONS}
    return {
        **{name: per_dataset[name] for name in analysis.inputs},
        **{
            table: f"results/tables/{table}.csv"
            for table in analysis.reads
            if table in TABLES_MADE
        },
    }


def analysis_output(analysis):
    """An analysis rule's output, each file the report shows flagged for it."""
    return {
        key: [
            reported(path, analysis.category, caption) if caption else path
            for path, caption in files
        ]
        for key, files in PLAN.analysis_outputs(analysis).items()
    }


ANALYSES = [
    path
    for analysis in ANALYSES_MADE
    for files in PLAN.analysis_outputs(analysis).values()
    for path, _ in files
]


def published(wildcards):
    """What ``publish`` copies: every figure as PNG, the Markdown tables, the
    findings and the provenance. Snakemake asks while it plans, so a run that may
    not be published stops here, before any job."""
    refused = publish.refusal(
        workflow.configfiles, config_hash(PLAN.config), workflow.basedir, SCHEMA
    )
    if refused:
        sys.exit(f"imbench: config error: publish: {refused}")
    files = PLAN.published()
    return {
        "figures": sorted(path for path in files if path.endswith(".png")),
        "tables": sorted(
            [TABLES["markdown"], *(p for p in files if p.startswith("results/tables/"))]
        ),
        "findings": "results/findings.md",
        "provenance": TABLES["provenance"],
    }


if PLAN.excluded:
    print(
        f"imbench: note: {len(PLAN.excluded)} collection datasets excluded by the "
        "config's filters or its folds (results/tables/datasets.csv says why)",
        file=sys.stderr,
    )
_warning = config_warning(TABLES["provenance"], config_hash(PLAN.config))
if _warning:
    print(_warning, file=sys.stderr)


def check_fits():
    """Before the first job: classifier parameters refused only when fitting, and
    plug-ins' contracts."""
    try:
        for line in PLAN.check_fits():
            print(f"imbench: warning: {line}", file=sys.stderr)
    except ConfigError as error:
        sys.exit(f"imbench: config error: {error}")


def provenance():
    return {
        "config_hash": config_hash(PLAN.config),
        "git_commit": git_commit(workflow.basedir),
    }
