"""Workflow steps that turn stored metrics and predictions into the figures and tables
answering the four questions (see ``imbench.analysis``)."""

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from imbench import analysis
from imbench.figures import draw_method, method_style, panel_grid, save
from imbench.io import read_table_with_meta
from imbench.methods import METHODS
from imbench.tables import load_metrics, write_csv

SWEEP_PANELS = [
    ("f1", "tuned_f1"),
    ("balanced_accuracy", "default"),
    ("recall", "default"),
    ("average_precision", "none"),
    ("roc_auc", "none"),
    ("brier", "none"),
]


def write_tables(frame, stem):
    """``frame`` as ``stem``.csv, .md and .tex (booktabs)."""
    write_csv(frame, f"{stem}.csv")
    Path(f"{stem}.md").write_text(frame.to_markdown(index=False, floatfmt=".4g") + "\n")
    Path(f"{stem}.tex").write_text(
        frame.to_latex(index=False, float_format=lambda v: f"{v:.4g}") + "\n"
    )


def _mean_band(values):
    """Mean and 95% t-interval of instance means, per x."""
    grouped = values.groupby("positive_rate")["value"]
    bands = [analysis.t_interval(group) for _, group in grouped]
    low, high = (np.array(side) for side in zip(*bands, strict=True))
    return grouped.mean(), (low, high)


def ratio_sweep_job(metric_paths, figure_paths, table_stem, answer_stem):
    """Question 1: metric against positive rate per method, gains over the baseline
    with Wilcoxon-Holm tests, and the rate from which handling stops mattering."""
    metrics, _, _ = load_metrics(metric_paths)
    classifiers = sorted(metrics["classifier"].unique())
    figure, axes = panel_grid(len(SWEEP_PANELS), len(classifiers))
    gains, answers = [], []
    for row, (metric, rule) in enumerate(SWEEP_PANELS):
        means = analysis.instance_means(metrics, metric, rule)
        for column, classifier in enumerate(classifiers):
            axis = axes[row, column]
            for method, values in means[means["classifier"] == classifier].groupby(
                "method"
            ):
                mean, band = _mean_band(values)
                draw_method(
                    axis,
                    mean.index,
                    mean,
                    method,
                    band[0],
                    band[1],
                )
            axis.set_xscale("log")
            axis.set_ylim(-0.02, 1.02)  # every panel's metric lies in [0, 1]
            if row == 0:
                axis.set_title(classifier, fontsize=7)
            axis.set_ylabel(analysis.label(metric, rule), fontsize=7)
            if metric == "average_precision":  # a random scorer's AP is the rate
                rates = np.array(sorted(means["positive_rate"].unique()))
                axis.plot(rates, rates, color="grey", lw=0.8, ls=":")
        table = analysis.gains_over(metrics, metric, rule)
        gains.append(table.assign(metric=analysis.label(metric, rule)))
        answers.append(
            analysis.stops_mattering(table).assign(metric=analysis.label(metric, rule))
        )
    for axis in axes[-1]:
        axis.set_xlabel("positive rate")
    save(figure, figure_paths)
    for frames, stem in ((gains, table_stem), (answers, answer_stem)):
        table = pd.concat(frames, ignore_index=True)
        write_tables(table[["metric", *table.columns.drop("metric")]], stem)


def ok_predictions(prediction_dirs, cells="*/*"):
    """Predictions and metadata of every cell that ran, in the datasets' prediction
    directories; ``cells`` a ``classifier/method`` glob pattern."""
    for directory in prediction_dirs:
        for path in sorted(Path(directory).glob(f"{cells}.parquet")):
            table, meta = read_table_with_meta(path)
            if meta["status"] == "ok":
                yield table.to_pandas(), meta


