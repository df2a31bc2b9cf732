"""Review findings of issue 13's part 2, each against boto3 or the compat client's contract:
an XML error whose <Error> holds only text, a malformed modeled member in an error body,
S3 presigned URLs with signature_version="s3", and no http.client import for query clients."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import botocore.config
import botocore.exceptions
import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime import boto3_compat
from awsgen_runtime.transport import HttpRequest, HttpResponse

KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


class _Answer:
    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        return HttpResponse(self.status, HTTPHeaderDict({"Content-Type": self.content_type,
                                                         "x-amzn-RequestId": "r"}), self.body)


def test_xml_error_with_text_only_is_a_client_error() -> None:
    client = boto3_compat.client("sts", **KEYS)
    client._core._transport_given = _Answer(400, b"<ErrorResponse><Error>txt</Error></ErrorResponse>", "text/xml")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.get_caller_identity()
    assert isinstance(caught.value.response["Error"], dict)


@pytest.mark.parametrize("reasons", [b'"oops"', b"[5]", b'[{"Item": {"a": 5}}]'])
def test_malformed_modeled_member_keeps_code_and_message(reasons: bytes) -> None:
    client = boto3_compat.client("dynamodb", **KEYS)
    body = (b'{"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", "message": "m", '
            b'"CancellationReasons": ' + reasons + b"}")
    client._core._transport_given = _Answer(400, body, "application/x-amz-json-1.0")
    with pytest.raises(client.exceptions.TransactionCanceledException) as caught:
        client.transact_write_items(TransactItems=[{"ConditionCheck": {
            "Key": {"k": {"S": "v"}}, "TableName": "t", "ConditionExpression": "attribute_exists(k)"}}])
    assert caught.value.response["Error"] == {"Message": "m", "Code": "TransactionCanceledException"}


def _presigned(config: Any, region: str) -> tuple[str, str]:
    import boto3

    kw = {**KEYS, "region_name": region}
    urls = [c.generate_presigned_url("get_object", Params={"Bucket": "bk", "Key": "k"}, ExpiresIn=60)
            for c in (boto3.client("s3", config=config, **kw), boto3_compat.client("s3", config=config, **kw))]
    return urls[0], urls[1]


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_s3_signature_version_s3_presigns_with_version_2(region: str) -> None:
    from tests.differential.harness import ensure_packages
    from generator.model.naming import package_names

    root = ensure_packages(["s3"])
    sys.path.insert(0, str(root / package_names("s3")[1]))
    try:
        theirs, ours = _presigned(botocore.config.Config(signature_version="s3"), region)
    finally:
        sys.path.pop(0)
    assert "AWSAccessKeyId=" in theirs and "AWSAccessKeyId=" in ours and "X-Amz-Signature" not in ours


def test_query_client_does_not_import_http_client() -> None:
    code = ("import sys; from awsgen_runtime import boto3_compat; "
            "boto3_compat.client('sts', region_name='us-east-1'); print('http.client' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
