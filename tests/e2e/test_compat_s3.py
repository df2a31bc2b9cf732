"""The boto3-compatible S3 client against moto: one flow run with boto3 and with
``boto3_compat``, moto reset in between, results compared step by step (values moto makes
up per call, such as upload ids and dates, by type only): buckets, objects as bytes, text
and files, metadata, ranges, HEAD, listings v1 and v2 with keys that need URL encoding,
copies, a multipart upload, tagging, presigned URLs fetched, deletes, and errors
(NoSuchKey, NoSuchBucket, a HEAD's bodiless 404, BucketNotEmpty, validation)."""

from __future__ import annotations

import io
import urllib.request
from typing import Any, Callable

import boto3
import botocore.config

from awsgen_runtime import boto3_compat
from tests.e2e.test_query_and_xml_services import KEY, REGION, SECRET, packages  # noqa: F401

BUCKET = "compat-e2e"
PART = b"p" * (5 * 1024 * 1024)  # S3's smallest part but the last
VOLATILE = frozenset({"LastModified", "UploadId", "Initiated", "CreationDate", "Expiration",
                      "RequestCharged", "ServerSideEncryption"})


def _shape(value: Any) -> Any:
    """A result with per-call values replaced by their type; streams by their bytes."""
    if isinstance(value, dict):
        return {k: _meta(v) if k == "ResponseMetadata" else type(v).__name__ if k in VOLATILE else _shape(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if hasattr(value, "read"):
        return ("stream", value.read())
    return value


def _meta(meta: dict[str, Any]) -> Any:
    """ResponseMetadata without moto's per-call ids and dates: its keys, status, retries
    and header names."""
    return (sorted(meta), meta.get("HTTPStatusCode"), meta.get("RetryAttempts"),
            sorted(set(meta.get("HTTPHeaders", {})) - {"date", "x-amz-request-id", "x-amz-id-2"}))


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _flow(s3: Any) -> list[Any]:
    keys = ["plain.txt", "dir/a b+c.txt", "dir/sub/ü é.bin", "dir/~tilde&amp;.txt"]
    steps: list[Callable[[], Any]] = [
        lambda: s3.create_bucket(Bucket=BUCKET),
        lambda: s3.head_bucket(Bucket=BUCKET),
        lambda: s3.get_bucket_location(Bucket=BUCKET),
        lambda: s3.put_object(Bucket=BUCKET, Key=keys[0], Body=b"hello world", ContentType="text/plain",
                              Metadata={"color": "blue", "Size": "M"}),
        lambda: s3.put_object(Bucket=BUCKET, Key=keys[1], Body="text ✓"),
        lambda: s3.put_object(Bucket=BUCKET, Key=keys[2], Body=io.BytesIO(b"\x00\x01" * 1000)),
        lambda: s3.put_object(Bucket=BUCKET, Key=keys[3], Body=b""),
        lambda: s3.get_object(Bucket=BUCKET, Key=keys[0]),
        lambda: s3.get_object(Bucket=BUCKET, Key=keys[2], Range="bytes=1-4"),
        lambda: s3.head_object(Bucket=BUCKET, Key=keys[0]),
        lambda: s3.list_objects(Bucket=BUCKET),
        lambda: s3.list_objects(Bucket=BUCKET, Prefix="dir/", Delimiter="/"),
        lambda: s3.list_objects_v2(Bucket=BUCKET, Prefix="dir/"),
        lambda: s3.list_objects_v2(Bucket=BUCKET, MaxKeys=2, EncodingType="url"),
        lambda: s3.copy_object(Bucket=BUCKET, Key="copy-1", CopySource={"Bucket": BUCKET, "Key": keys[1]}),
        lambda: s3.copy_object(Bucket=BUCKET, Key="copy-2", CopySource=f"{BUCKET}/{keys[2]}",
                               MetadataDirective="REPLACE", Metadata={"k": "v"}),
        lambda: s3.get_object(Bucket=BUCKET, Key="copy-2"),
        lambda: s3.put_object_tagging(Bucket=BUCKET, Key=keys[0], Tagging={"TagSet": [{"Key": "a", "Value": "1"}]}),
        lambda: s3.get_object_tagging(Bucket=BUCKET, Key=keys[0]),
        lambda: s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "team", "Value": "x<y"}]}),
        lambda: s3.get_bucket_tagging(Bucket=BUCKET),
        lambda: s3.get_object(Bucket=BUCKET, Key="missing"),
        lambda: s3.head_object(Bucket=BUCKET, Key="missing"),
        lambda: s3.list_objects_v2(Bucket="no-such-bucket-here"),
        lambda: s3.head_bucket(Bucket="no-such-bucket-here"),
        lambda: s3.delete_bucket(Bucket=BUCKET),
        lambda: s3.put_object(Bucket="bad/bucket", Key="k"),
        lambda: s3.put_object(Bucket=BUCKET, Key="k", Body=3),
        lambda: _fetch(s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": keys[1]})),
        lambda: _fetch(s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "missing"})),
        lambda: s3.delete_object(Bucket=BUCKET, Key=keys[3]),
        lambda: s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys[:3]] + [
            {"Key": "copy-1"}, {"Key": "copy-2"}]}),
        lambda: s3.list_objects_v2(Bucket=BUCKET),
    ]
    out: list[Any] = []
    for step in steps:
        out.append(_outcome(step))
    out += _multipart(s3)
    out.append(_outcome(lambda: s3.delete_object(Bucket=BUCKET, Key="big")))
    out.append(_outcome(lambda: s3.delete_bucket(Bucket=BUCKET)))
    return out


