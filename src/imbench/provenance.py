"""What results record of what made them: package versions and the git commit."""

import functools
import platform
import subprocess
from importlib import metadata

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


def git_commit(directory="."):
    """The checked-out commit of ``directory`` (with ``-dirty`` when modified), or
    None outside a git checkout."""
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit or None
