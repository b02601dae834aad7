import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st
from sklearn.datasets import make_classification

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
TEST_CONFIG = "config/test.yaml"
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


def copy_workflow(destination):
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "profiles", "config", "tests/data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy(source, destination / name)
    return destination


def snakemake(workdir, *args, configfile=TEST_CONFIG, env=None):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", configfile, *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


@pytest.fixture(scope="session")
def test_config_run(tmp_path_factory):
    """A scratch copy of the workflow with the test config run in it at --cores 2:
    the reference the end-to-end tests compare with. Read only."""
    workdir = copy_workflow(tmp_path_factory.mktemp("cores2"))
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir
