"""Figures, one look throughout: seaborn, a colour-blind-safe palette, the same colour
and dash pattern for the same method everywhere, sized for a single paper column.

The style helpers come first, then one function per figure the steps draw; each takes
computed data (never files) and the paths to save to.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from imbench.costs import bayes_threshold
from imbench.io import atomic_path
from imbench.methods import METHODS
from imbench.names import label
from imbench.stats import t_interval
from imbench.tables import write_note

COLUMN_WIDTH = 3.5  # inches, a single column of a two-column paper
_PALETTE = sns.color_palette("colorblind", 10)
_DASHES = [(None, None), (4, 2), (1, 1.5)]
NO_RESULTS = (
    "no results to show: no cell this analysis needs ran (results/tables/cells.csv "
    "says why)"
)
# one model, against the ensemble's own colour: black for the baseline, grey for
# one undersampled model (the method palette gives it the ensemble's colour)
REFERENCE_COLOURS = {"baseline": "black", "random_undersample": "grey"}
REFERENCE = {"color": "grey", "lw": 0.8, "ls": ":"}  # random scorer, calibration


def method_style(method):
    """Colour and dash pattern of ``method``, fixed by its place in the registry."""
    index = list(METHODS).index(method) if method in METHODS else len(METHODS)
    return _PALETTE[index % 10], _DASHES[(index // 10) % len(_DASHES)]


def method_label(method):
    """``method`` as legends show it, marked where it is not its baseline plus one
    change (another model family: no setting turns it into the baseline)."""
    entry = METHODS.get(method)
    return (
        f"{method} (other model family)" if entry and entry.neutral is None else method
    )


def panel_grid(rows, columns, sharex=True):
    """A figure of ``rows`` x ``columns`` panels in the common style."""
    sns.set_theme(context="paper", style="whitegrid", font_scale=0.8)
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(COLUMN_WIDTH * max(1, columns / 1.5), 2.2 * rows + 0.8),
        squeeze=False,
        sharex=sharex,
    )
    return figure, axes


def draw_method(axis, x, y, method, low=None, high=None):
    """One method's line, with its 95% band when given."""
    colour, dashes = method_style(method)
    (line,) = axis.plot(x, y, color=colour, label=method_label(method), lw=1.2)
    if dashes[0] is not None:
        line.set_dashes(dashes)
    if low is not None:
        axis.fill_between(x, low, high, color=colour, alpha=0.15, lw=0)


