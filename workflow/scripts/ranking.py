from imbench.overview import ranking_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    ranking_job(
        snakemake.input,
        [snakemake.output.pdf, snakemake.output.png],
        stem(snakemake.output.csv),
    )
