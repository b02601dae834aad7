"""Figures, one look throughout: seaborn, a colour-blind-safe palette, the same colour
and dash pattern for the same method everywhere, sized for a single paper column."""

import matplotlib.pyplot as plt
import seaborn as sns

from imbench.methods import METHODS

COLUMN_WIDTH = 3.5  # inches, a single column of a two-column paper
_PALETTE = sns.color_palette("colorblind", 10)
_DASHES = [(None, None), (4, 2), (1, 1.5)]


def method_style(method):
    """Colour and dash pattern of ``method``, fixed by its place in the registry."""
    index = list(METHODS).index(method) if method in METHODS else len(METHODS)
    return _PALETTE[index % 10], _DASHES[(index // 10) % len(_DASHES)]


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
    (line,) = axis.plot(x, y, color=colour, label=method, lw=1.2)
    if dashes[0] is not None:
        line.set_dashes(dashes)
    if low is not None:
        axis.fill_between(x, low, high, color=colour, alpha=0.15, lw=0)


def save(figure, paths, title=None):
    """Save the same figure to every path (PDF and PNG), with one legend of every
    labelled line below the panels."""
    entries = {}
    for axis in figure.axes:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
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
        metadata = {"CreationDate": None} if str(path).endswith(".pdf") else None
        figure.savefig(path, dpi=200, metadata=metadata)
    plt.close(figure)
