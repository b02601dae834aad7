rule evaluate:
    input:
        dataset="results/datasets/{dataset}.parquet",
        predictions=predictions_of,
    output:
        "results/metrics/{dataset}.parquet",
    log:
        "results/logs/evaluate/{dataset}.log",
    benchmark:
        "results/benchmarks/evaluate/{dataset}.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 2000 * attempt,
        runtime=lambda wildcards, attempt: 10 * attempt,
    params:
        criteria=PLAN.criteria(),
        cost_ratios=PLAN.config["thresholds"]["cost_ratios"],
        grid_size=PLAN.config["thresholds"]["grid_size"],
    script:
        "../scripts/evaluate.py"


rule aggregate:
    input:
        METRICS,
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
        headline=PLAN.config["tables"]["headline"],
        provenance=provenance(),
    script:
        "../scripts/aggregate.py"
