"""The four questions' computations, on data whose answer is known."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score, precision_recall_curve, roc_curve

from imbench import (
    advice,
    calibration,
    comparisons,
    costs,
    curves,
    stats,
    summary,
    tables,
)
from imbench.findings import (
    climb_claims,
    elkan_claim,
    elor_claim,
    ensemble_answer,
    f1_answer,
    goorbergh_claim,
    handling_advice,
    kovacs_claim,
    saito_claim,
    threshold_advice,
)
from imbench.metrics import probability_metrics
from imbench.records import POOLED

from .conftest import BOTH_CLASSES


def synthetic_metrics(
    effect_by_rate, n_instances=8, seed=0, classifier="lr", method="helps"
):
    """Per-fold metrics of a baseline and a method whose AP is higher by the given
    effect at each rate (plus noise)."""
    rng = np.random.default_rng(seed)
    rows = []
    for rate, effect in effect_by_rate.items():
        for instance in range(n_instances):
            dataset = f"d-{rate}-{instance}"
            base = rng.uniform(0.3, 0.7)
            for fold in range(3):
                noise = rng.normal(scale=0.01)
                for name, value in (("baseline", base), (method, base + effect)):
                    rows.append(
                        dict(
                            source="synthetic",
                            positive_rate=rate,
                            dataset=dataset,
                            observation=dataset,
                            classifier=classifier,
                            method=name,
                            repeat=0,
                            fold=fold,
                            threshold_rule="none",
                            metric="average_precision",
                            value=value + noise + rng.normal(scale=0.005),
                            identical=False,
                            degenerate=False,
                        )
                    )
    return pd.DataFrame(rows)


EQUIVALENCE = stats.Equivalence()


def test_equivalence_on_known_answers():
    """Identical methods are equivalent, a shift of 2 x ROPE is better (or worse),
    pure noise over few instances is undecided, and so are two instances."""
    rng = np.random.default_rng(0)
    rope = EQUIVALENCE.width("roc_auc")
    base = rng.uniform(0.6, 0.9, 8)

    def judge(gains):
        return EQUIVALENCE.judge(gains, base[: len(gains)], "roc_auc")

    assert judge(np.zeros(8))["verdict"] == "equivalent"
    assert judge(np.zeros(8))["p_equivalent"] == 1.0
    shifted = 2 * rope + rng.normal(scale=rope / 4, size=8)
    assert judge(shifted)["verdict"] == "better"
    assert judge(-shifted)["verdict"] == "worse"
    noise = judge(rng.normal(scale=3 * rope, size=4))
    assert noise["verdict"] == "undecided"
    assert max(noise["p_worse"], noise["p_equivalent"], noise["p_better"]) < 0.95
    assert judge(np.zeros(2))["verdict"] == "undecided"  # MIN_INSTANCES
    assert np.isnan(judge(np.full(8, np.nan))["p_better"])


def test_gains_inside_the_rope_skip_sampling_with_baycomps_answer():
    from baycomp import SignedRankTest

    gains = np.random.default_rng(2).uniform(-0.0099, 0.0099, 7)
    sampled = SignedRankTest.probs(np.zeros(7), gains, 0.01, random_state=0)
    assert stats.practical_probabilities(gains, 0.01) == (0.0, 1.0, 0.0)
    assert tuple(sampled) == (0.0, 1.0, 0.0)


def test_equivalence_of_losses_is_relative_and_verdicts_are_reproducible():
    rng = np.random.default_rng(1)
    brier = rng.uniform(0.005, 0.01, 10)  # a low positive rate's Brier scores
    worse = -0.2 * brier  # 20% worse: far outside 0.05 relative
    assert EQUIVALENCE.judge(worse, brier, "brier")["verdict"] == "worse"
    # the same absolute change is nothing at 50%, where Brier is near 0.2
    assert EQUIVALENCE.judge(worse, brier + 0.2, "brier")["verdict"] == "equivalent"
    wide = stats.Equivalence(rope={"brier": 0.5})
    assert wide.judge(worse, brier, "brier")["verdict"] == "equivalent"
    assert EQUIVALENCE.width("expected_cost_10") == 0.05
    noise = 0.01 + rng.normal(scale=0.01, size=6)  # on the ROPE's edge
    first = EQUIVALENCE.judge(noise, brier[:6] + 0.5, "roc_auc")
    assert 0 < first["p_better"] < 1
    stats.posterior_draws.cache_clear()  # drawn afresh: the same verdict
    assert EQUIVALENCE.judge(noise, brier[:6] + 0.5, "roc_auc") == first
    nearer = EQUIVALENCE.judge(noise - 0.005, brier[:6] + 0.5, "roc_auc")
    assert nearer["p_better"] < first["p_better"]  # common draws: gains decide


def test_ratio_sweep_finds_where_handling_stops_mattering():
    metrics = synthetic_metrics({0.01: 0.1, 0.05: 0.05, 0.1: 0.0, 0.5: 0.0})
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    assert gains.set_index("positive_rate")["verdict"].to_dict() == {
        0.01: "better",
        0.05: "better",
        0.1: "equivalent",
        0.5: "equivalent",
    }
    assert gains.loc[gains["positive_rate"] == 0.01, "gain"].item() == pytest.approx(
        0.1, abs=0.01
    )
    answer = comparisons.stops_mattering(gains).iloc[0]
    assert answer["stops_at"] == 0.1
    assert answer["least_p_equivalent"] >= 0.95
    assert answer["answer"].startswith(
        "every method practically equivalent to the baseline from rate 0.1 on"
    )
    assert answer["below"] == "at 0.05: helps better (P = 1.00)"


def with_copy(metrics, rates, name="copy"):
    """``metrics`` with ``name``, a method whose predictions are the baseline's at
    ``rates`` (its rows marked identical, as ``tables.identical_rows`` marks them)
    and worse elsewhere."""
    copy = metrics[metrics["method"] == "baseline"].assign(method=name)
    same = copy["positive_rate"].isin(rates)
    copy.loc[~same, "value"] -= 0.2
    return pd.concat([metrics, copy.assign(identical=same)], ignore_index=True)


def test_an_identical_comparison_has_no_verdict_and_no_count():
    """A method that is the baseline by construction is ``identical``: no test, no
    Holm family, no say in where handling stops mattering, no rank."""
    metrics = with_copy(synthetic_metrics({0.01: 0.1, 0.1: 0.0, 0.5: 0.0}), [0.1, 0.5])
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    copy = gains[gains["method"] == "copy"].set_index("positive_rate")
    assert copy["verdict"].to_dict() == {
        0.01: "worse",
        0.1: "identical",
        0.5: "identical",
    }
    assert copy.loc[[0.1, 0.5], ["p", "p_holm", "p_equivalent"]].isna().all().all()
    helps = gains[gains["method"] == "helps"]
    alone = comparisons.gains_over(
        metrics[metrics["method"] != "copy"], "average_precision", "none", EQUIVALENCE
    )
    # the Holm family is the tested comparisons only: the copy at 0.01 and helps
    tested = pd.concat([helps["p"], copy.loc[[0.01], "p"]])
    np.testing.assert_allclose(
        helps["p_holm"], stats.holm(tested.to_numpy())[: len(helps)]
    )
    assert list(alone["verdict"]) == list(helps["verdict"])
    answer = comparisons.stops_mattering(gains).iloc[0]
    assert answer["stops_at"] == 0.1
    assert answer["least_p_equivalent"] == pytest.approx(
        helps.loc[helps["positive_rate"] >= 0.1, "p_equivalent"].min()
    )
    everywhere = with_copy(
        synthetic_metrics({0.5: 0.0}).query("method != 'helps'"), [0.5]
    )
    gains = comparisons.gains_over(everywhere, "average_precision", "none", EQUIVALENCE)
    answer = comparisons.stops_mattering(gains).iloc[0]
    assert answer["answer"].startswith("every method identical to the baseline")
    _, table = comparisons.rankings(
        with_copy(synthetic_metrics({0.01: 0.1, 0.1: 0.0}), [0.01, 0.1]),
        [["average_precision", "none"]],
        0.05,
    )
    assert set(table["method"]) == {"baseline", "helps"}
    assert set(table["identical"]) == {"copy"}


def test_a_threshold_method_is_compared_at_its_own_threshold_where_the_rule_is_05():
    base = synthetic_metrics({0.1: 0.0}).query("method == 'baseline'")
    rows = [
        base.assign(threshold_rule="default"),
        base.assign(method="threshold_f1", threshold_rule="default", identical=True),
        base.assign(
            method="threshold_f1", threshold_rule="own", value=base["value"] + 0.1
        ),
    ]
    metrics = pd.concat(rows, ignore_index=True)
    means = tables.compared_means(metrics, "average_precision", "default")
    view = means[means["method"] == "threshold_f1"]
    assert not view["identical"].any()
    gains = comparisons.gains_over(metrics, "average_precision", "default", EQUIVALENCE)
    assert gains["gain"].item() == pytest.approx(0.1)
    assert gains["verdict"].item() == "better"


def test_methods_are_compared_by_their_values_as_the_tables_publish_them(tmp_path):
    """What a verdict pairs is what a CSV table holds, to the bit: a value read back
    from ``write_csv`` is the compared one (the unrounded mean is not)."""
    metrics = synthetic_metrics({0.1: 0.03})
    means = tables.compared_means(metrics, "average_precision")
    tables.write_csv(means, tmp_path / "means.csv")
    published = pd.read_csv(tmp_path / "means.csv")["value"].to_numpy()
    np.testing.assert_array_equal(published, means["value"].to_numpy())
    unrounded = tables.instance_means(metrics, "average_precision")["value"]
    assert not np.array_equal(np.sort(unrounded), np.sort(published))


def test_identical_rows_are_cells_with_the_baselines_predictions_but_own():
    cells = [
        {
            "dataset": "d",
            "classifier": "c",
            "method": m,
            "status": "ok",
            "identical": same,
        }
        for m, same in (("baseline", False), ("view", True), ("other", False))
    ]
    metrics = pd.DataFrame(
        {
            "dataset": "d",
            "classifier": "c",
            "method": ["baseline", "view", "view", "other"],
            "threshold_rule": ["default", "default", "own", "default"],
        }
    )
    assert list(tables.identical_rows(metrics, cells)) == [False, True, False, False]


def test_ratio_sweep_when_handling_always_matters_or_evidence_is_thin():
    def answer(effects, **kwargs):
        metrics = synthetic_metrics(effects, **kwargs)
        gains = comparisons.gains_over(
            metrics, "average_precision", "none", EQUIVALENCE
        )
        return comparisons.stops_mattering(gains).iloc[0]

    always = answer({0.01: 0.1, 0.5: 0.1})
    assert np.isnan(always["stops_at"])
    assert always["answer"] == "never: some method still differs at 0.5"
    thin = answer({0.01: 0.1, 0.5: 0.0}, n_instances=2)
    assert thin["answer"] == "undecided: too little evidence at 0.5"
    assert thin["below"] == "at 0.5: helps undecided (2 instances)"
    settled = answer({0.01: 0.0, 0.5: 0.0})
    assert settled["stops_at"] == 0.01 and settled["below"] == ""


def test_other_model_families_do_not_keep_handling_mattering():
    metrics = pd.concat(
        [
            synthetic_metrics({0.5: 0.0}, method="class_weight"),
            synthetic_metrics({0.5: 0.2}, method="balanced_random_forest", seed=1),
        ]
    ).drop_duplicates(["dataset", "classifier", "method", "fold"])
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    assert set(gains["verdict"]) == {"equivalent", "better"}
    assert comparisons.stops_mattering(gains).iloc[0]["stops_at"] == 0.5


def test_gains_are_signed_so_that_positive_is_better():
    metrics = synthetic_metrics({0.1: 0.05}).assign(metric="brier")
    gains = comparisons.gains_over(metrics, "brier", "none", EQUIVALENCE)
    assert gains["gain"].item() < 0 and gains["verdict"].item() == "worse"


def test_pooled_sources_are_named_with_their_counts():
    metrics = synthetic_metrics({0.1: 0.0}, n_instances=4)
    digits = metrics["dataset"].isin(["d-0.1-0", "d-0.1-1"])
    metrics.loc[digits, "source"] = "digits"
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    assert gains["sources"].item() == "digits x2 + synthetic x2"


def test_paired_test_and_holm():
    assert stats.paired_test(np.zeros(8)) == 1.0
    assert np.isnan(stats.paired_test([0.3]))
    assert stats.paired_test(np.linspace(0.1, 0.2, 10)) < 0.01
    np.testing.assert_allclose(
        stats.holm([0.01, 0.04, 0.03, np.nan]), [0.03, 0.06, 0.06, np.nan]
    )


def test_prior_correction_recovers_the_posterior_at_the_true_rate():
    likelihood_ratio = np.exp(np.linspace(-4, 4, 50))

    def posterior(prior):
        return prior * likelihood_ratio / (prior * likelihood_ratio + 1 - prior)

    corrected = costs.prior_correct(posterior(0.5), 0.5, 0.1)
    np.testing.assert_allclose(corrected, posterior(0.1))


def calibrated_fold(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    proba = rng.beta(0.5, 4, size=n)
    y = (rng.random(n) < proba).astype(int)
    return pd.DataFrame({"repeat": 0, "fold": 0, "y_true": y, "proba": proba})


def test_costs_of_calibrated_probabilities():
    fold = calibrated_fold()
    rate = fold["y_true"].mean()
    record = {
        "repeat": 0,
        "fold": 0,
        "train_positive_rate": rate,
        "trained_positive_rate": rate,
        "tuned": {10.0: 0.3},
    }
    cost = costs.cost_table(fold, [record], [10.0]).iloc[0]
    others = ["at_0.5", "at_bayes", "at_bayes_prior_corrected", "at_tuned"]
    assert all(cost["oracle"] <= cost[column] for column in others)
    assert cost["at_bayes"] < cost["at_tuned"] < cost["at_0.5"]
    assert cost["at_bayes"] == pytest.approx(cost["oracle"], rel=0.02)
    assert cost["at_bayes_prior_corrected"] == cost["at_bayes"]  # nothing to correct
    # the trivial reference: every sample negative (10 x the rate) or positive
    assert cost["constant"] == pytest.approx(min(10 * rate, 1 - rate))
    assert cost["oracle"] <= cost["constant"]
    assert costs.bayes_threshold(10) == pytest.approx(1 / 11)


@pytest.mark.parametrize("trained_rate", [0.5, 0.3])
def test_prior_correction_restores_the_bayes_threshold_after_rebalancing(
    trained_rate,
):
    """A model trained at another rate (0.5 by default samplers, 0.3 by a sampler
    asked for 3:7) is corrected from that rate, not from an assumed 0.5."""
    fold = calibrated_fold()
    rate = fold["y_true"].mean()
    shifted = costs.prior_correct(fold["proba"], rate, trained_rate)
    record = {
        "repeat": 0,
        "fold": 0,
        "train_positive_rate": rate,
        "trained_positive_rate": trained_rate,
        "tuned": {},
    }
    cost = costs.cost_table(fold.assign(proba=shifted), [record], [10.0]).iloc[0]
    assert cost["at_bayes_prior_corrected"] < 0.9 * cost["at_bayes"]
    assert cost["at_bayes_prior_corrected"] == pytest.approx(cost["oracle"], rel=0.02)
    assumed_half = {**record, "trained_positive_rate": 0.5}
    if trained_rate != 0.5:  # the old assumption mis-corrects
        wrong = costs.cost_table(fold.assign(proba=shifted), [assumed_half], [10.0])
        assert wrong.iloc[0]["at_bayes_prior_corrected"] > cost["oracle"] * 1.02


def test_ensemble_curves_average_the_first_k_members():
    """Brier per fold; F1 at 0.5 per repeat, from its two folds' pooled counts."""
    rng = np.random.default_rng(0)
    members = rng.random((200, 4))
    y = (rng.random(200) < members.mean(axis=1)).astype(int)
    fold = np.repeat([0, 1], 100)
    predictions = pd.DataFrame(
        {"repeat": 0, "fold": fold, "role": "test", "y_true": y}
        | {f"member_{m:03d}": members[:, m] for m in range(4)}
    )
    by_size = curves.ensemble_curves(predictions)
    assert sorted(by_size["members"]) == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    pair = members[:, :2].mean(axis=1)
    two = by_size[by_size["members"] == 2].set_index("fold")
    for f in (0, 1):
        expected = probability_metrics(y[fold == f], pair[fold == f])["brier"]
        assert two.loc[f, "brier"] == pytest.approx(expected)
    assert two.loc[POOLED, "f1"] == pytest.approx(f1_score(y, pair >= 0.5))
    assert two.loc[[0, 1], "f1"].isna().all() and np.isnan(two.loc[POOLED, "brier"])


