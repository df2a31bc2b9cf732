"""models/customizations/: the schema, the checks against the model, and what each
entry turns into in the intermediate model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.botocore_source import data_dir
from generator.customizations import DIRECTORY, check_against_model, load_customizations
from generator.load import ModelError
from generator.model.build import build_service


def _model(service: str) -> dict:
    return json.loads(sorted((data_dir() / service).glob("*/service-2.json"))[-1].read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(DIRECTORY.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_file_is_valid_and_matches_its_model(path: Path) -> None:
    custom = load_customizations(path.stem)
    assert custom
    assert check_against_model(custom, _model(path.stem), str(path)) == []


def test_a_schema_error_names_the_file_and_path(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text("operations:\n  ListThings:\n    default_url_encoding:\n      member: X\n")
    with pytest.raises(ModelError) as info:
        load_customizations("svc", tmp_path)
    assert info.value.problems == [f"{tmp_path / 'svc.yaml'}: $.operations.ListThings.default_url_encoding: "
                                   "'decode' is a required property"]


def test_names_the_model_lacks_are_reported() -> None:
    custom = {"operations": {
        "NoSuchOperation": {"output_from_root_text": "X"},
        "GetBucketLocation": {"output_from_root_text": "Nope"},
        "ListObjectsV2": {"default_url_encoding": {"member": "Encoding", "decode": ["Prefix", "Contents.Nope", "Gone"]}},
    }}
    assert check_against_model(custom, _model("s3"), "s3.yaml") == [
        "s3.yaml: $.operations.NoSuchOperation: the model has no operation 'NoSuchOperation'",
        "s3.yaml: $.operations.GetBucketLocation.output_from_root_text: the output has no member 'Nope'",
        "s3.yaml: $.operations.ListObjectsV2.default_url_encoding.member: the input has no member 'Encoding'",
        "s3.yaml: $.operations.ListObjectsV2.default_url_encoding.decode[1]: the output has no 'Contents.Nope'",
        "s3.yaml: $.operations.ListObjectsV2.default_url_encoding.decode[2]: the output has no 'Gone'",
    ]


def test_s3_entries_reach_the_intermediate_model() -> None:
    service = build_service(_model("s3"), "s3.json", None, load_customizations("s3"))
    ops = {op.name: op for op in service.operations}
    assert ops["ListObjectsV2"].request_uri == "?list-type=2"
    assert ops["GetBucketLocation"].output_root_text == "LocationConstraint"
    assert ops["ListObjects"].default_url_encoding == (
        "EncodingType", ("Delimiter", "Marker", "NextMarker", "Contents.Key", "CommonPrefixes.Prefix"))
    # botocore's _should_handle_200_error: not for streams, blob/text payloads or no output
    assert ops["CopyObject"].error_in_200 and ops["CompleteMultipartUpload"].error_in_200
    assert not ops["GetObject"].error_in_200 and not ops["GetBucketPolicy"].error_in_200
    assert not ops["SelectObjectContent"].error_in_200 and not ops["DeleteBucket"].error_in_200
    without = build_service(_model("s3"), "s3.json")
    assert not any(op.error_in_200 or op.default_url_encoding for op in without.operations)


def test_every_botocore_handler_has_a_written_status() -> None:
    """scripts/botocore_handlers.py (the README's table) knows every handler botocore registers."""
    import subprocess
    import sys

    from generator.botocore_source import data_dir  # noqa: F401 - the pinned botocore is installed

    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, str(repo / "scripts" / "botocore_handlers.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
