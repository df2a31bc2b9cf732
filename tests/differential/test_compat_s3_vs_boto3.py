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
import botocore
import botocore.exceptions
import botocore.config
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsgen_runtime import boto3_compat

from .harness import Service, ensure_packages
from .test_compat_vs_boto3 import _VOLATILE, _call, _plain, _strip, _Wire

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": "us-west-2"}
BUCKET = "amzn-s3-demo-bucket"
_EVENT_STREAMS = ("SelectObjectContent",)  # event-stream answers: compared in test_compat_event_streams.py
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
    ``stream``: an event-stream answer, read and compared by test_compat_event_streams.py."""
    wire.sent.clear()
    e_kind, expected = _call(theirs, method, dict(params))
    a_kind, actual = _call(ours, method, dict(params))
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


def _error_shapes() -> list[str]:
    from .harness import load_model

    shapes = load_model("s3")["shapes"]
    return sorted(name for name, shape in shapes.items() if shape.get("exception"))


@pytest.mark.parametrize("error", _error_shapes())
def test_same_modeled_error(error: str) -> None:
    """S3's ``<Error>`` document with the error's modeled members (and the request id and
    host id in the body, which botocore drops for the headers'), on GetObject and a HEAD."""
    theirs, ours, wire, svc = _pair()
    shape = svc.shapes[error]
    code = (shape.get("error") or {}).get("code", error)

    @settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(values=svc.strategies._top(error, "out", set()), status=st.sampled_from([400, 403, 404, 409, 500]),
           method=st.sampled_from(["get_object", "delete_object", "list_objects_v2"]))
    def check(values: dict[str, Any], status: int, method: str) -> None:
        _, children = svc._xml_structure_parts(error, {k: v for k, v in values.items() if k != "UNKNOWN"}, False)
        wire.status = status
        wire.headers = [("x-amz-request-id", "REQ"), ("x-amz-id-2", "HOST")]
        wire.body = (f"<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>{code}</Code><Message>m &amp; n</Message>"
                     f"{''.join(children)}<RequestId>BODYREQ</RequestId><HostId>BODYHOST</HostId></Error>").encode()
        params = {"Bucket": BUCKET, "Key": "k"} if method != "list_objects_v2" else {"Bucket": BUCKET}
        kind, actual = _same(theirs, ours, wire, method, params)
        assert kind == error, actual

    check()


@pytest.mark.parametrize("status, body, method", [
    (404, b"", "head_object"),  # a HEAD's answer has no body: the status names the error
    (403, b"", "head_bucket"),
    (500, b"", "get_object"),  # generic: no request id taken
    (503, b"<html>busy</html>", "list_buckets"),
    (400, b"not xml at all", "get_object"),
    (404, b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key>"
          b"<RequestId>R</RequestId><HostId>H</HostId></Error>", "get_object"),
    (404, b"<Error><Code>NoSuchBucket</Code><Message>none</Message><BucketName>b</BucketName></Error>",
     "list_objects"),
    (400, b"<ErrorResponse><Error><Code>Bad</Code><Type>Sender</Type></Error><RequestId>Q</RequestId></ErrorResponse>",
     "get_object"),
    # an error in a 200 answer (botocore's _handle_200_error): a 500, retried as one
    (200, b"<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>InternalError</Code><Message>x</Message></Error>",
     "copy_object"),
    (200, b"<Error><Code>SlowDown</Code><Message>x</Message></Error>", "complete_multipart_upload"),
])
def test_unmodeled_errors(status: int, body: bytes, method: str) -> None:
    theirs, ours, wire, _ = _pair()
    wire.status, wire.body = status, body
    wire.headers = [("x-amz-request-id", "REQ"), ("x-amz-id-2", "HOST")]
    params: dict[str, Any] = {"Bucket": BUCKET}
    if method not in ("head_bucket", "list_buckets", "list_objects"):
        params["Key"] = "k"
    if method == "list_buckets":
        params = {}
    if method == "copy_object":
        params["CopySource"] = {"Bucket": "src", "Key": "a b/ü", "VersionId": "v1"}
    if method == "complete_multipart_upload":
        params["UploadId"] = "u"
    kind, actual = _same(theirs, ours, wire, method, params)
    assert kind not in ("ok", "ParamValidationError"), actual


@pytest.mark.parametrize("params", [
    {"Bucket": "bad/name", "Key": "k"},
    {"Bucket": "bad name", "Key": "k", "Bogus": 1},
    {"Bucket": BUCKET, "Key": "k", "Metadata": {"ключ": "v"}},
    {"Bucket": BUCKET, "Key": "k", "Body": 3},
    {"Bucket": BUCKET},
    {"Bucket": BUCKET, "Key": "k", "Expires": "not a date"},
    {"Bucket": BUCKET, "Key": "k", "ContentLength": "3"},
])
def test_refused_inputs(params: dict[str, Any]) -> None:
    # Not compared: metadata whose value is no text (boto3's handler raises AttributeError,
    # the compat client botocore's validation message) and a HEAD's 301 without the
    # bucket's region (boto3 recurses until RecursionError; the compat client raises the
    # ClientError "301"): see test_deliberate_differences.
    """The same ParamValidationError, in botocore's words (S3's handlers run first)."""
    theirs, ours, wire, _ = _pair()
    wire.status, wire.headers, wire.body = 200, [], b""
    kind, _ = _same(theirs, ours, wire, "put_object", params)
    assert kind == "ParamValidationError"


@pytest.mark.parametrize("style", ["path", "virtual"])
@pytest.mark.parametrize("method, params", [
    ("get_object", {"Bucket": BUCKET, "Key": "dir/a b+c~ü.txt", "Range": "bytes=0-1", "VersionId": "v"}),
    ("put_object", {"Bucket": BUCKET, "Key": "k", "Body": "text ✓", "Metadata": {"a": "1", "B": "2"},
                    "SSECustomerAlgorithm": "AES256", "SSECustomerKey": "k" * 32, "Expires": 1700000000,
                    "ContentType": "text/plain", "Tagging": "a=b&c=d"}),
    ("copy_object", {"Bucket": BUCKET, "Key": "k", "CopySource": "src/a b?versionId=1",
                     "CopySourceSSECustomerKey": b"\x00" * 32, "CopySourceSSECustomerAlgorithm": "AES256"}),
    ("upload_part_copy", {"Bucket": BUCKET, "Key": "k", "CopySource": {"Bucket": "src", "Key": "x/y"},
                          "PartNumber": 1, "UploadId": "u"}),
    ("delete_objects", {"Bucket": BUCKET, "Delete": {"Objects": [{"Key": "a\nb\r"}, {"Key": "<&>"}],
                                                     "Quiet": True}}),
    ("put_bucket_acl", {"Bucket": BUCKET, "AccessControlPolicy": {
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "id"}, "Permission": "READ"}],
        "Owner": {"ID": "o"}}}),
    ("list_objects_v2", {"Bucket": BUCKET, "Prefix": "a/", "Delimiter": "/"}),
    ("create_bucket", {"Bucket": BUCKET, "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
    ("put_bucket_lifecycle_configuration", {"Bucket": BUCKET, "LifecycleConfiguration": {"Rules": [
        {"ID": "r\n1", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 3}}]}}),
])
def test_addressing_styles_and_handlers(style: str, method: str, params: dict[str, Any]) -> None:
    """Chosen inputs through S3's handlers, in both addressing styles: the same request."""
    theirs, ours, wire, _ = _pair(style)
    wire.status, wire.headers, wire.body = 200, [("x-amz-request-id", "REQ")], b""
    kind, _ = _same(theirs, ours, wire, method, params)
    assert kind == "ok"