def _outcome(step: Callable[[], Any]) -> Any:
    try:
        return ("ok", _shape(step()))
    except Exception as exc:  # noqa: BLE001 - compared: class, message, response
        response = getattr(exc, "response", None)
        return (type(exc).__name__, str(exc), _shape(response))


def _multipart(s3: Any) -> list[Any]:
    started = s3.create_multipart_upload(Bucket=BUCKET, Key="big", ContentType="application/octet-stream")
    upload = started["UploadId"]
    out = [("ok", _shape(started))]
    etags = []
    for number, body in ((1, PART), (2, b"tail")):
        part = s3.upload_part(Bucket=BUCKET, Key="big", PartNumber=number, UploadId=upload, Body=body)
        etags.append(part["ETag"])
        out.append(("ok", _shape(part)))
    out.append(_outcome(lambda: s3.list_parts(Bucket=BUCKET, Key="big", UploadId=upload)))
    out.append(_outcome(lambda: s3.list_multipart_uploads(Bucket=BUCKET)))
    out.append(_outcome(lambda: s3.complete_multipart_upload(
        Bucket=BUCKET, Key="big", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})))
    out.append(_outcome(lambda: s3.head_object(Bucket=BUCKET, Key="big")))
    out.append(_outcome(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="big", UploadId="no-such-upload",
                                                              MultipartUpload={"Parts": []})))
    return out


def test_same_flow_as_boto3(packages: Any, moto_url: str, reset: Callable[[], None]) -> None:  # noqa: F811
    kwargs = {"region_name": REGION, "endpoint_url": moto_url, "aws_access_key_id": KEY,
              "aws_secret_access_key": SECRET}
    config = {"s3": {"addressing_style": "path"}, "retries": {"mode": "standard", "total_max_attempts": 2}}
    theirs = _flow(boto3.client("s3", config=botocore.config.Config(**config), **kwargs))
    reset()
    ours = _flow(boto3_compat.client("s3", config=config, **kwargs))
    assert len(ours) == len(theirs)
    for i, (expected, actual) in enumerate(zip(theirs, ours)):
        assert actual == expected, f"step {i}"
    kinds = [step[0] for step in theirs]
    assert kinds.count("ok") >= 30
    assert {"NoSuchKey", "ClientError", "NoSuchBucket", "ParamValidationError"} <= set(kinds)
    assert theirs[28] == ("ok", (200, "text ✓".encode()))  # the presigned URL was fetched



