"""The boto3-compatible client against boto3 itself for the query and ec2 protocols: STS (a
manifest package) and SNS, IAM, EC2 and CloudFormation (generated into the cache, as
ensure_packages does).

The machinery is test_compat_vs_boto3's (one canned wire for both clients, boto3 stopped at
``before-send``); per operation, hypothesis draws inputs and answers from the model
(``strategies.py``), the answer written as the service writes it (``Service.build_response``):

* request: the same method, path, headers (those that differ per call aside) and form body,
  compared as its ordered (name, value) pairs after URL-decoding; idempotency tokens are
  compared as present on both sides;
* answer: equal dicts, ``ResponseMetadata`` included (query takes its request id from the
  document's ``<ResponseMetadata>``, ec2 from ``<requestId>``; not from the header);
* modeled errors: every error shape of each query service in botocore's query layout
  (``ErrorResponse/Error/Type/Code/Message``, ``RequestId``) with members drawn from the
  model raises the same class with an equal ``.response`` and message; ec2's layout
  (``Response/Errors/Error``, ``RequestID``) and the generic 5xx answers are checked with
  codes of their own (EC2 models no error shapes).

EC2 has ~800 operations: each gets ``EC2_EXAMPLES`` examples (the others ``EXAMPLES``),
which keeps the file's run within about a minute.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import test_compat_vs_boto3 as base
from .harness import Service, ensure_packages, form_pairs, load_model, xml_document
from .strategies import JSON_NULL, UNKNOWN_MEMBER

SERVICES = ("sts", "sns", "iam", "ec2", "cloudformation")
CACHED = ("sns", "iam", "ec2", "cloudformation")  # not in the manifest: imported from the differential cache
EXAMPLES = 4
EC2_EXAMPLES = 2
# boto3 behaviour the compat client does not have, each with its reason
SKIPS = {
    ("ec2", "CopySnapshot"): "botocore's inject_presigned_url_ec2 signs a second, cross-region request into "
                             "PresignedUrl; the compat client does not presign yet",
}

_PAIRS: dict[str, tuple[Any, Any, Any, Service]] = {}


def _pair(service: str) -> tuple[Any, Any, Any, Service]:
    if service not in _PAIRS:
        from generator.model.naming import package_names

        root = ensure_packages(list(SERVICES))
        for s in CACHED:
            folder = str(root / package_names(s)[1])
            if folder not in sys.path:
                sys.path.insert(0, folder)
        import boto3
        import botocore.config

        from awsgen_runtime import boto3_compat

        wire = base._Wire()
        config = {"retries": {"total_max_attempts": 1, "mode": "standard"}}
        ours = boto3_compat.client(service, endpoint_url=base.ENDPOINT, config=config, **base.KEYS)
        ours._core._transport_given = wire
        theirs = boto3.client(service, endpoint_url=base.ENDPOINT, config=botocore.config.Config(**config),
                              **base.KEYS)
        theirs.meta.events.register("before-send", wire.boto3_send)
        _PAIRS[service] = (theirs, ours, wire, Service(service, root))
    return _PAIRS[service]


def _operations() -> list[Any]:
    out = []
    for s in SERVICES:
        for op in sorted(load_model(s)["operations"]):
            reason = SKIPS.get((s, op))
            out.append(pytest.param(s, op, marks=pytest.mark.skip(reason=reason)) if reason else (s, op))
    return out


def _request(sent: tuple[Any, ...], tokens: list[str]) -> dict[str, Any]:
    _, method, url, headers, body = sent
    if isinstance(body, str):
        body = body.encode("utf-8")
    pairs = [(k, "<token>" if k in tokens else v) for k, v in form_pairs(body or b"")]
    request = base._request((None, method, url, headers, b""))
    request["body"] = pairs
    return request


@pytest.mark.parametrize("service, op", _operations(), ids=lambda v: v)
def test_same_request_and_answer(service: str, op: str) -> None:
    theirs, ours, wire, svc = _pair(service)
    method = base._method(theirs, op)
    shape = svc.input_shape(op)
    tokens = [name for name, m in (svc.shapes[shape]["members"].items() if shape else ())
              if m.get("idempotencyToken")]

    @settings(max_examples=EC2_EXAMPLES if service == "ec2" else EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)
    @given(params=svc.strategies.operation_input(op), answer=svc.strategies.operation_output(op))
    def check(params: dict[str, Any], answer: dict[str, Any]) -> None:
        params = base._strip(params)
        wire.status, wire.headers, wire.body = svc.build_response(op, answer)
        wire.headers = list(wire.headers)
        wire.sent.clear()
        e_kind, expected = base._call(theirs, method, dict(params))
        a_kind, actual = base._call(ours, method, dict(params))
        assert a_kind == e_kind, (expected, actual)
        if e_kind != "ok":
            assert str(actual) == str(expected)
            return
        assert _request(wire.sent[1], tokens) == _request(wire.sent[0], tokens)
        assert base._plain(actual) == base._plain(expected)
        assert actual["ResponseMetadata"] == expected["ResponseMetadata"]

    check()


def _full(shapes: dict[str, Any], name: str, direction: str, path: tuple[str, ...] = ()) -> Any:
    """A value of shape ``name`` with every member set (recursion cut), lists and maps of
    two, within the model's minimums: every name, nesting and conversion gets exercised."""
    shape = shapes[name]
    t = shape["type"]
    low = int(shape.get("min", 0))
    if t == "structure":
        out = {}
        for member, ref in shape.get("members", {}).items():
            if ref["shape"] in path or len(path) > 6 or ref.get("location"):
                continue
            if direction == "in" and ref.get("idempotencyToken"):
                continue
            out[member] = _full(shapes, ref["shape"], direction, (*path, name))
        if shape.get("union") and out:
            first = next(iter(out))
            return {first: out[first]}
        return out
    if t == "list":
        item = shape["member"]["shape"]
        count = max(2, low) if item not in path else 0
        return [_full(shapes, item, direction, (*path, name)) for _ in range(count)]
    if t == "map":
        return {f"k{i}": _full(shapes, shape["value"]["shape"], direction, (*path, name)) for i in range(max(2, low))}
    if t == "string":
        return shape["enum"][0] if shape.get("enum") else "v-&<" + "x" * max(0, low - 4)
    if t in ("integer", "long"):
        return max(low, 7)
    if t in ("float", "double"):
        return max(float(low), 1.5)
    if t == "boolean":
        return True
    if t == "timestamp":
        return dt.datetime(2021, 3, 4, 5, 6, 7, 250000, tzinfo=dt.timezone.utc)
    if t == "blob":
        return b"blob\x00" * max(1, low)
    raise AssertionError(t)


