rule dataset:
    output:
        "results/datasets/{dataset}.parquet",
    log:
        "results/logs/datasets/{dataset}.log",
    priority: 10
    conda:
        "../envs/imbench.yaml"
    params:
        spec=lambda wildcards: PLAN.datasets[wildcards.dataset],
    script:
        "../scripts/make_dataset.py"
