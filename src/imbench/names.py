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
