import shutil

import numpy as np
import pandas as pd
import pytest
import sklearn.datasets
from imblearn.datasets._zenodo import MAP_NAME_ID

from imbench import sources
from imbench.errors import DatasetError
from imbench.io import read_dataset, write_dataset
from imbench.sources.builtin import CLASS_COUNTS, counts_at_rate
from imbench.sources.files import read as user_file
from imbench.sources.imblearn import fetch as imblearn_benchmark
from imbench.sources.openml import Spec as OpenMLSpec
from imbench.sources.openml import instances as openml_instances
from imbench.sources.openml import load as openml_load
from imbench.sources.synthetic import generate as synthetic

from .conftest import REPO


def builtin(loader, positive_label, rate, seed):
    spec = sources.builtin.Spec(
        name="b",
        source="b",
        rate=rate,
        seed=seed,
        loader=loader,
        positive_label=positive_label,
    )
    return sources.builtin.load(spec)[:2]


GENERATOR = {"n_samples": 1000, "n_features": 5, "n_informative": 3, "n_redundant": 1}


@pytest.mark.parametrize("rate", [0.005, 0.01, 0.05, 0.25, 0.5])
@pytest.mark.parametrize("noise", [0.0, 0.05, 0.2])
def test_synthetic_hits_the_target_rate_despite_label_noise(rate, noise):
    X, y = synthetic(rate, seed=3, label_noise=noise, **GENERATOR)
    assert X.shape == (1000, 5)
    assert y.sum() == round(rate * 1000)


def test_flip_y_would_have_missed_the_target():
    _, y = sklearn.datasets.make_classification(
        20_000, weights=[0.99], flip_y=0.05, random_state=0
    )
    assert y.mean() > 0.03  # why synthetic() does not use flip_y


def test_flip_y_noise_is_scikit_learns_generator_as_a_tutorial_ran_it():
    """``noise: flip_y`` rebuilds a tutorial's make_classification call exactly,
    realised rate included (about 7% for weights 95:5 and flip_y 0.05)."""
    tutorial = {"n_features": 20, "n_informative": 5, "n_redundant": 2}
    X, y = synthetic(
        0.05, seed=42, n_samples=2000, label_noise=0.05, noise="flip_y", **tutorial
    )
    expected = sklearn.datasets.make_classification(
        n_samples=2000, weights=[0.95, 0.05], flip_y=0.05, random_state=42, **tutorial
    )
    np.testing.assert_array_equal(X, expected[0])
    np.testing.assert_array_equal(y, expected[1])
    rates = [
        synthetic(0.05, seed, 2000, 0.05, "flip_y", **tutorial)[1].mean()
        for seed in range(20)
    ]
    assert 0.06 < np.mean(rates) < 0.08


def test_label_noise_makes_labels_independent_of_features():
    clean_X, clean_y = synthetic(0.3, seed=1, label_noise=0.0, **GENERATOR)
    noisy_X, noisy_y = synthetic(0.3, seed=1, label_noise=0.3, **GENERATOR)
    np.testing.assert_array_equal(clean_X, noisy_X)
    changed = np.mean(clean_y != noisy_y)
    assert 0.05 < changed < 0.3


def test_synthetic_is_reproducible_and_seeded():
    first = synthetic(0.1, seed=5, **GENERATOR)
    np.testing.assert_array_equal(first[0], synthetic(0.1, seed=5, **GENERATOR)[0])
    assert not np.array_equal(first[0], synthetic(0.1, seed=6, **GENERATOR)[0])


@pytest.mark.parametrize("loader", sorted(CLASS_COUNTS))
def test_builtin_class_counts_match_the_loaders(loader):
    _, labels = getattr(sklearn.datasets, f"load_{loader}")(return_X_y=True)
    values, counts = np.unique(labels, return_counts=True)
    assert (
        dict(zip(values.tolist(), counts.tolist(), strict=True))
        == (CLASS_COUNTS[loader])
    )


