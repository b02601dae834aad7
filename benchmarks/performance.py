"""How much the pipeline costs beside the model fits it exists to run.

Runs a config (default: config/config.yaml) in a scratch copy of the workflow and
prints one Markdown table, also written to docs/performance.md with the command and
the machine:

- ideal: the in-job fit + predict time recorded in the predictions, over the cores;
- pipeline wall time at --cores 1 and --cores N from a clean results/, the mean number
  of runnable threads during the N-core run (the workflow, Snakemake alone, the whole
  machine), and the peak RSS of any job (from the benchmark files);
- loop: the same fits and metrics from a plain joblib.Parallel loop over N cores;
- the no-op rerun and the dry run of a grid of at least 10,000 fits;
- optionally (--growth N ...) the N-core wall time with n_samples set to each N (with
  --growth-seeds K, K synthetic seeds per rate instead of the config's), and
  (--scale) every job of config/scale.yaml with its wall time and peak RSS.

    .venv/bin/python benchmarks/performance.py                 # about 25 minutes
    .venv/bin/python benchmarks/performance.py --growth 2000 20000 --scale
    .venv/bin/python benchmarks/performance.py --only-extra \\
        --growth 2000 20000 200000 --growth-seeds 1 --scale     # about 45 minutes
"""

import argparse
import collections
import copy
import csv
import itertools
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
DRY_RUN_FITS = 10_000


def scratch_workflow(directory):
    """A copy of the workflow to run in, so the repository's results/ is untouched."""
    for name in ("Snakefile", "workflow", "profiles", "config", "tests/data"):
        source, target = REPO / name, Path(directory) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return Path(directory)


class RunnableSampler(threading.Thread):
    """Mean numbers of runnable threads while it runs, from each thread's state in
    /proc: of the workflow (the processes this script started, and theirs), of its
    main process alone (Snakemake's scheduler) and of the whole machine (kernel
    threads and other services included), less this script."""

    def __init__(self, interval=0.5):
        super().__init__(daemon=True)
        self.interval, self.stopped = interval, threading.Event()
        self.workflow, self.main, self.machine = [], [], []

    def run(self):
        while not self.stopped.wait(self.interval):
            parents, running = {}, collections.Counter()
            for stat in Path("/proc").glob("[0-9]*/task/[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:  # the thread ended
                    continue
                pid = int(stat.parts[2])
                parents[pid] = int(fields[1])
                running[pid] += fields[0] == "R"
            me = os.getpid()
            self.workflow.append(
                sum(n for pid, n in running.items() if _descends(pid, me, parents))
            )
            self.main.append(
                sum(n for pid, n in running.items() if parents.get(pid) == me)
            )
            self.machine.append(sum(running.values()) - running[me])

    def means(self):
        """``(workflow, main process, machine)`` mean runnable threads."""
        self.stopped.set()
        self.join()
        count = max(1, len(self.workflow))
        return tuple(
            sum(samples) / count for samples in (self.workflow, self.main, self.machine)
        )


def _descends(pid, ancestor, parents):
    while pid in parents and pid not in (0, 1):
        pid = parents[pid]
        if pid == ancestor:
            return True
    return False


def snakemake(workdir, config, *args):
    """Wall time of one Snakemake invocation (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", config, "--quiet", *args],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def clean(workdir):
    for name in ("results", ".snakemake"):
        shutil.rmtree(Path(workdir) / name, ignore_errors=True)


def cell_seconds(workdir):
    """Each cell's fit (with validation fits) and predict seconds, from the times
    stored with its predictions: ``{"dataset/classifier/method": (fit, predict)}``."""
    import json

    import pyarrow.parquet as pq

    predictions = Path(workdir, "results", "predictions")
    seconds = {}
    for path in sorted(predictions.glob("*/*/*.parquet")):
        folds = json.loads(pq.read_schema(path).metadata[b"imbench"])["folds"]
        fit = sum(r["fit_time"] + (r.get("validation_fit_time") or 0.0) for r in folds)
        predict = sum(record["predict_time"] for record in folds)
        cell = path.relative_to(predictions).with_suffix("").as_posix()
        seconds[cell] = (fit, predict)
    return seconds


RELATIVE_LIMIT = 5.0  # a method dearer than this many baselines is flagged


def relative_costs(seconds):
    """Rows of the relative-cost table: each classifier's methods, their fit and
    predict seconds summed over the datasets, and that against the baseline's on
    the same datasets, flagged above ``RELATIVE_LIMIT``. A regression such as
    scikit-learn 1.9's weighted binning (gradient boosting's class weights at 18x
    its baseline) shows here before it shows in the wall time."""
    totals = collections.defaultdict(float)
    for cell, (fit, predict) in seconds.items():
        _, classifier, method = cell.split("/")
        totals[classifier, method] += fit + predict
    rows = []
    for (classifier, method), total in sorted(totals.items()):
        baseline = totals.get((classifier, "baseline"))
        ratio = total / baseline if baseline else math.nan
        rows.append(
            {
                "classifier": classifier,
                "method": method,
                "seconds": f"{total:.1f}",
                "x baseline": f"{ratio:.2f}",
                "flag": f"above {RELATIVE_LIMIT:g}x" if ratio > RELATIVE_LIMIT else "",
            }
        )
    return rows


def fit_seconds(workdir):
    """Sum of the fit, validation-fit and predict times stored with the predictions."""
    return sum(fit + predict for fit, predict in cell_seconds(workdir).values())


def job_benchmarks(workdir):
    """Every job's benchmark record: rule, wildcards, seconds, max RSS (MB)."""
    rows = []
    for path in Path(workdir, "results", "benchmarks").rglob("*.tsv"):
        with open(path) as handle:
            record = next(csv.DictReader(handle, delimiter="\t"))
        parts = path.relative_to(Path(workdir, "results", "benchmarks")).parts
        rows.append(
            {
                "rule": parts[0].removesuffix(".tsv"),
                "job": "/".join(parts[1:]).removesuffix(".tsv"),
                "seconds": float(record["s"]),
                "max_rss_mb": float(record["max_rss"]),
            }
        )
    return pd.DataFrame(rows)


