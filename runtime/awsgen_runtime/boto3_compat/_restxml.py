"""What the generated ``_compat_serde`` modules of rest-xml services (S3, S3 Control,
Route 53, CloudFront, ...) call beyond :mod:`._wire`: XML text written byte for byte as
botocore's ``ElementTree`` writes it, and S3's parameter handlers (botocore's
``before-parameter-build`` and ``after-call`` handlers) with botocore's messages.

Imported by generated code as ``_x``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import re
from typing import Any
from urllib.parse import quote, unquote_plus

from ..client import _reason
from .errors import param_validation_error

# ----- XML text, as xml.etree.ElementTree.tostring writes it ---------------------------


def text(value: str) -> str:
    """Element text: ``&``, ``<`` and ``>`` escaped (ElementTree's ``_escape_cdata``)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def attr(value: str) -> str:
    """Attribute text (ElementTree's ``_escape_attrib``)."""
    value = text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


def el(tag: str, a: str, body: str) -> str:
    """Element ``tag`` (attribute text ``a``) holding escaped text ``body``; empty text is
    ElementTree's ``<tag />``."""
    return f"<{tag}{a}>{body}</{tag}>" if body else f"<{tag}{a} />"


def close(o: list[str], n: int, tag: str, a: str) -> None:
    """Finish the element whose start tag belongs at ``o[n]`` (written last, once its
    attributes are known): ``<tag a />`` when nothing was written inside it."""
    if len(o) == n + 1:
        o[n] = "<" + tag + a + " />"
    else:
        o[n] = "<" + tag + a + ">"
        o.append("</" + tag + ">")


def b64(value: Any) -> str:
    """A blob as XML text (botocore's ``_get_base64``: text is UTF-8 first)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    elif not isinstance(value, (bytes, bytearray)):
        value = value.read()
    return base64.b64encode(value).decode("utf-8")


def float_text(value: Any) -> str:
    """botocore's ``str(_handle_float(value))``: NaN and infinities by name."""
    if value == float("Infinity"):
        return "Infinity"
    if value == float("-Infinity"):
        return "-Infinity"
    if value != value:
        return "NaN"
    return str(value)


def escape_newlines(body: bytes) -> bytes:
    """botocore's escape_xml_payload (S3 DeleteObjects, PutBucketLifecycleConfiguration):
    carriage returns and line feeds of the whole document as character references."""
    if b"\r" in body:
        body = body.replace(b"\r", b"&#xD;")
    if b"\n" in body:
        body = body.replace(b"\n", b"&#xA;")
    return body


def payload_bytes(value: Any) -> Any:
    """A blob or string payload as botocore sends it: text as UTF-8, the rest as given."""
    if value is None:
        return b""
    return value.encode("utf-8") if isinstance(value, str) else value


# ----- S3's parameter handlers, botocore's words -----------------------------------------

_VALID_BUCKET = re.compile(r"^[a-zA-Z0-9.\-_]{1,255}$")
_ACCESSPOINT_ARN = (r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:]"
                    r"[a-zA-Z0-9\-.]{1,63}$")
_OUTPOST_ARN = (r"^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:]"
                r"[a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$")
_VALID_S3_ARN = re.compile("|".join([_ACCESSPOINT_ARN, _OUTPOST_ARN]))
_VERSION_ID_SUFFIX = re.compile(r"\?versionId=[^\s]+$")
_SAFE = "-._~/"


def check_bucket(params: dict[str, Any], member: str = "Bucket") -> None:
    """botocore's validate_bucket_name: a bucket name or an access point ARN, else a
    ParamValidationError before anything else is checked."""
    bucket = params.get(member)
    if not isinstance(bucket, str):
        return  # absent, or the wrong type: the model's validation says so
    if not _VALID_BUCKET.search(bucket) and not _VALID_S3_ARN.search(bucket):
        raise param_validation_error(
            f'Invalid bucket name "{bucket}": Bucket name must match the regex "{_VALID_BUCKET.pattern}" '
            f'or be an ARN matching the regex "{_VALID_S3_ARN.pattern}"')


