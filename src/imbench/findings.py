"""``findings.md``: the answers to the four questions and the published claims,
written from the result tables alone (never by hand).

Every line that states a number names the table it comes from; numbers are printed
as the tables hold them, rounded (probabilities to 2 decimals, metric values to 3).
"""

import pandas as pd

from imbench import classifiers
from imbench.methods import active
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
    lines += [handling_advice(sweep), ""]
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


EXERCISE_METHODS = ("class_weight", "smote")  # the tutorial's handling methods
TUNING = "threshold_f1"  # moving the threshold instead of rebalancing


def at_default(metric):
    """Whether a sweep metric is a decision at threshold 0.5 (``... @ default``),
    which moving the threshold changes as much as rebalancing does."""
    return metric.endswith("@ default")


def verdict_counts(cells):
    """``better in x, worse in y of n`` over cells' verdicts (identical and
    degenerate left out)."""
    better, worse, n = counted(cells)
    return f"better in {better}, worse in {worse} of {n}"


def counted(cells, verdicts=("better", "worse")):
    """How many of ``cells`` have each of ``verdicts``, and how many are evidence
    (identical and degenerate left out)."""
    evidence = cells["verdict"][~cells["verdict"].isin(["identical", "degenerate"])]
    return (*((evidence == v).sum() for v in verdicts), len(evidence))


def handling_advice(sweep):
    """Question 1's answer: whether to rebalance at the imbalanced rates
    (``IMBALANCED_RATE``), from how class weights and SMOTE fared against the
    baseline on the metrics that do not hang on threshold 0.5 (ranking,
    probabilities, F1 at the tuned threshold), where their gains at 0.5 come from
    (what moving the threshold instead gives), and how they fare above."""
    methods = [m for m in EXERCISE_METHODS if m in set(sweep["method"])]
    if not methods:
        return "The exercise's methods (class weights, SMOTE) did not run."
    decision = sweep["metric"].map(at_default).to_numpy(bool)
    low = (sweep["positive_rate"] <= IMBALANCED_RATE).to_numpy()
    exercise = sweep["method"].isin(methods).to_numpy()
    names = " and ".join(methods)
    limit = rate(IMBALANCED_RATE)
    better, worse, equivalent, n = counted(
        sweep[low & exercise & ~decision], ("better", "worse", "equivalent")
    )
    per_method = ", ".join(
        f"{m} {counted(sweep[low & ~decision & (sweep['method'] == m).to_numpy()])[1]}"
        for m in methods
    )
    if n == 0:
        said = f"No cell at rates up to {limit} compares {names} with the baseline"
    elif better == 0 and 2 * (worse + equivalent) < n:
        said = (
            f"At rates up to {limit} the evidence cannot tell whether to rebalance: "
            f"{names} were never practically better than the baseline there, but "
            f"only {worse + equivalent} of {n} cells are decided ({worse} worse)"
        )
    elif better == 0:
        said = (
            f"At rates up to {limit}, do not rebalance to rank, to calibrate or for F1 "
            f"at a tuned threshold: {names} were never practically better than the "
            f"baseline there (worse in {worse} of {n} cells: {per_method})"
        )
    else:
        said = (
            f"At rates up to {limit}, {names} were practically better than the "
            f"baseline in {better} of {n} cells on ranking, probabilities or tuned F1 "
            f"and worse in {worse} ({per_method})"
        )
    at_05 = sweep[low & exercise & decision]
    tuning = sweep[low & decision & (sweep["method"] == TUNING).to_numpy()]
    if len(at_05):
        metrics = ", ".join(sorted(at_05["metric"].unique()))
        gained, _, of = counted(at_05)
        said += f"; at threshold 0.5 ({metrics}) they were better in {gained} of {of}"
        if len(tuning):
            moved, _, of = counted(tuning)
            said += (
                f", and moving the threshold instead ({TUNING}, no resampling) in "
                f"{moved} of {of}"
            )
    above = sweep[~low & exercise]
    if len(above):
        equivalent, better, worse, n = counted(above, ("equivalent", "better", "worse"))
        said += (
            f". Above {limit} they were practically equivalent to the baseline in "
            f"{equivalent} of {n} cells (better in {better}, worse in {worse})"
        )
    return f"**Answer.** {said} (`ratio_sweep.csv`)."


