"""rest-xml (S3, Route 53, CloudFront, ...): XML text escaping for request bodies, and
how an error answer names its code and message: ``<ErrorResponse><Error><Code>..``
with ``<RequestId>`` beside ``<Error>``, or S3's bare ``<Error><Code>..</Code>
<Message>..</Message><RequestId>..</RequestId></Error>``.

The XML parse and scalar conversions are :mod:`awsgen_runtime.protocols.xml`'s.
"""

from __future__ import annotations

from typing import Any

from ..wire import WireTypeError
from .xml import (  # noqa: F401 - re-exported for generated code
    Element,
    ErrorBody,
    attr,
    child,
    error_element,
    error_fields,
    pairs,
    parse,
    result,
    t_blob,
    t_bool,
    t_float,
    t_int,
    x_blob,
    x_bool,
    x_float,
    x_int,
    x_ts,
)

__all__ = [
    "Element", "ErrorBody", "attr", "child", "error_element", "error_fields", "error_info", "esc", "esc_attr",
    "pairs", "parse", "result", "t_blob", "t_bool", "t_float", "t_int", "x_blob", "x_bool", "x_float", "x_int",
    "x_ts",
]


def esc(text: str) -> str:
    """Element text: ``&``, ``<``, ``>`` escaped, and carriage returns as ``&#xD;`` (an XML
    parser reads a literal one as a line feed)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#xD;")
    return text


def esc_attr(text: str) -> str:
    """Attribute text: as :func:`esc`, plus the quote and the whitespace characters a
    parser would normalize to spaces."""
    text = esc(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#xA;")
    if "\t" in text:
        text = text.replace("\t", "&#x9;")
    return text


def error_info(resp: Any, query_compatible: bool = False) -> tuple[str, str, ErrorBody | None]:
    """(code, message, body) of an error answer; body None when it is not such XML (an
    empty body, as S3 sends to HEAD requests, included: the client names the code after
    the status)."""
    if not resp.body.strip():
        return "", "", None
    try:
        root = parse(resp.body)
    except WireTypeError:
        return "", "", None
    request_id = None
    if root.tag == "Error":  # S3
        err = root
        rid = child(root, "RequestId")
        request_id = rid.text if rid is not None else None
    else:
        err = None
        for c in root:
            t = c.tag
            if t == "Error":
                err = c
            elif t in ("RequestId", "RequestID"):
                request_id = c.text
        if err is None:
            return "", "", None
    return error_fields(err, request_id)
