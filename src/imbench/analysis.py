"""The four questions, answered from stored metrics and predictions (no refits).

1. At what positive rate does imbalance handling stop mattering? (``ratio_sweep``)
2. Which threshold minimises cost when a false negative costs r times a false
   positive? (``cost_curves``, ``cost_table``)
3. Does averaging models trained on different undersamples beat one model?
   (``ensemble_curves``, ``ensemble_table``)
4. How do positive-class, macro, weighted and micro F1 differ? (``f1_gaps``)
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import friedmanchisquare, studentized_range, t, wilcoxon
from statsmodels.stats.multitest import multipletests

from imbench.classifiers import CLASSIFIERS
from imbench.metrics import (
    confusion_counts,
    cost_per_sample,
    decision_metrics,
    probability_metrics,
    ranking_counts,
    roc_points,
)

LOWER_IS_BETTER = ("brier", "log_loss", "expected_cost")
F1_AVERAGES = ("f1", "f1_macro", "f1_weighted", "f1_micro")


def lower_is_better(metric):
    """Whether a smaller value of ``metric`` is better."""
    return metric.startswith(LOWER_IS_BETTER)


def label(metric, rule):
    """``metric`` or ``metric @ rule`` for decision metrics."""
    return metric if rule == "none" else f"{metric} @ {rule}"


def select(metrics, metric, rule="none"):
    """Rows of one metric at one threshold rule."""
    return metrics[(metrics["metric"] == metric) & (metrics["threshold_rule"] == rule)]


def instance_means(metrics, metric, rule="none"):
    """Mean over folds per dataset instance: the unit of every statistical test."""
    keys = ["source", "positive_rate", "dataset", "classifier", "method"]
    return select(metrics, metric, rule).groupby(keys, as_index=False)["value"].mean()


def paired_test(differences):
    """Two-sided Wilcoxon signed-rank p-value of paired differences (1 when they are
    all zero, NaN with fewer than two pairs)."""
    differences = np.asarray(differences, dtype=float)
    differences = differences[~np.isnan(differences)]
    if len(differences) < 2:
        return np.nan
    if np.allclose(differences, 0):
        return 1.0
    return float(wilcoxon(differences).pvalue)


def holm(p_values):
    """Holm-corrected p-values; NaN stays NaN."""
    p_values = np.asarray(p_values, dtype=float)
    corrected = np.full_like(p_values, np.nan)
    tested = ~np.isnan(p_values)
    if tested.any():
        corrected[tested] = multipletests(p_values[tested], method="holm")[1]
    return corrected


def gains_over(metrics, metric, rule="none", reference="baseline", alpha=0.05):
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
    sign = -1.0 if lower_is_better(metric) else 1.0
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        wide = group.pivot_table(index="dataset", columns="method", values="value")
        if reference not in wide:
            continue
        for method in wide.columns.drop(reference):
            diff = (sign * (wide[method] - wide[reference])).dropna().to_numpy()
            low, high = t_interval(diff)
            rows.append(
                (
                    classifier,
                    rate,
                    method,
                    len(diff),
                    diff.mean() if len(diff) else np.nan,
                    low,
                    high,
                    paired_test(diff),
                )
            )
    table = pd.DataFrame(
        rows,
        columns=[
            "classifier",
            "positive_rate",
            "method",
            "n",
            "gain",
            "ci_low",
            "ci_high",
            "p",
        ],
    )
    table["p_holm"] = np.nan
    for _, index in table.groupby("classifier").groups.items():
        table.loc[index, "p_holm"] = holm(table.loc[index, "p"])
    table["better"] = (table["p_holm"] < alpha) & (table["gain"] > 0)
    table["worse"] = (table["p_holm"] < alpha) & (table["gain"] < 0)
    return table.sort_values(
        ["classifier", "positive_rate", "method"], ignore_index=True
    )


def t_interval(values):
    """95% t-interval of the mean of ``values`` (NaN ignored; NaN with fewer than
    two values)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return np.nan, np.nan
    half = t_half_width(len(values), values.std(ddof=1))
    return values.mean() - half, values.mean() + half


def t_half_width(n, std):
    """Half-width of the 95% t-interval of a mean of ``n`` values with standard
    deviation ``std`` (arrays broadcast; NaN where ``n < 2``)."""
    n = np.asarray(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n >= 2, t.ppf(0.975, n - 1) * std / np.sqrt(n), np.nan)


def smallest_holm_p(n_pairs, n_tests):
    """The smallest Holm-corrected p-value a two-sided exact Wilcoxon test on
    ``n_pairs`` pairs can reach among ``n_tests`` tests: 2 / 2**n x n_tests."""
    return min(1.0, n_tests * 2.0 / 2.0**n_pairs)


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
            rows.append(
                (
                    classifier,
                    np.nan,
                    f"untestable: {group['n'].max()} dataset "
                    f"instances per rate cannot reach p < {alpha} after Holm over "
                    f"{len(group)} tests; use at least {needed} seeds per rate",
                )
            )
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


