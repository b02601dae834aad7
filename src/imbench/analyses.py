"""The analysis catalogue: one entry per analysis, the one place that says what it
needs, what it writes and where the report shows it.

The workflow makes one rule per entry whose methods ran (``Plan.analyses``), with the
params the entry names, and ``publish`` copies what the entries publish. Adding an
analysis is its entry here, its step ``imbench.steps.<name>``, its library code and
figure, and a caption per reported file in ``workflow/report/``. Standard library
only: Snakemake reads it while it plans.

A step receives its outputs by kind and name: ``figure_<name>`` (PDF then PNG, per
panel when the analysis has panels), ``table_<name>`` (CSV, Markdown, LaTeX) and
``document_<name>`` (Markdown), and ``table_<name>`` of a data table (CSV only); its
inputs are ``metrics`` and ``predictions`` (one
per dataset) and, by name, the tables of other analyses it ``reads``.
"""

from dataclasses import dataclass

FIGURE_FORMATS = ("pdf", "png")
TABLE_FORMATS = ("csv", "md", "tex")


@dataclass(frozen=True)
class Analysis:
    """One analysis, run by the rule and step ``name``.

    ``category``: its section of the report. ``needs``: methods that must run for it
    to be made. ``inputs``: the per-dataset results it reads (``metrics``,
    ``predictions``). ``reads``: tables of other analyses it reads, each when made.
    ``figures``, ``tables``, ``documents``: what it writes, under ``results/figures``,
    ``results/tables`` and ``results/`` (each figure once per panel of the ``Plan``
    method ``panels``, when given); ``data``: tables written and published as CSV
    only, the values others re-check its results from. ``params``: the ``Plan``
    methods whose values the step receives, by the same names. ``unpublished``: its
    tables ``publish`` leaves out. ``rechecked``: its tables published as CSV too,
    the verdicts its ``data`` re-check.
    """

    name: str
    category: str
    needs: frozenset = frozenset()
    inputs: tuple = ("metrics",)
    reads: tuple = ()
    figures: tuple = ()
    tables: tuple = ()
    documents: tuple = ()
    data: tuple = ()
    panels: str | None = None
    params: tuple = ()
    unpublished: tuple = ()
    rechecked: tuple = ()

    def outputs(self, panel_names=()):
        """Each output's files by key, as ``(path, caption)``: the caption is the
        report's (a file under ``workflow/report/``), None for a file the report does
        not show (PDFs, Markdown and LaTeX tables)."""
        outputs = {}
        for figure in self.figures:
            stems = [f"{figure}/{panel}" for panel in panel_names] or [figure]
            outputs[f"figure_{figure}"] = [
                (f"results/figures/{stem}.{suffix}", _caption(figure, suffix))
                for stem in stems
                for suffix in FIGURE_FORMATS
            ]
        for table in self.tables:
            outputs[f"table_{table}"] = [
                (f"results/tables/{table}.{suffix}", _caption(table, suffix))
                for suffix in TABLE_FORMATS
            ]
        for table in self.data:
            outputs[f"table_{table}"] = [
                (f"results/tables/{table}.csv", _caption(table, "csv"))
            ]
        for document in self.documents:
            outputs[f"document_{document}"] = [
                (f"results/{document}.md", f"{document}_md")
            ]
        return outputs

    def published(self, panel_names=()):
        """What ``publish`` copies of it: its figures as PNG, its Markdown tables
        (but the unpublished ones) and its documents."""
        outputs = self.outputs(panel_names)
        return [
            path
            for key, files in outputs.items()
            for path, _ in files
            if path.endswith(".png")
            or key.startswith("document_")
            or key.removeprefix("table_") in self.data
            or (path.endswith(".csv") and key.removeprefix("table_") in self.rechecked)
            or (
                path.endswith(".md")
                and key.removeprefix("table_") not in self.unpublished
            )
        ]


def _caption(name, suffix):
    return f"{name}_{suffix}" if suffix in ("png", "csv") else None


METRICS_AND_PREDICTIONS = ("predictions", "metrics")
CATALOGUE = (
    Analysis(
        "ratio_sweep",
        "1. Imbalance ratio sweep",
        needs=frozenset({"baseline"}),
        figures=("ratio_sweep",),
        panels="sweep_panels",
        tables=("ratio_sweep", "ratio_sweep_answer", "ratio_sweep_rope"),
        data=("ratio_sweep_instances", "ratio_sweep_sources"),
        rechecked=("ratio_sweep",),
        params=("sweep_panels", "equivalence"),
    ),
    Analysis(
        "cost_threshold",
        "2. Cost threshold",
        inputs=METRICS_AND_PREDICTIONS,
        figures=("cost_threshold",),
        tables=("cost_threshold",),
        params=("cost_ratios", "shown_cost_ratio", "equivalence"),
    ),
    Analysis(
        "ensembles",
        "3. Undersampling ensembles",
        needs=frozenset({"undersample_ensemble", "baseline"}),
        inputs=METRICS_AND_PREDICTIONS,
        figures=("ensembles",),
        tables=("ensembles",),
        data=("ensemble_sizes",),
        params=("equivalence",),
    ),
    Analysis(
        "f1_averages",
        "4. F1 averages",
        figures=("f1_averages",),
        tables=("f1_averages", "f1_by_rate"),
    ),
    Analysis(
        "curves",
        "5. Curves and calibration",
        inputs=METRICS_AND_PREDICTIONS,
        figures=("pr_curves", "roc_curves", "reliability"),
        panels="source_panels",
        tables=("calibration",),
        params=("source_panels",),
        unpublished=("calibration",),  # the reliability diagram shows it
    ),
    Analysis(
        "recalibration",
        "5. Curves and calibration",
        needs=frozenset({"baseline"}),
        inputs=METRICS_AND_PREDICTIONS,
        tables=("recalibration",),
        params=("equivalence",),
    ),
    Analysis(
        "ranking",
        "6. Ranking",
        figures=("mean_ranks",),
        tables=("ranking",),
        params=("scored_metrics",),
    ),
    Analysis(
        "decision_guide",
        "7. Decision guide",
        reads=("ratio_sweep",),
        tables=("decision_guide",),
        params=("scored_metrics", "equivalence"),
    ),
    Analysis(
        "findings",
        "0. Findings",
        needs=frozenset({"baseline"}),
        inputs=(),
        reads=(
            "ratio_sweep",
            "ratio_sweep_answer",
            "ratio_sweep_rope",
            "cost_threshold",
            "f1_averages",
            "f1_by_rate",
            "ensembles",
            "recalibration",
        ),
        documents=("findings",),
        params=("shown_cost_ratio", "f1_rule", "equivalence", "config_hash", "tiers"),
    ),
)
ANALYSES = {analysis.name: analysis for analysis in CATALOGUE}