@pytest.mark.parametrize("answer, expected", [
    (b"<LocationConstraint xmlns='http://s3.amazonaws.com/doc/2006-03-01/'>eu-west-1</LocationConstraint>",
     "eu-west-1"),
    (b"<LocationConstraint xmlns='http://s3.amazonaws.com/doc/2006-03-01/'/>", None),
])
def test_get_bucket_location(answer: bytes, expected: str | None) -> None:
    theirs, ours, wire, _ = _pair()
    wire.status, wire.headers, wire.body = 200, [("x-amz-request-id", "REQ")], answer
    kind, out = _same(theirs, ours, wire, "get_bucket_location", {"Bucket": BUCKET})
    assert kind == "ok" and out["LocationConstraint"] == expected


@pytest.mark.parametrize("method", ["list_objects", "list_objects_v2", "list_object_versions"])
@pytest.mark.parametrize("encoding", [None, "url"])
def test_listing_names_url_decoded(method: str, encoding: str | None) -> None:
    """EncodingType=url is sent unless the caller chose; the names come back decoded only
    then (botocore's set_list_objects_encoding_type_url and decode_list_object*)."""
    theirs, ours, wire, _ = _pair()
    item = "<Contents><Key>a%20b%2Bc</Key></Contents>" if method != "list_object_versions" else \
        "<Version><Key>a%20b%2Bc</Key></Version><DeleteMarker><Key>d+e</Key></DeleteMarker>"
    wire.status, wire.headers = 200, [("x-amz-request-id", "REQ")]
    wire.body = (f"<ListBucketResult><EncodingType>url</EncodingType><Prefix>p%2F</Prefix><Delimiter>%2F</Delimiter>"
                 f"<Marker>m%20</Marker><KeyMarker>k%20</KeyMarker>{item}"
                 f"<CommonPrefixes><Prefix>x%2Fy%2F</Prefix></CommonPrefixes></ListBucketResult>").encode()
    params = {"Bucket": BUCKET} if encoding is None else {"Bucket": BUCKET, "EncodingType": encoding}
    kind, out = _same(theirs, ours, wire, method, params)
    assert kind == "ok"


