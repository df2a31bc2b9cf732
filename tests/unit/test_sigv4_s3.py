"""S3's SigV4 variant (botocore's s3v4): the path signed as sent and the payload hash in
a signed X-Amz-Content-SHA256 header; compared with botocore's S3SigV4Auth."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from awsgen_runtime.sigv4 import Credentials, SigV4Signer

NOW = dt.datetime(2026, 12, 5, 6, 30, 0, tzinfo=dt.timezone.utc)
CREDS = [("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
         ("AKIDEXAMPLE", "secret", "session-token")]


def _botocore(method: str, url: str, headers: dict[str, str], body: bytes, creds: tuple) -> str:
    """botocore's signature; it reads the payload hash from the X-Amz-Content-SHA256 header."""
    req = AWSRequest(method=method, url=url, headers={k: v for k, v in headers.items()
                                                     if k not in ("Authorization",)}, data=body)
    req.context["timestamp"] = NOW.strftime("%Y%m%dT%H%M%SZ")
    signer = S3SigV4Auth(BotoCredentials(*creds), "s3", "eu-west-1")
    canonical = signer.canonical_request(req)
    return signer.signature(signer.string_to_sign(req, canonical), req)


@pytest.mark.parametrize("creds", CREDS)
@pytest.mark.parametrize("path, query", [
    ("/", ""),
    ("/bucket/key", ""),
    ("/key%20with%20spaces/%C3%BC%2B", "list-type=2&prefix=a%2Fb"),
    ("/a/./b/../c//d~", "uploads="),
    ("/%2525", "versionId=abc%3D"),
])
@pytest.mark.parametrize("body, payload", [(b"", None), (b"hello", None), (b"big" * 1000, "UNSIGNED-PAYLOAD")],
                         ids=["empty", "hello", "unsigned"])
def test_s3_signature_matches_botocore(creds, path, query, body, payload) -> None:
    headers = {"Host": "bucket.s3.eu-west-1.amazonaws.com", "Content-Type": "text/plain"}
    signer = SigV4Signer("s3", "eu-west-1", s3=True)
    signer.sign("PUT", path, query, headers, body, Credentials(*creds), now=NOW, payload_hash=payload)
    expected_hash = payload or hashlib.sha256(body).hexdigest()
    assert headers["X-Amz-Content-SHA256"] == expected_hash
    assert "x-amz-content-sha256" in headers["Authorization"].split("SignedHeaders=")[1]
    url = f"https://{headers['Host']}{path}" + (f"?{query}" if query else "")
    theirs = _botocore("PUT", url, headers, body, creds)
    assert headers["Authorization"].endswith("Signature=" + theirs)


def test_resigning_replaces_the_content_hash_header() -> None:
    headers = {"Host": "h", "x-amz-content-sha256": "stale"}
    signer = SigV4Signer("s3", "eu-west-1", s3=True)
    signer.sign("GET", "/k", "", headers, b"", Credentials(*CREDS[0][:2]), now=NOW)
    assert [k for k in headers if k.lower() == "x-amz-content-sha256"] == ["X-Amz-Content-SHA256"]


def test_other_services_sign_the_path_encoded_twice() -> None:
    a, b = {"Host": "h"}, {"Host": "h"}
    SigV4Signer("s3", "eu-west-1").sign("GET", "/a%20b", "", a, b"", Credentials("AKID", "s"), now=NOW)
    SigV4Signer("s3", "eu-west-1", s3=True).sign("GET", "/a%20b", "", b, b"", Credentials("AKID", "s"), now=NOW)
    assert "X-Amz-Content-SHA256" not in a and a["Authorization"] != b["Authorization"]
