"""The boto3-compatible client against boto3 itself, for every operation of every manifest
service whose protocol it supports (json, rest-json).

For each operation, hypothesis draws inputs from the model (``strategies.py``) and
answers written the way the service writes them (``harness.Service.build_response``):

* request: boto3 (its whole client, handlers included, stopped at ``before-send``) and
  the compat client (a capturing transport) send the same method, path, query, body (as
  JSON values) and headers, apart from those that differ per call (date, signature,
  invocation id, user agent, length of differently spaced JSON);
* answer: both parse the same answer into equal dicts, ``ResponseMetadata`` aside (its
  request id, status and headers are compared too);
* modeled errors: every error shape of the service, with members drawn from the model,
  raises the same class name with an equal ``.response`` and message.

Deliberate differences (none is counted as equal silently; each is normalized here):
timestamps are compared as instants (boto3's ``tzutc()`` and our ``timezone.utc``
compare equal); streaming bodies by their bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3
import botocore.awsrequest
import botocore.config
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from urllib3 import HTTPHeaderDict

from awsgen_runtime import boto3_compat
from awsgen_runtime.transport import HttpRequest, HttpResponse

from .harness import Service, ensure_packages
from .strategies import JSON_NULL, UNKNOWN_MEMBER

SERVICES = ("dynamodb", "scheduler", "connectparticipant", "sso", "sso-oidc")
ENDPOINT = "https://compat.example.com"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": "us-east-1"}
# headers that differ per call or per client, not per input
_VOLATILE = {"user-agent", "authorization", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request",
             "content-length", "host", "x-amz-security-token"}
EXAMPLES = 4


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **_: Any) -> Any:
        yield self._body.read()

    def read(self, *args: Any, **_: Any) -> bytes:
        return self._body.read(*args)


class _Wire:
    """The canned answer both clients get, and the requests they sent."""

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[str, str]] = []
        self.body = b"{}"
        self.sent: list[Any] = []

    def boto3_send(self, request: Any, **_: Any) -> Any:
        self.sent.append(("boto3", request.method, request.url, dict(request.headers), request.body))
        headers = botocore.awsrequest.HeadersDict(self.headers)
        return botocore.awsrequest.AWSResponse(request.url, self.status, headers, _Raw(self.body))

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body = request.body.read() if hasattr(request.body, "read") else request.body
        self.sent.append(("compat", request.method, request.url, dict(request.headers), body))
        headers = HTTPHeaderDict(self.headers)
        if stream:
            from awsgen_runtime import wire

            return HttpResponse(self.status, headers, b"", wire.BytesReader(self.body))
        return HttpResponse(self.status, headers, self.body)


_PAIRS: dict[str, tuple[Any, Any, _Wire, Service]] = {}


def _pair(service: str) -> tuple[Any, Any, _Wire, Service]:
    """(boto3 client, compat client, wire, harness service), made once per service."""
    if service not in _PAIRS:
        wire = _Wire()
        # standard mode on both: legacy mode's retry rules are not the runtime's (README)
        config = {"retries": {"total_max_attempts": 1, "mode": "standard"}}
        ours = boto3_compat.client(service, endpoint_url=ENDPOINT, config=config, **KEYS)
        ours._core._transport_given = wire
        theirs = boto3.client(service, endpoint_url=ENDPOINT, config=botocore.config.Config(**config), **KEYS)
        theirs.meta.events.register("before-send", wire.boto3_send)
        _PAIRS[service] = (theirs, ours, wire, Service(service, ensure_packages(list(SERVICES))))
    return _PAIRS[service]


def _operations() -> list[tuple[str, str]]:
    from .harness import load_model

    return [(s, op) for s in SERVICES for op in sorted(load_model(s)["operations"])]


def _method(client: Any, op: str) -> str:
    return client.meta.method_to_api_mapping and next(
        k for k, v in client.meta.method_to_api_mapping.items() if v == op)


def _strip(value: Any) -> Any:
    """Input as a caller writes it: no JSON nulls or unknown members (the strategies add
    them for answers)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if v is not JSON_NULL and k != UNKNOWN_MEMBER}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _call(client: Any, method: str, params: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", getattr(client, method)(**params)
    except Exception as exc:  # noqa: BLE001 - compared below, class and content
        return type(exc).__name__, exc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return ("instant", value.timestamp())
    if hasattr(value, "read"):
        return ("stream", value.read())
    return value


def _request(sent: tuple[Any, ...]) -> dict[str, Any]:
    _, method, url, headers, body = sent
    parts = urlsplit(url)
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body or b""
    try:
        decoded: Any = json.loads(body) if body.strip() else None
    except ValueError:
        decoded = body
    return {
        "method": method,
        "path": parts.path,
        "query": sorted(parse_qsl(parts.query, keep_blank_values=True)),
        "headers": {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in headers.items()
                    if k.lower() not in _VOLATILE},
        "body": decoded,
    }


def _normalized_tokens(theirs: dict[str, Any], ours: dict[str, Any], op_input: Any) -> None:
    """Idempotency tokens are random per call: compare that both sent one."""
    if not isinstance(theirs["body"], dict) or not isinstance(ours["body"], dict):
        return
    for key in op_input:
        if key in theirs["body"] and key in ours["body"]:
            theirs["body"][key] = ours["body"][key] = "<token>"


@pytest.mark.parametrize("service, op", _operations(), ids=lambda v: v)
def test_same_request_and_answer(service: str, op: str) -> None:
    theirs, ours, wire, svc = _pair(service)
    method = _method(theirs, op)
    tokens = [name for name, m in (svc.shapes[svc.input_shape(op)]["members"].items() if svc.input_shape(op) else ())
              if m.get("idempotencyToken")]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(params=svc.strategies.operation_input(op), answer=svc.strategies.operation_output(op))
    def check(params: dict[str, Any], answer: dict[str, Any]) -> None:
        params = _strip(params)
        wire.status, wire.headers, wire.body = svc.build_response(op, answer)
        wire.headers = list(wire.headers)
        wire.sent.clear()
        e_kind, expected = _call(theirs, method, dict(params))
        a_kind, actual = _call(ours, method, dict(params))
        assert a_kind == e_kind, (expected, actual)
        if e_kind != "ok":
            assert str(actual) == str(expected)
            return
        e_req, a_req = _request(wire.sent[0]), _request(wire.sent[1])
        _normalized_tokens(e_req, a_req, tokens)
        assert a_req == e_req
        assert _plain(actual) == _plain(expected)
        e_meta, a_meta = expected["ResponseMetadata"], actual["ResponseMetadata"]
        assert {k: a_meta.get(k) for k in e_meta} == e_meta

    check()


def _error_cases() -> list[tuple[str, str]]:
    from .harness import load_model

    out = []
    for s in SERVICES:
        shapes = load_model(s)["shapes"]
        out += [(s, name) for name in sorted(shapes) if shapes[name].get("exception")]
    return out


@pytest.mark.parametrize("service, error", _error_cases(), ids=lambda v: v)
def test_same_modeled_error(service: str, error: str) -> None:
    theirs, ours, wire, svc = _pair(service)
    shape = svc.shapes[error]
    code = (shape.get("error") or {}).get("code", error)
    op = sorted(svc.model["operations"])[0]
    method = _method(theirs, op)

    @settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(values=svc.strategies._top(error, "out", set()), status=st.sampled_from([400, 404, 500]),
           params=svc.strategies.operation_input(op))
    def check(values: dict[str, Any], status: int, params: dict[str, Any]) -> None:
        body = svc.wire_json(error, {k: v for k, v in values.items() if svc.shapes[error]["members"].get(k, {})
                                      .get("location") is None})
        if svc.protocol == "json":
            body["__type"] = "com.amazonaws.service#" + code
            wire.headers = [("x-amzn-RequestId", "rid")]
        else:
            wire.headers = [("x-amzn-RequestId", "rid"), ("x-amzn-ErrorType", code + ":http://internal")]
            for name, value in values.items():
                m = svc.shapes[error]["members"].get(name, {})
                if m.get("location") == "header":
                    wire.headers.append((m.get("locationName", name), svc.header_text(m, value)))
        wire.status, wire.body = status, json.dumps(body).encode()
        e_kind, expected = _call(theirs, method, _strip(params))
        a_kind, actual = _call(ours, method, _strip(params))
        assert a_kind == e_kind == shape_class(error), (expected, actual)
        assert str(actual) == str(expected)
        assert _plain(actual.response) == _plain(expected.response)
        assert actual.operation_name == expected.operation_name

    def shape_class(name: str) -> str:
        return name

    check()


def test_unknown_error_and_generic_5xx() -> None:
    theirs, ours, wire, _ = _pair("dynamodb")
    for status, body in ((400, b'{"__type": "SomethingNew", "message": "m"}'), (503, b""), (502, b"<html>x</html>"),
                         (400, b"not json")):
        wire.status, wire.headers, wire.body = status, [("x-amzn-RequestId", "r")], body
        e_kind, expected = _call(theirs, "list_tables", {})
        a_kind, actual = _call(ours, "list_tables", {})
        assert (a_kind, str(actual)) == (e_kind, str(expected))
        assert _plain(actual.response) == _plain(expected.response)


def test_validation_messages() -> None:
    theirs, ours, _, _ = _pair("dynamodb")
    for params in ({}, {"TableName": "t", "Key": []}, {"TableName": "t", "Key": {"k": {"S": 1}}},
                   {"TableName": "t", "Key": {"k": {"S": "v"}}, "AttributesToGet": []},
                   {"TableName": "t", "Key": {}, "Bogus": 1}, {"TableName": "t", "Key": {"k": {"N": None}}}):
        e_kind, expected = _call(theirs, "get_item", params)
        a_kind, actual = _call(ours, "get_item", params)
        assert a_kind == e_kind == "ParamValidationError"
        assert str(actual) == str(expected)
