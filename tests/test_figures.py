"""Figures drawn from small computed inputs: what each panel shows, read off the
matplotlib objects before they are saved."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection

from imbench import figures

from .conftest import REPO

matplotlib.use("Agg")


@pytest.fixture
def drawn(monkeypatch):
    """The figures the next drawing saves, with their titles, instead of files."""
    saved = []
    monkeypatch.setattr(
        figures, "save", lambda figure, paths, title=None: saved.append((figure, title))
    )
    return saved


def cost_curve_rows(rate, classifier, floor):
    grid = np.linspace(0, 1, 101)
    cost = floor + (grid - 0.2) ** 2  # cheapest at 0.2
    return pd.DataFrame(
        {
            "threshold": grid,
            "cost": cost,
            "positive_rate": rate,
            "classifier": classifier,
            "method": "baseline",
        }
    )


def test_the_cost_figure_has_a_panel_per_rate_zoomed_to_the_constant_prediction(drawn):
    rates = [0.01, 0.05, 0.1, 0.25, 0.5]
    curves = pd.concat(
        [
            cost_curve_rows(rate, classifier, floor=rate)
            for rate in rates
            for classifier in ("logistic_regression", "mlp")
        ]
    )
    constant = pd.Series({rate: min(10 * rate, 1 - rate) for rate in rates})
    tuned = {(0.01, "mlp", "baseline"): 0.2}
    figures.cost_curves(curves, tuned, constant, 10.0, [])
    ((figure, _),) = drawn
    panels = [axis for axis in figure.axes if axis.get_visible()]
    assert len(panels) == len(rates)
    for axis, rate in zip(panels, rates, strict=True):
        assert axis.get_title() == f"rate {rate:g}"
        low, high = axis.get_ylim()
        assert low == 0 and constant[rate] < high <= 1.25 * constant[rate] + 1e-12
        labels = axis.get_legend_handles_labels()[1]
        assert {"logistic_regression", "mlp", "constant prediction"} <= set(labels)
        assert "threshold 0.5" in labels and "Bayes threshold 1/(1+10)" in labels
    dots = [line for line in panels[0].lines if line.get_marker() == "o"]
    assert len(dots) == 1 and dots[0].get_xdata()[0] == 0.2


def sweep_gains(*rows):
    columns = ["classifier", "method", "positive_rate", "gain", "verdict"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(
        ci_low=frame["gain"] - 0.01,
        ci_high=frame["gain"] + 0.01,
        rope=0.01,
        gain_unit="absolute",
        sources="synthetic",
    )


def test_the_sweep_has_no_row_that_is_zero_by_construction(drawn):
    """Threshold methods are the baseline under a ranking metric: no row of their
    own; a degenerate comparison is marked at zero rather than left out."""
    gains = sweep_gains(
        ("lr", "smote", 0.01, np.nan, "degenerate"),
        ("lr", "smote", 0.5, 0.002, "equivalent"),
        ("lr", "threshold_f1", 0.01, 0.0, "identical"),
        ("lr", "threshold_f1", 0.5, 0.0, "identical"),
    )
    figures.ratio_sweep(gains, "average_precision", [])
    ((figure, _),) = drawn
    assert len(figure.axes) == 1  # the oversampling row only
    assert figure.axes[0].get_ylabel() == "oversampling\ngain"
    squares = [
        line
        for line in figure.axes[0].lines
        if line.get_marker() == "s" and len(line.get_xdata())
    ]
    assert [list(s.get_xdata()) for s in squares] == [[0.01]]
    assert list(squares[0].get_ydata()) == [0.0]
    legend = figure.axes[0].get_legend_handles_labels()[1]
    assert "degenerate" in legend and "identical" not in legend  # none drawn


def bars_whole(figure):
    """Whether every panel of ``figure`` shows its interval bars whole, and no band."""
    for axis in figure.axes:
        low, high = axis.get_ylim()
        for collection in axis.collections:
            if isinstance(collection, PolyCollection):
                return False
            if isinstance(collection, LineCollection):
                ends = np.concatenate([s[:, 1] for s in collection.get_segments()])
                if ends.min() < low or ends.max() > high:
                    return False
    return True


def test_the_published_pooled_sweep_shows_every_interval_whole(drawn):
    """The real collection pooled over its tiers (one rate, five classifiers sharing
    the x-axis): every bar lies inside its panel."""
    table = REPO / "docs/results/real/pooled/tables/ratio_sweep.csv"
    gains = pd.read_csv(table).query("metric == 'f1 @ tuned_f1'")
    figures.ratio_sweep(gains, "f1 @ tuned_f1", [])
    ((figure, _),) = drawn
    assert len(figure.axes) >= 20 and bars_whole(figure)


def test_a_sweep_at_one_rate_draws_each_interval_as_a_bar(drawn):
    """A pooled collection has one rate, where a shaded band has no width: each
    method's 95% interval is a bar from its low to its high end instead."""
    gains = sweep_gains(
        *[
            (classifier, method, 0.066, 0.03 + shift, "undecided")
            for classifier, shift in (("lr", 0), ("mlp", -0.2), ("rf", 0.1), ("x", 0.2))
            for method in ("smote", "class_weight", "random_undersample")
        ],
        ("lr", "random_oversample", 0.066, -0.02, "equivalent"),
    )
    gains["ci_low"] -= 0.3  # wide intervals, beyond the points
    figures.ratio_sweep(gains, "f1", [])
    ((figure, _),) = drawn
    oversampling = figure.axes[4]  # the second row's first panel: lr
    assert oversampling.get_ylabel() == "oversampling\ngain"
    bars = [c for c in oversampling.collections if isinstance(c, LineCollection)]
    ends = sorted(
        tuple(np.round(seg[:, 1], 6)) for b in bars for seg in b.get_segments()
    )
    assert ends == [(-0.33, -0.01), (-0.28, 0.04)]
    assert bars_whole(figure)
    several = sweep_gains(
        ("lr", "smote", 0.01, 0.03, "undecided"),
        ("lr", "smote", 0.5, 0.0, "equivalent"),
    )
    figures.ratio_sweep(several, "f1", [])
    axis = drawn[-1][0].axes[0]
    assert not [c for c in axis.collections if isinstance(c, LineCollection)]
    assert [c for c in axis.collections if isinstance(c, PolyCollection)]


