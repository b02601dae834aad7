"""The results committed under docs/results/ say what produced them."""

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from imbench import figures
from imbench.config import ConfigError, build_plan, config_hash, load_yaml
from imbench.provenance import PUBLISHED_ROOT, git_commit
from imbench.steps import publish

from .conftest import REPO, SCHEMA

PUBLISHED = REPO / "docs" / "results"
# each published config with its results, where they have been published
GRIDS = [
    (config, REPO / directory)
    for config, directory in publish.PUBLISHED.items()
    if (REPO / directory / "provenance.json").exists()
]


SYNTHETIC = "config/published.yaml"


def plan_hash(path):
    return config_hash(build_plan(load_yaml(path), SCHEMA, base_dir=REPO).config)


@pytest.mark.parametrize("config,directory", GRIDS)
def test_the_published_provenance_names_the_published_config(config, directory):
    provenance = json.loads((directory / "provenance.json").read_text())
    assert provenance["config_hash"] == plan_hash(directory / "config.yaml")
    # and that config is the one shipped to regenerate them
    assert plan_hash(REPO / config) == provenance["config_hash"]
    # made from a commit, not from changes nobody can check out
    assert re.fullmatch("[0-9a-f]{40}", provenance["git_commit"])


def test_the_commit_is_dirty_for_any_change_but_published_results(tmp_path):
    """What ``snakemake publish`` writes under docs/results/ leaves the commit
    clean, so that grids published one after another in one checkout each name
    it; a change to any other tracked file marks it dirty."""

    def git(*arguments):
        subprocess.run(["git", *arguments], cwd=tmp_path, check=True)

    assert all(
        Path(d).is_relative_to(PUBLISHED_ROOT) for d in publish.PUBLISHED.values()
    )
    assert git_commit(tmp_path) is None  # not a checkout
    for path in ("docs/results/README.md", "src/code.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("first\n")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first")
    head = git_commit(tmp_path)
    assert re.fullmatch("[0-9a-f]{40}", head)
    (tmp_path / "docs/results/README.md").write_text("republished\n")
    (tmp_path / "untracked.txt").write_text("new\n")
    assert git_commit(tmp_path) == head
    (tmp_path / "src/code.py").write_text("edited\n")
    assert git_commit(tmp_path) == f"{head}-dirty"


def test_the_published_results_fit_in_the_repository():
    size = sum(p.stat().st_size for p in PUBLISHED.rglob("*") if p.is_file())
    assert size < 15 * 2**20


@pytest.mark.parametrize("config,directory", GRIDS)
def test_every_published_file_is_linked_from_its_index(config, directory):
    index = (directory / "README.md").read_text()
    inner = [REPO / other for other in publish.PUBLISHED.values()]
    for path in directory.rglob("*"):
        if any(d != directory and d in path.parents for d in inner):
            continue  # another grid's, linked from its own index
        if path.is_file() and path.name not in ("README.md", ".snakemake_timestamp"):
            assert f"({path.relative_to(directory).as_posix()})" in index, path


def publish_params(tmp_path, configfile):
    return {
        "directory": tmp_path / "docs" / "results",
        "configfiles": [configfile],
        "basedir": REPO,
        "schema": SCHEMA,
    }


def test_results_of_another_config_are_not_published(tmp_path):
    provenance = tmp_path / "provenance.json"
    provenance.write_text(json.dumps({"config_hash": "0" * 16, "packages": {}}))
    inputs = {"provenance": provenance, "figures": [], "tables": [], "findings": ""}
    for configfile, refusal in [
        (
            REPO / "config" / "test.yaml",
            "only the configs config/published.yaml, config/published_real.yaml, "
            "config/published_real_pooled.yaml, config/published_real_rates.yaml "
            "are published",
        ),
        (REPO / SYNTHETIC, "--config changes config/published.yaml"),
    ]:
        with pytest.raises(ConfigError, match=refusal):
            publish.run(inputs, {}, publish_params(tmp_path, configfile))
    assert not (tmp_path / "docs").exists()


def test_a_publish_that_fails_leaves_the_published_results_as_they_were(tmp_path):
    provenance = tmp_path / "provenance.json"
    real = json.loads((PUBLISHED / "provenance.json").read_text())
    provenance.write_text(
        json.dumps({**real, "config_hash": plan_hash(REPO / SYNTHETIC)})
    )
    figure = tmp_path / "results" / "figures" / "broken.png"
    figure.parent.mkdir(parents=True)
    figure.write_text("not an image")
    params = publish_params(tmp_path, REPO / SYNTHETIC)
    target = params["directory"]
    target.mkdir(parents=True)
    (target / "findings.md").write_text("the committed findings")
    inputs = {
        "provenance": provenance,
        "figures": [figure],
        "tables": [],
        "findings": PUBLISHED / "findings.md",
    }
    with pytest.raises(OSError, match="cannot identify image file"):
        publish.run(inputs, {}, params)
    assert [p.name for p in target.iterdir()] == ["findings.md"]
    assert [p.name for p in target.parent.iterdir()] == ["results"]  # no leftovers
    assert (target / "findings.md").read_text() == "the committed findings"


