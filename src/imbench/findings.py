"""``findings.md``: the answers to the four questions and the published claims,
written from the result tables alone (never by hand).

Every line that states a number names the table it comes from; numbers are printed
as the tables hold them, rounded (probabilities to 2 decimals, metric values to 3).
"""

import pandas as pd

from imbench.classifiers import CLASSIFIERS
from imbench.methods import METHODS
from imbench.names import F1_AVERAGES, label
from imbench.stats import MIN_INSTANCES, probability_text

BALANCING = ("reweighting", "oversampling", "undersampling")
RESAMPLING = ("random_oversample", "random_undersample", "smote")
# the rates a claim about imbalanced data is judged at: 1 positive in 10 or fewer
# (imbalance ratio 9 and above, KEEL's "highly imbalanced" line)
IMBALANCED_RATE = 0.1
SHOWN_ROWS = 12  # rows of a question's table before "... N more in the table"
NOTHING = "Nothing to show: its analysis had no results (see `cells.csv`)."


def number(value, digits=3):
    """``value`` as the findings print it: fixed decimals, ``n/a`` for NaN."""
    return "n/a" if pd.isna(value) else f"{value:.{digits}f}"


def rate(value):
    return f"{value:g}"


def probability(row):
    """The probability behind a verdict row: of its verdict, or for ``undecided``
    the largest of the three; NaN for ``identical`` and ``degenerate``, which have no
    test."""
    if row["verdict"] == "undecided":
        return max(row["p_worse"], row["p_equivalent"], row["p_better"])
    return row.get(f"p_{row['verdict']}", float("nan"))


def verdict_text(row):
    """``equivalent (P = 0.98)``; a verdict without a probability alone."""
    p = probability(row)
    return (
        f"{row['verdict']} (P = {probability_text(p)})"
        if not pd.isna(p)
        else row["verdict"]
    )


def shown(frame, columns):
    """What a findings table shows of ``frame``: ``columns`` maps each heading to
    the column it shows and the function that prints a value."""
    return pd.DataFrame(
        {
            heading: frame[column].map(form)
            for heading, (column, form) in columns.items()
        }
    )


def markdown_table(frame, source):
    """``frame`` as a Markdown table under the line citing ``source`` (its numbers'
    tables), cut to ``SHOWN_ROWS`` rows."""
    shown = frame.head(SHOWN_ROWS)
    table = shown.to_markdown(index=False, disable_numparse=True)
    text = f"Source: {source}.\n\n{table}\n"
    more = len(frame) - len(shown)
    if more:
        text += f"\n... and {more} more rows in the table.\n"
    return text


def instances(counts):
    """The numbers of observations behind a question's cells: ``5`` or
    ``5-6``."""
    counts = [int(n) for part in map(str, counts) for n in part.split("-")]
    low, high = min(counts), max(counts)
    return str(high) if low == high else f"{low}-{high}"


def tally(verdicts, supporting, contradicting):
    """How cells' verdicts bear on a claim: ``agrees`` when none contradicts it and
    at least half support it, ``disagrees`` when some contradict it and no fewer
    support it, else ``cannot tell``; with the counts. Cells identical to the
    baseline by construction are no evidence: left out, and counted as such."""
    verdicts = list(verdicts)
    copies = sum(v == "identical" for v in verdicts)
    empty = sum(v == "degenerate" for v in verdicts)
    verdicts = [v for v in verdicts if v not in ("identical", "degenerate")]
    support = sum(v in supporting for v in verdicts)
    against = sum(v in contradicting for v in verdicts)
    counts = f"{support} of {len(verdicts)} cells support it, {against} contradict it"
    left_out = [
        f"{count} {why}"
        for count, why in ((copies, "identical to the baseline"), (empty, "degenerate"))
        if count
    ]
    if left_out:
        counts += f" ({' and '.join(left_out)} left out)"
    if not verdicts and left_out:
        return "cannot tell", f"no cell is evidence ({' and '.join(left_out)})"
    if not verdicts:
        return "cannot tell", "no cell of this run bears on it"
    if against == 0 and 2 * support >= len(verdicts):
        return "agrees", counts
    if against and against >= support:
        return "disagrees", counts
    return "cannot tell", counts