def test_reliability_is_on_log_odds_axes_with_the_headline_methods(drawn):
    methods = ["baseline", "class_weight", "smote", "adasyn", "borderline_smote"]
    bins = (
        np.array([0.002, 0.01, 0.2]),
        np.array([0.0, 0.02, 0.1]),
        np.array([0, 3, 9]),
    )
    diagrams = {(0.01, "lr", method): bins for method in methods}
    figures.reliability(diagrams, [], "title")
    ((figure, _),) = drawn
    (axis,) = figure.axes
    assert axis.get_xscale() == axis.get_yscale() == "logit"
    labels = axis.get_legend_handles_labels()[1]
    assert labels == ["baseline", "class_weight", "smote", "calibrated"]
    assert "fewest positives\nin a bin: 0" in [text.get_text() for text in axis.texts]
    floor = axis.lines[0].get_ydata()[0]
    assert floor == figures.LOGIT_LIMITS[0]  # a bin without positives, on the floor
    figures.reliability(diagrams, [], "title", degenerate={(0.01, "lr", "smote")})
    texts = [text.get_text() for text in drawn[1][0].axes[0].texts]
    assert "learnt nothing:\nsmote" in texts  # a model that learnt nothing, named


def test_the_four_f1_averages_share_a_panel_per_classifier(drawn):
    rows = [
        {"classifier": c, "method": m, "positive_rate": r, "value": v}
        for c in ("lr", "mlp")
        for m in ("baseline", "smote")
        for r, v in ((0.01, 0.2), (0.5, 0.8))
    ]
    means = {average: pd.DataFrame(rows) for average in figures.AVERAGE_STYLES}
    figures.f1_averages(means, [])
    ((figure, _),) = drawn
    panels = [axis for axis in figure.axes if axis.get_visible()]
    assert [axis.get_title() for axis in panels] == ["lr, baseline", "mlp, baseline"]
    for axis in panels:
        labels = axis.get_legend_handles_labels()[1]
        assert labels == ["f1 (positive class)", "f1_macro", "f1_weighted", "f1_micro"]


def test_the_ensemble_figure_sets_the_full_ensemble_against_one_model_by_rate(
    drawn, monkeypatch
):
    # a config of many methods: the palette gives every method the same grey
    monkeypatch.setattr(figures, "method_style", lambda method: ("grey", (None, None)))
    curves = pd.DataFrame(
        [
            {
                "classifier": "lr",
                "positive_rate": r,
                "dataset": f"d{r}-{i}",
                "members": k,
                "average_precision": 0.1 * k + r,
            }
            for r in (0.01, 0.5)
            for i in range(3)
            for k in (1, 2, 3)
        ]
    )
    references = pd.DataFrame(
        [
            {"classifier": "lr", "method": m, "positive_rate": r, "value": v + r}
            for r in (0.01, 0.5)
            for m, v in (("baseline", 0.2), ("random_undersample", 0.1))
        ]
    )
    panels = [("average_precision", "none")]
    figures.ensembles(curves, {"average_precision": references}, panels, [])
    ((figure, title),) = drawn
    (axis,) = figure.axes
    labels = axis.get_legend_handles_labels()[1]
    assert labels == [
        "ensemble of 3",
        "baseline (one model)",
        "random_undersample (one model)",
    ]
    ensemble = axis.lines[0]
    np.testing.assert_allclose(ensemble.get_ydata(), [0.31, 0.8])  # 3 members only
    assert "ensemble_sizes.csv" in title
    # three colours, whatever the method palette gives the ensemble
    colours = [tuple(matplotlib.colors.to_rgb(line.get_color())) for line in axis.lines]
    assert len(set(colours)) == 3


def test_the_legend_stays_inside_a_narrow_figure(tmp_path):
    """Two panels wide, the ensemble figure's three labels overflow three columns:
    the legend takes fewer columns and stays inside the figure."""
    figure, axes = figures.panel_grid(1, 2)
    for method in ("baseline", "random_undersample"):
        axes[0, 0].plot([0, 1], [0, 1], label=f"{method} (one model)")
    axes[0, 1].plot([0, 1], [1, 0], label="ensemble of 10")
    figures.save(figure, [tmp_path / "narrow.png"])
    (legend,) = figure.legends
    box = legend.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width
    assert box.y0 >= 0
