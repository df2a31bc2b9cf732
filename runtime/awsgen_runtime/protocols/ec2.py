"""ec2 (EC2 Query): form-encoded requests as query's, XML answers rooted at
``<OpResponse>`` without a result wrapper, errors as
``<Response><Errors><Error><Code>..</Code>..</Error></Errors><RequestID>..</RequestID>``
(query's ``error_info`` reads both forms).
"""

from __future__ import annotations

from .query import CONTENT_TYPE, error_info, form, q
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