def cost_table(test_predictions, folds, cost_ratios, trained_rate=None, grid_size=201):
    """Costs of one cell per cost ratio and fold: at 0.5, at the Bayes threshold (as
    predicted and, for rebalancing methods, after prior correction), at the threshold
    tuned on training data (a fold record's ``tuned_thresholds`` by ratio), and the
    oracle minimum over thresholds chosen on the test fold itself (a bound, not a
    method).

    ``trained_rate`` is the positive rate the model effectively learnt (0.5 for
    methods that rebalance, None for those that keep the data's own rate).
    """
    grid = np.linspace(0, 1, grid_size)
    rows = []
    columns = ["repeat", "fold", "y_true", "proba"]
    by_fold = test_predictions[columns].groupby(["repeat", "fold"])
    for record in folds:
        fold = by_fold.get_group((record["repeat"], record["fold"]))
        y, proba = fold["y_true"].to_numpy(), fold["proba"].to_numpy()
        corrected = (
            prior_correct(proba, trained_rate, record["train_positive_rate"])
            if trained_rate is not None
            else proba
        )
        _, grid_fp, _, grid_fn = confusion_counts(y, proba, grid)
        for ratio in cost_ratios:
            bayes = bayes_threshold(ratio)
            tuned = record.get("tuned_thresholds", {}).get(ratio, np.nan)
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
                }
            )
    return pd.DataFrame(rows)


def ensemble_curves(predictions):
    """Metrics of the ensemble of the first k members, k = 1..N, per fold.

    Returns
    -------
    DataFrame
        ``repeat, fold, members, average_precision, brier, f1``; F1 at 0.5.
    """
    test = predictions[predictions["role"] == "test"]
    member_columns = sorted(c for c in test.columns if c.startswith("member_"))
    rows = []
    for (repeat, fold), rows_ in test.groupby(["repeat", "fold"]):
        y = rows_["y_true"].to_numpy()
        cumulative = np.cumsum(rows_[member_columns].to_numpy(), axis=1)
        for k in range(1, len(member_columns) + 1):
            proba = cumulative[:, k - 1] / k
            scores = probability_metrics(y, proba, ["average_precision", "brier"])
            f1 = decision_metrics(*confusion_counts(y, proba, [0.5]))["f1"][0]
            rows.append(
                (repeat, fold, k, scores["average_precision"], scores["brier"], f1)
            )
    return pd.DataFrame(
        rows, columns=["repeat", "fold", "members", "average_precision", "brier", "f1"]
    )


def f1_gaps(metrics, rule="default"):
    """How far the four F1 averages lie apart, per source, rate, classifier, method.

    Returns
    -------
    DataFrame
        Mean of each average over folds and instances, the largest gap between any
        two, and which two; sorted by the gap, largest first.
    """
    chosen = metrics[
        metrics["metric"].isin(F1_AVERAGES) & (metrics["threshold_rule"] == rule)
    ]
    keys = ["source", "positive_rate", "classifier", "method"]
    wide = chosen.pivot_table(
        index=keys, columns="metric", values="value"
    ).reset_index()
    values = wide[list(F1_AVERAGES)].to_numpy()
    highest, lowest = np.nanargmax(values, axis=1), np.nanargmin(values, axis=1)
    wide["gap"] = np.nanmax(values, axis=1) - np.nanmin(values, axis=1)
    wide["highest"] = np.array(F1_AVERAGES)[highest]
    wide["lowest"] = np.array(F1_AVERAGES)[lowest]
    return wide.sort_values(
        ["gap", *keys], ascending=[False, *[True] * len(keys)], ignore_index=True
    )


def nemenyi_cd(k, n, alpha=0.05):
    """Nemenyi critical difference of mean ranks of ``k`` methods over ``n`` datasets
    (Demsar 2006): q_alpha sqrt(k(k+1)/(6n)), q_alpha the studentized range quantile
    over sqrt(2)."""
    q_alpha = studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2)
    return float(q_alpha * np.sqrt(k * (k + 1) / (6 * n)))


@dataclass
class Ranking:
    """Friedman test and Nemenyi post-hoc of methods ranked over dataset instances."""

    ranks: pd.Series  # mean rank per method, 1 = best, ascending
    n: int  # dataset instances ranked
    friedman_p: float  # NaN with fewer than three methods
    cd: float
    pairwise_p: pd.DataFrame  # Nemenyi p-values, methods x methods
    dropped: list = field(default_factory=list)  # methods missing on most instances


