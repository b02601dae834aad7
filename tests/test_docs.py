"""The documentation's lists of methods and classifiers are the registries'."""

import re

import pytest

from imbench.classifiers import CLASSIFIERS
from imbench.methods import METHODS

from .conftest import REPO


def section(path, heading):
    """The text of ``path`` under ``heading`` (a whole Markdown heading line), up to
    the next heading of the same or a higher level."""
    text = (REPO / path).read_text()
    level = heading.split()[0]
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(rf"\n#{{1,{len(level)}}} ", text[start:])
    return text[start : start + following.start() if following else len(text)]


def first_column_names(text):
    """Every `name` in the first column of the Markdown tables in ``text``."""
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}


@pytest.mark.parametrize(
    "path, heading",
    [("README.md", "### Methods"), ("config/README.md", "## `methods`")],
)
def test_the_documented_methods_are_the_registrys(path, heading):
    assert first_column_names(section(path, heading)) == set(METHODS)


@pytest.mark.parametrize(
    "path, heading, lead",
    [
        ("README.md", "### Methods", "Classifiers:"),
        ("config/README.md", "## `classifiers`", "Keys:"),
    ],
)
def test_the_documented_classifiers_are_the_registrys(path, heading, lead):
    """The sentence that ``lead`` opens names every classifier and nothing else."""
    text = section(path, heading)
    sentence = text[text.index(lead) :].split(". ")[0]
    assert re.findall(r"`(\w+)`", sentence) == list(CLASSIFIERS)
