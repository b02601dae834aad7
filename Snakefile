"""imbench: which class-imbalance handling works when.

``snakemake --cores all`` runs config/config.yaml; ``--configfile other.yaml`` runs
another config instead of it (not merged into it).
"""

if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/cross_validate.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/publish.smk"


onstart:
    check_fits()


onsuccess:
    summary, failed = failure_summary(TABLES["cells"])
    if failed:
        sys.exit(summary)
    elif summary:
        print(summary, file=sys.stderr)


# Every output is a target, so that one deleted by hand is noticed and remade.
rule all:
    default_target: True
    input:
        DATASETS,
        PREDICTIONS,
        METRICS,
        TABLES.values(),
        ANALYSES,
