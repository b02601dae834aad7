import copy

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from imbench.classifiers import CLASSIFIERS
from imbench.config import ConfigError, build_plan, load_yaml

from .conftest import REPO, SCHEMA


@pytest.fixture(scope="module")
def test_config():
    return load_yaml(REPO / "config" / "test.yaml")


def plan_of(config):
    return build_plan(copy.deepcopy(config), SCHEMA, base_dir=REPO)


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (REPO / "config").glob("*.yaml"))
)
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
    assert plan.rule_names() == [
        "default",
        "own",
        "tuned_f1",
        "tuned_cost_1",
        "tuned_cost_10",
    ]


@pytest.mark.parametrize(
    "thresholds,f1_rule,cost_entry",
    [
        ({}, "tuned_f1", "expected_cost_10@tuned_cost_10"),
        ({"cost_ratios": [1, 5]}, "tuned_f1", "expected_cost_1@tuned_cost_1"),
        ({"strategy": "none"}, "default", "expected_cost_10@default"),
        (
            {"strategy": "none", "cost_ratios": [3]},
            "default",
            "expected_cost_3@default",
        ),
    ],
)
def test_headline_panels_and_shown_cost_follow_the_configured_rules(
    test_config, thresholds, f1_rule, cost_entry
):
    """What tables and figures show comes from the plan's threshold rules: a config
    without ``tuned_f1`` or without cost ratio 10 is valid and shows what it has."""
    config = copy.deepcopy(test_config)
    config["thresholds"] = thresholds
    plan = plan_of(config)
    headline = plan.config["tables"]["headline"]
    assert headline[-1] == cost_entry
    assert ("f1@tuned_f1" in headline) == (f1_rule == "tuned_f1")
    assert ["f1", f1_rule] in plan.sweep_panels()
    assert ["f1", f1_rule] in plan.scored_metrics()
    rules = set(plan.rule_names())
    assert all(entry.partition("@")[2] in rules | {""} for entry in headline)


