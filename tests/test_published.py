"""The results committed under docs/results/ say what produced them."""

import json

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


def test_results_of_another_config_are_not_published(tmp_path):
    provenance = tmp_path / "provenance.json"
    provenance.write_text(json.dumps({"config_hash": "0" * 16, "packages": {}}))
    with pytest.raises(ConfigError, match="is not one config file as written"):
        publish.run(
            {"provenance": provenance, "figures": [], "tables": [], "findings": ""},
            {"directory": tmp_path / "out"},
            {
                "configfile": REPO / "config" / "published.yaml",
                "schema": SCHEMA,
                "command": "",
            },
        )
    assert not (tmp_path / "out").exists()
