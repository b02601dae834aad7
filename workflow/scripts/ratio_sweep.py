from imbench.questions import ratio_sweep_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    ratio_sweep_job(
        snakemake.input,
        [snakemake.output.pdf, snakemake.output.png],
        stem(snakemake.output.csv),
        stem(snakemake.output.answer_csv),
    )
