"""The AWS protocol compliance suites (every protocol) against generated packages.

One test per case; ids are ``<[legacy/]file>::<input|output>::<case id or
description-index>``. Cases listed in ``tests/compliance_skip_list.yaml`` are skipped
with the reason given there.
"""

from __future__ import annotations

import base64
import gzip
import inspect
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime import wire
from awsgen_runtime.client import Config
from awsgen_runtime.errors import ServiceError
from awsgen_runtime.transport import HttpRequest, HttpResponse
from generator.model.naming import python_name

from .convert import Converter
from .suites import Case, load_cases, load_package

SKIP_LIST = Path(__file__).resolve().parent.parent / "compliance_skip_list.yaml"
TOKEN = "00000000-0000-4000-8000-000000000000"  # what the suites expect an auto-filled token to be

# Cases whose parameters break the model's own constraints on purpose; they run with
# Config(validate=False). Keyed by test id, with the reason. None need it at present.
VALIDATION_OFF: dict[str, str] = {}


def _skips() -> dict[str, str]:
    import yaml

    data = yaml.safe_load(SKIP_LIST.read_text(encoding="utf-8")) if SKIP_LIST.exists() else None
    return dict(data or {})


def _params() -> list[Any]:
    skips = _skips()
    out = []
    for case in load_cases():
        marks = [pytest.mark.skip(reason=skips[case.test_id])] if case.test_id in skips else []
        out.append(pytest.param(case, id=case.test_id, marks=marks))
    return out


class CapturingTransport:
    """Records each request and answers with a canned response."""

    def __init__(self, response: HttpResponse | None = None) -> None:
        self.requests: list[HttpRequest] = []
        self.response = response or HttpResponse(
            200, HTTPHeaderDict({"Content-Type": "application/json"}), b"{}"
        )

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        self.requests.append(HttpRequest(request.method, request.url, dict(request.headers), bytes(body)))
        r = self.response
        if stream:
            return HttpResponse(r.status, r.headers, b"", wire.BytesReader(r.body))
        return r


def _client(case: Case, transport: CapturingTransport) -> tuple[Any, Converter]:
    pkg = load_package(case.model_text)
    endpoint = case.suite.get("clientEndpoint", "https://example.com")
    # One attempt: an error response is the expected answer, not one to retry.
    config = Config(validate=case.test_id not in VALIDATION_OFF, max_attempts=1)
    extra: dict[str, Any] = {}
    if "anonymous" in inspect.signature(pkg.Client).parameters:
        # The suites' models name no signing service; signing is tested on its own.
        extra = {"anonymous": True}
    client = pkg.Client(region="us-east-1", endpoint_url=endpoint, transport=transport, config=config, **extra)
    return client, Converter(case.model["shapes"], pkg)


def _operation(case: Case) -> tuple[str, dict[str, Any]]:
    (name, op), = case.model["operations"].items()
    return name, op


@pytest.mark.parametrize("case", _params())
def test_case(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.direction == "input":
        _run_input(case, monkeypatch)
    else:
        _run_output(case)


# ----- input (serialization) ----------------------------------------------------------


def _run_input(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wire, "new_token", lambda: TOKEN)
    transport = CapturingTransport()
    client, conv = _client(case, transport)
    name, op = _operation(case)
    input_shape = (op.get("input") or {}).get("shape")
    kwargs = conv.kwargs(input_shape, case.case.get("params", {}))
    getattr(client, python_name(name))(**kwargs)
    assert len(transport.requests) == 1
    sent = transport.requests[0]
    expected = case.case["serialized"]
    url = urlsplit(sent.url)
    uri = url.path + ("?" + url.query if url.query else "")
    assert uri == expected["uri"], "URI"
    if "method" in expected:
        assert sent.method == expected["method"], "method"
    _check_headers(case, sent, expected, input_shape)
    if "body" in expected:
        _check_body(case, sent.body, expected["body"])
    encoding = {k.lower(): v for k, v in sent.headers.items()}.get("content-encoding", "")
    if encoding.endswith("gzip"):
        if case.model["metadata"]["protocol"] in ("query", "ec2"):  # the compressed body is a whole form
            form = parse_qsl(gzip.decompress(sent.body).decode("ascii"), keep_blank_values=True, strict_parsing=True)
            assert form[:1] == [("Action", name)], "compressed form body"
        elif case.model["metadata"]["protocol"] == "rest-xml":  # a whole XML document
            _xml_tree(gzip.decompress(sent.body))
        else:
            json.loads(gzip.decompress(sent.body))  # the compressed body is whole JSON
    if "host" in expected:
        host = expected["host"]
        netloc, _, base = host.partition("/")
        assert url.netloc == netloc, "host"
        if base:
            assert (url.path + "/").startswith("/" + base.rstrip("/") + "/"), "host path"


def _list_headers(case: Case, input_shape: str | None) -> dict[str, bool]:
    """Lower-case names of list-typed header members -> whether the items are timestamps."""
    shapes = case.model["shapes"]
    out: dict[str, bool] = {}
    if input_shape is None:
        return out
    for name, m in shapes[input_shape]["members"].items():
        target = shapes[m["shape"]]
        if m.get("location") == "header" and target["type"] == "list":
            item = shapes[target["member"]["shape"]]
            out[m.get("locationName", name).lower()] = item["type"] == "timestamp"
    return out


def _check_headers(case: Case, sent: HttpRequest, expected: dict[str, Any], input_shape: str | None) -> None:
    actual = {k.lower(): v for k, v in sent.headers.items()}
    lists = _list_headers(case, input_shape)
    for name, value in (expected.get("headers") or {}).items():
        key = name.lower()
        assert key in actual, f"header {name} missing; sent {sorted(actual)}"
        if key in lists and case.file.startswith("legacy/"):
            # The legacy files write lists without the space after each comma that the
            # newer ones expect; in an HTTP list header that whitespace is not significant.
            split = wire.h_split_dates if lists[key] else wire.h_split
            assert split(actual[key]) == split(value), f"header {name}"
        elif key == "content-type" and case.model["metadata"]["protocol"] in ("query", "ec2"):
            # Form bodies are sent as botocore sends them, with "; charset=utf-8"; the newer
            # files leave that parameter out, the legacy ones include it (botocore's runner
            # adds it to the expectation the same way).
            want = value if "charset=utf-8" in value else value + "; charset=utf-8"
            assert actual[key] == want, f"header {name}"
        else:
            assert actual[key] == value, f"header {name}"
    for name in expected.get("forbidHeaders") or ():
        assert name.lower() not in actual, f"header {name} must not be sent"
    for name in expected.get("requireHeaders") or ():
        assert name.lower() in actual, f"header {name} must be sent"


def _check_body(case: Case, actual: bytes, expected_text: str) -> None:
    """Bodies compared as what they mean: JSON and CBOR as values, XML as element trees,
    form bodies as ordered (name, value) pairs."""
    protocol = case.model["metadata"]["protocol"]
    if protocol == "smithy-rpc-v2-cbor":
        expected = base64.b64decode(expected_text)
        if not expected:
            assert actual == b"", "body"
        else:
            assert _cbor(actual) == _cbor(expected), "body (CBOR)"
        return
    expected = expected_text.encode("utf-8")
    if protocol in ("query", "ec2"):
        assert parse_qsl(actual.decode("ascii"), keep_blank_values=True) == parse_qsl(
            expected_text, keep_blank_values=True
        ), "body (form)"
        return
    if protocol == "rest-xml" and expected.lstrip().startswith(b"<") and actual.lstrip().startswith(b"<"):
        assert _xml_tree(actual) == _xml_tree(expected), "body (XML)"
        return
    try:
        a, e = json.loads(actual), json.loads(expected)
    except ValueError:
        assert actual == expected, "body"
    else:
        assert a == e, "body (JSON)"


def _cbor(data: bytes) -> Any:
    import math

    import cbor2

    def norm(v: Any) -> Any:  # NaN != NaN; tags kept as (tag, value)
        if isinstance(v, float) and math.isnan(v):
            return "NaN"
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, cbor2.CBORTag):
            return ("tag", v.tag, norm(v.value))
        return v

    return norm(cbor2.loads(data))


