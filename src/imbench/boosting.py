"""XGBoost's classifier with ``class_weight``, which XGBoost's scikit-learn API lacks.

``class_weight="balanced"`` sets XGBoost's own weighting, ``scale_pos_weight``, to
the negatives per positive of the rows each fit sees (what XGBoost's documentation
advises for imbalanced classes); ``None`` leaves it as XGBoost's default, so the
classifier is then ``XGBClassifier`` itself, bit for bit (tested).
"""

from xgboost import XGBClassifier


class XGBoost(XGBClassifier):
    """``XGBClassifier`` with ``class_weight``: None or ``"balanced"``."""

    def __init__(self, *, class_weight=None, **kwargs):
        super().__init__(**kwargs)
        self.class_weight = class_weight

    def get_xgb_params(self):
        """The booster's parameters: XGBoost's own, without ``class_weight``."""
        params = super().get_xgb_params()
        params.pop("class_weight", None)
        return params

    def fit(self, X, y, *, sample_weight=None, **kwargs):
        """Fit, with ``scale_pos_weight`` from ``y`` while fitting when balanced."""
        kwargs["sample_weight"] = sample_weight
        if self.class_weight is None:
            return super().fit(X, y, **kwargs)
        if self.class_weight != "balanced":
            raise ValueError(f"class_weight {self.class_weight!r} is not 'balanced'")
        given = self.scale_pos_weight
        positives = int((y == 1).sum())
        self.scale_pos_weight = (len(y) - positives) / max(positives, 1)
        try:
            return super().fit(X, y, **kwargs)
        finally:  # the parameter as set: fitting changes no parameter
            self.scale_pos_weight = given
