from imbench.jobs import cross_validate_job
from imbench.runtime import job

with job(snakemake.log[0]):
    cross_validate_job(
        snakemake.wildcards.dataset,
        snakemake.params.spec,
        snakemake.params.cells,
        snakemake.params.evaluation,
        dict(snakemake.output.items()),
        snakemake.params.cache,
        snakemake.threads,
    )