def left_out(sweep):
    """How many of the sweep's comparisons were left out as identical to the
    baseline by construction."""
    counts = sweep["verdict"].value_counts() if len(sweep) else pd.Series(dtype=int)
    return (
        f"{counts.get('identical', 0)} of {len(sweep)} comparisons are identical to "
        "the baseline by construction (the same predictions: a threshold method at a "
        "rule other than its own threshold, a sampler with nothing to resample) and "
        f"{counts.get('degenerate', 0)} have only degenerate models (one predicted "
        "value, `cells.csv`); neither is evidence: they have no verdict and no count "
        "includes them"
    )


def rope_changes(sensitivity):
    """How many verdicts change with the ROPE half and twice as wide."""
    judged = sensitivity[~sensitivity["verdict"].isin(["identical", "degenerate"])]
    parts = [
        f"{(judged[column] != judged['verdict']).sum()} with it "
        f"{column.removeprefix('verdict_at_')} as wide"
        for column in judged.columns
        if column.startswith("verdict_at_")
    ]
    return (
        f"Of the {len(judged)} verdicts, a different ROPE changes "
        + " and ".join(parts)
        + " (`ratio_sweep_rope.csv`)."
    )


def reversed_verdicts(sweep):
    """How many decided pooled verdicts a source reverses (``reversed_by``), with
    the first few."""
    decided = sweep[sweep["verdict"].isin(["better", "worse"])]
    reversed_ = decided[decided["reversed_by"].fillna("") != ""]
    if reversed_.empty:
        return f"No source reverses any of the {len(decided)} decided verdicts."
    shown = [
        f"{r.classifier} with {r.method} on {r.metric} at {rate(r.positive_rate)} "
        f"({r.verdict} pooled; {r.reversed_by})"
        for r in reversed_.head(3).itertuples()
    ]
    return (
        f"A source on its own reverses {len(reversed_)} of the {len(decided)} decided "
        "verdicts (its mean gain beyond the ROPE on the other side: `reversed_by` in "
        "`ratio_sweep.csv`, per source in `ratio_sweep_sources.csv`), for example "
        + "; ".join(shown)
        + "."
    )


def question_1(sweep, answers, sensitivity):
    """Where handling stops mattering, per metric and classifier."""
    lines = ["## 1. At what imbalance ratio does handling stop mattering?", ""]
    if answers.empty:
        return [*lines, NOTHING, ""]
    settled = answers.dropna(subset=["stops_at"])
    lines.append(
        f"Of {len(answers)} metric and classifier pairs, every handling method is "
        f"practically equivalent to the baseline from some rate on in {len(settled)}"
        + (
            f", from {rate(settled['stops_at'].min())} at the lowest and "
            f"{rate(settled['stops_at'].max())} at the highest"
            if len(settled)
            else ""
        )
        + f"; in {len(answers) - len(settled)} some method still differs (or the "
        "evidence is too thin) at the highest rate. Verdicts are Bayesian "
        f"signed-rank tests over {instances(answers['n'])} observations per "
        "rate (dataset instances; near-copies of one real set count once) against "
        "each metric's region of practical equivalence "
        f"(`ratio_sweep_answer.csv`); {left_out(sweep)}. "
        + rope_changes(sensitivity)
        + " "
        + reversed_verdicts(sweep)
    )
    lines.append("")
    table = answers.assign(
        stops_at=[
            answer.split(":")[0] if pd.isna(stop) else rate(stop)
            for stop, answer in zip(answers["stops_at"], answers["answer"], strict=True)
        ],
        least_p_equivalent=answers["least_p_equivalent"].map(probability_text),
    )[["metric", "classifier", "stops_at", "least_p_equivalent", "n", "below"]]
    lines.append(
        markdown_table(
            table,
            "`ratio_sweep_answer.csv` (the probabilities in `below` from "
            "`ratio_sweep.csv`)",
        )
    )
    lines.append(
        "Figures: `figures/ratio_sweep/<metric>.png` (gains with the equivalence "
        "band); every verdict: `ratio_sweep.csv`."
    )
    return [*lines, ""]


