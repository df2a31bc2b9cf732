"""JSON bodies (rest-json and json): how an error response names its code and message.

The value conversions of JSON bodies are in :mod:`awsgen_runtime.wire`.
"""

from __future__ import annotations

import json
from typing import Any


def error_info(resp: Any, query_compatible: bool = False) -> tuple[str, str, dict[str, Any] | None]:
    """(code, message, body) of a JSON error response; code "" when none is given, body
    None when the response holds something other than a JSON object."""
    body: dict[str, Any] | None = {}
    if resp.body.strip():
        try:
            parsed = json.loads(resp.body)
        except (ValueError, RecursionError):
            parsed = None
        body = parsed if isinstance(parsed, dict) else None
    code = error_code(resp.headers, body or {}, query_compatible)
    found = body or {}
    message = found.get("message", found.get("Message", found.get("errorMessage", "")))
    if not isinstance(message, str):
        message = str(message)
    return code, message, body


def error_code(headers: Any, body: dict[str, Any], query_compatible: bool = False) -> str:
    """The error code of an error response, without namespace or ':suffix'."""
    if query_compatible:
        qe = headers.get("x-amzn-query-error")
        if qe:
            code = str(qe).split(";", 1)[0]
            if code:
                return code
    raw = headers.get("x-amzn-errortype") or body.get("__type") or body.get("code") or body.get("Code") or ""
    if not isinstance(raw, str):
        return ""
    code = raw.split(":", 1)[0]
    if "#" in code:
        code = code.rsplit("#", 1)[1]
    return code
