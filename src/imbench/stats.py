"""Statistics over dataset instances: paired gains with t-intervals and Wilcoxon
signed-rank tests, Holm's correction, practical equivalence by the Bayesian
signed-rank test (Benavoli et al. 2014, 2017), and Friedman-Nemenyi rankings
(Demsar 2006).

Each dataset instance (its mean over folds) is one observation: instances are
independent, folds are not.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import friedmanchisquare, studentized_range, t, wilcoxon
from statsmodels.stats.multitest import multipletests

from imbench.names import DEFAULT_ROPE, lower_is_better, relative_rope, rope_key
from imbench.seeds import seed_from

GAIN_COLUMNS = ["n", "gain", "ci_low", "ci_high", "p"]


def better_sign(metric):
    """+1 where a higher ``metric`` is better, -1 where lower is: differences times
    this are gains."""
    return -1.0 if lower_is_better(metric) else 1.0


def t_half_width(n, std):
    """Half-width of the 95% t-interval of a mean of ``n`` values with standard
    deviation ``std`` (arrays broadcast; NaN where ``n < 2``)."""
    n = np.asarray(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n >= 2, t.ppf(0.975, n - 1) * std / np.sqrt(n), np.nan)


def t_interval(values):
    """95% t-interval of the mean of ``values`` (NaN ignored; NaN with fewer than
    two values)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return np.nan, np.nan
    half = t_half_width(len(values), values.std(ddof=1))
    return values.mean() - half, values.mean() + half


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


def paired_gain(gains):
    """Summary of paired gains (one per dataset instance, positive = better; NaN
    left out): ``n``, mean ``gain``, its 95% t-interval and the Wilcoxon p-value."""
    gains = np.asarray(gains, dtype=float)
    gains = gains[~np.isnan(gains)]
    low, high = t_interval(gains)
    return {
        "n": len(gains),
        "gain": gains.mean() if len(gains) else np.nan,
        "ci_low": low,
        "ci_high": high,
        "p": paired_test(gains),
    }


VERDICTS = ("better", "equivalent", "worse", "undecided")
VERDICT_COLUMNS = ["rope", "p_worse", "p_equivalent", "p_better", "verdict"]
POSTERIOR_SAMPLES = 10_000  # Monte Carlo error of a probability under 0.005
# with one or two instances the posterior has no spread to doubt them by: no verdict
MIN_INSTANCES = 3


@dataclass(frozen=True)
class Equivalence:
    """When a method counts as practically equivalent to its reference.

    ``rope`` overrides ``names.DEFAULT_ROPE`` per metric; a verdict needs a posterior
    probability of at least ``probability``.
    """

    rope: dict = field(default_factory=dict)
    probability: float = 0.95

    def width(self, metric):
        """Half-width of ``metric``'s ROPE (a fraction of the reference's value for
        the losses, see ``names.relative_rope``)."""
        key = rope_key(metric)
        return self.rope.get(key, DEFAULT_ROPE[key])

    def judge(self, gains, reference, metric, *names):
        """The verdict on paired ``gains`` (positive = better) over instances whose
        reference scored ``reference``: the columns of ``VERDICT_COLUMNS``.

        The Bayesian signed-rank test's posterior is sampled with a seed derived from
        ``names`` (what is compared), so verdicts do not depend on job order. Fewer
        than ``MIN_INSTANCES`` gains are undecided."""
        gains = np.asarray(gains, dtype=float)
        if relative_rope(metric):
            scale = np.abs(np.asarray(reference, dtype=float))
            with np.errstate(divide="ignore", invalid="ignore"):
                gains = np.where(scale > 0, gains / scale, np.nan)
        rope = self.width(metric)
        probabilities = practical_probabilities(gains, rope, seed_from(metric, *names))
        enough = np.count_nonzero(~np.isnan(gains)) >= MIN_INSTANCES
        decided = [
            verdict
            for verdict, p in zip(VERDICTS, probabilities, strict=False)
            if enough and p >= self.probability
        ]
        p_better, p_equivalent, p_worse = probabilities
        return {
            "rope": rope,
            "p_worse": p_worse,
            "p_equivalent": p_equivalent,
            "p_better": p_better,
            "verdict": decided[0] if decided else "undecided",
        }


def practical_probabilities(gains, rope, seed):
    """Posterior probabilities that the gains' true location is above ``rope``,
    inside ``[-rope, rope]`` or below ``-rope``: the Bayesian signed-rank test, a
    Dirichlet process over the instances' gains with a prior pseudo-observation at
    zero (baycomp). NaN gains are left out; all NaN without any gain."""
    from baycomp import SignedRankTest  # 0.5 s with matplotlib: only verdicts need it

    gains = np.asarray(gains, dtype=float)
    gains = gains[~np.isnan(gains)]
    if not len(gains):
        return np.nan, np.nan, np.nan
    if np.abs(gains).max() < rope:  # every pairwise mean in the ROPE: no sampling
        return 0.0, 1.0, 0.0
    worse, equivalent, better = SignedRankTest.probs(
        np.zeros(len(gains)),
        gains,
        rope,
        nsamples=POSTERIOR_SAMPLES,
        random_state=seed,
    )
    return float(better), float(equivalent), float(worse)


def holm(p_values):
    """Holm-corrected p-values; NaN stays NaN."""
    p_values = np.asarray(p_values, dtype=float)
    corrected = np.full_like(p_values, np.nan)
    tested = ~np.isnan(p_values)
    if tested.any():
        corrected[tested] = multipletests(p_values[tested], method="holm")[1]
    return corrected


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