def sse_md5(params: dict[str, Any], prefix: str) -> None:
    """botocore's sse_md5 / copy_source_sse_md5: an SSE-C key sent base64-encoded with the
    base64 of its MD5, unless the caller gave the MD5."""
    key = params.get(prefix + "Key")
    if key is None or prefix + "KeyMD5" in params:
        return
    raw = key.encode("utf-8") if isinstance(key, str) else key
    if not isinstance(raw, (bytes, bytearray)):
        return  # the model's validation names the wrong type
    params[prefix + "Key"] = base64.b64encode(raw).decode("utf-8")
    params[prefix + "KeyMD5"] = base64.b64encode(hashlib.md5(raw, usedforsecurity=False).digest()).decode("utf-8")


def copy_source(params: dict[str, Any], member: str = "CopySource") -> None:
    """botocore's handle_copy_source_param: ``"bucket/key[?versionId=..]"`` with the key
    URL-encoded, or a dict of ``Bucket``, ``Key`` and ``VersionId``."""
    source = params.get(member)
    if isinstance(source, str):
        found = _VERSION_ID_SUFFIX.search(source)
        if found is None:
            params[member] = quote(source.encode("utf-8"), safe=_SAFE)
        else:
            params[member] = quote(source[: found.start()].encode("utf-8"), safe=_SAFE) + source[found.start():]
    elif isinstance(source, dict):
        try:
            bucket = source["Bucket"]
            key = source["Key"]
            version = source.get("VersionId")
            final = f"{bucket}/object/{key}" if _VALID_S3_ARN.search(bucket) else f"{bucket}/{key}"
        except KeyError as exc:
            raise param_validation_error(f"Missing required parameter: {exc}") from None
        final = quote(final.encode("utf-8"), safe=_SAFE)
        params[member] = final if version is None else final + f"?versionId={version}"


def ascii_metadata(params: dict[str, Any], member: str = "Metadata") -> None:
    """botocore's validate_ascii_metadata: S3 metadata keys and values are ASCII."""
    metadata = params.get(member)
    if not metadata or not isinstance(metadata, dict):
        return
    for key, value in metadata.items():
        try:
            key.encode("ascii")
            value.encode("ascii")
        except UnicodeEncodeError:
            raise param_validation_error(
                f'Non ascii characters found in S3 metadata for key "{key}", value: "{value}".  \n'
                "S3 metadata can only contain ASCII characters. ") from None
        except AttributeError:
            return  # not text: the model's validation says so


def default_encoding(params: dict[str, Any], member: str) -> bool:
    """botocore's set_list_objects_encoding_type_url: ``url`` unless the caller chose;
    True when set here (the answer's names are then decoded)."""
    if member in params:
        return False
    params[member] = "url"
    return True


def url_decode(parsed: dict[str, Any], top: tuple[str, ...], nested: tuple[tuple[str, str], ...]) -> None:
    """botocore's _decode_list_object, on an answer whose EncodingType is ``url``."""
    if parsed.get("EncodingType") != "url":
        return
    for key in top:
        if key in parsed:
            parsed[key] = unquote_plus(parsed[key])
    for outer, inner in nested:
        for item in parsed.get(outer) or ():
            item[inner] = unquote_plus(item[inner])


def root_text(body: bytes) -> str | None:
    """botocore's parse_get_bucket_location: the root element's own text."""
    from ..protocols.xml import parse

    return parse(body).text  # type: ignore[no-any-return]


def lenient_ts(value: str) -> Any:
    """botocore's handle_expires_header: the header as a timestamp, or None when it is
    not one (the text is still given, as ``ExpiresString``)."""
    from ..wire import p_ts

    try:
        return p_ts(value)
    except (ValueError, TypeError, OverflowError):
        return None


# ----- error answers ----------------------------------------------------------------------


def _from_status(resp: Any) -> tuple[dict[str, Any], Any]:
    from ..protocols.xml import Element

    headers = resp.headers
    return ({"Error": {"Code": str(resp.status), "Message": _reason(resp.status)},
             "ResponseMetadata": {"RequestId": headers.get("x-amz-request-id", ""),
                                  "HostId": headers.get("x-amz-id-2", "")}}, Element("Error"))


