"""CBOR bodies (smithy-rpc-v2-cbor): a small codec, the scalar parsers its generated code
calls, and how an error response names its code and message.

The codec (RFC 8949) is our own, in pure Python: :func:`dumps` writes definite lengths,
integers in their shortest form, floats as doubles, ``datetime`` as tag 1 epoch seconds
(millisecond precision, an integer when whole); :func:`loads` reads definite and
indefinite lengths, half/single/double floats, tags 0-3 (timestamps and big integers;
other tags give their content) and refuses malformed, truncated or over-deep input, or
lengths beyond the input's size, with :class:`~awsgen_runtime.wire.WireTypeError`.

Measured against cbor2 6.3 (C extension) by ``benchmarks/cbor_bench.py``: cbor2 decodes a
~2 KB answer in ~45-55 µs against our ~130-165 µs, and a ~50 KB one in ~1.1-1.9 ms against
our ~2.5-6.3 ms (2.4-3.4x faster; figures from a shared 2-core machine under load, the
ratios steady); it encodes 2.3-3.0x faster. That is much faster where it matters, large
answers, so cbor2 is an optional extra (``awsgen-runtime[fast]``): :func:`loads` is
cbor2-backed when cbor2 is installed (:func:`loads_cbor2`, with our checks for trailing
bytes and our errors) and our decoder (:func:`loads_py`) otherwise, both tested on the same
cases; requests, which are small, are always encoded by :func:`dumps`, so that what is sent
(millisecond timestamps, naive datetimes as UTC) does not depend on what is installed.
"""

from __future__ import annotations

import datetime as _dt
import struct
from typing import Any

from ..wire import WireTypeError, parse_ts_text

__all__ = ["dumps", "loads", "loads_py", "loads_cbor2", "loads_object", "error_info", "p_blob", "p_ts"]

UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
# Deeper nesting is refused: service answers nest a few dozen levels at most (DynamoDB's
# AttributeValue 32), and each level is one Python frame here.
MAX_DEPTH = 256

# ----- encoding ------------------------------------------------------------------

_B_B = struct.Struct(">BB").pack
_B_H = struct.Struct(">BH").pack
_B_I = struct.Struct(">BI").pack
_B_Q = struct.Struct(">BQ").pack
_B_D = struct.Struct(">Bd").pack


def _head(out: bytearray, major: int, n: int) -> None:
    """The initial byte(s) of an item: major type and a count or value ``n`` (< 2**64)."""
    m = major << 5
    if n < 24:
        out.append(m | n)
    elif n < 0x100:
        out += _B_B(m | 24, n)
    elif n < 0x10000:
        out += _B_H(m | 25, n)
    elif n < 0x100000000:
        out += _B_I(m | 26, n)
    else:
        out += _B_Q(m | 27, n)


