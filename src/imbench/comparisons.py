"""Methods against a reference, paired over dataset instances: each method's gain
over the baseline per classifier and rate (question 1), the rate from which handling
stops mattering, the full undersampling ensemble against one model (question 3), and
the methods' ranks over dataset instances.
"""

import numpy as np
import pandas as pd

from imbench.methods import active
from imbench.names import label, lower_is_better
from imbench.stats import (
    DEGENERATE,
    GAIN_COLUMNS,
    IDENTICAL,
    MIN_INSTANCES,
    VERDICT_COLUMNS,
    better_sign,
    holm,
    probability_text,
    rank_methods,
    unit_gain,
)
from imbench.tables import compared_means, instance_means


def pooled_sources(group):
    """Which sources the observations of ``group`` (``tables.compared_means``) come
    from, with their counts, and the instances of those that count several as one:
    ``digits-p0 x1 (3 instances) + synthetic x5``."""
    observations = group.drop_duplicates("observation")
    parts = []
    for source, rows in observations.groupby("source"):
        instances = rows["instances"].sum()
        copies = f" ({instances} instances)" if instances > len(rows) else ""
        parts.append(f"{source} x{len(rows)}{copies}")
    return " + ".join(parts)


def gains_over(metrics, metric, rule, equivalence, reference="baseline"):
    """Each method's gain over ``reference`` per classifier and positive rate, and
    whether it is practically better, equivalent or worse (``equivalence``, a
    ``stats.Equivalence``).

    Gains are paired by observation (a dataset instance, or near-copies counted as
    one: ``sources.observation``) and signed so that positive means better;
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
        ci_low, ci_high, p, p_holm, gain_unit, rope, p_worse, p_equivalent,
        p_better, verdict``: the gain, its interval and tests in the ROPE's unit
        (``gain_unit``: a fraction of the baseline's value for the losses).
    """
    means = compared_means(metrics, metric, rule)
    sign = better_sign(metric)
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        # dropna=False: a method with no value anywhere (no threshold could be tuned
        # on a degenerate model) is shown as such, not left out
        wide = group.pivot_table(
            index="observation", columns="method", values="value", dropna=False
        )
        if reference not in wide:
            continue
        same = group.groupby("method")["identical"].all()
        flawed = group.pivot_table(
            index="observation", columns="method", values="degenerate", aggfunc="any"
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
                **unit_gain(gains, baseline, metric),
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
        "gain_unit",
    ]
    table = pd.DataFrame(rows, columns=[*columns, *VERDICT_COLUMNS])
    table.insert(table.columns.get_loc("p") + 1, "p_holm", np.nan)
    for _, index in table.groupby("classifier").groups.items():
        table.loc[index, "p_holm"] = holm(table.loc[index, "p"])
    return table.sort_values(
        ["classifier", "positive_rate", "method"], ignore_index=True
    )


def handling(methods):
    """The methods among ``methods`` that are their baseline plus one handling
    change (another model family is not "handling")."""
    registry = active()
    return [
        m for m in methods if m not in registry or not registry[m].neutral.other_family
    ]


ROPE_FACTORS = (0.5, 2.0)  # the sensitivity of every verdict to its ROPE


def sweep_tables(metrics, panels, equivalence):
    """Question 1's tables over the ``[metric, rule]`` ``panels``, by name:
    ``ratio_sweep``, every gain (``gains_over``, with the sources that reverse it:
    ``reversals``); ``ratio_sweep_answer``, every answer (``stops_mattering``);
    ``ratio_sweep_instances``, the values the gains pair (``paired_values``);
    ``ratio_sweep_rope``, every verdict at half and twice the ROPE
    (``rope_sensitivity``); ``ratio_sweep_sources``, the gains per source where a
    rate pools several (``source_gains``). Each has the panel's label as its first
    column, ``metric``."""
    gains, answers, values, sensitivity, by_source = [], [], [], [], []
    for metric, rule in panels:
        name = label(metric, rule)
        table = gains_over(metrics, metric, rule, equivalence)
        own = source_gains(metrics, metric, rule, equivalence)
        table = table.assign(reversed_by=reversals(table, own))
        by_source.append(own.assign(metric=name))
        gains.append(table.assign(metric=name))
        answers.append(stops_mattering(table).assign(metric=name))
        values.append(paired_values(metrics, metric, rule).assign(metric=name))
        scaled = {
            factor: gains_over(metrics, metric, rule, equivalence.scaled(factor))
            for factor in ROPE_FACTORS
        }
        sensitivity.append(rope_sensitivity(table, scaled).assign(metric=name))
    tables = {
        "ratio_sweep": gains,
        "ratio_sweep_answer": answers,
        "ratio_sweep_instances": values,
        "ratio_sweep_rope": sensitivity,
        "ratio_sweep_sources": by_source,
    }
    return {
        name: _metric_first(pd.concat(frames, ignore_index=True))
        for name, frames in tables.items()
    }


