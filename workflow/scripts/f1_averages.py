from imbench.questions import f1_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    f1_job(
        snakemake.input,
        [snakemake.output.pdf, snakemake.output.png],
        stem(snakemake.output.csv),
    )
