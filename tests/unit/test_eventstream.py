"""The event-stream decoder against botocore's own vectors (its tests/unit/test_eventstream.py
in the pinned source distribution, read from the cached sdist, not copied): every
positive case decodes to the same prelude, headers, payload and CRCs, fed whole or a
byte at a time; every negative case raises the matching kind of EventStreamError."""

from __future__ import annotations

import ast
import io
from typing import Any

import pytest

from awsgen_runtime.eventstream import EventStreamDecoder, EventStreamError, messages_of
from generator.botocore_source import sdist_root

KINDS = {"ChecksumMismatch": "checksum", "DuplicateHeader": "duplicate-header",
         "InvalidHeadersLength": "headers-length", "InvalidPayloadLength": "payload-length"}


def _vectors() -> dict[str, Any]:
    """POSITIVE_CASES and NEGATIVE_CASES, evaluated from the sdist's test module's
    top-level assignments with botocore's own message classes."""
    import botocore.eventstream as es

    source = (sdist_root() / "tests" / "unit" / "test_eventstream.py").read_text()
    namespace: dict[str, Any] = {name: getattr(es, name) for name in dir(es) if not name.startswith("_")}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            exec(compile(ast.Module([node], []), "test_eventstream.py", "exec"), namespace)  # noqa: S102
    return namespace


VECTORS = _vectors()


def _same(ours: Any, theirs: Any) -> None:
    assert (ours.total_length, ours.headers_length, ours.prelude_crc) == (
        theirs.prelude.total_length, theirs.prelude.headers_length, theirs.prelude.crc)
    assert ours.headers == theirs.headers and ours.payload == theirs.payload and ours.crc == theirs.crc


@pytest.mark.parametrize("encoded, decoded", VECTORS["POSITIVE_CASES"])
def test_positive_cases(encoded: bytes, decoded: Any) -> None:
    decoder = EventStreamDecoder()
    decoder.feed(encoded)
    (message,) = list(decoder)
    _same(message, decoded)
    # a byte at a time: nothing until the last byte
    decoder = EventStreamDecoder()
    got = []
    for i in range(len(encoded)):
        decoder.feed(encoded[i:i + 1])
        got += list(decoder)
        assert len(got) == (1 if i == len(encoded) - 1 else 0)
    _same(got[0], decoded)


def test_all_positive_cases_in_one_stream() -> None:
    stream = io.BytesIO(b"".join(e for e, _ in VECTORS["POSITIVE_CASES"]))
    messages = list(messages_of(stream, chunk=7))
    assert len(messages) == len(VECTORS["POSITIVE_CASES"])
    for ours, (_, theirs) in zip(messages, VECTORS["POSITIVE_CASES"]):
        _same(ours, theirs)


@pytest.mark.parametrize("encoded, error", VECTORS["NEGATIVE_CASES"], ids=lambda v: getattr(v, "__name__", ""))
def test_negative_cases(encoded: bytes, error: type) -> None:
    decoder = EventStreamDecoder()
    decoder.feed(encoded)
    with pytest.raises(EventStreamError) as info:
        list(decoder)
    assert info.value.kind == KINDS[error.__name__]


def test_a_stream_ending_inside_a_message_is_an_error() -> None:
    whole = VECTORS["POSITIVE_CASES"][-1][0]
    with pytest.raises(EventStreamError, match="ended inside a message"):
        list(messages_of(io.BytesIO(whole + whole[:5])))


def test_truncated_headers_are_an_error_not_a_traceback() -> None:
    import struct
    import zlib

    headers = b"\x04name\x07\x00\x09short"  # a string header claiming 9 bytes, holding 5
    prelude = struct.pack(">II", 12 + len(headers) + 4, len(headers))
    body = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers
    decoder = EventStreamDecoder()
    decoder.feed(body + struct.pack(">I", zlib.crc32(body)))
    with pytest.raises(EventStreamError) as info:
        list(decoder)
    assert info.value.kind == "header"