def cost_job(prediction_dirs, metric_paths, cost_ratios, figure_paths, table_stem):
    """Question 2: expected cost against threshold per method, and the cost at 0.5, at
    the Bayes threshold (with and without prior correction), at the threshold tuned on
    training data, and the oracle bound."""
    metrics, _, datasets = load_metrics(metric_paths)
    rate_of = datasets.set_index("dataset")["positive_rate"]
    tuned = metrics[metrics["metric"] == "threshold"].set_index(
        ["dataset", "classifier", "method", "repeat", "fold", "threshold_rule"]
    )["value"]
    shown_ratio = 10.0 if 10.0 in cost_ratios else cost_ratios[0]
    grid = np.linspace(0, 1, 101)
    rows, curves = [], []
    for predictions, meta in ok_predictions(prediction_dirs):
        test = predictions.loc[
            predictions["role"] == "test", ["repeat", "fold", "y_true", "proba"]
        ]
        cell = (meta["dataset"], meta["classifier"], meta["method"])
        trained_rate = 0.5 if METHODS[meta["method"]].rebalances else None
        folds = [
            {
                **record,
                "tuned_thresholds": {
                    ratio: tuned.get(
                        (
                            *cell,
                            record["repeat"],
                            record["fold"],
                            f"tuned_cost_{ratio:g}",
                        ),
                        np.nan,
                    )
                    for ratio in cost_ratios
                },
            }
            for record in meta["folds"]
        ]
        costs = analysis.cost_table(test, folds, cost_ratios, trained_rate)
        for ratio, at_ratio in costs.groupby("cost_ratio", sort=False):
            rows.append(
                at_ratio.drop(columns=["cost_ratio", "repeat", "fold"]).mean().to_dict()
                | dict(zip(["dataset", "classifier", "method"], cell, strict=True))
                | {"cost_ratio": ratio, "positive_rate": rate_of[meta["dataset"]]}
            )
        fold_curves = [
            analysis.cost_curve(fold["y_true"], fold["proba"], shown_ratio, grid)
            for _, fold in test.groupby(["repeat", "fold"])
        ]
        curves.append(
            pd.DataFrame(
                {
                    "threshold": np.tile(grid, len(fold_curves)),
                    "cost": np.concatenate(fold_curves),
                    "classifier": cell[1],
                    "method": cell[2],
                    "positive_rate": rate_of[meta["dataset"]],
                }
            )
        )
    table = pd.DataFrame(rows)
    summary = (
        table.groupby(["cost_ratio", "positive_rate", "classifier", "method"])[
            ["at_0.5", "at_bayes", "at_bayes_prior_corrected", "at_tuned", "oracle"]
        ]
        .mean()
        .reset_index()
        .rename(columns={"oracle": "oracle (test-fold bound)"})
    )
    write_tables(summary, table_stem)
    chosen = analysis.select(metrics, "threshold", f"tuned_cost_{shown_ratio:g}")
    tuned_at = chosen.groupby(["positive_rate", "classifier", "method"])["value"].mean()
    _plot_cost(
        pd.concat(curves, ignore_index=True), tuned_at, shown_ratio, figure_paths
    )


