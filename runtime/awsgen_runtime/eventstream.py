"""The ``application/vnd.amazon.eventstream`` framing, decoded incrementally.

A message is a 12-byte prelude (total length, headers length, both big-endian
uint32, and the CRC32 of those 8 bytes), the headers, the payload, and the CRC32 of
everything before it. A header is a one-byte name length, the name, a type byte and
a value: true (0), false (1), byte (2), short (3), integer (4), long (5), byte array
(6, uint16 length), string (7, uint16 length), timestamp (8, int64 milliseconds) and
UUID (9, 16 bytes). :class:`EventStreamDecoder` takes bytes as they arrive, in any
pieces, and gives whole messages; anything malformed raises an
:class:`EventStreamError` naming what is wrong, never a struct or index error.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, TypeVar

from .errors import AwsGenError

__all__ = ["EventStream", "EventStreamDecoder", "EventStreamError", "Message", "header_value", "messages_of"]

_PRELUDE = 12
_MAX_HEADERS = 128 * 1024  # the framing's limits (as the AWS SDKs enforce them)
_MAX_PAYLOAD = 16 * 1024 * 1024
_TYPE_SIZES = {2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_INTS = {2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}


class EventStreamError(AwsGenError):
    """A malformed event-stream message; ``kind`` says how: "checksum", "headers-length",
    "payload-length", "duplicate-header", "header", "payload" (an event that is not what
    the model says)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Message:
    """One decoded message: ``headers`` (name -> bool, int, bytes or str; a timestamp as
    its milliseconds, a UUID as its 16 bytes), ``payload`` and the two CRCs."""

    __slots__ = ("total_length", "headers_length", "prelude_crc", "headers", "payload", "crc")

    def __init__(self, total_length: int, headers_length: int, prelude_crc: int, headers: dict[str, Any],
                 payload: bytes, crc: int) -> None:
        self.total_length = total_length
        self.headers_length = headers_length
        self.prelude_crc = prelude_crc
        self.headers = headers
        self.payload = payload
        self.crc = crc

    def __repr__(self) -> str:
        return f"Message(headers={self.headers!r}, payload={len(self.payload)} bytes)"


