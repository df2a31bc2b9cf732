"""Presigned URLs: ``client.presign_<operation>(..., expires_in=...)`` equals botocore's
``generate_presigned_url`` for the same clock and credentials (URL, query and signature),
for S3 (its query-signing variant) and for a query-protocol service (STS)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from awsgen_runtime.errors import ParamValidationError
from tests.differential.harness import ensure_packages, load_package

NOW = dt.datetime(2026, 12, 5, 6, 0, 0, tzinfo=dt.timezone.utc)
CREDS = [{"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
         {"aws_access_key_id": "ASIAEXAMPLE", "aws_secret_access_key": "secret", "aws_session_token": "tok/en+=="}]


@pytest.fixture(scope="module")
def pkgs() -> dict[str, Any]:
    root = ensure_packages(["s3", "sts"])
    return {s: load_package(root, s) for s in ("s3", "sts")}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.auth

    from awsgen_runtime import sigv4

    monkeypatch.setattr(sigv4, "_amz_date_now", lambda: NOW.strftime("%Y%m%dT%H%M%SZ"))
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: NOW.replace(tzinfo=None))
    import botocore.signers

    if hasattr(botocore.signers, "get_current_datetime"):
        monkeypatch.setattr(botocore.signers, "get_current_datetime", lambda *a, **k: NOW.replace(tzinfo=None))


def _parts(url: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    u = urlsplit(url)
    return u.scheme, u.netloc, u.path, sorted(parse_qsl(u.query, keep_blank_values=True))


def _boto3(service: str, region: str, creds: dict[str, str], s3: dict[str, Any] | None = None) -> Any:
    import boto3
    from botocore.config import Config as BotoConfig

    # boto3 presigns S3 with SigV2 unless told s3v4 (SigV2 is refused by buckets made since
    # 2020 and by every region opened since 2014); the generated client always uses SigV4.
    version = "s3v4" if service == "s3" else None
    return boto3.session.Session().client(service, region_name=region,
                                          config=BotoConfig(s3=s3, signature_version=version), **creds)


def _ours(pkg: Any, region: str, creds: dict[str, str], s3: dict[str, Any] | None = None) -> Any:
    from awsgen_runtime.client import Config

    return pkg.Client(region=region, config=Config(s3=s3), **creds)


S3_CASES = [
    ("get_object", {"Bucket": "my-bucket", "Key": "dir/a key+ü.txt"}),
    ("get_object", {"Bucket": "my-bucket", "Key": "k", "ResponseContentType": "text/csv", "VersionId": "v1"}),
    ("put_object", {"Bucket": "my-bucket", "Key": "up/load.bin", "ContentType": "application/octet-stream"}),
    ("list_objects_v2", {"Bucket": "my-bucket", "Prefix": "logs/"}),
    ("head_object", {"Bucket": "Not_DNS.Compatible", "Key": "k"}),
    ("delete_object", {"Bucket": "my-bucket", "Key": "gone"}),
]


@pytest.mark.parametrize("creds", CREDS, ids=["keys", "session"])
@pytest.mark.parametrize("region, s3", [("us-east-1", None), ("eu-west-1", None),
                                        ("eu-west-1", {"addressing_style": "path"})], ids=["global", "eu", "path"])
@pytest.mark.parametrize("op, params", S3_CASES, ids=[f"{o}-{i}" for i, (o, _) in enumerate(S3_CASES)])
def test_s3_presigned_url_equals_botocores(pkgs: dict[str, Any], creds: dict[str, str], region: str, s3: Any,
                                           op: str, params: dict[str, Any]) -> None:
    from botocore import xform_name

    theirs = _boto3("s3", region, creds, s3).generate_presigned_url(op, Params=params, ExpiresIn=900)
    ours = getattr(_ours(pkgs["s3"], region, creds, s3), f"presign_{op}")(
        **{xform_name(k): v for k, v in params.items()}, expires_in=900)
    assert _parts(ours) == _parts(theirs)


@pytest.mark.parametrize("creds", CREDS, ids=["keys", "session"])
def test_query_protocol_moves_the_form_into_the_url(pkgs: dict[str, Any], creds: dict[str, str]) -> None:
    theirs = _boto3("sts", "eu-west-1", creds).generate_presigned_url("get_caller_identity", ExpiresIn=60)
    ours = _ours(pkgs["sts"], "eu-west-1", creds).presign_get_caller_identity(expires_in=60)
    assert _parts(ours) == _parts(theirs)
    assert ("Action", "GetCallerIdentity") in _parts(ours)[3]


@pytest.mark.parametrize("expires", [0, -5, 604801])
def test_expiry_bounds(pkgs: dict[str, Any], expires: int) -> None:
    client = _ours(pkgs["s3"], "eu-west-1", CREDS[0])
    with pytest.raises(ParamValidationError, match="expires_in"):
        client.presign_get_object(bucket="b", key="k", expires_in=expires)
    assert "X-Amz-Expires=604800" in client.presign_get_object(bucket="b", key="k", expires_in=604800)


def test_anonymous_clients_cannot_presign(pkgs: dict[str, Any]) -> None:
    client = pkgs["s3"].Client(region="eu-west-1", anonymous=True)
    with pytest.raises(ParamValidationError, match="needs credentials"):
        client.presign_get_object(bucket="b", key="k")


def test_a_request_with_a_body_cannot_be_presigned(pkgs: dict[str, Any]) -> None:
    client = _ours(pkgs["s3"], "eu-west-1", CREDS[0])
    with pytest.raises(ParamValidationError, match="body"):
        client.presign_put_bucket_tagging(bucket="b", tagging=pkgs["s3"].shapes.Tagging(tag_set=[]))


@pytest.mark.parametrize("creds", CREDS, ids=["keys", "session"])
@pytest.mark.parametrize("region, s3", [("us-east-1", None), ("eu-west-1", None),
                                        ("eu-west-1", {"addressing_style": "path"})], ids=["global", "eu", "path"])
@pytest.mark.parametrize("key, fields, conditions", [
    ("uploads/report.csv", None, None),
    ("uploads/${filename}", {"acl": "public-read", "Content-Type": "text/csv"},
     [{"acl": "public-read"}, ["content-length-range", 1, 1048576], ["starts-with", "$Content-Type", "text/"]]),
])
def test_presigned_post_equals_botocores(pkgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch, creds: dict[str, str],
                                         region: str, s3: Any, key: str, fields: Any, conditions: Any) -> None:
    from awsgen_runtime import s3 as s3_runtime

    monkeypatch.setattr(s3_runtime, "_now", lambda: NOW)
    theirs = _boto3("s3", region, creds, s3).generate_presigned_post(
        "my-bucket", key, Fields=dict(fields or {}) or None, Conditions=list(conditions or []) or None, ExpiresIn=600)
    ours = _ours(pkgs["s3"], region, creds, s3).presign_post(
        bucket="my-bucket", key=key, fields=fields, conditions=conditions, expires_in=600)
    assert ours == theirs


def test_s3_express_presigned_url_equals_botocores(pkgs: dict[str, Any], server: Any) -> None:
    """A directory bucket's URL is signed with the bucket's session (opened by each
    client's own CreateSession), its token in X-Amz-S3session-Token."""
    import boto3

    from tests.functional.test_s3_quirks import EXPRESS_BUCKET, SESSION, XML

    urls = []
    for make in (lambda: pkgs["s3"].Client(region="us-west-2", endpoint_url=server.url, **CREDS[0]),
                 lambda: boto3.session.Session().client("s3", region_name="us-west-2", endpoint_url=server.url,
                                                        **CREDS[0])):
        server.requests.clear()
        server.reply(200, SESSION, XML)
        client = make()
        if hasattr(client, "presign_get_object"):
            urls.append(client.presign_get_object(bucket=EXPRESS_BUCKET, key="a b", expires_in=300))
        else:
            urls.append(client.generate_presigned_url("get_object", Params={"Bucket": EXPRESS_BUCKET, "Key": "a b"},
                                                      ExpiresIn=300))
        assert [r.path.split("?")[1] for r in server.requests] == ["session"]  # one CreateSession each
    assert _parts(urls[0]) == _parts(urls[1])
    assert dict(_parts(urls[0])[3])["X-Amz-S3session-Token"] == "SESSIONTOKEN"
