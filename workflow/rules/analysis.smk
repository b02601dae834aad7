rule ratio_sweep:
    input:
        METRICS,
    output:
        figure=multiext("results/figures/ratio_sweep", ".pdf", ".png"),
        table=multiext("results/tables/ratio_sweep", ".csv", ".md", ".tex"),
        answer=multiext("results/tables/ratio_sweep_answer", ".csv", ".md", ".tex"),
    log:
        "results/logs/analysis/ratio_sweep.log",
    conda:
        "../envs/imbench.yaml"
    script:
        "../scripts/ratio_sweep.py"


rule cost_threshold:
    input:
        predictions=[prediction_path(cell) for cell in PLAN.cells],
        metrics=METRICS,
    output:
        figure=multiext("results/figures/cost_threshold", ".pdf", ".png"),
        table=multiext("results/tables/cost_threshold", ".csv", ".md", ".tex"),
    log:
        "results/logs/analysis/cost_threshold.log",
    conda:
        "../envs/imbench.yaml"
    params:
        cost_ratios=PLAN.config["thresholds"]["cost_ratios"],
    script:
        "../scripts/cost_threshold.py"


rule ensembles:
    input:
        predictions=[
            prediction_path(cell)
            for cell in PLAN.cells
            if cell.method == "undersample_ensemble"
        ],
        metrics=METRICS,
    output:
        figure=multiext("results/figures/ensembles", ".pdf", ".png"),
        table=multiext("results/tables/ensembles", ".csv", ".md", ".tex"),
    log:
        "results/logs/analysis/ensembles.log",
    conda:
        "../envs/imbench.yaml"
    script:
        "../scripts/ensembles.py"


rule f1_averages:
    input:
        METRICS,
    output:
        figure=multiext("results/figures/f1_averages", ".pdf", ".png"),
        table=multiext("results/tables/f1_averages", ".csv", ".md", ".tex"),
    log:
        "results/logs/analysis/f1_averages.log",
    conda:
        "../envs/imbench.yaml"
    script:
        "../scripts/f1_averages.py"