def question_2(costs, ratio):
    """Which threshold is cheapest at the shown cost ratio, for the baselines."""
    lines = [
        f"## 2. Which threshold minimises cost when a false negative costs {ratio:g}x "
        "a false positive?",
        "",
    ]
    if costs.empty:
        return [*lines, NOTHING, ""]
    chosen = costs[(costs["cost_ratio"] == ratio) & (costs["method"] == "baseline")]
    if chosen.empty:
        return [*lines, "The baseline did not run.", ""]
    candidates = {"0.5": "at_0.5", "Bayes": "at_bayes", "tuned": "at_tuned"}
    cheapest = chosen[list(candidates.values())].idxmin(axis=1, skipna=True)
    names = {column: name for name, column in candidates.items()}
    counts = cheapest.map(names).value_counts()
    lines.append(
        f"For the baselines, the cheapest of threshold 0.5, the Bayes threshold "
        f"1/(1+{ratio:g}) and the threshold tuned on training data is "
        + ", ".join(f"{name} in {count}" for name, count in counts.items())
        + f" of {len(chosen)} classifier and rate cells; the Bayes threshold is "
        "practically as cheap as the tuned one (or cheaper) in "
        f"{chosen['verdict'].isin(['equivalent', 'better']).sum()} of them, over "
        f"{instances(chosen['n'])} observations each (`cost_threshold.csv`)."
    )
    lines.append("")
    table = shown(
        chosen,
        {
            "classifier": ("classifier", str),
            "rate": ("positive_rate", rate),
            "at 0.5": ("at_0.5", number),
            "at Bayes": ("at_bayes", number),
            "at tuned": ("at_tuned", number),
            "tuned threshold": ("tuned_threshold", number),
            "oracle": ("oracle (test-fold bound)", number),
        },
    ).assign(**{"Bayes vs tuned": chosen.apply(verdict_text, axis=1)})
    lines.append(markdown_table(table, "`cost_threshold.csv`"))
    lines.append("Figure: `figures/cost_threshold.png`.")
    return [*lines, ""]


def question_3(ensembles):
    """The full undersampling ensemble against one model."""
    lines = [
        "## 3. Does averaging models trained on different undersamples beat one model?",
        "",
    ]
    if ensembles is None:
        return [*lines, "The undersampling ensemble did not run.", ""]
    if ensembles.empty:
        return [*lines, NOTHING, ""]
    first = ensembles[ensembles["metric"] == ensembles["metric"].iloc[0]]
    for against, rows in first.groupby("against", sort=False):
        counts = rows["verdict"].value_counts()
        lines.append(
            f"On {first['metric'].iloc[0]}, against one {against} model: "
            + ", ".join(f"{verdict} in {count}" for verdict, count in counts.items())
            + f" of {len(rows)} classifier and rate cells, over "
            f"{instances(rows['n'])} observations each (`ensembles.csv`)."
        )
    lines.append("")
    table = shown(
        first,
        {
            "classifier": ("classifier", str),
            "rate": ("positive_rate", rate),
            "against": ("against", str),
            "ensemble": ("ensemble", number),
            "one model": ("reference", number),
            "gain": ("gain", number),
        },
    ).assign(verdict=first.apply(verdict_text, axis=1))
    lines.append(markdown_table(table, "`ensembles.csv`"))
    lines.append("Figure: `figures/ensembles.png`; other metrics: `ensembles.csv`.")
    return [*lines, ""]


def question_4(gaps):
    """How far the F1 averages lie apart, and which to report."""
    lines = ["## 4. How do macro, weighted and micro F1 differ, and which to report?"]
    lines.append("")
    if gaps.empty:
        return [*lines, NOTHING, ""]
    top = gaps.iloc[0]
    lines.append(
        f"They differ most for {top['classifier']} with {top['method']} at rate "
        f"{rate(top['positive_rate'])} ({top['source']}): positive-class F1 "
        f"{number(top['f1'])}, macro {number(top['f1_macro'])}, weighted "
        f"{number(top['f1_weighted'])}, micro {number(top['f1_micro'])} "
        f"(`f1_averages.csv`). Micro F1 is accuracy for one label per sample and, "
        "like weighted F1, follows the majority class: under imbalance both look "
        "good while the positive class is missed. Report positive-class F1 (with the "
        "threshold it was taken at), or macro F1 when both classes matter."
    )
    lines.append("")
    text = {name: (name, str) for name in ("source", "classifier", "method")}
    values = {name: (name, number) for name in ("gap", *F1_AVERAGES)}
    table = shown(gaps, {**text, "rate": ("positive_rate", rate), **values})
    lines.append(markdown_table(table, "`f1_averages.csv`"))
    lines.append("Figure: `figures/f1_averages.png`.")
    return [*lines, ""]


