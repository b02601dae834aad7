"""Whether thresholds tuned on a holdout of each training fold score as those tuned
on its inner folds: two finished runs of one config that differ only in
``thresholds.strategy`` (``holdout`` and ``inner_cv``), compared cell by cell.

For F1 at the F1-tuned threshold and the expected cost at the cost-tuned threshold
(cost ratio 10), per classifier, method and positive rate: the mean over instances
of each run, their mean paired difference (holdout minus inner folds, in the
metric's ROPE unit: relative to the inner folds' value for the cost) with its 90%
t-interval (both ends inside the ROPE is equivalence by two one-sided tests at 5%),
and the Bayesian signed-rank verdict of the holdout against the inner folds.

    .venv/bin/python benchmarks/validation.py results-holdout/ results-inner/
"""

import argparse
import sys
from pathlib import Path

import pandas as pd
from scipy import stats as scipy_stats

from imbench.names import cost_metric, lower_is_better
from imbench.stats import Equivalence, judged_gains
from imbench.tables import compared_means, load_metrics

PANELS = [("f1", "tuned_f1"), (cost_metric(10.0), "tuned_cost_10")]
KEYS = ["classifier", "positive_rate", "method", "observation"]


def means(results, metric, rule):
    metrics, _, _ = load_metrics(sorted((results / "metrics").glob("*.parquet")))
    return compared_means(metrics, metric, rule).set_index(KEYS)["value"]


def compare(holdout, inner, metric, equivalence):
    """One row per classifier, method and rate (see the module's docstring)."""
    both = pd.concat({"holdout": holdout, "inner": inner}, axis=1).dropna()
    sign = -1 if lower_is_better(metric) else 1
    rows = []
    for (classifier, rate, method), group in both.groupby(level=[0, 1, 2]):
        differences = sign * (group["holdout"] - group["inner"])
        gains = judged_gains(differences, group["inner"], metric)
        low, high = scipy_stats.t.interval(
            0.9, len(gains) - 1, loc=gains.mean(), scale=scipy_stats.sem(gains)
        )
        rope = equivalence.width(metric)
        verdict = equivalence.judge(differences, group["inner"], metric)
        rows.append(
            {
                "classifier": classifier,
                "method": method,
                "rate": rate,
                "n": len(gains),
                "inner folds": group["inner"].mean(),
                "holdout": group["holdout"].mean(),
                "gain": gains.mean(),
                "90% low": low,
                "90% high": high,
                "rope": rope,
                "inside": bool(-rope < low and high < rope),
                "P(equivalent)": verdict["p_equivalent"],
                "verdict": verdict["verdict"],
            }
        )
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("holdout", type=Path, help="results of the holdout run")
    parser.add_argument("inner", type=Path, help="results of the inner-folds run")
    args = parser.parse_args(argv)
    equivalence = Equivalence()
    for metric, rule in PANELS:
        table = compare(
            means(args.holdout, metric, rule),
            means(args.inner, metric, rule),
            metric,
            equivalence,
        )
        print(f"\n{metric} @ {rule} (gain: holdout better by; ROPE unit)\n")
        print(table.to_markdown(index=False, floatfmt=".4g"))
        inside = table["inside"].mean()
        print(
            f"\n{table['inside'].sum()} of {len(table)} cells ({inside:.0%}) have the "
            f"90% interval of the difference inside the ROPE; verdicts: "
            + ", ".join(f"{v} {n}" for v, n in table["verdict"].value_counts().items())
        )


if __name__ == "__main__":
    sys.exit(main())
