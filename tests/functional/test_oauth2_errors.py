"""SSO OIDC's OAuth2 error bodies (customization ``oauth2_errors``, botocore's
``_map_oauth2_errors``): ``error_description`` is the error's message, unless the body has
a ``Message``/``message``; the typed client and the boto3-compatible one both, the latter
compared with boto3 itself on the same answers."""

from __future__ import annotations

import json
from typing import Any

import boto3
import botocore.awsrequest
import botocore.exceptions
import pytest
from urllib3 import HTTPHeaderDict

import aws_sso_oidc
from awsgen_runtime import boto3_compat
from awsgen_runtime.errors import ServiceError
from awsgen_runtime.transport import HttpRequest, HttpResponse

KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
CALL = {"clientId": "c", "clientSecret": "s", "grantType": "refresh_token", "refreshToken": "r"}
HEADERS = {"Content-Type": "application/json", "x-amzn-ErrorType": "InvalidGrantException", "x-amzn-RequestId": "r"}


class _Answer:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        return HttpResponse(400, HTTPHeaderDict(HEADERS), self.body)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


BODIES = [
    {"error": "invalid_grant", "error_description": "The refresh token has expired"},
    {"error": "invalid_grant", "error_description": "described", "message": "its own message"},
    {"error": "invalid_grant"},
]


@pytest.mark.parametrize("body", BODIES)
def test_typed_client(body: dict[str, Any]) -> None:
    client = aws_sso_oidc.Client(region="us-east-1", transport=_Answer(json.dumps(body).encode()))
    with pytest.raises(ServiceError) as caught:
        client.create_token(client_id="c", client_secret="s", grant_type="refresh_token", refresh_token="r")
    expected = body.get("message") or body.get("error_description") or ""
    assert caught.value.code == "InvalidGrantException" and caught.value.message == expected


@pytest.mark.parametrize("body", BODIES)
def test_compat_client_as_boto3(body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    boto = boto3.client("sso-oidc", **KEYS)
    boto.meta.events.register("before-send.*", lambda request, **_: botocore.awsrequest.AWSResponse(
        request.url, 400, HEADERS, _Raw(raw)))
    with pytest.raises(botocore.exceptions.ClientError) as theirs:
        boto.create_token(**CALL)
    ours = boto3_compat.client("sso-oidc", **KEYS)
    ours._core._transport_given = _Answer(raw)
    with pytest.raises(botocore.exceptions.ClientError) as mine:
        ours.create_token(**CALL)
    strip = {"HTTPHeaders", "RetryAttempts", "MaxAttemptsReached"}
    for r in (theirs.value.response, mine.value.response):
        r["ResponseMetadata"] = {k: v for k, v in r["ResponseMetadata"].items() if k not in strip}
    assert mine.value.response == theirs.value.response
    assert str(mine.value) == str(theirs.value)
