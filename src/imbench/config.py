"""Config validation and expansion into the plan the workflow runs.

Structure (types, ranges, names) is checked against the JSON schema in
``workflow/schemas``, completed here with the registries' entries (methods and their
parameters, classifiers and theirs); what a schema cannot say (enough minority samples
per fold, consistent generator sizes, files that exist) is checked by the dataset
sources. Every problem is raised as a ``ConfigError`` with one line naming the key.

Planning runs inside Snakemake at every start (``-n``, ``--unlock``, ``--report``), so
this module and everything it imports use the standard library, PyYAML and
jsonschema only: no numpy, pandas, pyarrow or scikit-learn (a test holds that).
"""

import copy
import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators

from imbench import classifiers, sources
from imbench.analyses import CATALOGUE
from imbench.classifiers import CLASSIFIERS
from imbench.errors import ConfigError
from imbench.methods import (
    FAMILIES,
    METHODS,
    PLUGIN_KINDS,
    ThresholdView,
    method_params,
    registry,
)
from imbench.names import (
    DECISION_METRICS,
    DEFAULT_ROPE,
    PROBABILITY_METRICS,
    cost_metric,
    slug,
)
from imbench.records import FitParams, OuterCV, Validation
from imbench.seeds import seed_from
from imbench.thresholds import (
    NO_RULE,
    cost_rule,
    f1_rule,
    plan_rules,
    shown_cost_ratio,
)


def _strict_integers(checker, instance):
    """An integer is an ``int`` (not a bool, not a whole-number float such as 3.0,
    which JSON schema would accept and scikit-learn or ``range`` would not)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


def _with_defaults(validator_class):
    """A validator that fills schema defaults in, as ``snakemake.utils.validate``, and
    takes only ``int`` for ``integer``."""
    check_properties = validator_class.VALIDATORS["properties"]

    def fill_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    instance[name] = copy.deepcopy(subschema["default"])
        yield from check_properties(validator, properties, instance, schema)

    return validators.extend(
        validator_class,
        {"properties": fill_defaults},
        type_checker=validator_class.TYPE_CHECKER.redefine("integer", _strict_integers),
    )


ConfigValidator = _with_defaults(Draft202012Validator)
SHALLOW = ("type", "const", "enum")  # validators that fail on the wrong branch
JOB_MB, DATA_COPIES = 2000, 20  # a dataset job's memory (Plan.job_memory_mb)
IMPORT_PATH = re.compile(r"[^:\s]+:[A-Za-z_][\w.]*")  # a plug-in's module:Class


def config_schema(schema_path):
    """The config schema: the file's, with the registries' methods and classifiers."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    properties = schema["properties"]
    properties["methods"]["properties"] = {
        name: method.config_schema() for name, method in METHODS.items()
    }
    traits = schema["$defs"]["own_classifier"]["properties"]["traits"]
    traits["items"] = {"enum": list(classifiers.TRAITS)}
    own = schema["$defs"]["own_method"]["properties"]
    own["like"]["enum"] = sorted(METHODS)
    own["family"]["enum"] = [*FAMILIES, "other"]
    properties["equivalence"]["properties"]["rope"]["propertyNames"] = {
        "enum": sorted(DEFAULT_ROPE)
    }
    classifier = schema["$defs"]["classifier"]
    properties["classifiers"]["properties"] = {
        name: {
            **classifier,
            "properties": {
                **classifier["properties"],
                "params": {**entry.config_schema(), "default": {}},
            },
        }
        for name, entry in CLASSIFIERS.items()
    }
    return schema


def _key(path):
    """A config path as ``a.b.0``; odd keys (empty, spaces, control characters,
    numbers and nulls YAML reads as keys) quoted, so the message stays one line."""
    parts = [
        str(part)
        if isinstance(part, int) or (isinstance(part, str) and part.isidentifier())
        else repr(part)
        for part in path
    ]
    return ".".join(parts) or "config"


MAX_VALUES = 100_000  # far above any real config; bounds the work on an alias bomb


def _check_size(config):
    """``ConfigError`` when the config holds more than ``MAX_VALUES`` values once
    YAML aliases are expanded (an alias bomb would otherwise keep the checks busy
    for minutes); stops counting at the limit."""
    todo, seen = [config], 0
    while todo:
        node = todo.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise ConfigError(
                f"config: more than {MAX_VALUES} values (YAML aliases expanded); "
                "is it an alias bomb?"
            )
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)