def test_f1_averages_apart_when_the_minority_is_ignored():
    """The gaps are of the scored rows, and a copy of the baseline is not one."""
    rows = [
        dict(
            source="s",
            positive_rate=0.01,
            dataset="d",
            classifier="c",
            method=method,
            repeat=0,
            fold=POOLED,
            threshold_rule="default",
            metric=metric,
            value=value + shift,
            identical=method == "copy",
        )
        for method, shift in (("m", 0.0), ("copy", 0.005))
        for metric, value in {
            "f1": 0.0,
            "f1_macro": 0.497,
            "f1_weighted": 0.985,
            "f1_micro": 0.99,
        }.items()
    ]
    gaps = summary.f1_gaps(tables.scored_rows(pd.DataFrame(rows)))
    assert list(gaps["method"]) == ["m"]
    assert gaps["gap"].item() == pytest.approx(0.99)
    assert (gaps["highest"].item(), gaps["lowest"].item()) == ("f1_micro", "f1")


# Critical differences of Demsar (2006), Table 5(a): q_0.05 for k = 2..10 methods.
DEMSAR_Q05 = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164]


@pytest.mark.parametrize("k, q_alpha", list(enumerate(DEMSAR_Q05, start=2)))
def test_nemenyi_critical_difference_matches_demsar(k, q_alpha):
    n = 14
    expected = q_alpha * np.sqrt(k * (k + 1) / (6 * n))
    assert stats.nemenyi_cd(k, n) == pytest.approx(expected, abs=2e-3)


