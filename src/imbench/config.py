"""Config validation and expansion into the plan the workflow runs.

Structure (types, ranges, names) is checked against the JSON schema in
``workflow/schemas``; what a schema cannot say (enough minority samples per fold,
consistent generator sizes, files that exist) is checked here. Every problem is raised
as a ``ConfigError`` with one line naming the key.
"""

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators

from imbench.classifiers import CLASSIFIERS
from imbench.datasets import BUILTIN_CLASS_COUNTS, counts_at_rate, minority_problem
from imbench.methods import METHODS
from imbench.metrics import DECISION_METRICS, PROBABILITY_METRICS, cost_metric
from imbench.seeds import seed_from
from imbench.thresholds import criterion_name


class ConfigError(ValueError):
    """An invalid config; the message is one line naming the key."""


def _with_defaults(validator_class):
    """A validator that fills schema defaults in, as ``snakemake.utils.validate``."""
    check_properties = validator_class.VALIDATORS["properties"]

    def fill_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    instance[name] = json.loads(json.dumps(subschema["default"]))
        yield from check_properties(validator, properties, instance, schema)

    return validators.extend(validator_class, {"properties": fill_defaults})


_Validator = _with_defaults(Draft202012Validator)


SHALLOW = ("type", "const", "enum")  # validators that fail on the wrong oneOf branch


def _key(path):
    """A config path as ``a.b.0``; odd keys (empty, spaces, control characters)
    quoted, so the message stays one line."""
    parts = [
        str(part) if isinstance(part, int) or part.isidentifier() else repr(part)
        for part in path
    ]
    return ".".join(parts) or "config"


def _check_finite(node, path=()):
    """JSON schema bounds let NaN through (every comparison with it is false)."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{_key((*path, key))}: {value} is not a finite number")
        if isinstance(value, dict | list):
            _check_finite(value, (*path, key))


def validate_schema(config, schema_path):
    """Check ``config`` against the schema, filling defaults in place."""
    _check_finite(config)
    schema = yaml.safe_load(Path(schema_path).read_text())
    errors = sorted(
        _Validator(schema).iter_errors(config),
        key=lambda e: (len(e.path), list(e.path)),
    )
    if errors:
        error = errors[0]
        message = error.message.splitlines()[0]
        if error.validator == "oneOf" and error.context:
            # the branch of the instance's type failed deeper: its error says most
            deeper = [e for e in error.context if e.validator not in SHALLOW]
            if deeper:
                error, message = deeper[0], deeper[0].message.splitlines()[0]
            elif "description" in error.schema:
                message = f"{error.instance!r} is not {error.schema['description']}"
        raise ConfigError(f"{_key(error.absolute_path)}: {message}")


@dataclass(frozen=True)
class Cell:
    """One (dataset, classifier, method): cross-validated as one unit."""

    dataset: str
    classifier: str
    method: str


@dataclass
class Plan:
    """Everything the workflow needs, derived from a validated config."""

    config: dict
    datasets: dict = field(default_factory=dict)
    cells: list = field(default_factory=list)
    not_applicable: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)

    def job_priorities(self):
        """Priority of each dataset's job, higher first: users' files first (they may
        be bad, and a bad file should stop the run before other heavy work), then the
        others by rows, largest first, so that the smallest jobs fill the cores at the
        end (longest-processing-time-first scheduling)."""
        order = sorted(
            self.rows,
            key=lambda name: (self.rows[name] is None, self.rows[name] or 0, name),
        )
        return {name: rank for rank, name in enumerate(order)}

    def dataset_seed(self, dataset, purpose):
        """Seed of ``dataset``'s generation (``data``) or its folds (``cv``)."""
        return seed_from(self.config["seed"], dataset, purpose)

    def fit_params(self, cell):
        """Everything a cell's fit depends on: its cache key, so that changing it
        refits only that cell."""
        config = self.config
        return canonical(
            {
                "classifier_params": config["classifiers"][cell.classifier]["params"],
                "method_params": config["methods"][cell.method],
                "seed": seed_from(
                    config["seed"], cell.dataset, cell.classifier, cell.method
                ),
                "cv": {**config["cv"], "seed": self.dataset_seed(cell.dataset, "cv")},
                "thresholds": {
                    key: config["thresholds"][key]
                    for key in ("strategy", "inner_folds", "holdout_fraction")
                },
            }
        )

    def threshold_rules(self):
        """Names of the rules a fold's threshold is chosen by, besides the method's
        own: the default 0.5 and the tuned ones."""
        criteria = self.criteria()
        return ["default", *(criterion_name(c) for c in criteria)]

    def criteria(self):
        """Criteria tuned on validation predictions: F1 and each cost ratio."""
        if self.config["thresholds"]["strategy"] == "none":
            return []
        return ["f1", *self.config["thresholds"]["cost_ratios"]]