SWEEP_KEYS = ["classifier", "positive_rate", "method"]


def source_gains(metrics, metric, rule, equivalence):
    """``gains_over`` within each source, at the rates where several sources are
    pooled: ``source`` first, then its columns (a source with fewer than
    ``stats.MIN_INSTANCES`` observations is undecided, its gain still shown)."""
    rates = metrics.groupby("positive_rate")["source"].nunique()
    pooled = metrics[metrics["positive_rate"].isin(rates.index[rates > 1])]
    frames = [
        gains_over(rows, metric, rule, equivalence).assign(source=source)
        for source, rows in pooled.groupby("source")
    ] or [gains_over(pooled, metric, rule, equivalence).assign(source="")]
    table = pd.concat(frames, ignore_index=True).drop(columns="sources")
    return table[["source", *table.columns.drop("source")]].sort_values(
        [*SWEEP_KEYS, "source"], ignore_index=True
    )


def reversals(gains, by_source):
    """For each pooled verdict of ``gains`` that is decided (better or worse): the
    sources whose own mean gain (``source_gains``) lies beyond the ROPE on the other
    side, with that gain and their observations (``synthetic -0.12 (n 15)``); empty
    where none reverses it."""
    beyond = by_source[by_source["gain"].abs() > by_source["rope"]]
    beyond_at = dict(tuple(beyond.groupby(SWEEP_KEYS)))
    marks = []
    for row in gains.itertuples(index=False):
        side = {"better": 1, "worse": -1}.get(row.verdict)
        rows = beyond_at.get((row.classifier, row.positive_rate, row.method))
        if side is None or rows is None:
            marks.append("")
            continue
        against = rows[np.sign(rows["gain"]) == -side]
        marks.append(
            "; ".join(
                f"{r.source} {r.gain:+.3g} (n {r.n})" for r in against.itertuples()
            )
        )
    return marks


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
    """The values ``gains_over`` pairs, one row per observation and method beside
    its ``reference``: ``classifier, positive_rate, observation, source, instances,
    method, value, baseline_value, identical, degenerate`` (``instances``: how many
    dataset instances the observation averages; ``degenerate``: the method's model
    or the baseline's learnt nothing on one of them, which no verdict pairs). A
    verdict is re-checkable from them alone: its gains are ``value -
    baseline_value`` over the rows not degenerate (negated where lower is better, as
    a fraction of ``baseline_value`` where the ROPE is relative)."""
    means = compared_means(metrics, metric, rule)
    keys = ["classifier", "positive_rate", "observation"]
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
        "instances",
        "method",
        "value",
        "baseline_value",
        "identical",
        "degenerate",
    ]
    order = ["classifier", "positive_rate", "method", "observation"]
    return table.sort_values(order)[columns].reset_index(drop=True)


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
        tested = group.loc[group["verdict"] != "degenerate", "n"]  # 0 pairs: no test
        tested = tested if len(tested) else group["n"]
        fewest, most = tested.min(), tested.max()
        instances = str(most) if fewest == most else f"{fewest}-{most}"
        if settled:
            stop = settled[-1]
            judged = group[
                (group["positive_rate"] >= stop) & (group["verdict"] != "identical")
            ]
            certainty = judged["p_equivalent"].min()
            answer = (
                f"every method practically equivalent to the baseline from rate "
                f"{stop:g} on (each P(equivalent) >= {probability_text(certainty)})"
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
            why = f"P({likeliest}) = {probability_text(p)}"
        else:
            why = f"P = {probability_text(row[f'p_{verdict}'])}"
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
    method in ``references``, paired by observation (``sources.observation``), per
    classifier and rate, with the verdict of ``equivalence``; observations where the
    ensemble (``method``) or the reference is degenerate are left out, as in
    ``gains_over``.

    ``curves`` holds the ensemble's metrics by size per fold and dataset (see
    ``curves.ensemble_curves``); ``metrics`` the references' per-fold metrics.
    """
    largest = curves[curves["members"] == curves["members"].max()]
    instances = largest.groupby(
        ["dataset", "classifier", "positive_rate"], as_index=False
    )[metric].mean()
    observation_of = metrics.drop_duplicates("dataset").set_index("dataset")
    instances["observation"] = instances["dataset"].map(observation_of["observation"])
    means = instance_means(metrics, metric, rule).set_index(
        ["dataset", "classifier", "method"]
    )["value"]
    flawed = metrics.groupby(["dataset", "classifier", "method"])["degenerate"].any()

    def of(values, name, **fill):
        """``values`` of method ``name`` on each instance."""
        keys = [
            (d, c, name) for d, c in instances[["dataset", "classifier"]].to_numpy()
        ]
        return values.reindex(keys, **fill).to_numpy()

    own_flawed = of(flawed, method, fill_value=False).astype(bool)
    sign = better_sign(metric)
    for reference in references:
        observations = (
            instances.assign(
                reference=of(means, reference),
                degenerate=own_flawed | of(flawed, reference, fill_value=False),
            )
            .groupby(["classifier", "positive_rate", "observation"])
            .agg(
                ensemble=(metric, "mean"),
                reference=("reference", "mean"),
                degenerate=("degenerate", "any"),
            )
        )
        for (classifier, rate), group in observations.groupby(level=[0, 1]):
            kept = group[~group["degenerate"].astype(bool)]
            gains = sign * (kept["ensemble"] - kept["reference"])
            row = {
                "classifier": classifier,
                "positive_rate": rate,
                "against": reference,
                "ensemble": kept["ensemble"].mean(),
                "reference": np.nanmean(kept["reference"]) if len(kept) else np.nan,
                **unit_gain(gains, kept["reference"], metric),
                **equivalence.judge(gains, kept["reference"], metric),
            }
            yield (row | DEGENERATE) if kept.empty else row


RANKING_COLUMNS = [
    "classifier",
    "metric",
    "positive_rate",
    "method",
    "mean_rank",
    "n_observations",
    "k_methods",
    "friedman_p",
    "critical_difference",
    "within_cd_of_best",
    "dropped",
    "identical",
    "observations_left_out",
]


def rankings(metrics, scored, alpha):
    """Per classifier, ``[metric, rule]`` of ``scored`` and positive rate (pooling
    rates would count one instance's neighbours as replicates): the methods' mean
    ranks over observations (``stats.rank_methods`` at ``alpha``), compared as
    ``gains_over`` compares them. A method identical to the baseline on every
    observation is left out (ranking a copy would count the baseline twice) and
    listed in ``identical``; a degenerate value is missing, so that its observation
    is left out (``observations_left_out``) or its method dropped. Returns the rankings
    by ``(classifier, metric label, rate)`` and their table."""
    ranked, rows = {}, []
    for metric, rule in scored:
        means = compared_means(metrics, metric, rule)
        for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
            ranking, copies = _rank_at(group, metric, alpha)
            if ranking is None:
                continue
            ranked[classifier, label(metric, rule), rate] = ranking
            rows.extend(
                _ranking_rows(ranking, classifier, label(metric, rule), rate, copies)
            )
    table = pd.DataFrame(rows, columns=RANKING_COLUMNS)
    return ranked, table.sort_values(
        ["classifier", "metric", "positive_rate"], kind="stable", ignore_index=True
    )


def _rank_at(group, metric, alpha):
    """The ranking of one classifier's methods at one rate (``compared_means`` rows)
    and the methods left out as copies of the baseline."""
    copies = group.groupby("method")["identical"].all()
    copies = sorted(copies.index[copies])
    group = group[~group["method"].isin(copies)]
    wide = group.pivot_table(
        index="observation", columns="method", values="value", dropna=False
    )
    flawed = group.pivot_table(
        index="observation", columns="method", values="degenerate", aggfunc="any"
    )
    wide = wide.mask(flawed.reindex_like(wide).fillna(False).astype(bool))
    if wide.empty:
        return None, copies
    return rank_methods(wide, not lower_is_better(metric), alpha), copies


def _ranking_rows(ranking, classifier, metric, rate, copies):
    best = ranking.ranks.iloc[0]
    return [
        (
            classifier,
            metric,
            rate,
            method,
            rank,
            ranking.n,
            len(ranking.ranks),
            ranking.friedman_p,
            ranking.cd,
            None if np.isnan(ranking.cd) else bool(rank - best <= ranking.cd),
            ", ".join(ranking.dropped),
            ", ".join(copies),
            ", ".join(ranking.left_out),
        )
        for method, rank in ranking.ranks.items()
    ]
