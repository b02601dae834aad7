# One rule per analysis of the catalogue (imbench.analyses) whose methods ran: its
# inputs, outputs, report captions and params all come from its entry.


for analysis in PLAN.analyses():

    rule:
        name:
            analysis.name
        input:
            **analysis_input(analysis),
        output:
            **analysis_output(analysis),
        log:
            f"results/logs/analysis/{analysis.name}.log",
        benchmark:
            f"results/benchmarks/analysis/{analysis.name}.tsv"
        conda:
            "../envs/imbench.yaml"
        resources:
            **ANALYSIS_RESOURCES,
        params:
            **PLAN.analysis_params(analysis),
            methods=PLAN.config["methods"],
            classifiers=PLAN.config["classifiers"],
            code=code_digest(f"imbench.steps.{analysis.name}"),
        script:
            "../scripts/step.py"