def question_2(costs, recalibrated, ratio, level):
    """Which threshold to use at the shown cost ratio, per classifier (its
    baseline): the Bayes threshold where it is non-inferior to the tuned one at
    every rate (``non_inferiority``), else the tuned threshold; what 0.5 costs in
    excess, and what the trivial constant prediction costs."""
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
    lines += [threshold_advice(chosen, ratio, level), ""]
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
            "constant": ("constant", number),
        },
    ).assign(**{"Bayes vs tuned": chosen.apply(verdict_text, axis=1)})
    lines.append(markdown_table(table, "`cost_threshold.csv`"))
    lines += [calibration_note(recalibrated), ""]
    lines.append("Figure: `figures/cost_threshold.png`.")
    return [*lines, ""]


def threshold_advice(chosen, ratio, level):
    """Question 2's answer in one sentence: per classifier, the threshold to use
    (the Bayes threshold where it is non-inferior to the tuned one at every rate,
    else the tuned one, with its range), what 0.5 costs beside the cheaper of the
    two, and the constant prediction's cost at the lowest rate against the best
    baseline's."""
    advice = []
    for classifier, rows in chosen.groupby("classifier"):
        judged = [non_inferiority(row, level) for _, row in rows.iterrows()]
        if all(j == "non-inferior" for j in judged):
            advice.append(f"{classifier}: the Bayes threshold")
        else:
            advice.append(
                f"{classifier}: the tuned threshold ({spread(rows['tuned_threshold'])})"
            )
    best = chosen[["at_bayes", "at_tuned"]].min(axis=1)
    lowest = chosen[chosen["positive_rate"] == chosen["positive_rate"].min()]
    return (
        f"**Answer.** At a false negative costing {ratio:g}x a false positive, use "
        f"{'; '.join(advice)} (the Bayes threshold 1/(1+{ratio:g}) where it was "
        "non-inferior to the tuned one at every rate, P(costlier by more than the "
        f"ROPE) < {probability_text(1 - level)}; else the threshold tuned on "
        "training data, whose range over the rates is given). Threshold 0.5 was the "
        "cheapest in "
        f"{int((chosen['at_0.5'] <= best).sum())} of {len(chosen)} cells and cost up "
        f"to {number(chosen['at_0.5_vs_best'].max(), 2)}x the cheaper of the two. At "
        "rate "
        f"{rate(lowest['positive_rate'].iloc[0])} the cheaper constant prediction "
        f"costs {number(lowest['constant'].min())} per sample against the best "
        f"baseline's {number(best[lowest.index].min())} (`cost_threshold.csv`)."
    )


def calibration_note(recalibrated):
    """What the Bayes threshold assumes (calibrated probabilities), and how far
    each baseline is from it: its calibration slopes over the rates."""
    if recalibrated.empty:
        return "The recalibration arm has no results."
    baselines = recalibrated[recalibrated["method"] == "baseline"]
    slopes = baselines.groupby("classifier")["calibration_slope"].agg(spread)
    return (
        "The Bayes threshold is cost-optimal for calibrated probabilities. The "
        "baselines' calibration slopes over the rates (1: calibrated; below 1: "
        "overconfident, too extreme; above 1: too modest) are "
        + ", ".join(f"{c} {s}" for c, s in slopes.items())
        + "; where a slope is far from 1, the tuned threshold is the one to trust "
        "(`recalibration.csv`)."
    )


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
    lines += [ensemble_answer(ensembles), ""]
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


def f1_answer(pattern):
    """Question 4's answer: how micro F1's lead over the positive class's F1 moves
    from the highest rate to the lowest, with macro and weighted F1 beside it."""
    high, low = pattern.iloc[-1], pattern.iloc[0]

    def at(row):
        return (
            f"at rate {rate(row['positive_rate'])} positive-class F1 "
            f"{number(row['f1'])}, macro {number(row['f1_macro'])}, weighted "
            f"{number(row['f1_weighted'])}, micro {number(row['f1_micro'])}"
        )

    advice = (
        "Report positive-class F1 at a stated threshold, or macro F1 when both "
        "classes matter; never micro or weighted F1 alone under imbalance."
    )
    if len(pattern) == 1:  # one rate: nothing to follow across rates
        return (
            f"**Answer.** At the one rate of this run micro F1 leads positive-class "
            f"F1 by {number(low['micro_lead'])} (medians over "
            f"{instances(pattern['cells'])} cells: {at(low)}; `f1_by_rate.csv`). "
            + advice
        )
    trend = "grows" if low["micro_lead"] > high["micro_lead"] else "does not grow"
    return (
        f"**Answer.** The rarer the positive class, the further the averages part: "
        f"micro F1's lead over positive-class F1 {trend} from "
        f"{number(high['micro_lead'])} to {number(low['micro_lead'])} (medians over "
        f"{instances(pattern['cells'])} cells per rate: {at(high)}; "
        f"{at(low)}; `f1_by_rate.csv`). " + advice
    )