def _family(method):
    return METHODS[method].family if method in METHODS else ""


def _traits(classifier):
    entry = CLASSIFIERS.get(classifier)
    return entry.traits if entry else frozenset()


def elor_claim(sweep, f1_rule):
    """Elor & Averbuch-Elor 2022: balancing gives strong classifiers (boosted and
    bagged trees) no gain once the threshold is tuned; judged at the imbalanced
    rates (``IMBALANCED_RATE``), where balancing changes something, and refuted by
    balancing that is practically better."""
    if not f1_rule.startswith("tuned"):
        return "cannot tell", "this config tunes no threshold"
    strong = sweep["classifier"].map(lambda c: "trees" in _traits(c))
    cells = sweep[
        strong
        & (sweep["metric"] == label("f1", f1_rule))
        & (sweep["positive_rate"] <= IMBALANCED_RATE)
        & sweep["method"].map(lambda m: _family(m) in BALANCING)
    ]
    verdict, counts = tally(cells["verdict"], {"equivalent", "worse"}, {"better"})
    strong = ", ".join(sorted(sweep.loc[strong, "classifier"].unique())) or "none ran"
    return verdict, (
        f"F1 at tuned thresholds at rates up to {rate(IMBALANCED_RATE)}, the strong "
        f"classifiers (tree ensembles: {strong}), balancing methods against the "
        f"baseline: {counts} (no gain: equivalent or worse; gain: better) "
        "(`ratio_sweep.csv`)"
    )


def goorbergh_claim(sweep):
    """van den Goorbergh et al. 2022: resampling worsens logistic regression's
    calibration and does not raise its ROC-AUC."""
    resampled = sweep[
        (sweep["classifier"] == "logistic_regression")
        & sweep["method"].isin(RESAMPLING)
        & (sweep["positive_rate"] < 0.5)  # at balance resampling changes nothing
    ]
    brier = tally(
        resampled[resampled["metric"] == "brier"]["verdict"],
        {"worse"},
        {"equivalent", "better"},
    )
    auc = tally(
        resampled[resampled["metric"] == "roc_auc"]["verdict"],
        {"equivalent", "worse"},
        {"better"},
    )
    parts = (brier[0], auc[0])
    verdict = (
        "disagrees"
        if "disagrees" in parts
        else "agrees"
        if parts == ("agrees", "agrees")
        else "cannot tell"
    )
    return verdict, (
        f"logistic regression with {', '.join(RESAMPLING)} below rate 0.5: Brier "
        f"worse, {brier[1]}; ROC-AUC not better, {auc[1]} (`ratio_sweep.csv`)"
    )


def non_inferiority(row, level):
    """A Bayes-vs-tuned row (``cost_threshold.csv``) judged for non-inferiority:
    ``non-inferior`` when the Bayes threshold is costlier by more than the ROPE with
    probability below ``1 - level`` (over at least ``MIN_INSTANCES``
    observations), ``inferior`` when it is with probability ``level`` (verdict
    ``worse``), else ``undecided``; ``identical`` and ``degenerate`` pass through."""
    if row["verdict"] in ("identical", "degenerate"):
        return row["verdict"]
    if row["verdict"] == "worse":
        return "inferior"
    if row["n"] >= MIN_INSTANCES and row["p_worse"] < 1 - level:
        return "non-inferior"
    return "undecided"


def elkan_claim(costs, ratio, level):
    """Elkan 2001: 1/(1+r) is the cost-optimal threshold for calibrated
    probabilities (logistic regression's baseline): a non-inferiority claim, so
    each rate's cell supports it when the Bayes threshold is non-inferior to the
    tuned one (``non_inferiority``) and refutes it when it is inferior."""
    cells = costs[
        (costs["cost_ratio"] == ratio)
        & (costs["classifier"] == "logistic_regression")
        & (costs["method"] == "baseline")
    ]
    judged = [non_inferiority(row, level) for _, row in cells.iterrows()]
    verdict, counts = tally(judged, {"non-inferior"}, {"inferior"})
    return verdict, (
        f"logistic regression's baseline at cost ratio {ratio:g}, per rate: the "
        f"Bayes threshold 1/(1+{ratio:g}) non-inferior to the tuned one (P(costlier "
        f"by more than the ROPE) < {probability_text(1 - level)}), {counts} "
        "(`cost_threshold.csv`)"
    )


