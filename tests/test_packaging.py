import re
import tomllib

import yaml

from .conftest import REPO


def requirement(text):
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", text.strip()).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pip = dict(map(requirement, project["dependencies"]))
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = dict(
        requirement(entry)
        for entry in environment["dependencies"]
        if isinstance(entry, str) and not entry.startswith(("python", "pip"))
    )
    assert conda == pip
    assert {"pip": ["-e ."]} in environment["dependencies"]
    assert (
        "python>=" + project["requires-python"].removeprefix(">=")
        in environment["dependencies"]
    )


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci in (REPO / "README.md").read_text()
    assert "pytest" in ci and '".[test]"' in ci


def test_the_smote_variants_install_is_the_same_everywhere_and_without_its_deps():
    """smote-variants' declared dependencies (TensorFlow among them) are not installed:
    the test command, the worked example's header and the README name one
    ``--no-deps`` install with the same pins."""
    import re

    pattern = (
        r"pip install (?:-q )?--no-deps (smote-variants\S+ metric-learn\S+ minisom\S+)"
    )
    installs = {
        path: re.findall(pattern, (REPO / path).read_text())
        for path in (".ci/run", "config/oversamplers.yaml", "README.md")
    }
    assert all(len(found) == 1 for found in installs.values()), installs
    assert len({found[0] for found in installs.values()}) == 1


def test_rule_environment_is_the_project_environment_less_snakemake():
    def dependencies(path):
        entries = yaml.safe_load((REPO / path).read_text())["dependencies"]
        return {entry for entry in entries if isinstance(entry, str)}

    rules = dependencies("workflow/envs/imbench.yaml")
    project = dependencies("environment.yml")
    assert rules == {e for e in project if not e.startswith(("snakemake", "pip"))}


def test_every_data_file_of_the_package_is_installed():
    """A non-editable install ships only the package data pyproject names: the
    classifier parameter schema, read at planning time, must be among it."""
    from fnmatch import fnmatch

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["imbench"]
    package = REPO / "src" / "imbench"
    data = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    assert "classifier_params.json" in data
    assert all(any(fnmatch(name, p) for p in patterns) for name in data)


def test_the_report_command_works_without_the_test_extras():
    """``snakemake --report`` imports pygments, which Snakemake does not require: a
    user who installed imbench alone (no test extras, which bring pygments along)
    must have it. Every module the report imports lazily (Snakemake's optional
    dependencies) is a dependency of imbench."""
    import importlib.util
    import inspect

    from snakemake.report import html_reporter

    source = inspect.getsource(html_reporter)
    lazy = r"^[ \t]+(?:from|import) (\w+)"  # imports inside functions
    modules = set(re.findall(lazy, source, re.MULTILINE))
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {requirement(entry)[0] for entry in project["dependencies"]}
    assert "pygments" in modules  # the lazy import that failed for a new user
    for module in modules - {"snakemake"}:
        spec = importlib.util.find_spec(module)
        if spec is None or "site-packages" not in (spec.origin or ""):
            continue  # the standard library
        assert module.lower() in declared, module
