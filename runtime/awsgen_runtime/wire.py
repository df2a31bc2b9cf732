"""Value conversions between Python and the wire, shared by every generated client.

Generated serializers and parsers call these small functions; nothing here reads a
model. Parsers raise :class:`WireTypeError` on a value of the wrong JSON type; the
client turns it into :class:`~awsgen_runtime.errors.ResponseParseError`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
import math
import re
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, unquote_plus

from .errors import AwsGenError, ParamValidationError, TransportError

if TYPE_CHECKING:  # generated code's names for them; imported at first use (see __getattr__)
    from .eventstream import EventStream as EventStream
    from .eventstream import header_value as header_value

T = TypeVar("T")
UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)


class WireTypeError(TypeError):
    """A response value had a JSON type the model does not allow."""


# ----- requests --------------------------------------------------------------------


class Request:
    """A serialized operation call, before endpoint, signing and transport."""

    __slots__ = ("method", "path", "query", "headers", "body", "host_prefix")

    def __init__(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: Any = b"",
        host_prefix: str = "",
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        if body and isinstance(body, (bytes, bytearray)):
            # Known here, not only in the transport, so that signing covers it too.
            headers["Content-Length"] = str(len(body))
        self.headers = headers
        self.body = body
        self.host_prefix = host_prefix


# botocore's default ``request_min_compression_size_bytes``: smaller bodies are sent as they are.
MIN_COMPRESSION_SIZE = 10240


def gzip_body(body: Any, headers: dict[str, str]) -> Any:
    """The body gzip-compressed, for operations whose model asks for it, if big enough.

    ``gzip`` is appended to any Content-Encoding already set by a header member.
    Streaming bodies are sent as they are.
    """
    if not isinstance(body, (bytes, bytearray)) or len(body) < MIN_COMPRESSION_SIZE:
        return body
    current = headers.get("Content-Encoding")
    headers["Content-Encoding"] = f"{current}, gzip" if current else "gzip"
    import gzip

    return gzip.compress(bytes(body), mtime=0)


def content_md5(body: Any, headers: dict[str, str]) -> None:
    """Set Content-MD5 (base64 of the MD5 digest) for operations that require a checksum."""
    if isinstance(body, (bytes, bytearray)):
        import hashlib

        digest = hashlib.md5(body, usedforsecurity=False).digest()
        headers["Content-MD5"] = base64.b64encode(digest).decode("ascii")


def new_token() -> str:
    """A fresh idempotency token."""
    import uuid

    return str(uuid.uuid4())


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def json_dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


_UNRESERVED = "-_.~"


def q(value: str) -> str:
    """Percent-encode a query key or value (RFC 3986 unreserved characters kept)."""
    return quote(value, safe=_UNRESERVED)


def header_map(headers: Any) -> dict[str, str]:
    """Response headers as a plain dict by lowercase name; repeated headers joined by
    ", " as urllib3's ``HTTPHeaderDict.get`` joins them (botocore's ``HTTPHeaders``).
    urllib3's HTTPHeaderDict keeps them so already: read directly (a fifth of the cost of
    its ``itermerged()``) when its layout is the expected one, else the public way."""
    container = getattr(headers, "_container", None)
    if container.__class__ is dict:
        try:
            return {k: v[1] if len(v) == 2 else ", ".join(v[1:]) for k, v in container.items()}
        except (TypeError, IndexError):
            pass
    merged = getattr(headers, "itermerged", None)
    return {k.lower(): v for k, v in (merged() if merged is not None else headers.items())}


def url_decode(value: str) -> str:
    """A name S3 sent URL-encoded (``EncodingType=url``), decoded as botocore does
    (``+`` is a space)."""
    return unquote_plus(value) if ("%" in value or "+" in value) else value


def need(value: T | None, name: str) -> T:
    """A value the request cannot be built without (a URI or host label)."""
    if value is None:
        raise ParamValidationError([f"{name}: required"])
    return value


def label(value: str, name: str) -> str:
    """A URI label: percent-encoded, '/' included; empty values are refused."""
    if value == "":
        raise ParamValidationError([f"{name}: a URI label must not be empty"])
    return quote(value, safe=_UNRESERVED)


def greedy_label(value: str, name: str) -> str:
    """A greedy URI label: percent-encoded segment by segment, '/' kept."""
    if value == "":
        raise ParamValidationError([f"{name}: a URI label must not be empty"])
    return quote(value, safe=_UNRESERVED + "/")


_HOST_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?$")


def host_label(value: str, name: str) -> str:
    """A value bound into the host name: each dot-separated part a valid host label."""
    if not value or not all(_HOST_LABEL.match(part) for part in value.split(".")):
        raise ParamValidationError([f"{name}: {value!r} is not a valid host label"])
    return value


# ----- scalars to the wire -------------------------------------------------------


def ser_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def text_float(value: float) -> str:
    """A float in a header, query or label: NaN/Infinity by name, an int as given,
    else the shortest text that reads back as the same float (``1.1``, ``1e+100``)."""
    v = ser_float(value)
    if isinstance(v, str):
        return v
    if isinstance(value, int):
        return str(value)
    return repr(float(v))


def text_bool(value: bool) -> str:
    return "true" if value else "false"


def b64encode(value: bytes | bytearray | str) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).decode("ascii")


def b64json(value: Any) -> str:
    """A JSON value sent in a header: compact JSON, then base64."""
    if isinstance(value, str):
        raw = value.encode("utf-8")
    else:
        raw = json.dumps(value, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(raw).decode("ascii")


def _timegm(value: _dt.datetime) -> int:
    """Whole seconds since the epoch of an aware UTC datetime."""
    return (value.replace(microsecond=0) - _EPOCH) // _dt.timedelta(seconds=1)


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ts_epoch(value: _dt.datetime) -> int | float:
    v = _aware(value)
    seconds = _timegm(v)
    millis = v.microsecond // 1000  # epoch seconds carry millisecond precision on the wire
    if millis:
        return seconds + millis / 1000
    return seconds


def ts_iso(value: _dt.datetime) -> str:
    v = _aware(value)
    if v.microsecond:
        return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
    return v.strftime("%Y-%m-%dT%H:%M:%SZ")


def ts_http(value: _dt.datetime) -> str:
    v = _aware(value)
    from email.utils import formatdate

    return formatdate(_timegm(v), usegmt=True)


def ts_epoch_text(value: _dt.datetime) -> str:
    v = ts_epoch(value)
    return str(v)


ts_iso_text = ts_iso
ts_http_text = ts_http


def h_join_strings(values: Any) -> str:
    """A list of strings as one header value; items with ',' or '"' are quoted."""
    out = []
    for v in values:
        if "," in v or '"' in v:
            v = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(v)
    return ", ".join(out)


# ----- the wire to Python ----------------------------------------------------------


def _bad(expected: str, value: Any) -> WireTypeError:
    return WireTypeError(f"expected {expected}, got {type(value).__name__} {value!r:.60}")


def p_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _bad("a string", value)


def p_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _bad("an integer", value)


def p_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if value in ("NaN", "Infinity", "-Infinity"):
        return float(value)
    raise _bad("a number", value)


def p_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _bad("a boolean", value)


def p_blob(value: Any) -> bytes:
    if isinstance(value, str):
        try:
            return binascii.a2b_base64(value)  # = base64.b64decode(value), without its wrapper
        except (binascii.Error, ValueError) as exc:
            raise WireTypeError(f"invalid base64: {value!r:.60}") from exc
    raise _bad("a base64 string", value)


def p_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise _bad("a list", value)


def p_str_list(value: Any) -> list[str]:
    """A list of strings (JSON nulls dropped). ``"".join`` checks every item's type in C."""
    if value.__class__ is list:
        try:
            "".join(value)
            return value
        except TypeError:  # an item that is not a string (or a null to drop)
            pass
    return [p_str(v) for v in p_list(value) if v is not None]


