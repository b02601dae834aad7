"""Expected cost when a false negative costs r false positives (question 2): the Bayes
threshold of calibrated probabilities, prior correction for models trained at another
positive rate (Elkan 2001), and each fold's cost at the candidate thresholds."""

import numpy as np
import pandas as pd

from imbench.metrics import confusion_counts, cost_per_sample
from imbench.names import cost_metric
from imbench.stats import (
    DEGENERATE,
    VERDICT_COLUMNS,
    gain_unit,
    judged_gains,
    paired_gain,
)
from imbench.thresholds import ThresholdRule

COST_COLUMNS = [
    "at_0.5",
    "at_bayes",
    "at_bayes_prior_corrected",
    "at_tuned",
    "oracle",
    "constant",
]
CURVE_GRID = np.linspace(0, 1, 101)  # the thresholds a cost curve is drawn at
GROUP = ["cost_ratio", "positive_rate", "classifier", "method"]


def prior_correct(proba, train_rate, true_rate):
    """Probabilities of a model trained at positive rate ``train_rate`` moved to
    ``true_rate`` (odds x [b'/(1-b')] x [(1-b)/b]; Elkan 2001)."""
    proba = np.clip(np.asarray(proba, dtype=float), 1e-12, 1 - 1e-12)
    odds = (
        proba
        / (1 - proba)
        * (true_rate / (1 - true_rate))
        * ((1 - train_rate) / train_rate)
    )
    return odds / (1 + odds)


def bayes_threshold(cost_ratio):
    """Cost-optimal threshold of calibrated probabilities, c_FP / (c_FP + c_FN)."""
    return 1.0 / (1.0 + cost_ratio)


def cost_curve(y_true, proba, cost_ratio, grid):
    """Expected cost per sample at each threshold of ``grid``."""
    _, fp, _, fn = confusion_counts(y_true, proba, grid)
    return cost_per_sample(fp, fn, len(proba), cost_ratio)


def cost_table(test_predictions, folds, cost_ratios, grid_size=201):
    """Costs of one cell per cost ratio and fold: at 0.5, at the Bayes threshold (as
    predicted, and after prior correction from the rate the model was trained at to
    the training fold's), at the threshold tuned on training data, and the oracle
    minimum over thresholds chosen on the test fold itself (a bound, not a method),
    and the trivial reference: the cheaper constant prediction (every sample
    negative, or every one positive), which a model must beat to be worth using.

    ``folds`` are the fold records: ``repeat``, ``fold``, ``train_positive_rate``,
    ``trained_positive_rate`` (what the model learnt at, after resampling and class
    weights) and ``tuned`` (the tuned threshold by cost ratio; NaN where none was).
    """
    grid = np.linspace(0, 1, grid_size)
    rows = []
    columns = ["repeat", "fold", "y_true", "proba"]
    by_fold = test_predictions[columns].groupby(["repeat", "fold"])
    for record in folds:
        fold = by_fold.get_group((record["repeat"], record["fold"]))
        y, proba = fold["y_true"].to_numpy(), fold["proba"].to_numpy()
        trained, true = record["trained_positive_rate"], record["train_positive_rate"]
        corrected = prior_correct(proba, trained, true) if trained != true else proba
        _, grid_fp, _, grid_fn = confusion_counts(y, proba, grid)
        for ratio in cost_ratios:
            bayes = bayes_threshold(ratio)
            tuned = record["tuned"].get(ratio, np.nan)
            thresholds = np.array([0.5, bayes, tuned])
            costs = cost_curve(y, proba, ratio, np.nan_to_num(thresholds, nan=np.inf))
            rows.append(
                {
                    "cost_ratio": ratio,
                    "repeat": record["repeat"],
                    "fold": record["fold"],
                    "at_0.5": costs[0],
                    "at_bayes": costs[1],
                    "at_bayes_prior_corrected": cost_curve(
                        y, corrected, ratio, [bayes]
                    )[0],
                    "at_tuned": np.nan if np.isnan(tuned) else costs[2],
                    "oracle": cost_per_sample(grid_fp, grid_fn, len(y), ratio).min(),
                    "constant": min(
                        cost_per_sample(0, y.sum(), len(y), ratio),
                        cost_per_sample(len(y) - y.sum(), 0, len(y), ratio),
                    ),
                }
            )
    return pd.DataFrame(rows)