def test_the_publish_command_is_written_one_way_everywhere():
    """The commands in the README, the config guide, the published configs and the
    published indexes are ``publish.command``'s (the one the workflow test runs):
    ``--configfile`` takes several files, so the target must come before it."""
    commands_of = {config: publish.command(config) for config in publish.PUBLISHED}
    documents = ["README.md", "config/README.md", *publish.PUBLISHED]
    for _, directory in GRIDS:
        documents += [directory / "README.md", directory / "config.yaml"]
    for path in documents:
        text = (REPO / path).read_text()
        commands = re.findall(r"snakemake[^`\n]*\bpublish\b[^`\n]*", text)
        assert commands, path
        assert set(commands) <= set(commands_of.values()), path
    for config in publish.PUBLISHED:  # each config names its own
        text = (REPO / config).read_text()
        assert commands_of[config] in text, config


def test_publishing_the_outer_results_keeps_the_real_data_grid_inside(tmp_path):
    """docs/results/real/ is another config's results, with two more inside it:
    replacing docs/results/ carries it over whole, and the new index links it."""
    provenance = tmp_path / "provenance.json"
    real = json.loads((PUBLISHED / "provenance.json").read_text())
    provenance.write_text(
        json.dumps({**real, "config_hash": plan_hash(REPO / SYNTHETIC)})
    )
    params = publish_params(tmp_path, REPO / SYNTHETIC)
    inner = params["directory"] / "real"
    inner.mkdir(parents=True)
    (inner / "findings.md").write_text("the real-data findings")
    (inner / "pooled").mkdir()
    (inner / "pooled" / "findings.md").write_text("pooled")
    (params["directory"] / "old.md").write_text("replaced")
    inputs = {
        "provenance": provenance,
        "figures": [],
        "tables": [],
        "findings": PUBLISHED / "findings.md",
    }
    publish.run(inputs, {}, params)
    assert (inner / "findings.md").read_text() == "the real-data findings"
    assert (inner / "pooled" / "findings.md").read_text() == "pooled"
    assert not (params["directory"] / "old.md").exists()
    index = (params["directory"] / "README.md").read_text()
    assert "Published beside these: [real/README.md](real/README.md).\n" in index
    two = publish.index([], real, "", nested=["pooled", "rates"])
    assert two.count("Published beside") == 1
    assert "[pooled/README.md](pooled/README.md), [rates/README.md](rates" in two
    assert "pooled/README.md" not in index  # real/'s own index links it
    assert publish.directory([REPO / "config/published_real.yaml"], REPO) == (
        "docs/results/real"
    )


def test_the_published_findings_link_the_tables_and_figures_they_name():
    """A table named by its CSV links to the CSV where it is published, else to its
    Markdown, named as the file is; what is not published stays a name."""
    text = (
        "(`ratio_sweep.csv`), `cost_threshold.csv`; `figures/ensembles.png`; "
        "`cells.csv`"
    )
    files = [
        "tables/ratio_sweep.csv",
        "tables/cost_threshold.md",
        "figures/ensembles.png",
    ]
    assert publish.linked(text, [Path(f) for f in files]) == (
        "([`ratio_sweep.csv`](tables/ratio_sweep.csv)), "
        "[`cost_threshold.md`](tables/cost_threshold.md); "
        "[`ensembles.png`](figures/ensembles.png); `cells.csv`"
    )
    for _, directory in GRIDS:  # and the committed findings have no broken link
        findings = (directory / "findings.md").read_text()
        for link in re.findall(r"\]\(((?:tables|figures)/[^)]+)\)", findings):
            assert (directory / link).is_file(), link


def test_a_published_figure_keeps_its_faint_bands(tmp_path):
    """Shrinking a figure to a palette keeps the tint of every faint pixel (the 95%
    bands, drawn at 15% opacity): the per-tier F1 sweep, with its nine methods'
    colours, loses none of them to white."""
    gains = pd.read_csv(PUBLISHED / "real/tables/ratio_sweep.csv")
    png = tmp_path / "sweep.png"
    figures.ratio_sweep(gains.query("metric == 'f1 @ tuned_f1'"), "f1", [png])
    drawn = np.asarray(Image.open(png).convert("RGB")).astype(int)
    publish._shrink(png)
    shrunk = np.asarray(Image.open(png).convert("RGB")).astype(int)
    tint = 255 - drawn.min(axis=2)
    faint = (tint >= 4) & (tint <= 40)
    lost = np.abs(shrunk - drawn).max(axis=2)[faint] > tint[faint] / 2
    assert faint.sum() > 10**5 and lost.mean() < 0.001
