"""Calibration of pooled out-of-fold probabilities: reliability curves, the
expected calibration error, and logistic recalibration's intercept and slope as
trained and after prior correction (the recalibration arm)."""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.calibration import calibration_curve
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationWarning,
)

from imbench.comparisons import gains_over
from imbench.costs import prior_correct
from imbench.metrics import probability_metrics
from imbench.records import POOLED
from imbench.tables import compared_means
from imbench.thresholds import NO_RULE

CALIBRATION_BINS = 10
LOGIT_CLIP = 1e-6  # a forest's probability of exactly 0 or 1 has no log-odds
AS_TRAINED, PRIOR_CORRECTED = "as trained", "prior-corrected"
LINE = ("calibration_intercept", "calibration_slope")
JUDGED = ("brier", "log_loss")


def quantile_bins(y_true, proba, n_bins=CALIBRATION_BINS):
    """Per quantile bin of ``proba`` (the bins of scikit-learn's
    ``calibration_curve(strategy="quantile")``): samples, positives and the sum of
    the predictions, empty bins left out."""
    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.percentile(proba, np.linspace(0, 100, n_bins + 1))
    bins = np.searchsorted(edges[1:-1], proba)
    counts = np.bincount(bins, minlength=n_bins)
    positives = np.bincount(bins, weights=y_true, minlength=n_bins)
    predicted = np.bincount(bins, weights=proba, minlength=n_bins)
    kept = counts > 0
    return counts[kept], positives[kept], predicted[kept]


def reliability(y_true, proba, n_bins=CALIBRATION_BINS):
    """Reliability curve over quantile bins: ``(mean predicted, observed rate,
    positives)`` per bin, the first two as scikit-learn's ``calibration_curve``
    gives them."""
    observed, predicted = calibration_curve(
        y_true, proba, n_bins=n_bins, strategy="quantile"
    )
    return predicted, observed, quantile_bins(y_true, proba, n_bins)[1]


def calibration_error(y_true, proba, n_bins=CALIBRATION_BINS):
    """Expected calibration error over quantile bins (``quantile_bins``;
    scikit-learn has no ECE itself): the mean over samples of |observed - predicted
    rate| in their bin."""
    counts, positives, predicted = quantile_bins(y_true, proba, n_bins)
    return float(np.abs(positives - predicted).sum() / counts.sum())


def calibration_table(pooled, key_names):
    """Reliability diagrams and the calibration table of pooled predictions:
    ``pooled`` maps a key (named ``key_names``) to ``(y, proba)``. Returns the
    diagrams (key -> ``reliability``) and one row per key, in key
    order: observed rate, mean predicted, expected calibration error."""
    rows, diagrams = [], {}
    for key, (y, proba) in sorted(pooled.items()):
        diagrams[key] = reliability(y, proba)
        rows.append(
            dict(
                zip(key_names, key, strict=True),
                observed_rate=y.mean(),
                mean_predicted=proba.mean(),
                expected_calibration_error=calibration_error(y, proba),
            )
        )
    return diagrams, pd.DataFrame(rows)


