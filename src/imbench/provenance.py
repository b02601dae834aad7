"""What results record of what made them: package versions, the git commit and the
digest of the code a rule runs."""

import ast
import functools
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = ("imbench", "numpy", "scipy", "scikit-learn", "imbalanced-learn", "pandas")


def package_versions():
    """Versions of the packages results depend on, and of Python (a new dict each
    call; the lookups, ~7 ms, are made once per process)."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions():
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return tuple(versions.items())


def library_versions(modules):
    """Versions of the installed distributions that provide the top-level
    ``modules`` (a config's optional libraries and plug-ins), by distribution."""
    providers = metadata.packages_distributions()
    return {
        distribution: metadata.version(distribution)
        for module in modules
        for distribution in providers.get(module, [])
    }


@functools.cache
def code_digest(module):
    """SHA-256 of the source of ``module`` and of every imbench module it imports,
    directly or not, and of the package versions. A rule's params carry its step's,
    so that Snakemake reruns a job whose code changed: its own ``code`` trigger sees
    only the rule's script, which is the same for every rule."""
    digest = hashlib.sha256(json.dumps(package_versions(), sort_keys=True).encode())
    for name in imported_modules(module):
        digest.update(f"{name}\n{module_source(name)}".encode())
    return digest.hexdigest()


def imported_modules(module):
    """``module`` and the imbench modules it imports anywhere in its source (inside
    functions too), transitively, sorted."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _imbench_imports(name)
    return sorted(seen)


@functools.cache
def _imbench_imports(name):
    imported = set()
    for node in ast.walk(ast.parse(module_source(name))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            # ``from imbench import sources`` imports a module, not a name
            imported |= {
                f"{node.module}.{alias.name}"
                for alias in node.names
                if _path(f"{node.module}.{alias.name}")
            }
    return sorted(m for m in imported if m.split(".")[0] == "imbench" and _path(m))


def _path(name):
    """The file of imbench module ``name``, found without importing it, or None."""
    base = Path(__file__).parent.joinpath(*name.split(".")[1:])
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def module_source(name):
    """The source of imbench module ``name``, read without importing it."""
    return _path(name).read_text()


# where ``snakemake publish`` writes (every directory of ``steps.publish.PUBLISHED``)
PUBLISHED_ROOT = "docs/results"


def git_commit(directory="."):
    """The checked-out commit of the git checkout at ``directory``, with ``-dirty``
    when a tracked file is modified, or None outside a checkout. Changes under
    ``PUBLISHED_ROOT`` do not count: they are what ``snakemake publish`` writes, and
    no result depends on them (publishing one grid after another left the second
    one's provenance dirty)."""

    def git(*arguments):
        return subprocess.run(
            ["git", *arguments],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        changed = git(
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            f":(exclude){PUBLISHED_ROOT}",
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}-dirty" if changed else commit