def test_jobs_run_users_files_first_then_the_largest_datasets(test_config):
    config = copy.deepcopy(test_config)
    config["datasets"]["synthetic"]["n_samples"] = 1000
    plan = plan_of(config)
    # breast_cancer, label 0 at 30%: its 357 negatives and 153 of its 212 positives
    assert plan.rows == {
        "file-customers": None,
        "synthetic-r0.1-s0": 1000,
        "synthetic-r0.3-s0": 1000,
        "breast_cancer-p0-r0.3-s0": 510,
    }
    priorities = plan.job_priorities()
    assert sorted(priorities, key=priorities.get, reverse=True) == [
        "file-customers",
        "synthetic-r0.3-s0",
        "synthetic-r0.1-s0",
        "breast_cancer-p0-r0.3-s0",
    ]
    assert plan_of(config).job_priorities() == priorities


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
    ("equivalence.rope", {"auc": 0.01}, "equivalence.rope: 'auc' is not one of"),
    ("equivalence.rope", {"roc_auc": 0}, "equivalence.rope.roc_auc: 0 is less than"),
    ("equivalence.probability", 0.4, "equivalence.probability: 0.4 is less than"),
    ("datasets.synthetic.noise", "flip", "datasets.synthetic.noise: 'flip' is not one"),
    ("methods.magic", {}, "methods.magic: not a built-in method; a method of your"),
    ("methods.smoat", {}, "methods.smoat: not a built-in method (did you mean smote?)"),
    ("methods.both", {"like": "smote", "sampler": "m:S"}, "exactly one of like"),
    ("methods.Big", {"like": "smote"}, "methods: 'Big' does not match"),
    ("methods.mine", {"sampler": "mine"}, "methods.mine.sampler: 'mine' is not an"),
    ("methods.mine", {"sampler": "m:S", "family": "magic"}, "methods.mine.family:"),
    (
        "methods.k0",
        {"like": "smote", "params": {"k_neighbors": 0}},
        "methods.k0.params",
    ),
    ("methods.kk", {"like": "smote", "params": {"k": 3}}, "methods.kk.params: Addit"),
    ("methods.kn", {"like": "smote", "neutral": {}}, "methods.kn.neutral: a variant"),
    ("classifiers.svm", {}, "classifiers.svm: 'import' is a required property"),
    ("classifiers.svm", {"import": "svm"}, "classifiers.svm.import: 'svm' is not an"),
    (
        "classifiers.svm",
        {"import": "m:S", "traits": ["fast"]},
        "classifiers.svm.traits",
    ),
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
    (
        "classifiers.logistic_regression.params",
        {"penalty_strength": 1},
        "classifiers.logistic_regression.params: Additional properties are not "
        "allowed ('penalty_strength' was unexpected)",
    ),
    (
        "classifiers.logistic_regression.params",
        {"C": -1},
        "classifiers.logistic_regression.params.C: -1 is less than or equal to the "
        "minimum of 0",
    ),
    (
        "classifiers.logistic_regression.params",
        {"solver": "adamw"},
        "params.solver: 'adamw' is not one of ['lbfgs', 'liblinear'",
    ),
    (
        "classifiers.logistic_regression.params",
        {"random_state": 1},
        "('random_state' was unexpected)",  # imbench seeds every model itself
    ),
    ("cv.folds", 3.0, "cv.folds: 3.0 is not of type 'integer'"),
    ("datasets.synthetic.seeds", 1.0, "synthetic.seeds: 1.0 is not of type 'integer'"),
    ("thresholds.grid_size", 50.0, "grid_size: 50.0 is not of type 'integer'"),
    ("datasets.synthetic.n_samples", 300.0, "n_samples: 300.0 is not of type"),
    ("cv.repeats", 2.0, "cv.repeats: 2.0 is not of type 'integer'"),
    ("thresholds.inner_folds", 3.0, "inner_folds: 3.0 is not of type 'integer'"),
    ("methods.smote.k_neighbors", 5.0, "k_neighbors: 5.0 is not of type 'integer'"),
    ("methods.undersample_ensemble.n_members", 3.5, "n_members: 3.5 is not of"),
    ("methods.undersample_ensemble.n_members", 0, "n_members: 0 is less"),
    ("methods.threshold_cost.cost_ratio", 0, "cost_ratio: 0 is less than or equal"),
    (
        "classifiers.logistic_regression.methods",
        ["smote", "threshold_f1"],
        "'threshold_f1' is a view of the baseline's predictions: list 'baseline' too",
    ),
    ("methods.focal_loss.gamma", -1, "methods.focal_loss.gamma: -1 is less than"),
    ("datasets.builtin.0.seeds", 1.5, "seeds: 1.5 is not of type 'integer'"),
    ("datasets.builtin.0.positive_rates", [0.3, 0.3], "has non-unique elements"),
    ("datasets.imblearn", {"names": []}, "names: [] should be non-empty"),
    ("datasets.files.0.target", DELETE, "'target' is a required property"),
    ("datasets.files.0.path", "", "path: '' should be non-empty"),
    ("seed", 1.5, "seed: 1.5 is not of type 'string', 'integer'"),
    ("positive_rates", [0.5, 1], "positive_rates.1: 1 is greater than or equal"),
    ("thresholds.grid_size", 1, "grid_size: 1 is less than the minimum of 2"),
    (
        "datasets.synthetic.n_clusters_per_class",
        5,
        "n_clusters_per_class = 10 exceeds 2**n_informative = 8",
    ),
    ("datasets.synthetic.n_features", 10**7, "GiB to generate, more than"),
    (
        "classifiers.logistic_regression.params",
        {"max_iter": 100.0},
        "params.max_iter: 100.0 is not an int in the range [0, inf)",
    ),
    (
        "classifiers.logistic_regression.params",
        {"class_weight": {2: 1.0}},
        "params.class_weight: 2 is not a class (the classes are 0 and 1)",
    ),
    (
        "classifiers.logistic_regression.params",
        {"class_weight": {"neg": 1.0}},
        "params.class_weight: 'neg' is not a class",
    ),
    (
        "classifiers.logistic_regression.params",
        {"class_weight": {0: 1, 1: -10}},
        "params.class_weight.1: -10 is not positive",
    ),
    (
        "classifiers.logistic_regression.params",
        {"class_weight": {0: 1, 1: "ten"}},
        "params.class_weight.1: 'ten' is not a number",
    ),
    (
        "classifiers.hist_gradient_boosting.params",
        {"max_bins": 300},
        "params.max_bins: 300 is greater than the maximum of 255",
    ),
    (
        "classifiers.random_forest.params",
        {"n_jobs": 2},
        "('n_jobs' was unexpected)",  # threads come from the rule
    ),
    (
        "classifiers.mlp.params",
        {"hidden_layer_sizes": [16, 0]},
        "params.hidden_layer_sizes.1: 0 is less than the minimum of 1",
    ),
    (
        "classifiers.mlp.params",
        {"solver": "adam"},  # imbench's network trains with L-BFGS only
        "Additional properties are not allowed ('solver' was unexpected)",
    ),
    ("tables.headline", ["f1@own_threshold"], "'f1@own_threshold' is not"),
    ("tables.headline", ["expected_cost_3@default"], "'expected_cost_3@default'"),
    ("tables.headline", [], "tables.headline: [] should be non-empty"),
    ("datasets.files.0.name", "a\n", "datasets.files.0.name: 'a\\n' does not match"),
    ("datasets.files.0.name", "x" * 65, "does not match"),
    ("datasets.files.0.name", "", "datasets.files.0.name: '' does not match"),
    (
        "datasets.files",
        [
            {"name": "c", "path": "tests/data/customers.csv", "target": "outcome"},
            {"name": "c", "path": "tests/data/customers.csv", "target": "outcome"},
        ],
        "datasets.files.1.name: 'c' names another file too",
    ),
    ("datasets.files.0.path", "nope\n.csv", "no such file 'nope\\n.csv'"),
    ("cv.repeats", 0, "cv.repeats: 0 is less than the minimum of 1"),
    ("cv.shuffle", True, "cv: Additional properties are not allowed ('shuffle'"),
    ("positive_rates", [], "positive_rates: [] should be non-empty"),
    ("positive_rates", ["1%"], "positive_rates.0: '1%' is not of type 'number'"),
    ("thresholds.cost_ratios", [], "thresholds.cost_ratios: [] should be non-empty"),
    ("thresholds.cost_ratios", [-10], "thresholds.cost_ratios.0: -10 is less than"),
    (
        "thresholds.cost_ratios",
        [1, 1.0000001],
        "thresholds.cost_ratios.1: 1.0000001 has more than 6 significant digits; its "
        "metric would be named expected_cost_1 as 1 is",
    ),
    ("thresholds.cost_ratios", [10, 10.0000001], "10.0000001 has more than 6"),
    ("thresholds.cost_ratios", [0.1234567], "0.1234567 has more than 6"),
    ("thresholds.holdout_fraction", 1.0, "thresholds.holdout_fraction: 1.0 is"),
    ("seed", [1], "seed: [1] is not of type 'string', 'integer'"),
    ("datasets.synthetic.seeds", 0, "datasets.synthetic.seeds: 0 is less than"),
    ("datasets.synthetic.n_samples", "many", "'many' is not of type 'integer'"),
    ("datasets.files.0.name", "a/b", "datasets.files.0.name: 'a/b' does not match"),
    ("methods.undersample_ensemble.n_members", 0, "n_members: 0 is less than"),
    ("methods.focal_loss.alpha", 1.5, "methods.focal_loss.alpha: 1.5 is greater"),
    ("methods.smote", "yes", "methods.smote: 'yes' is not of type 'object'"),
    ("classifiers", {}, "classifiers: {} should be non-empty"),
    ("positive_rates", [float("nan")], "positive_rates.0: nan is not a finite number"),
    (
        "classifiers.logistic_regression.params",
        {1.5: float("nan")},  # YAML's {1.5: .nan}
        "classifiers.logistic_regression.params.1.5: nan is not a finite number",
    ),
    (
        "classifiers.logistic_regression.params",
        {None: float("nan")},  # YAML's {null: .nan}
        "classifiers.logistic_regression.params.None: nan is not a finite number",
    ),
    (
        "thresholds",
        {"strategy": "holdout", "holdout_fraction": 0.001},
        "minority samples in a training fold, fewer than the 1000 a holdout of "
        "thresholds.holdout_fraction = 0.001 needs to hold one",
    ),
    ("datasets.synthetic.seeds", 10**6, "seeds: 1000000 is greater than the maximum"),
    ("classifiers.logistic_regression.methods", [], "methods: [] should be non-empty"),
    (
        "classifiers.logistic_regression.methods",
        "some",
        "'some' is not \"all\" enabled methods, or a list of method names",
    ),
]


