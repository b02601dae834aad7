from imbench.questions import ratio_sweep_job
from imbench.runtime import job

with job(snakemake.log[0]):
    ratio_sweep_job(
        snakemake.input,
        snakemake.output.figure,
        snakemake.output.table[0].removesuffix(".csv"),
        snakemake.output.answer[0].removesuffix(".csv"),
    )
