"""The body of each workflow rule: ``steps/<rule>.py``, named exactly like the rule.

Each module has one entry point, ``run(input, output, params, threads)``, taking the
rule's named inputs, outputs and params as mappings: it reads its inputs, calls the
library modules of ``imbench``, and writes its outputs. ``workflow/scripts/step.py``
calls ``run`` for every rule; tests call the steps directly. No step imports another.
"""

import importlib


def run(rule, input, output, params, threads=1):
    """Run the step of ``rule``."""
    step = importlib.import_module(f"imbench.steps.{rule}")
    step.run(input, output, params, threads)
