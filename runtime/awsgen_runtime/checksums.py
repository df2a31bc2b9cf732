"""Flexible checksums, as botocore 1.43.67 computes and checks them (its httpchecksum module).

Operations with the model's ``httpChecksum`` trait (S3 and S3 Control) send a checksum of
the request body: the algorithm the caller names (``checksum_algorithm=``), else CRC32 when
the operation requires one or the client's ``request_checksum_calculation`` is
``"when_supported"`` (the default). It goes in an ``x-amz-checksum-<algorithm>`` header, or,
for a streaming input over HTTPS, in the trailer of an ``aws-chunked`` body. Answers that
carry an ``x-amz-checksum-*`` header for an algorithm the operation lists are checked
(``response_checksum_validation``), streaming bodies as they are read; a mismatch raises
:class:`ChecksumMismatchError`.

CRC32 is :func:`zlib.crc32`; SHA-1, SHA-256 and SHA-512 are :mod:`hashlib`; CRC32C and
CRC64/NVME use ``awscrt`` when it is installed (as botocore does) and a table-driven pure
Python implementation otherwise (correct, about 10 MB/s).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import Any, Callable

from .errors import ChecksumMismatchError, ParamValidationError

#: The response algorithms in the order botocore prefers them.
PRIORITY = ("crc64nvme", "crc32c", "crc32", "sha1", "sha256", "sha512")
DEFAULT = "crc32"
STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


__all__ = ["ChecksumMismatchError", "AwsChunked", "Validating", "new", "of", "b64", "check"]


class _Crc32:
    __slots__ = ("_v",)

    def __init__(self) -> None:
        self._v = 0

    def update(self, data: bytes) -> None:
        self._v = zlib.crc32(data, self._v)

    def digest(self) -> bytes:
        return (self._v & 0xFFFFFFFF).to_bytes(4, "big")


def _table(poly: int, width: int) -> list[int]:
    """A reflected CRC's byte table."""
    out = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        out.append(c & ((1 << width) - 1))
    return out


_CRC32C_TABLE: list[int] = []
_CRC64_TABLE: list[int] = []


class _Reflected:
    """A reflected CRC (CRC32C, CRC64/NVME): init and final xor all ones."""

    __slots__ = ("_v", "_table", "_mask", "_size")

    def __init__(self, table: list[int], width: int) -> None:
        self._table = table
        self._mask = (1 << width) - 1
        self._size = width // 8
        self._v = self._mask

    def update(self, data: bytes) -> None:
        v, t = self._v, self._table
        for b in data:
            v = t[(v ^ b) & 0xFF] ^ (v >> 8)
        self._v = v

    def digest(self) -> bytes:
        return (self._v ^ self._mask).to_bytes(self._size, "big")


def _crc32c() -> Any:
    try:
        from awscrt import checksums as crt  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        if not _CRC32C_TABLE:
            _CRC32C_TABLE.extend(_table(0x82F63B78, 32))
        return _Reflected(_CRC32C_TABLE, 32)
    return _Crt(crt.crc32c, 4)


def _crc64nvme() -> Any:
    try:
        from awscrt import checksums as crt  # type: ignore[import-not-found, import-untyped, unused-ignore]

        fn = crt.crc64nvme
    except (ImportError, AttributeError):
        if not _CRC64_TABLE:
            _CRC64_TABLE.extend(_table(0x9A6C9329AC4BC9B5, 64))
        return _Reflected(_CRC64_TABLE, 64)
    return _Crt(fn, 8)


class _Crt:
    __slots__ = ("_fn", "_v", "_size")

    def __init__(self, fn: Callable[[bytes, int], int], size: int) -> None:
        self._fn, self._v, self._size = fn, 0, size

    def update(self, data: bytes) -> None:
        self._v = self._fn(data, self._v)

    def digest(self) -> bytes:
        return self._v.to_bytes(self._size, "big")


