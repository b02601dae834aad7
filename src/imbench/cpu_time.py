"""Cost model: the CPU time a config will take, before it runs.

Every cell that ran left a record: its share of its dataset job's CPU time (the
job's own measure, ``results/benchmarks/cross_validate/<dataset>.json``, split over
its cells by their fits' CPU time, so making the data, imports, scoring and writing
are counted) and the work it did. CPU time, unlike wall time, does not grow while a
job waits for a core on a busy machine; Snakemake's ``cpu_time`` is not used, as it
is sampled every 30 s and misses up to that much of each job. The shipped records
(``cpu_time_records.csv``) were measured so, on the machine ``docs/performance.md``
names.
The work of a cell is

    fits  = folds x repeats x (1 + validation fits per fold, in training-fold units)
    size  = the model's size (trees, boosting iterations, network iterations x units)
            x the method's (ensemble members, boosting rounds)
    width = features

and a record's CPU-seconds per unit of work (``unit``) depends on the classifier, the
method, the positive rate (samplers change how many rows are fitted) and the rows.
A planned cell's unit is interpolated from the records of its classifier and method:
in log rate at each recorded row count (held constant beyond the recorded rates),
then in log rows (extrapolated with the slope of the two nearest row counts, 0.5 to
1.5, or 1 with one row count). Where a method was recorded only far (more than 2x)
from a cell's rows but its classifier's baseline was recorded nearer, the method
costs, relative to its baseline, what it cost where it was recorded: per-fit costs
do not scale with rows alone (fixed costs dominate small fits, and gradient
boosting stops early above 10,000 rows), so the baseline's records at the cell's
size say more than any slope. No library models the run time of scikit-learn fits;
this is the simplest model the records support.

Threshold methods fit nothing (``imbench.views``) and cost nothing here.
"""

import argparse
import itertools
import json
import math
from collections import defaultdict
from pathlib import Path

from imbench import classifiers
from imbench.methods import ThresholdView, active, using
from imbench.records import CellRecord

RECORDS = Path(__file__).with_name("cpu_time_records.csv")
RECORD_COLUMNS = [
    "classifier",
    "method",
    "rate",
    "rows",
    "fits",
    "size",
    "width",
    "cpu_seconds",
]
SLOPES = (0.5, 1.5)  # CPU per fit grows as rows ** slope; this far when extrapolated
NEAR = math.log(2)  # records within a factor 2 of a cell's rows speak for it directly
SIZE_PARAMS = {  # the parameters a model's fit time grows with, linearly
    "random_forest": ("n_estimators",),
    "hist_gradient_boosting": ("max_iter",),
    "mlp": ("max_iter", "hidden_layer_sizes"),
    "lightgbm": ("n_estimators",),
    "xgboost": ("n_estimators",),
    "adaboost": ("n_estimators",),
}
MEMBER_PARAMS = ("n_members",)


def validation_fits(validation):
    """Validation fits per outer fold (``records.Validation``), in units of a
    training-fold fit."""
    if validation.strategy == "holdout":
        return 1 - validation.holdout_fraction
    if validation.strategy == "inner_cv":
        return validation.inner_folds - 1  # k fits on (k - 1) / k of the rows
    return 0.0


def work(classifier, method, params, width):
    """``(fits, size, width)`` of a cell whose fit parameters are ``params`` (a
    ``records.FitParams``)."""
    cv = params.cv
    fits = cv.folds * cv.repeats * (1 + validation_fits(params.thresholds))
    entry = classifiers.active().get(classifier)
    model = {**(entry.defaults if entry else {}), **params.classifier_params}
    size = 1.0
    for name in SIZE_PARAMS.get(classifier, ()):
        value = model[name]
        size *= sum(value) if isinstance(value, list) else value
    entry = active().get(method)
    members = {**(entry.defaults if entry else {}), **params.method_params}
    for name in MEMBER_PARAMS:
        size *= members.get(name, 1)
    return fits, size, width


def _is_view(method):
    return isinstance(active().get(method), ThresholdView)