def refuse_templates(paths):
    """``ConfigError`` for a config file that is a YTE template: Snakemake evaluates
    ``__use_yte__`` templates, code included, when it loads them, so imbench accepts
    plain YAML only (the template has run by then: a config file is as trusted as
    the Snakefile)."""
    for path in paths:
        text = Path(path).read_text(errors="replace")
        if re.search(r"^__use_yte__\s*:", text, re.MULTILINE):
            raise ConfigError(
                f"{str(path)!r}: YTE templates (__use_yte__) are not accepted; write "
                "plain YAML"
            )


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
    _check_size(config)
    _check_finite(config)
    errors = sorted(
        ConfigValidator(config_schema(schema_path)).iter_errors(config),
        key=lambda e: (len(e.path), list(e.path)),
    )
    if errors:
        error = errors[0]
        message = error.message.splitlines()[0]
        if error.validator in ("oneOf", "anyOf") and error.context:
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
    """Everything the workflow needs, derived from a validated config.

    ``methods`` maps every method name to its ``methods.Method`` (the config's
    variants and plug-ins among them), ``classifiers`` every classifier name to its
    ``classifiers.Classifier``; ``datasets`` maps each instance's name to its
    spec record (see ``imbench.sources``); ``excluded`` lists ``(name, source,
    reason)`` of the collection datasets the config leaves out; ``rules`` are the
    threshold rules every cell is evaluated at besides a method's own.
    """

    config: dict
    methods: dict = field(default_factory=dict)
    classifiers: dict = field(default_factory=dict)
    datasets: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    minority: dict = field(default_factory=dict)
    data_bytes: dict = field(default_factory=dict)
    cells: list = field(default_factory=list)
    not_applicable: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    rules: list = field(default_factory=list)

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

    def job_memory_mb(self, dataset, threads):
        """Memory a dataset job asks for: ``JOB_MB`` per process (imports, small
        data) and ``DATA_COPIES`` copies of its features (generation, pipelines'
        copies, resampled training sets; measured in docs/performance.md, "Memory")."""
        data_mb = (self.data_bytes[dataset] or 0) / 2**20
        return math.ceil(threads * (JOB_MB + DATA_COPIES * data_mb))

    def dataset_seed(self, dataset, purpose):
        """Seed of ``dataset``'s generation (``data``) or its folds (``cv``)."""
        return seed_from(self.config["seed"], dataset, purpose)

    def fit_params(self, cell):
        """Everything a cell's fit depends on (``FitParams``)."""
        config = self.config
        return FitParams(
            classifier_params=canonical(
                config["classifiers"][cell.classifier]["params"]
            ),
            method_params=canonical(
                method_params(cell.method, config["methods"][cell.method])
            ),
            # one seed for every method of a classifier on a dataset (common random
            # numbers): a method with its handling turned off gives exactly its
            # baseline's model
            seed=seed_from(config["seed"], cell.dataset, cell.classifier),
            cv=OuterCV(**config["cv"], seed=self.dataset_seed(cell.dataset, "cv")),
            thresholds=self.validation(cell.dataset),
        )

    def validation(self, dataset):
        """How ``dataset``'s training folds are split for thresholds: the config's
        ``thresholds``, but inner folds where a holdout would hold fewer minority
        samples than ``holdout_min_positives`` (known before the data is read for
        generated, bundled and collection datasets; a user's file keeps the
        holdout)."""
        thresholds = self.config["thresholds"]
        chosen = Validation(
            **{
                key: thresholds[key]
                for key in ("strategy", "inner_folds", "holdout_fraction")
            }
        )
        minority = self.minority[dataset]
        if chosen.strategy != "holdout" or minority is None:
            return chosen
        in_training = minority - -(-minority // self.config["cv"]["folds"])
        least = thresholds.get("holdout_min_positives", 0)
        if in_training * chosen.holdout_fraction < least:
            return replace(chosen, strategy="inner_cv")
        return chosen

    def check_fits(self):
        """``ConfigError`` for classifier parameters that the estimator refuses only
        when fitting (a fit on a tiny dataset per classifier) and for a plug-in
        classifier or method that breaks its contract (``plugins.check_classifier``;
        ``plugins.check``, on the first classifier the method runs with); run when
        the workflow starts (it imports scikit-learn, which planning does not).
        Returns the contract's warnings, one line each."""
        from imbench import plugins

        for name in sorted({cell.classifier for cell in self.cells}):
            params = self.config["classifiers"][name]["params"]
            if self.classifiers[name].plugin:  # it imports, builds, fits: first
                plugins.check_classifier(self.classifiers[name], params)
            refusal = self.classifiers[name].fit_refusal(params)
            if refusal:
                raise ConfigError(
                    f"classifiers.{name}.params: refused when fitting ({refusal})"
                )
        first_classifier = {}
        for cell in sorted(self.cells, key=lambda cell: cell.classifier):
            first_classifier.setdefault(cell.method, cell.classifier)
        warnings = []
        for method, classifier in sorted(first_classifier.items()):
            entry = self.methods[method]
            if entry.plugin:
                params = method_params(method, self.config["methods"][method])
                classifier_params = self.config["classifiers"][classifier]["params"]
                warnings += plugins.check(
                    entry, params, self.classifiers[classifier], classifier_params
                )
        return warnings

    def plugin_digests(self):
        """``plugins.source_digest`` of each plug-in the cells run, by name."""
        from imbench import plugins

        paths = {}
        for cell in self.cells:
            classifier, method = (
                self.classifiers[cell.classifier],
                self.methods[cell.method],
            )
            if classifier.plugin:
                paths[f"classifiers.{cell.classifier}"] = classifier.plugin
            if method.plugin:
                paths[f"methods.{cell.method}"] = method.plugin.path
        return {key: plugins.source_digest(path) for key, path in sorted(paths.items())}

    def libraries(self):
        """Top-level modules of the libraries outside imbench's dependencies that
        the cells run: optional classifiers' (``Classifier.needs``) and installed
        plug-ins' (a user's file belongs to no distribution)."""
        paths = [self.classifiers[cell.classifier].plugin for cell in self.cells]
        paths += [
            self.methods[cell.method].plugin.path
            for cell in self.cells
            if self.methods[cell.method].plugin
        ]
        modules = {path.partition(":")[0] for path in paths if path}
        modules = {
            module.split(".")[0] for module in modules if not module.endswith(".py")
        }
        needs = {self.classifiers[cell.classifier].needs for cell in self.cells}
        return sorted((modules | needs) - {""})

    def rule_names(self):
        """Names of the threshold rules every cell is evaluated at."""
        return [rule.name for rule in self.rules]

    def splits(self):
        """Every stratified split a dataset must allow (see ``sources``)."""
        return sources.stratified_splits(self.config)

    def analyses(self):
        """The catalogue's analyses whose methods this config runs."""
        ran = {cell.method for cell in self.cells}
        return [analysis for analysis in CATALOGUE if analysis.needs <= ran]

    def analysis_params(self, analysis):
        """The params ``analysis``'s step receives: its ``Plan`` methods' values."""
        return {name: getattr(self, name)() for name in analysis.params}

    def analysis_outputs(self, analysis):
        """``analysis.outputs`` for this config's panels."""
        return analysis.outputs(self._panel_names(analysis))

    def published(self):
        """What ``publish`` copies of the analyses (see ``Analysis.published``)."""
        return [
            path
            for analysis in self.analyses()
            for path in analysis.published(self._panel_names(analysis))
        ]

    def _panel_names(self, analysis):
        panels = getattr(self, analysis.panels)() if analysis.panels else []
        return [panel if isinstance(panel, str) else slug(*panel) for panel in panels]

    def source_panels(self):
        """The sources of this config's datasets, one figure panel each: curves of
        different sources are never averaged together (Davis & Goadrich 2006)."""
        return sorted({record["source"] for record in self.datasets.values()})

    def cost_ratios(self):
        """The misclassification cost ratios every cell is evaluated at."""
        return self.config["thresholds"]["cost_ratios"]

    def config_hash(self):
        """The config's hash (see ``config_hash``)."""
        return config_hash(self.config)

    def tiers(self):
        """``[rate, tier, datasets, families]`` of each rate a collection's datasets
        are shown at (``sources.keel``), by rate: its imbalance-ratio tier for
        datasets at their own rates, None for datasets brought to the rate."""
        tiers = {}
        for spec in self.datasets.values():
            if "tier" in spec:
                own = spec["rate"] is None
                shown = spec["tier_rate"] if own else spec["rate"]
                tier = spec["tier"] if own else None
                entry = tiers.setdefault(shown, [tier, 0, set()])
                entry[1] += 1
                entry[2].add(spec["family"])
        return [
            [rate, tier, count, len(families)]
            for rate, (tier, count, families) in sorted(tiers.items())
        ]

    def shown_cost_ratio(self):
        """The cost ratio the figures show."""
        return shown_cost_ratio(self.config["thresholds"]["cost_ratios"])

    def f1_rule(self):
        """The rule F1 is compared at: tuned where thresholds are tuned, else 0.5."""
        return f1_rule(self.rule_names())

    def sweep_panels(self):
        """``[metric, rule]`` of each row of the ratio-sweep figure and table."""
        return [
            ["f1", self.f1_rule()],
            ["balanced_accuracy", "default"],
            ["recall", "default"],
            ["average_precision", NO_RULE],
            ["roc_auc", NO_RULE],
            ["brier", NO_RULE],
        ]

    def scored_metrics(self):
        """``[metric, rule]`` ranked and in the decision guide: ranking quality,
        decisions at the F1 rule, calibration."""
        return [
            ["average_precision", NO_RULE],
            ["f1", self.f1_rule()],
            ["brier", NO_RULE],
        ]

    def equivalence(self):
        """The ``equivalence`` settings, as the analysis steps take them."""
        return canonical(self.config["equivalence"])

    def default_headline(self):
        """Headline metrics of the Markdown summary: the threshold-free ones, F1 and
        balanced accuracy at 0.5, F1 and the shown expected cost at tuned thresholds
        (when thresholds are tuned)."""
        names = self.rule_names()
        ratio = self.shown_cost_ratio()
        tuned_f1 = ["f1@tuned_f1"] if self.f1_rule() == "tuned_f1" else []
        return [
            "average_precision",
            "roc_auc",
            "brier",
            "f1@default",
            *tuned_f1,
            "balanced_accuracy@default",
            f"{cost_metric(ratio)}@{cost_rule(names, ratio)}",
        ]


def canonical(value):
    """``value`` with every mapping's keys sorted, so that Snakemake's record of a
    job's parameters does not change with the order keys were written in."""
    return json.loads(json.dumps(value, sort_keys=True))


def config_hash(config):
    """Short SHA-256 of the config as canonical JSON."""
    text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_headline(config, plan):
    rules = set(plan.rule_names())
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
                f"tables.headline.{i}: {entry!r} is not a probability metric or "
                f"'decision_metric@rule' with rule in {sorted(rules)}"
            )


