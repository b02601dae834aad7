from imbench.overview import guide_job
from imbench.runtime import job, stem

with job(snakemake.log[0]):
    guide_job(snakemake.input, stem(snakemake.output.csv))
