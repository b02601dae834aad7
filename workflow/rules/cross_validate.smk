rule cross_validate:
    input:
        data=dataset_files,
    output:
        dataset="results/datasets/{dataset}.parquet",
        predictions=directory("results/predictions/{dataset}"),
        metrics="results/metrics/{dataset}.parquet",
        timings="results/benchmarks/cross_validate/{dataset}.json",
    log:
        "results/logs/cross_validate/{dataset}.log",
    benchmark:
        "results/benchmarks/cross_validate/{dataset}.tsv"
    priority: job_priority
    conda:
        "../envs/imbench.yaml"
    threads: CELL_PROCESSES
    resources:
        mem_mb=dataset_memory,
        runtime=lambda wildcards, attempt: 120 * attempt,
    params:
        spec=lambda wildcards: PLAN.datasets[wildcards.dataset],
        cells=cell_params,
        methods=PLAN.config["methods"],
        classifiers=PLAN.config["classifiers"],
        plugins=PLAN.plugin_digests(),
        evaluation={
            "rules": PLAN.rule_names(),
            "cost_ratios": PLAN.cost_ratios(),
            "grid_size": PLAN.config["thresholds"]["grid_size"],
        },
        splits=PLAN.splits(),
        cache=CELL_CACHE,
        code=code_digest("imbench.steps.cross_validate"),
    script:
        "../scripts/step.py"
