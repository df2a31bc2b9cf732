"""Event-stream answers of the boto3-compatible client against botocore's, for every
operation of every service of botocore 1.43.67 whose answer is an event stream (Bedrock,
Kinesis, Lambda, Logs, ...; S3's SelectObjectContent, rest-xml): the same frames (hypothesis events
written by tests/differential/streams.py) give the same list of event dicts; exception
events raise ``EventStreamError`` with botocore's ``.response``; an event type the model
does not know is skipped as botocore skips it; json's initial response is in the answer."""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any

import botocore.awsrequest
import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from urllib3 import HTTPHeaderDict

from generator.model.naming import package_names
from tests.differential.harness import Service, ensure_packages, first_difference, has_event_stream
from tests.differential.streams import Streams, _Raw, encode, event, exception

SERVICES = ("bedrock-agent-runtime", "bedrock-agentcore", "bedrock-runtime", "connecthealth", "devops-agent", "s3",
            "iotsitewise", "kinesis", "lambda", "lexv2-runtime", "logs", "polly", "qbusiness", "sagemaker-runtime")
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
EXAMPLES = 4
_STREAMS: dict[str, Streams] = {}


@pytest.fixture(scope="module")
def root() -> Any:
    found = ensure_packages(list(SERVICES))
    added = [str(found / package_names(s)[1]) for s in SERVICES]
    sys.path[:0] = added
    yield found
    for path in added:
        sys.path.remove(path)


def _streams(root: Any, name: str) -> Streams:
    if name not in _STREAMS:
        _STREAMS[name] = Streams(Service(name, root))
    return _STREAMS[name]


def _dummy(model: dict[str, Any], name: str, depth: int = 0) -> Any:
    """A value of shape ``name`` that passes botocore's validation (required members only)."""
    shape = model["shapes"][name]
    t = shape["type"]
    if t == "structure":
        names = list(shape.get("required", []))
        if shape.get("union"):  # exactly one member
            names = [next(iter(shape["members"]))]
        out = {m: _dummy(model, shape["members"][m]["shape"], depth + 1) for m in names}
        for m in names:  # endpoint rules parse ARNs (Kinesis' ConsumerARN)
            if m.lower().endswith("arn") and isinstance(out[m], str):
                out[m] = "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1"
        return out
    if t == "list":
        return [_dummy(model, shape["member"]["shape"], depth + 1) for _ in range(int(shape.get("min", 0)))]
    if t == "map":
        return {}
    if t == "string":
        return "a" * max(1, int(shape.get("min", 1)))
    if t in ("integer", "long"):
        return max(1, int(shape.get("min", 1)))
    if t in ("float", "double"):
        return 1.0
    if t == "boolean":
        return True
    if t == "blob":
        return b"x"
    if t == "timestamp":
        return dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    return {}


class _Answer:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def send(self, request: Any, *, stream: bool = False) -> Any:
        from awsgen_runtime.transport import HttpResponse

        headers = HTTPHeaderDict({"Content-Type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "r"})
        return HttpResponse(200, headers, b"", io.BytesIO(self.body)) if stream else HttpResponse(200, headers,
                                                                                                   self.body)


def _botocore(streams: Streams, op: str, member: str, body: bytes) -> Any:
    svc = streams.svc
    headers = botocore.awsrequest.HeadersDict({"Content-Type": "application/vnd.amazon.eventstream"})
    parsed = svc.parser.parse({"status_code": 200, "headers": headers, "context": {"operation_name": op},
                               "body": _Raw(body)},
                              svc.botocore.operation_model(op).output_shape)
    return _collect(parsed, member)


def _collect(parsed: dict[str, Any], member: str) -> Any:
    out: dict[str, Any] = {k: v for k, v in parsed.items() if k not in (member, "ResponseMetadata")}
    events: list[Any] = []
    try:
        for e in parsed[member]:
            events.append(e)
    except botocore.exceptions.ClientError as exc:
        events.append(("raised", type(exc).__name__, exc.response, str(exc)))
    out["__events__"] = events
    return out


def _ours(root: Any, streams: Streams, op: str, member: str, body: bytes) -> Any:
    from awsgen_runtime import boto3_compat
    from generator.model.naming import python_name

    client = boto3_compat.client(streams.svc.name, **KEYS)
    client._core._transport_given = _Answer(body)
    svc = streams.svc
    params = _dummy(svc.model, svc.input_shape(op)) if svc.input_shape(op) else {}
    parsed = getattr(client, python_name(op))(**params)
    return _collect(parsed, member)


def _operations(root: Any, name: str) -> list[str]:
    streams = _streams(root, name)
    return [op for op in streams.operations() if not has_event_stream(streams.svc.model, streams.svc.input_shape(op))]


@pytest.mark.parametrize("service", SERVICES)
def test_events_as_botocore(root: Any, service: str) -> None:
    streams = _streams(root, service)
    ops = _operations(root, service)
    # these have only bidirectional streams (an input stream needs HTTP/2: neither client sends one)
    assert bool(ops) != (service in ("connecthealth", "lexv2-runtime", "polly", "qbusiness")), service
    for op in ops:
        member = streams.stream_member(op)
        assert member is not None

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.filter_too_much, HealthCheck.large_base_example])
        @given(streams.events(op))
        def run(events: list[tuple[str, dict[str, Any]]]) -> None:
            body = streams.body(op, events)
            expected = _botocore(streams, op, member[0], body)
            actual = _ours(root, streams, op, member[0], body)
            where = first_difference(expected, actual)
            assert where is None, f"{service}.{op} at {where}:\n{expected}\n{actual}"

        run()


@pytest.mark.parametrize("service", SERVICES)
def test_exceptions_unknown_events_and_errors_as_botocore(root: Any, service: str) -> None:
    streams = _streams(root, service)
    svc = streams.svc
    for op in _operations(root, service):
        member, stream_shape = streams.stream_member(op)  # type: ignore[misc]
        union = svc.shapes[stream_shape]["members"]
        modeled = [n for n, r in union.items() if svc.shapes[r["shape"]].get("exception")]
        start = event("initial-response", b"{}") if svc.protocol == "json" else b""
        bodies = [start + event("SomeEventFromTheFuture", b'{"a": 1}'),
                  start + encode([(":message-type", "error"), (":error-code", "Boom"), (":error-message", "it broke")]),
                  start + exception("NotInTheModel", b'{"message": "unmodeled"}')]
        bodies += [start + exception(name, b'{"message": "modeled ' + name.encode() + b'", "Message": "M"}')
                   for name in modeled]
        for body in bodies:
            expected = _botocore(streams, op, member, body)
            actual = _ours(root, streams, op, member, body)
            assert first_difference(expected, actual) is None, (service, op, body, expected, actual)