def p_map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _bad("an object", value)


def p_object(value: Any) -> dict[str, Any]:
    return p_map(value)


def p_ts(value: Any) -> _dt.datetime:
    """A timestamp in any of the forms services send: epoch number, ISO 8601, HTTP date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(value)
    if isinstance(value, str):
        return parse_ts_text(value)
    raise _bad("a timestamp", value)


def _from_epoch(value: float) -> _dt.datetime:
    try:
        return _EPOCH + _dt.timedelta(seconds=value)
    except (OverflowError, ValueError) as exc:
        raise WireTypeError(f"timestamp out of range: {value!r}") from exc


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$"
)


def parse_iso(text: str) -> _dt.datetime | None:
    """An ISO 8601 date and time (any number of fraction digits, ``Z`` or an offset with or
    without a colon, none meaning UTC) as an aware UTC datetime; None when ``text`` has
    another form, ValueError for a date or time that does not exist. The same on every
    Python, where ``datetime.fromisoformat`` reads these forms only from 3.11 on."""
    m = _ISO.match(text)
    if m is None:
        return None
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    dt = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, tzinfo=UTC)
    if sign:
        offset = _dt.timedelta(hours=int(oh), minutes=int(om))
        dt = dt - offset if sign == "+" else dt + offset
    return dt


def parse_ts_text(value: str) -> _dt.datetime:
    text = value.strip()
    try:
        dt = parse_iso(text)
    except ValueError as exc:
        raise WireTypeError(f"invalid timestamp: {value!r}") from exc
    if dt is not None:
        return dt
    try:
        return _from_epoch(float(text))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError) as exc:
        raise WireTypeError(f"invalid timestamp: {value!r}") from exc
    return _aware(dt)


def h_int(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise WireTypeError(f"expected an integer header, got {value!r:.60}") from exc


def h_float(value: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise WireTypeError(f"expected a number header, got {value!r:.60}") from exc


def h_bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "false"):
        return v == "true"
    raise WireTypeError(f"expected a boolean header, got {value!r:.60}")


_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                          "Nov", "Dec"), 1)}
# RFC 7231's IMF-fixdate, as every AWS header timestamp is sent: "Sun, 06 Nov 1994 08:49:37 GMT".
_IMF_FIXDATE = re.compile(r"[A-Z][a-z]{2}, (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT")


def h_ts(value: str) -> _dt.datetime:
    m = _IMF_FIXDATE.fullmatch(value)
    if m is not None and m.group(2) in _MONTHS:  # the usual form, without email.utils (~4x faster)
        d, mon, y, hh, mm, ss = m.groups()
        try:
            return _dt.datetime(int(y), _MONTHS[mon], int(d), int(hh), int(mm), int(ss), tzinfo=UTC)
        except ValueError as exc:
            raise WireTypeError(f"invalid timestamp: {value!r}") from exc
    return parse_ts_text(value)


def h_ts_or_none(value: str) -> _dt.datetime | None:
    """A header timestamp, or None when the header holds other text (S3's Expires)."""
    try:
        return h_ts(value)
    except (WireTypeError, ValueError, OverflowError):
        return None


def unb64json(value: str) -> Any:
    """A JSON value header: base64 of JSON text.

    An object or array is returned parsed, as botocore returns it; any other value
    is returned as the decoded text, which is what a media-typed string header holds.
    """
    try:
        text = base64.b64decode(value).decode("utf-8")
    except (ValueError, binascii.Error) as exc:
        raise WireTypeError(f"invalid base64 header value: {value!r:.60}") from exc
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise WireTypeError(f"invalid JSON header value: {value!r:.60}") from exc
    return text


def h_split(value: str) -> list[str]:
    """Split a list header on commas, honouring double-quoted items."""
    out: list[str] = []
    i, n = 0, len(value)
    while i <= n:
        while i < n and value[i] in " \t":
            i += 1
        if i < n and value[i] == '"':
            i += 1
            buf = []
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(value[i])
                i += 1
            out.append("".join(buf))
            i += 1
            while i < n and value[i] != ",":
                i += 1
            i += 1
        else:
            j = value.find(",", i)
            if j < 0:
                j = n
            out.append(value[i:j].strip())
            i = j + 1
    return out


def h_split_dates(value: str) -> list[str]:
    """Split a list of HTTP dates, each of which holds one comma itself."""
    parts = [p.strip() for p in value.split(",")]
    if any(p[:3].isalpha() and len(p) == 3 for p in parts[::2]) and len(parts) % 2 == 0:
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return parts


def _find_orjson() -> Any:
    """orjson's ``loads`` (and ``dumps``, kept aside), from the optional extra
    ``awsgen-runtime[fast]``; else None. Looked for at the first JSON body, not at
    import: importing orjson costs ~10 ms."""
    global _orjson_loads, _orjson_dumps
    from importlib import import_module

    try:
        module = import_module("orjson")
        _orjson_loads, _orjson_dumps = module.loads, module.dumps
    except ImportError:
        _orjson_loads = _orjson_dumps = None
    return _orjson_loads


_UNSET: Any = object()
_orjson_loads: Any = _UNSET
_orjson_dumps: Any = _UNSET


def json_bytes(value: Any) -> bytes:
    """:func:`json_dumps` by orjson when it is installed (~15x faster on a small body).
    Only for values holding no ``float`` that is not finite (orjson writes ``null`` where
    ``json`` writes ``NaN``): the generated code calls it for bodies without document
    members (model floats are written by :func:`ser_float`). The JSON values are equal;
    the spelling of an exponent may differ (``1e16`` for ``1e+16``). Whatever orjson
    refuses (an integer beyond 64 bits, a key that is not a string) goes to ``json``."""
    dumps = _orjson_dumps
    if dumps is _UNSET:
        _find_orjson()
        dumps = _orjson_dumps
    if dumps is not None:
        try:
            return dumps(value)  # type: ignore[no-any-return]
        except TypeError:  # orjson.JSONEncodeError
            pass
    return json_dumps(value)


def json_body(body: bytes) -> Any:
    """The parsed JSON body; an empty (or all-whitespace) body is an empty object.

    orjson decodes when it is installed (20-30% faster on large answers, whose
    dicts and lists dominate). Whatever orjson refuses (``NaN`` literals, UTF-16/32,
    deep nesting, lone surrogates, whitespace-only or malformed text) goes to
    ``json.loads``, so results and errors are the standard library's. One difference
    remains: orjson reads an integer beyond 64 bits (outside every model's integer and
    long, possible only in a document member) as a float.
    """
    if not body:
        return {}
    loads = _orjson_loads
    if loads is _UNSET:
        loads = _find_orjson()
    if loads is not None:
        try:
            return loads(body)
        except ValueError:  # orjson.JSONDecodeError
            pass
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        if not body.strip():
            return {}
        raise WireTypeError(f"response body is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise WireTypeError("response body is JSON nested too deeply to parse") from exc


def json_object(body: bytes) -> dict[str, Any]:
    value = json_body(body)
    if not isinstance(value, dict):
        raise _bad("a JSON object body", value)
    return value


class StreamingBody:
    """A response body to read as a stream; close it (or use ``with``) when done.

    From the asyncio client, the same object is read with ``await body.aread()``,
    ``async for chunk in body.aiter_chunks()`` and closed with ``await body.aclose()``
    (or ``async with``); the blocking methods then raise, as the async ones do on a
    blocking client's body.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    @property
    def is_async(self) -> bool:
        """Whether the body is read with ``await`` (an asyncio client's stream). Bytes
        already received (a BytesReader) read either way and count as blocking."""
        return hasattr(self._raw, "aread") and not hasattr(self._raw, "getbuffer")

    def read(self, amt: int | None = None) -> bytes:
        if self.is_async and not hasattr(self._raw, "read"):
            raise TypeError("this body is an asyncio stream: use `await body.aread()`")
        try:
            data = self._raw.read(amt) if amt is not None else self._raw.read()
        except AwsGenError:
            raise
        except Exception as exc:  # the transport's own errors (connection lost, truncated body)
            raise TransportError(f"reading the response stream failed: {exc}") from exc
        return bytes(data)

    def read_some(self, amt: int = 65536) -> bytes:
        """What has arrived, up to ``amt`` bytes, waiting only when nothing has: for
        streams read as they come (events), where :meth:`read` would wait for ``amt``."""
        read1 = getattr(self._raw, "read1", None)
        if read1 is None:
            return self.read(amt)
        try:
            return bytes(read1(amt))
        except AwsGenError:
            raise
        except Exception as exc:  # the transport's own errors (connection lost, truncated body)
            raise TransportError(f"reading the response stream failed: {exc}") from exc

    async def aread(self, amt: int | None = None) -> bytes:
        if not self.is_async:
            if hasattr(self._raw, "getbuffer"):  # bytes already received read the same way
                return self.read(amt)
            raise TypeError("this body is a blocking stream: use `body.read()`")
        try:
            data = await self._raw.aread(amt)
        except AwsGenError:
            raise
        except Exception as exc:  # noqa: BLE001 - asyncio's cancellation is a BaseException and passes
            raise TransportError(f"reading the response stream failed: {exc}") from exc
        return bytes(data)

    def iter_chunks(self, chunk_size: int = 65536) -> Any:
        while True:
            chunk = self.read(chunk_size)
            if not chunk:
                return
            yield chunk

    async def aiter_chunks(self, chunk_size: int = 65536) -> Any:
        while True:
            chunk = await self.aread(chunk_size)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        close = getattr(self._raw, "release_conn", None) or getattr(self._raw, "close", None)
        if close is not None:
            close()

    def abort(self) -> None:
        """Stop reading a body not read to its end: its connection is shut down and closed
        (the server sees the end at once), never returned to the pool half-read."""
        raw = self._raw
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        if sock is not None:  # shut down whoever still holds a reference to the socket
            import socket

            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if hasattr(raw, "close") and not hasattr(raw, "getbuffer"):
            raw.close()
        self.close()  # releasing a closed connection pools nothing

    async def aclose(self) -> None:
        aclose = getattr(self._raw, "aclose", None)
        if aclose is not None:
            await aclose()
        else:
            self.close()

    def __enter__(self) -> StreamingBody:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> StreamingBody:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def BytesReader(data: bytes) -> Any:  # noqa: N802 - reads like a class at call sites
    """A file-like reader over bytes already received."""
    import io

    return io.BytesIO(data)


def event_stream_unsupported(member: str) -> Any:
    """An input event stream (Bedrock's and Polly's bidirectional streams): sending one
    needs HTTP/2, which this runtime's transports do not speak (see the README)."""
    raise ParamValidationError([f"{member}: sending an event stream needs HTTP/2 bidirectional streaming, "
                                "which this client does not support"])


def __getattr__(name: str) -> Any:
    """``EventStream`` and ``header_value``, from awsgen_runtime.eventstream, imported when
    a client with event streams first needs them: most packages never do."""
    if name in ("EventStream", "header_value"):
        from . import eventstream

        return getattr(eventstream, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
