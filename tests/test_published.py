"""The results committed under docs/results/ say what produced them."""

import json
import re

import pytest

from imbench.config import ConfigError, build_plan, config_hash, load_yaml
from imbench.steps import publish

from .conftest import REPO, SCHEMA

PUBLISHED = REPO / "docs" / "results"


def plan_hash(path):
    return config_hash(build_plan(load_yaml(path), SCHEMA, base_dir=REPO).config)


def test_the_published_provenance_names_the_published_config():
    provenance = json.loads((PUBLISHED / "provenance.json").read_text())
    assert provenance["config_hash"] == plan_hash(PUBLISHED / "config.yaml")
    # and that config is the one shipped to regenerate them
    assert plan_hash(REPO / "config" / "published.yaml") == provenance["config_hash"]


def test_the_published_results_fit_in_the_repository():
    size = sum(p.stat().st_size for p in PUBLISHED.rglob("*") if p.is_file())
    assert size < 10 * 2**20


def test_every_published_file_is_linked_from_the_index():
    index = (PUBLISHED / "README.md").read_text()
    for path in PUBLISHED.rglob("*"):
        if path.is_file() and path.name not in ("README.md", ".snakemake_timestamp"):
            assert f"({path.relative_to(PUBLISHED).as_posix()})" in index, path


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
        (REPO / "config" / "test.yaml", "only config/published.yaml is published"),
        (REPO / publish.CONFIG, "--config changes config/published.yaml"),
    ]:
        with pytest.raises(ConfigError, match=refusal):
            publish.run(inputs, {}, publish_params(tmp_path, configfile))
    assert not (tmp_path / "docs").exists()


def test_a_publish_that_fails_leaves_the_published_results_as_they_were(tmp_path):
    provenance = tmp_path / "provenance.json"
    real = json.loads((PUBLISHED / "provenance.json").read_text())
    provenance.write_text(
        json.dumps({**real, "config_hash": plan_hash(REPO / publish.CONFIG)})
    )
    figure = tmp_path / "results" / "figures" / "broken.png"
    figure.parent.mkdir(parents=True)
    figure.write_text("not an image")
    params = publish_params(tmp_path, REPO / publish.CONFIG)
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
    """The command in the README, the config guide and the published index is the
    one the workflow test runs as written (``publish.COMMAND``): ``--configfile``
    takes several files, so the target must come before it."""
    documents = ("README.md", "config/README.md", "config/published.yaml")
    for path in (*documents, "docs/results/README.md", "docs/results/config.yaml"):
        text = (REPO / path).read_text()
        commands = re.findall(r"snakemake[^`\n]*\bpublish\b[^`\n]*", text)
        assert commands, path
        assert set(commands) == {publish.COMMAND}, path