def _transfers(s3: Any, folder: Any, config: Any) -> list[Any]:
    """upload_file / upload_fileobj / download_file / download_fileobj through one client."""
    small, large = folder / "small.bin", folder / "large.bin"
    small.write_bytes(b"s" * 1000)
    large.write_bytes(bytes(range(256)) * (12 * 4096))  # 12 MiB: three 5 MiB parts (the last shorter)
    counted: list[int] = []
    steps: list[Callable[[], Any]] = [
        lambda: s3.create_bucket(Bucket=BUCKET),
        lambda: s3.upload_file(str(small), BUCKET, "small", ExtraArgs={"ContentType": "text/x", "Metadata": {"a": "1"}},
                               Callback=counted.append),
        lambda: s3.upload_file(large, BUCKET, "large", Callback=counted.append, Config=config),
        lambda: s3.upload_fileobj(io.BytesIO(b"f" * 6_000_000), BUCKET, "fileobj", Config=config),
        lambda: sum(counted),
        lambda: s3.head_object(Bucket=BUCKET, Key="small"),
        lambda: s3.head_object(Bucket=BUCKET, Key="large"),
        lambda: s3.head_object(Bucket=BUCKET, Key="fileobj"),
        lambda: s3.download_file(BUCKET, "large", str(folder / "large.out"), Config=config),
        lambda: (folder / "large.out").read_bytes() == large.read_bytes(),
        lambda: _into(s3, "fileobj"),
        lambda: s3.download_file(BUCKET, "missing", str(folder / "missing.out")),
        lambda: (folder / "missing.out").exists(),
        lambda: s3.upload_file(str(small), "no-such-bucket-here", "k"),
        lambda: s3.upload_file(str(small), BUCKET, "k", ExtraArgs={"Bogus": 1}),
        lambda: s3.upload_file(3, BUCKET, "k"),
    ]
    out = []
    for step in steps:
        result = _outcome(step)
        if result[0] == "ValueError":
            result = result[:1]  # its text lists the names each takes (the compat client: every member's)
        out.append(result)
    return out


def _into(s3: Any, key: str) -> int:
    buffer = io.BytesIO()
    s3.download_fileobj(BUCKET, key, buffer)
    return len(buffer.getvalue())


def test_managed_transfers_as_boto3(packages: Any, moto_url: str, reset: Callable[[], None],  # noqa: F811
                                    tmp_path: Any) -> None:
    """The same transfers with boto3 (s3transfer) and the compat client (the runtime's
    transfer module), given boto3's own TransferConfig: the same objects (ETags of the
    same parts), callbacks summing to the sizes, and boto3's errors (ClientError for a
    download, S3UploadFailedError for an upload, ValueError for refused arguments)."""
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024,
                            max_concurrency=4)
    kwargs = {"region_name": REGION, "endpoint_url": moto_url, "aws_access_key_id": KEY,
              "aws_secret_access_key": SECRET}
    style = {"s3": {"addressing_style": "path"}}
    (tmp_path / "theirs").mkdir()
    (tmp_path / "ours").mkdir()
    theirs = _transfers(boto3.client("s3", config=botocore.config.Config(**style), **kwargs), tmp_path / "theirs",
                        config)
    reset()
    ours = _transfers(boto3_compat.client("s3", config=style, **kwargs), tmp_path / "ours", config)
    for i, (expected, actual) in enumerate(zip(theirs, ours)):
        if len(expected) == 3 and "Failed to upload" in str(expected[1]):  # paths differ by folder
            expected = (expected[0], expected[1].replace("/theirs/", "/"), expected[2])
            actual = (actual[0], actual[1].replace("/ours/", "/"), actual[2])
        assert actual == expected, f"step {i}"
    assert theirs[4] == ("ok", 1000 + 12 * 1024 * 1024)
    assert [step[0] for step in theirs[11:]] == ["ClientError", "ok", "S3UploadFailedError", "ValueError",
                                                 "ValueError"]
