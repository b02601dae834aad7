rule ratio_sweep:
    input:
        metrics=METRICS,
    output:
        pdf=expand("results/figures/ratio_sweep/{panel}.pdf", panel=SWEEP_FIGURES),
        png=[
            reported(
                f"results/figures/ratio_sweep/{panel}.png",
                "1. Imbalance ratio sweep",
                caption="ratio_sweep_png",
            )
            for panel in SWEEP_FIGURES
        ],
        csv=reported("results/tables/ratio_sweep.csv", "1. Imbalance ratio sweep"),
        tables=multiext("results/tables/ratio_sweep", ".md", ".tex"),
        answer_csv=reported(
            "results/tables/ratio_sweep_answer.csv", "1. Imbalance ratio sweep"
        ),
        answer_tables=multiext("results/tables/ratio_sweep_answer", ".md", ".tex"),
    log:
        "results/logs/analysis/ratio_sweep.log",
    benchmark:
        "results/benchmarks/analysis/ratio_sweep.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        panels=PLAN.sweep_panels(),
        equivalence=PLAN.equivalence(),
    script:
        "../scripts/step.py"


rule cost_threshold:
    input:
        predictions=PREDICTIONS,
        metrics=METRICS,
    output:
        pdf="results/figures/cost_threshold.pdf",
        png=reported("results/figures/cost_threshold.png", "2. Cost threshold"),
        csv=reported("results/tables/cost_threshold.csv", "2. Cost threshold"),
        tables=multiext("results/tables/cost_threshold", ".md", ".tex"),
    log:
        "results/logs/analysis/cost_threshold.log",
    benchmark:
        "results/benchmarks/analysis/cost_threshold.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        cost_ratios=PLAN.config["thresholds"]["cost_ratios"],
        shown_ratio=PLAN.shown_cost_ratio(),
        equivalence=PLAN.equivalence(),
    script:
        "../scripts/step.py"


rule ensembles:
    input:
        predictions=PREDICTIONS,
        metrics=METRICS,
    output:
        pdf="results/figures/ensembles.pdf",
        png=reported("results/figures/ensembles.png", "3. Undersampling ensembles"),
        csv=reported("results/tables/ensembles.csv", "3. Undersampling ensembles"),
        tables=multiext("results/tables/ensembles", ".md", ".tex"),
    log:
        "results/logs/analysis/ensembles.log",
    benchmark:
        "results/benchmarks/analysis/ensembles.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        equivalence=PLAN.equivalence(),
    script:
        "../scripts/step.py"


rule f1_averages:
    input:
        metrics=METRICS,
    output:
        pdf="results/figures/f1_averages.pdf",
        png=reported("results/figures/f1_averages.png", "4. F1 averages"),
        csv=reported("results/tables/f1_averages.csv", "4. F1 averages"),
        tables=multiext("results/tables/f1_averages", ".md", ".tex"),
    log:
        "results/logs/analysis/f1_averages.log",
    benchmark:
        "results/benchmarks/analysis/f1_averages.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    script:
        "../scripts/step.py"


rule curves:
    input:
        predictions=PREDICTIONS,
        metrics=METRICS,
    output:
        pr_pdf="results/figures/pr_curves.pdf",
        pr_png=reported("results/figures/pr_curves.png", "5. Curves and calibration"),
        roc_pdf="results/figures/roc_curves.pdf",
        roc_png=reported("results/figures/roc_curves.png", "5. Curves and calibration"),
        calibration_pdf="results/figures/reliability.pdf",
        calibration_png=reported(
            "results/figures/reliability.png", "5. Curves and calibration"
        ),
        csv=reported("results/tables/calibration.csv", "5. Curves and calibration"),
        tables=multiext("results/tables/calibration", ".md", ".tex"),
    log:
        "results/logs/analysis/curves.log",
    benchmark:
        "results/benchmarks/analysis/curves.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    script:
        "../scripts/step.py"


rule ranking:
    input:
        metrics=METRICS,
    output:
        pdf="results/figures/critical_difference.pdf",
        png=reported("results/figures/critical_difference.png", "6. Ranking"),
        csv=reported("results/tables/ranking.csv", "6. Ranking"),
        tables=multiext("results/tables/ranking", ".md", ".tex"),
    log:
        "results/logs/analysis/ranking.log",
    benchmark:
        "results/benchmarks/analysis/ranking.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        metrics=PLAN.scored_metrics(),
    script:
        "../scripts/step.py"


rule decision_guide:
    input:
        unpack(sweep_verdicts),
        metrics=METRICS,
    output:
        csv=reported("results/tables/decision_guide.csv", "7. Decision guide"),
        tables=multiext("results/tables/decision_guide", ".md", ".tex"),
    log:
        "results/logs/analysis/decision_guide.log",
    benchmark:
        "results/benchmarks/analysis/decision_guide.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        metrics=PLAN.scored_metrics(),
    script:
        "../scripts/step.py"


rule findings:
    input:
        unpack(findings_tables),
    output:
        markdown=reported("results/findings.md", "0. Findings"),
    log:
        "results/logs/analysis/findings.log",
    benchmark:
        "results/benchmarks/analysis/findings.tsv"
    conda:
        "../envs/imbench.yaml"
    resources:
        **ANALYSIS_RESOURCES,
    params:
        shown_ratio=PLAN.shown_cost_ratio(),
        f1_rule=PLAN.f1_rule(),
        config_hash=config_hash(PLAN.config),
    script:
        "../scripts/step.py"