def views_differ(auc, ap):
    """Which view shows a difference the other does not, from one cell's ROC-AUC and
    AP verdicts (both decided: better, equivalent or worse): ``PR`` when AP is
    decided away from equivalence and ROC-AUC is not in the same direction, ``ROC``
    when ROC-AUC is and AP is equivalent, ``same`` when they agree."""
    if auc == ap:
        return "same"
    return "PR" if ap != "equivalent" else "ROC"


def saito_claim(sweep):
    """Saito & Rehmsmeier 2015: under imbalance the precision-recall view is more
    informative than ROC. Over the cells at the imbalanced rates
    (``IMBALANCED_RATE``) where both views reach a verdict on a method against its
    baseline and the verdicts differ (``views_differ``): those where AP shows what
    ROC-AUC does not support it, those where ROC-AUC shows what AP does not refute
    it."""
    decided = sweep[
        sweep["verdict"].isin(["better", "equivalent", "worse"])
        & (sweep["positive_rate"] <= IMBALANCED_RATE)
    ]
    keys = ["classifier", "method", "positive_rate"]
    both = (
        decided[decided["metric"] == "roc_auc"]
        .merge(decided[decided["metric"] == "average_precision"], on=keys)
        .rename(columns={"verdict_x": "auc", "verdict_y": "ap"})
    )
    shows = [views_differ(a, p) for a, p in zip(both["auc"], both["ap"], strict=True)]
    differing = [view for view in shows if view != "same"]
    verdict, counts = tally(differing, {"PR"}, {"ROC"})
    return verdict, (
        f"methods against the baseline at rates up to {rate(IMBALANCED_RATE)}, where "
        f"ROC-AUC and AP both reach a verdict: {len(both)} cells, the verdicts "
        f"differ in {len(differing)}; AP shows a difference ROC-AUC does not: "
        f"{counts} (`ratio_sweep.csv`)"
    )


def published_claims(sweep, costs, ratio, f1_rule, level):
    """The claims table: what this run's evidence says about each."""
    if sweep.empty or costs.empty:
        return ["## Published claims", "", NOTHING, ""]
    claims = [
        (
            "Elor & Averbuch-Elor 2022: balancing gives strong classifiers no gain "
            "once the threshold is tuned",
            elor_claim(sweep, f1_rule),
        ),
        (
            "van den Goorbergh et al. 2022: resampling worsens calibration and gives "
            "no AUC gain for logistic regression",
            goorbergh_claim(sweep),
        ),
        (
            "Elkan 2001: 1/(1+r) is the cost-optimal threshold for calibrated "
            "probabilities",
            elkan_claim(costs, ratio, level),
        ),
        (
            "Saito & Rehmsmeier 2015: under imbalance, PR is more informative than ROC",
            saito_claim(sweep),
        ),
    ]
    lines = [
        "## Published claims",
        "",
        "A claim agrees when no cell of this run contradicts it and at least half "
        "support it, disagrees when some contradict it and no fewer support it, and "
        "cannot tell otherwise (undecided cells support neither side).",
        "",
        "| claim | this run | evidence |",
        "|---|---|---|",
    ]
    lines += [
        f"| {claim} | {verdict} | {evidence} |" for claim, (verdict, evidence) in claims
    ]
    return [*lines, ""]


def findings(
    sweep,
    answers,
    sensitivity,
    costs,
    ensembles,
    gaps,
    ratio,
    f1_rule,
    level,
    config_hash,
):
    """The text of ``findings.md`` from the result tables (``ensembles`` is None
    when the undersampling ensemble did not run); ``level`` is the posterior
    probability a verdict needs (``stats.Equivalence.probability``)."""
    lines = [
        "# Findings",
        "",
        f"Written by imbench from this run's tables (config hash {config_hash}); "
        "regenerate them and this page changes with them. Verdicts: practically "
        "better, equivalent or worse than the reference when the Bayesian "
        "signed-rank test's posterior probability reaches the configured level, "
        "else undecided.",
        "",
        *question_1(sweep, answers, sensitivity),
        *question_2(costs, ratio),
        *question_3(ensembles),
        *question_4(gaps),
        *published_claims(sweep, costs, ratio, f1_rule, level),
    ]
    return "\n".join(lines).rstrip() + "\n"