def with_tuned_thresholds(folds, thresholds, ratios):
    """A cell's fold records with ``tuned``: the threshold tuned for each cost ratio
    (NaN where none was), from its ``thresholds`` records."""
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


def instance_costs(test_predictions, folds, ratios, key):
    """One cell's costs per cost ratio, averaged over its folds (``cost_table``),
    with its tuned threshold's mean; each row labelled with ``key``."""
    rows = []
    costs = cost_table(test_predictions, folds, ratios)
    for ratio, at_ratio in costs.groupby("cost_ratio", sort=False):
        tuned = pd.Series([fold["tuned"][ratio] for fold in folds], dtype=float)
        rows.append(
            at_ratio[COST_COLUMNS].mean().to_dict()
            | key
            | {"cost_ratio": ratio}
            | {"tuned_threshold": tuned.mean()}
        )
    return rows


def cost_summary(per_instance, equivalence):
    """Question 2's table: the mean costs per cost ratio, positive rate, classifier
    and method over dataset instances (``instance_costs`` rows, each with its
    ``observation`` and whether it is ``degenerate``), and the Bayes threshold's
    paired gain over the tuned one with its practical verdict (``equivalence``, a
    ``stats.Equivalence``); ``at_0.5_vs_best`` is the cost at 0.5 as a multiple of
    the cheaper of the Bayes and the tuned threshold's."""
    means = per_instance.groupby(GROUP)[[*COST_COLUMNS, "tuned_threshold"]].mean()
    best = means[["at_bayes", "at_tuned"]].min(axis=1)
    return (
        means.assign(**{"at_0.5_vs_best": means["at_0.5"] / best})
        .join(_bayes_against_tuned(per_instance, equivalence))
        .reset_index()
        .rename(columns={"oracle": "oracle (test-fold bound)"})
    )


def _bayes_against_tuned(per_instance, equivalence):
    """Per group: the Bayes threshold's paired gain over the tuned one (positive =
    cheaper, relative to the tuned cost as the ROPE is) and its practical verdict,
    paired by observation (``sources.observation``), degenerate instances left out
    (``degenerate`` where none is left); undecided where nothing was tuned."""
    rows = {}
    for key, group in per_instance.groupby(GROUP):
        kept = group[~group["degenerate"]]
        observed = kept.groupby("observation")[["at_tuned", "at_bayes"]].mean()
        gains = observed["at_tuned"] - observed["at_bayes"]
        metric = cost_metric(key[0])
        reference = observed["at_tuned"]
        row = {
            "bayes_gain_over_tuned": paired_gain(
                judged_gains(gains, reference, metric)
            )["gain"],
            "gain_unit": gain_unit(metric),
            "n": len(observed),
            **equivalence.judge(gains, reference, metric),
        }
        rows[key] = row | (DEGENERATE if kept.empty else {})
    columns = ["bayes_gain_over_tuned", "gain_unit", "n", *VERDICT_COLUMNS]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis(
        GROUP
    )


def fold_cost_curves(test_predictions, ratio, key):
    """The cost per sample on ``CURVE_GRID`` for each test fold of a cell, labelled
    with ``key``."""
    curves = [
        cost_curve(fold["y_true"], fold["proba"], ratio, CURVE_GRID)
        for _, fold in test_predictions.groupby(["repeat", "fold"])
    ]
    return pd.DataFrame(
        {
            "threshold": np.tile(CURVE_GRID, len(curves)),
            "cost": np.concatenate(curves),
            **key,
        }
    )
