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
from imbench.tables import compared_means, instance_means


def pooled_sources(group):
    """Which sources the dataset instances of ``group`` (instance means) come from,
    with their counts: ``digits x1 + synthetic x5``."""
    counts = group.drop_duplicates("dataset")["source"].value_counts().sort_index()
    return " + ".join(f"{source} x{count}" for source, count in counts.items())


NO_TEST = {"p": np.nan, "p_worse": np.nan, "p_equivalent": np.nan, "p_better": np.nan}
# a comparison that can only come out one way: the method's predictions are the
# reference's, so it has no test and no verdict
IDENTICAL = {**NO_TEST, "verdict": "identical"}
# every instance's model (the method's or the reference's) learnt nothing
DEGENERATE = {**NO_TEST, "verdict": "degenerate"}


def gains_over(metrics, metric, rule, equivalence, reference="baseline"):
    """Each method's gain over ``reference`` per classifier and positive rate, and
    whether it is practically better, equivalent or worse (``equivalence``, a
    ``stats.Equivalence``).

    Gains are paired by dataset instance and signed so that positive means better;
    a threshold method is compared at its own threshold where the rule is 0.5
    (``tables.compared_means``). A method whose every instance is the reference's by
    construction (the same predictions) is ``identical``: no test, no verdict, left
    out of every count. An instance where either model is degenerate (it predicts
    one value: ``cells.degenerate``) is left out of the pairs, and a method with no
    other instance is ``degenerate``, with no verdict either. The Wilcoxon p-values
    beside the verdicts are Holm-corrected over the other methods and rates of a
    classifier.

    Returns
    -------
    DataFrame
        ``classifier, positive_rate, method, sources, baseline_value, n, gain,
        ci_low, ci_high, p, p_holm, rope, p_worse, p_equivalent, p_better,
        verdict``.
    """
    means = compared_means(metrics, metric, rule)
    sign = better_sign(metric)
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        wide = group.pivot_table(index="dataset", columns="method", values="value")
        if reference not in wide:
            continue
        same = group.groupby("method")["identical"].all()
        flawed = group.pivot_table(
            index="dataset", columns="method", values="degenerate", aggfunc="any"
        ).reindex_like(wide)
        flawed = flawed.fillna(False).astype(bool)
        for method in wide.columns.drop(reference):
            kept = ~(flawed[method] | flawed[reference])
            baseline = wide.loc[kept, reference]
            gains = sign * (wide.loc[kept, method] - baseline)
            row = {
                "classifier": classifier,
                "positive_rate": rate,
                "method": method,
                "sources": pooled_sources(group),
                "baseline_value": baseline.mean(),
                **paired_gain(gains),
                **equivalence.judge(gains, baseline, metric),
            }
            if same[method]:
                row |= IDENTICAL
            elif not kept.any():
                row |= DEGENERATE
            rows.append(row)
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


ROPE_FACTORS = (0.5, 2.0)  # the sensitivity of every verdict to its ROPE


def sweep_tables(metrics, panels, equivalence):
    """Question 1's tables over the ``[metric, rule]`` ``panels``: every gain
    (``gains_over``), every answer (``stops_mattering``), the instance values the
    gains pair (``paired_values``) and every verdict at half and twice the ROPE
    (``rope_sensitivity``), each with the panel's label as its first column,
    ``metric``."""
    gains, answers, values, sensitivity = [], [], [], []
    for metric, rule in panels:
        name = label(metric, rule)
        table = gains_over(metrics, metric, rule, equivalence)
        gains.append(table.assign(metric=name))
        answers.append(stops_mattering(table).assign(metric=name))
        values.append(paired_values(metrics, metric, rule).assign(metric=name))
        scaled = {
            factor: gains_over(metrics, metric, rule, equivalence.scaled(factor))
            for factor in ROPE_FACTORS
        }
        sensitivity.append(rope_sensitivity(table, scaled).assign(metric=name))
    return tuple(
        _metric_first(pd.concat(frames, ignore_index=True))
        for frames in (gains, answers, values, sensitivity)
    )


def rope_sensitivity(gains, scaled):
    """Each verdict of ``gains`` beside the verdicts of the same comparisons with
    the ROPE scaled (``scaled``: factor -> ``gains_over`` table), and whether any
    differs."""
    keys = ["classifier", "positive_rate", "method"]
    table = gains[[*keys, "rope", "verdict"]].copy()
    for factor, other in scaled.items():
        table[f"verdict_at_{factor:g}x"] = other["verdict"].to_numpy()
    at = [f"verdict_at_{factor:g}x" for factor in scaled]
    table["changes"] = (table[at].to_numpy() != table[["verdict"]].to_numpy()).any(
        axis=1
    )
    return table


