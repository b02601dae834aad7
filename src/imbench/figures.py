"""Figures, one look throughout: seaborn, a colour-blind-safe palette, the same colour
and dash pattern for the same method everywhere, sized for a single paper column.

The style helpers come first, then one function per figure the steps draw; each takes
computed data (never files) and the paths to save to.
"""

import itertools
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from imbench import classifiers
from imbench.costs import bayes_threshold
from imbench.io import atomic_path
from imbench.methods import FAMILIES, active
from imbench.names import label
from imbench.stats import t_interval

COLUMN_WIDTH = 3.5  # inches, a single column of a two-column paper
PAGE_WIDTH = 6.7  # inches, an A4 page's text width: no figure is wider
TEXT = 7  # points, the smallest text a figure has at its printed size
# seaborn's colour-blind palette, reordered so that the methods one panel shows
# together (a family in registry order, or the curves' headline methods) never get
# close hues: orange and vermillion, pink and light pink, blue and sky blue are
# never in one family
_PALETTE = [
    sns.color_palette("colorblind", 10)[i] for i in (0, 1, 2, 4, 9, 5, 7, 6, 8, 3)
]
_DASHES = [(None, None), (4, 2), (1, 1.5)]
# the ensemble figure's three lines, alike in every run: the ensemble green, one
# model black (the baseline) or grey (one undersampled model); the method palette
# can give the ensemble grey when a config runs many methods
REFERENCE_COLOURS = {
    "undersample_ensemble": _PALETTE[2],
    "baseline": "black",
    "random_undersample": "grey",
}
REFERENCE = {"color": "grey", "lw": 0.8, "ls": ":"}  # random scorer, calibration