def _plot_cost(curves, tuned_at, ratio, figure_paths):
    """Mean cost curves per panel, a marker at each method's mean threshold tuned on
    training data."""
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
            axis.axvline(
                analysis.bayes_threshold(ratio), color="black", lw=0.6, ls="--"
            )
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=7)
            axis.set_ylabel(f"cost per sample (FN = {ratio:g} FP)", fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel("threshold")
    save(
        figure,
        figure_paths,
        f"dashed: Bayes threshold 1/(1+{ratio:g}); dotted: 0.5; "
        "dots: thresholds tuned on training data",
    )


def ensemble_job(prediction_dirs, metric_paths, figure_paths, table_stem):
    """Question 3: undersampling ensembles of 1..N members against one model on all the
    data (baseline) and one undersampled model (random_undersample)."""
    metrics, _, datasets = load_metrics(metric_paths)
    rate_of = datasets.set_index("dataset")["positive_rate"]
    curves = []
    for predictions, meta in ok_predictions(prediction_dirs, "*/undersample_ensemble"):
        curve = analysis.ensemble_curves(predictions)
        curves.append(
            curve.assign(
                dataset=meta["dataset"],
                classifier=meta["classifier"],
                positive_rate=rate_of[meta["dataset"]],
            )
        )
    curves = pd.concat(curves, ignore_index=True)
    panels = [("average_precision", "none"), ("f1", "default"), ("brier", "none")]
    rates = sorted(curves["positive_rate"].unique())
    classifiers = sorted(curves["classifier"].unique())
    figure, axes = panel_grid(len(panels) * len(classifiers), len(rates))
    references = pd.concat(
        analysis.instance_means(metrics, metric, rule).assign(panel=metric)
        for metric, rule in panels
    )
    rows = []
    for index, (classifier, (metric, rule)) in enumerate(
        itertools.product(classifiers, panels)
    ):
        for column, rate in enumerate(rates):
            axis = axes[index, column]
            chosen = curves[
                (curves["positive_rate"] == rate) & (curves["classifier"] == classifier)
            ]
            line = chosen.groupby("members")[metric].mean()
            draw_method(axis, line.index, line, "undersample_ensemble")
            for name in ("baseline", "random_undersample"):
                reference = references[
                    (references["panel"] == metric)
                    & (references["positive_rate"] == rate)
                    & (references["classifier"] == classifier)
                    & (references["method"] == name)
                ]
                if len(reference):
                    colour, _ = method_style(name)
                    axis.axhline(
                        reference["value"].mean(),
                        color=colour,
                        lw=0.8,
                        ls="--",
                        label=f"{name} (one model)",
                    )
            axis.set_title(f"{classifier}, rate {rate:g}", fontsize=6)
            axis.set_ylabel(analysis.label(metric, rule), fontsize=7)
    for metric, rule in panels:
        rows.extend(_ensemble_rows(curves, metrics, metric, rule))
    for axis in axes[-1]:
        axis.set_xlabel("ensemble members")
    save(figure, figure_paths)
    table = pd.DataFrame(rows)
    table["p_holm"] = analysis.holm(table["p"])
    write_tables(table, table_stem)


def _ensemble_rows(curves, metrics, metric, rule):
    """The full ensemble against each reference, paired by dataset instance."""
    largest = curves[curves["members"] == curves["members"].max()]
    ensemble = largest.groupby(["dataset", "classifier", "positive_rate"])[
        metric
    ].mean()
    sign = -1.0 if analysis.lower_is_better(metric) else 1.0
    means = analysis.instance_means(metrics, metric, rule).set_index(
        ["dataset", "classifier", "method"]
    )["value"]
    for reference in ("baseline", "random_undersample"):
        for (classifier, rate), values in ensemble.groupby(
            ["classifier", "positive_rate"]
        ):
            keys = [(d, classifier, reference) for d, _, _ in values.index]
            other = means.reindex(keys).to_numpy()
            diff = sign * (values.to_numpy() - other)
            low, high = analysis.t_interval(diff[~np.isnan(diff)])
            yield {
                "metric": analysis.label(metric, rule),
                "classifier": classifier,
                "positive_rate": rate,
                "against": reference,
                "ensemble": values.mean(),
                "reference": np.nanmean(other),
                "gain": np.nanmean(diff),
                "ci_low": low,
                "ci_high": high,
                "p": analysis.paired_test(diff),
            }


def f1_job(metric_paths, figure_paths, table_stem):
    """Question 4: positive-class, macro, weighted and micro F1 against positive rate,
    and where they differ most."""
    metrics, _, _ = load_metrics(metric_paths)
    classifiers = sorted(metrics["classifier"].unique())
    figure, axes = panel_grid(len(classifiers), len(analysis.F1_AVERAGES))
    for row, classifier in enumerate(classifiers):
        for column, average in enumerate(analysis.F1_AVERAGES):
            axis = axes[row, column]
            means = analysis.instance_means(metrics, average, "default")
            for method, values in means[means["classifier"] == classifier].groupby(
                "method"
            ):
                mean, _ = _mean_band(values)
                draw_method(axis, mean.index, mean, method)
            axis.set_xscale("log")
            axis.set_title(f"{average} @ 0.5, {classifier}", fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel("positive rate")
    save(figure, figure_paths)
    write_tables(analysis.f1_gaps(metrics).head(20), table_stem)
