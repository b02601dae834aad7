"""imbench's Bayesian signed-rank test is baycomp's: the same probabilities from the
same draws, however the gains tie, repeat or sit inside the ROPE."""

import numpy as np
import pytest
from baycomp import SignedRankTest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbench import stats

SAMPLES = 500  # fewer draws than the verdicts' 10,000: baycomp is slow


def baycomp_draws(n, seed, samples=SAMPLES):
    weights = np.ones(n + 1)
    weights[0] = stats.PRIOR_WEIGHT
    return np.random.RandomState(seed).dirichlet(weights, samples).T


@st.composite
def gain_vectors(draw):
    """Gains as the verdicts see them: some ties, zeros, values on the ROPE's edge
    and wholly inside it, from 3 to 40 instances."""
    n = draw(st.integers(3, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rope = draw(st.sampled_from([0.01, 0.02, 0.05]))
    shape = draw(st.sampled_from(["spread", "ties", "edge", "inside", "shifted"]))
    gains = rng.normal(draw(st.sampled_from([0.0, 0.01, -0.03])), 0.03, size=n)
    if shape == "ties":
        gains = np.round(gains, 2)
        gains[: n // 3] = 0.0
    elif shape == "edge":
        gains = rng.choice([-rope, 0.0, rope, 2 * rope, 3 * rope], size=n)
    elif shape == "inside":
        gains = rng.uniform(-rope, rope, size=n) * 0.9
    elif shape == "shifted":
        gains = gains + 4 * rope
    return gains, rope, draw(st.integers(0, 2**31 - 1))


@settings(max_examples=250, deadline=None)
@given(gain_vectors())
def test_probabilities_are_baycomps_from_the_same_draws(case):
    gains, rope, seed = case
    ours = stats.signed_rank_probabilities(gains, rope, baycomp_draws(len(gains), seed))
    theirs = SignedRankTest.probs(
        np.zeros(len(gains)), gains, rope, nsamples=SAMPLES, random_state=seed
    )
    # a draw whose two largest masses tie to the last bit may go either way
    np.testing.assert_allclose(ours, theirs, atol=1 / SAMPLES)


@pytest.mark.parametrize("n", [3, 15, 120, 200])
def test_verdict_probabilities_equal_baycomps_at_full_size(n):
    """The verdicts' own draws (baycomp's with ``posterior_seed``) and sample count,
    up to 120 instances."""
    gains = np.random.default_rng(n).normal(0.01, 0.02, size=n)
    theirs = SignedRankTest.probs(
        np.zeros(n),
        gains,
        0.01,
        nsamples=stats.POSTERIOR_SAMPLES,
        random_state=stats.posterior_seed(n),
    )
    better, equivalent, worse = stats.practical_probabilities(gains, 0.01)
    np.testing.assert_allclose(
        (worse, equivalent, better), theirs, atol=1 / stats.POSTERIOR_SAMPLES
    )


def test_draws_are_drawn_once_per_number_of_instances_and_read_only():
    first = stats.posterior_draws(5)
    assert stats.posterior_draws(5) is first
    assert stats.posterior_draws(6).shape == (7, stats.POSTERIOR_SAMPLES)
    with pytest.raises(ValueError, match="read-only"):
        first[0, 0] = 1.0