def calibration_line(y_true, proba):
    """Logistic recalibration of ``proba`` (Cox 1958; Van Calster et al. 2019): the
    calibration intercept (slope fixed at 1: 0 when the predictions' mean is right,
    above 0 when they underestimate) and slope (of logit(proba): 1 when the
    predictions are neither too extreme nor too modest, below 1 when overconfident).
    NaN where either is undefined: one class, one predicted value, or a fit that does
    not converge (separable predictions). statsmodels' GLM, because scikit-learn's
    logistic regression takes no offset."""
    y_true = np.asarray(y_true, dtype=float)
    proba = np.clip(np.asarray(proba, dtype=float), LOGIT_CLIP, 1 - LOGIT_CLIP)
    if y_true.min() == y_true.max() or proba.min() == proba.max():
        return np.nan, np.nan
    logit = np.log(proba / (1 - proba))
    binomial = sm.families.Binomial()
    ones = np.ones((len(y_true), 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            intercept = sm.GLM(y_true, ones, family=binomial, offset=logit).fit()
            slope = sm.GLM(y_true, np.column_stack([ones, logit]), family=binomial)
            slope = slope.fit()
        except (PerfectSeparationWarning, ConvergenceWarning):
            return np.nan, np.nan
    return float(intercept.params[0]), float(slope.params[1])


def recalibration_rows(test, folds):
    """One cell's calibration with its probabilities as trained and prior-corrected
    (``costs.prior_correct``, each fold's from the rate its model learnt at to its
    training fold's, Elkan 2001): Brier and log loss per fold, and the calibration
    intercept and slope per repeat from its folds' pooled predictions (fold
    ``records.POOLED``), as the decision metrics are pooled. ``test``: the cell's
    test predictions; ``folds``: its fold records. Returns the rows (``repeat, fold,
    probabilities, metric, value``) and whether the correction changed anything."""
    rows, pooled = [], {}
    by_fold = test.groupby(["repeat", "fold"])
    changed = False
    for record in folds:
        fold = by_fold.get_group((record["repeat"], record["fold"]))
        y, proba = fold["y_true"].to_numpy(), fold["proba"].to_numpy()
        trained, true = record["trained_positive_rate"], record["train_positive_rate"]
        changed |= trained != true
        arms = {
            AS_TRAINED: proba,
            PRIOR_CORRECTED: prior_correct(proba, trained, true)
            if trained != true
            else proba,
        }
        for arm, values in arms.items():
            scores = probability_metrics(y, values, JUDGED)
            rows += [
                (record["repeat"], record["fold"], arm, metric, scores[metric])
                for metric in JUDGED
            ]
            pooled.setdefault((record["repeat"], arm), []).append((y, values))
    for (repeat, arm), parts in pooled.items():
        y, values = (np.concatenate(part) for part in zip(*parts, strict=True))
        line = calibration_line(y, values)
        rows += [
            (repeat, POOLED, arm, name, v) for name, v in zip(LINE, line, strict=True)
        ]
    columns = ["repeat", "fold", "probabilities", "metric", "value"]
    return pd.DataFrame(rows, columns=columns), changed


def recalibration_table(values, equivalence):
    """The recalibration arm's table: per positive rate, classifier, method and
    probabilities (as trained, prior-corrected), the mean Brier, log loss and
    calibration intercept and slope over observations, and the Brier's gain over the
    baseline's (as trained) with its practical verdict (``equivalence``). ``values``:
    ``recalibration_rows`` of every cell, labelled as the metrics are (``source,
    positive_rate, dataset, observation, classifier, method, identical,
    degenerate``); the baseline's rows, and those of methods whose correction
    changed something, are kept."""
    values = values.assign(threshold_rule=NO_RULE)
    baseline = values[
        (values["method"] == "baseline") & (values["probabilities"] == AS_TRAINED)
    ]
    keys = ["positive_rate", "classifier", "method"]
    tables = []
    for arm in (AS_TRAINED, PRIOR_CORRECTED):
        arm_rows = values[
            (values["probabilities"] == arm) & (values["method"] != "baseline")
        ]
        compared = pd.concat([baseline, arm_rows], ignore_index=True)
        means = pd.concat(
            [
                compared_means(compared, metric)
                .groupby(keys)["value"]
                .mean()
                .rename(metric)
                for metric in (*JUDGED, *LINE)
            ],
            axis=1,
        )
        verdicts = gains_over(compared, "brier", NO_RULE, equivalence).set_index(keys)
        verdicts = verdicts.drop(columns=["sources", "baseline_value", "p_holm"])
        table = means.join(verdicts.add_prefix("brier_"), how="left").reset_index()
        if arm == PRIOR_CORRECTED:
            table = table[table["method"] != "baseline"]
        tables.append(table.assign(probabilities=arm))
    table = pd.concat(tables, ignore_index=True)
    front = [*keys, "probabilities"]
    table = table[front + [c for c in table.columns if c not in front]]
    return table.sort_values(front, ignore_index=True)
