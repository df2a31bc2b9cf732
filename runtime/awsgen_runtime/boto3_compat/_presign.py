"""S3's presigned URLs as boto3 makes them by default: signature version 2 in the query
(botocore's ``HmacV1QueryAuth``: ``AWSAccessKeyId``, ``Signature``, ``Expires``), which
botocore chooses for S3 presigning when the client sets no ``signature_version`` and its
region is one whose S3 endpoint still takes version 2 (endpoints.json). Everything else is
presigned with SigV4 by the typed client's ``_presign``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import quote, unquote

# Regions whose S3 endpoint lists signature version "s3" in botocore 1.43.67's
# endpoints.json (checked against it by tests/differential/test_compat_s3_vs_boto3.py).
SIGV2_REGIONS = frozenset({
    "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "eu-west-1", "s3-external-1",
    "sa-east-1", "us-east-1", "us-west-1", "us-west-2", "fips-us-gov-east-1", "fips-us-gov-west-1",
    "us-gov-east-1", "us-gov-west-1",
})
# The query parameters that are S3 sub-resources: part of the string to sign
_SUBRESOURCES = frozenset({
    "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy",
    "requestPayment", "torrent", "versioning", "versionId", "versions", "website", "uploads", "uploadId",
    "response-content-type", "response-content-language", "response-expires", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "delete", "lifecycle", "tagging", "restore",
    "storageClass", "notification", "replication", "analytics", "metrics", "inventory", "select",
    "select-type", "object-lock",
})
_SAFE = "-_.~"


def uses_sigv2(core: Any, signature_version: str | None) -> bool:
    """Whether boto3 would presign this S3 client's URLs with signature version 2."""
    if signature_version in ("s3", "s3-query"):  # asked for in code: always version 2 (HmacV1QueryAuth)
        return True
    return signature_version is None and core.region in SIGV2_REGIONS


def _resource(auth_path: str, query: str) -> str:
    kept = []
    for item in query.split("&") if query else ():
        name, eq, value = item.partition("=")
        if name in _SUBRESOURCES:
            kept.append((name, unquote(value)) if eq else (name,))
    if not kept:
        return auth_path
    kept.sort(key=lambda pair: pair[0])
    return auth_path + "?" + "&".join("=".join(pair) for pair in kept)


def presign_v2(core: Any, req: Any, op: Any, expires_in: int, ctx: dict[str, Any] | None) -> str:
    """The URL of ``req`` signed with signature version 2 in its query, as botocore's
    HmacV1QueryAuth signs it (the resource signed is the path with the bucket, whatever
    the addressing style)."""
    scheme, netloc, path, _ = core._presign_target(req, op, expires_in, ctx)
    credentials = core._credentials
    query = req.query
    if "?" in path:
        path, _, fixed = path.partition("?")
        query = fixed + ("&" + query if query else "")
    bucket = (ctx or {}).get("Bucket")
    auth_path = path if bucket is None else "/" + quote(bucket, safe=_SAFE) + (req.path or "/")
    headers = [(k, v) for k, v in req.headers.items() if k.lower() not in ("content-length", "x-amz-security-token")]
    if credentials.token:
        headers.append(("x-amz-security-token", credentials.token))
    expires = str(int(time.time() + int(expires_in)))
    standard = {k.lower(): v.strip() for k, v in headers if k.lower() in ("content-md5", "content-type")}
    custom: dict[str, str] = {}
    for k, v in headers:
        if k.lower().startswith("x-amz-"):
            custom[k.lower()] = ",".join(filter(None, (custom.get(k.lower()), v.strip())))
    text = "\n".join([req.method.upper(), standard.get("content-md5", ""), standard.get("content-type", ""), expires,
                      *(f"{k}:{custom[k]}" for k in sorted(custom)), _resource(auth_path, query)])
    digest = hmac.new(credentials.secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    pairs = [("AWSAccessKeyId", credentials.access_key), ("Signature", base64.b64encode(digest).decode("utf-8"))]
    for k, v in headers:
        if k.lower().startswith("x-amz-") or k.lower() in ("content-md5", "content-type"):
            pairs.append((k.lower(), v))
    pairs.append(("Expires", expires))
    signed = "&".join(quote(k, safe=_SAFE) + "=" + quote(v, safe=_SAFE) for k, v in pairs)
    url: str = scheme + netloc + path + "?" + (query + "&" + signed if query else signed)
    return url