@pytest.mark.parametrize("service, op", _operations(), ids=lambda v: v)
def test_every_member_set(service: str, op: str) -> None:
    """One call per operation with every input and output member set (nested, flattened,
    lists and maps of two), the same form pairs and the same parsed dict."""
    theirs, ours, wire, svc = _pair(service)
    method = base._method(theirs, op)
    shape = svc.input_shape(op)
    params = _full(svc.shapes, shape, "in") if shape else {}
    out = svc.output_shape(op)
    answer = _full(svc.shapes, out, "out") if out else {}
    wire.status, wire.headers, wire.body = svc.build_response(op, answer)
    wire.headers = list(wire.headers)
    wire.sent.clear()
    e_kind, expected = base._call(theirs, method, dict(params))
    a_kind, actual = base._call(ours, method, dict(params))
    assert a_kind == e_kind, (expected, actual)
    if e_kind != "ok":  # a required member cut off by recursion: the same report
        assert e_kind == "ParamValidationError" and str(actual) == str(expected)
        return
    tokens = [name for name, m in (svc.shapes[shape]["members"].items() if shape else ())
              if m.get("idempotencyToken")]
    assert _request(wire.sent[1], tokens) == _request(wire.sent[0], tokens)
    if not tokens:  # byte for byte, as botocore's request preparation encodes the form
        assert wire.sent[1][4] == wire.sent[0][4].encode("utf-8")
    assert base._plain(actual) == base._plain(expected)
    assert actual["ResponseMetadata"] == expected["ResponseMetadata"]


def _error_cases() -> list[tuple[str, str]]:
    out = []
    for s in SERVICES:
        shapes = load_model(s)["shapes"]
        out += [(s, name) for name in sorted(shapes) if shapes[name].get("exception")]
    return out


def _error_document(svc: Service, error: str, code: str, values: dict[str, Any]) -> bytes:
    _, members = svc._xml_structure_parts(error, {k: v for k, v in values.items()
                                                  if svc.xml_member_name(k, svc.shapes[error]["members"][k])
                                                  not in ("Code", "Type")} if values else {}, False)
    head = f"<Type>Sender</Type><Code>{code}</Code>"
    if not any(m.startswith("<Message>") for m in members):
        head += "<Message>it went wrong</Message>"
    return xml_document([f'<ErrorResponse xmlns="https://{svc.name}.amazonaws.com/doc/">'
                         f"<Error>{head}{''.join(members)}</Error><RequestId>rid-1</RequestId></ErrorResponse>"])


