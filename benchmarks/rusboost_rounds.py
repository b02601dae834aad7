"""How many of its boosting rounds imbalanced-learn's RUSBoost keeps, against
AdaBoost's, on training folds shaped like the published grid's (1,600 rows of its
generator, 20 features) at each of its rates.

Both stop boosting at the first round whose weak learner errs on at least half of the
weighted training set (scikit-learn's SAMME), and raise when that is the first round.
AdaBoost fits each stump to those weights, RUSBoost to a balanced undersample of
them, so its stumps can be worse than random on the whole set. Prints one Markdown
table: per rate and model, fits that failed and the rounds kept (of 50).

    .venv/bin/python benchmarks/rusboost_rounds.py
"""

import sys

import numpy as np
import pandas as pd
from imblearn.ensemble import RUSBoostClassifier
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

RATES = [0.01, 0.05, 0.1, 0.25, 0.5]
SEEDS = range(15)
ROUNDS = 50
MODELS = {
    "AdaBoost, stumps": lambda seed: AdaBoostClassifier(
        DecisionTreeClassifier(max_depth=1), n_estimators=ROUNDS, random_state=seed
    ),
    "RUSBoost, stumps": lambda seed: RUSBoostClassifier(
        DecisionTreeClassifier(max_depth=1), n_estimators=ROUNDS, random_state=seed
    ),
    "RUSBoost, full trees (Seiffert et al. 2010's C4.5)": lambda seed: (
        RUSBoostClassifier(
            DecisionTreeClassifier(), n_estimators=ROUNDS, random_state=seed
        )
    ),
}


def rounds_kept(model, X, y):
    """Rounds ``model`` keeps after fitting on ``X, y``; 0 when the fit raises."""
    try:
        return len(model.fit(X, y).estimators_)
    except ValueError:  # the first round was worse than random
        return 0


def main():
    rows = []
    for rate in RATES:
        data = [
            make_classification(
                n_samples=1600,
                n_features=20,
                n_informative=5,
                n_redundant=2,
                weights=[1 - rate],
                flip_y=0.01,
                random_state=seed,
            )
            for seed in SEEDS
        ]
        for name, build in MODELS.items():
            kept = np.array(
                [rounds_kept(build(s), X, y) for s, (X, y) in enumerate(data)]
            )
            rows.append(
                {
                    "rate": rate,
                    "model": name,
                    "fits failed": f"{(kept == 0).sum()} of {len(kept)}",
                    "rounds kept, median": int(np.median(kept)),
                    "range": f"{kept.min()}-{kept.max()}",
                }
            )
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    sys.exit(main())
