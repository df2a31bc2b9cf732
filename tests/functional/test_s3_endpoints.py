"""Where S3 and S3 Control requests go: the generated client's URL equals boto3's for the
same region, bucket and S3 settings (the rule sets' built-ins, the bucket-less request
URIs of models/customizations/s3.yaml and S3 Control's dropped account-id host prefix)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.differential.harness import Capture, botocore_sends, ensure_packages, load_package

KEY = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture(scope="module")
def packages() -> dict[str, Any]:
    root = ensure_packages(["s3", "s3control"])
    return {s: load_package(root, s) for s in ("s3", "s3control")}


def _boto3_url(service: str, region: str, s3: dict[str, Any] | None, op: str, **params: Any) -> str:
    import boto3
    from botocore.config import Config as BotoConfig

    client = boto3.session.Session().client(service, region_name=region, config=BotoConfig(s3=s3), **KEY)
    return str(botocore_sends(client, op, **params).url)


def _our_url(pkg: Any, region: str, s3: dict[str, Any] | None, op: str, **params: Any) -> str:
    from awsgen_runtime.client import Config

    capture = Capture()
    capture.status, capture.body = 200, b""
    client = pkg.Client(region=region, transport=capture, config=Config(max_attempts=1, s3=s3), **KEY)
    try:
        getattr(client, op)(**params)
    except Exception:  # the canned empty answer need not parse; the request is what counts
        pass
    return capture.requests[0].url


S3_CASES = [
    ("us-east-1", None, "Bucket", "my-bucket"),
    ("us-east-1", {"us_east_1_regional_endpoint": "regional"}, "Bucket", "my-bucket"),
    ("us-west-2", None, "Bucket", "my-bucket"),
    ("us-west-2", {"addressing_style": "path"}, "Bucket", "my-bucket"),
    ("us-east-1", {"addressing_style": "path"}, "Bucket", "my-bucket"),
    ("eu-west-1", {"addressing_style": "virtual"}, "Bucket", "my-bucket"),
    ("eu-west-1", None, "Bucket", "Not_DNS.Compatible"),  # path-style because the name needs it
    ("us-west-2", {"use_accelerate_endpoint": True}, "Bucket", "my-bucket"),
]


@pytest.mark.parametrize("region,s3,_,bucket", S3_CASES)
@pytest.mark.parametrize("op,our_op,params", [
    ("head_object", "head_object", {"Key": "dir/a key+1.txt"}),
    # EncodingType given: boto3 adds it by default, a handler that is issue 9's.
    ("list_objects_v2", "list_objects_v2", {"Prefix": "p/", "EncodingType": "url"}),
    ("create_multipart_upload", "create_multipart_upload", {"Key": "k"}),
])
def test_s3_url_matches_boto3(packages: dict[str, Any], region: str, s3: dict[str, Any] | None, _: str,
                              bucket: str, op: str, our_op: str, params: dict[str, Any]) -> None:
    theirs = _boto3_url("s3", region, s3, op, Bucket=bucket, **params)
    from botocore import xform_name

    ours_params = {"bucket": bucket, **{xform_name(k): v for k, v in params.items()}}
    ours = _our_url(packages["s3"], region, s3, our_op, **ours_params)
    assert _same_order(ours) == _same_order(theirs)


def _same_order(url: str) -> tuple[str, list[str]]:
    """botocore orders the query as the call's keywords were given, the generated client as
    the model lists the members; the signature sorts them, so order is not compared."""
    base, _, query = url.partition("?")
    return base, sorted(query.split("&"))


def test_s3_rejects_an_unknown_regional_setting() -> None:
    from awsgen_runtime.client import Config

    with pytest.raises(ValueError, match="us_east_1_regional_endpoint"):
        Config(s3={"us_east_1_regional_endpoint": "sometimes"})


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_s3control_account_id_is_in_the_host_once(packages: dict[str, Any], region: str) -> None:
    theirs = _boto3_url("s3control", region, None, "list_access_points", AccountId="123456789012")
    ours = _our_url(packages["s3control"], region, None, "list_access_points", account_id="123456789012")
    assert ours == theirs
    assert ours.startswith("https://123456789012.s3-control.")
