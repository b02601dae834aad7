"""Per-fold metrics of one cell from its stored predictions.

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
from imbench.records import FOLD_KEYS
from imbench.thresholds import NO_RULE
from imbench.tuning import fold_thresholds

NO_THRESHOLD = "no threshold could be tuned on the validation predictions"
NOTHING_POSITIVE = "nothing predicted positive"


def evaluate_cell(predictions, folds, rules, cost_ratios, grid_size=100):
    """Metrics of every outer fold of a cell, and the threshold of each rule.

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
        metric ``threshold``, and ``missing`` says why a value is NaN (else empty).
    thresholds : list of dict
        Per fold: ``repeat``, ``fold`` and ``thresholds`` by rule name.
    """
    rows, chosen = [], []
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
        metrics = decision_metrics(*counts, cost_ratios=cost_ratios)
        for i, rule in enumerate(thresholds):
            if np.isnan(values[i]):
                rows.extend(
                    (*key, rule, metric, np.nan, NO_THRESHOLD)
                    for metric in ("threshold", *metrics)
                )
                continue
            rows.append((*key, rule, "threshold", values[i], ""))
            for metric, column in metrics.items():
                why = ""
                if np.isnan(column[i]):
                    why = (
                        NOTHING_POSITIVE
                        if metric == "precision"
                        else missing_reason(metric, y_true, proba)
                    )
                rows.append((*key, rule, metric, column[i], why))
    return pd.DataFrame(rows, columns=[*FOLD_KEYS, "value", "missing"]), chosen
