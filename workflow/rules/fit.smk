rule fit:
    input:
        "results/datasets/{dataset}.parquet",
    output:
        "results/predictions/{dataset}/{classifier}/{method}.parquet",
    log:
        "results/logs/fit/{dataset}/{classifier}/{method}.log",
    benchmark:
        "results/benchmarks/fit/{dataset}/{classifier}/{method}.tsv"
    conda:
        "../envs/imbench.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 10 * attempt,
    params:
        fit=fit_params,
    script:
        "../scripts/fit.py"