def pipeline(workdir, config, cores):
    """Clean run at ``cores``: wall time, mean runnable threads (``RunnableSampler``),
    and the wall time until the last metrics file was written (the loop's work)."""
    clean(workdir)
    sampler = RunnableSampler()
    sampler.start()
    start = time.time()
    wall = snakemake(workdir, config, "--cores", str(cores))
    metrics = Path(workdir, "results", "metrics").glob("*.parquet")
    to_metrics = max(path.stat().st_mtime for path in metrics) - start
    return wall, sampler.means(), to_metrics


def _loop_cell(X, y, dataset, cell, params, rules, cost_ratios, grid_size):
    from imbench.evaluation import evaluate_cell
    from imbench.fitting import fit_cell

    predictions, record = fit_cell(X, y, dataset, cell.classifier, cell.method, params)
    if record.status != "ok":
        return None
    metrics, _ = evaluate_cell(predictions, record.folds, rules, cost_ratios, grid_size)
    return metrics.assign(
        dataset=dataset, classifier=cell.classifier, method=cell.method
    )


def loop(config_path, cores, output):
    """What a user would write instead: the same datasets, fits and metrics in one
    script, ``joblib.Parallel`` over ``cores`` processes; wall time."""
    from joblib import Parallel, delayed

    from imbench import sources
    from imbench.config import build_plan, load_yaml

    start = time.perf_counter()
    plan = build_plan(load_yaml(config_path), SCHEMA, base_dir=REPO)
    names = list(plan.datasets)
    made = Parallel(n_jobs=cores)(
        delayed(sources.load)(plan.datasets[name], plan.splits()) for name in names
    )
    data = {name: (X, y) for name, (X, y, _) in zip(names, made, strict=True)}
    thresholds = plan.config["thresholds"]
    frames = Parallel(n_jobs=cores)(
        delayed(_loop_cell)(
            *data[cell.dataset],
            cell.dataset,
            cell,
            plan.fit_params(cell),
            plan.rules,
            thresholds["cost_ratios"],
            thresholds["grid_size"],
        )
        for cell in plan.cells
    )
    pd.concat([f for f in frames if f is not None]).to_csv(output, index=False)
    return time.perf_counter() - start