def _headers(data: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pos, end = 0, len(data)
    try:
        while pos < end:
            size = data[pos]
            name = data[pos + 1:pos + 1 + size].decode("utf-8")
            pos += 1 + size
            kind = data[pos]
            pos += 1
            value: Any
            if kind in (0, 1):
                value = kind == 0
            elif kind in _INTS:
                width = _TYPE_SIZES[kind]
                if pos + width > end:
                    raise IndexError
                value = struct.unpack_from(_INTS[kind], data, pos)[0]
                pos += width
            elif kind == 9:
                if pos + 16 > end:
                    raise IndexError
                value, pos = data[pos:pos + 16], pos + 16
            elif kind in (6, 7):
                length = struct.unpack_from(">H", data, pos)[0]
                raw = data[pos + 2:pos + 2 + length]
                if len(raw) != length:
                    raise IndexError
                value = raw.decode("utf-8") if kind == 7 else raw
                pos += 2 + length
            else:
                raise EventStreamError("header", f"event-stream header {name!r} has an unknown type {kind}")
            if name in out:
                raise EventStreamError("duplicate-header", f"event-stream header {name!r} appears twice")
            out[name] = value
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise EventStreamError("header", f"event-stream headers are malformed: {exc or 'cut short'}") from None
    return out


class EventStreamDecoder:
    """Feed it bytes (:meth:`feed`), take whole messages (iterate it)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> int:
        """Bytes received that do not make a whole message yet."""
        return len(self._buffer)

    def __iter__(self) -> Iterator[Message]:
        while True:
            message = self._next()
            if message is None:
                return
            yield message

    def _next(self) -> Message | None:
        buf = self._buffer
        if len(buf) < _PRELUDE:
            return None
        total, headers_length, prelude_crc = struct.unpack_from(">III", buf, 0)
        if zlib.crc32(bytes(buf[:8])) != prelude_crc:
            raise EventStreamError("checksum", "event-stream message prelude: CRC32 mismatch")
        if headers_length > _MAX_HEADERS:
            raise EventStreamError("headers-length", f"event-stream headers of {headers_length} bytes "
                                   f"(at most {_MAX_HEADERS})")
        payload_length = total - headers_length - _PRELUDE - 4
        if payload_length < 0 or payload_length > _MAX_PAYLOAD:
            raise EventStreamError("payload-length", f"event-stream payload of {payload_length} bytes "
                                   f"(0 to {_MAX_PAYLOAD})")
        if len(buf) < total:
            return None
        crc = struct.unpack_from(">I", buf, total - 4)[0]
        if zlib.crc32(bytes(buf[:total - 4])) != crc:
            raise EventStreamError("checksum", "event-stream message: CRC32 mismatch")
        headers = _headers(bytes(buf[_PRELUDE:_PRELUDE + headers_length]))
        payload = bytes(buf[_PRELUDE + headers_length:total - 4])
        del buf[:total]
        return Message(total, headers_length, prelude_crc, headers, payload, crc)


def messages_of(stream: Any, chunk: int = 64 * 1024) -> Iterator[Message]:
    """The messages of a readable stream, decoded as its bytes arrive; a stream that ends
    inside a message raises :class:`EventStreamError`."""
    decoder = EventStreamDecoder()
    while True:
        data = stream.read(chunk)
        if not data:
            break
        decoder.feed(data)
        yield from decoder
    if decoder.pending:
        raise EventStreamError("payload-length", f"the event stream ended inside a message "
                               f"({decoder.pending} bytes left)")


# ----- typed event streams: what a generated client's answer holds --------------------

T = TypeVar("T")
EventParser = Callable[[dict[str, Any], bytes], Any]


class EventStream(Generic[T]):
    """The events of a streaming answer, decoded as they arrive: ``for event in stream``
    (or ``async for`` on the asyncio client). Each event is an instance of the stream's
    union class with the one member of that event set; an event of a type this client
    does not know is skipped. A modeled exception event raises its typed error (the
    service's own ``errors`` class), an error event a ``ServiceError`` with its code;
    a malformed or cut-short stream raises :class:`EventStreamError`.

    Leaving the loop early (``break``, an exception) or :meth:`close` closes the
    connection: the rest of the stream is never read. ``with stream:`` closes it too.
    ``initial_response``: where the protocol sends one (json), the payload of the
    stream's first message, already applied to the answer's other members.
    """

    def __init__(self, body: Any, union: Callable[..., T], events: dict[str, tuple[str, EventParser]],
                 errors: dict[str, str] | None = None, error_table: dict[str, Any] | None = None,
                 error_body: Callable[[bytes], Any] | None = None) -> None:
        self._body = body
        self._union = union
        self._events = events
        self._errors = errors or {}
        self._error_table = error_table or {}
        self._error_body = error_body
        self._decoder = EventStreamDecoder()
        self._ahead: list[Message] = []
        self._initial: Callable[[bytes], None] | None = None
        self._ended = False
        self.initial_response: bytes | None = None

    def __repr__(self) -> str:
        return f"EventStream({getattr(self._union, '__name__', '?')})"

    # ----- the initial response (json protocols) --------------------------------------
    def take_initial(self, apply: Callable[[bytes], None]) -> None:
        """Read the ``initial-response`` message now (a blocking body) or at the first
        ``async`` step (``await stream.opened()``), and ``apply`` its payload."""
        self._initial = apply
        if not self._body.is_async:
            self._first(self._next_sync())

    async def opened(self) -> EventStream[T]:
        """The stream, its initial response read (the asyncio client awaits it before
        handing the answer over)."""
        if self._initial is not None:
            self._first(await self._next_async())
        return self

    def _first(self, message: Message | None) -> None:
        apply, self._initial = self._initial, None
        if message is None:
            return
        if message.headers.get(":event-type") == "initial-response":
            self.initial_response = message.payload
            assert apply is not None
            apply(message.payload)
        else:
            self._ahead.append(message)  # no initial response: an event, kept for the loop

    # ----- reading ----------------------------------------------------------------------
    def _next_sync(self) -> Message | None:
        while True:
            message = self._take()
            if message is not None or self._ended:
                return message
            self._fill(self._body.read_some(_READ))

    async def _next_async(self) -> Message | None:
        while True:
            message = self._take()
            if message is not None or self._ended:
                return message
            self._fill(await self._body.aread(_READ))

    def _take(self) -> Message | None:
        if self._ahead:
            return self._ahead.pop(0)
        return next(iter(self._decoder), None)

    def _fill(self, data: bytes) -> None:
        if data:
            self._decoder.feed(data)
            return
        self._ended = True
        if self._decoder.pending:
            raise EventStreamError("payload-length", f"the event stream ended inside a message "
                                   f"({self._decoder.pending} bytes left)")

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                message = self._next_sync()
                if message is None:
                    return
                event = self._event(message)
                if event is not None:
                    yield event
        finally:
            self.close()

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            while True:
                message = await self._next_async()
                if message is None:
                    return
                event = self._event(message)
                if event is not None:
                    yield event
        finally:
            await self.aclose()

    def _event(self, message: Message) -> T | None:
        headers = message.headers
        kind = headers.get(":message-type")
        if kind == "event":
            name = headers.get(":event-type")
            found = self._events.get(name) if isinstance(name, str) else None
            if found is None:
                return None  # initial-response out of place, or an event type newer than this client
            attr, parse = found
            try:
                return self._union(**{attr: parse(headers, message.payload)})
            except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError,
                    RecursionError) as exc:
                raise EventStreamError("payload", f"the {name} event could not be parsed: {exc}") from exc
        if kind == "exception":
            raise self._exception(str(headers.get(":exception-type", "")), message.payload)
        if kind == "error":
            from .errors import ServiceError

            code = str(headers.get(":error-code", "")) or "EventStreamError"
            raise ServiceError(str(headers.get(":error-message", "")), code=code, status_code=200)
        raise EventStreamError("header", f"an event-stream message of unknown type {kind!r}")

    def _exception(self, name: str, payload: bytes) -> Exception:
        from .errors import ServiceError

        code = self._errors.get(name, name)
        cls, parser = self._error_table.get(code, (ServiceError, None))
        body: Any = {}
        if self._error_body is not None and payload.strip():
            try:
                body = self._error_body(payload)
            except Exception:  # noqa: BLE001 - a body that is not what the model says: code only
                body = {}
        message = ""
        if isinstance(body, dict):
            message = str(body.get("message") or body.get("Message") or "")
        elif payload:
            message = payload[:200].decode("utf-8", "replace")
        err = cls(message, code=code, status_code=200, request_id=None, headers={})
        if parser is not None and isinstance(body, dict):
            try:
                parser(None, body, err)
            except Exception:  # noqa: BLE001 - the code and message are known; members dropped
                pass
        return err  # type: ignore[no-any-return]

    # ----- closing ------------------------------------------------------------------------
    def close(self) -> None:
        """Stop reading: the connection is closed unless the stream was read to its end."""
        if self._ended:
            self._body.close()
        else:
            self._body.abort()

    async def aclose(self) -> None:
        await self._body.aclose()  # the asyncio stream closes a connection not read to its end

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> EventStream[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


_READ = 64 * 1024


def header_value(value: Any, kind: str) -> Any:
    """An event header's value as its member's type: ``kind`` is str, int, float, bool,
    bytes or ts (milliseconds since the epoch in the header)."""
    if value is None:
        return None
    if kind == "ts":
        if isinstance(value, int) and not isinstance(value, bool):
            import datetime

            return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "bytes":
        if isinstance(value, (bytes, str)):
            return value.encode("utf-8") if isinstance(value, str) else value
    elif type(value).__name__ == kind:
        return value
    raise EventStreamError("header", f"an event header holds {type(value).__name__}, the model says {kind}")
