# `snakemake --configfile config/published.yaml publish`: the results of a finished
# run, copied to docs/results/ for the project's repository.


rule publish:
    input:
        unpack(published),
    output:
        directory=directory("docs/results"),
    log:
        "results/logs/publish.log",
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        configfile=workflow.configfiles[0] if len(workflow.configfiles) == 1 else None,
        schema=SCHEMA,
        command=PUBLISH_COMMAND,
    script:
        "../scripts/step.py"
