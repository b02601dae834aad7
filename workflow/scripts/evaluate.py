from imbench.jobs import evaluate_job
from imbench.runtime import job

with job(snakemake.log[0]):
    evaluate_job(
        snakemake.input.predictions,
        snakemake.input.dataset,
        snakemake.output[0],
        snakemake.params.criteria,
        snakemake.params.cost_ratios,
        snakemake.params.grid_size,
    )
