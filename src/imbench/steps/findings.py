"""Rule ``findings``: ``results/findings.md``, the four answers and the published
claims, written from the analyses' tables."""

from imbench.findings import findings
from imbench.io import write_text
from imbench.stats import Equivalence
from imbench.tables import read_result_table


def run(input, output, params, threads=1):
    """``input``: the ``ratio_sweep``, ``ratio_sweep_answer``, ``ratio_sweep_rope``,
    ``cost_threshold``, ``f1_averages``, ``f1_by_rate``, ``recalibration`` and (when
    it ran) ``ensembles`` tables; ``params``:
    ``shown_cost_ratio``, ``f1_rule``, ``equivalence`` (``stats.Equivalence``),
    ``config_hash`` and ``tiers`` (``Plan.tiers``)."""
    text = findings(
        sweep=read_result_table(input["ratio_sweep"]),
        answers=read_result_table(input["ratio_sweep_answer"]),
        sensitivity=read_result_table(input["ratio_sweep_rope"]),
        costs=read_result_table(input["cost_threshold"]),
        ensembles=read_result_table(input["ensembles"])
        if input.get("ensembles")
        else None,
        gaps=read_result_table(input["f1_averages"]),
        pattern=read_result_table(input["f1_by_rate"]),
        recalibrated=read_result_table(input["recalibration"]),
        ratio=params["shown_cost_ratio"],
        f1_rule=params["f1_rule"],
        level=Equivalence(**params["equivalence"]).probability,
        config_hash=params["config_hash"],
        tiers=params["tiers"],
    )
    write_text(output["document_findings"][0], text)