def read_records(path=RECORDS):
    """Records as dicts with numbers, from a CSV of ``RECORD_COLUMNS``."""
    lines = Path(path).read_text().splitlines()
    header = lines[0].split(",")
    records = []
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=True))
        records.append(
            {
                k: v if k in ("classifier", "method") else float(v)
                for k, v in row.items()
            }
        )
    return records


def write_records(records, path):
    """Write ``records`` as CSV, sorted, so a regenerated file diffs cleanly."""
    rows = sorted(tuple(r[c] for c in RECORD_COLUMNS) for r in records)
    text = [",".join(RECORD_COLUMNS)]
    text += [
        ",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row)
        for row in rows
    ]
    Path(path).write_text("\n".join(text) + "\n")


class CostModel:
    """CPU-seconds of a cell from records (see the module's docstring)."""

    def __init__(self, records):
        units = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for r in records:
            unit = r["cpu_seconds"] / (r["fits"] * r["size"] * r["width"])
            by_rate = units[r["classifier"], r["method"]][r["rows"]]
            by_rate[r["rate"]].append(math.log(max(unit, 1e-12)))
        self.units = units

    def covers(self, classifier, method):
        """Whether records of this classifier and method exist."""
        return (classifier, method) in self.units

    def recorded_rows(self, classifier, method):
        """``(fewest, most)`` rows of this pair's records; None without any (or for
        a view, which costs nothing)."""
        if _is_view(method) or not self.covers(classifier, method):
            return None
        rows = self.units[classifier, method]
        return min(rows), max(rows)

    def seconds(self, classifier, method, rate, rows, fits, size, width):
        """Estimated CPU-seconds of one cell; None without records."""
        if _is_view(method):
            return 0.0
        if not self.covers(classifier, method):
            return None
        log_rate, log_rows = math.log(rate), math.log(rows)
        nearest = min(
            self.units[classifier, method], key=lambda n: abs(math.log(n) - log_rows)
        )
        baseline = (classifier, "baseline")
        if abs(math.log(nearest) - log_rows) > NEAR and self.covers(*baseline):
            # the baseline was recorded nearer: the method costs what it cost
            # relative to its baseline where it was recorded
            log_unit = (
                self._log_unit(baseline, log_rate, log_rows)
                + self._log_unit((classifier, method), log_rate, math.log(nearest))
                - self._log_unit(baseline, log_rate, math.log(nearest))
            )
        else:
            log_unit = self._log_unit((classifier, method), log_rate, log_rows)
        return math.exp(log_unit) * fits * size * width

    def _log_unit(self, pair, log_rate, log_rows):
        points = sorted(
            (math.log(n), _in_rate(by_rate, log_rate))
            for n, by_rate in self.units[pair].items()
        )
        return _in_rows(points, log_rows)


def _in_rate(by_rate, log_rate):
    """Mean log unit interpolated linearly in log rate, constant beyond the ends."""
    points = sorted((math.log(rate), sum(v) / len(v)) for rate, v in by_rate.items())
    return _interpolate(points, log_rate, slope=0.0)


def _in_rows(points, log_rows):
    """Log unit at ``log_rows`` from ``(log rows, log unit)`` points; with one row
    count, CPU per fit grows linearly in rows."""
    if len(points) == 1:
        return points[0][1] + (log_rows - points[0][0])
    return _interpolate(points, log_rows, slope=None)


def _interpolate(points, x, slope):
    """Piecewise linear through ``points``; beyond them ``slope`` (None: the slope of
    the two nearest points, clipped to ``SLOPES``)."""
    xs = [p[0] for p in points]
    if len(points) == 1:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else y0
    (x0, y0), (x1, y1) = points[:2] if x < xs[0] else points[-2:]
    if slope is None:
        slope = min(max((y1 - y0) / (x1 - x0), SLOPES[0]), SLOPES[1])
    anchor_x, anchor_y = (x0, y0) if x < xs[0] else (x1, y1)
    return anchor_y + slope * (x - anchor_x)