def _check_classifiers(config):
    """A classifier of one's own has an import path; one from an optional library
    names its install command."""
    for name, entry in config["classifiers"].items():
        if name not in CLASSIFIERS:
            if not IMPORT_PATH.fullmatch(entry["import"]):
                raise ConfigError(
                    f"classifiers.{name}.import: {entry['import']!r} is not an import "
                    'path ("module:Class" or "file.py:Class")'
                )
            continue
        missing = CLASSIFIERS[name].missing()
        if missing:
            raise ConfigError(f"classifiers.{name}: {missing}")


def _check_class_weights(config):
    """A ``class_weight`` mapping names the classes 0 (negative) and 1 (positive),
    the labels imbench gives every dataset, with positive weights."""
    for name, entry in config["classifiers"].items():
        weights = entry["params"].get("class_weight")
        if not isinstance(weights, dict):
            continue
        where = f"classifiers.{name}.params.class_weight"
        for label, weight in weights.items():
            if str(label) not in ("0", "1"):
                raise ConfigError(
                    f"{where}: {label!r} is not a class (the classes are 0 and 1)"
                )
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ConfigError(f"{where}.{label}: {weight!r} is not a number")
            if not weight > 0:
                raise ConfigError(f"{where}.{label}: {weight!r} is not positive")