def test_nemenyi_critical_difference_of_demsars_worked_example():
    # Section 3.2.2: four C4.5 variants on 14 data sets give CD = 1.25.
    assert round(stats.nemenyi_cd(4, 14), 2) == 1.25


def ranked_frame(n_datasets, shifts, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.3, 0.7, size=(n_datasets, 1))
    noise = rng.normal(scale=0.05, size=(n_datasets, len(shifts)))
    return pd.DataFrame(
        base + np.array(list(shifts.values())) + noise, columns=list(shifts)
    )


def test_ranking_puts_the_clearly_better_method_first_and_apart():
    wide = ranked_frame(30, {"good": 0.3, "mid": 0.0, "also_mid": 0.0, "bad": -0.3})
    ranking = stats.rank_methods(wide)
    assert list(ranking.ranks.index[[0, -1]]) == ["good", "bad"]
    assert ranking.ranks["good"] == pytest.approx(1.0, abs=0.1)
    assert ranking.friedman_p < 1e-6
    assert ranking.pairwise_p.loc["good", "bad"] < 0.05
    assert ranking.pairwise_p.loc["mid", "also_mid"] > 0.05
    lower = stats.rank_methods(wide, higher_is_better=False)
    assert lower.ranks.index[0] == "bad"


@pytest.mark.parametrize("seed", range(5))
def test_nemenyi_p_values_agree_with_the_critical_difference(seed):
    shifts = {f"m{i}": s for i, s in enumerate(np.linspace(0, 0.08, 6))}
    ranking = stats.rank_methods(ranked_frame(20, shifts, seed))
    for a in ranking.ranks.index:
        for b in ranking.ranks.index.drop(a):
            gap = abs(ranking.ranks[a] - ranking.ranks[b])
            if abs(gap - ranking.cd) > 1e-6:
                assert (gap > ranking.cd) == (ranking.pairwise_p.loc[a, b] < 0.05)


def test_ranking_drops_methods_missing_on_most_instances():
    wide = ranked_frame(10, {"a": 0.1, "b": 0.0, "c": 0.0, "rare": 0.0})
    wide.loc[2:, "rare"] = np.nan
    wide.loc[0, "c"] = np.nan
    ranking = stats.rank_methods(wide)
    assert ranking.dropped == ["rare"]
    assert ranking.n == 9 and set(ranking.ranks.index) == {"a", "b", "c"}
    assert ranking.left_out == [str(wide.index[0])]  # the instance missing c


def test_curves_of_a_random_and_a_perfect_scorer():
    rng = np.random.default_rng(0)
    y = (rng.random(200_000) < 0.05).astype(int)
    grid = np.linspace(0, 1, 101)
    random_scores = rng.random(len(y))
    precision = curves.precision_on_grid(y, random_scores, grid)
    assert precision[5:].mean() == pytest.approx(0.05, abs=0.005)
    assert np.trapezoid(curves.roc_on_grid(y, random_scores, grid), grid) == (
        pytest.approx(0.5, abs=0.01)
    )
    perfect = y + rng.random(len(y)) * 0.5
    assert (curves.precision_on_grid(y, perfect, grid) == 1).all()
    assert (curves.roc_on_grid(y, perfect, grid)[1:] == 1).all()