@pytest.mark.parametrize("expires", ["Thu, 01 Dec 1994 16:00:00 GMT", "not a date", "0"])
def test_expires_and_expires_string(expires: str) -> None:
    theirs, ours, wire, _ = _pair()
    wire.status, wire.body = 200, b""
    wire.headers = [("x-amz-request-id", "REQ"), ("Expires", expires), ("Content-Length", "4"),
                    ("Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT"), ("x-amz-meta-Color", "Blue")]
    kind, out = _same(theirs, ours, wire, "head_object", {"Bucket": BUCKET, "Key": "k"})
    assert kind == "ok" and out["ExpiresString"] == expires


def test_deliberate_differences() -> None:
    """Where boto3 crashes, the compat client raises what boto3 documents instead."""
    _, ours, wire, _ = _pair()
    wire.status, wire.headers, wire.body = 200, [], b""
    with pytest.raises(boto3_compat.ParamValidationError, match="Metadata.k"):
        ours.put_object(Bucket=BUCKET, Key="k", Metadata={"k": 1})
    wire.status, wire.headers = 301, [("x-amz-request-id", "REQ")]
    with pytest.raises(boto3_compat.ClientError) as info:
        ours.head_object(Bucket=BUCKET, Key="k")
    assert info.value.response["Error"] == {"Code": "301", "Message": "Moved Permanently"}


# ----- generate_presigned_url -------------------------------------------------------------

_NOW = 1767323045.0  # a frozen clock for both clients (2026-01-02T03:04:05Z)


def _presigned(client: Any, method: str, params: dict[str, Any], **kwargs: Any) -> str:
    from unittest import mock

    frozen = dt.datetime.fromtimestamp(_NOW, dt.timezone.utc).replace(tzinfo=None)
    with mock.patch("time.time", return_value=_NOW), \
            mock.patch("botocore.auth.get_current_datetime", return_value=frozen):
        return str(client.generate_presigned_url(method, Params=params, **kwargs))


def _url_parts(url: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    """A URL with its query as sorted pairs: the compat client writes query parameters in
    the model's order, boto3 in the caller's (the signatures sign them sorted, so each URL
    is valid; compared as written where the order is one)."""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query, keep_blank_values=True))