def _check_cost_ratios(config):
    """A cost ratio names its metric and rule (``expected_cost_10``) with at most six
    significant digits: one with more would share its name with another ratio, or
    be evaluated at the rounded ratio its name gives back."""
    for i, ratio in enumerate(config["thresholds"]["cost_ratios"]):
        if float(f"{ratio:g}") != ratio:
            raise ConfigError(
                f"thresholds.cost_ratios.{i}: {ratio!r} has more than 6 significant "
                f"digits; its metric would be named {cost_metric(ratio)} as "
                f"{ratio:g} is"
            )


def _check_own_methods(config):
    """A method outside the registry is one variant (``like``) or one plug-in (an
    import path); a variant's ``params`` are its built-in's, checked as theirs."""
    kinds = ("like", *PLUGIN_KINDS)
    for name, entry in config["methods"].items():
        if name in METHODS:
            continue
        given = [kind for kind in kinds if kind in entry]
        if len(given) != 1:
            close = difflib.get_close_matches(name, METHODS, n=1)
            guess = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(
                f"methods.{name}: not a built-in method{guess}; a method of your own "
                "names exactly one of like, sampler or estimator, not "
                f"{given or 'none'}"
            )
        for kind in PLUGIN_KINDS:
            if kind in entry and not IMPORT_PATH.fullmatch(entry[kind]):
                raise ConfigError(
                    f"methods.{name}.{kind}: {entry[kind]!r} is not an import path "
                    '("module:Class" or "file.py:Class")'
                )
        if "like" in entry:
            for key in ("neutral", "tolerance"):
                if key in entry:
                    raise ConfigError(
                        f"methods.{name}.{key}: a variant is tested as its built-in "
                        f"{entry['like']} is; {key} is for plug-ins"
                    )
            schema = METHODS[entry["like"]].config_schema()
            for error in ConfigValidator(schema).iter_errors(entry["params"]):
                path = _key(("methods", name, "params", *error.absolute_path))
                raise ConfigError(f"{path}: {error.message.splitlines()[0]}")