def _int(out: bytearray, v: int) -> None:
    if v >= 0:
        if v < 24:
            out.append(v)
        elif v < 0x10000000000000000:
            _head(out, 0, v)
        else:  # tag 2: a big positive integer as bytes
            out.append(0xC2)
            _bytes(out, v.to_bytes((v.bit_length() + 7) // 8, "big"))
    else:
        n = -1 - v
        if n < 0x10000000000000000:
            _head(out, 1, n)
        else:  # tag 3
            out.append(0xC3)
            _bytes(out, n.to_bytes((n.bit_length() + 7) // 8, "big"))


def _bytes(out: bytearray, v: bytes | bytearray | memoryview) -> None:
    _head(out, 2, len(v))
    out += v


_MS = _dt.timedelta(milliseconds=1)


class Encoded(bytes):
    """An item already encoded, written as it is (the boto3-compatible client encodes
    floats and timestamps as botocore does: ``awsgen_runtime.boto3_compat._wire``)."""


def _epoch(v: _dt.datetime) -> int | float:
    """Epoch seconds of a datetime (naive means UTC) to the millisecond, as AWS reads
    them: an integer when whole, else the float nearest the decimal value."""
    ms = ((v if v.tzinfo is not None else v.replace(tzinfo=UTC)) - _EPOCH) // _MS
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def _enc(v: Any, out: bytearray, depth: int) -> None:
    t = v.__class__
    if t is str:
        b = v.encode("utf-8")
        n = len(b)
        if n < 24:
            out.append(0x60 | n)
        else:
            _head(out, 3, n)
        out += b
    elif t is dict:
        if depth > MAX_DEPTH:
            raise ValueError("CBOR: value nested too deeply to encode")
        n = len(v)
        if n < 24:
            out.append(0xA0 | n)
        else:
            _head(out, 5, n)
        depth += 1
        for k, x in v.items():
            if k.__class__ is str and len(k) < 24 and k.isascii():
                out.append(0x60 | len(k))
                out += k.encode("ascii")
            else:
                _enc(k, out, depth)
            if x.__class__ is str:  # the usual value, inline
                b = x.encode("utf-8")
                n = len(b)
                if n < 24:
                    out.append(0x60 | n)
                else:
                    _head(out, 3, n)
                out += b
            else:
                _enc(x, out, depth)
    elif t is int:
        _int(out, v)
    elif t is list or t is tuple:
        if depth > MAX_DEPTH:
            raise ValueError("CBOR: value nested too deeply to encode")
        n = len(v)
        if n < 24:
            out.append(0x80 | n)
        else:
            _head(out, 4, n)
        depth += 1
        for x in v:
            _enc(x, out, depth)
    elif t is float:
        out += _B_D(0xFB, v)
    elif t is bool:
        out.append(0xF5 if v else 0xF4)
    elif v is None:
        out.append(0xF6)
    elif t is bytes or t is bytearray or t is memoryview:
        _bytes(out, v)
    elif t is _dt.datetime:
        out.append(0xC1)
        _enc(_epoch(v), out, depth)
    elif t is Encoded:
        out += v
    # subclasses (open enums are str subclasses) and other mappings / sequences
    elif isinstance(v, bool):
        out.append(0xF5 if v else 0xF4)
    elif isinstance(v, str):
        _enc(str.__str__(v), out, depth)
    elif isinstance(v, int):
        _int(out, int(v))
    elif isinstance(v, float):
        out += _B_D(0xFB, float(v))
    elif isinstance(v, _dt.datetime):
        out.append(0xC1)
        _enc(_epoch(v), out, depth)
    elif isinstance(v, (bytes, bytearray)):
        _bytes(out, v)
    elif isinstance(v, dict):
        _enc(dict(v), out, depth)
    elif isinstance(v, (list, tuple)):
        _enc(list(v), out, depth)
    else:
        raise TypeError(f"CBOR: cannot encode a {type(v).__name__}")


def dumps(value: Any) -> bytes:
    """``value`` (dict, list, tuple, str, bytes, int, float, bool, None, datetime) as CBOR."""
    out = bytearray()
    _enc(value, out, 0)
    return bytes(out)


# ----- decoding ------------------------------------------------------------------

_U16 = struct.Struct(">H").unpack_from
_U32 = struct.Struct(">I").unpack_from
_U64 = struct.Struct(">Q").unpack_from
_F16 = struct.Struct(">e").unpack_from
_F32 = struct.Struct(">f").unpack_from
_F64 = struct.Struct(">d").unpack_from


class _Malformed(Exception):
    """Raised inside the decoder; :func:`loads` turns it into WireTypeError."""


def _arg(b: bytes, i: int, info: int) -> tuple[int, int]:
    """The argument of an initial byte whose additional information is ``info`` >= 24."""
    if info == 24:
        return b[i], i + 1
    if info == 25:
        return _U16(b, i)[0], i + 2
    if info == 26:
        return _U32(b, i)[0], i + 4
    if info == 27:
        return _U64(b, i)[0], i + 8
    raise _Malformed(f"reserved additional information {info} at byte {i - 1}")


def _chunks(b: bytes, i: int, major: int) -> tuple[bytes, int]:
    """An indefinite-length byte or text string: definite chunks of the same type until 0xff."""
    parts = []
    n = len(b)
    while b[i] != 0xFF:
        ib = b[i]
        if ib >> 5 != major or ib & 31 == 31:
            raise _Malformed(f"bad chunk of an indefinite-length string at byte {i}")
        info = ib & 31
        if info < 24:
            size, i = info, i + 1
        else:
            size, i = _arg(b, i + 1, info)
        end = i + size
        if end > n:
            raise _Malformed("truncated string")
        parts.append(b[i:end])
        i = end
    return b"".join(parts), i + 1


def _item(b: bytes, i: int, depth: int) -> tuple[Any, int]:
    ib = b[i]
    i += 1
    major = ib >> 5
    info = ib & 31
    if major == 7:
        if ib == 0xF4:
            return False, i
        if ib == 0xF5:
            return True, i
        if ib == 0xF6 or ib == 0xF7:  # null, undefined
            return None, i
        if ib == 0xFB:
            return _F64(b, i)[0], i + 8
        if ib == 0xFA:
            return _F32(b, i)[0], i + 4
        if ib == 0xF9:
            return _F16(b, i)[0], i + 2
        if ib == 0xFF:
            raise _Malformed(f"unexpected break at byte {i - 1}")
        raise _Malformed(f"unsupported simple value 0x{ib:02x} at byte {i - 1}")
    if info < 24:
        n = info
    elif info == 31:
        n = -1
    else:
        n, i = _arg(b, i, info)
    if major == 3:  # text
        if n < 0:
            raw, i = _chunks(b, i, 3)
            return raw.decode("utf-8"), i
        end = i + n
        if end > len(b):
            raise _Malformed("truncated text string")
        return b[i:end].decode("utf-8"), end
    if major == 0:
        if n < 0:
            raise _Malformed("indefinite-length integer")
        return n, i
    if major == 5:  # map
        if depth >= MAX_DEPTH:
            raise _Malformed("nested too deeply")
        depth += 1
        d: dict[Any, Any] = {}
        size = len(b)
        if n < 0:
            while b[i] != 0xFF:
                k, i = _item(b, i, depth)
                d[k], i = _item(b, i, depth)
            return d, i + 1
        if n > (size - i) >> 1:
            raise _Malformed(f"map of {n} pairs in {size - i} bytes")
        for _ in range(n):
            kb = b[i]
            if 0x60 <= kb < 0x78:  # a short text key, the usual case
                end = i + 1 + (kb & 31)
                if end > size:
                    raise _Malformed("truncated text string")
                k = b[i + 1 : end].decode("utf-8")
                i = end
            else:
                k, i = _item(b, i, depth)
            vb = b[i]  # short text and small integers inline, without a call
            if 0x60 <= vb < 0x78:
                end = i + 1 + (vb & 31)
                if end > size:
                    raise _Malformed("truncated text string")
                d[k] = b[i + 1 : end].decode("utf-8")
                i = end
            elif vb < 24:
                d[k] = vb
                i += 1
            else:
                d[k], i = _item(b, i, depth)
        return d, i
    if major == 4:  # array
        if depth >= MAX_DEPTH:
            raise _Malformed("nested too deeply")
        depth += 1
        out: list[Any] = []
        append = out.append
        if n < 0:
            while b[i] != 0xFF:
                x, i = _item(b, i, depth)
                append(x)
            return out, i + 1
        if n > len(b) - i:
            raise _Malformed(f"array of {n} items in {len(b) - i} bytes")
        size = len(b)
        for _ in range(n):
            vb = b[i]
            if 0x60 <= vb < 0x78:
                end = i + 1 + (vb & 31)
                if end > size:
                    raise _Malformed("truncated text string")
                append(b[i + 1 : end].decode("utf-8"))
                i = end
            else:
                x, i = _item(b, i, depth)
                append(x)
        return out, i
    if major == 1:
        if n < 0:
            raise _Malformed("indefinite-length integer")
        return -1 - n, i
    if major == 2:  # bytes
        if n < 0:
            return _chunks(b, i, 2)
        end = i + n
        if end > len(b):
            raise _Malformed("truncated byte string")
        return b[i:end], end
    # major 6: a tag
    if n < 0:
        raise _Malformed("indefinite-length tag")
    if depth >= MAX_DEPTH:
        raise _Malformed("nested too deeply")
    value, i = _item(b, i, depth + 1)
    if n == 1:
        if value.__class__ is bool or not isinstance(value, (int, float)):
            raise _Malformed(f"tag 1 of a {type(value).__name__}")
        return _from_epoch(value), i
    if n == 0:
        if not isinstance(value, str):
            raise _Malformed(f"tag 0 of a {type(value).__name__}")
        return parse_ts_text(value), i
    if n == 2 or n == 3:
        if not isinstance(value, bytes):
            raise _Malformed(f"tag {n} of a {type(value).__name__}")
        big = int.from_bytes(value, "big")
        return (big if n == 2 else -1 - big), i
    return value, i


_fromtimestamp = _dt.datetime.fromtimestamp


def _from_epoch(value: float) -> _dt.datetime:
    try:
        return _fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):
        pass
    try:  # before 1970 on platforms whose C library refuses it
        return _EPOCH + _dt.timedelta(seconds=value)
    except (OverflowError, ValueError) as exc:
        raise _Malformed(f"timestamp out of range: {value!r}") from exc


def loads_py(data: bytes | bytearray | memoryview) -> Any:
    """The value of one CBOR data item filling ``data``, by our own decoder;
    WireTypeError when malformed."""
    b = bytes(data)
    try:
        value, i = _item(b, 0, 0)
    except _Malformed as exc:
        raise WireTypeError(f"malformed CBOR: {exc}") from None
    except (IndexError, struct.error):
        raise WireTypeError("malformed CBOR: truncated") from None
    except UnicodeDecodeError as exc:
        raise WireTypeError(f"malformed CBOR: a text string is not UTF-8 ({exc.reason})") from None
    except TypeError as exc:  # an unhashable map key (an array or a map)
        raise WireTypeError(f"malformed CBOR: {exc}") from None
    except RecursionError:
        raise WireTypeError("malformed CBOR: nested too deeply") from None
    if i != len(b):
        raise WireTypeError(f"malformed CBOR: {len(b) - i} bytes after the data item")
    return value


try:  # the optional extra ``awsgen-runtime[fast]``: cbor2's C decoder, used when installed
    import cbor2 as _cbor2  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    _cbor2 = None  # type: ignore[assignment, unused-ignore]


def _tag_content(first: Any, second: Any) -> Any:
    """As ours, a tag cbor2 does not know gives its content. (cbor2 6 passes
    ``(tag, immutable)``, cbor2 5 ``(decoder, tag)``.)"""
    tag = first if isinstance(first, _cbor2.CBORTag) else second
    return tag.value


def loads_cbor2(data: bytes | bytearray | memoryview) -> Any:
    """:func:`loads_py`'s result, by cbor2's C decoder (the same values for the AWS data
    model; semantic tags beyond 0-3, simple values and non-text map keys come back as
    cbor2 makes them, which typed parsers refuse). WireTypeError when malformed."""
    if _cbor2 is None:  # pragma: no cover - depends on the environment
        raise RuntimeError("cbor2 is not installed")
    import io

    fp = io.BytesIO(data)
    try:
        value = _cbor2.CBORDecoder(fp, tag_hook=_tag_content).decode()
    except (_cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError, MemoryError,
            KeyError, IndexError) as exc:
        raise WireTypeError(f"malformed CBOR: {exc}") from None
    rest = len(data) - fp.tell()
    if rest:
        raise WireTypeError(f"malformed CBOR: {rest} bytes after the data item")
    return value


loads = loads_py if _cbor2 is None else loads_cbor2


def loads_object(body: bytes) -> dict[str, Any]:
    """A response body that holds a structure: a CBOR map, or nothing (an empty output)."""
    if not body:
        return {}
    value = loads(body)
    if value.__class__ is not dict:
        raise WireTypeError(f"expected a CBOR map body, got {type(value).__name__}")
    return value


# ----- scalars of a decoded body --------------------------------------------------


def p_blob(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    raise WireTypeError(f"expected a byte string, got {type(value).__name__} {value!r:.60}")


def p_ts(value: Any) -> _dt.datetime:
    """A timestamp: tag 1 (already a datetime) or, leniently, bare epoch seconds."""
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _from_epoch(value)
        except _Malformed as exc:
            raise WireTypeError(str(exc)) from None
    raise WireTypeError(f"expected a timestamp, got {type(value).__name__} {value!r:.60}")


# ----- errors ----------------------------------------------------------------------


def error_info(resp: Any, query_compatible: bool = False) -> tuple[str, str, dict[str, Any] | None]:
    """(code, message, body) of a CBOR error response; code "" when none is given, body
    None when the response holds something other than a CBOR map.

    The code is the body's ``__type`` without namespace or ``:suffix``; a query-compatible
    service's ``x-amzn-query-error`` header (``Code;Sender``) takes precedence.
    """
    body: dict[str, Any] | None = {}
    if resp.body:
        try:
            parsed = loads(resp.body)
        except WireTypeError:
            parsed = None
        body = parsed if isinstance(parsed, dict) else None
    found = body or {}
    code = ""
    if query_compatible:
        qe = resp.headers.get("x-amzn-query-error")
        if qe:
            code = str(qe).split(";", 1)[0]
    if not code:
        raw = found.get("__type")
        if isinstance(raw, str):
            code = raw.split(":", 1)[0]
            if "#" in code:
                code = code.rsplit("#", 1)[1]
    message = found.get("message", found.get("Message", found.get("errorMessage", "")))
    if not isinstance(message, str):
        message = str(message)
    return code, message, body