def large_grid(config):
    """``config`` with enough synthetic seeds for at least 10,000 fits (cells), and
    its numbers of cells and of dataset jobs."""
    from imbench.config import build_plan

    big = copy.deepcopy(config)
    seeds = big["datasets"]["synthetic"]["seeds"]
    while True:
        plan = build_plan(copy.deepcopy(big), SCHEMA, base_dir=REPO)
        if len(plan.cells) >= DRY_RUN_FITS:
            return big, len(plan.cells), len(plan.datasets)
        seeds = seeds * 2
        big["datasets"]["synthetic"]["seeds"] = min(seeds, 1000)


# (rows, features, imbalance ratio) of a dozen KEEL sets (glass1, ecoli3, yeast4,
# abalone19, page-blocks0, pima, vehicle0, car-good, new-thyroid1, ecoli1, haberman,
# segment0): the shape of a real collection's run, made offline
COLLECTION_SHAPES = [
    (214, 9, 1.8),
    (336, 7, 8.6),
    (1484, 8, 28.1),
    (4174, 8, 129.4),
    (5472, 10, 8.8),
    (768, 8, 1.9),
    (846, 18, 3.3),
    (1728, 6, 24.0),
    (215, 5, 5.1),
    (336, 7, 3.4),
    (306, 3, 2.8),
    (2308, 19, 6.0),
]
COLLECTION_SAMPLERS = [
    "random_oversample",
    "random_undersample",
    "smote",
    "adasyn",
    "borderline_smote",
    "smote_tomek",
]


