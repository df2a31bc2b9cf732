"""Edge cases of the boto3-compatible client that drawn inputs rarely reach, each sent
through boto3 itself and through the compat client (compat_check.py's machinery): the
same outcome (class and message of a refusal) and, when both send, the same request.

Host labels (botocore's check and implicit minimum length), empty URI labels (botocore
sends them), jsonvalue headers (any JSON value, always dumped), timestamps with other
time zones or none, text timestamps, a union with several members set, the order of
problems in a validation report, Glacier's default account id and checksums (bytes and
a file), operations botocore removes (event-stream input), blob payloads without
Content-Type, a blob payload answer as a stream, milliseconds for Bedrock AgentCore.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from .compat_check import Pair, _call, _plain, _request, assert_same, make_pair
from .harness import ensure_packages

SERVICES = ("neptune-graph", "apigateway", "lex-runtime", "bedrock-agent", "glacier", "scheduler", "lambda",
            "bedrock-runtime", "bedrock-agentcore", "cloudwatch", "events")
_PAIRS: dict[str, Pair] = {}
_PLUS5 = dt.timezone(dt.timedelta(hours=5))
_MINUS7 = dt.timezone(dt.timedelta(hours=-7, minutes=-30))


def _pair(service: str) -> Pair:
    if service not in _PAIRS:
        _PAIRS[service] = make_pair(service, ensure_packages(list(SERVICES)))
    return _PAIRS[service]


def _both(service: str, method: str, params: dict[str, Any], *, status: int = 200, body: bytes = b"{}",
          headers: tuple[tuple[str, str], ...] = (("x-amzn-RequestId", "rid"),)) -> tuple[Any, Any]:
    p = _pair(service)
    p.wire.status, p.wire.headers, p.wire.body = status, list(headers), body
    p.wire.sent.clear()
    e_kind, expected = _call(p.theirs, method, dict(params))
    a_kind, actual = _call(p.ours, method, dict(params))
    assert a_kind == e_kind, (expected, actual)
    if e_kind != "ok":
        assert str(actual) == str(expected)
    else:
        e_req, a_req = _request(p.wire.sent[0]), _request(p.wire.sent[1])
        for req in (e_req, a_req):  # random per call: compared as present on both sides
            if isinstance(req["body"], dict) and "clientToken" in req["body"]:
                req["body"]["clientToken"] = "<token>"
            if isinstance(req["body"], dict) and "ClientToken" in req["body"]:
                req["body"]["ClientToken"] = "<token>"
        assert_same("request", e_req, a_req, params)
        assert_same("parsed answer", _plain(expected), _plain(actual))
        assert_same("ResponseMetadata", expected["ResponseMetadata"], actual["ResponseMetadata"])
    return expected, actual


_SCHEDULE = {"Name": "n", "ScheduleExpression": "rate(1 minute)", "FlexibleTimeWindow": {"Mode": "OFF"},
             "Target": {"Arn": "arn:aws:lambda:us-east-1:123456789012:function:f", "RoleArn": "arn:aws:iam::1:role/r"}}
_ACTION_GROUP = {"agentId": "A1B2C3D4E5", "agentVersion": "DRAFT", "actionGroupName": "n"}

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # host labels: botocore's pattern, every bad label named, an implicit minimum length of 1
    ("neptune-graph", "get_graph_summary", {"graphIdentifier": "g_1"}),
    ("neptune-graph", "get_graph_summary", {"graphIdentifier": "g-1.x"}),
    ("neptune-graph", "cancel_query", {"graphIdentifier": "", "queryId": ""}),
    ("neptune-graph", "cancel_query", {"graphIdentifier": "a b", "queryId": "q"}),
    # URI labels: empty ones are sent as they are; '/' and '.' percent-encoded or kept as botocore does
    ("apigateway", "get_rest_api", {"restApiId": ""}),
    ("apigateway", "get_rest_api", {"restApiId": "a/b c"}),
    ("apigateway", "get_rest_api", {"restApiId": ".."}),
    # jsonvalue headers: any JSON value (text too is dumped); a value json.dumps refuses
    ("lex-runtime", "post_content", {"botName": "b", "botAlias": "a", "userId": "u1", "contentType": "text/plain",
                                     "inputStream": b"hi", "sessionAttributes": {"k": "v", "n": 1}}),
    ("lex-runtime", "post_content", {"botName": "b", "botAlias": "a", "userId": "u1", "contentType": "text/plain",
                                     "inputStream": b"hi", "sessionAttributes": "text", "requestAttributes": [1, "é"]}),
    ("lex-runtime", "post_content", {"botName": "b", "botAlias": "a", "userId": "u1", "contentType": "text/plain",
                                     "inputStream": b"hi", "sessionAttributes": {1, 2}}),
    # timestamps: another offset, naive (taken as UTC), text with an offset, epoch numbers
    ("scheduler", "create_schedule", {**_SCHEDULE, "StartDate": dt.datetime(2020, 1, 1, 12, 0, 0, 5, tzinfo=_PLUS5)}),
    ("scheduler", "create_schedule", {**_SCHEDULE, "StartDate": dt.datetime(2020, 1, 1, 12, 0, 0, 5)}),
    ("scheduler", "create_schedule", {**_SCHEDULE, "StartDate": "2020-01-01T12:00:00+05:00",
                                      "EndDate": 1577880000.5}),
    ("scheduler", "create_schedule", {**_SCHEDULE, "StartDate": "not a time"}),
    ("scheduler", "list_schedules", {"GroupName": "g", "NamePrefix": "p"}),
    # unions: several members, none, an unknown one among them; problems in botocore's order
    ("bedrock-agent", "create_agent_action_group",
     {**_ACTION_GROUP, "actionGroupExecutor": {"lambda": "x", "customControl": "RETURN_CONTROL"}}),
    ("bedrock-agent", "create_agent_action_group", {**_ACTION_GROUP, "actionGroupExecutor": {}}),
    ("bedrock-agent", "create_agent_action_group",
     {"agentId": "a", "agentVersion": 1, "zz": 1, "yy": 2,
      "actionGroupExecutor": {"lambda": "x", "customControl": "RETURN_CONTROL", "bogus": 1}}),
    ("bedrock-agent", "create_agent_action_group", {**_ACTION_GROUP, "actionGroupExecutor": {"lambda": None}}),
    # Glacier: accountId defaults to "-"; uploads carry the SHA-256 and tree hash (bytes, a file, > 1 MiB)
    ("glacier", "describe_vault", {"vaultName": "v"}),
    ("glacier", "upload_archive", {"vaultName": "v", "body": b"abc"}),
    ("glacier", "upload_archive", {"vaultName": "v", "body": b"x" * (3 * 1024 * 1024 + 5)}),
    ("glacier", "upload_multipart_part", {"vaultName": "v", "uploadId": "u", "range": "bytes 0-2/*",
                                          "body": b"abc", "checksum": "given"}),
    # a blob payload: no Content-Type unless given
    ("lambda", "invoke", {"FunctionName": "f"}),
    ("lambda", "invoke", {"FunctionName": "f", "Payload": b"{}"}),
    ("lambda", "invoke", {"FunctionName": "f", "Payload": "text"}),
    # Bedrock AgentCore: milliseconds kept (botocore's handler for that service)
    ("bedrock-agentcore", "list_events", {"memoryId": "m", "sessionId": "s", "actorId": "a"}),
    # cloudwatch's OTel operations: boto3's names for them
    ("cloudwatch", "get_otel_enrichment", {}),
]


@pytest.mark.parametrize("service, method, params", CASES, ids=[f"{s}.{m}-{i}" for i, (s, m, _) in enumerate(CASES)])
def test_same_as_boto3(service: str, method: str, params: dict[str, Any]) -> None:
    _both(service, method, params)


def test_glacier_file_body_hashed_and_rewound() -> None:
    p = _pair("glacier")
    p.wire.status, p.wire.headers, p.wire.body = 201, [("x-amzn-RequestId", "rid")], b""
    sent = []
    for client in (p.theirs, p.ours):
        p.wire.sent.clear()
        body = io.BytesIO(b"0123456789" * 300_000)
        body.seek(7)
        client.upload_archive(vaultName="v", body=body)
        sent.append(_request(p.wire.sent[0]))
    assert_same("request", sent[0], sent[1])


def test_removed_event_stream_input_operations() -> None:
    p = _pair("bedrock-runtime")
    assert not hasattr(p.theirs, "invoke_model_with_bidirectional_stream")
    assert not hasattr(p.ours, "invoke_model_with_bidirectional_stream")


def test_blob_payload_answer_is_a_stream() -> None:
    _both("apigateway", "get_export", {"restApiId": "r", "stageName": "s", "exportType": "oas30"},
          body=b'{"openapi": "3.0"}', headers=(("x-amzn-RequestId", "rid"), ("Content-Type", "application/json")))


def test_bedrock_agentcore_milliseconds() -> None:
    when = dt.datetime(2021, 3, 4, 5, 6, 7, 891234, tzinfo=_MINUS7)
    _both("bedrock-agentcore", "create_event", {"memoryId": "m", "actorId": "a", "eventTimestamp": when,
                                                "payload": [{"conversational": {"content": {"text": "t"},
                                                                                 "role": "USER"}}]})


@pytest.mark.parametrize("params", [
    {"MaxItems": 5, "Marker": "m", "FunctionVersion": "ALL", "MasterRegion": "eu-west-1"},
    {"MasterRegion": "eu-west-1", "MaxItems": 5, "FunctionVersion": "ALL"},
])
def test_query_in_callers_order(params: dict[str, Any]) -> None:
    """botocore writes the query in the order of the caller's parameters (the comparisons
    above take it as a multiset)."""
    p = _pair("lambda")
    p.wire.status, p.wire.headers, p.wire.body = 200, [("x-amzn-RequestId", "rid")], b"{}"
    p.wire.sent.clear()
    p.theirs.list_functions(**params)
    p.ours.list_functions(**params)
    assert p.wire.sent[1][2].partition("?")[2] == p.wire.sent[0][2].partition("?")[2]


def test_endpoint_rule_errors_as_botocore_translates_them() -> None:
    """EventBridge's EndpointId that is no host label: botocore's InvalidEndpointConfigurationError."""
    _both("events", "put_events", {"Entries": [{"Source": "s"}], "EndpointId": "not a label"})