@pytest.mark.parametrize("service, region, config, method, params, kwargs", [
    # boto3's default for S3 in a region that takes it: signature version 2
    ("s3", "us-west-2", {}, "get_object", {"Bucket": BUCKET, "Key": "a b/ü+c~"}, {}),
    ("s3", "us-east-1", {}, "get_object", {"Bucket": BUCKET, "Key": "k", "VersionId": "v 1",
                                           "ResponseContentType": "text/plain"}, {"ExpiresIn": 60}),
    ("s3", "us-west-2", {"s3": {"addressing_style": "path"}}, "put_object",
     {"Bucket": BUCKET, "Key": "k", "ContentType": "text/plain", "Metadata": {"a": "b"}}, {}),
    ("s3", "us-west-2", {"s3": {"addressing_style": "virtual"}}, "get_object", {"Bucket": BUCKET, "Key": "k"}, {}),
    ("s3", "us-west-2", {}, "list_objects", {"Bucket": BUCKET}, {}),
    ("s3", "us-west-2", {}, "get_object", {"Bucket": "dots.in.name", "Key": "k"}, {"HttpMethod": "HEAD"}),
    ("s3", "eu-west-1", {}, "upload_part", {"Bucket": BUCKET, "Key": "k", "PartNumber": 2, "UploadId": "u"}, {}),
    # SigV4: asked for in code, or a region that takes nothing else
    ("s3", "us-west-2", {"signature_version": "s3v4"}, "get_object", {"Bucket": BUCKET, "Key": "a b"}, {}),
    ("s3", "eu-central-1", {}, "put_object", {"Bucket": BUCKET, "Key": "k", "ContentType": "text/plain"}, {}),
    ("s3", "eu-central-1", {"s3": {"addressing_style": "path"}}, "get_object", {"Bucket": BUCKET, "Key": "k"},
     {"ExpiresIn": 7}),
    # other protocols: a JSON body's members and a form body go into the query
    ("dynamodb", "us-west-2", {}, "describe_table", {"TableName": "t"}, {}),
    ("dynamodb", "us-west-2", {}, "list_tables", {}, {}),
    ("sts", "us-east-1", {}, "get_caller_identity", {}, {}),
])
def test_presigned_url(service: str, region: str, config: dict[str, Any], method: str, params: dict[str, Any],
                       kwargs: dict[str, Any]) -> None:
    """The same URL as boto3's, character for character, under the same credentials and
    frozen clock."""
    _pair()  # the S3 package on the path
    keys = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": region}
    theirs = boto3.client(service, config=botocore.config.Config(**config), **keys)
    ours = boto3_compat.client(service, config=config, **keys)
    expected, actual = _presigned(theirs, method, dict(params), **kwargs), _presigned(ours, method, dict(params), **kwargs)
    assert _url_parts(actual) == _url_parts(expected)
    if len(params) <= 2:  # a single query parameter at most: the very same text
        assert actual == expected


def test_presigned_url_session_token_and_errors() -> None:
    _pair()
    keys = {"aws_access_key_id": "AKID", "aws_secret_access_key": "s", "aws_session_token": "tok/en=",
            "region_name": "us-west-2"}
    theirs, ours = boto3.client("s3", **keys), boto3_compat.client("s3", **keys)
    for params in ({"Bucket": BUCKET, "Key": "k"}, {"Bucket": BUCKET, "Key": "k", "SSECustomerKey": "x" * 32,
                                                    "SSECustomerAlgorithm": "AES256"}):
        assert _url_parts(_presigned(ours, "get_object", params)) == _url_parts(_presigned(theirs, "get_object", params))
    with pytest.raises(botocore.exceptions.UnknownClientMethodError):
        ours.generate_presigned_url("no_such_method")
    with pytest.raises(botocore.exceptions.ParamValidationError) as info:
        ours.generate_presigned_url("get_object", Params={"Bucket": "bad/name", "Key": "k"})
    with pytest.raises(botocore.exceptions.ParamValidationError) as expected:
        theirs.generate_presigned_url("get_object", Params={"Bucket": "bad/name", "Key": "k"})
    assert str(info.value) == str(expected.value)


def test_sigv2_regions_are_botocores() -> None:
    """The table of regions presigned with signature version 2 is botocore's endpoints.json's."""
    import json
    from pathlib import Path

    from awsgen_runtime.boto3_compat._presign import SIGV2_REGIONS

    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    found = set()
    for partition in data["partitions"]:
        s3 = partition["services"].get("s3", {})
        default = s3.get("defaults", {}).get("signatureVersions") or []
        for region, endpoint in s3.get("endpoints", {}).items():
            if "s3" in (endpoint.get("signatureVersions") or default):
                found.add(region)
    assert found == SIGV2_REGIONS


