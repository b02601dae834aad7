"""Statistics over dataset instances: paired gains with t-intervals and Wilcoxon
signed-rank tests, Holm's correction, practical equivalence by the Bayesian
signed-rank test (Benavoli et al. 2014, 2017), and Friedman-Nemenyi rankings
(Demsar 2006).

Each dataset instance (its mean over folds) is one observation: instances are
independent, folds are not.
"""

import functools
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


def probability_text(p):
    """A probability as tables' sentences print it: 2 decimals rounded down, so that
    one just below a decision level (0.9491 against 0.95) never prints as reaching
    it; ``n/a`` for NaN."""
    if np.isnan(p):
        return "n/a"
    return f"{np.floor(p * 100 + 1e-9) / 100:.2f}"  # 1e-9: 0.95 * 100 is 94.999...


def judged_gains(gains, reference, metric):
    """``gains`` in the unit of ``metric``'s ROPE: a fraction of the ``reference``
    values where the ROPE is relative (``names.relative_rope``; NaN where the
    reference is 0), else as they are."""
    gains = np.asarray(gains, dtype=float)
    if not relative_rope(metric):
        return gains
    scale = np.abs(np.asarray(reference, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 0, gains / scale, np.nan)


def unit_gain(gains, reference, metric):
    """``paired_gain`` of ``gains`` in the unit of ``metric``'s ROPE
    (``judged_gains``), with that unit as ``gain_unit``."""
    return {
        **paired_gain(judged_gains(gains, reference, metric)),
        "gain_unit": gain_unit(metric),
    }


def gain_unit(metric):
    """What the gains of ``metric`` are measured in (``judged_gains``): ``relative``
    (a fraction of the reference's value) or ``absolute``."""
    return "relative" if relative_rope(metric) else "absolute"


VERDICTS = ("better", "equivalent", "worse", "undecided")
VERDICT_COLUMNS = ["rope", "p_worse", "p_equivalent", "p_better", "verdict"]
NO_TEST = {"p": np.nan, "p_worse": np.nan, "p_equivalent": np.nan, "p_better": np.nan}
# a comparison that can only come out one way: the method's predictions are the
# reference's, so it has no test and no verdict
IDENTICAL = {**NO_TEST, "verdict": "identical"}
# every instance's model (the method's or the reference's) learnt nothing
DEGENERATE = {**NO_TEST, "verdict": "degenerate"}
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

    def scaled(self, factor):
        """The same test with every ROPE ``factor`` times as wide."""
        widths = {
            key: factor * self.rope.get(key, DEFAULT_ROPE[key]) for key in DEFAULT_ROPE
        }
        return Equivalence(rope=widths, probability=self.probability)

    def width(self, metric):
        """Half-width of ``metric``'s ROPE (a fraction of the reference's value for
        the losses, see ``names.relative_rope``)."""
        key = rope_key(metric)
        return self.rope.get(key, DEFAULT_ROPE[key])

    def judge(self, gains, reference, metric):
        """The verdict on paired ``gains`` (positive = better) over instances whose
        reference scored ``reference``: the columns of ``VERDICT_COLUMNS``.

        The Bayesian signed-rank test's posterior is sampled from draws fixed by the
        number of gains (``posterior_draws``), so a verdict depends on the gains
        alone, never on job order or on what else was compared. Fewer than
        ``MIN_INSTANCES`` gains are undecided."""
        gains = judged_gains(gains, reference, metric)
        rope = self.width(metric)
        probabilities = practical_probabilities(gains, rope)
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


def practical_probabilities(gains, rope):
    """Posterior probabilities that the gains' true location is above ``rope``,
    inside ``[-rope, rope]`` or below ``-rope``: the Bayesian signed-rank test, a
    Dirichlet process over the instances' gains with a prior pseudo-observation at
    zero (baycomp's ``SignedRankTest`` with ``posterior_seed(n)``: the same draws).
    NaN gains are left out; all NaN without any gain."""
    gains = np.asarray(gains, dtype=float)
    gains = gains[~np.isnan(gains)]
    if not len(gains):
        return np.nan, np.nan, np.nan
    if np.abs(gains).max() < rope:  # every pairwise mean in the ROPE: no sampling
        return 0.0, 1.0, 0.0
    worse, equivalent, better = signed_rank_probabilities(
        gains, rope, posterior_draws(len(gains))
    )
    return better, equivalent, worse


PRIOR_WEIGHT = 0.5  # baycomp's weight of the pseudo-observation at zero


def posterior_seed(n):
    """The seed of the posterior draws of every comparison over ``n`` instances:
    common random numbers, so that drawing costs once per ``n``, not per verdict."""
    return seed_from("bayesian signed-rank test", n)


@functools.lru_cache(maxsize=32)
def posterior_draws(n):
    """``POSTERIOR_SAMPLES`` Dirichlet weights of the zero pseudo-observation and
    ``n`` gains, drawn as baycomp draws them (``RandomState(seed).dirichlet`` with
    ``posterior_seed(n)``), so the probabilities are baycomp's for that seed; one row
    per observation, one column per draw. Read only."""
    weights = np.ones(n + 1)
    weights[0] = PRIOR_WEIGHT
    seed = posterior_seed(n)
    draws = np.random.RandomState(seed).dirichlet(weights, POSTERIOR_SAMPLES)
    draws = np.ascontiguousarray(draws.T)
    draws.setflags(write=False)
    return draws


def signed_rank_probabilities(gains, rope, draws):
    """``(P(worse), P(equivalent), P(better))`` of the Bayesian signed-rank test
    (Benavoli et al. 2014) of ``gains`` under Dirichlet ``draws`` (one row per
    observation: the zero pseudo-observation's weights, then each gain's; one column
    per draw).

    In each draw, the mass of the pairs of observations whose sum is below, within or
    above twice the ROPE (half-weight on its edges) says which region the draw puts
    the location in; a probability is the share of draws that put it there. baycomp
    sums the pair matrix for each draw, O(draws x n**2) in a Python loop; with the
    observations sorted, the pairs below a bound form a staircase, whose mass is a
    sum over its steps of products of prefix sums: O(draws x n) in numpy. Written
    here for that speed (docs/performance.md, "Verdicts"); tests/test_signed_rank.py
    holds it to baycomp.
    """
    values = np.concatenate(([0.0], np.asarray(gains, dtype=float)))
    order = np.argsort(values, kind="stable")
    values, weights = values[order], draws[order]
    sums = values[:, None] + values[None, :]  # rows non-decreasing: values sorted
    prefix = np.zeros((len(values) + 1, weights.shape[1]))  # prefix[k]: k weights
    for k, row in enumerate(weights):  # row by row: numpy's cumsum on axis 0 is slow
        np.add(prefix[k], row, out=prefix[k + 1])

    def staircase(ends):
        """Per draw: the mass of the pairs (i, j) with j < ``ends[i]`` (``ends``
        non-increasing in i): over each run of rows i in [a, b) sharing an end k,
        the weight of those rows times that of the first k observations."""
        mass = np.zeros(weights.shape[1])
        starts = np.flatnonzero(np.diff(ends, prepend=-1))
        for a, b in zip(starts, [*starts[1:], len(ends)], strict=True):
            if ends[a]:
                mass += prefix[ends[a]] * (prefix[b] - prefix[a])
        return mass

    def region(strictly, up_to_edge):  # the edge's pairs count half
        return 0.5 * (staircase(strictly) + staircase(up_to_edge))

    size = len(values)
    below = region(
        np.count_nonzero(sums < -2 * rope, axis=1),
        np.count_nonzero(sums <= -2 * rope, axis=1),
    )
    above = 1.0 - region(  # the complement of the pairs below the upper bound
        size - np.count_nonzero(sums >= 2 * rope, axis=1),
        size - np.count_nonzero(sums > 2 * rope, axis=1),
    )
    equivalent = 1.0 - below - above
    # the region of most mass, the first on ties (numpy's argmax, as baycomp)
    worse = (below >= equivalent) & (below >= above)
    better = ~worse & (above > equivalent)
    shares = np.count_nonzero(worse), np.count_nonzero(better)
    n = weights.shape[1]
    return shares[0] / n, (n - shares[0] - shares[1]) / n, shares[1] / n


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
    left_out: list = field(default_factory=list)  # instances missing a ranked method


def rank_methods(wide, higher_is_better=True, alpha=0.05):
    """Rank the methods (columns) over the dataset instances (rows) of ``wide``.

    Methods missing on half the instances or more are dropped, then instances missing
    any remaining method, so every rank compares the same methods.
    """
    from scikit_posthocs import posthoc_nemenyi_friedman  # 0.8 s: only ranking needs it

    dropped = sorted(wide.columns[wide.isna().mean() >= 0.5])
    complete = wide.drop(columns=dropped).dropna()
    left_out = sorted(map(str, wide.index.difference(complete.index)))
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
        cd=np.nan if np.isnan(friedman_p) else nemenyi_cd(k, n, alpha),
        pairwise_p=pairwise,
        dropped=dropped,
        left_out=left_out,
    )
