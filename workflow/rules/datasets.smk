rule dataset:
    output:
        "results/datasets/{dataset}.parquet",
    params:
        spec=lambda wildcards: PLAN.datasets[wildcards.dataset],
    log:
        "results/logs/datasets/{dataset}.log",
    priority: 10
    script:
        "../scripts/make_dataset.py"