@pytest.mark.parametrize("rate", [0.05, 0.3725, 0.5, 0.8])
def test_builtin_reaches_rates_below_and_above_its_own(rate):
    _X, y = builtin("breast_cancer", 0, rate, seed=0)
    assert y.mean() == pytest.approx(rate, abs=0.01)
    n_negative, n_positive = counts_at_rate(212, 357, rate)
    assert (len(y) - y.sum(), y.sum()) == (n_negative, n_positive)
    assert n_negative == 357 or n_positive == 212  # only one class is subsampled


def test_dataset_round_trips_through_parquet(tmp_path):
    spec = sources.synthetic.Spec(
        name="s", source="synthetic", rate=0.1, seed=4, generator=GENERATOR
    )
    X, y, info = sources.load(spec.record(), [["cv.folds", 5]])
    assert info["realized_rate"] == 0.1 and info["n_positive"] == 100
    write_dataset(tmp_path / "d.parquet", X, y, info)
    X2, y2, info2 = read_dataset(tmp_path / "d.parquet")
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert info2 == info


def write_csv(tmp_path, frame, name="data.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def good_frame():
    return pd.DataFrame(
        {"a": [1.0, 2, 4, 3], "b": [0, 1, 1, 0], "label": ["x", "y"] * 2}
    )


def test_user_file_with_string_labels_and_positive_label(tmp_path):
    X, y, _ = user_file(write_csv(tmp_path, good_frame()), "label", "y")
    assert X.shape == (4, 2)
    np.testing.assert_array_equal(y, [0, 1, 0, 1])


def test_user_parquet_file(tmp_path):
    path = tmp_path / "data.parquet"
    good_frame().assign(label=[0, 1, 0, 1]).to_parquet(path)
    _, y, _ = user_file(path, "label")
    np.testing.assert_array_equal(y, [0, 1, 0, 1])


@pytest.mark.parametrize(
    "change,target,positive,message",
    [
        (
            lambda f: f.assign(a=["p", "q", "r", "s"]),
            "label",
            "y",
            "'a' is not numeric",
        ),
        (lambda f: f.assign(a=[1.0, np.nan, 3, 4]), "label", "y", "'a' has missing"),
        (lambda f: f.assign(a=[1.0, np.inf, 3, 4]), "label", "y", "infinite"),
        (lambda f: f.assign(label=["x"] * 4), "label", "x", "exactly two classes"),
        (lambda f: f.assign(label=["x", "y", "z", "x"]), "label", "x", "found 3"),
        (lambda f: f, "missing", "y", "no target column 'missing'"),
        (lambda f: f, "label", None, "set positive_label"),
        (lambda f: f, "label", "q", "positive_label 'q' is not a class"),
        (
            lambda f: f.assign(label=[None, "x", "y", "x"]),
            "label",
            "x",
            "missing values",
        ),
        (lambda f: f.assign(a=[1.0, -np.inf, 3, 4]), "label", "y", "infinite"),
        (lambda f: f.assign(a=[True, False] * 2), "label", "y", "'a' is not numeric"),
        (lambda f: f.assign(a=[1, "2x", 3, 4]), "label", "y", "'a' is not numeric"),
        (lambda f: f.assign(label=[np.nan] * 4), "label", "y", "missing values"),
        (lambda f: f.assign(label=[0, 1, 2, 1]), "label", None, "found 3"),
        (lambda f: f.assign(label=[0, 2, 0, 2]), "label", None, "set positive_label"),
        (lambda f: f.assign(label=[0, 1, 0, 1]), "label", "1", "'1' is not a class"),
        (lambda f: f[["label"]], "label", "y", "no feature columns besides 'label'"),
        (lambda f: f.iloc[:0], "label", "y", "found 0"),
        (lambda f: f.iloc[:1], "label", "y", "found 1"),
        (  # a copy of the target's 0/1 coding leaks the label
            lambda f: f.assign(copy=[0, 1, 0, 1]),
            "label",
            "y",
            "'copy' determines the target 'label' exactly",
        ),
        (  # its complement
            lambda f: f.assign(flag=[1, 0, 1, 0]),
            "label",
            "y",
            "'flag' determines the target",
        ),
        (  # a recoding
            lambda f: f.assign(code=[5.0, 7.0, 5.0, 7.0]),
            "label",
            "y",
            "'code' determines the target",
        ),
    ],
)
def test_bad_user_files_name_file_and_column(
    tmp_path, change, target, positive, message
):
    path = write_csv(tmp_path, change(good_frame()))
    with pytest.raises(DatasetError, match=message) as raised:
        user_file(path, target, positive)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.csv", b"", "cannot read"),
        ("data.xlsx", b"a,label\n1,x\n", r"not a \.csv or \.parquet"),
        ("ragged.csv", b"a,label\n1,x\n2,y,3,4\n", "cannot read"),
        ("latin.csv", b"a,label\n1,\xe9t\xe9\n2,y\n", "cannot read"),
        ("bad.parquet", b"PAR1 this is no parquet", "cannot read"),
        (  # a repeated header: pandas would call the copy 'label.1'
            "twice.csv",
            b"a,label,label\n1,1,1\n2,0,0\n3,1,1\n4,0,0\n",
            "'label.1' determines the target 'label' exactly",
        ),
    ],
)
def test_unreadable_and_leaking_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=message) as raised:
        user_file(path, "label", 1 if name == "twice.csv" else None)
    assert repr(str(path)) in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "label",
    [[[0], [1], [0], [1]], [{"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}]],
    ids=["lists", "mappings"],
)
def test_a_parquet_target_of_lists_is_named(tmp_path, label):
    path = tmp_path / "nested.parquet"
    good_frame().assign(label=label).to_parquet(path)
    with pytest.raises(DatasetError, match="'label' holds lists or mappings") as raised:
        user_file(path, "label", 1)
    assert "\n" not in str(raised.value)


def test_a_directory_is_no_file(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DatasetError, match="cannot read"):
        user_file(tmp_path / "dir.csv", "label")


def test_a_file_path_with_a_newline_stays_one_line(tmp_path):
    path = tmp_path / "two\nlines.csv"
    write_csv(tmp_path, good_frame().assign(a=["p"] * 4), name=path.name)
    with pytest.raises(DatasetError) as raised:
        user_file(path, "label", "y")
    assert "\n" not in str(raised.value) and "two\\nlines" in str(raised.value)


@pytest.fixture
def imblearn_cache(tmp_path):
    """A cache laid out as imbalanced-learn's download leaves it, with one dataset."""
    rng = np.random.default_rng(0)
    data = rng.normal(size=(50, 3))
    label = np.where(np.arange(50) < 8, 1, -1)
    zenodo = tmp_path / "zenodo"
    zenodo.mkdir()
    np.savez(zenodo / f"x{MAP_NAME_ID['ecoli']}data.npz", data=data, label=label)
    return tmp_path


def test_imblearn_dataset_from_a_local_cache(imblearn_cache):
    X, y = imblearn_benchmark("ecoli", imblearn_cache, download=False)
    assert X.shape == (50, 3)
    assert y.sum() == 8 and set(np.unique(y)) == {0, 1}


def test_imblearn_dataset_not_cached_and_not_downloadable(tmp_path):
    with pytest.raises(DatasetError, match="'ecoli' is not in the cache"):
        imblearn_benchmark("ecoli", tmp_path, download=False)


def test_imblearn_dataset_offline_download_fails_clearly(tmp_path, monkeypatch):
    from urllib.error import URLError

    import imblearn.datasets._zenodo as zenodo

    def offline(url):
        raise URLError("no network")

    monkeypatch.setattr(zenodo, "urlopen", offline)
    with pytest.raises(DatasetError, match="could not be downloaded"):
        imblearn_benchmark("ecoli", tmp_path, download=True)


@pytest.fixture
def openml_cache(tmp_path):
    """A ``fetch_openml`` cache as a download leaves it, holding scikit-learn's
    10-row fixture of OpenML dataset 1590 (adult: categorical features, missing
    values, the minority class ``>50K``)."""
    fixture = REPO / "tests" / "data" / "openml-1590"
    root = tmp_path / "openml" / "openml.org"
    api = root / "api" / "v1" / "json" / "data"
    for source, target in (
        ("api-v1-jd-1590.json.gz", api / "1590.gz"),
        ("api-v1-jdf-1590.json.gz", api / "features" / "1590.gz"),
        ("api-v1-jdq-1590.json.gz", api / "qualities" / "1590.gz"),
        ("data-v1-dl-1595261.arff.gz", root / "data/v1/download/1595261/adult.arff.gz"),
    ):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture / source, target)
    return tmp_path


def openml_spec(cache, download=False, data_id=1590):
    return OpenMLSpec(
        name=f"openml-{data_id}",
        source="openml",
        rate=None,
        data_id=data_id,
        cache_dir=str(cache),
        download=download,
    )


def test_an_openml_dataset_from_a_local_cache(openml_cache, monkeypatch):
    """Read offline from the cache: categorical columns one-hot over their declared
    categories, rows with a missing value dropped and reported, the minority class
    positive."""
    import sklearn.datasets._openml as fetching

    def offline(*args, **kwargs):
        raise AssertionError("the cache must serve it")

    monkeypatch.setattr(fetching, "urlopen", offline)
    X, y, info = sources.load(openml_spec(openml_cache).record(), [["cv.folds", 2]])
    # 6 numeric columns; 8 categorical ones of 3, 7, 6, 4 and 1 categories, and
    # three of two (one 0/1 column each): 24 one-hot columns
    assert X.shape == (8, 30)
    assert ((X == 0) | (X == 1)).all(axis=0).sum() >= 24
    assert y.sum() == 3 == info["n_positive"]
    assert info["warnings"] == ["2 rows with missing values dropped"]


@pytest.mark.filterwarnings("ignore:A network error occurred:UserWarning")
def test_an_openml_dataset_not_cached_fails_in_one_line(tmp_path, monkeypatch):
    from urllib.error import URLError

    import sklearn.datasets._openml as fetching

    with pytest.raises(DatasetError, match="download is false"):
        openml_load(openml_spec(tmp_path))

    def offline(*args, **kwargs):
        raise URLError("no network")

    monkeypatch.setattr(fetching, "urlopen", offline)
    with pytest.raises(DatasetError, match="could not be downloaded") as raised:
        openml_load(openml_spec(tmp_path, download=True))
    assert "\n" not in str(raised.value)


def test_climb_names_its_two_class_datasets_and_lists_the_others():
    config = {
        "datasets": {
            "openml": {"names": "climb", "cache_dir": "~/x", "download": False}
        },
        "cv": {"folds": 5},
        "thresholds": {"strategy": "none"},
    }
    specs, excluded = openml_instances(config, ".")
    excluded = dict(excluded)
    assert len(specs) == 60 and len(excluded) == 13
    assert excluded["openml-30"] == "page-blocks has 5 classes"
    by_id = {spec.data_id: spec for spec in specs}
    assert by_id[310].rows == 11183  # mammography


def test_suspicious_columns_and_rows_are_kept_and_reported(tmp_path, caplog):
    frame = pd.DataFrame(
        {
            "row": [1.0, 2, 3, 4, 5, 6],  # a row number
            "a": [0.3, 0.1, 0.1, 0.2, 0.3, 0.3],
            "b": [1.0, 0.0, 1.0, 1.0, 1.0, 0.5],
            "constant": 7.0,
            "copy_of_a": [0.3, 0.1, 0.1, 0.2, 0.3, 0.3],
            "score": [0.1, 0.9, 0.2, 0.8, 0.3, 0.7],  # alone separates the classes
            "label": ["x", "y"] * 3,
        }
    )
    with caplog.at_level("WARNING", logger="imbench.sources.files"):
        X, _, notes = user_file(write_csv(tmp_path, frame), "label", "y")
    assert X.shape == (6, 6)
    assert notes == [
        "feature column 'row' counts the rows (a row number or ID leaks the label "
        "when the file is ordered by class)",
        "feature column 'constant' is constant",
        "feature column 'copy_of_a' duplicates 'a'",
        "feature column 'score' alone separates the classes",
    ]
    assert [r.getMessage().split(": ", 1)[1] for r in caplog.records] == notes
    _, _, notes = user_file(
        write_csv(tmp_path, pd.concat([frame.drop(columns="row")] * 2)), "label", "y"
    )
    assert notes[-1].startswith("6 rows repeat another row's features")


@pytest.mark.parametrize(
    "positives,splits,message",
    [
        (2, [["cv.folds", 3]], "2 minority samples, fewer than cv.folds = 3"),
        (
            3,
            [["cv.folds", 3], ["thresholds.inner_folds", 3]],
            "2 minority samples in a training fold, fewer than "
            "thresholds.inner_folds = 3",
        ),
    ],
)
def test_a_user_file_with_too_few_positives_for_the_folds(
    tmp_path, positives, splits, message
):
    labels = ["y"] * positives + ["x"] * 20
    frame = pd.DataFrame({"a": np.arange(len(labels), dtype=float), "label": labels})
    path = write_csv(tmp_path, frame)
    spec = sources.files.Spec(
        name="file-few",
        source="file-few",
        rate=None,
        seed=0,
        path=str(path),
        target="label",
        positive_label="y",
    ).record()
    with pytest.raises(DatasetError) as raised:
        sources.load(spec, splits)
    assert str(raised.value) == f"{str(path)!r}: {message}"
    sources.load(spec, [["cv.folds", 2]])  # enough for two folds


def test_an_unknown_dataset_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown dataset kind 'mystery'"):
        sources.load({"kind": "mystery", "name": "x"}, [["cv.folds", 2]])


def test_every_source_expands_and_loads_typed_specs(tmp_path):
    """Each registered source turns its config part into specs whose records load
    back into the same spec type."""
    path = write_csv(tmp_path, good_frame())
    config = {
        "positive_rates": [0.2],
        "cv": {"folds": 2},
        "thresholds": {"strategy": "none"},
        "methods": {},
        "datasets": {
            "synthetic": {
                **GENERATOR,
                "seeds": 1,
                "label_noise": 0.0,
                "n_clusters_per_class": 2,
            },
            "builtin": [{"loader": "wine", "positive_label": 2, "seeds": 1}],
            "files": [{"name": "f", "path": str(path), "target": "label"}],
            "imblearn": {"names": ["ecoli"], "cache_dir": "c", "download": False},
        },
    }
    specs, excluded = sources.expand(config, tmp_path, lambda name: 0)
    assert excluded == []
    assert [spec.kind for spec in specs] == ["synthetic", "builtin", "file", "imblearn"]
    for spec in specs:
        assert isinstance(spec, sources.DatasetSpec)
        record = spec.record()
        assert type(spec)(**{k: v for k, v in record.items() if k != "kind"}) == spec


def test_subsamples_of_one_small_set_are_one_observation():
    """At 10% digits keeps 1,602 of its 1,619 negatives in every instance: the
    instances are near-copies, one observation; a generator's seeds are not."""
    [digits] = [
        s.record() | {"n_samples": s.rows, "n_positive": 178}
        for s in sources.builtin.expand(
            {
                "positive_rates": [0.1],
                "datasets": {
                    "builtin": [{"loader": "digits", "positive_label": 0, "seeds": 1}]
                },
                "cv": {"folds": 5},
                "thresholds": {"strategy": "none"},
            },
            ".",
        )
    ]
    assert digits["rows"] == 1602 + 178
    assert sources.shared_rows(digits) == pytest.approx((1602**2 / 1619 + 178) / 1780)
    assert sources.observation(digits) == "digits-p0-r0.1"
    config = {
        "positive_rates": [0.1],
        "datasets": {
            "synthetic": {
                **GENERATOR,
                "seeds": 1,
                "label_noise": 0.0,
                "n_clusters_per_class": 2,
            }
        },
        "cv": {"folds": 5},
        "thresholds": {"strategy": "none"},
    }
    [spec] = sources.synthetic.expand(config, ".")
    generated = spec.record() | {"n_samples": spec.rows, "n_positive": 200}
    assert sources.shared_rows(generated) == 0.0
    assert sources.observation(generated) == spec.name
