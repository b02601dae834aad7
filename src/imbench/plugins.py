"""Methods from outside imbench, named in a config by import path, and the contract
each is held to before any fit.

A path is ``module:Class`` (an installed module) or ``file.py:Class`` (a file of the
user's, relative to the working directory). A ``sampler`` plug-in is anything with
``fit_resample`` (or smote-variants' ``sample``): imbench builds it inside
imbalanced-learn's ``FunctionSampler`` at each fit, so it need not survive
``sklearn.clone``, and puts it in the same pipeline as its own samplers, which
resample training rows only. An ``estimator`` plug-in wraps the classifier's model,
given as ``estimator=`` (as imbalanced-learn's ensembles do). Loading a path runs
the module's code: a config that names one is as trusted as the code it names.
"""

import functools
import hashlib
import importlib
import importlib.util
import inspect
import logging
import sys
import warnings
from importlib import metadata
from pathlib import Path

from imbench.errors import ConfigError


@functools.cache
def load(path):
    """The class (or factory) at ``path``; ``ImportError`` or ``AttributeError`` if
    there is none. A file is loaded once per process, as a module of its own; an
    installed package's logger is set to warnings."""
    module_name, _, attribute = path.partition(":")
    if module_name.endswith(".py"):
        file = Path(module_name)
        if not file.is_file():
            raise ImportError(f"no file {module_name!r}")
        digest = hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:12]
        name = f"imbench_plugin_{file.stem}_{digest}"
        spec = importlib.util.spec_from_file_location(name, file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
        # its warnings only: INFO lines (smote-variants logs several per call)
        # would bury the job's own
        logging.getLogger(module_name.split(".")[0]).setLevel(logging.WARNING)
    value = module
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


def build(path, params, seed):
    """The object at ``path`` built with ``params``, and ``random_state=seed`` when
    its constructor takes one."""
    factory = load(path)
    try:
        takes_seed = "random_state" in inspect.signature(factory).parameters
    except (TypeError, ValueError):  # no signature to read (a builtin)
        takes_seed = False
    return factory(**params, **({"random_state": seed} if takes_seed else {}))


def resample(X, y, path, params, seed):
    """``FunctionSampler``'s function: the sampler at ``path`` built afresh and run on
    the training rows it is given."""
    import numpy as np

    sampler = build(path, params, seed)
    run = getattr(sampler, "fit_resample", None) or sampler.sample
    X_resampled, y_resampled = run(X, y)
    return np.asarray(X_resampled, dtype=float), np.asarray(y_resampled)


@functools.cache
def _distributions():
    """Top-level module -> the distributions providing it (a scan of every
    installed package: once per process)."""
    return metadata.packages_distributions()


def outside_code(path):
    """What a plug-in's cells depend on besides imbench: the source of the module
    that defines it and the distribution (name and version) it comes from, if any,
    so that editing or upgrading it refits its cells and nothing else."""
    value = load(path)
    module = sys.modules[getattr(value, "__module__", None) or value.__name__]
    source = Path(inspect.getsourcefile(module)).read_bytes()
    top = module.__name__.split(".")[0]
    distributions = _distributions().get(top, [])
    distribution = distributions[0] if distributions else None
    return {
        "path": path,
        "source": hashlib.sha256(source).hexdigest(),
        "distribution": distribution,
        "version": metadata.version(distribution) if distribution else None,
    }


def source_digest(path):
    """SHA-256 of the file a plug-in's path names, with its distribution's version,
    found without importing it (planning imports no plug-in): a dataset job's
    params carry it, so that Snakemake reruns the jobs of an edited or upgraded
    plug-in, whose cache then refits its cells alone."""
    module_name = path.partition(":")[0]
    if module_name.endswith(".py"):
        file = Path(module_name)
    else:
        try:
            spec = importlib.util.find_spec(module_name)
        except ImportError:  # its package is missing: the contract will say so
            spec = None
        file = Path(spec.origin) if spec and spec.origin else None
    digest = hashlib.sha256(path.encode())
    if file is not None and file.is_file():
        digest.update(file.read_bytes())
    top = module_name.split(".")[0]
    for distribution in _distributions().get(top, []):
        digest.update(f"{distribution} {metadata.version(distribution)}".encode())
    return digest.hexdigest()


CONTRACT_ROWS, CONTRACT_POSITIVES = 200, 24  # the contract's data: small, imbalanced


def contract_data():
    """A small imbalanced dataset the contract runs plug-ins on: training rows and
    labels, and test rows, of four informative Gaussian features."""
    import numpy as np

    rng = np.random.default_rng(0)
    y = np.zeros(CONTRACT_ROWS, dtype=int)
    y[:CONTRACT_POSITIVES] = 1
    X = rng.normal(size=(CONTRACT_ROWS, 4)) + y[:, None] * 1.5
    train = np.arange(CONTRACT_ROWS) % 4 != 0
    return X[train], y[train], X[~train]


def check(method, params, classifier, classifier_params):
    """``ConfigError`` naming ``methods.<name>`` at the first term of the contract
    that plug-in ``method`` with ``params`` breaks on ``classifier``; the warnings
    it earns (a sampler that resamples nothing) as lines. Run before any fit."""
    where = f"methods.{method.name}"
    try:
        load(method.plugin.path)
    except Exception as error:  # whatever importing raises is the answer
        raise ConfigError(
            f"{where}: cannot import {method.plugin.path!r} ({_one_line(error)})"
        ) from None
    try:
        if method.plugin.kind == "sampler":
            notes = _check_sampler(method.plugin.path, params)
        else:
            notes = _check_estimator(method, params, classifier, classifier_params)
        _check_neutral(method, params, classifier, classifier_params)
    except ContractBroken as broken:
        raise ConfigError(f"{where}: {broken}") from None
    return [f"{where}: {note}" for note in notes]


class ContractBroken(Exception):
    """A plug-in breaks a term of the contract; the message says which."""


def _attempt(what, call):
    """``call()``, its exception raised as ``ContractBroken`` saying ``what`` failed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call()
    except ContractBroken:
        raise
    except Exception as error:  # whatever the plug-in raises is the answer
        raise ContractBroken(f"{what} failed ({_one_line(error)})") from None


def _check_sampler(path, params):
    import numpy as np

    X, y, _ = contract_data()
    sampler = _attempt("building it", lambda: build(path, params, 0))
    if not hasattr(sampler, "fit_resample") and not hasattr(sampler, "sample"):
        raise ContractBroken(f"{path} has no fit_resample (it is not a sampler)")
    given = X.copy()
    first = _attempt("resampling", lambda: resample(given, y.copy(), path, params, 0))
    if not np.array_equal(given, X):
        raise ContractBroken("it changes the training rows it is given, in place")
    X_out, y_out = first
    if X_out.ndim != 2 or X_out.shape[1] != X.shape[1] or len(X_out) != len(y_out):
        raise ContractBroken(
            f"it returns {X_out.shape} features for {len(y_out)} labels; "
            f"expected rows of {X.shape[1]} features, one label each"
        )
    if not np.isfinite(X_out).all():
        raise ContractBroken("it returns features that are not finite numbers")
    classes = sorted(np.unique(y_out).tolist())
    if classes != [0, 1]:
        raise ContractBroken(f"it returns the classes {classes}, not both 0 and 1")
    again = _attempt(
        "resampling", lambda: resample(X.copy(), y.copy(), path, params, 0)
    )
    if not all(np.array_equal(a, b) for a, b in zip(first, again, strict=True)):
        raise ContractBroken(
            "two runs with the same seed differ: it ignores random_state or draws "
            "from a global generator"
        )
    if len(y_out) == len(y) and np.array_equal(X_out, X):
        return ["it resampled nothing on the contract's data (is it a no-op?)"]
    return []


def _check_estimator(method, params, classifier, classifier_params):
    _check_model(lambda: method.build(classifier, classifier_params, params))
    return []


def check_classifier(classifier, params):
    """``ConfigError`` naming ``classifiers.<name>`` at the first term of the contract
    that plug-in ``classifier`` with ``params`` breaks (``_check_model``), or where
    a trait it declares is not so (``class_weight`` not a parameter,
    ``sample_weight`` not taken by ``fit``). Run before any fit."""
    from sklearn.utils.validation import has_fit_parameter

    where = f"classifiers.{classifier.name}"
    try:
        load(classifier.plugin)
    except Exception as error:  # whatever importing raises is the answer
        raise ConfigError(
            f"{where}: cannot import {classifier.plugin!r} ({_one_line(error)})"
        ) from None
    try:
        model = _check_model(lambda: classifier.build(params))
    except ContractBroken as broken:
        raise ConfigError(f"{where}: {broken}") from None
    declared = {
        "class_weight": "class_weight" in model.get_params(),
        "sample_weight": has_fit_parameter(model, "sample_weight"),
    }
    for trait, holds in declared.items():
        if trait in classifier.traits and not holds:
            raise ConfigError(f"{where}.traits: it declares {trait}, which it lacks")


def _check_model(make):
    """The terms of the contract a model (a plug-in estimator, or a classifier)
    keeps: it builds and clones, fits, gives two class probabilities per row,
    predicts a row alone as in a batch (no transductive leakage) and fits the same
    twice for one seed. Returns the unfitted model."""
    import numpy as np
    from sklearn.base import clone

    X, y, X_test = contract_data()
    estimator = _attempt("building it", make)
    _attempt("cloning it (scikit-learn's clone)", lambda: clone(estimator))
    model = _attempt("fitting it", lambda: clone(estimator).fit(X, y))
    proba = _attempt("predict_proba", lambda: np.asarray(model.predict_proba(X_test)))
    if proba.shape != (len(X_test), 2) or not ((proba >= 0) & (proba <= 1)).all():
        raise ContractBroken("predict_proba does not give two class probabilities")
    one_by_one = np.vstack([model.predict_proba(X_test[i : i + 1]) for i in range(3)])
    if not np.allclose(one_by_one, proba[:3], rtol=0, atol=1e-12):
        raise ContractBroken(
            "its prediction of a row depends on the other rows predicted with it"
        )
    again = _attempt("fitting it", lambda: make().fit(X, y))
    if not np.array_equal(np.asarray(again.predict_proba(X_test)), proba):
        raise ContractBroken(
            "two fits with the same seed differ: it ignores random_state or draws "
            "from a global generator"
        )
    return estimator


def _check_neutral(method, params, classifier, classifier_params):
    """A declared neutral setting gives the baseline's predictions."""
    if not method.plugin.neutral:
        return
    import numpy as np

    from imbench.methods import METHODS

    X, y, X_test = contract_data()

    def fitted(entry, params):
        estimator = entry.build(classifier, classifier_params, params)
        return estimator.fit(X, y).predict_proba(X_test)[:, 1]

    neutral = {**params, **method.plugin.neutral}
    gap = np.abs(
        _attempt("fitting it at its neutral setting", lambda: fitted(method, neutral))
        - fitted(METHODS["baseline"], {})
    ).max()
    if gap > method.neutral.tolerance:
        raise ContractBroken(
            f"at its neutral setting {method.plugin.neutral} it does not give the "
            f"baseline's probabilities (they differ by up to {gap:.3g}, tolerance "
            f"{method.neutral.tolerance:g})"
        )


def _one_line(error):
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