def method_style(method):
    """Colour and dash pattern of ``method``: black for the baseline, the reference
    of every comparison; the others fixed by their place in the registry."""
    if method == "baseline":
        return "black", _DASHES[0]
    handling = [name for name in active() if name != "baseline"]
    index = handling.index(method) if method in handling else len(handling)
    return _PALETTE[index % 10], _DASHES[(index // 10) % len(_DASHES)]


def method_label(method):
    """``method`` as legends show it, marked where it is not its baseline plus one
    change (another model family: no setting turns it into the baseline)."""
    entry = active().get(method)
    return (
        f"{method} (other model family)"
        if entry and entry.neutral.other_family
        else method
    )


MAX_LINES = 5  # methods a panel shows beside the baseline: more cannot be followed
FAMILY_ORDER = (*FAMILIES, "other")  # "other": a plug-in's unless it says


def method_groups(methods):
    """``methods`` (the baseline left out) in groups of at most ``MAX_LINES``, one
    group per panel: whole families together where they fit, in registry order."""
    handling = _registry_order(methods)
    groups, current = [], []
    for family in FAMILY_ORDER:
        members = [m for m in handling if _family(m) == family]
        if current and len(current) + len(members) > MAX_LINES:
            groups.append(current)
            current = []
        while len(members) > MAX_LINES:
            groups.append(members[:MAX_LINES])
            members = members[MAX_LINES:]
        current += members
    return [*groups, current] if current or not groups else groups


def family_rows(methods):
    """``(family, methods)`` of each row of a figure with a row per family: the
    methods among ``methods`` (the baseline left out) of each family in registry
    order, a family of more than ``MAX_LINES`` over several rows."""
    rows = []
    for family in FAMILY_ORDER:
        members = [m for m in _registry_order(methods) if _family(m) == family]
        rows += [
            (family, members[i : i + MAX_LINES])
            for i in range(0, len(members), MAX_LINES)
        ]
    return rows


def _registry_order(methods):
    """The methods among ``methods`` but the baseline, in registry order."""
    order = list(active())
    return sorted(
        (m for m in set(methods) if m != "baseline"),
        key=lambda m: (order.index(m) if m in order else len(order), m),
    )


def panel_columns(methods_by_classifier):
    """(classifier, families, methods) of each column: a classifier's methods split
    into ``method_groups``, each with the baseline as reference; ``families`` names
    the group's families where a classifier has several groups, else is empty."""
    columns = []
    for classifier in sorted(methods_by_classifier):
        methods = set(methods_by_classifier[classifier])
        groups = method_groups(methods)
        for group in groups:
            families = ", ".join(dict.fromkeys(_family(m) for m in group))
            shown = [*(["baseline"] if "baseline" in methods else []), *group]
            columns.append((classifier, families if len(groups) > 1 else "", shown))
    return columns


def panel_title(axis, classifier, families, detail):
    """A panel's title: classifier and ``detail``, its families on a second line."""
    title = f"{classifier}, {detail}" + (f"\n{families}" if families else "")
    axis.set_title(title, fontsize=TEXT)


def panel_grid(rows, columns, sharex=True):
    """A figure of ``rows`` x ``columns`` panels in the common style, no wider than
    the page, so that it prints at its size."""
    sns.set_theme(context="paper", style="whitegrid", font_scale=0.8)
    width = min(PAGE_WIDTH, COLUMN_WIDTH * max(1, columns / 1.5))
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(width, (0.75 * width / columns + 0.6) * rows + 0.8),
        squeeze=False,
        sharex=sharex,
    )
    return figure, axes


def draw_line(axis, x, y, style, **options):
    """A line in ``style`` (colour, dash pattern: ``method_style``)."""
    colour, dashes = style
    (line,) = axis.plot(x, y, color=colour, **options)
    if dashes[0] is not None:
        line.set_dashes(dashes)


def draw_band(axis, x, low, high, colour):
    """A 95% band from ``low`` to ``high`` over rates ``x``; at a single rate (a
    pooled collection), where a shaded band would have no width, a bar."""
    if len(x) == 1:
        axis.vlines(x, low, high, color=colour, alpha=0.35, lw=3)
    else:
        axis.fill_between(x, low, high, color=colour, alpha=0.15, lw=0)


def draw_method(axis, x, y, method, low=None, high=None):
    """One method's line, with its 95% band when given."""
    colour, _ = style = method_style(method)
    draw_line(axis, x, y, style, label=method_label(method), lw=1.2)
    if low is not None:
        draw_band(axis, x, low, high, colour)


def save(figure, paths, title=None):
    """Save the same figure to every path (PDF and PNG), with one legend of every
    labelled line below the panels."""
    entries = {}
    for axis in figure.axes:
        for handle, name in zip(*axis.get_legend_handles_labels(), strict=True):
            entries.setdefault(name, handle)
    columns = 3
    for columns in (3, 2, 1) if entries else ():  # as many as the width holds
        legend = figure.legend(
            entries.values(),
            entries.keys(),
            loc="lower center",
            ncol=columns,
            frameon=False,
            fontsize=TEXT,
        )
        if columns == 1 or legend.get_window_extent().width <= figure.bbox.width:
            break
        legend.remove()
    rows = -(-len(entries) // columns)
    if title:  # wrapped to the figure's width: about 15 characters of 8 pt an inch
        width = int(15 * figure.get_figwidth())
        lines = (textwrap.fill(line, width) for line in title.split("\n"))
        figure.suptitle("\n".join(lines), fontsize=TEXT + 1)
    figure.tight_layout(rect=(0, (0.2 + 0.13 * rows) / figure.get_figheight(), 1, 1))
    for path in paths:
        kind = Path(path).suffix.lstrip(".")
        metadata = {"CreationDate": None} if kind == "pdf" else None
        with atomic_path(path) as partial:
            figure.savefig(partial, format=kind, dpi=200, metadata=metadata)
    plt.close(figure)


RATE_LABEL = "positive rate (%)"  # percent ticks: 0.05 and 0.1 would run together


def rate_axis(axis, rates):
    """A log axis of positive rates, ticked in percent at the rates that were run, to
    two significant digits (a real collection's tiers sit at rates such as 0.0134,
    whose four digits would run into the next tick)."""
    rates = sorted(set(rates))
    axis.set_xscale("log")
    if len(rates) == 1:  # a pooled collection: else the shared x-axis has no width
        axis.set_xlim(rates[0] / 2, rates[0] * 2)  # and nothing drawn widens the y-axis
    axis.set_xticks(rates, [f"{100 * rate:.2g}" for rate in rates], fontsize=TEXT)
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


NO_VERDICT = ("identical", "degenerate")  # in the legend only when drawn
VERDICT_MARKERS = {  # how a point's practical verdict is drawn
    "better": {"marker": "^", "fillstyle": "full"},
    "worse": {"marker": "v", "fillstyle": "full"},
    "equivalent": {"marker": "o", "fillstyle": "none"},
    "undecided": {"marker": "x", "fillstyle": "full"},
    "identical": {"marker": "_", "fillstyle": "full"},  # the baseline: no test
    "degenerate": {"marker": "s", "fillstyle": "none"},  # a model that learnt nothing
}


def ratio_sweep(gains, title, paths):
    """Question 1, one metric: each method's paired gain over the baseline against
    the positive rate, one row per method family (at most five methods a panel) and
    one column per classifier, with its 95% band, the region of practical
    equivalence shaded around zero and each point's verdict as its marker.

    ``gains`` is ``comparisons.gains_over``'s table for the metric, its gains in the
    ROPE's unit (``gain_unit``: fractions of the baseline's value for the losses).
    Rates whose instances pool several sources are named under the panels. A family
    whose every comparison is identical to the baseline by construction (a
    threshold method under a ranking metric) has no row: it would be zero
    throughout. A degenerate comparison has no gain: its line breaks there, and
    its marker is on the zero line."""
    if gains.empty:
        return note(paths, f"{title}: no method ran beside the baseline")
    family_of = gains["method"].map(_family)
    informative = gains[gains["verdict"] != "identical"]
    shown = set(informative["method"].map(_family))
    rows = family_rows(gains.loc[family_of.isin(shown), "method"])
    if not rows:
        return note(paths, f"{title}: every method is the baseline's by construction")
    classifiers = sorted(gains["classifier"].unique())
    figure, axes = panel_grid(len(rows), len(classifiers))
    rope = gains["rope"].iloc[0]
    for row, (family, members) in enumerate(rows):
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            if row == 0:
                axis.set_title(classifier, fontsize=TEXT)
            if column == 0:
                axis.set_ylabel(f"{family}\ngain", fontsize=TEXT)
            chosen = gains[
                (gains["classifier"] == classifier) & gains["method"].isin(members)
            ]
            rate_axis(axis, gains["positive_rate"])
            if chosen.empty:
                axis.grid(False)
                axis.tick_params(left=False, labelleft=False)
                axis.text(
                    0.5,
                    0.5,
                    "not run",
                    ha="center",
                    va="center",
                    fontsize=TEXT,
                    transform=axis.transAxes,
                )
                continue
            axis.axhspan(-rope, rope, color="grey", alpha=0.2, lw=0)
            axis.axhline(0, color="grey", lw=0.6)
            for method, line in chosen.groupby("method"):
                line = line.sort_values("positive_rate")
                band = line["ci_low"], line["ci_high"]
                draw_method(axis, line["positive_rate"], line["gain"], method, *band)
                for verdict, points in line.groupby("verdict"):
                    axis.plot(
                        points["positive_rate"],
                        0.0 if verdict == "degenerate" else points["gain"],
                        ls="none",
                        markersize=3.5,
                        color=method_style(method)[0],
                        **VERDICT_MARKERS[verdict],
                    )
            min_span(axis)
    for axis in axes[-1]:
        axis.set_xlabel(RATE_LABEL)
    drawn = set(gains.loc[family_of.isin(shown), "verdict"])
    for verdict, style in VERDICT_MARKERS.items():
        if verdict in drawn or verdict not in NO_VERDICT:
            # on the last panel: the legend lists every method before the markers
            axes[-1, -1].plot([], [], ls="none", color="black", label=verdict, **style)
    unit = gains["gain_unit"].iloc[0]
    pooled = gains.drop_duplicates("positive_rate").sort_values("positive_rate")
    pooled = pooled[pooled["sources"].str.contains(r"\+", regex=True)]
    pooled = "; ".join(
        f"{r:g}: {s}" for r, s in pooled[["positive_rate", "sources"]].values
    )
    save(
        figure,
        paths,
        f"{title}: gain over the baseline ({unit}); grey band: practically "
        f"equivalent (ROPE +/-{rope:g})"
        + (f"\nsources pooled at rate {pooled}" if pooled else ""),
    )


def _family(method):
    entry = active().get(method)
    return entry.shown.family if entry else "other"


def classifier_colour(classifier):
    """A classifier's colour where one panel shows several classifiers: fixed by its
    place in the registry."""
    order = list(classifiers.active())
    index = order.index(classifier) if classifier in order else len(order)
    return _PALETTE[index % len(_PALETTE)]


CONSTANT = {"color": "#d55e00", "lw": 1.0, "ls": "-."}  # the trivial reference
COST_PANELS = 3  # panels a row of the cost figure holds


def cost_curves(curves, tuned_at, constant, ratio, paths):
    """Question 2: each classifier's baseline, mean expected cost against the
    threshold, one panel per rate; a dot at its mean threshold tuned on training
    data, the Bayes threshold and 0.5 drawn across, and the cost of the cheaper
    constant prediction (``constant``, by rate) as the line a model must stay under.
    The y-axis stops a little above that line: a threshold costing more is worse
    than no model. ``curves``: the baselines' fold cost curves."""
    mean = curves.groupby(["positive_rate", "classifier", "threshold"], as_index=False)[
        "cost"
    ].mean()
    rates = sorted(mean["positive_rate"].unique())
    columns = min(COST_PANELS, len(rates))
    rows = -(-len(rates) // columns)
    figure, axes = panel_grid(rows, columns, sharex=False)
    for axis in axes.flat[len(rates) :]:
        axis.set_visible(False)
    for axis, rate in zip(axes.flat, rates, strict=False):
        at_rate = mean[mean["positive_rate"] == rate]
        for classifier, line in at_rate.groupby("classifier"):
            colour = classifier_colour(classifier)
            axis.plot(
                line["threshold"], line["cost"], color=colour, lw=1.2, label=classifier
            )
            threshold = tuned_at.get((rate, classifier, "baseline"), np.nan)
            if not np.isnan(threshold):
                cost = np.interp(threshold, line["threshold"], line["cost"])
                axis.plot(threshold, cost, marker="o", markersize=3.5, color=colour)
        trivial = constant.get(rate, np.nan)
        axis.axhline(trivial, **CONSTANT, label="constant prediction")
        axis.axvline(0.5, color="dimgrey", lw=1.0, ls=":", label="threshold 0.5")
        axis.axvline(
            bayes_threshold(ratio),
            color="black",
            lw=1.0,
            ls="--",
            label=f"Bayes threshold 1/(1+{ratio:g})",
        )
        axis.set_ylim(0, 1.25 * max(trivial, at_rate["cost"].min()))
        axis.set_xlim(0, 1)
        axis.set_title(f"rate {rate:g}", fontsize=TEXT)
        axis.set_xlabel("threshold", fontsize=TEXT)
        axis.set_ylabel(f"cost per sample (FN = {ratio:g} FP)", fontsize=TEXT)
    save(
        figure,
        paths,
        "Each classifier's baseline: expected cost against the threshold; dots: "
        "thresholds tuned on training data",
    )


def ensembles(curves, references, panels, paths):
    """Question 3: the full undersampling ensemble against one model on all the
    data (the baseline) and one undersampled model, each panel metric against the
    positive rate, one row per metric and one column per classifier (mean and 95%
    band over instances).

    ``curves`` holds the ensemble's metrics by size per fold and dataset
    (``curves.ensemble_curves``); ``references`` maps a panel metric to the
    instance means of its rows."""
    size = curves["members"].max()
    full = curves[curves["members"] == size]
    classifiers = sorted(full["classifier"].unique())
    figure, axes = panel_grid(len(panels), len(classifiers))
    for (row, (metric, rule)), (column, classifier) in itertools.product(
        enumerate(panels), enumerate(classifiers)
    ):
        axis = axes[row, column]
        ensemble = (
            full[full["classifier"] == classifier]
            .groupby(["positive_rate", "dataset"], as_index=False)[metric]
            .mean()
            .rename(columns={metric: "value"})
        )
        lines = [("undersample_ensemble", f"ensemble of {size}", ensemble)]
        means = references[metric]
        for name in ("baseline", "random_undersample"):
            chosen = means[
                (means["classifier"] == classifier) & (means["method"] == name)
            ]
            lines.append((name, f"{name} (one model)", chosen))
        drawn = []
        for method, name, values in lines:
            if values.empty:
                continue
            mean, (low, high) = mean_band(values)
            drawn += list(mean)
            colour = REFERENCE_COLOURS.get(method, method_style(method)[0])
            axis.plot(
                mean.index, mean, color=colour, lw=1.2, marker="o", ms=2.5, label=name
            )
            draw_band(axis, mean.index, low, high, colour)
        rate_axis(axis, full["positive_rate"])
        if drawn:  # zoomed to the means: a band of two instances may span the axis
            low, high = np.nanmin(drawn), np.nanmax(drawn)
            pad = 0.15 * (high - low)
            axis.set_ylim(low - pad, high + pad)
        min_span(axis)
        if row == 0:
            axis.set_title(classifier, fontsize=TEXT)
        if column == 0:
            axis.set_ylabel(label(metric, rule), fontsize=TEXT)
    for axis in axes[-1]:
        axis.set_xlabel(RATE_LABEL, fontsize=TEXT)
    save(
        figure,
        paths,
        f"The ensemble of {size} undersampled models against one model, by positive "
        "rate (the ensemble by its size: ensemble_sizes.csv)",
    )


AVERAGE_STYLES = {  # the four F1 averages, told apart by colour and dash
    "f1": ("black", (None, None)),
    "f1_macro": (_PALETTE[0], (4, 2)),
    "f1_weighted": (_PALETTE[2], (1, 1.5)),
    "f1_micro": (_PALETTE[3], (6, 1.5, 1, 1.5)),
}


def f1_averages(means_by_average, paths):
    """Question 4: the four F1 averages at 0.5 together against the rate, one panel
    per classifier, for its baseline (mean and 95% band over instances), so that
    how far they part as the positive class shrinks is seen at once."""
    classifiers = sorted(
        set.union(*(set(m["classifier"]) for m in means_by_average.values()))
    )
    columns = min(2, len(classifiers))
    rows = -(-len(classifiers) // columns)
    figure, axes = panel_grid(rows, columns, sharex=False)
    for axis in axes.flat[len(classifiers) :]:
        axis.set_visible(False)
    for axis, classifier in zip(axes.flat, classifiers, strict=False):
        for average, means in means_by_average.items():
            chosen = means[
                (means["classifier"] == classifier) & (means["method"] == "baseline")
            ]
            if chosen.empty:
                continue
            mean, (low, high) = mean_band(chosen)
            colour, _ = style = AVERAGE_STYLES.get(average, ("grey", (None, None)))
            name = "f1 (positive class)" if average == "f1" else average
            draw_line(axis, mean.index, mean, style, lw=1.2, label=name)
            draw_band(axis, mean.index, low, high, colour)
        rate_axis(axis, next(iter(means_by_average.values()))["positive_rate"])
        axis.set_ylim(-0.02, 1.02)
        axis.set_title(f"{classifier}, baseline", fontsize=TEXT)
        axis.set_ylabel("F1 at threshold 0.5", fontsize=TEXT)
        axis.set_xlabel(RATE_LABEL, fontsize=TEXT)
    save(
        figure,
        paths,
        "The four F1 averages of each baseline against the positive rate (every "
        "method's values: summary.csv)",
    )


# what a curve panel shows beside the baseline: the tutorial's handling methods and
# one of each other model family (every method's numbers are in the tables)
HEADLINE = (
    "class_weight",
    "random_undersample",
    "smote",
    "focal_loss",
    "undersample_ensemble",
    "balanced_random_forest",
)


def headline_methods(methods):
    """The baseline and at most ``MAX_LINES`` of ``methods``: those of ``HEADLINE``
    that ran, else the first in registry order."""
    chosen = [m for m in HEADLINE if m in methods] or method_groups(methods)[0]
    return [*(["baseline"] if "baseline" in methods else []), *chosen[:MAX_LINES]]


def curve_figure(keys, ylabel, degenerate=()):
    """The panels of curves keyed ``(rate, classifier, method)``: one per rate
    (rows) and classifier (columns), the first column labelled ``ylabel``, each
    naming its shown methods whose every model is ``degenerate`` (a set of keys).
    Returns the figure, its axes and ``(axis, rate, classifier, shown methods)`` per
    panel (``headline_methods``)."""
    rates = sorted({key[0] for key in keys})
    methods_of = {}
    for _, classifier, method in keys:
        methods_of.setdefault(classifier, set()).add(method)
    shown = {c: headline_methods(m) for c, m in sorted(methods_of.items())}
    figure, axes = panel_grid(len(rates), len(shown))
    panels = []
    for row, rate in enumerate(rates):
        for column, (classifier, methods) in enumerate(shown.items()):
            axis = axes[row, column]
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=TEXT)
            if column == 0:
                axis.set_ylabel(ylabel, fontsize=TEXT)
            flat = [m for m in methods if (rate, classifier, m) in degenerate]
            if flat:
                axis.text(
                    0.97,
                    0.2,
                    "learnt nothing:\n" + "\n".join(flat),
                    ha="right",
                    va="bottom",
                    fontsize=TEXT,
                    transform=axis.transAxes,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    zorder=5,  # above the curves it names
                )
            panels.append((axis, rate, classifier, methods))
    return figure, axes, panels


def curve_panels(curves, paths, xlabel, ylabel, reference, title, degenerate=()):
    """One panel per positive rate (rows) and classifier (columns), the mean curve of
    the baseline and of the headline methods in it (``headline_methods``).
    ``curves`` maps ``(rate, classifier, method)`` to ``(x, ys)``; ``reference`` is
    ``(label, y(x, rate))``, the dotted line drawn in each panel; the methods whose
    every model is ``degenerate`` are named in it (``curve_figure``)."""
    figure, axes, panels = curve_figure(curves, ylabel, degenerate)
    name, line = reference
    for axis, rate, classifier, methods in panels:
        for method in methods:
            if (rate, classifier, method) in curves:
                x, ys = curves[rate, classifier, method]
                draw_method(axis, x, np.mean(ys, axis=0), method)
        axis.plot([0, 1], line(np.array([0, 1]), rate), **REFERENCE, label=name)
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1.02)
    for axis in axes[-1]:
        axis.set_xlabel(xlabel, fontsize=TEXT)
    save(figure, paths, title)


LOGIT_LIMITS = (1e-3, 1 - 1e-3)  # the reliability axes: 1 in 1,000 to 999 in 1,000
X_LABELLED = (0.01, 0.5, 0.99)  # the reliability ticks labelled on a panel's x-axis


def reliability(diagrams, paths, title, degenerate=()):
    """Reliability diagrams on log-odds axes, so that the bins of a rare class are
    not squeezed into a corner: one panel per rate and classifier, the baseline and
    the headline methods (``headline_methods``), the diagonal, and the fewest
    positives any shown bin holds (how much an observed rate rests on). ``diagrams``
    maps ``(rate, classifier, method)`` to ``(mean predicted, observed, positives)``
    per bin; a bin without positives is drawn at the axis's floor. The methods
    whose every model is ``degenerate`` are named (``curve_figure``)."""
    figure, axes, panels = curve_figure(diagrams, "observed positive rate", degenerate)
    low, high = LOGIT_LIMITS
    ticks = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99]
    for axis, rate, classifier, methods in panels:
        fewest = []
        for method in methods:
            if (rate, classifier, method) not in diagrams:
                continue
            predicted, observed, positives = diagrams[rate, classifier, method]
            draw_line(
                axis,
                np.clip(predicted, low, high),
                np.clip(observed, low, high),
                method_style(method),
                lw=1.0,
                marker="o",
                markersize=2.5,
                label=method_label(method),
            )
            fewest.append(int(np.min(positives)))
        axis.plot([low, high], [low, high], **REFERENCE, label="calibrated")
        axis.set_xscale("logit")
        axis.set_yscale("logit")
        axis.set_xlim(low, high)
        axis.set_ylim(low, high)
        axis.minorticks_off()
        labelled = [f"{t:g}" if t in X_LABELLED else "" for t in ticks]  # no overlap
        axis.set_xticks(ticks, labelled, fontsize=TEXT)
        axis.set_yticks(ticks, [f"{t:g}" for t in ticks], fontsize=TEXT)
        if fewest:
            axis.text(
                0.03,
                0.97,
                f"fewest positives\nin a bin: {min(fewest)}",
                ha="left",
                va="top",
                fontsize=TEXT,
                transform=axis.transAxes,
            )
    for axis in axes[-1]:
        axis.set_xlabel("predicted (bin mean)", fontsize=TEXT)
    save(figure, paths, title)


def mean_ranks(table, paths, alpha):
    """Mean ranks by positive rate (the ranking table, ``comparisons.rankings``): one
    heatmap per classifier and metric, methods by rate, 1 = best; outlined, the best
    and the methods the Nemenyi test cannot separate from it where Friedman's test
    finds a difference; each rate's N (observations) under it."""
    classifiers = sorted(table["classifier"].unique())
    metrics = list(dict.fromkeys(table["metric"]))
    order = {m: i for i, m in enumerate(active())}
    methods_of = {
        c: sorted(
            table.loc[table["classifier"] == c, "method"].unique(),
            key=lambda m: (order.get(m, len(order)), m),
        )
        for c in classifiers
    }
    heights = [len(methods_of[c]) + 2 for c in classifiers]
    sns.set_theme(context="paper", style="white", font_scale=0.8)
    figure, axes = plt.subplots(
        len(classifiers),
        len(metrics),
        figsize=(PAGE_WIDTH, 0.17 * sum(heights) + 0.9),
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    for (i, classifier), (j, metric) in itertools.product(
        enumerate(classifiers), enumerate(metrics)
    ):
        rows = table[(table["classifier"] == classifier) & (table["metric"] == metric)]
        axis = axes[i, j]
        if rows.empty:
            axis.set_axis_off()
            continue
        _rank_panel(axis, rows, methods_of[classifier], alpha)
        axis.set_yticklabels(methods_of[classifier] if j == 0 else [], fontsize=TEXT)
        axis.set_ylabel("")
        axis.set_title(f"{classifier}: {metric}", fontsize=TEXT)
    save(
        figure,
        paths,
        f"mean rank by positive rate (1 = best); outlined: not separable from the best "
        f"(Nemenyi, alpha {alpha:g}) where Friedman's test finds a difference "
        "(n.s.: it does not); unranked: copy (the baseline's predictions), drop "
        "(missing or degenerate on half its observations or more), none (no value)",
    )


BLANK = {"fontsize": TEXT, "color": "grey"}  # what a method without a rank shows


def _rank_panel(axis, rows, methods, alpha):
    """One classifier's and metric's mean ranks (``methods`` by rate) as a heatmap,
    each rate labelled with its N and whether Friedman's test separates any; a
    method without a rank says whether it is a copy of the baseline (``identical``),
    was dropped (missing or degenerate on half its observations or more) or has no
    value at all (nothing tuned, say)."""
    from matplotlib.patches import Rectangle

    ranks = rows.pivot(index="method", columns="positive_rate", values="mean_rank")
    ranks = ranks.reindex(methods)
    sns.heatmap(
        ranks,
        ax=axis,
        annot=True,
        fmt=".1f",
        annot_kws={"fontsize": TEXT},
        cmap="viridis",
        vmin=1,
        vmax=len(methods),
        cbar=False,
        linewidths=0.3,
        linecolor="white",
    )
    ticks = []
    for column, (rate, at_rate) in enumerate(rows.groupby("positive_rate")):
        p = at_rate["friedman_p"].iloc[0]
        ticks.append(
            f"{rate:g}\nN={at_rate['n_observations'].iloc[0]}"
            + ("" if p < alpha else "\nno test" if np.isnan(p) else "\nn.s.")
        )
        unranked = {
            why: at_rate[column].fillna("").iloc[0].split(", ")
            for why, column in (("copy", "identical"), ("drop", "dropped"))
        }
        for row in np.flatnonzero(ranks[rate].isna()):
            why = next((w for w, ms in unranked.items() if methods[row] in ms), "none")
            axis.text(column + 0.5, row + 0.5, why, ha="center", va="center", **BLANK)
        close = at_rate["within_cd_of_best"].fillna(False).astype(bool)
        for method in at_rate.loc[close, "method"] if p < alpha else []:
            outline = Rectangle(
                (column, methods.index(method)), 1, 1, fill=False, ec="red", lw=1.0
            )
            axis.add_patch(outline)
    axis.set_xticklabels(ticks, fontsize=TEXT, rotation=0)
    axis.set_xlabel("")
    axis.tick_params(length=0)


def note(paths, text):
    """A figure that only says ``text``: what an analysis draws when it has nothing
    to show."""
    figure, axes = panel_grid(1, 1)
    axes[0, 0].set_axis_off()
    axes[0, 0].text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=8)
    save(figure, paths)
