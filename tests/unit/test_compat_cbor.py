"""The boto3-compatible client for smithy-rpc-v2-cbor (the one service botocore 1.43.67
speaks it to: partnercentral-revenue-measurement; the others list json too and botocore,
like the generator, picks json): scalars encoded byte for byte as botocore's
RpcV2CBORSerializer encodes them, and calls compared with boto3 on the same answers."""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
from typing import Any

import boto3
import botocore.awsrequest
import botocore.serialize
import cbor2
import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime.boto3_compat import _wire as c
from awsgen_runtime.protocols import cbor
from awsgen_runtime.transport import HttpRequest, HttpResponse

SERVICE = "partnercentral-revenue-measurement"
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
FLOATS = [0.0, -0.0, 1.5, -2.25, 1e10, 3.4e38, 1e-7, math.nan, math.inf, -math.inf]


def _botocore(kind: str, value: Any) -> bytes:
    out = bytearray()
    getattr(botocore.serialize.RpcV2CBORSerializer(), f"_serialize_type_{kind}")(out, value, None, None)
    return bytes(out)


@pytest.mark.parametrize("value", FLOATS + [1.0000001, 2 ** 60, -7])
def test_scalars_as_botocore(value: Any) -> None:
    assert cbor.dumps(c.cbor_f64(value)) == _botocore("double", float(value))
    if abs(float(value)) < 3.5e38 or math.isinf(value) or math.isnan(value):
        assert cbor.dumps(c.cbor_f32(value)) == _botocore("float", float(value))


def test_float_too_large_for_single_precision() -> None:
    with pytest.raises(Exception, match="single precision"):
        c.cbor_f32(1e300)


@pytest.mark.parametrize("when", [dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc),
                                  dt.datetime(1970, 1, 1, 0, 0, 10, tzinfo=dt.timezone.utc),
                                  dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=dt.timezone(dt.timedelta(hours=5)))])
def test_timestamps_as_botocore(when: dt.datetime) -> None:
    assert cbor.dumps(c.cbor_ts(when)) == _botocore("timestamp", when)


@pytest.mark.parametrize("blob", [b"\x00\xff", "text é", io.BytesIO(b"from a file")])
def test_blobs_as_botocore(blob: Any) -> None:
    theirs = _botocore("blob", io.BytesIO(b"from a file") if isinstance(blob, io.BytesIO) else blob)
    assert cbor.dumps(c.cbor_blob(blob)) == theirs


class _Capture:
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body
        self.request: HttpRequest | None = None

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        self.request = request
        return HttpResponse(self.status, HTTPHeaderDict(_HEADERS), self.body)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


_HEADERS = {"x-amzn-requestid": "req-1", "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"}


@pytest.fixture(scope="module")
def compat_module() -> Any:
    from tests.differential.harness import ensure_packages
    from generator.model.naming import package_names

    root = ensure_packages([SERVICE])
    pkg, dist = package_names(SERVICE)
    sys.path.insert(0, str(root / dist))
    try:
        from awsgen_runtime import boto3_compat

        yield boto3_compat
    finally:
        sys.path.remove(str(root / dist))


def _both(boto3_compat: Any, method: str, params: dict[str, Any], status: int, answer: bytes) -> tuple[Any, ...]:
    ours = boto3_compat.client(SERVICE, **KEYS)
    capture = _Capture(status, answer)
    ours._core._transport_given = capture
    boto = boto3.client(SERVICE, **KEYS)
    seen: dict[str, Any] = {}

    def before_send(request: Any, **_: Any) -> Any:
        seen["request"] = request
        return botocore.awsrequest.AWSResponse(request.url, status, _HEADERS, _Raw(answer))

    boto.meta.events.register("before-send.*", before_send)

    def call(client: Any) -> Any:
        try:
            out = getattr(client, method)(**params)
        except Exception as exc:  # both raise ClientError (compared by .response) or validation errors
            out = (type(exc).__name__, getattr(exc, "response", None) or str(exc))
        if isinstance(out, dict):
            out.pop("ResponseMetadata", None)
        elif isinstance(out[1], dict):
            out[1].get("ResponseMetadata", {}).pop("HTTPHeaders", None)
            out[1].get("ResponseMetadata", {}).pop("RetryAttempts", None)
        return out

    a, b = call(ours), call(boto)
    return a, b, capture.request, seen.get("request")


NOW = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("method, params, status, answer", [
    ("get_revenue_attribution", {"Catalog": "AWS", "Identifier": "ra-1"}, 200,
     cbor2.dumps({"Catalog": "AWS", "Id": "ra-1", "Name": "n", "CreatedAt": cbor2.CBORTag(1, 1741064767),
                  "Description": None, "Unknown": 3})),
    ("list_marketplace_revenue_shares", {"Catalog": "AWS", "MaxResults": 5}, 200,
     cbor2.dumps({"NextToken": "t", "Items": []})),
    ("create_revenue_attribution", {"Catalog": "AWS", "Name": "n", "TenancyModel": "x", "ClientToken": "tok"}, 200,
     cbor2.dumps({"Id": "ra-2"})),
    ("get_revenue_attribution", {"Catalog": "AWS", "Identifier": "ra-1"}, 404,
     cbor2.dumps({"__type": "com.amazonaws.partnercentral#ResourceNotFoundException", "message": "none",
                  "Reason": "gone"})),
    ("get_revenue_attribution", {"Catalog": "AWS", "Identifier": "ra-1"}, 500, b""),
    ("get_revenue_attribution", {"Catalog": "AWS"}, 200, b""),  # a missing parameter
], ids=["get", "list", "create", "modeled-error", "bodiless-500", "invalid"])
def test_calls_as_boto3(compat_module: Any, method: str, params: dict[str, Any], status: int,
                        answer: bytes) -> None:
    ours, theirs, sent, boto_sent = _both(compat_module, method, params, status, answer)
    assert ours == theirs
    if boto_sent is not None:
        assert sent is not None and sent.body == boto_sent.body  # byte for byte
        assert sent.url.split("/", 3)[3] == boto_sent.url.split("/", 3)[3]  # the path
        for name in ("smithy-protocol", "Content-Type", "Accept"):
            theirs_value = boto_sent.headers.get(name)
            assert sent.headers.get(name) == (theirs_value.decode() if isinstance(theirs_value, bytes)
                                              else theirs_value)
