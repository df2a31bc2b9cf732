"""Flexible checksums (S3's httpChecksum trait) against botocore 1.43.67: the algorithms,
the aws-chunked encoding, the headers each request gets, and answers checked as read."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from awsgen_runtime import checksums
from awsgen_runtime.errors import ChecksumMismatchError, ParamValidationError
from tests.differential.harness import Capture, botocore_sends, ensure_packages, load_package

KEY = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


# ----- algorithms --------------------------------------------------------------------
@pytest.mark.parametrize("algorithm, check", [
    ("crc32", 0xCBF43926), ("crc32c", 0xE3069283), ("crc64nvme", 0xAE8B14860A799888),
])
def test_crc_check_values(algorithm: str, check: int) -> None:
    """The catalogue's check value: the CRC of b"123456789"."""
    h = checksums.new(algorithm)
    h.update(b"1234")
    h.update(b"56789")
    assert int.from_bytes(h.digest(), "big") == check


@settings(max_examples=50)
@given(st.binary(max_size=3000), st.sampled_from(["crc32", "sha1", "sha256", "sha512"]))
def test_same_checksums_as_botocore(data: bytes, algorithm: str) -> None:
    from botocore.httpchecksum import _CHECKSUM_CLS

    theirs = _CHECKSUM_CLS[algorithm]()
    theirs.update(data)
    assert checksums.of(algorithm, data) == theirs.b64digest()


def test_unsupported_algorithm_is_a_parameter_error() -> None:
    with pytest.raises(ParamValidationError, match="unsupported checksum algorithm 'md4'"):
        checksums.new("md4")


@pytest.mark.parametrize("size", [0, 1, 5, (1 << 20) - 1, 1 << 20, (1 << 20) + 7, 3 * (1 << 20) + 11])
@pytest.mark.parametrize("read_size", [None, 1000, 1 << 16])
def test_aws_chunked_is_botocores_encoding(size: int, read_size: int | None) -> None:
    from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum

    data = bytes(i % 251 for i in range(size))
    ours = checksums.AwsChunked(io.BytesIO(data), "crc32")
    theirs = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum, checksum_name="x-amz-checksum-crc32")

    def drain(stream: Any) -> bytes:
        if read_size is None:
            return stream.read()
        out = b""
        while chunk := stream.read(read_size):
            out += chunk
        return out

    expected = drain(theirs)
    assert drain(ours) == expected
    ours.seek(0)  # a retry reads it all again
    assert drain(ours) == expected


# ----- requests ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def s3pkg() -> Any:
    return load_package(ensure_packages(["s3"]), "s3")


_CHECKSUM_HEADERS = ("x-amz-sdk-checksum-algorithm", "content-encoding", "x-amz-trailer", "transfer-encoding",
                     "x-amz-decoded-content-length", "x-amz-content-sha256", "content-md5", "x-amz-checksum-mode")


def _relevant(headers: Any) -> dict[str, str]:
    out = {}
    for k, v in headers.items():
        k = k.lower()
        if k in _CHECKSUM_HEADERS or k.startswith("x-amz-checksum-"):
            out[k] = v.decode() if isinstance(v, bytes) else v
    return out


def _body(body: Any) -> bytes:
    if hasattr(body, "read"):
        return body.read()
    return bytes(body or b"")


def _boto3_request(endpoint: str, op: str, **params: Any) -> tuple[dict[str, str], bytes]:
    import boto3
    from botocore.config import Config as BotoConfig

    client = boto3.session.Session().client("s3", region_name="eu-west-1", endpoint_url=endpoint,
                                            config=BotoConfig(s3={"addressing_style": "path"}), **KEY)
    request = botocore_sends(client, op, **params)
    return _relevant(request.headers), _body(request.body)


