rule fit:
    input:
        "results/datasets/{dataset}.parquet",
    output:
        "results/predictions/{dataset}/{classifier}/{method}.parquet",
    params:
        fit=fit_params,
    threads: 1
    log:
        "results/logs/fit/{dataset}/{classifier}/{method}.log",
    script:
        "../scripts/fit.py"
