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


onsuccess:
    failed = failure_summary(TABLES["cells"])
    if failed:
        sys.exit(failed)


rule all:
    default_target: True
    input:
        TABLES.values(),
        ANALYSES,
