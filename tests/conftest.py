from pathlib import Path

import pytest
from hypothesis import strategies as st
from sklearn.datasets import make_classification

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
# binary labels with both classes, for property tests against scikit-learn
BOTH_CLASSES = st.lists(st.booleans(), min_size=2, max_size=60).filter(
    lambda labels: 0 < sum(labels) < len(labels)
)


@pytest.fixture(scope="session")
def imbalanced():
    """A small dataset with 15% positives."""
    X, y = make_classification(
        400, n_features=6, n_informative=3, weights=[0.85], random_state=7
    )
    return X, y
