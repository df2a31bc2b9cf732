"""The snake_case rule, pinned against botocore for every name in the committed models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore import xform_name

from generator.model.naming import class_name, constant_name, is_identifier, python_name, snake_case

MODELS = sorted((Path(__file__).resolve().parents[2] / "models").glob("*/service-2.json"))


def _names(model: dict) -> set[str]:
    names = set(model["operations"])
    for shape in model["shapes"].values():
        names.update(shape.get("members", {}))
    return names


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.parent.name)
def test_every_model_name_matches_botocore(path: Path) -> None:
    names = _names(json.loads(path.read_text()))
    assert names
    mismatches = {n: (snake_case(n), xform_name(n)) for n in names if snake_case(n) != xform_name(n)}
    assert mismatches == {}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("WebRTCConnection", "web_rtc_connection"),
        ("CreateParticipantConnection", "create_participant_connection"),
        ("ListWebACLs", "list_web_acls"),
        ("GatewayARNs", "gateway_arns"),
        ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
        ("already_snake", "already_snake"),
        ("HTTPServer", "http_server"),
    ],
)
def test_snake_case_examples(name: str, expected: str) -> None:
    assert snake_case(name) == expected == xform_name(name)


def test_keywords_and_reserved_names_get_a_trailing_underscore() -> None:
    assert python_name("From") == "from_"
    assert python_name("Lambda") == "lambda_"
    assert python_name("Self") == "self_"
    assert python_name("Type") == "type"  # a builtin, not a keyword: fine as a kwarg
    assert class_name("None") == "None_"


def test_identifier_check_refuses_unsafe_names() -> None:
    assert is_identifier("Foo1")
    for bad in ("1Foo", "Foo-Bar", "_private", "a b", "Foo\nimport os", "Fóo", ""):
        assert not is_identifier(bad), bad


def test_enum_constant_names() -> None:
    assert constant_name("WEBSOCKET") == "WEBSOCKET"
    assert constant_name("application/json") == "APPLICATION_JSON"
    assert constant_name("1x") == "V_1X"
    assert constant_name("None") == "NONE"


def test_one_naming_rule_for_model_paths() -> None:
    from pathlib import Path

    from generator.model.naming import package_names, service_name_for_model

    botocore_style = Path("/x/botocore/data/s3/2006-03-01/service-2.json.gz")
    assert package_names(service_name_for_model(botocore_style)) == ("aws_s3", "aws-s3")
    repo_style = Path("models/connectparticipant/service-2.json")
    assert package_names(service_name_for_model(repo_style)) == (
        "aws_connectparticipant", "aws-connectparticipant")
    hyphenated = Path("data/connect-contact-lens/2020-08-21/service-2.json")
    assert package_names(service_name_for_model(hyphenated)) == (
        "aws_connect_contact_lens", "aws-connect-contact-lens")


def test_generate_model_names_the_package_after_the_service(tmp_path) -> None:
    import gzip
    import shutil

    from generator.cli import main

    src = Path(__file__).resolve().parents[2] / "models" / "connectparticipant" / "service-2.json"
    folder = tmp_path / "data" / "connectparticipant" / "2018-09-07"
    folder.mkdir(parents=True)
    with open(src, "rb") as f, gzip.open(folder / "service-2.json.gz", "wb") as g:
        shutil.copyfileobj(f, g)
    out = tmp_path / "out"
    assert main(["generate", "--model", str(folder / "service-2.json.gz"), "--out", str(out)]) == 0
    assert (out / "aws-connectparticipant" / "aws_connectparticipant" / "client.py").exists()