def records_from_results(results):
    """Records of every fitted cell of a finished run under ``results`` (a
    ``results/`` directory), each cell's share of its dataset job's CPU time, and
    one line saying which jobs gave them. A job whose cells came partly from the
    cache, or whose timings are missing (another imbench wrote it), gives none: its
    time is not its cells'."""
    records, used, skipped = [], 0, defaultdict(int)
    for path in sorted(Path(results, "benchmarks", "cross_validate").glob("*.json")):
        dataset = path.stem
        try:
            timings = json.loads(path.read_text())
            info = _meta(Path(results, "metrics", f"{dataset}.parquet"))["dataset"]
        except (OSError, ValueError, KeyError):
            skipped["unreadable"] += 1
            continue
        cells = timings["cells"]
        if any(cell["fit"] is None for cell in cells.values()):
            skipped["cells from the cache"] += 1
            continue
        used += 1
        total = sum(cell["fit"]["cpu_seconds"] for cell in cells.values()) or 1.0
        for name, cell in sorted(cells.items()):
            if cell["status"] != "ok":
                continue
            meta = _meta(Path(results, "predictions", dataset, f"{name}.parquet"))
            record = CellRecord.from_json(meta)
            fits, size, width = work(
                record.classifier, record.method, record.params, info["n_features"]
            )
            share = cell["fit"]["cpu_seconds"] / total
            records.append(
                {
                    "dataset": dataset,  # not written: records are by shape
                    "classifier": record.classifier,
                    "method": record.method,
                    "rate": _rate(info),
                    "rows": float(info["n_samples"]),
                    "fits": fits,
                    "size": float(size),
                    "width": float(width),
                    "cpu_seconds": timings["cpu_seconds"] * share,
                }
            )
    note = f"{len(records)} records of {used} dataset jobs in {results}/"
    if skipped:
        note += (
            " (not used: "
            + ", ".join(f"{n} jobs with {why}" for why, n in sorted(skipped.items()))
            + ")"
        )
    return records, note


def _rate(info):
    """A dataset's positive rate: its target, or its own for a user's file."""
    return float(info["rate"] if info["rate"] is not None else info["realized_rate"])


def _meta(path):
    """The JSON record imbench keeps in a Parquet file's schema."""
    import pyarrow.parquet as pq

    from imbench.io import META_KEY

    return json.loads(pq.read_schema(path).metadata[META_KEY])


def estimate(plan, model, shapes):
    """One row per planned cell: ``dataset, classifier, method, rate, rows,
    seconds`` (None without records); ``shapes`` gives each dataset's ``rows``,
    ``width`` and ``rate`` (``dataset_shapes``)."""
    rows = []
    for cell in plan.cells:
        shape = shapes[cell.dataset]
        fits, size, width = work(
            cell.classifier, cell.method, plan.fit_params(cell), shape["width"]
        )
        seconds = model.seconds(
            cell.classifier,
            cell.method,
            shape["rate"],
            shape["rows"],
            fits,
            size,
            width,
        )
        row = (cell.dataset, cell.classifier, cell.method, shape["rate"], shape["rows"])
        rows.append((*row, seconds))
    return rows


def dataset_shapes(plan):
    """Rows, features and positive rate of each planned dataset: from the config
    where it says (synthetic data), else from the data itself."""
    from imbench import sources

    shapes = {}
    for name, spec in plan.datasets.items():
        if spec["kind"] == "synthetic":
            width, rate = spec["generator"]["n_features"], spec["rate"]
            shapes[name] = {"rows": plan.rows[name], "width": width, "rate": rate}
        else:
            X, y, _ = sources.load(spec, plan.splits())
            rate = spec["rate"] if spec["rate"] is not None else float(y.mean())
            shapes[name] = {"rows": len(y), "width": X.shape[1], "rate": rate}
    return shapes