def rank_methods(wide, higher_is_better=True, alpha=0.05):
    """Rank the methods (columns) over the dataset instances (rows) of ``wide``.

    Methods missing on half the instances or more are dropped, then instances missing
    any remaining method, so every rank compares the same methods.
    """
    from scikit_posthocs import posthoc_nemenyi_friedman  # 0.8 s: only ranking needs it

    dropped = sorted(wide.columns[wide.isna().mean() >= 0.5])
    complete = wide.drop(columns=dropped).dropna()
    k, n = complete.shape[1], len(complete)
    ranks = complete.rank(axis=1, ascending=not higher_is_better).mean()
    if k < 3 or n < 2:
        friedman_p, pairwise = np.nan, pd.DataFrame(np.nan, ranks.index, ranks.index)
    else:
        spread = complete.to_numpy().T
        constant = np.ptp(complete.to_numpy(), axis=1).max() == 0
        friedman_p = 1.0 if constant else float(friedmanchisquare(*spread).pvalue)
        pairwise = posthoc_nemenyi_friedman(complete.to_numpy())
        pairwise.index = pairwise.columns = complete.columns
    return Ranking(
        ranks=ranks.sort_values(),
        n=n,
        friedman_p=friedman_p,
        cd=nemenyi_cd(k, n, alpha) if k >= 2 and n else np.nan,
        pairwise_p=pairwise,
        dropped=dropped,
    )


def roc_on_grid(y_true, proba, grid):
    """True-positive rate at each false-positive rate of ``grid`` (the vertical
    averaging of Fawcett 2006 needs curves on a common grid)."""
    return np.interp(grid, *roc_points(y_true, proba))


def precision_on_grid(y_true, proba, grid):
    """Interpolated precision (the best precision at recall >= r) at each recall of
    ``grid``."""
    tp, fp = ranking_counts(y_true, proba)
    recall, precision = np.r_[0, tp / tp[-1]], np.r_[1, tp / (tp + fp)]
    best_from = np.maximum.accumulate(precision[::-1])[::-1]
    index = np.minimum(np.searchsorted(recall, grid, side="left"), len(recall) - 1)
    return best_from[index]


SEVERE_BELOW = 0.05  # the rules of thumb call a positive rate under 5% severe


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
    if row["advised"] not in row["ran"]:
        return f"not run ({row['advised']} was not in the config)"
    if row["best"] == row["advised"]:
        return "agrees: the advised method scored best"
    if row["p_advised_holm"] < alpha:
        return f"disagrees: {row['best']} is significantly better"
    if smallest_holm_p(row["n"], n_tests) > alpha:
        return f"untestable with {row['n']} dataset instances"
    return f"agrees: not significantly worse than {row['best']}"


def decision_guide(metrics, metric, rule="none", alpha=0.05):
    """Per classifier and positive rate: the method that scored best on ``metric``,
    its gain over the baseline, and whether the rule of thumb agrees with it.

    Differences are paired by dataset instance; p-values are two-sided Wilcoxon
    signed-rank tests, Holm-corrected over the rows of the table.
    """
    means = instance_means(metrics, metric, rule)
    sign = -1.0 if lower_is_better(metric) else 1.0
    rows = []
    for (classifier, rate), group in means.groupby(["classifier", "positive_rate"]):
        wide = group.pivot_table(index="dataset", columns="method", values="value")
        best = (sign * wide).mean().idxmax()
        advised, why = rule_of_thumb(classifier, rate)
        gain = sign * (wide[best] - wide.get("baseline", np.nan))
        behind = sign * (wide[best] - wide.get(advised, np.nan))
        low, high = t_interval(gain)
        rows.append(
            {
                "classifier": classifier,
                "positive_rate": rate,
                "n": len(wide),
                "best": best,
                "best_value": wide[best].mean(),
                "gain_over_baseline": gain.mean(),
                "ci_low": low,
                "ci_high": high,
                "p_baseline": paired_test(gain),
                "rule_of_thumb": why,
                "advised": advised,
                "advised_value": wide.get(advised, pd.Series(np.nan)).mean(),
                "p_advised": paired_test(behind),
                "ran": set(wide.columns),
            }
        )
    table = pd.DataFrame(rows)
    for column in ("p_baseline", "p_advised"):
        table[f"{column}_holm"] = holm(table[column])
    table["evidence"] = [
        _verdict(row, alpha, len(table)) for _, row in table.iterrows()
    ]
    return table.drop(columns=["ran", "p_baseline", "p_advised"]).assign(
        metric=label(metric, rule)
    )


def calibration_error(y_true, proba, n_bins=10):
    """Expected calibration error over quantile bins (the bins of scikit-learn's
    ``calibration_curve(strategy="quantile")``; scikit-learn has no ECE itself): the
    mean over samples of |observed - predicted rate| in their bin."""
    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.percentile(proba, np.linspace(0, 100, n_bins + 1))
    bins = np.searchsorted(edges[1:-1], proba)
    counts = np.bincount(bins, minlength=n_bins)
    observed = np.bincount(bins, weights=y_true, minlength=n_bins)
    predicted = np.bincount(bins, weights=proba, minlength=n_bins)
    return float(np.abs(observed - predicted).sum() / counts.sum())