def collection_config(workdir):
    """A config of a dozen user files shaped like KEEL sets (written under
    ``workdir``/data), logistic regression with the baseline and six samplers, 5x2
    CV and no tuned thresholds: issue #29's run, whose analyses cost more than its
    fits."""
    from sklearn.datasets import make_classification

    files = []
    for i, (rows, features, ratio) in enumerate(COLLECTION_SHAPES):
        X, y = make_classification(
            rows,
            features,
            n_informative=max(2, features // 2),
            n_redundant=0,
            weights=[ratio / (1 + ratio)],
            flip_y=0,
            random_state=i,
        )
        path = Path(workdir, "data", f"set{i:02d}.csv")
        path.parent.mkdir(exist_ok=True)
        columns = ",".join(f"f{j}" for j in range(features))
        rows_text = "\n".join(
            ",".join(f"{v:.5g}" for v in x) + f",{t}" for x, t in zip(X, y, strict=True)
        )
        path.write_text(f"{columns},y\n{rows_text}\n")
        files.append({"name": f"set{i:02d}", "path": str(path), "target": "y"})
    return {
        "seed": "collection",
        "positive_rates": [0.5],
        "datasets": {"files": files},
        "cv": {"folds": 5, "repeats": 2},
        "thresholds": {"strategy": "none", "cost_ratios": [1, 10]},
        "classifiers": {
            "logistic_regression": {"methods": ["baseline", *COLLECTION_SAMPLERS]}
        },
        "methods": {name: {} for name in ["baseline", *COLLECTION_SAMPLERS]},
    }


def collection_measurements(workdir, n):
    """Rows for ``collection_config``'s run at ``n`` cores: its wall time, when the
    dataset jobs were done, the analysis phase and each analysis rule, and a rerun
    whose cells all come from the cache."""
    (workdir / "config" / "collection.yaml").write_text(
        yaml.safe_dump(collection_config(workdir))
    )
    wall, _, to_metrics = pipeline(workdir, "config/collection.yaml", n)
    jobs = job_benchmarks(workdir)
    rerun = snakemake(
        workdir,
        "config/collection.yaml",
        "--cores",
        str(n),
        "--forcerun",
        "cross_validate",
    )
    rows = [
        row(f"12 user files (KEEL shapes): cold run, --cores {n}", f"{wall:.0f} s"),
        row("12 user files: dataset jobs done after", f"{to_metrics:.0f} s"),
        row(
            "12 user files: analysis phase (last metrics file to the run's end)",
            f"{wall - to_metrics:.0f} s",
            "≤ 15 s",
        ),
        row("12 user files: rerun, every cell from the cache", f"{rerun:.0f} s"),
    ]
    analyses = jobs[jobs["rule"] == "analysis"].sort_values("job")
    for record in analyses.itertuples():
        rows.append(row(f"12 user files: {record.job}", f"{record.seconds:.1f} s"))
    return rows


def verdict_costs(sizes=(15, 110), repeats=200):
    """Rows: the milliseconds of one practical verdict (the Bayesian signed-rank
    test's probabilities, ``stats.practical_probabilities``) over ``sizes``
    instances, against baycomp's ``SignedRankTest`` with the same draws; the draws
    are made once per number of instances and not counted (they are shared)."""
    import numpy as np
    from baycomp import SignedRankTest

    from imbench import stats

    rows = []
    for n in sizes:
        gains = np.random.default_rng(n).normal(0.005, 0.02, size=n)
        stats.posterior_draws(n)  # drawn once per n, for every verdict
        start = time.perf_counter()
        for _ in range(repeats):
            stats.practical_probabilities(gains, 0.01)
        ours = (time.perf_counter() - start) / repeats * 1000
        start = time.perf_counter()
        SignedRankTest.probs(
            np.zeros(n),
            gains,
            0.01,
            nsamples=stats.POSTERIOR_SAMPLES,
            random_state=stats.posterior_seed(n),
        )
        theirs = (time.perf_counter() - start) * 1000
        rows.append(
            row(
                f"a verdict over {n} instances: imbench / baycomp",
                f"{ours:.2f} ms / {theirs:.0f} ms",
                "≤ 2 ms" if n <= 15 else "",
            )
        )
    return rows


def with_samples(config, n_samples, seeds=None):
    """``config`` with ``n_samples`` rows per synthetic instance (and ``seeds``
    instances per rate, if given)."""
    changed = copy.deepcopy(config)
    changed["datasets"]["synthetic"]["n_samples"] = n_samples
    if seeds is not None:
        changed["datasets"]["synthetic"]["seeds"] = seeds
    return changed


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = Path("/proc/meminfo").read_text().split()[1]
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) / 2**20:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def default_measurements(workdir, config_path, config, n, scratch):
    """The table's rows for ``config`` (ideal, walls, loop, no-op, dry run, RSS),
    and the relative-cost table's (``relative_costs``, from the run at one core)."""
    wall_1, _, _ = pipeline(workdir, config_path, 1)
    fits_1 = fit_seconds(workdir)
    relative = relative_costs(cell_seconds(workdir))  # each job had a core to itself
    estimated, measured = cost_check(workdir, config_path)
    wall_n, runnable, to_metrics = pipeline(workdir, config_path, n)
    fits_n = fit_seconds(workdir)
    ideal = fits_n / n
    jobs = job_benchmarks(workdir)
    peak = jobs.loc[jobs["max_rss_mb"].idxmax()]
    no_op = snakemake(workdir, config_path, "--cores", str(n))
    loop_wall = loop(REPO / config_path, n, Path(scratch) / "loop.csv")
    big, big_fits, big_jobs = large_grid(config)
    (workdir / "config" / "large.yaml").write_text(yaml.safe_dump(big))
    clean(workdir)
    dry_run = snakemake(workdir, "config/large.yaml", "--dry-run")
    return relative, [
        row("jobs with a benchmark record", len(jobs)),
        row(f"ideal: in-job fit + predict time / {n} cores", f"{ideal:.0f} s"),
        row(
            f"in-job fit + predict time, summed, --cores 1 / --cores {n}",
            f"{fits_1:.0f} s / {fits_n:.0f} s",
        ),
        row("pipeline wall, --cores 1", f"{wall_1:.0f} s"),
        row(
            "dataset jobs, --cores 1: cost model estimate / measured",
            f"{estimated:.0f} s / {measured:.0f} s ({estimated / measured:.2f})",
            "within 1.5x",
        ),
        row(f"pipeline wall, --cores {n}", f"{wall_n:.0f} s"),
        row(
            f"pipeline wall to the last metrics file (the loop's work), --cores {n}",
            f"{to_metrics:.0f} s",
        ),
        row(
            f"analysis phase (last metrics file to the run's end), --cores {n}",
            f"{wall_n - to_metrics:.0f} s ({(wall_n - to_metrics) / wall_n:.0%})",
            "≤ 20% of the run",
        ),
        row(f"loop wall (joblib, {n} processes)", f"{loop_wall:.0f} s"),
        row("overhead (pipeline - ideal)", f"{wall_n - ideal:.0f} s"),
        row("overhead ratio (pipeline / ideal)", f"{wall_n / ideal:.2f}"),
        row("pipeline / loop", f"{wall_n / loop_wall:.2f}"),
        row("pipeline to the metrics / loop", f"{to_metrics / loop_wall:.2f}"),
        row(f"speed-up --cores 1 → {n}", f"{wall_1 / wall_n:.2f}"),
        row(
            f"speed-up the fits alone allow ({n} x fit time at 1 core / at {n})",
            f"{n * fits_1 / fits_n:.2f}",
        ),
        row(
            f"mean runnable threads of the workflow, --cores {n}",
            f"{runnable[0]:.2f}",
        ),
        row(f"of which Snakemake's main process, --cores {n}", f"{runnable[1]:.2f}"),
        row(
            f"mean runnable threads of the machine (kernel too), --cores {n}",
            f"{runnable[2]:.2f}",
        ),
        row("no-op rerun", f"{no_op:.1f} s", "≤ 3 s"),
        row(
            f"dry run, {big_fits} fits in {big_jobs} dataset jobs",
            f"{dry_run:.1f} s",
            "≤ 20 s",
        ),
        row(
            f"peak RSS of a job ({peak['rule']} {peak['job']})".replace(" )", ")"),
            f"{peak['max_rss_mb']:.0f} MB",
        ),
    ]


