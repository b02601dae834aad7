"""The usual rules of thumb for imbalance handling, and the decision guide that
confronts them with the evidence: per classifier, rate and metric, the method that
scored best, its gain over the baseline, and whether the advice agrees."""

import numpy as np
import pandas as pd

from imbench import classifiers
from imbench.names import label
from imbench.stats import (
    MIN_INSTANCES,
    VERDICT_COLUMNS,
    better_sign,
    gain_unit,
    judged_gains,
    paired_gain,
)
from imbench.tables import compared_means

SEVERE_BELOW = 0.05  # the rules of thumb call a positive rate under 5% severe
BALANCED_FROM = 0.5  # from here on no rule of thumb handles anything
GUIDE_COLUMNS = [
    "classifier",
    "positive_rate",
    "n",
    "best",
    "best_value",
    "gain_over_baseline",
    "ci_low",
    "ci_high",
    "gain_unit",
    "rule_of_thumb",
    "advised",
    "advised_value",
    "judged",
    "p_worse",
    "p_equivalent",
    "p_better",
    "evidence",
    "metric",
]


def rule_of_thumb(classifier, rate):
    """The usual advice for ``classifier`` at positive rate ``rate``: (method, why)."""
    traits = classifiers.active()[classifier].traits
    if rate >= BALANCED_FROM:
        return "baseline", "balanced classes need no handling"
    if "trees" in traits:
        return "baseline", "trees handle imbalance natively"
    if "neural" in traits:
        return "focal_loss", "focal loss for neural networks"
    if rate < SEVERE_BELOW:
        return "smote_class_weight", "SMOTE + class weights for severe imbalance"
    return "class_weight", "class weights for moderate imbalance"


def _evidence(advised, verdicts, probability):
    """Whether the evidence backs the advice, from the practical verdicts of every
    method against the baseline (``verdicts``, indexed by method): (the method
    judged, its verdict row, the sentence). Only a decided verdict agrees or
    disagrees.

    Advice to use a method claims it is practically better than the baseline; advice
    to keep the baseline claims no method is, which an undecided method leaves open
    only while it might be: P(better) above ``1 - probability`` (the verdicts'
    level), or too few observations for a posterior."""
    if advised != "baseline":
        if advised not in verdicts.index:
            return "", None, f"not run ({advised} was not in the config)"
        row = verdicts.loc[advised]
        sentence = {
            "identical": f"cannot tell: {advised} is the baseline here (it changes "
            "nothing)",
            "degenerate": f"cannot tell: {advised}'s model learnt nothing here",
            "better": f"agrees: {advised} is practically better than the baseline",
            "equivalent": f"disagrees: {advised} makes no practical difference",
            "worse": f"disagrees: {advised} is practically worse than the baseline",
            "undecided": f"cannot tell: the evidence on {advised} is too thin",
        }[row["verdict"]]
        return advised, row, sentence
    verdicts = verdicts[~verdicts["verdict"].isin(["identical", "degenerate"])]
    if verdicts.empty:
        return "", None, "cannot tell: no method was compared with the baseline"
    better = verdicts[verdicts["verdict"] == "better"]
    if len(better):
        method = better["p_better"].idxmax()
        sentence = f"disagrees: {method} is practically better than the baseline"
        return method, better.loc[method], sentence
    open_ = verdicts[
        (verdicts["verdict"] == "undecided")
        & ((verdicts["n"] < MIN_INSTANCES) | ~(verdicts["p_better"] < 1 - probability))
    ]
    if len(open_):  # no posterior at all (no value to pair) is the most open
        method = open_["p_better"].fillna(1.0).idxmax()
        sentence = f"cannot tell: the evidence on {method} is too thin"
        return method, open_.loc[method], sentence
    method = verdicts["p_better"].idxmax()
    sentence = "agrees: no method is practically better than the baseline"
    return method, verdicts.loc[method], sentence


TIE = 1e-12  # mean scores this close are equal: floating-point noise, not a win


def _best(scores):
    """The method of highest mean score (columns of ``scores``, higher is better);
    the baseline where it ties with the best within ``TIE``."""
    means = scores.mean()
    tied = means[means >= means.max() - TIE * max(1.0, abs(means.max()))]
    return "baseline" if "baseline" in tied.index else tied.index[0]


def decision_guide(metrics, metric, rule, sweep, probability):
    """Per classifier and positive rate: the method that scored best on ``metric``,
    its gain over the baseline (paired by observation, with its 95% t-interval, in
    ``gain_unit``), and whether the rule of thumb agrees with the practical verdicts of
    question 1 (``sweep``: the ratio sweep's table, ``comparisons.gains_over``, with
    its ``metric`` column; empty when no baseline ran) at their decision level
    ``probability``.

    ``judged`` is the method the evidence sentence is about (the advised one, or
    for advice to keep the baseline the method that came closest to beating it), and
    ``p_*`` its verdict's probabilities. Empty (with its columns) when nothing was
    measured.
    """
    means = compared_means(metrics, metric, rule)
    sign = better_sign(metric)
    verdicts = sweep[sweep["metric"] == label(metric, rule)] if len(sweep) else sweep
    verdicts_at = {
        key: cell.set_index("method")[["n", *VERDICT_COLUMNS]]
        for key, cell in verdicts.groupby(["classifier", "positive_rate"])
    }
    no_verdicts = pd.DataFrame(columns=["n", *VERDICT_COLUMNS])
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        copies = group.groupby("method")["identical"].all()
        group = group[~group["method"].isin(copies.index[copies])]
        wide = group.pivot_table(index="observation", columns="method", values="value")
        best = _best(sign * wide)
        advised, why = rule_of_thumb(classifier, rate)
        verdicts = verdicts_at.get((classifier, rate), no_verdicts)
        judged, verdict, evidence = _evidence(advised, verdicts, probability)
        baseline = wide.get("baseline", np.nan)
        gain = paired_gain(
            judged_gains(sign * (wide[best] - baseline), baseline, metric)
        )
        rows.append(
            {
                "classifier": classifier,
                "positive_rate": rate,
                "n": len(wide),
                "best": best,
                "best_value": wide[best].mean(),
                "gain_over_baseline": gain["gain"],
                "ci_low": gain["ci_low"],
                "ci_high": gain["ci_high"],
                "gain_unit": gain_unit(metric),
                "rule_of_thumb": why,
                "advised": advised,
                "advised_value": wide.get(advised, pd.Series(np.nan)).mean(),
                "judged": judged,
                **{
                    key: np.nan if verdict is None else verdict[key]
                    for key in ("p_worse", "p_equivalent", "p_better")
                },
                "evidence": evidence,
            }
        )
    if not rows:
        return pd.DataFrame(columns=GUIDE_COLUMNS)
    return pd.DataFrame(rows).assign(metric=label(metric, rule))[GUIDE_COLUMNS]
