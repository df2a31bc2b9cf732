"""What the generated ``_compat_serde`` modules call: botocore's validation messages, and
the conversions between boto3's values and the wire that are not the typed client's.

Messages are worded as botocore 1.43.67's ``ParamValidator`` words them, so code that
matches on them keeps working; the report raises as :class:`ParamValidationError`
(``awsgen_runtime.boto3_compat.errors``).
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as _dt
import decimal
import json
import math
import re
import struct
from typing import Any
from urllib.parse import quote

from .. import wire as _rt
from .errors import param_validation_error

# botocore's names of the types a parameter may take, as its messages print them
STR = "<class 'str'>"
INT = "<class 'int'>"
BOOL = "<class 'bool'>"
FLOAT = "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>"
BLOB = "<class 'bytes'>, <class 'bytearray'>, file-like object"
TIMESTAMP = "<class 'datetime.datetime'>, timestamp-string"
DICT = "<class 'dict'>"
LIST = "<class 'list'>, <class 'tuple'>"
DOCUMENT = ("<class 'str'>, <class 'int'>, <class 'bool'>, <class 'float'>, <class 'list'>, "
            "<class 'dict'>")
NUMBER = (float, decimal.Decimal, int)


def _name(path: str) -> str:
    return path[1:] if path.startswith(".") else path or "input"


def bad_type(path: str, value: Any, valid: str) -> str:
    return f"Invalid type for parameter {_name(path)}, value: {value}, type: {type(value)}, valid types: {valid}"


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def too_small(path: str, value: Any, minimum: float, kind: str) -> str:
    what = "length" if kind == "length" else "value"
    label = "Invalid length" if kind == "length" else "Invalid value"
    return f"{label} for parameter {_name(path)}, value: {value}, valid min {what}: {_number(minimum)}"


def missing(path: str, member: str) -> str:
    return f'Missing required parameter in {_name(path)}: "{member}"'


def unknown(path: str, key: Any, names: str) -> str:
    return f'Unknown parameter in {_name(path)}: "{key}", must be one of: {names}'


def union_count(path: str, count: int, names: str) -> str:
    if count == 0:  # botocore's words, the missing space included
        return f"Must set one of the following keys for tagged unionstructure {_name(path)}: {names}."
    return (f"Invalid number of parameters set for tagged union structure {_name(path)}. "
            f"Can only set one of the following keys: {names}.")


def check_document(value: Any, path: str, problems: list[str]) -> None:
    """A document member: JSON values only (botocore's check, its paths included)."""
    if value is None or isinstance(value, (str, int, bool, float)):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            check_document(item, key, problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_document(item, f"{path}[{i}]", problems)
    else:
        problems.append(f"Invalid type for document parameter {_name(path)}, value: {value}, "
                        f"type: {type(value)}, valid types: {DOCUMENT}")


def check_jsonvalue(value: Any, path: str, problems: list[str]) -> None:
    """A jsonvalue header member: any value ``json.dumps`` takes (botocore's check)."""
    try:
        json.dumps(value)
    except (ValueError, TypeError) as exc:
        problems.append(f"Invalid parameter {_name(path)} must be json serializable: {exc}")


def b64json(value: Any) -> str:
    """A jsonvalue header: compact JSON of any value (a text too), base64-encoded."""
    return base64.b64encode(json.dumps(value, separators=(",", ":")).encode("utf-8")).decode("ascii")


def label(value: str, name: str) -> str:
    """A URI label percent-encoded as botocore encodes it ('/' too); an empty one stays
    empty, as botocore renders it (``name``: the typed client's refusal has it)."""
    del name
    return quote(value, safe="-_.~")


def greedy_label(value: str, name: str) -> str:
    del name
    return quote(value, safe="-_.~/")


_HOST_PREFIX = re.compile(r"^[A-Za-z0-9\.\-]+$")


def caller_order(items: list[str], static: int, params: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Query items (``name=value``, the static ones first) in the order of the caller's
    parameters, as botocore writes them; ``names``: item name -> member ("*": a map's)."""
    rank = {name: i for i, name in enumerate(params)}
    other = rank.get(names.get("*", ""), len(rank))

    def key(item: str) -> int:
        member = names.get(item.partition("=")[0])
        return other if member is None else rank.get(member, len(rank))

    return items[:static] + sorted(items[static:], key=key)


def check_host_labels(params: dict[str, Any], names: tuple[str, ...]) -> None:
    """Members bound to the host name: letters, digits, hyphens and periods (botocore's
    check after validation, every bad one named)."""
    bad = [n for n in names if isinstance(params.get(n), str) and not _HOST_PREFIX.match(params[n])]
    if bad:
        raise param_validation_error(f"Invalid value for parameter(s): {', '.join(bad)}. Must contain only "
                                     "alphanumeric characters, hyphen, or period.")


def invalid(problems: list[str]) -> Exception:
    return param_validation_error("\n".join(problems))


def no_params(params: dict[str, Any]) -> None:
    if params:
        raise invalid([unknown("", key, "") for key in params])


def is_blob(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, str)) or hasattr(value, "read")


def b64(value: Any) -> str:
    if not isinstance(value, (bytes, bytearray, str)):
        value = value.read()
    return _rt.b64encode(value)


b64d = binascii.a2b_base64  # base64.b64decode's non-strict decoding, without its wrapper


def ser_float(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        value = float(value)
    return _rt.ser_float(value) if isinstance(value, float) else value


def to_datetime(value: Any) -> _dt.datetime | None:
    """A timestamp parameter as botocore takes it (a datetime, epoch seconds, or a text
    form), timezone-aware; None when it is none of these."""
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _dt.datetime.fromtimestamp(float(value), _dt.timezone.utc)
        except (ValueError, OverflowError):
            pass
        try:
            return _rt.parse_ts_text(value)
        except (ValueError, TypeError):
            return None
    return None


# Timestamps in bodies as boto3 writes them: its client's serializer keeps whole seconds
# for epoch numbers (the typed client keeps milliseconds) and microseconds in ISO 8601.
def ts_epoch(value: _dt.datetime) -> int:
    return calendar.timegm(value.astimezone(_dt.timezone.utc).timetuple())


def ts_iso(value: _dt.datetime) -> str:
    utc = value.astimezone(_dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def ts_epoch_ms(value: _dt.datetime) -> float:
    """Epoch seconds with milliseconds, a float (botocore's millisecond precision)."""
    return ts_epoch(value) + (value.microsecond // 1000) / 1000.0


def ts_iso_ms(value: _dt.datetime) -> str:
    utc = value.astimezone(_dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + f".{utc.microsecond // 1000:03d}Z"


def ts_http(value: _dt.datetime) -> str:
    import email.utils  # ~4 ms to import: only for the few members that take HTTP dates

    return email.utils.formatdate(ts_epoch(value), usegmt=True)


# CBOR request values as botocore's RpcV2CBORSerializer encodes them (pre-encoded items the
# runtime's encoder writes as they are): floats in single precision, doubles in double,
# NaN and infinities as half-precision specials, timestamps as tag 1 + whole epoch seconds.
_HALF_SPECIALS = {"inf": b"\xf9\x7c\x00", "-inf": b"\xf9\xfc\x00", "nan": b"\xf9\x7e\x00"}


def _cbor_special(value: float) -> bytes | None:
    if value != value:
        return _HALF_SPECIALS["nan"]
    if value in (math.inf, -math.inf):
        return _HALF_SPECIALS["inf" if value > 0 else "-inf"]
    return None


def cbor_f32(value: Any) -> Any:
    from ..protocols.cbor import Encoded

    value = float(value)
    try:
        return Encoded(_cbor_special(value) or b"\xfa" + struct.pack(">f", value))
    except OverflowError:  # botocore's encoder fails the same way, less clearly
        raise invalid([f"Invalid value for a float parameter: {value} does not fit in single precision"]) from None


def cbor_f64(value: Any) -> Any:
    from ..protocols.cbor import Encoded

    value = float(value)
    return Encoded(_cbor_special(value) or b"\xfb" + struct.pack(">d", value))


def cbor_ts(value: _dt.datetime) -> Any:
    from ..protocols.cbor import Encoded, dumps

    return Encoded(b"\xc1" + dumps(ts_epoch(value)))


def cbor_blob(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return bytes(value.read())


def json_dict(body: bytes) -> Any:
    """A JSON answer as botocore reads it: empty is ``{}``; text that is not JSON becomes
    ``{"message": text}``."""
    if not body.strip():
        return {}
    try:
        return _rt.json_body(body)
    except ValueError:
        return {"message": body.decode("utf-8", "replace")}


def known(value: Any, names: frozenset[str]) -> dict[str, Any]:
    """A JSON object of a structure as botocore reads it: its members that are not null;
    keys the model does not know are dropped."""
    return {k: v for k, v in value.items() if v is not None and k in names}


def fix_map(value: Any, keys: frozenset[str], parse: Any, nulls: bool) -> Any:
    """A JSON object of structures, made botocore's in place: a structure whose keys all
    need no conversion (and holds no null) stays the dict ``json.loads`` made; the others
    go through ``parse``. DynamoDB items: most attribute values take the first way.
    ``nulls``: whether the answer's text holds ``null`` at all (else no value is None)."""
    plain = keys.issuperset
    if nulls:
        for key, item in value.items():
            if item.__class__ is not dict or not plain(item) or None in item.values():
                value[key] = None if item is None else parse(item, True)
    else:
        for key, item in value.items():
            if item.__class__ is not dict or not plain(item):
                value[key] = parse(item, False)
    return value


def fix_list(value: Any, keys: frozenset[str], parse: Any, nulls: bool) -> Any:
    """:func:`fix_map` for a JSON array of structures."""
    plain = keys.issuperset
    if nulls:
        for i, item in enumerate(value):
            if item.__class__ is not dict or not plain(item) or None in item.values():
                value[i] = None if item is None else parse(item, True)
    else:
        for i, item in enumerate(value):
            if item.__class__ is not dict or not plain(item):
                value[i] = parse(item, False)
    return value


def h_bool(value: str) -> bool:
    return value.lower() == "true"


def h_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",")]


def unb64json(value: str) -> Any:
    return json.loads(base64.b64decode(value).decode("utf-8"))


def header_prefix(headers: Any, prefix: str) -> dict[str, str]:
    size = len(prefix)
    return {name[size:]: value for name, value in headers.items() if name.lower().startswith(prefix)}


def streaming_body(resp: Any) -> _rt.StreamingBody:
    """botocore's StreamingBody's read(), iter_chunks(), iter_lines() and close()."""
    return _rt.StreamingBody(resp.raw if resp.raw is not None else _rt.BytesReader(resp.body))


def ms_datetime(value: Any) -> _dt.datetime:
    """An event header's timestamp (milliseconds since the epoch), as botocore reads it."""
    return _dt.datetime.fromtimestamp(value / 1000.0, _dt.timezone.utc)


def unsupported_stream(operation: str) -> dict[str, Any]:
    raise NotImplementedError(f"{operation}: event streams are not supported by the boto3-compatible client yet")
