"""imbench: which class-imbalance handling works when.

Run with ``snakemake --cores all``; another config with ``--configfile``.
"""


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/fit.smk"
include: "workflow/rules/evaluate.smk"


rule all:
    input:
        TABLES.values(),
    default_target: True
