"""What S3 clients do beyond their model, switched on by models/customizations/s3.yaml.

Each function here is named by the customization that makes a generated client use it.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ParamValidationError

# The aws partition's regions (partitions.json's regionRegex), not China, GovCloud or ISO.
_AWS_REGION = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$")
_HOST_LABEL = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$")


def presign_global_endpoint(config: Any, region: str | None, ctx: dict[str, Any] | None) -> dict[str, Any] | None:
    """``presign_on_global_endpoint``: the endpoint parameters a presigned URL uses instead
    of the client's, or None. As botocore, presigned URLs of the aws partition go to the
    global host (``bucket.s3.amazonaws.com``, signed for the client's region) unless the
    client asks for dual-stack, virtual or path style, or us-east-1's regional endpoint,
    or the bucket cannot be a host label (path style), is an ARN or a directory bucket."""
    if region is None or not _AWS_REGION.match(region) or config.use_dualstack:
        return None
    s3 = config.s3
    style = s3.get("addressing_style", "auto")
    if style in ("virtual", "path"):
        return None
    if region == "us-east-1" and s3.get("us_east_1_regional_endpoint") == "regional":
        return None
    bucket = (ctx or {}).get("Bucket")
    if bucket is not None and (not _HOST_LABEL.match(bucket) or bucket.endswith("--x-s3")):
        return None  # an ARN has ':', which no host label holds
    return {**(ctx or {}), "Region": "aws-global", "UseGlobalEndpoint": True}


# A bucket as botocore accepts one: a name of the characters S3 ever allowed, or an
# access point ARN (S3, S3 Object Lambda, S3 on Outposts).
_BUCKET = re.compile(r"^[a-zA-Z0-9.\-_]{1,255}$")
_BUCKET_ARN = re.compile(
    r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$"
    r"|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:]"
    r"[a-zA-Z0-9\-]{1,63}$"
)


_GOOD_BUCKETS: set[str] = set()


def check_bucket_name(bucket: str, name: str) -> None:
    """Refuse, before sending, what can be neither a bucket name nor an access point ARN
    (botocore's validate_bucket_name): a "/" or a space would otherwise change the URL."""
    if not isinstance(bucket, str) or bucket in _GOOD_BUCKETS:  # a program uses few buckets: each checked once
        return
    if _BUCKET.search(bucket) or _BUCKET_ARN.search(bucket):
        if len(_GOOD_BUCKETS) > 1024:
            _GOOD_BUCKETS.clear()
        _GOOD_BUCKETS.add(bucket)
        return
    raise ParamValidationError([f"{name}: invalid bucket name {bucket!r}: a bucket name has 1 to 255 letters, "
                                "digits, '.', '-' or '_', or is an access point ARN"])


def sse_customer_key(key: str | bytes) -> tuple[str, str]:
    """``sse_customer_key``: an SSE-C key as S3 wants it sent, (base64 of the key, base64 of
    its MD5), as botocore's sse_md5 handler makes them."""
    import base64
    import hashlib

    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    md5 = hashlib.md5(raw, usedforsecurity=False).digest()
    return base64.b64encode(raw).decode("ascii"), base64.b64encode(md5).decode("ascii")


_VERSION_ID_SUFFIX = re.compile(r"\?versionId=[^\s]+$")
_S3_ARN = re.compile(
    r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$"
    r"|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:]"
    r"[a-zA-Z0-9\-]{1,63}$"
)


def copy_source(source: str | Any) -> str:
    """``copy_source``: CopySource as ``"bucket/key[?versionId=...]"`` or a mapping with
    ``Bucket``, ``Key`` and ``VersionId`` (also ``bucket``, ``key``, ``version_id``), URL-encoded
    as botocore's handle_copy_source_param encodes it."""
    from urllib.parse import quote

    if isinstance(source, str):
        m = _VERSION_ID_SUFFIX.search(source)
        if m is None:
            return quote(source, safe="-._~/")
        return quote(source[: m.start()], safe="-._~/") + source[m.start():]
    try:
        get = source.get
        bucket = get("Bucket", get("bucket"))
        key = get("Key", get("key"))
        version = get("VersionId", get("version_id"))
    except AttributeError:
        raise TypeError(f"copy_source must be a string or a mapping, not {type(source).__name__}") from None
    if bucket is None or key is None:
        from .errors import ParamValidationError

        raise ParamValidationError(["copy_source: a mapping needs Bucket and Key"])
    final = f"{bucket}/object/{key}" if _S3_ARN.search(bucket) else f"{bucket}/{key}"
    final = quote(final, safe="-._~/")
    return final if version is None else f"{final}?versionId={version}"


def presign_post(client: Any, req: Any, op: Any, bucket: str, key: str, fields: dict[str, str] | None,
                 conditions: list[Any] | None, expires_in: int, now: Any = None) -> dict[str, Any]:
    """``presign_post``: the URL and form fields of a browser upload (an HTML form POST)
    to ``bucket``/``key``, as botocore's generate_presigned_post makes them: a JSON policy
    (expiry, the caller's conditions, then bucket, key and the signature's own fields),
    base64-encoded and signed with the day's SigV4 key. ``req`` and ``op`` are
    CreateBucket's for ``bucket``: its URL is the one to post to."""
    import base64
    import datetime as dt
    import hmac
    import json

    scheme, netloc, path, signer = client._presign_target(req, op, expires_in, {"Bucket": bucket})
    credentials = client._credentials
    moment = now or _now()
    amz_date = moment.strftime("%Y%m%dT%H%M%SZ")
    expiry = (moment + dt.timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = dict(fields or {})
    rules = list(conditions or [])
    rules.append({"bucket": bucket})
    if key.endswith("${filename}"):
        rules.append(["starts-with", "$key", key[: -len("${filename}")]])
    else:
        rules.append({"key": key})
    out["key"] = key
    credential = f"{credentials.access_key}/{signer.credential_scope(amz_date[:8])}"
    out["x-amz-algorithm"] = "AWS4-HMAC-SHA256"
    out["x-amz-credential"] = credential
    out["x-amz-date"] = amz_date
    rules += [{"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": credential}, {"x-amz-date": amz_date}]
    if credentials.token:
        out["x-amz-security-token"] = credentials.token
        rules.append({"x-amz-security-token": credentials.token})
    policy = base64.b64encode(json.dumps({"expiration": expiry, "conditions": rules}).encode("utf-8")).decode("ascii")
    out["policy"] = policy
    key_bytes = signer.signing_key(amz_date[:8], credentials.secret_key)
    out["x-amz-signature"] = hmac.new(key_bytes, policy.encode("utf-8"), "sha256").hexdigest()
    return {"url": scheme + netloc + path, "fields": out}


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


class ExpressSigner:
    """S3 Express One Zone: SigV4 (signing name ``s3express``) with the credentials of a
    session that ``CreateSession`` opened for the directory bucket, its token in
    ``x-amz-s3session-token`` (botocore's S3ExpressAuth). Sessions are kept per client and
    bucket and opened again a minute before they expire."""

    s3 = True

    def __init__(self, client: Any, bucket: str, base: Any) -> None:
        self._client, self._bucket, self._base = client, bucket, base
        self.service, self.region = base.service, base.region

    def sign(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes, credentials: Any,
             *, now: Any = None, payload_hash: str | None = None) -> None:
        session = express_session(self._client, self._bucket)
        for name in [n for n in headers if n.lower() in ("x-amz-security-token", "x-amz-s3session-token")]:
            del headers[name]
        headers["x-amz-s3session-token"] = session.token
        from .sigv4 import Credentials

        self._base.sign(method, path, query, headers, body, Credentials(session.access_key, session.secret_key),
                        now=now, payload_hash=payload_hash)


    def presign(self, method: str, origin: str, path: str, query: str, headers: Any, credentials: Any,
                expires_in: int) -> str:
        """A presigned URL signed with the bucket's session, its token in
        ``X-Amz-S3session-Token`` (botocore's S3ExpressQueryAuth)."""
        from .sigv4 import presign_url

        session = express_session(self._client, self._bucket)
        return presign_url(self._base, method, origin, path, query, headers, session, expires_in,
                           token_param="X-Amz-S3session-Token")


_EXPRESS_REFRESH = 60.0  # seconds before expiry that a session is replaced


def express_session(client: Any, bucket: str) -> Any:
    """The bucket's open session (``Credentials`` with its token), opened or renewed with the
    client's own ``create_session`` when missing or within a minute of expiring."""
    import threading
    import time

    from .sigv4 import Credentials

    cache = client.__dict__.setdefault("_express_sessions", {})
    lock = client.__dict__.setdefault("_express_lock", threading.Lock())
    entry = cache.get(bucket)
    if entry is not None and entry[1] - time.time() > _EXPRESS_REFRESH:
        return entry[0]
    with lock:
        entry = cache.get(bucket)
        if entry is None or entry[1] - time.time() <= _EXPRESS_REFRESH:
            out = client.create_session(bucket=bucket).credentials
            creds = Credentials(out.access_key_id, out.secret_access_key, out.session_token)
            if len(cache) >= 100:
                cache.clear()
            cache[bucket] = entry = (creds, out.expiration.timestamp())
    return entry[0]