def _check_unique_names(config):
    seen = set()
    for i, entry in enumerate(config["datasets"]["files"]):
        if entry["name"] in seen:
            raise ConfigError(
                f"datasets.files.{i}.name: {entry['name']!r} names another file too"
            )
        seen.add(entry["name"])


def _expand_cells(config, plan):
    for classifier_name, entry in config["classifiers"].items():
        chosen = entry["methods"]
        chosen = list(config["methods"]) if chosen == "all" else chosen
        for method_name in chosen:
            if method_name not in config["methods"]:
                raise ConfigError(
                    f"classifiers.{classifier_name}.methods: {method_name!r} is not "
                    f"an enabled method (enabled: {', '.join(config['methods'])})"
                )
            method = plan.methods[method_name]
            reason = method.not_applicable(plan.classifiers[classifier_name])
            if isinstance(method, ThresholdView):
                if "baseline" not in chosen:
                    raise ConfigError(
                        f"classifiers.{classifier_name}.methods: {method_name!r} is "
                        "a view of the baseline's predictions: list 'baseline' too"
                    )
                if config["thresholds"]["strategy"] == "none":
                    reason = (
                        f"{method_name} tunes its threshold on the baseline's "
                        "validation predictions, and thresholds.strategy is none"
                    )
            if reason:
                plan.not_applicable.append((classifier_name, method_name, reason))
                continue
            plan.cells.extend(
                Cell(dataset, classifier_name, method_name) for dataset in plan.datasets
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
    _check_classifiers(config)
    _check_class_weights(config)
    _check_cost_ratios(config)
    _check_unique_names(config)
    _check_own_methods(config)
    plan = Plan(
        config,
        methods=registry(config["methods"]),
        classifiers=classifiers.registry(config["classifiers"]),
    )
    plan.rules = plan_rules(
        config["thresholds"]["strategy"], config["thresholds"]["cost_ratios"]
    )
    specs, plan.excluded = sources.expand(
        config, base_dir, lambda name: plan.dataset_seed(name, "data")
    )
    if not specs:
        raise ConfigError(
            "datasets: no dataset is configured"
            + (
                f" ({len(plan.excluded)} left out by filters or folds)"
                if plan.excluded
                else ""
            )
        )
    for spec in specs:
        plan.datasets[spec.name] = canonical(spec.record())
        plan.rows[spec.name] = spec.rows
        plan.minority[spec.name] = spec.minority()
        plan.data_bytes[spec.name] = spec.data_bytes()
    _expand_cells(config, plan)
    config["tables"].setdefault("headline", plan.default_headline())
    _check_headline(config, plan)
    return plan


def load_yaml(path):
    """Load a YAML config safely (no Python object tags)."""
    with open(path) as handle:
        return yaml.safe_load(handle) or {}
