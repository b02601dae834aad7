"""Fault injection: with this directory on PYTHONPATH, every Python process of a run
(Snakemake and each job) registers ``always_fails``, a method whose sampler raises
while fitting, as a buggy or incompatible method would; with ``IMBENCH_FAULT`` set to
``every_fit``, every fit of the run raises."""

import os

from imbench.methods import METHODS, Method, Presentation, Recipe, make_pipeline

INJECTED = "injected fault: always_fails raises while fitting"


def _explode(X, y):
    raise RuntimeError(INJECTED)


def _always_fails(classifier, classifier_params, params, seed, threads):
    from imblearn import FunctionSampler

    model = classifier.build(classifier_params, seed, threads)
    return make_pipeline(classifier, model, FunctionSampler(func=_explode))


METHODS["always_fails"] = Method(
    "always_fails", Recipe(_always_fails), Presentation("other", "fails on purpose")
)


if os.environ.get("IMBENCH_FAULT") == "every_fit":  # every cell of the run fails
    import imbench.fitting

    def _failing_cross_validate(*args, **kwargs):
        raise RuntimeError("injected fault: every fit raises")

    imbench.fitting.cross_validate = _failing_cross_validate