def canonical(value):
    """``value`` with every mapping's keys sorted, so that Snakemake's record of a
    job's parameters does not change with the order keys were written in."""
    return json.loads(json.dumps(value, sort_keys=True))


def config_hash(config):
    """Short SHA-256 of the config as canonical JSON."""
    text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_minority(name, minority, config, where):
    problem = minority_problem(minority, stratified_splits(config))
    if problem:
        raise ConfigError(f"{where}: {name} would have {problem}")


def stratified_splits(config):
    """``[key, n_splits]`` of every stratified split: the outer folds first, then those
    made inside a training fold."""
    return [["cv.folds", config["cv"]["folds"]], *_inner_splits(config)]


def _inner_splits(config):
    if config["thresholds"]["strategy"] == "inner_cv":
        yield "thresholds.inner_folds", config["thresholds"]["inner_folds"]
    for name in ("threshold_f1", "threshold_cost"):
        if name in config["methods"]:
            folds = {**METHODS[name].defaults, **config["methods"][name]}["cv_folds"]
            yield [f"methods.{name}.cv_folds", folds]


def _rate_name(rate):
    return f"{rate:g}"


def _synthetic_specs(config):
    synthetic = dict(config["datasets"]["synthetic"])
    seeds, noise = synthetic.pop("seeds"), synthetic.pop("label_noise")
    if synthetic["n_informative"] + synthetic["n_redundant"] > synthetic["n_features"]:
        raise ConfigError(
            "datasets.synthetic: n_informative + n_redundant exceeds n_features"
        )
    n_samples = synthetic["n_samples"]
    for rate in config["positive_rates"]:
        positives = round(rate * n_samples)
        minority = min(positives, n_samples - positives)
        for seed in range(seeds):
            name = f"synthetic-r{_rate_name(rate)}-s{seed}"
            _check_minority(name, minority, config, "datasets.synthetic")
            yield (
                name,
                {
                    "kind": "synthetic",
                    "source": "synthetic",
                    "rate": rate,
                    "generator": {**synthetic, "label_noise": noise},
                },
                n_samples,
            )


def _builtin_specs(config):
    for i, entry in enumerate(config["datasets"]["builtin"]):
        where = f"datasets.builtin.{i}"
        counts = BUILTIN_CLASS_COUNTS[entry["loader"]]
        label = entry["positive_label"]
        if label not in counts:
            raise ConfigError(
                f"{where}.positive_label: {label} is not a class of {entry['loader']} "
                f"({sorted(counts)})"
            )
        source = f"{entry['loader']}-p{label}"
        n_positive = counts[label]
        n_negative = sum(counts.values()) - n_positive
        for rate in entry.get("positive_rates", config["positive_rates"]):
            kept = counts_at_rate(n_positive, n_negative, rate)
            for seed in range(entry["seeds"]):
                name = f"{source}-r{_rate_name(rate)}-s{seed}"
                _check_minority(name, min(kept), config, where)
                yield (
                    name,
                    {
                        "kind": "builtin",
                        "source": source,
                        "rate": rate,
                        "loader": entry["loader"],
                        "positive_label": label,
                    },
                    sum(kept),
                )


