from imbench.runtime import job
from imbench.tables import aggregate

with job(snakemake.log[0]):
    aggregate(
        snakemake.input,
        dict(snakemake.output.items()),
        snakemake.params.not_applicable,
        snakemake.params.headline,
        snakemake.params.provenance,
    )
