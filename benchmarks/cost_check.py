"""The cost model against a finished run: each dataset job's CPU time as
``imbench-cost`` estimates it from the shipped records, next to what the job took
(its cells' shares of the job's CPU time, ``cpu_time.records_from_results``), per
classifier and in all. Jobs whose cells came from the cache are left out (their time
is not their cells').

    .venv/bin/python benchmarks/cost_check.py config/paper.yaml results/
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from imbench import classifiers
from imbench.config import build_plan, load_yaml
from imbench.cpu_time import (
    CostModel,
    dataset_shapes,
    estimate,
    read_records,
    records_from_results,
)
from imbench.methods import using

SCHEMA = Path(__file__).resolve().parents[1] / "workflow/schemas/config.schema.yaml"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("results", type=Path)
    args = parser.parse_args(argv)
    plan = build_plan(load_yaml(args.config), SCHEMA, ".")
    measured, note = records_from_results(args.results)
    ran = {
        path.stem
        for path in (args.results / "benchmarks" / "cross_validate").glob("*.json")
    }
    with using(plan.config["methods"]), classifiers.using(plan.config["classifiers"]):
        cells = estimate(plan, CostModel(read_records()), dataset_shapes(plan))
    estimated = defaultdict(float)
    for dataset, classifier, _, _, _, seconds in cells:
        if dataset in ran:
            estimated[dataset, classifier] += seconds or 0.0
    took = defaultdict(float)
    for record in measured:
        took[record["dataset"], record["classifier"]] += record["cpu_seconds"]
    rows = [
        {
            "dataset": dataset,
            "classifier": classifier,
            "estimated CPU-s": estimated[dataset, classifier],
            "measured CPU-s": took[dataset, classifier],
        }
        for dataset, classifier in sorted(took)
    ]
    table = pd.DataFrame(rows)
    totals = table.groupby("dataset", as_index=False)[
        ["estimated CPU-s", "measured CPU-s"]
    ].sum()
    table = pd.concat([table, totals.assign(classifier="all")], ignore_index=True)
    table["estimated / measured"] = table["estimated CPU-s"] / table["measured CPU-s"]
    print(note)
    print(
        table.sort_values(["dataset", "classifier"]).to_markdown(
            index=False, floatfmt=".2f"
        )
    )


if __name__ == "__main__":
    sys.exit(main())