@pytest.mark.parametrize("path,value,message", INVALID, ids=[i[0] for i in INVALID])
def test_invalid_configs_are_rejected_in_one_line(test_config, path, value, message):
    config = copy.deepcopy(test_config)
    set_key(config, path, value)
    with pytest.raises(ConfigError) as raised:
        plan_of(config)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_threshold_views_need_validation_predictions(test_config):
    config = copy.deepcopy(test_config)
    config["thresholds"] = {"strategy": "none", "cost_ratios": [10]}
    plan = plan_of(config)
    reasons = {
        m: why for c, m, why in plan.not_applicable if c == "logistic_regression"
    }
    assert "thresholds.strategy is none" in reasons["threshold_f1"]
    assert not any(cell.method == "threshold_f1" for cell in plan.cells)


def test_a_holdout_too_small_to_tune_on_falls_back_to_inner_folds(test_config):
    """With ``holdout_min_positives`` a dataset whose holdout would hold fewer
    positives (at 1% of 3,000 rows: 20 in a training fold of 3, 5 held out) is split in
    inner folds, the others keep the holdout, a user's file (its size unknown before
    it is read) too; the cost model counts the inner folds' fits."""
    from imbench.cpu_time import validation_fits

    config = copy.deepcopy(test_config)
    config["positive_rates"] = [0.01, 0.1]
    config["datasets"]["synthetic"] |= {"n_samples": 3000}
    config["thresholds"] = {"strategy": "holdout", "holdout_min_positives": 20}
    plan = plan_of(config)
    strategy = {name: plan.validation(name).strategy for name in plan.datasets}
    assert strategy == {
        "synthetic-r0.01-s0": "inner_cv",  # 20 x 0.25 = 5 < 20
        "synthetic-r0.1-s0": "holdout",  # 200 x 0.25 = 50
        "breast_cancer-p0-r0.3-s0": "holdout",  # 102 x 0.25
        "file-customers": "holdout",
    }
    [cell] = [c for c in plan.cells if c.dataset == "synthetic-r0.01-s0"][:1]
    assert validation_fits(plan.fit_params(cell).thresholds) == 2  # 3 inner folds
    config["thresholds"]["holdout_min_positives"] = 0  # the default: never
    assert {plan_of(config).validation(n).strategy for n in plan.datasets} == {
        "holdout"
    }


