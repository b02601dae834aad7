"""Rule ``findings``: ``results/findings.md``, the four answers and the published
claims, written from the analyses' tables."""

import pandas as pd

from imbench.findings import findings
from imbench.io import write_text


def run(input, output, params, threads=1):
    """``input``: the ``ratio_sweep``, ``ratio_sweep_answer``, ``cost_threshold``,
    ``f1_averages`` and (when it ran) ``ensembles`` tables; ``params``:
    ``shown_ratio``, ``f1_rule`` and ``config_hash``."""
    text = findings(
        sweep=_table(input["ratio_sweep"]),
        answers=_table(input["ratio_sweep_answer"]),
        costs=_table(input["cost_threshold"]),
        ensembles=_table(input["ensembles"]) if input.get("ensembles") else None,
        gaps=_table(input["f1_averages"]),
        ratio=params["shown_ratio"],
        f1_rule=params["f1_rule"],
        config_hash=params["config_hash"],
    )
    write_text(output["markdown"], text)


def _table(path):
    """A result table; empty where the analysis wrote a note instead."""
    table = pd.read_csv(path)
    return pd.DataFrame() if list(table.columns) == ["note"] else table
