"""The script of every rule: runs ``imbench.steps.<rule>.run`` with the rule's named
inputs, outputs and params, logging to the rule's log with pinned threads."""

from imbench.jobs import job
from imbench.steps import run

with job(snakemake.log[0]):
    run(
        snakemake.rule,
        dict(snakemake.input.items()),
        dict(snakemake.output.items()),
        dict(snakemake.params.items()),
        snakemake.threads,
    )
