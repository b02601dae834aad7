"""Threshold rules: how the threshold of a decision metric is chosen.

A rule is a value, not a string glued together where it is needed: ``ThresholdRule``
builds and parses the names that appear in tables (``default``, ``own``, ``tuned_f1``,
``tuned_cost_10``), and ``plan_rules`` lists the rules a config evaluates. Standard
library only, so that planning can use it.
"""

from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.5
NO_RULE = "none"  # the rule of threshold-free (probability) metrics


@dataclass(frozen=True)
class ThresholdRule:
    """A way to choose a fold's threshold.

    ``kind`` is ``default`` (0.5), ``own`` (the threshold a method tuned while
    fitting) or ``tuned`` (chosen on validation predictions from the training fold);
    a tuned rule has a ``criterion``: ``"f1"`` or a FN:FP cost ratio (a float).
    """

    kind: str
    criterion: str | float | None = None

    @property
    def name(self):
        """The rule's name in tables and configs."""
        if self.kind != "tuned":
            return self.kind
        if self.criterion == "f1":
            return "tuned_f1"
        return f"tuned_cost_{self.criterion:g}"

    @classmethod
    def parse(cls, name):
        """The rule named ``name``; ``ValueError`` when it names none."""
        if name in ("default", "own"):
            return cls(name)
        if name == "tuned_f1":
            return cls.tuned_f1()
        if name.startswith("tuned_cost_"):
            try:
                return cls.tuned_cost(float(name.removeprefix("tuned_cost_")))
            except ValueError:
                pass
        raise ValueError(f"{name!r} is not a threshold rule")

    @classmethod
    def tuned_f1(cls):
        """Maximise positive-class F1 on the validation predictions."""
        return cls("tuned", "f1")

    @classmethod
    def tuned_cost(cls, ratio):
        """Minimise the expected cost at FN:FP cost ``ratio``."""
        return cls("tuned", float(ratio))


def plan_rules(strategy, cost_ratios):
    """Rules every cell is evaluated at: ``default``, ``own`` (for the methods that
    tune a threshold while fitting) and, unless ``strategy`` is ``none``, ``tuned_f1``
    and one tuned rule per cost ratio."""
    rules = [ThresholdRule("default"), ThresholdRule("own")]
    if strategy != "none":
        rules.append(ThresholdRule.tuned_f1())
        rules.extend(ThresholdRule.tuned_cost(ratio) for ratio in cost_ratios)
    return rules


def shown_cost_ratio(cost_ratios):
    """The cost ratio figures show: 10, the mission's question, when configured, else
    the first."""
    return 10.0 if 10.0 in cost_ratios else float(cost_ratios[0])


def f1_rule(rule_names):
    """The rule F1 is compared at: ``tuned_f1`` where thresholds are tuned, else
    ``default``."""
    return "tuned_f1" if "tuned_f1" in rule_names else "default"


def cost_rule(rule_names, ratio):
    """The rule the expected cost at ``ratio`` is compared at: tuned for that ratio
    where thresholds are tuned, else ``default``."""
    tuned = ThresholdRule.tuned_cost(ratio).name
    return tuned if tuned in rule_names else "default"