def summary(cells, model=None, cores=(2, 8, 32, 128)):
    """The report ``imbench-cost`` prints: CPU-hours per classifier and method, the
    longest cell and dataset job, the wall time on ``cores`` cores, the pairs it
    cannot estimate, and the cells whose rows lie outside the records of their pair
    (``model``'s), whose estimate is extrapolated. Returns it and the total CPU-s."""
    by_pair, by_job, unknown = defaultdict(list), defaultdict(float), set()
    outside = defaultdict(list)
    for dataset, classifier, method, _rate, rows, seconds in cells:
        if seconds is None:
            unknown.add((classifier, method))
            continue
        by_pair[classifier, method].append(seconds)
        by_job[dataset] += seconds
        recorded = model.recorded_rows(classifier, method) if model else None
        if recorded and not recorded[0] <= rows <= recorded[1]:
            outside[recorded].append(rows)
    total = sum(by_job.values())
    lines = []
    if by_pair:
        lines += [
            "| classifier | method | cells | CPU-hours | longest cell |",
            "|---|---|---:|---:|---:|",
        ]
    for (classifier, method), seconds in sorted(by_pair.items()):
        lines.append(
            f"| {classifier} | {method} | {len(seconds)} | "
            f"{sum(seconds) / 3600:.2f} | {max(seconds):.0f} s |"
        )
    if by_job:
        longest = max(by_job, key=by_job.get)
        lines += [
            "",
            f"total: {total / 3600:.1f} CPU-hours ({total:.0f} CPU-s) in "
            f"{len(by_job)} dataset jobs",
            f"longest dataset job: {longest}, {_duration(by_job[longest])} on one core",
        ]
        for n in cores:
            wall = max(total / n, by_job[longest])
            lines.append(f"wall time on {n} cores: about {_duration(wall)}")
    for (low, high), rows in sorted(outside.items()):
        size = f"{min(rows):,.0f}" + (
            f" to {max(rows):,.0f}" if max(rows) > min(rows) else ""
        )
        below = (
            "; below them a job's fixed costs (imports, making the data, scoring) "
            "dominate and are underestimated"
            if min(rows) < low
            else ""
        )
        lines.append(
            f"extrapolated: {len(rows)} cells of {size} rows, outside their "
            f"records' {low:,.0f} to {high:,.0f}{below}"
        )
    if unknown:
        pairs = ", ".join(f"{c}/{m}" for c, m in sorted(unknown))
        lines.append(f"no estimate for {pairs} (no records)")
    return "\n".join(lines), total


def _duration(seconds):
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def main(argv=None):
    """``imbench-cost``: print the cost model's estimate for a config."""
    import yaml

    from imbench.config import build_plan, load_yaml
    from imbench.errors import ImbenchError

    parser = argparse.ArgumentParser(
        prog="imbench-cost", description="Estimate a config's CPU time before a run."
    )
    parser.add_argument(
        "configfile",
        nargs="?",
        default="config/config.yaml",
        help="the config to estimate (default: config/config.yaml)",
    )
    parser.add_argument(
        "--results",
        default="results",
        help="a finished run's results/ whose records calibrate the model besides the "
        "shipped ones (default: results, when it holds benchmark records)",
    )
    parser.add_argument(
        "--record",
        metavar="CSV",
        help="write the records of --results to CSV instead of estimating",
    )
    args = parser.parse_args(argv)
    local, note = [], None
    if Path(args.results).is_dir():
        local, note = records_from_results(args.results)
    if args.record:
        write_records(local, args.record)
        print(f"imbench-cost: {note or 'no records'}; written to {args.record}")
        return
    schema = Path("workflow", "schemas", "config.schema.yaml")  # run from the repo
    if not schema.exists():  # or from anywhere, with imbench installed editable
        schema = Path(__file__).parents[2] / schema
    shipped = read_records()
    try:
        plan = build_plan(load_yaml(args.configfile), schema)
        shapes = dataset_shapes(plan)
    except (ImbenchError, OSError, yaml.YAMLError) as error:
        message = " ".join(str(error).split())  # YAML's errors span lines
        raise SystemExit(f"imbench-cost: {args.configfile}: {message}") from None
    model = CostModel([*shipped, *local])
    with (
        using(plan.config["methods"]),
        classifiers.using(plan.config["classifiers"]),
    ):
        text, _ = summary(estimate(plan, model, shapes), model)
    print(text)
    print(
        f"records: {len(shipped):,} shipped ({RECORDS.name}), each cell's share of its "
        f"job's CPU time; {note or f'none from {args.results}/'}"
    )


if __name__ == "__main__":
    main()