@settings(max_examples=60, deadline=None)
@given(labels=BOTH_CLASSES, seed=st.integers(0, 2**16))
def test_curves_on_the_grid_follow_scikit_learns_curves(labels, seed):
    y = np.array(labels, dtype=int)
    scores = np.round(np.random.default_rng(seed).random(len(y)), 1)  # ties
    grid = np.linspace(0, 1, 21)
    fpr, tpr, _ = roc_curve(y, scores)
    np.testing.assert_allclose(
        curves.roc_on_grid(y, scores, grid), np.interp(grid, fpr, tpr)
    )
    precision, recall, _ = precision_recall_curve(y, scores)
    best = [precision[recall >= r].max() for r in grid]
    np.testing.assert_allclose(curves.precision_on_grid(y, scores, grid), best)


def test_interpolated_precision_is_the_best_precision_at_or_beyond_each_recall():
    y = np.array([1, 0, 1, 0, 0, 1])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    # ranked: P (1/1), N, P (2/3), N, N, P (3/6): recall 1/3, 2/3, 1
    precision = curves.precision_on_grid(y, scores, np.array([0.2, 0.5, 0.9, 1.0]))
    np.testing.assert_allclose(precision, [1.0, 2 / 3, 0.5, 0.5])


def test_calibration_error_of_calibrated_and_rebalanced_probabilities():
    rng = np.random.default_rng(0)
    proba = rng.beta(0.5, 10, size=200_000)
    y = (rng.random(len(proba)) < proba).astype(int)
    assert calibration.calibration_error(y, proba) < 0.005
    rebalanced = costs.prior_correct(proba, y.mean(), 0.5)
    assert calibration.calibration_error(y, rebalanced) > 0.2


def logistic(z):
    return 1 / (1 + np.exp(-z))


