from imbench.questions import cost_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    cost_job(
        snakemake.input.predictions,
        snakemake.input.metrics,
        snakemake.params.cost_ratios,
        [snakemake.output.pdf, snakemake.output.png],
        stem(snakemake.output.csv),
    )
