"""The body of each workflow rule: ``steps/<rule>.py``, named exactly like the rule.

Each module has one entry point, ``run(input, output, params, threads)``, taking the
rule's named inputs, outputs and params as mappings: it reads its inputs, calls the
library modules of ``imbench``, and writes its outputs. ``workflow/scripts/step.py``
calls ``run`` for every rule; tests call the steps directly. No step imports another.
"""

import importlib


def run(rule, input, output, params, threads=1):
    """Run the step of ``rule``, with the config's methods and classifiers (the
    ``methods`` and ``classifiers`` params, variants and plug-ins among them) as the
    active registries; a step with nothing to show (``NothingToShow``) has each of
    its figures and tables written as a note saying why."""
    from imbench import classifiers, methods
    from imbench.tables import NothingToShow, write_note  # not while planning

    step = importlib.import_module(f"imbench.steps.{rule}")
    params = dict(params)
    try:
        with (
            methods.using(params.pop("methods", None)),
            classifiers.using(params.pop("classifiers", None)),
        ):
            step.run(input, output, params, threads)
    except NothingToShow as nothing:
        figures = [
            path
            for key, paths in output.items()
            if key.startswith("figure_")
            for path in paths
        ]
        if figures:
            from imbench.figures import note

            note(figures, str(nothing))
        for key, paths in output.items():
            if key.startswith("table_"):
                write_note(paths, str(nothing))
