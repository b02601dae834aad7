rule fit:
    input:
        "results/datasets/{dataset}.parquet",
    output:
        "results/predictions/{dataset}/{classifier}/{method}.parquet",
    log:
        "results/logs/fit/{dataset}/{classifier}/{method}.log",
    conda:
        "../envs/imbench.yaml"
    threads: 1
    params:
        fit=fit_params,
    script:
        "../scripts/fit.py"