def test_the_calibration_line_recovers_a_known_miscalibration():
    """Outcomes drawn from p; predictions logistic(a + b logit p) have slope 1/b;
    a prior shift moves the intercept and leaves the slope."""
    rng = np.random.default_rng(0)
    logit = rng.normal(-2.5, 1.5, size=100_000)
    y = (rng.random(len(logit)) < logistic(logit)).astype(int)
    intercept, slope = calibration.calibration_line(y, logistic(logit))
    assert abs(intercept) < 0.03 and slope == pytest.approx(1, abs=0.03)
    overconfident = logistic(2 * logit)
    assert calibration.calibration_line(y, overconfident)[1] == pytest.approx(
        0.5, abs=0.02
    )
    shifted = costs.prior_correct(logistic(logit), y.mean(), 0.5)
    intercept, slope_shifted = calibration.calibration_line(y, shifted)
    assert intercept < -1.5  # predicts far too many positives
    assert slope_shifted == pytest.approx(slope, abs=1e-6)
    assert np.isnan(calibration.calibration_line(y, np.full(len(y), 0.1))).all()
    assert np.isnan(
        calibration.calibration_line(np.zeros(9), np.linspace(0, 1, 9))
    ).all()
    separable = calibration.calibration_line([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert np.isnan(separable).all()


def rebalanced_cell(trained_rate, seed=0, n=4000):
    """Test predictions of two repeats of two folds from a model calibrated at
    ``trained_rate`` (outcomes at 5%), and their fold records."""
    rng = np.random.default_rng(seed)
    frames, folds = [], []
    for repeat in (0, 1):
        for fold in (0, 1):
            logit = rng.normal(-3.5, 1.2, size=n)
            y = (rng.random(n) < logistic(logit)).astype(int)
            proba = costs.prior_correct(logistic(logit), 0.05, trained_rate)
            frames.append(
                pd.DataFrame(
                    {"repeat": repeat, "fold": fold, "y_true": y, "proba": proba}
                )
            )
            folds.append(
                {
                    "repeat": repeat,
                    "fold": fold,
                    "train_positive_rate": 0.05,
                    "trained_positive_rate": trained_rate,
                }
            )
    return pd.concat(frames, ignore_index=True), folds


def test_recalibration_rows_correct_each_fold_from_the_rate_its_model_learnt_at():
    test, folds = rebalanced_cell(0.5)
    rows, changed = calibration.recalibration_rows(test, folds)
    assert changed
    wide = rows.pivot_table(
        index=["repeat", "fold", "metric"], columns="probabilities", values="value"
    )
    brier = wide.xs("brier", level="metric")
    assert (brier["prior-corrected"] < 0.8 * brier["as trained"]).all()
    line = rows[rows["fold"] == POOLED].set_index(["repeat", "probabilities", "metric"])
    assert len(line) == 2 * 2 * 2  # a line per repeat and arm, from its pooled folds
    for repeat in (0, 1):
        slopes = line.loc[(repeat, slice(None), "calibration_slope"), "value"]
        assert slopes.max() - slopes.min() < 1e-6  # the correction keeps the slope
        intercept = line.loc[(repeat, "prior-corrected", "calibration_intercept")]
        assert abs(intercept["value"]) < 0.2
    test, folds = rebalanced_cell(0.05)
    rows, changed = calibration.recalibration_rows(test, folds)
    assert not changed


def recalibration_values(trained_rate, n_instances=6):
    """``recalibration_rows`` of a baseline (trained at the true 5%) and of a method
    trained at ``trained_rate``, on ``n_instances`` instances, labelled as the step
    labels them."""
    frames = []
    for instance in range(n_instances):
        for method, rate in (("baseline", 0.05), ("random_undersample", trained_rate)):
            test, folds = rebalanced_cell(rate, seed=instance)
            rows, _ = calibration.recalibration_rows(test, folds)
            frames.append(
                rows.assign(
                    source="synthetic",
                    positive_rate=0.05,
                    dataset=f"d{instance}",
                    observation=f"d{instance}",
                    classifier="logistic_regression",
                    method=method,
                    identical=False,
                    degenerate=False,
                )
            )
    return pd.concat(frames, ignore_index=True)


def test_the_recalibration_arm_tells_prior_shift_from_miscalibration():
    """A method whose only harm is the prior shift is worse as trained and
    equivalent to the baseline once prior-corrected."""
    table = calibration.recalibration_table(recalibration_values(0.5), EQUIVALENCE)
    rows = table.set_index(["method", "probabilities"])
    assert list(rows.index) == [
        ("baseline", "as trained"),
        ("random_undersample", "as trained"),
        ("random_undersample", "prior-corrected"),
    ]
    assert rows.loc[("random_undersample", "as trained"), "brier_verdict"] == "worse"
    corrected = rows.loc[("random_undersample", "prior-corrected")]
    assert corrected["brier_verdict"] == "equivalent"
    assert corrected["brier_n"] == 6
    assert (
        corrected["log_loss"]
        < rows.loc[("random_undersample", "as trained"), "log_loss"]
    )
    assert abs(corrected["calibration_intercept"]) < 0.2
    assert pd.isna(rows.loc[("baseline", "as trained"), "brier_verdict"])


def recalibrated_rows(*cells):
    """``recalibration.csv`` rows from ``(method, probabilities, brier verdict)`` of
    logistic regression at 5%."""
    columns = ["method", "probabilities", "brier_verdict"]
    return pd.DataFrame(cells, columns=columns).assign(
        classifier="logistic_regression", positive_rate=0.05, calibration_slope=1.0
    )


def test_the_goorbergh_claim_judges_calibration_as_trained_and_explains_it():
    auc = sweep_rows(("logistic_regression", "smote", 0.05, "roc_auc", "equivalent"))
    shifted = recalibrated_rows(
        ("baseline", "as trained", np.nan),
        ("smote", "as trained", "worse"),
        ("smote", "prior-corrected", "equivalent"),
    )
    verdict, evidence = goorbergh_claim(auc, shifted)
    assert verdict == "agrees"
    assert "0 of 1 cells are still practically worse" in evidence
    calibrated = shifted.assign(brier_verdict=["", "equivalent", "equivalent"])
    assert goorbergh_claim(auc, calibrated)[0] == "disagrees"
    gain = sweep_rows(("logistic_regression", "smote", 0.05, "roc_auc", "better"))
    assert goorbergh_claim(gain, shifted)[0] == "disagrees"
    undecided = shifted.assign(brier_verdict=["", "undecided", "undecided"])
    assert goorbergh_claim(auc, undecided)[0] == "cannot tell"


def test_threshold_advice_names_the_bayes_threshold_only_where_it_is_never_worse():
    def row(classifier, rate, verdict, p_worse, tuned):
        return {
            "classifier": classifier,
            "positive_rate": rate,
            "verdict": verdict,
            "n": 15,
            "p_worse": p_worse,
            "tuned_threshold": tuned,
            "at_0.5": 0.3,
            "at_bayes": 0.1,
            "at_tuned": 0.1,
            "at_0.5_vs_best": 3.0,
            "constant": 10 * rate,
        }

    chosen = pd.DataFrame(
        [
            row("logistic_regression", 0.01, "undecided", 0.01, 0.1),
            row("logistic_regression", 0.5, "equivalent", 0.0, 0.1),
            row("mlp", 0.01, "equivalent", 0.0, 0.02),
            row("mlp", 0.5, "worse", 0.99, 0.008),
        ]
    )
    advice = threshold_advice(chosen, 10.0, 0.95)
    assert "logistic_regression: the Bayes threshold;" in advice
    assert "mlp: the tuned threshold (0.01-0.02)" in advice
    assert "cheapest in 0 of 4 cells and cost up to 3.00x" in advice
    assert "At rate 0.01 the cheaper constant prediction costs 0.100" in advice


def test_the_handling_answer_splits_threshold_free_metrics_from_decisions_at_05():
    ap, recall = "average_precision", "recall @ default"
    cells = [
        ("lr", "class_weight", 0.01, ap, "worse"),
        ("lr", "class_weight", 0.01, recall, "better"),
        ("lr", "smote", 0.01, ap, "equivalent"),
        ("lr", "smote", 0.01, recall, "better"),
        ("lr", "threshold_f1", 0.01, recall, "better"),
        ("lr", "threshold_f1", 0.01, ap, "identical"),
        ("lr", "class_weight", 0.5, ap, "equivalent"),
        ("lr", "class_weight", 0.5, recall, "undecided"),
    ]
    answer = handling_advice(sweep_rows(*cells))
    assert answer.startswith(
        "**Answer.** At rates up to 0.1, do not rebalance to rank, to calibrate or "
        "for F1 at a tuned threshold: class_weight and smote were never practically "
        "better than the baseline there (worse in 1 of 2 cells: class_weight 1, "
        "smote 0); at threshold 0.5 (recall @ default) they were better in 2 of 2, "
        "and moving the threshold instead (threshold_f1, no resampling) in 1 of 1. "
        "Above 0.1 they were practically equivalent to the baseline in 1 of 2 cells "
        "(better in 0, worse in 0)"
    )
    undecided = [("lr", m, 0.01, ap, "undecided") for m in ("class_weight", "smote")]
    thin = handling_advice(sweep_rows(*undecided, *cells[1:2], *cells[3:]))
    assert "the evidence cannot tell whether to rebalance" in thin
    assert "only 0 of 2 cells are decided (0 worse)" in thin
    cells[2] = ("lr", "smote", 0.01, ap, "better")
    helped = handling_advice(sweep_rows(*cells))
    assert "were practically better than the baseline in 1 of 2 cells" in helped
    assert "do not rebalance" not in helped


def test_the_ensemble_answer_is_yes_or_no_with_counts_and_gains():
    rows = pd.DataFrame(
        [
            ("baseline", "average_precision", "equivalent", -0.004),
            ("baseline", "average_precision", "worse", -0.03),
            ("random_undersample", "average_precision", "better", 0.05),
            ("random_undersample", "average_precision", "undecided", 0.01),
            ("random_undersample", "brier", "better", 0.2),
            ("random_undersample", "brier", "worse", -0.1),
        ],
        columns=["against", "metric", "verdict", "gain"],
    )
    rows["gain_unit"] = rows["metric"].map({"brier": "relative"}).fillna("absolute")
    answer = ensemble_answer(rows)
    assert (
        "Against one baseline model: average_precision no (better in 0, worse in 1 "
        "of 2 cells, gains -0.030 to -0.004)" in answer
    )
    assert "Against one random_undersample model: average_precision yes" in answer
    assert (
        "brier mixed (better in 1, worse in 1 of 2 cells, gains -10% to +20%)" in answer
    )
    rows.loc[5, "verdict"] = "equivalent"
    rows.loc[6] = ("random_undersample", "brier", "equivalent", 0.001, "relative")
    assert "brier rarely (better in 1, worse in 0 of 3 cells" in ensemble_answer(rows)
    undecided = ensemble_answer(rows.assign(verdict="undecided"))
    assert "average_precision cannot tell (better in 0, worse in 0 of 2" in undecided


def test_the_f1_answer_follows_micro_f1s_lead_from_balance_to_imbalance():
    pattern = pd.DataFrame(
        {
            "positive_rate": [0.01, 0.5],
            "f1": [0.2, 0.8],
            "f1_macro": [0.6, 0.8],
            "f1_weighted": [0.98, 0.8],
            "f1_micro": [0.99, 0.8],
            "micro_lead": [0.79, 0.0],
            "cells": [20, 24],
        }
    )
    answer = f1_answer(pattern)
    assert "lead over positive-class F1 grows from 0.000 to 0.790" in answer
    assert "medians over 20-24 cells per rate" in answer
    assert "at rate 0.01 positive-class F1 0.200, macro 0.600" in answer
    flat = f1_answer(pattern.assign(micro_lead=[0.0, 0.1]))
    assert "does not grow" in flat
    one = f1_answer(pattern.iloc[:1])  # a pooled collection: one rate
    assert "At the one rate of this run micro F1 leads positive-class F1 by 0.790" in (
        one
    )
    assert "grow" not in one


def guide_of(metrics, metric="average_precision"):
    """The guide on question 1's verdicts, as the workflow gives it them."""
    sweep = comparisons.gains_over(metrics, metric, "none", EQUIVALENCE)
    return advice.decision_guide(
        metrics, metric, "none", sweep.assign(metric=metric), EQUIVALENCE.probability
    )


def test_decision_guide_reports_agreement_disagreement_and_absence():
    parts = [
        synthetic_metrics(
            {0.2: 0.1, 0.01: 0.1}, classifier="logistic_regression", method="smote"
        ),
        synthetic_metrics(
            {0.2: 0.0, 0.01: 0.0},
            classifier="logistic_regression",
            method="class_weight",
        ),
        synthetic_metrics(
            {0.2: -0.1}, classifier="hist_gradient_boosting", method="class_weight"
        ),
        synthetic_metrics(
            {0.2: 0.1}, classifier="random_forest", method="class_weight", seed=2
        ),
    ]
    metrics = pd.concat(parts).drop_duplicates(
        ["dataset", "classifier", "method", "fold"]
    )
    guide = guide_of(metrics).set_index(["classifier", "positive_rate"])
    moderate = guide.loc[("logistic_regression", 0.2)]
    assert moderate["best"] == "smote" and moderate["advised"] == "class_weight"
    assert moderate["gain_over_baseline"] == pytest.approx(0.1, abs=0.01)
    assert (
        moderate["evidence"] == "disagrees: class_weight makes no practical difference"
    )
    assert moderate["judged"] == "class_weight" and moderate["p_equivalent"] >= 0.95
    severe = guide.loc[("logistic_regression", 0.01)]
    assert severe["evidence"].startswith("not run (smote_class_weight")
    trees = guide.loc[("hist_gradient_boosting", 0.2)]
    assert trees["best"] == "baseline"  # class weights practically worse
    assert trees["evidence"] == (
        "agrees: no method is practically better than the baseline"
    )
    forest = guide.loc[("random_forest", 0.2)]
    assert forest["evidence"] == (
        "disagrees: class_weight is practically better than the baseline"
    )


def test_the_decision_guide_agrees_only_on_evidence():
    """Scoring best is not agreement: the advised method must be practically better
    than the baseline; a win inside the noise cannot tell."""
    wins = synthetic_metrics(
        {0.2: 0.1}, classifier="logistic_regression", method="class_weight"
    )
    edge = synthetic_metrics(  # a gain on the ROPE's edge, 4 instances
        {0.2: 0.01},
        classifier="logistic_regression",
        method="class_weight",
        seed=4,
        n_instances=4,
    )
    clear = guide_of(wins).iloc[0]
    assert clear["evidence"] == (
        "agrees: class_weight is practically better than the baseline"
    )
    thin = guide_of(edge).iloc[0]
    assert thin["best"] == "class_weight"
    assert thin["evidence"] == "cannot tell: the evidence on class_weight is too thin"


def test_a_method_without_any_value_leaves_the_baselines_advice_open():
    """No threshold tuned anywhere (no value to pair, no posterior) is evidence too
    thin, not a reason to agree that no method beats the baseline."""
    metrics = synthetic_metrics(
        {0.01: 0.0}, classifier="random_forest", method="class_weight"
    )
    metrics.loc[metrics["method"] == "class_weight", "value"] = np.nan
    guide = guide_of(metrics).iloc[0]
    assert guide["advised"] == "baseline"
    assert guide["evidence"] == "cannot tell: the evidence on class_weight is too thin"


def test_a_floating_point_tie_is_not_a_win():
    metrics = synthetic_metrics(
        {0.5: 0.0}, classifier="logistic_regression", method="random_undersample"
    )
    undersampled = metrics["method"] == "random_undersample"
    base = metrics.loc[~undersampled, "value"].to_numpy()
    metrics.loc[undersampled, "value"] = base - 1e-15  # Brier: lower is better
    metrics["metric"] = "brier"
    guide = guide_of(metrics, "brier").iloc[0]
    assert guide["best"] == "baseline" and guide["gain_over_baseline"] == 0


@pytest.mark.parametrize(
    "classifier, rate, advised",
    [
        ("logistic_regression", 0.01, "smote_class_weight"),
        ("logistic_regression", 0.1, "class_weight"),
        ("logistic_regression", 0.5, "baseline"),
        ("random_forest", 0.01, "baseline"),
        ("mlp", 0.1, "focal_loss"),
        ("mlp", 0.5, "baseline"),
    ],
)
def test_the_rules_of_thumb(classifier, rate, advised):
    assert advice.rule_of_thumb(classifier, rate)[0] == advised


def test_claims_tally_support_and_contradiction():
    from imbench.findings import tally

    assert (
        tally(
            ["equivalent", "worse", "undecided"], {"equivalent", "worse"}, {"better"}
        )[0]
        == "agrees"
    )
    assert tally(["better", "equivalent"], {"equivalent"}, {"better"})[0] == "disagrees"
    assert tally(["better", "equivalent", "equivalent"], {"equivalent"}, {"better"})[
        0
    ] == ("cannot tell")
    assert tally(["undecided"] * 3, {"equivalent"}, {"better"})[0] == "cannot tell"
    assert tally([], {"equivalent"}, {"better"}) == (
        "cannot tell",
        "no cell of this run bears on it",
    )


def sweep_rows(*cells):
    """``ratio_sweep.csv`` rows from ``(classifier, method, rate, metric, verdict)``."""
    columns = ["classifier", "method", "positive_rate", "metric", "verdict"]
    return pd.DataFrame(cells, columns=columns)


def test_the_elor_claim_is_judged_at_imbalanced_rates_on_strong_classifiers():
    def claim(*cells):
        return elor_claim(sweep_rows(*cells), "tuned_f1")[0]

    tuned = "f1 @ tuned_f1"
    balanced_gain = ("random_forest", "smote", 0.5, tuned, "better")
    weak_gain = ("logistic_regression", "smote", 0.01, tuned, "better")
    no_gain = ("random_forest", "class_weight", 0.01, tuned, "equivalent")
    assert claim(no_gain, balanced_gain, weak_gain) == "agrees"
    gain = ("hist_gradient_boosting", "random_undersample", 0.05, tuned, "better")
    assert claim(no_gain, gain) == "disagrees"
    assert claim(balanced_gain) == "cannot tell"


def test_the_kovacs_claim_is_judged_at_threshold_0_5_on_its_oversamplers_only():
    """Only smote-variants' ProWSyn (by its import path, whatever the config calls
    it) counts; better balanced accuracy at 0.5 supports the claim, an equivalent
    cell refutes it, and the tuned threshold's verdicts are reported beside it."""
    from imbench import methods

    own = {
        "pw": {"sampler": "smote_variants:ProWSyn", "family": "oversampling"},
        "other": {"sampler": "smote_variants:Lee", "family": "oversampling"},
    }
    at_half = "balanced_accuracy @ default"
    with methods.ACTIVE.using({"baseline": {}, "smote": {}, **own}):

        def claim(*cells):
            return kovacs_claim(sweep_rows(*cells), "tuned_f1")

        helps = ("lightgbm", "pw", 0.01, at_half, "better")
        tuned_away = ("lightgbm", "pw", 0.01, "f1 @ tuned_f1", "equivalent")
        verdict, evidence = claim(
            helps, tuned_away, ("lr", "smote", 0.01, at_half, "worse")
        )
        assert verdict == "agrees"
        assert evidence.startswith("pw against the baseline")
        assert "better in 0, equivalent in 1, worse in 0 of 1" in evidence
        assert claim(helps, ("lr", "pw", 0.05, at_half, "equivalent"))[0] == "disagrees"
        assert claim(("lr", "pw", 0.5, at_half, "equivalent"), helps)[0] == "agrees"
        assert claim(("lr", "other", 0.01, at_half, "better"))[0] == "cannot tell"


def test_the_climb_claims_can_each_fail():
    tuned = "f1 @ tuned_f1"
    hurts = ("lr", "smote", 0.01, tuned, "worse")
    helps = ("lr", "random_undersample", 0.05, tuned, "better")
    robust = ("rf", "balanced_random_forest", 0.01, tuned, "equivalent")
    fragile = ("hgb", "undersample_ensemble", 0.05, tuned, "worse")
    naive, ensembles = climb_claims(sweep_rows(hurts, robust), "tuned_f1")
    assert naive[0] == "agrees" and ensembles[0] == "agrees"
    assert "balanced_random_forest" in ensembles[1]
    naive, ensembles = climb_claims(sweep_rows(helps, fragile), "tuned_f1")
    assert naive[0] == "disagrees" and ensembles[0] == "disagrees"
    far = ("lr", "smote", 0.5, tuned, "worse")  # above the imbalanced rates
    assert climb_claims(sweep_rows(far), "tuned_f1")[0][0] == "cannot tell"


def test_the_elkan_claim_is_non_inferiority():
    """Undecided with a small P(worse) supports it; a costlier Bayes refutes it."""

    def claim(*cells):
        rows = pd.DataFrame(cells, columns=["verdict", "n", "p_worse"])
        rows = rows.assign(
            cost_ratio=10.0, classifier="logistic_regression", method="baseline"
        )
        return elkan_claim(rows, 10.0, 0.95)[0]

    close = ("undecided", 15, 0.01)
    assert claim(close, ("equivalent", 15, 0.0)) == "agrees"
    assert claim(close, ("undecided", 15, 0.2), ("undecided", 2, 0.0)) == "cannot tell"
    assert claim(close, ("worse", 15, 0.97)) == "disagrees"


def test_the_saito_claim_asks_which_view_shows_a_difference():
    def claim(*verdicts):
        cells = [
            cell
            for i, (auc, ap) in enumerate(verdicts)
            for cell in (
                ("lr", f"m{i}", 0.01, "roc_auc", auc),
                ("lr", f"m{i}", 0.01, "average_precision", ap),
            )
        ]
        return saito_claim(sweep_rows(*cells))[0]

    assert claim(("equivalent", "worse"), ("better", "worse")) == "agrees"
    assert claim(("equivalent", "worse"), ("worse", "worse")) == "agrees"
    assert claim(("better", "equivalent"), ("better", "better")) == "disagrees"
    assert claim(("better", "better"), ("equivalent", "undecided")) == "cannot tell"


def test_a_degenerate_model_is_left_out_of_the_pairs():
    """Instances where the method's model learnt nothing are not paired; with none
    left the comparison is ``degenerate``, no verdict, and holds its rate open."""
    metrics = synthetic_metrics({0.01: 0.0, 0.5: 0.0})
    flat = (metrics["method"] == "helps") & (
        (metrics["positive_rate"] == 0.01) | metrics["dataset"].str.endswith("-0")
    )
    metrics.loc[flat, "degenerate"] = True
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    by_rate = gains.set_index("positive_rate")
    assert by_rate.loc[0.01, "verdict"] == "degenerate"
    assert np.isnan(by_rate.loc[0.01, "p_better"])
    assert by_rate.loc[0.5, "n"] == 7  # one of the 8 instances degenerate
    answer = comparisons.stops_mattering(gains).iloc[0]
    assert answer["stops_at"] == 0.5
    assert "helps degenerate" in answer["below"]
    # a degenerate model whose threshold could not be tuned has no value at all
    metrics.loc[flat & (metrics["positive_rate"] == 0.01), "value"] = np.nan
    gains = comparisons.gains_over(metrics, "average_precision", "none", EQUIVALENCE)
    assert gains.set_index("positive_rate").loc[0.01, "verdict"] == "degenerate"


def test_the_same_predictions_are_those_of_one_model_whatever_the_row_order(tmp_path):
    """Within rounding (a fit on the same rows in another order) a cell predicts what
    its baseline does; a real difference, or other samples, is another model."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from imbench.cells import same_predictions

    rng = np.random.default_rng(0)
    layout = {
        "repeat": np.zeros(6, np.int16),
        "fold": np.repeat([0, 1], 3).astype(np.int16),
        "role": ["test"] * 6,
        "split": np.full(6, -1, np.int16),
        "sample_index": np.arange(6, dtype=np.int32),
    }
    proba = rng.random(6)

    def written(name, values, **changes):
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({**layout, **changes, "proba": values}), path)
        return path

    baseline = written("baseline", proba)
    assert same_predictions(written("rounded", proba + 1e-12), baseline)
    assert not same_predictions(written("other", proba + 1e-6), baseline)
    shuffled = np.arange(6, dtype=np.int32)[::-1]
    assert not same_predictions(written("rows", proba, sample_index=shuffled), baseline)


def test_a_cell_predicting_one_value_is_degenerate():
    from imbench.cells import degenerate

    rows = pd.DataFrame(
        {
            "repeat": 0,
            "fold": [0, 0, 1, 1, 1],
            "role": ["test", "test", "test", "test", "validation"],
            "proba": [0.5, 0.5, 0.5, 0.5, 0.9],
        }
    )
    assert degenerate(rows).startswith("it predicts one value in every test fold")
    rows.loc[3, "proba"] = 0.6
    assert degenerate(rows) == ""


def test_the_rope_sensitivity_shows_which_verdicts_hang_on_the_width():
    """A gain of 1.5 ROPEs is better at the ROPE and at half of it, not at twice it;
    a gain of 10 ROPEs is better at every width."""
    metrics = synthetic_metrics({0.01: 0.015, 0.1: 0.1}, n_instances=15)
    panels = [["average_precision", "none"]]
    sensitivity = comparisons.sweep_tables(metrics, panels, EQUIVALENCE)[
        "ratio_sweep_rope"
    ]
    by_rate = sensitivity.set_index("positive_rate")
    assert by_rate.loc[0.01, ["verdict", "verdict_at_0.5x"]].tolist() == [
        "better",
        "better",
    ]
    assert (
        by_rate.loc[0.01, "verdict_at_2x"] != "better" and by_rate.loc[0.01, "changes"]
    )
    assert not by_rate.loc[0.1, "changes"]


def test_near_copies_count_once_in_verdicts_and_rankings():
    """Three instances that are one observation (``sources.observation``) weigh as
    one: the verdict, its n and its gain are those of their mean, whatever their
    number."""
    metrics = synthetic_metrics({0.1: 0.02}, n_instances=6)
    copies = [
        metrics[metrics["dataset"] == "d-0.1-0"].assign(
            dataset=f"real-{i}",
            observation="real",
            source="real",
            value=lambda f, i=i: f["value"] + 0.03 * i * (f["method"] == "helps"),
        )
        for i in range(3)
    ]
    merged = metrics[metrics["dataset"] != "d-0.1-0"]
    mean_copy = copies[0].assign(
        dataset="real",
        observation="real",
        source="real",
        value=copies[0]["value"] + 0.03 * (copies[0]["method"] == "helps"),
    )
    with_copies = pd.concat([merged, *copies], ignore_index=True)
    as_one = pd.concat([merged, mean_copy], ignore_index=True)
    judged = [
        comparisons.gains_over(frame, "average_precision", "none", EQUIVALENCE)
        for frame in (with_copies, as_one)
    ]
    pd.testing.assert_frame_equal(*(j.drop(columns="sources") for j in judged))
    assert judged[0]["n"].item() == 6
    assert judged[0]["sources"].item() == "real x1 (3 instances) + synthetic x5"
    values = comparisons.paired_values(with_copies, "average_precision", "none")
    assert values.loc[values["observation"] == "real", "instances"].item() == 3
    _, ranks = comparisons.rankings(with_copies, [["average_precision", "none"]], 0.05)
    assert set(ranks["n_observations"]) == {6}


def test_rankings_are_per_rate_and_leave_degenerate_observations_out():
    metrics = synthetic_metrics({0.01: 0.1, 0.1: 0.0}, n_instances=5)
    third = metrics[metrics["method"] == "baseline"].assign(
        method="third", value=lambda f: f["value"] - 0.2
    )
    metrics = pd.concat([metrics, third], ignore_index=True)
    flawed = (metrics["method"] == "third") & (metrics["dataset"] == "d-0.01-0")
    metrics.loc[flawed, "degenerate"] = True
    _, table = comparisons.rankings(metrics, [["average_precision", "none"]], 0.05)
    by_rate = table.groupby("positive_rate")
    assert by_rate["n_observations"].first().to_dict() == {0.01: 4, 0.1: 5}
    assert by_rate["observations_left_out"].first().to_dict() == {
        0.01: "d-0.01-0",
        0.1: "",
    }
    assert table.loc[table["positive_rate"] == 0.01, "method"].iloc[0] == "helps"


def test_a_ranking_without_a_friedman_test_has_no_critical_difference():
    metrics = synthetic_metrics({0.1: 0.1}, n_instances=5)
    _, table = comparisons.rankings(metrics, [["average_precision", "none"]], 0.05)
    assert (
        table["friedman_p"].isna().all() and table["critical_difference"].isna().all()
    )
    assert table["within_cd_of_best"].isna().all()


def test_a_source_that_reverses_a_pooled_verdict_is_named():
    """Sixteen synthetic instances gain, four instances of another source lose beyond
    the ROPE: the pooled verdict is better, and the table says which source reverses
    it and by how much; a rate with one source has no per-source rows."""
    gaining = synthetic_metrics({0.1: 0.08, 0.5: 0.08}, n_instances=16)
    losing = synthetic_metrics({0.1: -0.05}, n_instances=4, seed=1)
    losing = losing.assign(
        source="real",
        dataset=lambda f: "real-" + f["dataset"],
        observation=lambda f: f["dataset"],
    )
    metrics = pd.concat([gaining, losing], ignore_index=True)
    panel = [["average_precision", "none"]]
    tables = comparisons.sweep_tables(metrics, panel, EQUIVALENCE)
    gains, by_source = tables["ratio_sweep"], tables["ratio_sweep_sources"]
    pooled = gains.set_index("positive_rate")
    assert pooled.loc[0.1, "verdict"] == "better"
    source, gain, n = pooled.loc[0.1, "reversed_by"].split(" ", 2)
    assert (source, n) == ("real", "(n 4)")
    assert float(gain) == pytest.approx(-0.05, abs=0.005)
    assert pooled.loc[0.5, "reversed_by"] == ""
    assert list(by_source["source"]) == ["real", "synthetic"]
    assert set(by_source["positive_rate"]) == {0.1}
    assert list(by_source["verdict"]) == ["worse", "better"]


def test_the_bayes_verdict_counts_near_copies_once_and_leaves_degenerate_out():
    """Question 2's verdict pairs observations: two near-copies weigh as one, and a
    degenerate instance is no evidence; with nothing else it has no verdict."""

    def row(dataset, observation, tuned, bayes, degenerate=False):
        values = dict.fromkeys(costs.COST_COLUMNS, 0.1)
        return values | {
            "at_tuned": tuned,
            "at_bayes": bayes,
            "dataset": dataset,
            "observation": observation,
            "degenerate": degenerate,
            "classifier": "c",
            "method": "baseline",
            "positive_rate": 0.01,
            "cost_ratio": 10,
            "tuned_threshold": 0.1,
        }

    separate = [row(f"s{i}", f"s{i}", 0.1 + 0.01 * i, 0.1) for i in range(4)]
    copies = [row("r0", "r", 0.2, 0.1), row("r1", "r", 0.4, 0.1)]
    flawed = [row("g", "g", 0.5, 0.1, degenerate=True)]
    summary = costs.cost_summary(pd.DataFrame(separate + copies + flawed), EQUIVALENCE)
    as_one = costs.cost_summary(
        pd.DataFrame([*separate, row("r", "r", 0.3, 0.1)]), EQUIVALENCE
    )
    judged = ["bayes_gain_over_tuned", "n", "p_better", "verdict"]
    pd.testing.assert_frame_equal(summary[judged], as_one[judged])
    assert summary["n"].item() == 5 and summary["gain_unit"].item() == "relative"
    only_flawed = costs.cost_summary(pd.DataFrame(flawed), EQUIVALENCE)
    assert only_flawed["verdict"].item() == "degenerate"


def test_a_verdict_without_a_test_prints_as_itself():
    """identical and degenerate comparisons have no probability: findings name them,
    never as undecided."""
    from imbench.findings import verdict_text

    untested = dict.fromkeys(["p_worse", "p_equivalent", "p_better"], np.nan)
    assert verdict_text(pd.Series(untested | {"verdict": "degenerate"})) == "degenerate"
    assert verdict_text(pd.Series(untested | {"verdict": "identical"})) == "identical"
    tested = {"p_worse": 0.01, "p_equivalent": 0.98, "p_better": 0.01}
    assert verdict_text(pd.Series(tested | {"verdict": "equivalent"})) == (
        "equivalent (P = 0.98)"
    )


def test_keeping_the_baseline_agrees_when_no_method_can_be_better():
    """A method undecided between equivalent and worse (P(better) below 1 - the
    decision level) leaves no doubt that none is better: advice to keep the
    baseline agrees; with too few observations it cannot tell."""
    losing = synthetic_metrics(
        {0.5: -0.01}, classifier="random_forest", method="class_weight", seed=3
    )
    row = guide_of(losing).iloc[0]
    assert row["advised"] == "baseline" and row["p_better"] < 0.05
    sweep = comparisons.gains_over(losing, "average_precision", "none", EQUIVALENCE)
    assert sweep["verdict"].item() == "undecided"
    assert (
        row["evidence"] == "agrees: no method is practically better than the baseline"
    )
    few = losing[losing["dataset"].isin(["d-0.5-0", "d-0.5-1"])]
    assert guide_of(few).iloc[0]["evidence"].startswith("cannot tell")


def test_a_probability_below_the_decision_level_never_prints_as_reaching_it():
    assert stats.probability_text(0.9491) == "0.94"
    assert stats.probability_text(0.9959) == "0.99"
    assert stats.probability_text(0.95) == "0.95"
    assert stats.probability_text(1.0) == "1.00"
    assert stats.probability_text(np.nan) == "n/a"
    gains = comparisons.gains_over(
        synthetic_metrics({0.1: 0.0, 0.5: 0.0}, n_instances=12),
        "average_precision",
        "none",
        EQUIVALENCE,
    )
    gains["p_equivalent"] = [0.9999, 0.9959]
    answer = comparisons.stops_mattering(gains)["answer"].item()
    assert answer.endswith("(each P(equivalent) >= 0.99)")
