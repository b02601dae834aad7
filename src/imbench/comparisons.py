"""Methods against a reference, paired over dataset instances: each method's gain
over the baseline per classifier and rate (question 1), the rate from which handling
stops mattering, and the full undersampling ensemble against one model (question 3).
"""

import numpy as np
import pandas as pd

from imbench.stats import (
    GAIN_COLUMNS,
    better_sign,
    holm,
    paired_gain,
    smallest_holm_p,
)
from imbench.tables import instance_means
from imbench.thresholds import NO_RULE


def gains_over(metrics, metric, rule=NO_RULE, reference="baseline", alpha=0.05):
    """Each method's gain over ``reference`` per classifier and positive rate.

    Gains are paired by dataset instance and signed so that positive means better.
    p-values come from Wilcoxon signed-rank tests over instances, Holm-corrected over
    all methods and rates of a classifier.

    Returns
    -------
    DataFrame
        ``classifier, positive_rate, method, n, gain, ci_low, ci_high, p, p_holm,
        better, worse``.
    """
    means = instance_means(metrics, metric, rule)
    sign = better_sign(metric)
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        wide = group.pivot_table(index="dataset", columns="method", values="value")
        if reference not in wide:
            continue
        for method in wide.columns.drop(reference):
            gains = sign * (wide[method] - wide[reference])
            rows.append(
                {
                    "classifier": classifier,
                    "positive_rate": rate,
                    "method": method,
                    **paired_gain(gains),
                }
            )
    columns = ["classifier", "positive_rate", "method", *GAIN_COLUMNS]
    table = pd.DataFrame(rows, columns=columns)
    table["p_holm"] = np.nan
    for _, index in table.groupby("classifier").groups.items():
        table.loc[index, "p_holm"] = holm(table.loc[index, "p"])
    table["better"] = (table["p_holm"] < alpha) & (table["gain"] > 0)
    table["worse"] = (table["p_holm"] < alpha) & (table["gain"] < 0)
    return table.sort_values(
        ["classifier", "positive_rate", "method"], ignore_index=True
    )


def stops_mattering(gains, alpha=0.05):
    """Per classifier: the lowest positive rate from which no method beats the
    baseline significantly at that rate or any higher one.

    Returns
    -------
    DataFrame
        ``classifier, stops_at, answer``; ``stops_at`` is NaN when some method still
        wins at the highest rate, or when too few dataset instances make significance
        impossible (then the answer says how many are needed).
    """
    rows = []
    for classifier, group in gains.groupby("classifier"):
        wins = group.groupby("positive_rate")["better"].any().sort_index()
        rates = wins.index.to_numpy()
        winning = np.flatnonzero(wins.to_numpy())
        floor = smallest_holm_p(group["n"].max(), len(group))
        if not len(winning) and floor > alpha:
            needed = next(
                n for n in range(2, 64) if smallest_holm_p(n, len(group)) <= alpha
            )
            answer = (
                f"untestable: {group['n'].max()} dataset instances per rate cannot "
                f"reach p < {alpha} after Holm over {len(group)} tests; use at "
                f"least {needed} seeds per rate"
            )
            rows.append((classifier, np.nan, answer))
        elif not len(winning):
            rows.append(
                (classifier, rates.min(), "no method beats the baseline at any rate")
            )
        elif winning.max() == len(rates) - 1:
            rows.append((classifier, np.nan, f"handling still helps at {rates[-1]:g}"))
        else:
            stop = rates[winning.max() + 1]
            rows.append(
                (classifier, stop, f"no method beats the baseline from {stop:g} on")
            )
    return pd.DataFrame(rows, columns=["classifier", "stops_at", "answer"])


def ensemble_gains(curves, metrics, metric, rule, references):
    """The full ensemble (its largest size in ``curves``) against one model of each
    method in ``references``, paired by dataset instance, per classifier and rate.

    ``curves`` holds the ensemble's metrics by size per fold and dataset (see
    ``curves.ensemble_curves``); ``metrics`` the references' per-fold metrics.
    """
    largest = curves[curves["members"] == curves["members"].max()]
    ensemble = largest.groupby(["dataset", "classifier", "positive_rate"])[
        metric
    ].mean()
    sign = better_sign(metric)
    means = instance_means(metrics, metric, rule).set_index(
        ["dataset", "classifier", "method"]
    )["value"]
    for reference in references:
        for (classifier, rate), values in ensemble.groupby(
            ["classifier", "positive_rate"]
        ):
            keys = [(d, classifier, reference) for d, _, _ in values.index]
            other = means.reindex(keys).to_numpy()
            gain = paired_gain(sign * (values.to_numpy() - other))
            yield {
                "classifier": classifier,
                "positive_rate": rate,
                "against": reference,
                "ensemble": values.mean(),
                "reference": np.nanmean(other),
                **{key: gain[key] for key in GAIN_COLUMNS if key != "n"},
            }
