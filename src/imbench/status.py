"""What the workflow says about a results directory, with the standard library only:
Snakemake imports it while parsing, so it must not pull in pandas or scikit-learn."""

import csv
import json
from pathlib import Path


def failure_summary(cells_path):
    """One line saying how many cells in ``cells_path`` failed, or None."""
    if not Path(cells_path).exists():
        return None
    with open(cells_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    failed = [row for row in rows if row["status"] == "failed"]
    if not failed:
        return None
    first = failed[0]
    return (
        f"imbench: {len(failed)} of {len(rows)} cells failed; the tables and figures "
        f"show them as failed and {cells_path} lists each error (first: "
        f"{first['dataset']}/{first['classifier']}/{first['method']}: "
        f"{first['reason'].splitlines()[0] if first['reason'] else 'no message'})"
    )


def previous_config(provenance_path, current_hash):
    """The config hash of the results at ``provenance_path`` when another config made
    them, else None."""
    path = Path(provenance_path)
    if not path.exists():
        return None
    previous = json.loads(path.read_text()).get("config_hash")
    return previous if previous != current_hash else None
