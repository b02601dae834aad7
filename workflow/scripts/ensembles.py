from imbench.questions import ensemble_job
from imbench.runtime import job

with job(snakemake.log[0]):
    ensemble_job(
        snakemake.input.predictions,
        snakemake.input.metrics,
        snakemake.output.figure,
        snakemake.output.table[0].removesuffix(".csv"),
    )
