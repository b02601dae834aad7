from imbench.questions import ensemble_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    ensemble_job(
        snakemake.input.predictions,
        snakemake.input.metrics,
        [snakemake.output.pdf, snakemake.output.png],
        stem(snakemake.output.csv),
    )
