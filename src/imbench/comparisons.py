"""Methods against a reference, paired over dataset instances: each method's gain
over the baseline per classifier and rate (question 1), the rate from which handling
stops mattering, the full undersampling ensemble against one model (question 3), and
the methods' ranks over dataset instances.
"""

import itertools

import numpy as np
import pandas as pd

from imbench.methods import METHODS
from imbench.names import label, lower_is_better
from imbench.stats import (
    GAIN_COLUMNS,
    MIN_INSTANCES,
    VERDICT_COLUMNS,
    better_sign,
    holm,
    paired_gain,
    rank_methods,
)
from imbench.tables import instance_means


def pooled_sources(group):
    """Which sources the dataset instances of ``group`` (instance means) come from,
    with their counts: ``digits x1 + synthetic x5``."""
    counts = group.drop_duplicates("dataset")["source"].value_counts().sort_index()
    return " + ".join(f"{source} x{count}" for source, count in counts.items())


def gains_over(metrics, metric, rule, equivalence, reference="baseline"):
    """Each method's gain over ``reference`` per classifier and positive rate, and
    whether it is practically better, equivalent or worse (``equivalence``, a
    ``stats.Equivalence``).

    Gains are paired by dataset instance and signed so that positive means better.
    The Wilcoxon p-values beside the verdicts are Holm-corrected over all methods and
    rates of a classifier.

    Returns
    -------
    DataFrame
        ``classifier, positive_rate, method, sources, baseline_value, n, gain,
        ci_low, ci_high, p, p_holm, rope, p_worse, p_equivalent, p_better,
        verdict``.
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
                    "sources": pooled_sources(group),
                    "baseline_value": wide[reference].mean(),
                    **paired_gain(gains),
                    **equivalence.judge(gains, wide[reference], metric),
                }
            )
    columns = [
        "classifier",
        "positive_rate",
        "method",
        "sources",
        "baseline_value",
        *GAIN_COLUMNS,
    ]
    table = pd.DataFrame(rows, columns=[*columns, *VERDICT_COLUMNS])
    table.insert(len(columns), "p_holm", np.nan)
    for _, index in table.groupby("classifier").groups.items():
        table.loc[index, "p_holm"] = holm(table.loc[index, "p"])
    return table.sort_values(
        ["classifier", "positive_rate", "method"], ignore_index=True
    )


def handling(methods):
    """The methods among ``methods`` that are their baseline plus one handling
    change (another model family is not "handling")."""
    return [m for m in methods if m not in METHODS or METHODS[m].neutral is not None]


def sweep_tables(metrics, panels, equivalence):
    """Question 1's two tables over the ``[metric, rule]`` ``panels``: every gain
    (``gains_over``) and every answer (``stops_mattering``), each with the panel's
    label as its first column, ``metric``."""
    gains, answers = [], []
    for metric, rule in panels:
        table = gains_over(metrics, metric, rule, equivalence)
        gains.append(table.assign(metric=label(metric, rule)))
        answers.append(stops_mattering(table).assign(metric=label(metric, rule)))
    return tuple(
        _metric_first(pd.concat(frames, ignore_index=True))
        for frames in (gains, answers)
    )


def _metric_first(table):
    return table[["metric", *table.columns.drop("metric")]]


def stops_mattering(gains):
    """Per classifier: the lowest positive rate from which every handling method
    (see ``handling``) is practically equivalent to the baseline, at that rate and
    every higher one.

    Returns
    -------
    DataFrame
        ``classifier, stops_at, n, least_p_equivalent, below, answer``: ``stops_at``
        is NaN when some method is not equivalent at the highest rate (the answer
        says ``never`` when one is decidedly better or worse there, ``undecided``
        when the evidence is too thin);
        ``least_p_equivalent`` is the smallest P(equivalent) among the methods and
        rates from ``stops_at`` on (the answer's uncertainty); ``below`` what holds
        at the next lower rate.
    """
    rows = []
    for classifier, group in gains.groupby("classifier"):
        group = group[group["method"].isin(handling(group["method"].unique()))]
        by_rate = dict(tuple(group.groupby("positive_rate")))
        rates = sorted(by_rate, reverse=True)
        settled = []
        for rate in rates:
            if not (by_rate[rate]["verdict"] == "equivalent").all():
                break
            settled.append(rate)
        fewest, most = group["n"].min(), group["n"].max()
        instances = str(most) if fewest == most else f"{fewest}-{most}"
        if settled:
            stop = settled[-1]
            certainty = group[group["positive_rate"] >= stop]["p_equivalent"].min()
            answer = (
                f"every method practically equivalent to the baseline from rate "
                f"{stop:g} on (each P(equivalent) >= {certainty:.2f})"
            )
        elif by_rate[rates[0]]["verdict"].isin(["better", "worse"]).any():
            stop, certainty = np.nan, np.nan
            answer = f"never: some method still differs at {rates[0]:g}"
        else:
            stop, certainty = np.nan, np.nan
            answer = f"undecided: too little evidence at {rates[0]:g}"
        lower = [rate for rate in rates if rate not in settled]
        below = _unsettled(by_rate[lower[0]]) if lower else ""
        rows.append(
            {
                "classifier": classifier,
                "stops_at": stop,
                "n": instances,
                "least_p_equivalent": certainty,
                "below": below,
                "answer": answer,
            }
        )
    columns = ["classifier", "stops_at", "n", "least_p_equivalent", "below", "answer"]
    return pd.DataFrame(rows, columns=columns)


def _unsettled(at_rate):
    """What keeps the methods at one rate from all being equivalent: each such
    method's verdict with its probability, decided ones first."""
    order = {"better": 0, "worse": 1, "undecided": 2}
    open_ = at_rate[at_rate["verdict"] != "equivalent"]
    open_ = open_.assign(order=open_["verdict"].map(order)).sort_values(
        ["order", "method"]
    )
    parts = []
    for _, row in open_.iterrows():
        verdict = row["verdict"]
        if row["n"] < MIN_INSTANCES:
            why = f"{row['n']} instances"
        elif verdict == "undecided":
            p, likeliest = max(
                (row[f"p_{v}"], v) for v in ("worse", "equivalent", "better")
            )
            why = f"P({likeliest}) = {p:.2f}"
        else:
            why = f"P = {row[f'p_{verdict}']:.2f}"
        parts.append(f"{row['method']} {verdict} ({why})")
    return f"at {at_rate['positive_rate'].iloc[0]:g}: " + "; ".join(parts)


def ensemble_gains(curves, metrics, metric, rule, references, equivalence):
    """The full ensemble (its largest size in ``curves``) against one model of each
    method in ``references``, paired by dataset instance, per classifier and rate,
    with the verdict of ``equivalence``.

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
            gains = sign * (values.to_numpy() - other)
            yield {
                "classifier": classifier,
                "positive_rate": rate,
                "against": reference,
                "ensemble": values.mean(),
                "reference": np.nanmean(other),
                **paired_gain(gains),
                **equivalence.judge(gains, other, metric),
            }


RANKING_COLUMNS = [
    "classifier",
    "metric",
    "method",
    "mean_rank",
    "n_datasets",
    "k_methods",
    "friedman_p",
    "critical_difference",
    "within_cd_of_best",
    "dropped",
]


def rankings(metrics, scored, alpha):
    """Per classifier and ``[metric, rule]`` of ``scored``: the methods' mean ranks
    over dataset instances (``stats.rank_methods`` at ``alpha``). Returns the
    rankings by title (``classifier: metric``) and their table."""
    ranked, rows = {}, []
    for classifier, (metric, rule) in itertools.product(
        sorted(metrics["classifier"].unique()), scored
    ):
        means = instance_means(metrics, metric, rule)
        wide = means[means["classifier"] == classifier].pivot_table(
            index="dataset", columns="method", values="value"
        )
        if wide.empty:
            continue
        ranking = rank_methods(wide, not lower_is_better(metric), alpha)
        ranked[f"{classifier}: {label(metric, rule)}"] = ranking
        best = ranking.ranks.iloc[0]
        rows.extend(
            (
                classifier,
                label(metric, rule),
                method,
                rank,
                ranking.n,
                len(ranking.ranks),
                ranking.friedman_p,
                ranking.cd,
                rank == best or rank - best <= ranking.cd,
                ", ".join(ranking.dropped),
            )
            for method, rank in ranking.ranks.items()
        )
    return ranked, pd.DataFrame(rows, columns=RANKING_COLUMNS)
