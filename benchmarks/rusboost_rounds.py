"""How many of its boosting rounds imbalanced-learn's RUSBoost keeps, against
AdaBoost's, on the first training fold of each instance of the published grid
(``config/published.yaml``), both built as imbench builds them (``adaboost`` and its
``rusboost`` method).

Both stop boosting at the first round whose weak learner errs on at least half of the
weighted training set (scikit-learn's SAMME), and raise when that is the first round.
AdaBoost fits each stump to those weights, RUSBoost to a balanced undersample of
them, so its stumps can be worse than random on the whole set. A third row gives
RUSBoost full trees, Seiffert et al. 2010's weak learner (C4.5). Prints one Markdown
table: per rate and model, fits that failed and the rounds kept.

    .venv/bin/python benchmarks/rusboost_rounds.py
"""

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from imbench.classifiers import CLASSIFIERS
from imbench.config import build_plan, load_yaml
from imbench.fitting import outer_splits
from imbench.methods import METHODS
from imbench.sources import load, stratified_splits

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow/schemas/config.schema.yaml"
ADABOOST = CLASSIFIERS["adaboost"]


def models(params, seed):
    """The three models compared, unfitted, by name."""
    rusboost = METHODS["rusboost"].build(ADABOOST, params, {}, seed=seed)
    trees = METHODS["rusboost"].build(ADABOOST, params, {}, seed=seed)
    return {
        "AdaBoost, stumps": ADABOOST.build(params, seed=seed),
        "RUSBoost, stumps": rusboost,
        "RUSBoost, full trees": trees.set_params(
            model__estimator=DecisionTreeClassifier()
        ),
    }


def rounds_kept(model, X, y):
    """Rounds ``model`` keeps after fitting on ``X, y``; 0 when the fit raises."""
    try:
        model.fit(X, y)
    except ValueError:  # the first round was worse than random
        return 0
    booster = model.named_steps["model"] if hasattr(model, "named_steps") else model
    return len(booster.estimators_)


def main():
    plan = build_plan(load_yaml(REPO / "config/published.yaml"), SCHEMA, REPO)
    params = plan.config["classifiers"]["adaboost"]["params"]
    splits = stratified_splits(plan.config)
    kept = defaultdict(list)
    for record in plan.datasets.values():
        X, y, info = load(record, splits)
        _, _, train, _ = next(outer_splits(y, plan.config["cv"]["folds"], 1, 0))
        for name, model in models(params, record["seed"]).items():
            kept[info["rate"], name].append(rounds_kept(model, X[train], y[train]))
    rows = [
        {
            "rate": rate,
            "model": name,
            "fits failed": f"{sum(k == 0 for k in rounds)} of {len(rounds)}",
            "rounds kept, median": int(np.median(rounds)),
            "range": f"{min(rounds)}-{max(rounds)}",
        }
        for (rate, name), rounds in sorted(kept.items())
    ]
    print(f"of {params['n_estimators']} rounds")
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    sys.exit(main())