def yes_or_no(verdicts):
    """``yes`` when the ensemble is practically better in at least half of the
    decided cells and worse in none, ``rarely`` when better in fewer and worse in
    none, ``no`` when it is better in none, ``mixed`` when better in some and worse
    in others, and ``cannot tell`` when no cell is decided."""
    decided = verdicts[verdicts.isin(["better", "equivalent", "worse"])]
    better, worse = (decided == "better").sum(), (decided == "worse").sum()
    if decided.empty:
        return "cannot tell"
    if better == 0:
        return "no"
    if worse:
        return "mixed"
    return "yes" if 2 * better >= len(decided) else "rarely"


def ensemble_answer(ensembles):
    """Question 3's answer: per reference (one full-data model, one undersample)
    and metric, whether the full ensemble beats it (``yes_or_no``), in how many
    cells and by how much (the range of its mean gains)."""
    said = []
    for against, rows in ensembles.groupby("against", sort=False):
        per_metric = [
            f"{metric} {yes_or_no(cells['verdict'])} ({verdict_counts(cells)} cells, "
            f"gains {spread_signed(cells['gain'], cells['gain_unit'].iloc[0])})"
            for metric, cells in rows.groupby("metric", sort=False)
        ]
        said.append(f"against one {against} model: {'; '.join(per_metric)}")
    return (
        "**Answer.** Does the undersampling ensemble beat one model? "
        + ". ".join(s[0].upper() + s[1:] for s in said)
        + " (`ensembles.csv`; a gain in percent is relative to the one model's, "
        "where the metric's ROPE is relative)."
    )


def spread_signed(values, unit="absolute"):
    """The range of gains with their signs: ``+0.010`` or ``-0.040 to +0.020``, in
    percent where the ``unit`` is ``relative`` (``-1856% to +0%``)."""
    values = pd.Series(values, dtype=float).dropna()
    if values.empty:
        return "n/a"
    style = "{:+.0%}" if unit == "relative" else "{:+.3f}"
    low, high = style.format(values.min()), style.format(values.max())
    return low if low == high else f"{low} to {high}"


def question_4(gaps, pattern):
    """How far the F1 averages lie apart, and which to report."""
    lines = ["## 4. How do macro, weighted and micro F1 differ, and which to report?"]
    lines.append("")
    if gaps.empty:
        return [*lines, NOTHING, ""]
    if not pattern.empty:
        lines += [f1_answer(pattern), ""]
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
    entry = active().get(method)
    return entry.shown.family if entry else ""


def _traits(classifier):
    entry = classifiers.active().get(classifier)
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


