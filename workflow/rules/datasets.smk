rule dataset:
    output:
        "results/datasets/{dataset}.parquet",
    log:
        "results/logs/datasets/{dataset}.log",
    benchmark:
        "results/benchmarks/datasets/{dataset}.tsv"
    priority: 10
    conda:
        "../envs/imbench.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 5 * attempt,
    params:
        spec=lambda wildcards: PLAN.datasets[wildcards.dataset],
    script:
        "../scripts/make_dataset.py"
