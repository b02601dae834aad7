"""Per-fold metrics of one cell from its stored predictions, and each repeat's
decision metrics from its folds' pooled confusion counts.

Thresholds are chosen here, from the validation predictions stored with each fold, so a
new criterion or cost ratio only reruns this step, never a fit.
"""

import numpy as np
import pandas as pd

from imbench.metrics import (
    confusion_counts,
    decision_metrics,
    missing_reason,
    probability_metrics,
)
from imbench.records import FOLD_KEYS, POOLED
from imbench.thresholds import NO_RULE
from imbench.tuning import fold_thresholds

NO_THRESHOLD = "no threshold could be tuned on the validation predictions"
NOTHING_POSITIVE = "nothing predicted positive"


def evaluate_cell(predictions, folds, rules, cost_ratios, grid_size=100):
    """Metrics of every outer fold of a cell, and the threshold of each rule; and
    per repeat, the decision metrics of each rule from the confusion counts summed
    over its folds (Forman & Scholz 2010's F1_tp,fp: at 1% a fold holds a handful of
    positives, and F1 averaged over such folds is biased), over the folds whose
    threshold could be tuned.

    Parameters
    ----------
    predictions : DataFrame
        As written by the fit step (see ``fitting.CellResult``).
    folds : list of dict
        The fold records (``repeat``, ``fold``, ``own_threshold``).
    rules : list of ThresholdRule
        The rules decision metrics are reported at.
    cost_ratios : list of float
        FN:FP ratios whose expected cost is reported.
    grid_size : int
        Candidate thresholds per criterion.

    Returns
    -------
    metrics : DataFrame
        Columns ``repeat, fold, threshold_rule, metric, value, missing``;
        threshold-free metrics have rule ``none``, each rule's threshold is reported as
        metric ``threshold``, a repeat's pooled decision metrics have fold
        ``records.POOLED``, and ``missing`` says why a value is NaN (else empty).
    thresholds : list of dict
        Per fold: ``repeat``, ``fold`` and ``thresholds`` by rule name.
    """
    rows, chosen, pooled = [], [], {}
    groups = predictions.groupby(["repeat", "fold", "role"], sort=True)
    for record in folds:
        key = (record["repeat"], record["fold"])
        test = groups.get_group((*key, "test"))
        try:
            validation = groups.get_group((*key, "validation"))
        except KeyError:
            validation = test.iloc[:0]
        y_true, proba = test["y_true"].to_numpy(), test["proba"].to_numpy()
        for metric, value in probability_metrics(y_true, proba).items():
            why = missing_reason(metric, y_true, proba) if np.isnan(value) else ""
            rows.append((*key, NO_RULE, metric, value, why))
        thresholds = fold_thresholds(
            validation, record.get("own_threshold"), rules, grid_size
        )
        chosen.append({"repeat": key[0], "fold": key[1], "thresholds": thresholds})
        values = np.array(list(thresholds.values()), dtype=np.float64)
        counts = confusion_counts(y_true, proba, np.nan_to_num(values, nan=np.inf))
        tuned = ~np.isnan(values)
        pooled.setdefault(key[0], _Pool()).add(
            y_true, proba, list(thresholds), np.array(counts), tuned
        )
        rows.extend(
            (*key, rule, "threshold", value, "" if tuned[i] else NO_THRESHOLD)
            for i, (rule, value) in enumerate(zip(thresholds, values, strict=True))
        )
        rows.extend(
            _decision_rows(
                key, list(thresholds), counts, tuned, y_true, proba, cost_ratios
            )
        )
    for repeat, pool in pooled.items():
        rows.extend(pool.rows(repeat, cost_ratios))
    return pd.DataFrame(rows, columns=[*FOLD_KEYS, "value", "missing"]), chosen


class _Pool:
    """A repeat's test folds so far: their labels and probabilities, and per rule
    the confusion counts summed over the folds whose threshold was tuned."""

    def __init__(self):
        self.y_true, self.proba, self.counts, self.tuned = [], [], {}, {}

    def add(self, y_true, proba, rules, counts, tuned):
        self.y_true.append(y_true)
        self.proba.append(proba)
        for i, rule in enumerate(rules):
            summed = self.counts.setdefault(rule, np.zeros(4, np.int64))
            summed += counts[:, i] if tuned[i] else 0
            self.tuned[rule] = self.tuned.get(rule, False) or tuned[i]

    def rows(self, repeat, cost_ratios):
        """The repeat's rows of ``_decision_rows``."""
        return _decision_rows(
            (repeat, POOLED),
            list(self.counts),
            np.array(list(self.counts.values())).T,
            np.array(list(self.tuned.values())),
            np.concatenate(self.y_true),
            np.concatenate(self.proba),
            cost_ratios,
        )


def _decision_rows(key, rules, counts, tuned, y_true, proba, cost_ratios):
    """Rows ``(*key, rule, metric, value, missing)`` of the decision metrics of
    ``counts`` (tp, fp, tn, fn by rule), NaN for the rules not ``tuned``."""
    metrics = decision_metrics(*counts, cost_ratios=cost_ratios)
    for i, rule in enumerate(rules):
        for metric, column in metrics.items():
            why = NO_THRESHOLD if not tuned[i] else ""
            if tuned[i] and np.isnan(column[i]):
                why = (
                    NOTHING_POSITIVE
                    if metric == "precision"
                    else missing_reason(metric, y_true, proba)
                )
            yield (*key, rule, metric, column[i] if tuned[i] else np.nan, why)
