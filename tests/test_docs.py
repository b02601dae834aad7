"""The documentation's lists of methods and classifiers are the registries', and the
README stays a page a newcomer reads top to bottom."""

import re

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


def test_the_documented_methods_are_the_registrys():
    """The one methods table (config/README.md) names every method, once."""
    text = section("config/README.md", "## `methods`")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    names = [n for row in rows for n in re.findall(r"`(\w+)`", row.split("|")[1])]
    assert sorted(names) == sorted(METHODS)


def test_the_documented_classifiers_are_the_registrys():
    """The sentence that opens config/README.md's classifiers names every classifier
    and nothing else."""
    text = section("config/README.md", "## `classifiers`")
    sentence = text[text.index("Keys:") :].split(". ")[0]
    assert re.findall(r"`(\w+)`", sentence) == list(CLASSIFIERS)


def test_no_other_document_repeats_the_methods_table():
    for path in [REPO / "README.md", *(REPO / "docs").glob("*.md")]:
        tables = [
            line for line in path.read_text().splitlines() if "`smote_enn`" in line
        ]
        assert not tables, path


def test_the_readme_is_a_page():
    assert len((REPO / "README.md").read_text().splitlines()) <= 150
