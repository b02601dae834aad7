"""State files the workflow reads at every start: unreadable ones warn, never block."""

import json

import pytest

from imbench.status import config_warning, failure_summary


@pytest.mark.parametrize(
    "content", ['{"config_ha', "", "[1, 2]", '{"other": 1}', "\udcff"]
)
def test_an_unreadable_provenance_file_is_a_one_line_warning(tmp_path, content):
    path = tmp_path / "provenance.json"
    path.write_text(content, errors="surrogateescape")
    warning = config_warning(path, "abc")
    assert warning.startswith("imbench: warning: ") and "is unreadable" in warning
    assert "\n" not in warning


def test_provenance_of_this_or_another_config(tmp_path):
    path = tmp_path / "provenance.json"
    assert config_warning(path, "abc") is None
    path.write_text(json.dumps({"config_hash": "abc"}))
    assert config_warning(path, "abc") is None
    assert "results of another config (abc)" in config_warning(path, "xyz")


def test_failure_summary_of_good_and_unreadable_cell_tables(tmp_path):
    path = tmp_path / "cells.csv"
    assert failure_summary(path) == (None, False)
    header = "dataset,classifier,method,status,reason\n"
    path.write_text(header + "d,c,m,ok,\nd,c,x,failed,ValueError: bad\n")
    line, failed = failure_summary(path)
    assert failed and line.startswith("imbench: 1 of 2 cells failed")
    assert line.endswith("(first: d/c/x: ValueError: bad)")
    path.write_text("dataset,classifier\nd,c\n")  # no status column
    line, failed = failure_summary(path)
    assert not failed and "is unreadable" in line
