"""What one repeat of cross-validation would have decided: a finished run's
ratio-sweep verdicts recomputed from its first repeat only, against those of all its
repeats, from the stored metrics (nothing is refitted).

Prints one Markdown table, a row per sweep panel and one for all of them: the
verdicts that can be decided (not identical to the baseline, not degenerate), how
many all repeats decided (better, equivalent or worse) and the first repeat alone,
the share of the former the first repeat gives the same verdict, and the decided
shares. The rule issue #28 set for the paper grid: one repeat is allowed if it keeps
at least 95% of the decided verdicts and loses at most 5 points of decided share.

    .venv/bin/python benchmarks/repeats.py config/published.yaml results/
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

from imbench.comparisons import gains_over
from imbench.config import build_plan, load_yaml
from imbench.names import label
from imbench.stats import Equivalence
from imbench.tables import load_metrics

DECIDED = ("better", "equivalent", "worse")
NO_TEST = ("identical", "degenerate")
SCHEMA = Path(__file__).resolve().parents[1] / "workflow/schemas/config.schema.yaml"


def verdicts(metrics, panels, equivalence):
    """Every ratio-sweep verdict of ``metrics``, indexed by panel and cell."""
    frames = [
        gains_over(metrics, metric, rule, equivalence).assign(panel=label(metric, rule))
        for metric, rule in panels
    ]
    keys = ["panel", "classifier", "positive_rate", "method"]
    return pd.concat(frames, ignore_index=True).set_index(keys)["verdict"]


def compare(every, first):
    """One row of counts: verdicts of all repeats (``every``) against the first
    repeat's (``first``), both indexed alike."""
    judged = ~every.isin(NO_TEST)
    decided = every.isin(DECIDED)
    decided_first = first.reindex(every.index).isin(DECIDED) & judged
    same = decided & (first.reindex(every.index) == every)
    return {
        "verdicts": int(judged.sum()),
        "decided, all repeats": int(decided.sum()),
        "decided, first repeat": int(decided_first.sum()),
        "same verdict": int(same.sum()),
        "kept": same.sum() / max(decided.sum(), 1),
        "decided share, all": decided.sum() / max(judged.sum(), 1),
        "decided share, first": decided_first.sum() / max(judged.sum(), 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="the run's config file")
    parser.add_argument("results", nargs="?", default="results", type=Path)
    args = parser.parse_args(argv)
    plan = build_plan(load_yaml(args.config), SCHEMA, ".")
    metrics, _, _ = load_metrics(sorted((args.results / "metrics").glob("*.parquet")))
    equivalence = Equivalence(**plan.equivalence())
    panels = plan.sweep_panels()
    every = verdicts(metrics, panels, equivalence)
    first = verdicts(metrics[metrics["repeat"] == 0], panels, equivalence)
    rows = [
        {"panel": panel, **compare(every.loc[panel], first.loc[panel])}
        for panel in every.index.unique("panel")
    ]
    rows.append({"panel": "all", **compare(every, first)})
    table = pd.DataFrame(rows)
    table["loss, points"] = 100 * (
        table["decided share, all"] - table["decided share, first"]
    )
    print(table.to_markdown(index=False, floatfmt=".3f"))


if __name__ == "__main__":
    sys.exit(main())