@pytest.mark.parametrize("headers", [
    [("x-amz-checksum-crc32", "NhCmhg==")],  # crc32 of b"hello": checked, named in ResponseMetadata
    [("x-amz-checksum-sha256", "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")],
    [("x-amz-checksum-crc32", "AAAAAA==-2")],  # a composite checksum: not checked
    [],
])
def test_response_checksum_metadata(headers: list[tuple[str, str]]) -> None:
    theirs, ours, wire, _ = _pair()
    wire.status, wire.body = 200, b"hello"
    wire.headers = [("x-amz-request-id", "REQ"), ("Content-Length", "5"), *headers]
    kind, out = _same(theirs, ours, wire, "get_object", {"Bucket": BUCKET, "Key": "k"})
    assert kind == "ok"


class _Answers(_Wire):
    """Answers given in turn (the last one again when they run out), to both clients."""

    def __init__(self, answers: list[tuple[int, list[tuple[str, str]], bytes]]) -> None:
        super().__init__()
        self.answers = answers
        self.turn = {"boto3": 0, "compat": 0}

    def _next(self, who: str) -> None:
        i = min(self.turn[who], len(self.answers) - 1)
        self.turn[who] += 1
        self.status, self.headers, self.body = self.answers[i]

    def boto3_send(self, request: Any, **kwargs: Any) -> Any:
        self._next("boto3")
        return super().boto3_send(request, **kwargs)

    def send(self, request: Any, *, stream: bool = False) -> Any:
        self._next("compat")
        return super().send(request, stream=stream)


_MOVED = (b"<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be "
          b"addressed using the specified endpoint.</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint>"
          b"<Bucket>" + BUCKET.encode() + b"</Bucket></Error>")


@pytest.mark.parametrize("first", [
    (301, [("x-amz-bucket-region", "eu-west-1"), ("x-amz-request-id", "R1")], _MOVED),
    (400, [("x-amz-bucket-region", "eu-west-1"), ("x-amz-request-id", "R1")],
     b"<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-west-2' is wrong; expecting "
     b"'eu-west-1'</Message><Region>eu-west-1</Region></Error>"),
    (301, [("x-amz-bucket-region", "eu-west-1"), ("x-amz-request-id", "R1")], b""),  # a HEAD's: no body
    # Not compared: a 301 without x-amz-bucket-region, where botocore asks HeadBucket for the
    # region (the runtime follows the header only; README).
])
def test_wrong_region_redirect(first: tuple[int, list[tuple[str, str]], bytes]) -> None:
    """A bucket in another region: both send the call again there, once, and remember it."""
    _pair()  # the S3 package on the path
    answers = [first, (200, [("x-amz-request-id", "R2")], b"")]
    wire = _Answers(answers)
    config: dict[str, Any] = {"retries": {"total_max_attempts": 1, "mode": "standard"}}
    ours = boto3_compat.client("s3", config=config, **KEYS)
    ours._core._transport_given = wire
    theirs = boto3.client("s3", config=botocore.config.Config(**config), **KEYS)
    theirs.meta.events.register("before-send", wire.boto3_send)
    method = "head_object" if not first[2] else "get_object"
    for _ in range(2):  # the second call goes to the bucket's region at once
        wire.sent.clear()
        e_kind, expected = _call(theirs, method, {"Bucket": BUCKET, "Key": "k"})
        boto_sent = list(wire.sent)
        wire.sent.clear()
        a_kind, actual = _call(ours, method, {"Bucket": BUCKET, "Key": "k"})
        assert a_kind == e_kind, (expected, actual)
        assert [_request(s)["host"] for s in wire.sent] == [_request(s)["host"] for s in boto_sent]
        if e_kind == "ok":
            assert _plain(actual) == _plain(expected)
        else:
            assert str(actual) == str(expected)
            assert _plain(actual.response) == _plain(expected.response)
