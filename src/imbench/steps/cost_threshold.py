"""Rule ``cost_threshold`` (question 2): expected cost against the threshold per
method, and the cost at 0.5, at the Bayes threshold (with and without prior
correction), at the threshold tuned on training data, and the oracle bound; whether
the Bayes threshold is practically as good as the tuned one."""

import numpy as np
import pandas as pd

from imbench import figures
from imbench.costs import COST_COLUMNS, cost_curve, cost_table
from imbench.names import cost_metric
from imbench.runtime import stem
from imbench.stats import VERDICT_COLUMNS, Equivalence, paired_gain
from imbench.tables import load_metrics, ok_cells, read_predictions, write_tables
from imbench.thresholds import ThresholdRule

GRID = np.linspace(0, 1, 101)
CELL = ["dataset", "classifier", "method"]


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories; ``params``:
    ``cost_ratios``, ``shown_ratio`` (the one the figure shows) and ``equivalence``
    (see ``stats.Equivalence``)."""
    ratios, shown = params["cost_ratios"], params["shown_ratio"]
    _, cells, datasets = load_metrics(input["metrics"])
    rate_of = datasets.set_index("dataset")["positive_rate"]
    cells = ok_cells(cells)
    if not cells:
        return figures.nothing_to_show(output)
    rows, curves, tuned_shown = [], [], []
    for cell in cells:
        predictions, meta = read_predictions(input["predictions"], cell)
        test = predictions.loc[
            predictions["role"] == "test", ["repeat", "fold", "y_true", "proba"]
        ]
        rate = rate_of[cell["dataset"]]
        folds = _with_tuned_thresholds(meta["folds"], cell["thresholds"], ratios)
        costs = cost_table(test, folds, ratios)
        for ratio, at_ratio in costs.groupby("cost_ratio", sort=False):
            tuned = pd.Series([fold["tuned"][ratio] for fold in folds], dtype=float)
            rows.append(
                at_ratio[COST_COLUMNS].mean().to_dict()
                | {key: cell[key] for key in CELL}
                | {"cost_ratio": ratio, "positive_rate": rate}
                | {"tuned_threshold": tuned.mean()}
            )
        key = {"classifier": cell["classifier"], "method": cell["method"]}
        curves.append(_cost_curves(test, shown, key | {"positive_rate": rate}))
        tuned_shown.extend(
            {**key, "positive_rate": rate, "threshold": fold["tuned"].get(shown)}
            for fold in folds
        )
    keys = ["cost_ratio", "positive_rate", "classifier", "method"]
    per_instance = pd.DataFrame(rows)
    summary = (
        per_instance.groupby(keys)[[*COST_COLUMNS, "tuned_threshold"]]
        .mean()
        .join(_bayes_against_tuned(per_instance, keys, params["equivalence"]))
        .reset_index()
        .rename(columns={"oracle": "oracle (test-fold bound)"})
    )
    write_tables(summary, stem(output["csv"]))
    tuned_at = (
        pd.DataFrame(tuned_shown)
        .groupby(["positive_rate", "classifier", "method"])["threshold"]
        .mean()
    )
    figures.cost_curves(
        pd.concat(curves, ignore_index=True),
        tuned_at,
        shown,
        [output["pdf"], output["png"]],
    )


def _bayes_against_tuned(per_instance, keys, settings):
    """Per group of ``keys``: the Bayes threshold's paired gain over the tuned one
    (positive = cheaper) and its practical verdict; undecided where nothing was
    tuned."""
    equivalence = Equivalence(**settings)
    rows = {}
    for key, group in per_instance.groupby(keys):
        gains = group["at_tuned"] - group["at_bayes"]
        metric = cost_metric(key[0])
        rows[key] = {
            "bayes_gain_over_tuned": paired_gain(gains)["gain"],
            "n": len(group),
            **equivalence.judge(gains, group["at_tuned"], metric),
        }
    columns = ["bayes_gain_over_tuned", "n", *VERDICT_COLUMNS]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis(
        keys
    )


def _with_tuned_thresholds(folds, thresholds, ratios):
    """The fold records with ``tuned``: the threshold tuned for each cost ratio
    (NaN where none was)."""
    chosen = {(t["repeat"], t["fold"]): t["thresholds"] for t in thresholds}
    return [
        {
            **record,
            "tuned": {
                ratio: chosen[record["repeat"], record["fold"]].get(
                    ThresholdRule.tuned_cost(ratio).name, np.nan
                )
                for ratio in ratios
            },
        }
        for record in folds
    ]


def _cost_curves(test, ratio, key):
    """The cost per sample on ``GRID`` for each test fold, labelled with ``key``."""
    fold_curves = [
        cost_curve(fold["y_true"], fold["proba"], ratio, GRID)
        for _, fold in test.groupby(["repeat", "fold"])
    ]
    return pd.DataFrame(
        {
            "threshold": np.tile(GRID, len(fold_curves)),
            "cost": np.concatenate(fold_curves),
            **key,
        }
    )
