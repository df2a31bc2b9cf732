"""The intermediate model built from the ConnectParticipant model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.load import load_document
from generator.model.build import build_service

MODEL = Path(__file__).resolve().parents[2] / "models" / "connectparticipant" / "service-2.json"


@pytest.fixture(scope="module")
def service():
    return build_service(load_document(MODEL), "models/connectparticipant/service-2.json")


def test_service_metadata(service) -> None:
    assert service.protocol == "rest-json"
    assert service.service_id == "ConnectParticipant"
    assert service.api_version == "2018-09-07"
    assert service.endpoint_prefix == "participant.connect"
    assert service.signing_name == "execute-api"
    assert len(service.operations) == 11


def test_operation_bindings(service) -> None:
    ops = {o.name: o for o in service.operations}
    create = ops["CreateParticipantConnection"]
    assert (create.py_name, create.method, create.request_uri) == (
        "create_participant_connection", "POST", "/participant/connection")
    assert create.errors == (
        "AccessDeniedException", "InternalServerException", "ThrottlingException", "ValidationException")
    assert ops["DescribeView"].method == "GET"


def test_members_carry_locations_and_names(service) -> None:
    req = service.shape("CreateParticipantConnectionRequest")
    token = req.member_named("ParticipantToken")
    assert (token.py_name, token.location, token.wire_name, token.required) == (
        "participant_token", "header", "X-Amz-Bearer", True)
    kind = req.member_named("Type")
    assert (kind.py_name, kind.location, kind.wire_name, kind.required) == ("type", "body", "Type", False)
    view = service.shape("DescribeViewRequest").member_named("ViewToken")
    assert (view.location, view.wire_name) == ("uri", "ViewToken")
    resp = service.shape("CreateParticipantConnectionResponse")
    assert resp.member_named("WebRTCConnection").py_name == "web_rtc_connection"


def test_constraints_and_enums(service) -> None:
    token = service.shape("ParticipantToken")
    assert (token.min, token.max) == (1, 1000)
    assert service.shape("ConnectionTypeList").min == 1
    assert "WEBSOCKET" in service.shape("ConnectionType").enum
    assert service.shape("AccessDeniedException").exception


def test_model_is_immutable(service) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        service.operations[0].name = "x"  # type: ignore[misc]
