rule aggregate:
    input:
        metrics=METRICS,
    output:
        **TABLES,
    log:
        "results/logs/aggregate.log",
    benchmark:
        "results/benchmarks/aggregate.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 4000 * attempt,
        runtime=lambda wildcards, attempt: 30 * attempt,
    params:
        not_applicable=PLAN.not_applicable,
        excluded=PLAN.excluded,
        headline=PLAN.config["tables"]["headline"],
        provenance=provenance(),
        libraries=PLAN.libraries(),
        code=code_digest("imbench.steps.aggregate"),
    script:
        "../scripts/step.py"
