"""The boto3-compatible S3 client against boto3 itself (its whole client, S3's handlers
included), for every S3 operation.

For each operation, hypothesis draws inputs from the model (``strategies.py``; the
bucket is a valid name most of the time, so that the request is built rather than
refused) and answers written as S3 writes them (``harness.Service.build_response``):

* request: boto3 (stopped at ``before-send``) and the compat client (a capturing
  transport) send the same method, URL (virtual-host or path addressing, chosen by the
  endpoint rules of each), headers and body, byte for byte (XML bodies included), apart
  from what differs per call (date, signature, invocation id, user agent);
* answer: both parse the same answer into equal dicts (``ResponseMetadata`` with S3's
  request id and host id included);
* problems: both refuse the same inputs with the same exception and message
  (botocore's validation, S3's bucket-name, metadata and CopySource checks);
* modeled errors: every S3 error shape, with members drawn from the model, in S3's
  ``<Error>`` document; an error without a body (a HEAD's 404); an error in a 200 answer.

Deliberate differences, normalized here: timestamps are compared as instants (boto3's
``tzutc()``, our ``timezone.utc``); streaming bodies by their bytes.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3
import botocore.config
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsgen_runtime import boto3_compat

from .harness import Service, ensure_packages
from .test_compat_vs_boto3 import _VOLATILE, _call, _plain, _strip, _Wire

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": "us-west-2"}
BUCKET = "amzn-s3-demo-bucket"
_EVENT_STREAMS = ("SelectObjectContent",)  # answers the compat client does not parse yet
EXAMPLES = 4

_CLIENTS: dict[str, tuple[Any, Any, _Wire, Service]] = {}


def _pair(style: str = "auto") -> tuple[Any, Any, _Wire, Service]:
    """(boto3 client, compat client, wire, harness service) for one addressing style."""
    if style not in _CLIENTS:
        root = ensure_packages(["s3"])
        if str(root / "aws-s3") not in sys.path:
            sys.path.insert(0, str(root / "aws-s3"))
        wire = _Wire()
        config: dict[str, Any] = {"retries": {"total_max_attempts": 1, "mode": "standard"},
                                  "s3": {"addressing_style": style}}
        ours = boto3_compat.client("s3", config=config, **KEYS)
        ours._core._transport_given = wire
        theirs = boto3.client("s3", config=botocore.config.Config(**config), **KEYS)
        theirs.meta.events.register("before-send", wire.boto3_send)
        _CLIENTS[style] = (theirs, ours, wire, Service("s3", root))
    return _CLIENTS[style]


def _operations() -> list[str]:
    from .harness import load_model

    return sorted(load_model("s3")["operations"])


def _request(sent: tuple[Any, ...]) -> dict[str, Any]:
    _, method, url, headers, body = sent
    parts = urlsplit(url)
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {
        "method": method,
        "host": parts.netloc,
        "path": parts.path,
        "query": sorted(parse_qsl(parts.query, keep_blank_values=True)),
        "headers": {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in headers.items()
                    if k.lower() not in _VOLATILE},
        "body": bytes(body or b""),
    }


def _method(client: Any, op: str) -> str:
    return next(k for k, v in client.meta.method_to_api_mapping.items() if v == op)


def _unsigned_payload(theirs: dict[str, Any], ours: dict[str, Any]) -> None:
    """botocore leaves a streaming upload's payload unsigned over https when the caller gave
    its Content-MD5 or checksum header; the runtime's signer hashes it (a difference of the
    shared signing core, in the README): the hash is not compared then."""
    if theirs["headers"].get("x-amz-content-sha256") == "UNSIGNED-PAYLOAD" and (
            "content-md5" in theirs["headers"] or any(k.startswith("x-amz-checksum-") for k in theirs["headers"])):
        ours["headers"]["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"


def _same(theirs: Any, ours: Any, wire: _Wire, method: str, params: dict[str, Any],
          stream: bool = False) -> tuple[str, Any]:
    """Call both with the same input and answer; assert the same request and result.
    ``stream``: an event-stream answer, which the compat client refuses (README)."""
    wire.sent.clear()
    e_kind, expected = _call(theirs, method, dict(params))
    a_kind, actual = _call(ours, method, dict(params))
    if stream and e_kind == "ok":
        assert a_kind == "NotImplementedError" and "event streams" in str(actual)
    else:
        assert a_kind == e_kind, (expected, actual)
    if e_kind not in ("ok", "ClientError") and not hasattr(expected, "response"):
        assert str(actual) == str(expected)
        return e_kind, actual
    assert len(wire.sent) == 2, wire.sent
    e_req, a_req = _request(wire.sent[0]), _request(wire.sent[1])
    _unsigned_payload(e_req, a_req)
    assert a_req == e_req
    if stream:
        return e_kind, actual
    if e_kind == "ok":
        assert _plain(actual) == _plain(expected)
        e_meta, a_meta = expected["ResponseMetadata"], actual["ResponseMetadata"]
        assert {k: a_meta.get(k) for k in e_meta} == e_meta
    else:
        assert str(actual) == str(expected)
        assert _plain(actual.response) == _plain(expected.response)
        assert _plain(actual.response["ResponseMetadata"]) == _plain(expected.response["ResponseMetadata"])
    return e_kind, actual


# Checksum algorithms boto3 computes without awscrt (with others it raises
# MissingDependencyException, or FlexibleChecksumError for MD5, where the runtime computes
# CRC32C and CRC64NVME itself or raises ParamValidationError: a difference in the README).
_ALGORITHMS = ("CRC32", "SHA1", "SHA256")


def _consistent(op: str, answer: dict[str, Any]) -> dict[str, Any]:
    """An answer whose headers agree with its body: no length or checksum headers drawn
    at random (both clients refuse such a body, with their own classes: README)."""
    if op.startswith("GetObject"):
        answer = {k: v for k, v in answer.items() if k != "ContentLength" and not k.startswith("Checksum")}
    return answer


def _supported(params: dict[str, Any], algorithm: int) -> dict[str, Any]:
    if "ChecksumAlgorithm" in params:
        params["ChecksumAlgorithm"] = _ALGORITHMS[algorithm]
    return params


def _with_bucket(params: dict[str, Any], valid: bool) -> dict[str, Any]:
    if "Bucket" in params and valid:
        params["Bucket"] = BUCKET
    return params


@pytest.mark.parametrize("op", _operations())
def test_same_request_and_answer(op: str) -> None:
    theirs, ours, wire, svc = _pair()
    method = _method(theirs, op)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(params=svc.strategies.operation_input(op), answer=svc.strategies.operation_output(op),
           valid=st.sampled_from([True, True, True, False]), algorithm=st.integers(0, len(_ALGORITHMS) - 1))
    def check(params: dict[str, Any], answer: dict[str, Any], valid: bool, algorithm: int) -> None:
        params = _supported(_with_bucket(_strip(params), valid), algorithm)
        wire.status, headers, wire.body = svc.build_response(op, _consistent(op, answer))
        wire.headers = [*headers, ("x-amz-request-id", "REQ"), ("x-amz-id-2", "HOST")]
        _same(theirs, ours, wire, method, params, stream=op in _EVENT_STREAMS)

    check()
