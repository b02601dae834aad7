from imbench.questions import cost_job
from imbench.runtime import job

with job(snakemake.log[0]):
    cost_job(
        snakemake.input.predictions,
        snakemake.input.metrics,
        snakemake.params.cost_ratios,
        snakemake.output.figure,
        snakemake.output.table[0].removesuffix(".csv"),
    )
