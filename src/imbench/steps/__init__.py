"""The body of each workflow rule: ``steps/<rule>.py``, named exactly like the rule.

Each module has one entry point, ``run(input, output, params, threads)``, taking the
rule's named inputs, outputs and params as mappings: it reads its inputs, calls the
library modules of ``imbench``, and writes its outputs. ``workflow/scripts/step.py``
calls ``run`` for every rule; tests call the steps directly. No step imports another.
"""

import importlib


def run(rule, input, output, params, threads=1):
    """Run the step of ``rule``; a step with nothing to show (``NothingToShow``) has
    each of its figures and tables written as a note saying why."""
    from imbench.tables import NothingToShow, write_note  # not while planning

    step = importlib.import_module(f"imbench.steps.{rule}")
    try:
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
