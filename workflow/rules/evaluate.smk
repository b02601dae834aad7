rule evaluate:
    input:
        dataset="results/datasets/{dataset}.parquet",
        predictions=predictions_of,
    output:
        "results/metrics/{dataset}.parquet",
    params:
        criteria=PLAN.criteria(),
        cost_ratios=PLAN.config["thresholds"]["cost_ratios"],
        grid_size=PLAN.config["thresholds"]["grid_size"],
    log:
        "results/logs/evaluate/{dataset}.log",
    script:
        "../scripts/evaluate.py"


rule aggregate:
    input:
        expand("results/metrics/{dataset}.parquet", dataset=PLAN.datasets),
    output:
        **TABLES,
    params:
        not_applicable=PLAN.not_applicable,
        headline=PLAN.config["tables"]["headline"],
        provenance=provenance(),
    log:
        "results/logs/aggregate.log",
    script:
        "../scripts/aggregate.py"
