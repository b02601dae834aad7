"""The usual rules of thumb for imbalance handling, and the decision guide that
confronts them with the evidence: per classifier, rate and metric, the method that
scored best, its gain over the baseline, and whether the advice agrees."""

import numpy as np
import pandas as pd

from imbench.classifiers import CLASSIFIERS
from imbench.names import label
from imbench.stats import better_sign, holm, paired_gain, smallest_holm_p
from imbench.tables import instance_means
from imbench.thresholds import NO_RULE

SEVERE_BELOW = 0.05  # the rules of thumb call a positive rate under 5% severe
GUIDE_COLUMNS = [
    "classifier",
    "positive_rate",
    "n",
    "best",
    "best_value",
    "gain_over_baseline",
    "ci_low",
    "ci_high",
    "rule_of_thumb",
    "advised",
    "advised_value",
    "p_baseline_holm",
    "p_advised_holm",
    "evidence",
    "metric",
]


def rule_of_thumb(classifier, rate):
    """The usual advice for ``classifier`` at positive rate ``rate``: (method, why)."""
    traits = CLASSIFIERS[classifier].traits
    if "trees" in traits:
        return "baseline", "trees handle imbalance natively"
    if "neural" in traits:
        return "focal_loss", "focal loss for neural networks"
    if rate < SEVERE_BELOW:
        return "smote_class_weight", "SMOTE + class weights for severe imbalance"
    return "class_weight", "class weights for moderate imbalance"


def _verdict(row, alpha, n_tests):
    """Agreement needs evidence: the advised method scored best and significantly
    above the baseline. Scoring best by a margin no test can tell from noise is not
    agreement (telling "no difference" apart from "too little evidence" needs an
    equivalence test)."""
    advised, best = row["advised"], row["best"]
    if advised not in row["ran"]:
        return f"not run ({advised} was not in the config)"
    if row["p_advised_holm"] < alpha:
        return f"disagrees: {best} is significantly better"
    if smallest_holm_p(row["n"], n_tests) > alpha:
        return f"untestable with {row['n']} dataset instances"
    if best == advised != "baseline" and row["p_baseline_holm"] < alpha:
        return f"agrees: {advised} scored best, significantly above the baseline"
    if best == "baseline" or row["p_baseline_holm"] >= alpha:
        return "cannot tell: no method differs significantly from the baseline"
    return f"cannot tell: {best} beats the baseline, {advised} is not worse"


TIE = 1e-12  # mean scores this close are equal: floating-point noise, not a win


def _best(scores):
    """The method of highest mean score (columns of ``scores``, higher is better);
    the baseline where it ties with the best within ``TIE``."""
    means = scores.mean()
    tied = means[means >= means.max() - TIE * max(1.0, abs(means.max()))]
    return "baseline" if "baseline" in tied.index else tied.index[0]


def decision_guide(metrics, metric, rule=NO_RULE, alpha=0.05):
    """Per classifier and positive rate: the method that scored best on ``metric``,
    its gain over the baseline, and whether the rule of thumb agrees with it.

    Differences are paired by dataset instance; p-values are two-sided Wilcoxon
    signed-rank tests, Holm-corrected over the rows of the table. Empty (with its
    columns) when nothing was measured.
    """
    means = instance_means(metrics, metric, rule)
    sign = better_sign(metric)
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        wide = group.pivot_table(index="dataset", columns="method", values="value")
        best = _best(sign * wide)
        advised, why = rule_of_thumb(classifier, rate)
        gain = paired_gain(sign * (wide[best] - wide.get("baseline", np.nan)))
        behind = sign * (wide[best] - wide.get(advised, np.nan))
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
                "p_baseline": gain["p"],
                "rule_of_thumb": why,
                "advised": advised,
                "advised_value": wide.get(advised, pd.Series(np.nan)).mean(),
                "p_advised": paired_gain(behind)["p"],
                "ran": set(wide.columns),
            }
        )
    if not rows:
        return pd.DataFrame(columns=GUIDE_COLUMNS)
    table = pd.DataFrame(rows)
    for column in ("p_baseline", "p_advised"):
        table[f"{column}_holm"] = holm(table[column])
    table["evidence"] = [
        _verdict(row, alpha, len(table)) for _, row in table.iterrows()
    ]
    return table.assign(metric=label(metric, rule))[GUIDE_COLUMNS]
