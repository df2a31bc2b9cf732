"""Small value conversions and checks that botocore applies in handlers; each is switched
on for an operation's members by models/customizations/<service>.yaml."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from .errors import ParamValidationError


def base64_text(value: str | bytes) -> str:
    """``base64_encode`` (botocore's base64_encode_user_data): EC2 and Auto Scaling take
    user data base64-encoded; text is encoded as UTF-8 first."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def base64_decoded_text(value: str) -> str:
    """``decode_base64_output`` (botocore's decode_console_output): EC2's console output
    arrives base64-encoded; given back as text."""
    try:
        return base64.b64decode(value.encode("latin-1")).decode("utf-8", "replace")
    except ValueError:  # not base64 after all: kept as it came, as botocore keeps it
        return value


def check_ascii_map(value: Any, name: str) -> None:
    """Refuse a map (S3's object metadata) whose keys or values are not ASCII, before
    sending: S3 takes only ASCII in headers (botocore's validate_ascii_metadata)."""
    if not isinstance(value, dict):
        return  # the model's validation names the wrong type
    for key, item in value.items():
        if not (str(key).isascii() and str(item).isascii()):
            raise ParamValidationError([f"{name}: S3 metadata can only hold ASCII characters; {key!r}: {item!r} "
                                        "does not (encode other text yourself, e.g. URL-encoded)"])


def query_as_form(req: Any) -> Any:
    """A GET with a query string as a POST of that query as a form body
    (botocore's change_get_to_post: CloudSearch Domain's Search, whose query may be long)."""
    if req.method == "GET" and req.query:
        req.method = "POST"
        req.body = req.query.encode("ascii")
        req.query = ""
        req.headers["Content-Type"] = "application/x-www-form-urlencoded"
        req.headers["Content-Length"] = str(len(req.body))
    return req


def glacier_checksums(req: Any) -> Any:
    """botocore's add_glacier_checksums: the body's SHA-256 (``x-amz-content-sha256``) and
    its SHA-256 tree hash (``x-amz-sha256-tree-hash``, over 1 MiB leaves), each unless the
    request has it already; a file-like body is read in 1 MiB chunks and put back where
    it was."""
    names = {k.lower() for k in req.headers}
    if "x-amz-content-sha256" in names and "x-amz-sha256-tree-hash" in names:
        return req
    body = req.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    whole = hashlib.sha256()
    leaves: list[bytes] = []
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = memoryview(body)
        for start in range(0, len(data), _MIB):
            chunk = data[start:start + _MIB]
            whole.update(chunk)
            leaves.append(hashlib.sha256(chunk).digest())
    else:
        start = body.tell()
        for chunk in iter(lambda: body.read(_MIB), b""):
            whole.update(chunk)
            leaves.append(hashlib.sha256(chunk).digest())
        body.seek(start)
    if "x-amz-content-sha256" not in names:
        req.headers["x-amz-content-sha256"] = whole.hexdigest()
    if "x-amz-sha256-tree-hash" not in names:
        req.headers["x-amz-sha256-tree-hash"] = _tree_hash(leaves)
    return req


_MIB = 1024 * 1024


def _tree_hash(leaves: list[bytes]) -> str:
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    while len(leaves) > 1:
        leaves = [hashlib.sha256(leaves[i] + leaves[i + 1]).digest() if i + 1 < len(leaves) else leaves[i]
                  for i in range(0, len(leaves), 2)]
    return leaves[0].hex()


def with_header(req: Any, name: str, value: str) -> Any:
    """The request with one more header (botocore's inject_api_version_header_if_needed
    gives endpoint-discovery operations x-amz-api-version)."""
    req.headers[name] = value
    return req


def strip_id_prefix(value: str) -> str:
    """``strip_id_prefix_shapes`` (botocore's fix_route53_ids): Route 53 returns ids as
    ``/hostedzone/Z1D633PJN98FT9`` and takes them without the prefix."""
    return value.rsplit("/", 1)[-1]