_NEW: dict[str, Callable[[], Any]] = {
    "crc32": _Crc32,
    "crc32c": _crc32c,
    "crc64nvme": _crc64nvme,
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}
SUPPORTED = tuple(_NEW)


def new(algorithm: str) -> Any:
    """A hasher (``update``, ``digest``) for a supported algorithm, lowercase name."""
    try:
        return _NEW[algorithm]()
    except KeyError:
        raise ParamValidationError([f"checksum_algorithm: unsupported checksum algorithm {algorithm!r} "
                                    f"(supported: {', '.join(a.upper() for a in SUPPORTED)})"]) from None


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def of(algorithm: str, data: bytes) -> str:
    """The base64 checksum of ``data``."""
    h = new(algorithm)
    h.update(data)
    return b64(h.digest())


class AwsChunked:
    """A file-like body in ``aws-chunked`` encoding with the checksum as a trailer, read
    in 1 MiB chunks (botocore's AwsChunkedWrapper, byte for byte)."""

    def __init__(self, raw: Any, algorithm: str, chunk_size: int = 1 << 20) -> None:
        self._raw = raw
        self._start = raw.tell() if hasattr(raw, "tell") else 0
        self._algorithm = algorithm
        self._chunk_size = chunk_size
        self._reset()

    def _reset(self) -> None:
        self._hash = new(self._algorithm)
        self._left = b""
        self._done = False

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only back to the start (a retry)."""
        if offset != 0 or whence != 0:
            raise ValueError("an aws-chunked body can only be rewound to its start")
        self._reset()
        self._raw.seek(self._start)
        return 0

    def tell(self) -> int:
        return 0

    def seekable(self) -> bool:
        return True

    def _chunk(self) -> bytes:
        data = self._raw.read(self._chunk_size)
        if not data:
            self._done = True
            name = f"x-amz-checksum-{self._algorithm}".encode("ascii")
            return b"0\r\n%s:%s\r\n\r\n" % (name, b64(self._hash.digest()).encode("ascii"))
        self._hash.update(data)
        return b"%x\r\n%s\r\n" % (len(data), data)

    def read(self, size: int | None = -1) -> bytes:
        want_all = size is None or size < 0
        while not self._done and (want_all or len(self._left) < size):  # type: ignore[operator]
            self._left += self._chunk()
        if want_all:
            out, self._left = self._left, b""
        else:
            out, self._left = self._left[:size], self._left[size:]
        return out


class Validating:
    """A response stream that checks the checksum once it has been read to the end."""

    def __init__(self, raw: Any, algorithm: str, expected: str) -> None:
        self._raw = raw
        self._hash = new(algorithm)
        self._algorithm = algorithm
        self._expected = expected

    def read(self, amt: int | None = None) -> bytes:
        return self._seen(self._raw.read(amt) if amt is not None else self._raw.read(), amt)

    async def aread(self, amt: int | None = None) -> bytes:
        """:meth:`read` on an asyncio stream (awsgen_runtime.aio)."""
        return self._seen(await self._raw.aread(amt), amt)

    def _seen(self, data: bytes, amt: int | None) -> bytes:
        self._hash.update(data)
        if amt is None or (not data and amt > 0):
            check(self._algorithm, self._hash.digest(), self._expected)
        return bytes(data)

    async def aclose(self) -> None:
        await self._raw.aclose()

    def release_conn(self) -> None:
        release = getattr(self._raw, "release_conn", None) or getattr(self._raw, "close", None)
        if release is not None:
            release()

    close = release_conn


def check(algorithm: str, digest: bytes, expected: str) -> None:
    try:
        ok = digest == base64.b64decode(expected, validate=True)
    except ValueError:
        ok = False
    if not ok:
        raise ChecksumMismatchError(f"the response body's {algorithm.upper()} checksum is {b64(digest)}, "
                                    f"the service sent {expected}: the body was damaged on the way")
