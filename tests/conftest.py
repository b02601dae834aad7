from pathlib import Path

import pytest
from sklearn.datasets import make_classification

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


@pytest.fixture(scope="session")
def imbalanced():
    """A small dataset with 15% positives."""
    X, y = make_classification(
        400, n_features=6, n_informative=3, weights=[0.85], random_state=7
    )
    return X, y
