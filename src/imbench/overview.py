"""Workflow steps beyond the four questions: precision-recall and ROC curves,
reliability diagrams, critical-difference rankings and the decision guide, all from
stored predictions and metrics (no refits)."""

import itertools
from collections import defaultdict

import numpy as np
import pandas as pd
from scikit_posthocs import critical_difference_diagram
from sklearn.calibration import calibration_curve

from imbench import analysis
from imbench.figures import COLUMN_WIDTH, draw_method, method_style, panel_grid, save
from imbench.questions import ok_predictions, write_tables
from imbench.tables import load_metrics

GRID = np.linspace(0, 1, 101)
CALIBRATION_BINS = 10
# ranked and in the decision guide: ranking, decisions at a tuned threshold, calibration
SCORED_METRICS = [("average_precision", "none"), ("f1", "tuned_f1"), ("brier", "none")]


def _test_folds(prediction_dirs, rate_of):
    """(positive rate, classifier, method) and the test predictions of each repeat,
    for every cell that ran."""
    for predictions, meta in ok_predictions(prediction_dirs):
        key = (rate_of[meta["dataset"]], meta["classifier"], meta["method"])
        test = predictions[predictions["role"] == "test"]
        for _, repeat in test.groupby("repeat"):
            yield key, repeat["y_true"].to_numpy(), repeat["proba"].to_numpy()


def _curve_panels(curves, figure_paths, xlabel, ylabel, decorate):
    """One panel per positive rate (rows) and classifier (columns), the mean curve of
    each method in it; ``decorate(axis, rate)`` adds the reference line."""
    rates = sorted({key[0] for key in curves})
    classifiers = sorted({key[1] for key in curves})
    figure, axes = panel_grid(len(rates), len(classifiers))
    for (rate, classifier, method), (x, ys) in sorted(curves.items()):
        axis = axes[rates.index(rate), classifiers.index(classifier)]
        draw_method(axis, x, np.mean(ys, axis=0), method)
    for row, rate in enumerate(rates):
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            decorate(axis, rate)
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=7)
            axis.set_ylabel(ylabel, fontsize=7)
            axis.set_xlim(0, 1)
            axis.set_ylim(0, 1.02)
    for axis in axes[-1]:
        axis.set_xlabel(xlabel)
    save(figure, figure_paths)


def curves_job(
    prediction_dirs, metric_paths, pr_paths, roc_paths, calibration_paths, table_stem
):
    """Precision-recall and ROC curves (vertically averaged over dataset instances and
    repeats), reliability diagrams of the pooled out-of-fold probabilities, and a
    calibration table (mean predicted against observed rate, expected calibration
    error)."""
    _, _, datasets = load_metrics(metric_paths)
    rate_of = datasets.set_index("dataset")["positive_rate"]
    pr, roc = defaultdict(list), defaultdict(list)
    pooled = defaultdict(lambda: ([], []))
    for key, y, proba in _test_folds(prediction_dirs, rate_of):
        pooled[key][0].append(y)
        pooled[key][1].append(proba)
        if y.min() < y.max():  # a curve needs both classes
            pr[key].append(analysis.precision_on_grid(y, proba, GRID))
            roc[key].append(analysis.roc_on_grid(y, proba, GRID))

    def random_pr(axis, rate):  # a random scorer's precision is the positive rate
        axis.axhline(rate, color="grey", lw=0.8, ls=":", label="random scorer")

    def random_roc(axis, rate):
        axis.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="random scorer")

    _curve_panels(
        {key: (GRID, ys) for key, ys in pr.items()},
        pr_paths,
        "recall",
        "precision",
        random_pr,
    )
    _curve_panels(
        {key: (GRID, ys) for key, ys in roc.items()},
        roc_paths,
        "false-positive rate",
        "true-positive rate",
        random_roc,
    )
    rows, reliability = [], {}
    for key, (ys, probas) in sorted(pooled.items()):
        y, proba = np.concatenate(ys), np.concatenate(probas)
        observed, predicted = calibration_curve(
            y, proba, n_bins=CALIBRATION_BINS, strategy="quantile"
        )
        reliability[key] = (predicted, [observed])
        rows.append(
            dict(
                zip(["positive_rate", "classifier", "method"], key, strict=True),
                observed_rate=y.mean(),
                mean_predicted=proba.mean(),
                expected_calibration_error=analysis.calibration_error(
                    y, proba, CALIBRATION_BINS
                ),
            )
        )

    def diagonal(axis, rate):
        axis.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="calibrated")

    _curve_panels(
        reliability,
        calibration_paths,
        "mean predicted probability (quantile bins)",
        "observed positive rate",
        diagonal,
    )
    write_tables(pd.DataFrame(rows), table_stem)


def ranking_job(metric_paths, figure_paths, table_stem, alpha=0.05):
    """Mean ranks of the methods over all dataset instances per classifier and metric,
    Friedman test, Nemenyi critical difference and its diagram (one row each; a
    classifier run with fewer than three methods is only in the table)."""
    metrics, _, _ = load_metrics(metric_paths)
    rankings, rows = {}, []
    for classifier, (metric, rule) in itertools.product(
        sorted(metrics["classifier"].unique()), SCORED_METRICS
    ):
        means = analysis.instance_means(metrics, metric, rule)
        wide = means[means["classifier"] == classifier].pivot_table(
            index="dataset", columns="method", values="value"
        )
        ranking = analysis.rank_methods(
            wide, not analysis.lower_is_better(metric), alpha
        )
        rankings[f"{classifier}: {analysis.label(metric, rule)}"] = ranking
        best = ranking.ranks.iloc[0]
        rows.extend(
            {
                "classifier": classifier,
                "metric": analysis.label(metric, rule),
                "method": method,
                "mean_rank": rank,
                "n_datasets": ranking.n,
                "k_methods": len(ranking.ranks),
                "friedman_p": ranking.friedman_p,
                "critical_difference": ranking.cd,
                "within_cd_of_best": rank == best or rank - best <= ranking.cd,
                "dropped": ", ".join(ranking.dropped),
            }
            for method, rank in ranking.ranks.items()
        )
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
        axis.set_title(
            f"{title} (N = {ranking.n}, Friedman p = {ranking.friedman_p:.2g})",
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
        figure_paths,
        f"mean rank (1 = best); bars join methods the Nemenyi test (alpha {alpha:g}) "
        "cannot separate",
    )
    write_tables(pd.DataFrame(rows), table_stem)


def guide_job(metric_paths, table_stem):
    """The decision guide: per classifier, positive rate and metric, the method that
    won, by how much, how confidently, and whether the rule of thumb agrees."""
    metrics, _, _ = load_metrics(metric_paths)
    guide = pd.concat(
        [
            analysis.decision_guide(metrics, metric, rule)
            for metric, rule in SCORED_METRICS
        ],
        ignore_index=True,
    )
    write_tables(guide[["metric", *guide.columns.drop("metric")]], table_stem)