def _compare(theirs: Any, ours: Any, method: str, params: dict[str, Any], kind: str | None = None) -> None:
    e_kind, expected = base._call(theirs, method, params)
    a_kind, actual = base._call(ours, method, params)
    assert a_kind == e_kind, (expected, actual)
    if kind is not None:
        assert e_kind == kind
    assert str(actual) == str(expected)
    assert base._plain(actual.response) == base._plain(expected.response)
    assert actual.response["ResponseMetadata"] == expected.response["ResponseMetadata"]
    assert actual.operation_name == expected.operation_name


@pytest.mark.parametrize("service, error", _error_cases(), ids=lambda v: v)
def test_same_modeled_error(service: str, error: str) -> None:
    theirs, ours, wire, svc = _pair(service)
    shape = svc.shapes[error]
    code = (shape.get("error") or {}).get("code", error)
    op = sorted(svc.model["operations"])[0]
    method = base._method(theirs, op)

    @settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
              database=None)
    @given(values=svc.strategies._top(error, "out", set()), status=st.sampled_from([400, 403, 500]),
           params=svc.strategies.operation_input(op))
    def check(values: dict[str, Any], status: int, params: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if v is not JSON_NULL and k != UNKNOWN_MEMBER}
        wire.status, wire.headers = status, [("x-amzn-RequestId", "header-rid"), ("Content-Type", "text/xml")]
        wire.body = _error_document(svc, error, code, values)
        _compare(theirs, ours, method, base._strip(params), error)

    check()


_EC2_ERROR = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidInstanceID.Malformed'
              b'</Code><Message>Invalid id: "i-1"</Message></Error></Errors><RequestID>ec2-rid</RequestID></Response>')