def save(figure, paths, title=None):
    """Save the same figure to every path (PDF and PNG), with one legend of every
    labelled line below the panels."""
    entries = {}
    for axis in figure.axes:
        for handle, name in zip(*axis.get_legend_handles_labels(), strict=True):
            entries.setdefault(name, handle)
    rows = -(-len(entries) // 3)
    if entries:
        figure.legend(
            entries.values(),
            entries.keys(),
            loc="lower center",
            ncol=3,
            frameon=False,
            fontsize=6,
        )
    if title:
        figure.suptitle(title, fontsize=7)
    figure.tight_layout(rect=(0, (0.2 + 0.13 * rows) / figure.get_figheight(), 1, 1))
    for path in paths:
        kind = Path(path).suffix.lstrip(".")
        metadata = {"CreationDate": None} if kind == "pdf" else None
        with atomic_path(path) as partial:
            figure.savefig(partial, format=kind, dpi=200, metadata=metadata)
    plt.close(figure)


def rate_axis(axis, rates):
    """A log axis of positive rates, ticked at the rates that were run."""
    rates = sorted(set(rates))
    axis.set_xscale("log")
    axis.set_xticks(rates, [f"{rate:g}" for rate in rates], fontsize=6)
    axis.minorticks_off()


MIN_SPAN = 0.05  # a panel's y-axis spans at least this: small gaps look small


def min_span(axis):
    """Widen ``axis``'s y-limits to ``MIN_SPAN`` around their middle."""
    low, high = axis.get_ylim()
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        axis.set_ylim(middle - MIN_SPAN / 2, middle + MIN_SPAN / 2)


def mean_band(values):
    """Mean and 95% t-interval of instance means (column ``value``), per positive
    rate."""
    grouped = values.groupby("positive_rate")["value"]
    bands = [t_interval(group) for _, group in grouped]
    low, high = (np.array(side) for side in zip(*bands, strict=True))
    return grouped.mean(), (low, high)


def ratio_sweep(means_by_panel, classifiers, paths):
    """Question 1: one row per (metric, rule) panel, one column per classifier, each
    method's mean over instances against the positive rate with its 95% band.

    ``means_by_panel`` maps ``(metric, rule)`` to instance means (see
    ``tables.instance_means``)."""
    figure, axes = panel_grid(len(means_by_panel), len(classifiers))
    for row, ((metric, rule), means) in enumerate(means_by_panel.items()):
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            for method, values in means[means["classifier"] == classifier].groupby(
                "method"
            ):
                mean, band = mean_band(values)
                draw_method(axis, mean.index, mean, method, band[0], band[1])
            rate_axis(axis, means["positive_rate"])
            axis.set_ylim(-0.02, 1.02)  # every panel's metric lies in [0, 1]
            if row == 0:
                axis.set_title(classifier, fontsize=7)
            axis.set_ylabel(label(metric, rule), fontsize=7)
            if metric == "average_precision":  # a random scorer's AP is the rate
                rates = np.array(sorted(means["positive_rate"].unique()))
                axis.plot(rates, rates, color="grey", lw=0.8, ls=":")
    for axis in axes[-1]:
        axis.set_xlabel("positive rate")
    save(figure, paths)


def cost_curves(curves, tuned_at, ratio, paths):
    """Question 2: mean expected cost against the threshold per method, one panel per
    rate and classifier, a marker at each method's mean threshold tuned on training
    data, the Bayes threshold and 0.5 marked."""
    mean = curves.groupby(
        ["positive_rate", "classifier", "method", "threshold"], as_index=False
    )["cost"].mean()
    rates = sorted(mean["positive_rate"].unique())
    classifiers = sorted(mean["classifier"].unique())
    figure, axes = panel_grid(len(rates), len(classifiers))
    for row, rate in enumerate(rates):
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            chosen = mean[
                (mean["positive_rate"] == rate) & (mean["classifier"] == classifier)
            ]
            for method, line in chosen.groupby("method"):
                draw_method(axis, line["threshold"], line["cost"], method)
                threshold = tuned_at.get((rate, classifier, method), np.nan)
                if not np.isnan(threshold):
                    axis.plot(
                        threshold,
                        np.interp(threshold, line["threshold"], line["cost"]),
                        marker="o",
                        markersize=3,
                        color=method_style(method)[0],
                    )
            axis.axvline(0.5, color="grey", lw=0.6, ls=":")
            axis.axvline(bayes_threshold(ratio), color="black", lw=0.6, ls="--")
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=7)
            axis.set_ylabel(f"cost per sample (FN = {ratio:g} FP)", fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel("threshold")
    save(
        figure,
        paths,
        f"dashed: Bayes threshold 1/(1+{ratio:g}); dotted: 0.5; "
        "dots: thresholds tuned on training data",
    )


def ensemble_sizes(curves, references, panels, paths):
    """Question 3: each panel metric of the ensemble of the first k members against k,
    one row per classifier and metric, one column per rate, with one model of each
    reference method as a dashed line.

    ``references`` maps a panel metric to the instance means of its rows."""
    rates = sorted(curves["positive_rate"].unique())
    classifiers = sorted(curves["classifier"].unique())
    figure, axes = panel_grid(len(panels) * len(classifiers), len(rates))
    rows = [(c, panel) for c in classifiers for panel in panels]
    for index, (classifier, (metric, rule)) in enumerate(rows):
        for column, rate in enumerate(rates):
            axis = axes[index, column]
            chosen = curves[
                (curves["positive_rate"] == rate) & (curves["classifier"] == classifier)
            ]
            line = chosen.groupby("members")[metric].mean()
            draw_method(axis, line.index, line, "undersample_ensemble")
            means = references[metric]
            for name in ("baseline", "random_undersample"):
                reference = means[
                    (means["positive_rate"] == rate)
                    & (means["classifier"] == classifier)
                    & (means["method"] == name)
                ]
                if len(reference):
                    axis.axhline(
                        reference["value"].mean(),
                        color=REFERENCE_COLOURS[name],
                        lw=1.0,
                        ls=":",
                        label=f"{name} (one model)",
                    )
            min_span(axis)
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=6)
            axis.set_ylabel(label(metric, rule), fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel("ensemble members")
    save(figure, paths)


def f1_averages(means_by_average, classifiers, paths):
    """Question 4: each F1 average at 0.5 against the rate, per method, one row per
    classifier and one column per average."""
    figure, axes = panel_grid(len(classifiers), len(means_by_average))
    for row, classifier in enumerate(classifiers):
        for column, (average, means) in enumerate(means_by_average.items()):
            axis = axes[row, column]
            for method, values in means[means["classifier"] == classifier].groupby(
                "method"
            ):
                mean, _ = mean_band(values)
                draw_method(axis, mean.index, mean, method)
            rate_axis(axis, means["positive_rate"])
            axis.set_ylim(-0.02, 1.02)  # the four averages on one scale
            axis.set_title(f"{average} @ 0.5, {classifier}", fontsize=7)
            axis.set_ylabel("F1 at threshold 0.5", fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel("positive rate")
    save(figure, paths)


def curve_panels(curves, paths, xlabel, ylabel, reference):
    """One panel per positive rate (rows) and classifier (columns), the mean curve of
    each method in it. ``curves`` maps ``(rate, classifier, method)`` to ``(x, ys)``;
    ``reference`` is ``(label, y(x, rate))``, the dotted line drawn in each panel."""
    rates = sorted({key[0] for key in curves})
    classifiers = sorted({key[1] for key in curves})
    figure, axes = panel_grid(len(rates), len(classifiers))
    for (rate, classifier, method), (x, ys) in sorted(curves.items()):
        axis = axes[rates.index(rate), classifiers.index(classifier)]
        draw_method(axis, x, np.mean(ys, axis=0), method)
    name, line = reference
    for row, rate in enumerate(rates):
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            axis.plot([0, 1], line(np.array([0, 1]), rate), **REFERENCE, label=name)
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=7)
            axis.set_ylabel(ylabel, fontsize=7)
            axis.set_xlim(0, 1)
            axis.set_ylim(0, 1.02)
    for axis in axes[-1]:
        axis.set_xlabel(xlabel)
    save(figure, paths)


def critical_differences(rankings, paths, alpha):
    """Critical-difference diagrams, one row per ranking (``title -> Ranking``) that
    has a Friedman test."""
    from scikit_posthocs import critical_difference_diagram

    drawn = {t: r for t, r in rankings.items() if not np.isnan(r.friedman_p)}
    figure, axes = panel_grid(max(1, len(drawn)), 1, sharex=False)
    figure.set_size_inches(2 * COLUMN_WIDTH, 1.8 * len(drawn) + 0.8)
    for axis, (title, ranking) in zip(axes[:, 0], drawn.items(), strict=False):
        critical_difference_diagram(
            ranking.ranks,
            ranking.pairwise_p,
            cd=ranking.cd,
            alpha=alpha,
            ax=axis,
            color_palette={m: method_style(m)[0] for m in ranking.ranks.index},
            label_props={"fontsize": 6},
        )
        for text in axis.texts:  # its label collides with the ticks: in the title
            if text.get_text().startswith("CD ="):
                text.remove()
        axis.set_title(
            f"{title} (N = {ranking.n}, Friedman p = {ranking.friedman_p:.2g}, "
            f"critical difference = {ranking.cd:.2g}: the bar at top)",
            fontsize=7,
            pad=14,
        )
    if not drawn:
        axes[0, 0].set_axis_off()
        axes[0, 0].text(
            0.5, 0.5, "no classifier ran three or more methods", ha="center"
        )
    save(
        figure,
        paths,
        f"mean rank (1 = best); bars join methods the Nemenyi test (alpha {alpha:g}) "
        "cannot separate",
    )


def note(paths, text):
    """A figure that only says ``text``: what an analysis draws when it has nothing
    to show."""
    figure, axes = panel_grid(1, 1)
    axes[0, 0].set_axis_off()
    axes[0, 0].text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=8)
    save(figure, paths)


def nothing_to_show(output, why=NO_RESULTS):
    """Every output of a step, figures and tables, written empty and saying why."""
    paths = [Path(p) for value in output.values() for p in _as_list(value)]
    note([p for p in paths if p.suffix in (".pdf", ".png")], why)
    tables = {p.with_suffix("") for p in paths if p.suffix in (".csv", ".md", ".tex")}
    for stem in sorted(tables):
        write_note(stem, why)


def _as_list(value):
    return [value] if isinstance(value, str | Path) else list(value)