def test_no_datasets_is_an_error(test_config):
    config = copy.deepcopy(test_config)
    config["datasets"] = {}
    with pytest.raises(ConfigError, match="no dataset is configured"):
        plan_of(config)


def key_paths(node, prefix=()):
    """Every path to a value in a nested config."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        yield (*prefix, key)
        if isinstance(value, dict | list):
            yield from key_paths(value, (*prefix, key))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([float("nan"), float("inf"), -1.0, 0.0, 0.5, 1.0, 10**9])
    | st.integers(-5, 5).map(float)  # whole-number floats where counts go
    | st.sampled_from(["a\n", "x\x00y", "tab\there", "cr\r", "\x1b[31m"])
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
        | st.dictionaries(st.integers(-1, 2), children, max_size=3)  # integer keys
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, derandomize=True)  # the same 300 on CI
@given(data=st.data())
def test_any_mutation_is_either_valid_or_one_clear_line(test_config, data):
    """Replace, delete or add a key anywhere in a valid config: the plan is built or
    a ConfigError of one line is raised, never anything else."""
    config = copy.deepcopy(test_config)
    paths = sorted(key_paths(config), key=repr)
    *parents, last = data.draw(st.sampled_from(paths))
    node = config
    for key in parents:
        node = node[key]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "delete":
        del node[last]
    elif action == "replace":
        node[last] = data.draw(JSON_VALUES)
    elif isinstance(node, dict):
        node[data.draw(st.text(max_size=8))] = data.draw(JSON_VALUES)
    try:
        plan = plan_of(config)
    except ConfigError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert plan.cells


def test_planning_imports_no_numerical_library():
    """Snakemake plans at every start (``-n``, ``--unlock``, ``--report``): what the
    workflow imports from imbench, and building the plan of the largest config, load
    the standard library, PyYAML and jsonschema only. (Measured with ``python -X
    importtime``: 0.22 s; numpy, pandas, pyarrow, scipy and scikit-learn took over
    1 s. Snakemake's SLURM executor plugin imports pandas by itself at start.)"""
    import subprocess
    import sys

    workflow = [REPO / "Snakefile", *sorted((REPO / "workflow/rules").glob("*.smk"))]
    imports = [
        line
        for path in workflow
        for line in path.read_text().splitlines()
        if line.startswith(("from imbench", "import imbench"))
    ]
    assert imports  # the workflow does import imbench
    paper = str(REPO / "config" / "paper.yaml")
    code = "\n".join(
        [
            *imports,
            "import sys",
            "from imbench.config import build_plan, load_yaml",
            f"build_plan(load_yaml({paper!r}), {str(SCHEMA)!r})",
            "print(' '.join(sorted(m for m in sys.modules if '.' not in m)))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.split())
    assert {"imbench", "yaml", "jsonschema"} <= loaded
    assert loaded.isdisjoint({"numpy", "pandas", "pyarrow", "scipy", "sklearn"})


def test_an_alias_bomb_is_stopped_at_once():
    """Nine levels of ten aliases: 10**9 values once expanded. The size check stops
    at 100,000 of them, before any check walks the whole tree."""
    text = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
    )
    config = {**yaml.safe_load(REPO.joinpath("config/test.yaml").read_text())}
    config["bomb"] = yaml.safe_load(text)
    with pytest.raises(ConfigError, match="more than 100000 values"):
        build_plan(config, SCHEMA, base_dir=REPO)


def test_a_yte_template_config_is_refused(tmp_path):
    from imbench.config import refuse_templates

    plain, template = tmp_path / "plain.yaml", tmp_path / "template.yaml"
    plain.write_text("seed: 1\n")
    template.write_text("__use_yte__: true\nseed: ?1 + 1\n")
    refuse_templates([plain])
    with pytest.raises(ConfigError, match=r"YTE templates .* are not accepted"):
        refuse_templates([plain, template])


def test_class_weights_with_integer_keys_reach_the_estimator(test_config):
    config = copy.deepcopy(test_config)
    config["classifiers"]["logistic_regression"] = {
        "params": {"class_weight": {0: 1, 1: 10}}
    }
    plan = plan_of(config)
    cell = next(c for c in plan.cells if c.classifier == "logistic_regression")
    params = plan.fit_params(cell).classifier_params
    assert params == {"class_weight": {"0": 1, "1": 10}}  # JSON, as jobs get it
    model = CLASSIFIERS["logistic_regression"].build(params)
    assert model.get_params()["class_weight"] == {0: 1, 1: 10}


def test_parameters_refused_only_when_fitting_are_a_config_error(test_config):
    config = copy.deepcopy(test_config)
    plan_of(config).check_fits()  # the test config's classifiers fit
    params = {"solver": "lbfgs", "penalty": "l1"}  # each value valid on its own
    config["classifiers"]["logistic_regression"]["params"] = params
    with pytest.raises(ConfigError, match="refused when fitting") as raised:
        plan_of(config).check_fits()
    assert str(raised.value).startswith("classifiers.logistic_regression.params: ")


def test_a_dataset_jobs_memory_grows_with_its_data(test_config, tmp_path):
    """A 1,000,000-row job at the old fixed 2000 MB per process was killed. The
    request follows rows x features (generated data) or the file's size, with twice
    the measured peak's room (docs/performance.md, "Memory": about 330 MB and 7.4
    times the features' size, the dearest classifier measured)."""
    config = copy.deepcopy(test_config)
    config["datasets"]["synthetic"].update(n_samples=1_000_000, n_features=20)
    config["datasets"]["files"][0]["path"] = str(big_csv(tmp_path))
    plan = plan_of(config)
    large_mb = plan.job_memory_mb("synthetic-r0.1-s0", threads=1)
    assert large_mb >= 2 * measured_peak_mb(1_000_000 * 20 * 8 / 2**20)
    assert plan.job_memory_mb("synthetic-r0.1-s0", threads=2) == 2 * large_mb
    small = plan_of(test_config)
    assert small.job_memory_mb("synthetic-r0.1-s0", threads=1) < large_mb
    users_mb = plan.job_memory_mb("file-customers", threads=1)
    assert users_mb >= 2 * measured_peak_mb(200_000 * 6 * 8 / 2**20)
    assert small.job_memory_mb("file-customers", threads=1) < users_mb


def measured_peak_mb(data_mb):
    """A dataset job's peak memory measured for ``data_mb`` of features."""
    return 330 + 7.4 * data_mb


def big_csv(tmp_path, rows=200_000):
    """A user's file of ``rows`` rows and 6 columns (written as text, fast)."""
    path = tmp_path / "big.csv"
    row = "0.12345,-1.2345,2.34567,-0.98765,1.11111,churn\n"
    path.write_text(
        "feature_0,feature_1,feature_2,feature_3,feature_4,outcome\n" + row * rows
    )
    return path
