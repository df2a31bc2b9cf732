"""query (AWS Query): form-encoded requests, XML answers wrapped in ``<OpResult>``,
errors as ``<ErrorResponse><Error><Code>..</Code>..</Error><RequestId>..</RequestId>``
(or ec2's ``<Response><Errors><Error>..</Error></Errors><RequestID>..</RequestID>``).

The XML parse and scalar conversions are :mod:`awsgen_runtime.protocols.xml`'s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..wire import WireTypeError
from .xml import (
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


# What generated code calls as ``_p.<name>``.
__all__ = [
    "CONTENT_TYPE",
    "Element",
    "ErrorBody",
    "attr",
    "child",
    "error_element",
    "error_fields",
    "error_info",
    "form",
    "pairs",
    "parse",
    "q",
    "result",
    "t_blob",
    "t_bool",
    "t_float",
    "t_int",
    "x_blob",
    "x_bool",
    "x_float",
    "x_int",
    "x_ts",
]

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
_SAFE = "-_.~"


def q(value: str) -> str:
    """A form value, percent-encoded (RFC 3986 unreserved characters kept)."""
    return quote(value, safe=_SAFE)


def form(items: list[str]) -> bytes:
    """The body from ``name=value`` items already encoded."""
    return "&".join(items).encode("ascii")


def error_info(resp: Any, query_compatible: bool = False) -> tuple[str, str, ErrorBody | None]:
    """(code, message, body) of an error answer; body None when it is not such XML."""
    try:
        root = parse(resp.body)
    except WireTypeError:
        return "", "", None
    err = None
    request_id = None
    if root.tag == "Error":
        err = root
    else:
        for c in root:
            t = c.tag
            if t == "Error":
                err = c
            elif t == "Errors":
                err = next((x for x in c if x.tag == "Error"), err)
            elif t in ("RequestId", "RequestID"):
                request_id = c.text
    if err is None:
        return "", "", None
    return error_fields(err, request_id)
