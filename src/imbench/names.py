"""Names of metrics, with the standard library only: planning (Snakemake's parse time)
checks configs against them without importing numpy."""

DECISION_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "specificity",
    "f1",
    "f1_macro",
    "f1_weighted",
    "f1_micro",
    "g_mean",
    "mcc",
)
PROBABILITY_METRICS = ("roc_auc", "average_precision", "brier", "log_loss")
F1_AVERAGES = ("f1", "f1_macro", "f1_weighted", "f1_micro")
LOWER_IS_BETTER = ("brier", "log_loss", "expected_cost")


def cost_metric(cost_ratio):
    """Name of the expected-cost metric at FN:FP cost ratio ``cost_ratio``."""
    return f"expected_cost_{cost_ratio:g}"


def lower_is_better(metric):
    """Whether a smaller value of ``metric`` is better."""
    return metric.startswith(LOWER_IS_BETTER)


def label(metric, rule):
    """``metric`` or ``metric @ rule`` for decision metrics."""
    return metric if rule == "none" else f"{metric} @ {rule}"


def slug(metric, rule):
    """``label(metric, rule)`` as a file name: ``f1_at_tuned_f1``."""
    return metric if rule == "none" else f"{metric}_at_{rule}"


# Half-widths of the region of practical equivalence (ROPE): a gain over the
# baseline inside it is too small to matter (reasons in docs/design.md,
# "Practical equivalence"). Scores in absolute units; the losses, whose size scales
# with the positive rate, relative to the baseline's value.
DEFAULT_ROPE = {
    "roc_auc": 0.01,
    "average_precision": 0.01,
    **dict.fromkeys(DECISION_METRICS, 0.02),
    "accuracy": 0.005,  # dominated by the majority: 0.99 for free at a 1% rate
    "specificity": 0.005,
    **dict.fromkeys(LOWER_IS_BETTER, 0.05),
}


def rope_key(metric):
    """The ROPE entry of ``metric`` (every ``expected_cost_r`` shares one)."""
    return "expected_cost" if metric.startswith("expected_cost") else metric


def relative_rope(metric):
    """Whether ``metric``'s ROPE is a fraction of the baseline's value."""
    return lower_is_better(metric)
