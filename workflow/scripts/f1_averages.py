from imbench.questions import f1_job
from imbench.runtime import job

with job(snakemake.log[0]):
    f1_job(
        snakemake.input,
        snakemake.output.figure,
        snakemake.output.table[0].removesuffix(".csv"),
    )