def error_layout(resp: Any) -> tuple[dict[str, Any], Any]:
    """botocore's RestXMLParser._do_error_parse: S3's bare ``<Error>`` (every child as text;
    the request id and host id from the headers, the body's dropped), or
    ``<ErrorResponse><Error>..</Error><RequestId>..`` over ``{"Code": "", "Message": ""}``;
    an answer without a body or with one that is not XML (a HEAD's 404) by its status:
    ``Code`` "404", ``Message`` "Not Found". Returns (the parsed dict, the element a
    modeled error's members are read from)."""
    from ..protocols.xml import parse
    from ..wire import WireTypeError
    from ._xml import _replace_nodes, index

    if not resp.body:
        return _from_status(resp)
    try:
        doc = parse(resp.body)
    except WireTypeError:
        return _from_status(resp)
    parsed = _replace_nodes(index(doc))
    if doc.tag == "Error":
        headers = resp.headers
        meta: dict[str, Any] = {}
        if "x-amzn-requestid" in headers:
            meta["RequestId"] = headers["x-amzn-requestid"]
        elif "x-amz-request-id" in headers:
            meta["RequestId"] = headers["x-amz-request-id"]
            meta["HostId"] = headers.get("x-amz-id-2", "")
        parsed.pop("RequestId", None)
        parsed.pop("HostId", None)
        return {"Error": parsed, "ResponseMetadata": meta}, doc
    if "RequestId" in parsed:
        parsed["ResponseMetadata"] = {"RequestId": parsed.pop("RequestId")}
    from .paginate import _merge  # botocore's merge_dicts

    out: dict[str, Any] = {"Error": {"Message": "", "Code": ""}}
    _merge(out, parsed)
    element = next((c for c in doc if c.tag == "Error"), doc) if doc.tag == "ErrorResponse" else doc
    return out, element


# ----- bodies S3 takes as files ---------------------------------------------------------


def file_body(value: Any) -> Any:
    """botocore's convert_body_to_file_like_object (S3 PutObject, UploadPart): text and
    bytes are sent as a file (hence with "Expect: 100-continue"); no body is ``b''``."""
    import io

    if value is None:
        return b""
    if isinstance(value, str):
        return io.BytesIO(value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray)):
        return io.BytesIO(value)
    return value


def file_op(op: Any) -> Any:
    """The operation's description for a body given as :func:`file_body` makes it: a file
    asks "Expect: 100-continue", no body does not (the typed client asks for bytes too)."""
    import copy

    out = copy.copy(op)
    out.expect_continue = 1
    return out


def _usable_algorithms() -> frozenset[str]:
    """The response checksums botocore validates: CRC32, SHA1, SHA256, and with awscrt
    installed CRC32C and CRC64NVME."""
    import importlib.util

    base = {"crc32", "sha1", "sha256"}
    if importlib.util.find_spec("awscrt") is not None:
        base |= {"crc32c", "crc64nvme"}
    return frozenset(base)


def checksum_meta(out: dict[str, Any], algorithms: tuple[str, ...]) -> None:
    """botocore's ChecksumAlgorithm in ResponseMetadata: the algorithm whose checksum header
    the answer carried and was checked (the first of the operation's that botocore can
    compute; a composite checksum, ``...-N``, is not checked)."""
    meta = out.get("ResponseMetadata") or {}
    headers = meta.get("HTTPHeaders") or {}
    usable = _usable_algorithms()
    for algorithm in algorithms:
        value = headers.get("x-amz-checksum-" + algorithm)
        if algorithm in usable and value is not None and "-" not in value:
            meta["ChecksumAlgorithm"] = algorithm
            return


def moment(value: Any) -> _dt.datetime:
    """A timestamp parameter (already checked by botocore's validation) as an aware datetime."""
    from ._wire import to_datetime

    found = to_datetime(value)
    if found is None:  # not reached after validation; with validation off, botocore's words
        raise param_validation_error(f"Invalid timestamp value: {value!r}")
    return found
