# `snakemake publish --cores 2 --configfile config/published.yaml` (or
# config/published_real.yaml): the results of a finished run, copied to docs/results/
# (or docs/results/real/) for the project's repository. An action, not a file: no
# output, so Snakemake runs it whenever it is asked for and never deletes the
# committed results first.


rule publish:
    input:
        unpack(published),
    log:
        "results/logs/publish.log",
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        directory=publish.directory(workflow.configfiles, workflow.basedir),
        configfiles=[str(path) for path in workflow.configfiles],
        basedir=workflow.basedir,
        schema=SCHEMA,
        code=code_digest("imbench.steps.publish"),
    script:
        "../scripts/step.py"
