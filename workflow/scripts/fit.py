from imbench.jobs import fit_job
from imbench.runtime import job

with job(snakemake.log[0], snakemake.threads):
    fit_job(
        snakemake.input[0],
        snakemake.output[0],
        snakemake.wildcards.dataset,
        snakemake.wildcards.classifier,
        snakemake.wildcards.method,
        snakemake.params.fit,
        snakemake.threads,
    )