@pytest.mark.parametrize("service, method, params", [
    ("ec2", "describe_instances", {}), ("sts", "get_caller_identity", {}), ("sns", "list_topics", {}),
], ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("status, body", [
    (400, _EC2_ERROR),
    (400, b"<ErrorResponse><Error><Code>Throttling</Code><Message>slow down</Message></Error>"
          b"<RequestId>q-rid</RequestId></ErrorResponse>"),
    (400, b"<ErrorResponse><Error><Code>NoMessage</Code><Message/></Error></ErrorResponse>"),
    (503, b""), (502, b"<html><body>bad gateway</body></html>"),
    (500, b"<Response><Errors><Error><Code>InternalError</Code><Message>m</Message></Error>"
          b"<Error><Code>Second</Code></Error></Errors><RequestID>r</RequestID></Response>"),
], ids=["ec2-layout", "query-layout", "empty-message", "503-empty", "502-html", "two-errors"])
def test_unmodeled_and_generic_errors(service: str, method: str, params: dict[str, Any], status: int,
                                      body: bytes) -> None:
    theirs, ours, wire, _ = _pair(service)
    wire.status, wire.headers, wire.body = status, [("x-amzn-RequestId", "h")], body
    _compare(theirs, ours, method, params)


def test_validation_messages() -> None:
    theirs, ours, _, _ = _pair("sns")
    for method, params in (
        ("publish", {}),
        ("publish", {"Message": 1}),
        ("publish", {"Message": "m", "MessageAttributes": {"a": {"DataType": 1}}}),
        ("publish", {"Message": "m", "MessageAttributes": []}),
        ("create_topic", {"Name": "t", "Tags": [{"Key": "k"}], "Bogus": 1}),
        ("set_topic_attributes", {"TopicArn": "a", "AttributeName": None}),
    ):
        e_kind, expected = base._call(theirs, method, params)
        a_kind, actual = base._call(ours, method, params)
        assert a_kind == e_kind == "ParamValidationError"
        assert str(actual) == str(expected)


def test_ec2_handlers() -> None:
    """RunInstances' UserData goes base64-encoded, ``Filters`` is the alias of a ``Filter``
    member, GetConsoleOutput's Output comes back decoded (botocore's handlers)."""
    theirs, ours, wire, _ = _pair("ec2")
    wire.status, wire.headers = 200, [("Content-Type", "text/xml")]
    cases = [
        ("run_instances", {"MinCount": 1, "MaxCount": 1, "UserData": "#!/bin/sh\necho hi"},
         b"<RunInstancesResponse><requestId>r</requestId><reservationId>r-1</reservationId></RunInstancesResponse>"),
        ("describe_flow_logs", {"Filters": [{"Name": "n", "Values": ["a", "b"]}]},
         b"<DescribeFlowLogsResponse><requestId>r</requestId><flowLogSet/></DescribeFlowLogsResponse>"),
        ("get_console_output", {"InstanceId": "i-1"},
         b"<GetConsoleOutputResponse><requestId>r</requestId><output>aGVsbG8K</output></GetConsoleOutputResponse>"),
    ]
    for method, params, answer in cases:
        wire.body = answer
        wire.sent.clear()
        e_kind, expected = base._call(theirs, method, dict(params))
        a_kind, actual = base._call(ours, method, dict(params))
        assert a_kind == e_kind == "ok", (expected, actual)
        assert _request(wire.sent[1], ["ClientToken"]) == _request(wire.sent[0], ["ClientToken"])
        assert base._plain(actual) == base._plain(expected)
        assert actual["ResponseMetadata"] == expected["ResponseMetadata"]
    assert expected["Output"] == "hello\n"


def test_iam_policy_documents() -> None:
    """IAM answers' policy documents come back as dicts (botocore's json_decode_policies)."""
    theirs, ours, wire, _ = _pair("iam")
    wire.status, wire.headers = 200, [("Content-Type", "text/xml")]
    wire.body = (b"<GetRolePolicyResponse><GetRolePolicyResult><RoleName>r</RoleName><PolicyName>p</PolicyName>"
                 b"<PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D</PolicyDocument>"
                 b"</GetRolePolicyResult><ResponseMetadata><RequestId>i</RequestId></ResponseMetadata>"
                 b"</GetRolePolicyResponse>")
    params = {"RoleName": "r", "PolicyName": "p"}
    expected, actual = theirs.get_role_policy(**params), ours.get_role_policy(**params)
    assert expected["PolicyDocument"] == {"Version": "2012-10-17", "Statement": []}
    assert base._plain(actual) == base._plain(expected)
    assert actual["ResponseMetadata"] == expected["ResponseMetadata"]


def test_cloudformation_template_body() -> None:
    """GetTemplate's JSON TemplateBody comes back as a mapping, a YAML one as text
    (botocore's json_decode_template_body)."""
    theirs, ours, wire, _ = _pair("cloudformation")
    wire.status, wire.headers = 200, [("Content-Type", "text/xml")]
    for body in ('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "A": [1, 2.5]}', "Resources:\n  B: {}\n"):
        wire.body = ("<GetTemplateResponse><GetTemplateResult><TemplateBody>" + body.replace("&", "&amp;")
                     + "</TemplateBody></GetTemplateResult><ResponseMetadata><RequestId>c</RequestId>"
                     "</ResponseMetadata></GetTemplateResponse>").encode()
        expected, actual = theirs.get_template(StackName="s"), ours.get_template(StackName="s")
        assert type(actual["TemplateBody"]) is type(expected["TemplateBody"])
        assert base._plain(actual) == base._plain(expected)
        assert actual["ResponseMetadata"] == expected["ResponseMetadata"]


@pytest.mark.parametrize("status, body", [
    (200, b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1"),  # cut short
    (200, b'<!DOCTYPE x [<!ENTITY e "boom">]><GetCallerIdentityResponse/>'),  # a DTD: refused
    (200, b"not xml at all"),
    (200, b"<GetCallerIdentityResponse><ResponseMetadata/></GetCallerIdentityResponse>"),  # no result wrapper
    (400, b"<ErrorResponse><Error><Code>X</Code>"),  # an error answer cut short
])
def test_bad_answers_are_typed_errors(status: int, body: bytes) -> None:
    """Answers botocore cannot parse either: boto3 raises (its ResponseParserError, or a
    KeyError for a missing wrapper); the compat client raises the runtime's
    ResponseParseError, naming the problem, never a deep traceback of its own."""
    from awsgen_runtime.errors import ResponseParseError

    theirs, ours, wire, _ = _pair("sts")
    wire.status, wire.headers, wire.body = status, [("Content-Type", "text/xml")], body
    e_kind, _ = base._call(theirs, "get_caller_identity", {})
    assert e_kind != "ok"
    with pytest.raises(ResponseParseError) as info:
        ours.get_caller_identity()
    assert str(info.value).strip()
