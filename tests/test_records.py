"""Typed records cross to JSON and back unchanged, and JSON is what crosses."""

import json

from imbench.config import build_plan, load_yaml
from imbench.records import CellRecord, FitParams

from .conftest import REPO, SCHEMA, TEST_CONFIG


def test_fit_params_cross_to_json_and_back_unchanged():
    """What Snakemake records and a cache key holds is ``FitParams.to_json``:
    canonical (sorted keys, JSON values), and read back as the same record."""
    plan = build_plan(load_yaml(REPO / TEST_CONFIG), SCHEMA, base_dir=REPO)
    for cell in plan.cells:
        params = plan.fit_params(cell)
        record = params.to_json()
        assert json.dumps(record) == json.dumps(record, sort_keys=True)
        assert FitParams.from_json(json.loads(json.dumps(record))) == params


def test_a_cell_record_round_trips_without_what_the_cache_adds():
    plan = build_plan(load_yaml(REPO / TEST_CONFIG), SCHEMA, base_dir=REPO)
    cell = plan.cells[0]
    record = CellRecord(
        cell.dataset,
        cell.classifier,
        cell.method,
        plan.fit_params(cell),
        {"numpy": "2"},
        folds=[{"repeat": 0, "fold": 0}],
    )
    stored = json.loads(
        json.dumps({**record.to_json(), "identity": {}, "checksum": ""})
    )
    assert CellRecord.from_json(stored) == record
    assert "thresholds" not in record.to_json() and "view_of" not in record.to_json()
    record.fail("failed", "boom")
    assert (record.status, record.reason) == ("failed", "boom")
