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
from collections.abc import Iterator
from typing import Any

from .errors import AwsGenError

__all__ = ["EventStreamDecoder", "EventStreamError", "Message", "messages_of"]

_PRELUDE = 12
_MAX_HEADERS = 128 * 1024  # the framing's limits (as the AWS SDKs enforce them)
_MAX_PAYLOAD = 16 * 1024 * 1024
_TYPE_SIZES = {2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_INTS = {2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}


class EventStreamError(AwsGenError):
    """A malformed event-stream message; ``kind`` says how: "checksum", "headers-length",
    "payload-length", "duplicate-header", "header"."""

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
