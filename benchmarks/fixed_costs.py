"""The share of a finished run that is not fitting: what a collection of many small
datasets pays for process starts, imports, reading data, scoring and the analyses.

Reads a run's results directory (a clean run: every cell fitted, none from the cache)
and its Snakemake log, and prints one Markdown table:

- the run's wall time (from the start its log records to the log's last write) and
  its core-seconds;
- the fits' seconds (fit, validation fits and predictions, as each cell's job timed
  them) and their CPU seconds;
- the dataset jobs' seconds (Snakemake's benchmark files: process start to end) and
  the CPU seconds of their step (as each job measured it; Snakemake's sampled
  ``cpu_time`` misses short processes), and the analysis jobs' seconds;
- the share that is not fitting, of the dataset jobs' seconds and of the run's
  core-seconds.

    .venv/bin/python benchmarks/fixed_costs.py RESULTS_DIR SNAKEMAKE_LOG --cores 2
"""

import argparse
import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd


def wall_seconds(log):
    """Seconds from the start a Snakemake log records (``Date: ...``) to its last
    write, the run's end."""
    start = re.search(r"^\s*Date: (\S+ \S+)$", Path(log).read_text(), re.MULTILINE)
    begun = datetime.strptime(start.group(1), "%Y-%m-%d %H:%M:%S").timestamp()
    return Path(log).stat().st_mtime - begun


def benchmark(path):
    with open(path) as handle:
        record = next(csv.DictReader(handle, delimiter="\t"))
    return float(record["s"]), float(record["cpu_time"])  # cpu_time: sampled


def measure(results, log, cores):
    """The table's rows."""
    benchmarks = Path(results, "benchmarks")
    fits = fit_cpu = jobs = job_cpu = 0.0
    for path in sorted((benchmarks / "cross_validate").glob("*.json")):
        timings = json.loads(path.read_text())
        cells = timings["cells"].values()
        fits += sum(cell.get("fit", {}).get("seconds", 0.0) for cell in cells)
        fit_cpu += sum(cell.get("fit", {}).get("cpu_seconds", 0.0) for cell in cells)
        jobs += benchmark(path.with_suffix(".tsv"))[0]  # the process, start to end
        job_cpu += timings["cpu_seconds"]  # the step's own, as the job measured it
    analyses = [benchmark(p) for p in benchmarks.glob("*.tsv")]
    analyses += [benchmark(p) for p in (benchmarks / "analysis").glob("*.tsv")]
    analysis = sum(seconds for seconds, _ in analyses)
    wall = wall_seconds(log)
    datasets = len(list((benchmarks / "cross_validate").glob("*.json")))
    return [
        ("dataset jobs", f"{datasets}"),
        (f"run wall time, --cores {cores}", f"{wall:.0f} s"),
        ("core-seconds (wall x cores)", f"{wall * cores:.0f} s"),
        ("fits: seconds (fit, validation fits, predictions)", f"{fits:.0f} s"),
        ("fits: CPU seconds", f"{fit_cpu:.0f} s"),
        ("dataset jobs: seconds (process start to end)", f"{jobs:.0f} s"),
        ("dataset jobs: CPU seconds of their step", f"{job_cpu:.0f} s"),
        ("analysis jobs: seconds", f"{analysis:.0f} s"),
        (
            "not fitting, share of the dataset jobs' seconds",
            f"{1 - fits / jobs:.1%}",
        ),
        (
            "not fitting, share of the run's core-seconds",
            f"{1 - fits / (wall * cores):.1%}",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("log")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    rows = measure(args.results, args.log, args.cores)
    print(pd.DataFrame(rows, columns=["measure", "value"]).to_markdown(index=False))


if __name__ == "__main__":
    main()