def _xml_tree(data: bytes) -> Any:
    """(tag, attributes, text, children) with surrounding whitespace dropped."""
    import xml.etree.ElementTree as ET

    def walk(e: Any) -> Any:
        return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), [walk(c) for c in e])

    return walk(ET.fromstring(data))


# ----- output (parsing) -------------------------------------------------------------


def _response(case: Case) -> HttpResponse:
    r = case.case["response"]
    headers = HTTPHeaderDict()
    for k, v in (r.get("headers") or {}).items():
        headers.add(k, v)
    body = r.get("body", "").encode("utf-8")
    if case.model["metadata"]["protocol"] == "smithy-rpc-v2-cbor":  # the suites give CBOR as base64
        body = base64.b64decode(body)
    output = (case.case.get("given") or {}).get("output") or {}
    shapes = case.model["shapes"]
    if any(shapes[m["shape"]].get("eventstream")
           for m in shapes.get(output.get("shape", ""), {}).get("members", {}).values()):
        body = base64.b64decode(body)  # an event stream's binary frames, as base64 (botocore's runner too)
    return HttpResponse(r["status_code"], headers, body)


def _run_output(case: Case) -> None:
    transport = CapturingTransport(_response(case))
    client, conv = _client(case, transport)
    name, op = _operation(case)
    input_shape = (op.get("input") or {}).get("shape")
    call = getattr(client, python_name(name))
    kwargs = conv.required_dummies(input_shape)
    if "errorCode" in case.case or "error" in case.case:
        with pytest.raises(ServiceError) as info:
            call(**kwargs)
        _check_error(case, conv, info.value, type(client)._ERROR_BASE)
        return
    result = call(**kwargs)
    output_shape = (op.get("output") or {}).get("shape")
    parsed = {} if result is None else conv.struct_dict(output_shape, result)
    assert parsed == case.case["result"]


def _check_error(case: Case, conv: Converter, exc: ServiceError, base: type[ServiceError]) -> None:
    code = case.case.get("errorCode", "")
    shapes = case.model["shapes"]
    shape_name = next(
        (n for n, s in shapes.items() if s.get("exception") and n == code),
        None,
    ) or next(
        (n for n, s in shapes.items() if s.get("exception") and (s.get("error") or {}).get("code") == code),
        None,
    )
    if shape_name is None:
        assert type(exc) is base, "an unmodeled code raises the service's base error"
    else:
        assert type(exc).__name__ == shape_name
    assert exc.code == code
    assert exc.message == case.case.get("errorMessage", "")
    members = conv.struct_dict(shape_name, exc, error=True) if shape_name else {}
    assert members == case.case.get("error", {})


def test_auto_filled_tokens_are_uuid4() -> None:
    # The cases run with a fixed token; this is what a client sends without the patch.
    assert uuid.UUID(wire.new_token()).version == 4


def test_every_case_has_a_unique_id() -> None:
    ids = [c.test_id for c in load_cases()]
    assert len(ids) == len(set(ids))


def test_skip_list_names_real_cases() -> None:
    ids = {c.test_id for c in load_cases()}
    assert set(_skips()) <= ids