def goorbergh_claim(sweep, recalibrated):
    """van den Goorbergh et al. 2022: resampling worsens logistic regression's
    calibration and does not raise its ROC-AUC. Calibration is judged by the Brier
    score of the probabilities as trained (worse supports it, equivalent or better
    refutes it); the recalibration arm says how much of the harm is the prior shift:
    the cells still worse after prior correction to the true rate, and the
    calibration slope, which that correction cannot change."""
    if recalibrated.empty:
        return "cannot tell", "the recalibration arm has no results"
    chosen = recalibrated[
        (recalibrated["classifier"] == "logistic_regression")
        & (recalibrated["positive_rate"] < 0.5)  # at balance nothing is resampled
    ]
    resampled = chosen[chosen["method"].isin(RESAMPLING)]
    as_trained = resampled[resampled["probabilities"] == "as trained"]
    corrected = resampled[resampled["probabilities"] == "prior-corrected"]
    brier = tally(as_trained["brier_verdict"], {"worse"}, {"equivalent", "better"})
    auc = tally(
        sweep[
            (sweep["classifier"] == "logistic_regression")
            & sweep["method"].isin(RESAMPLING)
            & (sweep["positive_rate"] < 0.5)
            & (sweep["metric"] == "roc_auc")
        ]["verdict"],
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
    still = corrected["brier_verdict"].value_counts()
    baseline = chosen[chosen["method"] == "baseline"]["calibration_slope"]
    return verdict, (
        f"logistic regression with {', '.join(RESAMPLING)} below rate 0.5: Brier "
        f"as trained worse, {brier[1]}; ROC-AUC not better, {auc[1]}; after prior "
        f"correction to the true rate {still.get('worse', 0)} of {len(corrected)} "
        "cells are still practically worse (miscalibration beyond the prior shift) "
        f"and {still.get('equivalent', 0) + still.get('better', 0)} equivalent or "
        "better; calibration slope, which the correction leaves as it is, "
        f"{spread(resampled['calibration_slope'])} against the baseline's "
        f"{spread(baseline)} (`recalibration.csv`, `ratio_sweep.csv`)"
    )


# smote-variants' classes of Kovacs 2019's top-ranked oversamplers
KOVACS_TOP = ("polynom_fit_SMOTE_star", "ProWSyn", "SMOTE_IPF")


def kovacs_methods(sweep):
    """The sweep's methods that are smote-variants plug-ins of ``KOVACS_TOP``."""
    chosen = []
    for method in sorted(sweep["method"].unique()):
        plugin = getattr(active().get(method), "plugin", None)
        module, _, name = plugin.path.partition(":") if plugin else ("", "", "")
        if module == "smote_variants" and name in KOVACS_TOP:
            chosen.append(method)
    return chosen


def kovacs_claim(sweep, f1_rule):
    """Kovacs 2019: polynom-fit-SMOTE, ProWSyn and SMOTE-IPF beat no oversampling,
    as ranked there at a 0.5 threshold: balanced accuracy at threshold 0.5 (the
    sweep's decision metric there; the study ranked AUC, F1, G-mean and P20) at the
    imbalanced rates (``IMBALANCED_RATE``), better supporting it, equivalent or
    worse refuting it; the evidence adds F1 at the tuned threshold, the question the
    study left open."""
    chosen = kovacs_methods(sweep)
    if not chosen:
        return "cannot tell", "this config runs none of them (smote-variants plug-ins)"
    cells = sweep[
        sweep["method"].isin(chosen) & (sweep["positive_rate"] <= IMBALANCED_RATE)
    ]
    verdict, counts = tally(
        cells.loc[cells["metric"] == label("balanced_accuracy", "default"), "verdict"],
        {"better"},
        {"equivalent", "worse"},
    )
    tuned = cells.loc[cells["metric"] == label("f1", f1_rule), "verdict"]
    still = tuned.value_counts()
    return verdict, (
        f"{', '.join(chosen)} against the baseline at rates up to "
        f"{rate(IMBALANCED_RATE)}, every classifier, balanced accuracy at threshold "
        f"0.5: {counts}; "
        f"once the threshold is tuned ({label('f1', f1_rule)}) better in "
        f"{still.get('better', 0)}, equivalent in {still.get('equivalent', 0)}, "
        f"worse in {still.get('worse', 0)} of {len(tuned)} (`ratio_sweep.csv`)"
    )


def climb_claims(sweep, f1_rule):
    """CLIMB (Liu et al. 2025): naive rebalancing (random over- and undersampling,
    SMOTE) often hurts, and undersampling ensembles are the most robust; F1 at the
    tuned threshold at the imbalanced rates (``IMBALANCED_RATE``). The first is
    supported by worse cells and refuted by better ones; the second by the
    ensembles' cells that are not worse, refuted by those that are."""
    cells = sweep[
        (sweep["metric"] == label("f1", f1_rule))
        & (sweep["positive_rate"] <= IMBALANCED_RATE)
    ]
    naive = tally(
        cells.loc[cells["method"].isin(RESAMPLING), "verdict"], {"worse"}, {"better"}
    )
    ensembles = cells["method"].map(lambda m: _family(m) == "ensembles")
    robust = tally(cells.loc[ensembles, "verdict"], {"better", "equivalent"}, {"worse"})
    where = f"F1 at the tuned threshold ({label('f1', f1_rule)}) at rates up to " + (
        f"{rate(IMBALANCED_RATE)}"
    )
    names = ", ".join(sorted(cells.loc[ensembles, "method"].unique())) or "none ran"
    return [
        (
            naive[0],
            f"{', '.join(RESAMPLING)} against the baseline, {where}: {naive[1]} "
            "(`ratio_sweep.csv`)",
        ),
        (
            robust[0],
            f"the ensembles ({names}) against the baseline, {where}: "
            f"{robust[1]} (`ratio_sweep.csv`)",
        ),
    ]


def spread(values):
    """The range of ``values`` as findings print it: ``0.91`` or ``0.85-1.02``; NaN
    left out."""
    values = pd.Series(values, dtype=float).dropna()
    if values.empty:
        return "n/a"
    low, high = number(values.min(), 2), number(values.max(), 2)
    return low if low == high else f"{low}-{high}"


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


def published_claims(sweep, costs, recalibrated, ratio, f1_rule, level):
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
            goorbergh_claim(sweep, recalibrated),
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
        (
            "Kovács 2019: polynom-fit-SMOTE, ProWSyn and SMOTE-IPF beat no "
            "oversampling (ranked at a 0.5 threshold)",
            kovacs_claim(sweep, f1_rule),
        ),
        *zip(
            (
                "CLIMB (Liu et al. 2025): naive rebalancing often hurts",
                "CLIMB (Liu et al. 2025): undersampling ensembles are the most robust",
            ),
            climb_claims(sweep, f1_rule),
            strict=True,
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


def tiers_note(tiers):
    """What the rates are when a real collection's datasets are shown at them
    (``Plan.tiers``): its imbalance-ratio tiers, the whole collection pooled, or
    its datasets brought to controlled rates."""
    if not tiers:
        return []
    counted = "count as one observation {}, their mean: a verdict's n is families."
    if all(tier is None for _, tier, _, _ in tiers):
        shown = "; ".join(
            f"{rate(r)}: {count} datasets, {families} families"
            for r, _, count, families in tiers
        )
        text = (
            "**Real data at controlled rates.** The positive rates below are the KEEL "
            "datasets the config selects, brought to each rate by removing samples of "
            "one class (positives below a dataset's own rate, negatives above it), "
            f"each at the rates its folds allow: {shown}. The datasets derived from "
            f"one base set {counted.format('per rate')}"
        )
    elif [tier for _, tier, _, _ in tiers] == ["all"]:
        [[r, _, count, families]] = tiers
        text = (
            "**Real data, pooled.** The positive rate below is the whole KEEL "
            f"collection at its own rates, every imbalance ratio in one group ({count} "
            f"datasets, {families} families), shown at the median own rate of its "
            f"datasets, {rate(r)}. The datasets derived from one base set "
            f"{counted.format('in all')}"
        )
    else:
        shown = "; ".join(
            f"{rate(r)} is {tier} ({count} datasets, {families} families)"
            for r, tier, count, families in tiers
        )
        text = (
            "**Real data.** The positive rates below are the KEEL collection's "
            "imbalance-ratio tiers (majority over minority), each shown at the median "
            f"own rate of its datasets: {shown}. The datasets derived from one base "
            f"set {counted.format('per tier')}"
        )
    return [text, ""]


def findings(
    sweep,
    answers,
    sensitivity,
    costs,
    ensembles,
    gaps,
    pattern,
    recalibrated,
    ratio,
    f1_rule,
    level,
    config_hash,
    tiers=(),
):
    """The text of ``findings.md`` from the result tables (``ensembles`` is None
    when the undersampling ensemble did not run); ``level`` is the posterior
    probability a verdict needs (``stats.Equivalence.probability``); ``tiers``
    (``Plan.tiers``) say which rates are a collection's imbalance-ratio tiers."""
    lines = [
        "# Findings",
        "",
        f"Written by imbench from this run's tables (config hash {config_hash}); "
        "regenerate them and this page changes with them. Verdicts: practically "
        "better, equivalent or worse than the reference when the Bayesian "
        "signed-rank test's posterior probability reaches the configured level, "
        "else undecided.",
        "",
        *tiers_note(tiers),
        *question_1(sweep, answers, sensitivity),
        *question_2(costs, recalibrated, ratio, level),
        *question_3(ensembles),
        *question_4(gaps, pattern),
        *published_claims(sweep, costs, recalibrated, ratio, f1_rule, level),
    ]
    return "\n".join(lines).rstrip() + "\n"
