rule evaluate:
    input:
        dataset="results/datasets/{dataset}.parquet",
        predictions=predictions_of,
    output:
        "results/metrics/{dataset}.parquet",
    log:
        "results/logs/evaluate/{dataset}.log",
    conda:
        "../envs/imbench.yaml"
    params:
        criteria=PLAN.criteria(),
        cost_ratios=PLAN.config["thresholds"]["cost_ratios"],
        grid_size=PLAN.config["thresholds"]["grid_size"],
    script:
        "../scripts/evaluate.py"


rule aggregate:
    input:
        expand("results/metrics/{dataset}.parquet", dataset=PLAN.datasets),
    output:
        **TABLES,
    log:
        "results/logs/aggregate.log",
    conda:
        "../envs/imbench.yaml"
    params:
        not_applicable=PLAN.not_applicable,
        headline=PLAN.config["tables"]["headline"],
        provenance=provenance(),
    script:
        "../scripts/aggregate.py"