def cost_check(workdir, config_path):
    """The cost model's estimate of a run's dataset jobs (from the shipped records)
    and their measured time in ``workdir``'s run at --cores 1, where each job has a
    core to itself; that run's records are written to benchmarks/records/."""
    from imbench.config import build_plan, load_yaml
    from imbench.cpu_time import (
        RECORDS,
        CostModel,
        dataset_shapes,
        estimate,
        read_records,
        records_from_results,
        summary,
        write_records,
    )

    measured, _ = records_from_results(workdir / "results")
    target = REPO / "benchmarks" / "records" / f"{Path(config_path).stem}.csv"
    target.parent.mkdir(exist_ok=True)
    write_records(measured, target)
    plan = build_plan(load_yaml(workdir / config_path), SCHEMA, base_dir=workdir)
    cells = estimate(plan, CostModel(read_records(RECORDS)), dataset_shapes(plan))
    return summary(cells)[1], sum(r["cpu_seconds"] for r in measured)


def row(measure, value, target=""):
    return {"measure": measure, "value": value, "target": target}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config/config.yaml")
    parser.add_argument("--cores", type=int, default=os.cpu_count())
    parser.add_argument("--growth", type=int, nargs="*", default=[])
    parser.add_argument(
        "--growth-seeds",
        type=int,
        help="synthetic seeds per rate in the growth runs (default: the config's)",
    )
    parser.add_argument("--scale", action="store_true")
    parser.add_argument(
        "--only-extra",
        action="store_true",
        help="skip the default measurements; run only --growth and --scale",
    )
    parser.add_argument("--output", default=str(REPO / "docs" / "performance.md"))
    args = parser.parse_args()
    config = yaml.safe_load((REPO / args.config).read_text())
    rows, relative, n = [], [], args.cores
    with tempfile.TemporaryDirectory() as scratch:
        workdir = scratch_workflow(Path(scratch) / "workflow")
        if not args.only_extra:
            relative, rows = default_measurements(
                workdir, args.config, config, n, scratch
            )
            rows += collection_measurements(workdir, n)
            rows += verdict_costs()
        walls = {}
        for n_samples in args.growth:
            (workdir / "config" / "growth.yaml").write_text(
                yaml.safe_dump(with_samples(config, n_samples, args.growth_seeds))
            )
            walls[n_samples], _, _ = pipeline(workdir, "config/growth.yaml", n)
            ratio = walls[n_samples] / (fit_seconds(workdir) / n)
            seeds = f", seeds {args.growth_seeds}" if args.growth_seeds else ""
            rows.append(
                row(
                    f"pipeline wall, --cores {n}, n = {n_samples}{seeds} "
                    "(overhead ratio)",
                    f"{walls[n_samples]:.0f} s ({ratio:.2f})",
                )
            )
            print(rows[-1], file=sys.stderr, flush=True)  # a long run shows progress
        for small, large in itertools.pairwise(sorted(walls)):
            per_10x = (walls[large] / walls[small]) ** (1 / math.log10(large / small))
            rows.append(
                row(f"growth per 10x rows, n = {small} → {large}", f"{per_10x:.1f}x")
            )
        if args.scale:
            wall, _, _ = pipeline(workdir, "config/scale.yaml", n)
            rows.append(row(f"config/scale.yaml, --cores {n}", f"{wall:.0f} s", ""))
            for record in job_benchmarks(workdir).sort_values("job").itertuples():
                rows.append(
                    row(
                        f"scale: {record.rule} {record.job}",
                        f"{record.seconds:.0f} s, {record.max_rss_mb:.0f} MB",
                        "≤ 4096 MB",
                    )
                )
            for cell, (fit, predict) in cell_seconds(workdir).items():
                rows.append(
                    row(
                        f"scale cell: {cell}",
                        f"fit {fit:.0f} s, predict {predict:.0f} s",
                    )
                )
    table = pd.DataFrame(rows).to_markdown(index=False)
    if relative:
        table += (
            "\n\nEach method's fit and predict time against its classifier's "
            "baseline on the same datasets (the run at --cores 1; flagged above "
            f"{RELATIVE_LIMIT:g}x):\n\n"
            + pd.DataFrame(relative).to_markdown(index=False)
        )
    print(table)
    command = " ".join(["benchmarks/performance.py", *sys.argv[1:]])
    made = (
        f"Made by `.venv/bin/python {command}` on {time.strftime('%Y-%m-%d')}, on "
        f"{machine()}, config `{args.config}`"
        f"{' (scale rows: config/scale.yaml)' if args.scale else ''}.\n\n{table}\n"
    )
    write_section(Path(args.output), 1 if args.only_extra else 0, made)


# the report's sections: this script writes the first two; the cost model's (from
# imbench-cost runs) and the hand-written ones after it are kept as they are
SECTIONS = ("# Performance\n\n", "\n## Growth and scale\n\n", "\n## Cost model\n\n")


def write_section(output, index, text):
    """Replace one section of the report (the default measurements, or growth and
    scale), keeping the others."""
    parts = [""] * len(SECTIONS)
    old = output.read_text() if output.exists() else ""
    starts = sorted(
        (old.find(head), i) for i, head in enumerate(SECTIONS) if head in old
    )
    ends = [start for start, _ in starts[1:]] + [len(old)]
    for (start, i), end in zip(starts, ends, strict=True):
        parts[i] = old[start + len(SECTIONS[i]) : end]
    parts[index] = text
    output.parent.mkdir(exist_ok=True)
    output.write_text(
        "".join(head + part for head, part in zip(SECTIONS, parts, strict=True) if part)
    )


if __name__ == "__main__":
    main()