def _file_specs(config, base_dir):
    for i, entry in enumerate(config["datasets"]["files"]):
        path = Path(entry["path"]).expanduser()
        if not path.is_absolute():
            path = Path(base_dir) / path
        if path.suffix.lower() not in {".csv", ".parquet", ".pq"}:
            raise ConfigError(
                f"datasets.files.{i}.path: {entry['path']} is not .csv or .parquet"
            )
        if not path.is_file():
            raise ConfigError(f"datasets.files.{i}.path: no such file {entry['path']}")
        yield (
            f"file-{entry['name']}",
            {
                "kind": "file",
                "source": f"file-{entry['name']}",
                "rate": None,
                "path": str(path),
                "target": entry["target"],
                "positive_label": entry.get("positive_label"),
                "splits": stratified_splits(config),
            },
            None,  # rows known once the file is read
        )


def _imblearn_specs(config):
    imblearn = config["datasets"].get("imblearn")
    for name in imblearn["names"] if imblearn else []:
        yield (
            f"imblearn-{name}",
            {
                "kind": "imblearn",
                "source": f"imblearn-{name}",
                "rate": None,
                "name": name,
                "cache_dir": str(Path(imblearn["cache_dir"]).expanduser()),
                "download": imblearn["download"],
                "splits": stratified_splits(config),
            },
            None,
        )


def _check_classifier_params(config):
    """Build each classifier and run scikit-learn's own parameter checks (those ``fit``
    runs first), so a wrong name or value stops the run before any job."""
    for name, entry in config["classifiers"].items():
        try:
            CLASSIFIERS[name].build(entry["params"])._validate_params()
        except (TypeError, ValueError) as error:
            message = " ".join(str(error).split())
            raise ConfigError(f"classifiers.{name}.params: {message}") from error


def _check_headline(config, plan):
    rules = {"own", *plan.threshold_rules()}
    decision = {
        *DECISION_METRICS,
        *map(cost_metric, config["thresholds"]["cost_ratios"]),
    }
    for i, entry in enumerate(config["tables"]["headline"]):
        metric, _, rule = entry.partition("@")
        if metric in PROBABILITY_METRICS and not rule:
            continue
        if metric not in decision or rule not in rules:
            raise ConfigError(
                f"tables.headline.{i}: '{entry}' is not a probability metric or "
                f"'decision_metric@rule' with rule in {sorted(rules)}"
            )


def build_plan(config, schema_path, base_dir="."):
    """Validate ``config`` (defaults filled in place) and expand it into a ``Plan``.

    Parameters
    ----------
    config : dict
        The loaded config; modified in place by default-filling.
    schema_path : path
        The JSON schema (YAML) to validate against.
    base_dir : path
        Directory that relative user file paths are taken from.

    Raises
    ------
    ConfigError
        At the first problem, with one line naming the key.
    """
    validate_schema(config, schema_path)
    _check_classifier_params(config)
    plan = Plan(config)
    specs = [
        *(_synthetic_specs(config) if "synthetic" in config["datasets"] else []),
        *_builtin_specs(config),
        *_file_specs(config, base_dir),
        *_imblearn_specs(config),
    ]
    if not specs:
        raise ConfigError("datasets: no dataset is configured")
    for name, spec, rows in specs:
        plan.datasets[name] = canonical(
            {**spec, "seed": plan.dataset_seed(name, "data")}
        )
        plan.rows[name] = rows
    for classifier_name, entry in config["classifiers"].items():
        chosen = entry["methods"]
        chosen = list(config["methods"]) if chosen == "all" else chosen
        for method_name in chosen:
            if method_name not in config["methods"]:
                raise ConfigError(
                    f"classifiers.{classifier_name}.methods: '{method_name}' is not an "
                    f"enabled method (enabled: {', '.join(config['methods'])})"
                )
            reason = METHODS[method_name].not_applicable(CLASSIFIERS[classifier_name])
            if reason:
                plan.not_applicable.append((classifier_name, method_name, reason))
                continue
            plan.cells.extend(
                Cell(dataset, classifier_name, method_name) for dataset in plan.datasets
            )
    _check_headline(config, plan)
    return plan


def load_yaml(path):
    """Load a YAML config safely (no Python object tags)."""
    with open(path) as handle:
        return yaml.safe_load(handle) or {}
