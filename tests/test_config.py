import copy

import pytest
import yaml

from imbench.config import ConfigError, build_plan, load_yaml

from .conftest import REPO, SCHEMA


@pytest.fixture(scope="module")
def test_config():
    return load_yaml(REPO / "config" / "test.yaml")


def plan_of(config):
    return build_plan(copy.deepcopy(config), SCHEMA, base_dir=REPO)


@pytest.mark.parametrize("name", ["config.yaml", "test.yaml"])
def test_shipped_configs_are_valid(name):
    plan = plan_of(load_yaml(REPO / "config" / name))
    assert plan.cells and plan.datasets


def test_plan_expands_datasets_and_cells(test_config):
    plan = plan_of(test_config)
    assert sorted(plan.datasets) == [
        "breast_cancer-p0-r0.3-s0",
        "file-customers",
        "synthetic-r0.1-s0",
        "synthetic-r0.3-s0",
    ]
    assert plan.config["cv"] == {"folds": 3, "repeats": 1}  # given
    assert plan.config["thresholds"]["grid_size"] == 100  # default filled in
    hgb = {c.method for c in plan.cells if c.classifier == "hist_gradient_boosting"}
    assert hgb == {"baseline", "undersample_ensemble"}
    assert ("hist_gradient_boosting", "focal_loss") in {
        (c, m) for c, m, _ in plan.not_applicable
    }
    assert plan.threshold_rules() == ["default", "tuned_f1", "tuned_cost_10"]


def test_fit_params_change_only_with_what_the_cell_depends_on(test_config):
    plan = plan_of(test_config)
    changed = copy.deepcopy(test_config)
    changed["methods"]["smote"] = {"k_neighbors": 3}
    other = plan_of(changed)
    for cell in plan.cells:
        same = plan.fit_params(cell) == other.fit_params(cell)
        assert same == (cell.method != "smote")


def test_job_params_do_not_depend_on_the_order_of_the_config(test_config):
    """Snakemake compares a job's params as text: key order must not leak into it."""
    reordered = yaml.safe_load(yaml.safe_dump(test_config, sort_keys=True))
    reordered["methods"] = dict(reversed(list(reordered["methods"].items())))
    reordered["positive_rates"] = list(reversed(reordered["positive_rates"]))
    first, second = plan_of(test_config), plan_of(reordered)
    for cell in first.cells:
        assert repr(first.fit_params(cell)) == repr(second.fit_params(cell))
    for name, spec in first.datasets.items():
        assert repr(spec) == repr(second.datasets[name])


def set_key(config, path, value):
    *parents, last = path.split(".")
    node = config
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if value is DELETE:
        del node[last]
    else:
        node[last] = value


DELETE = object()
INVALID = [
    ("methods.magic", {}, "methods: Additional properties are not allowed ('magic'"),
    ("classifiers.svm", {}, "classifiers: Additional properties are not allowed"),
    ("positive_rates", [0.1, 1.5], "positive_rates.1: 1.5 is greater than or equal"),
    ("positive_rates", [0.0], "positive_rates.0: 0.0 is less than or equal"),
    ("positive_rates", [0.1, 0.1], "positive_rates: [0.1, 0.1] has non-unique"),
    ("cv.folds", 1, "cv.folds: 1 is less than the minimum of 2"),
    ("cv.folds", "five", "cv.folds: 'five' is not of type 'integer'"),
    ("positive_rates", [0.001], "datasets.synthetic: synthetic-r0.001-s0 would have 0"),
    ("cv.folds", 40, "fewer than cv.folds = 40"),
    ("thresholds.inner_folds", 25, "fewer than thresholds.inner_folds = 25"),
    (
        "thresholds.cost_ratios",
        [0],
        "thresholds.cost_ratios.0: 0 is less than or equal",
    ),
    ("thresholds.strategy", "oracle", "thresholds.strategy: 'oracle' is not one of"),
    ("colour", "blue", "config: Additional properties are not allowed ('colour'"),
    ("methods.smote.k_neighbors", 0, "methods.smote.k_neighbors: 0 is less than"),
    ("methods.smote.sampling_strategy", 2, "methods.smote.sampling_strategy: 2 is"),
    (
        "classifiers.logistic_regression.methods",
        ["adasyn"],
        "'adasyn' is not an enabled",
    ),
    ("classifiers", DELETE, "config: 'classifiers' is a required property"),
    ("methods", {}, "methods: {} should be non-empty"),
    ("datasets.synthetic.n_informative", 9, "n_informative + n_redundant exceeds"),
    ("datasets.builtin.0.positive_label", 4, "4 is not a class of breast_cancer"),
    ("datasets.builtin.0.loader", "mnist", "datasets.builtin.0.loader: 'mnist' is not"),
    (
        "datasets.files",
        [{"name": "x", "path": "nope.csv", "target": "y"}],
        "no such file",
    ),
    ("datasets.files", [{"name": "x", "path": "x.xlsx", "target": "y"}], "not .csv"),
    ("datasets.imblearn", {"names": ["iris"]}, "'iris' is not one of"),
    ("tables.headline", ["f1"], "tables.headline.0: 'f1' is not a probability metric"),
    ("tables.headline", ["f1@tuned_cost_3"], "'f1@tuned_cost_3' is not"),
]


@pytest.mark.parametrize("path,value,message", INVALID, ids=[i[0] for i in INVALID])
def test_invalid_configs_are_rejected_in_one_line(test_config, path, value, message):
    config = copy.deepcopy(test_config)
    set_key(config, path, value)
    with pytest.raises(ConfigError) as raised:
        plan_of(config)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_no_datasets_is_an_error(test_config):
    config = copy.deepcopy(test_config)
    config["datasets"] = {}
    with pytest.raises(ConfigError, match="no dataset is configured"):
        plan_of(config)
