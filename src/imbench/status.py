"""What the workflow says about a results directory, with the standard library only:
Snakemake imports it while parsing, so it must not pull in pandas or scikit-learn.

A state file that cannot be read never blocks a command: it is reported on one line
and treated as absent (the next run rewrites it).
"""

import csv
import json
from pathlib import Path


def unreadable(path, error):
    """The one-line warning for a state file that cannot be read."""
    reason = " ".join(str(error).split()) or type(error).__name__
    return (
        f"imbench: warning: {str(path)!r} is unreadable ({reason}); ignored, the "
        "next run rewrites it"
    )


def failure_summary(cells_path):
    """``(line, failed)``: one line saying how many cells in ``cells_path`` failed
    (``failed`` true), a warning when the file is unreadable, or ``(None, False)``."""
    if not Path(cells_path).exists():
        return None, False
    try:
        with open(cells_path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        failed = [row for row in rows if row["status"] == "failed"]
        if not failed:
            return None, False
        first = failed[0]
        cell = f"{first['dataset']}/{first['classifier']}/{first['method']}"
        why = first["reason"].splitlines()[0] if first["reason"] else "no message"
    except (OSError, UnicodeError, csv.Error, KeyError, TypeError) as error:
        return unreadable(cells_path, error), False
    return (
        f"imbench: {len(failed)} of {len(rows)} cells failed; the tables and figures "
        f"show them as failed and {cells_path} lists each error (first: {cell}: "
        f"{why})"
    ), True


def config_warning(provenance_path, current_hash):
    """A one-line warning when the results at ``provenance_path`` were made by
    another config or the file cannot be read, else None."""
    path = Path(provenance_path)
    if not path.exists():
        return None
    try:
        previous = json.loads(path.read_text())["config_hash"]
    except (OSError, UnicodeError, ValueError, KeyError, TypeError) as error:
        return unreadable(path, error)
    if previous == current_hash:
        return None
    return (
        f"imbench: warning: results/ holds results of another config ({previous}); "
        "this run replaces those its changes affect (move results/ aside first to "
        "keep them)"
    )
