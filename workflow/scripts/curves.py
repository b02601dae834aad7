from imbench.overview import curves_job
from imbench.runtime import job, stem

out = snakemake.output
with job(snakemake.log[0]):
    curves_job(
        snakemake.input.predictions,
        snakemake.input.metrics,
        [out.pr_pdf, out.pr_png],
        [out.roc_pdf, out.roc_png],
        [out.calibration_pdf, out.calibration_png],
        stem(out.csv),
    )