def paired_values(metrics, metric, rule, reference="baseline"):
    """The values ``gains_over`` pairs, one row per dataset instance and method
    beside its ``reference``: ``classifier, positive_rate, dataset, source, method,
    value, baseline_value, identical, degenerate`` (``degenerate``: the method's
    model or the baseline's learnt nothing on the instance, which no verdict pairs).
    A verdict is re-checkable from them alone: its gains are ``value -
    baseline_value`` over the rows not degenerate (negated where lower is better, as
    a fraction of ``baseline_value`` where the ROPE is relative)."""
    means = compared_means(metrics, metric, rule)
    keys = ["classifier", "positive_rate", "dataset"]
    baseline = means[means["method"] == reference].set_index(keys)
    others = means[means["method"] != reference]
    index = others.set_index(keys).index
    others = others[index.isin(baseline.index)]
    paired = baseline.reindex(others.set_index(keys).index)
    table = others.assign(
        baseline_value=paired["value"].to_numpy(),
        degenerate=others["degenerate"].to_numpy() | paired["degenerate"].to_numpy(),
    )
    columns = [
        *keys,
        "source",
        "method",
        "value",
        "baseline_value",
        "identical",
        "degenerate",
    ]
    return table.sort_values(["classifier", "positive_rate", "method", "dataset"])[
        columns
    ].reset_index(drop=True)


def _metric_first(table):
    return table[["metric", *table.columns.drop("metric")]]


def stops_mattering(gains):
    """Per classifier: the lowest positive rate from which every handling method
    (see ``handling``) is practically equivalent to the baseline, at that rate and
    every higher one. A method identical to the baseline at a rate (it changes
    nothing there) does not keep the rate from settling, and is no evidence for it;
    a degenerate one (no model that learnt anything) keeps it open, as undecided.

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
            if not by_rate[rate]["verdict"].isin(["equivalent", "identical"]).all():
                break
            settled.append(rate)
        fewest, most = group["n"].min(), group["n"].max()
        instances = str(most) if fewest == most else f"{fewest}-{most}"
        if settled:
            stop = settled[-1]
            judged = group[
                (group["positive_rate"] >= stop) & (group["verdict"] != "identical")
            ]
            certainty = judged["p_equivalent"].min()
            answer = (
                f"every method practically equivalent to the baseline from rate "
                f"{stop:g} on (each P(equivalent) >= {certainty:.2f})"
                if len(judged)
                else f"every method identical to the baseline from rate {stop:g} on "
                "(they change nothing there)"
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
    order = {"better": 0, "worse": 1, "undecided": 2, "degenerate": 3}
    open_ = at_rate[~at_rate["verdict"].isin(["equivalent", "identical"])]
    open_ = open_.assign(order=open_["verdict"].map(order)).sort_values(
        ["order", "method"]
    )
    parts = []
    for _, row in open_.iterrows():
        verdict = row["verdict"]
        if verdict == "degenerate":
            why = "no model that learnt anything"
        elif row["n"] < MIN_INSTANCES:
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


def ensemble_gains(
    curves,
    metrics,
    metric,
    rule,
    references,
    equivalence,
    method="undersample_ensemble",
):
    """The full ensemble (its largest size in ``curves``) against one model of each
    method in ``references``, paired by dataset instance, per classifier and rate,
    with the verdict of ``equivalence``; instances where the ensemble (``method``)
    or the reference is degenerate are left out, as in ``gains_over``.

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
    flawed = metrics.groupby(["dataset", "classifier", "method"])["degenerate"].any()
    for reference in references:
        for (classifier, rate), values in ensemble.groupby(
            ["classifier", "positive_rate"]
        ):
            keys = [(d, classifier, reference) for d, _, _ in values.index]
            own = [(d, classifier, method) for d, _, _ in values.index]
            kept = ~(
                flawed.reindex(keys, fill_value=False).to_numpy(bool)
                | flawed.reindex(own, fill_value=False).to_numpy(bool)
            )
            other = means.reindex(keys).to_numpy()[kept]
            gains = sign * (values.to_numpy()[kept] - other)
            row = {
                "classifier": classifier,
                "positive_rate": rate,
                "against": reference,
                "ensemble": values[kept].mean(),
                "reference": np.nanmean(other),
                **paired_gain(gains),
                **equivalence.judge(gains, other, metric),
            }
            yield (row | DEGENERATE) if not kept.any() else row


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
    "identical",
    "instances_left_out",
]


def rankings(metrics, scored, alpha):
    """Per classifier and ``[metric, rule]`` of ``scored``: the methods' mean ranks
    over dataset instances (``stats.rank_methods`` at ``alpha``), compared as
    ``gains_over`` compares them; a method identical to the baseline on every
    instance is left out (ranking a copy would count the baseline twice) and listed
    in ``identical``. Returns the rankings by title (``classifier: metric``) and
    their table."""
    ranked, rows = {}, []
    for classifier, (metric, rule) in itertools.product(
        sorted(metrics["classifier"].unique()), scored
    ):
        means = compared_means(metrics, metric, rule)
        means = means[means["classifier"] == classifier]
        copies = means.groupby("method")["identical"].all()
        copies = sorted(copies.index[copies])
        wide = means[~means["method"].isin(copies)].pivot_table(
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
                ", ".join(copies),
                ", ".join(ranking.left_out),
            )
            for method, rank in ranking.ranks.items()
        )
    return ranked, pd.DataFrame(rows, columns=RANKING_COLUMNS)