def _our_request(pkg: Any, endpoint: str, op: str, **params: Any) -> tuple[dict[str, str], bytes]:
    from botocore import xform_name

    from awsgen_runtime.client import Config

    capture = Capture()
    capture.status, capture.body = 200, b""
    client = pkg.Client(region="eu-west-1", endpoint_url=endpoint, transport=capture,
                        config=Config(max_attempts=1, s3={"addressing_style": "path"}), **KEY)
    conv = {k: (pkg.shapes.Delete(objects=[pkg.shapes.ObjectIdentifier(key=o["Key"]) for o in v["Objects"]])
                if k == "Delete" else v) for k, v in params.items()}
    try:
        getattr(client, op)(**{xform_name(k): v for k, v in conv.items()})
    except Exception:  # the canned empty answer need not parse
        pass
    sent = capture.requests[0]
    return _relevant(sent.headers), sent.body


CASES = [
    ("put_object", {"Bucket": "bkt", "Key": "k", "Body": b"hello world"}),
    ("put_object", {"Bucket": "bkt", "Key": "k", "Body": b""}),
    ("put_object", {"Bucket": "bkt", "Key": "k", "Body": b"x" * 3_000_000, "ChecksumAlgorithm": "SHA256"}),
    ("put_object", {"Bucket": "bkt", "Key": "k", "Body": b"given", "ChecksumCRC32": "AAAAAA=="}),
    ("put_object", {"Bucket": "bkt", "Key": "k", "Body": b"hello", "ContentEncoding": "gzip"}),
    ("upload_part", {"Bucket": "bkt", "Key": "k", "UploadId": "u", "PartNumber": 1, "Body": b"part"}),
    ("delete_objects", {"Bucket": "bkt", "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}]}}),
    ("delete_objects", {"Bucket": "bkt", "Delete": {"Objects": [{"Key": "a"}]}, "ChecksumAlgorithm": "SHA1"}),
    ("get_object", {"Bucket": "bkt", "Key": "k"}),
    ("get_object", {"Bucket": "bkt", "Key": "k", "ChecksumMode": "ENABLED"}),
]


@pytest.mark.parametrize("endpoint", ["https://s3.example.com", "http://127.0.0.1:9"], ids=["https", "http"])
@pytest.mark.parametrize("op, params", CASES, ids=[f"{o}-{i}" for i, (o, _) in enumerate(CASES)])
def test_request_checksums_match_boto3(s3pkg: Any, endpoint: str, op: str, params: dict[str, Any]) -> None:
    theirs_headers, theirs_body = _boto3_request(endpoint, op, **params)
    ours_headers, ours_body = _our_request(s3pkg, endpoint, op, **params)
    if theirs_headers.get("x-amz-content-sha256") not in ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", None):
        assert ours_headers.get("x-amz-content-sha256")  # both hash the payload; values differ for XML bodies
        theirs_headers.pop("x-amz-content-sha256"), ours_headers.pop("x-amz-content-sha256")
    assert ours_headers == theirs_headers
    if "x-amz-trailer" in ours_headers or params.get("Body") is not None:
        assert ours_body == theirs_body


def test_file_bodies_over_https_are_aws_chunked_and_rewound(s3pkg: Any, tmp_path: Any) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc" * 500_000)
    with open(path, "rb") as f:
        f.seek(3)
        theirs = _boto3_request("https://s3.example.com", "put_object", Bucket="bkt", Key="k", Body=f)
    with open(path, "rb") as f:
        f.seek(3)
        ours = _our_request(s3pkg, "https://s3.example.com", "put_object", Bucket="bkt", Key="k", Body=f)
    assert ours == theirs
    assert ours[0]["x-amz-decoded-content-length"] == str(1_500_000 - 3)


def test_when_required_sends_checksums_only_where_required(s3pkg: Any) -> None:
    from awsgen_runtime.client import Config

    capture = Capture()
    capture.body = b""
    client = s3pkg.Client(region="eu-west-1", transport=capture, **KEY,
                          config=Config(max_attempts=1, request_checksum_calculation="when_required",
                                        response_checksum_validation="when_required"))
    for call in (lambda: client.put_object(bucket="bkt", key="k", body=b"x"),
                 lambda: client.get_object(bucket="bkt", key="k"),
                 lambda: client.delete_objects(bucket="bkt", delete=s3pkg.shapes.Delete(objects=[]))):
        try:
            call()
        except Exception:
            pass
    put, get, delete = (_relevant(r.headers) for r in capture.requests)
    assert not any(k.startswith("x-amz-checksum") for k in put) and "x-amz-checksum-mode" not in get
    assert "x-amz-checksum-crc32" in delete  # DeleteObjects requires one
    with pytest.raises(ValueError, match="request_checksum_calculation"):
        Config(request_checksum_calculation="always")


# ----- answers -------------------------------------------------------------------------
def _crc32(data: bytes) -> str:
    return checksums.of("crc32", data)


@pytest.fixture
def s3_local(s3pkg: Any, server: Any) -> Any:
    from awsgen_runtime.client import Config

    return s3pkg.Client(region="us-east-1", endpoint_url=server.url, config=Config(s3={"addressing_style": "path"},
                                                                                  max_attempts=1), **KEY)


def test_a_streamed_answer_is_checked_at_its_end(s3_local: Any, server: Any) -> None:
    data = b"payload " * 10_000
    server.reply(200, data, {"Content-Type": "binary/octet-stream", "x-amz-checksum-crc32": _crc32(data)})
    got = s3_local.get_object(bucket="bkt", key="k")
    assert server.last.headers.get("x-amz-checksum-mode") == "ENABLED"
    with got.body as body:
        assert b"".join(iter(lambda: body.read(4096), b"")) == data


def test_a_damaged_answer_raises_when_read(s3_local: Any, server: Any) -> None:
    data = b"payload " * 10_000
    server.reply(200, data[:-1] + b"X", {"x-amz-checksum-crc32": _crc32(data)})
    got = s3_local.get_object(bucket="bkt", key="k")
    with pytest.raises(ChecksumMismatchError, match="CRC32"):
        got.body.read()


def test_boto3_agrees_on_a_damaged_answer(server: Any) -> None:
    import boto3
    from botocore.config import Config as BotoConfig
    from botocore.exceptions import FlexibleChecksumError

    data = b"payload " * 100
    server.reply(200, data[:-1] + b"X", {"x-amz-checksum-crc32": _crc32(data)})
    client = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=server.url,
                                            config=BotoConfig(s3={"addressing_style": "path"}), **KEY)
    with pytest.raises(FlexibleChecksumError):
        client.get_object(Bucket="bkt", Key="k")["Body"].read()


@pytest.mark.parametrize("headers", [
    {"x-amz-checksum-crc32": "AAAAAA==-3"},  # composite (multipart): not checkable
    {},
    {"x-amz-checksum-sha256": base64.b64encode(b"\0" * 32).decode(), "x-amz-checksum-crc32": "PLACEHOLDER"},
])
def test_what_is_checked_follows_botocores_priority(s3_local: Any, server: Any, headers: dict[str, str]) -> None:
    data = b"abc"
    if headers.get("x-amz-checksum-crc32") == "PLACEHOLDER":
        headers["x-amz-checksum-crc32"] = _crc32(data)  # crc32 comes before sha256: this one is checked
    server.reply(200, data, headers)
    assert s3_local.get_object(bucket="bkt", key="k").body.read() == data


def test_anonymous_trailer_uploads_say_so_as_boto3(s3pkg: Any) -> None:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    boto = boto3.session.Session().client("s3", region_name="eu-west-1", config=BotoConfig(signature_version=UNSIGNED))
    theirs = botocore_sends(boto, "put_object", Bucket="bkt", Key="k", Body=b"data")
    capture = Capture()
    capture.body = b""
    ours = s3pkg.Client(region="eu-west-1", anonymous=True, transport=capture, config=Config(max_attempts=1))
    try:
        ours.put_object(bucket="bkt", key="k", body=b"data")
    except Exception:
        pass
    assert _relevant(capture.requests[0].headers) == _relevant(theirs.headers)
    assert _relevant(theirs.headers)["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
