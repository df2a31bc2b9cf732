"""Loading JSON, YAML and gzipped models, with errors naming the file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.load import ModelError, load_document


def test_json_yaml_and_gzip_load_the_same(tmp_path: Path) -> None:
    doc = {"metadata": {"protocol": "json"}, "shapes": {}, "operations": {}}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    (tmp_path / "m.yaml").write_text("metadata:\n  protocol: json\nshapes: {}\noperations: {}\n")
    (tmp_path / "m.json.gz").write_bytes(gzip.compress(json.dumps(doc).encode()))
    assert load_document(tmp_path / "m.json") == doc
    assert load_document(tmp_path / "m.yaml") == doc
    assert load_document(tmp_path / "m.json.gz") == doc


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"a": 1,\n "b": }')
    with pytest.raises(ModelError) as info:
        load_document(path)
    assert info.value.problems == [f"{path}: invalid JSON (line 2, column 7): Expecting value"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_document(tmp_path / "nope.json")
    assert str(tmp_path / "nope.json") in info.value.problems[0]
