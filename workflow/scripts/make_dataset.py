from imbench.jobs import dataset_job
from imbench.runtime import job

with job(snakemake.log[0]):
    dataset_job(snakemake.params.spec, snakemake.output[0])
