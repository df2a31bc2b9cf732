"""Event streams against botocore: the same frames, parsed by both, give the same events.

For an operation whose answer is an event stream, hypothesis draws a few events (each
one member of the stream's union, with values honouring the model); they are written
as ``application/vnd.amazon.eventstream`` messages the way the service sends them
(header members as typed headers, an ``eventpayload`` member as the whole payload, the
other members as the protocol's JSON or XML body; json protocols first send the
``initial-response``). botocore's parser reads them into its ``EventStream`` and the
generated client into its own; the lists of events, in botocore's terms, must be
equal. :func:`encode` is also the frame writer of the functional event-stream tests.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

import botocore.awsrequest
from hypothesis import strategies as st

from generator.model.naming import python_name
from tests.differential.harness import Diff, Service, first_difference, norm_ours, xml_document
from tests.differential.strategies import BODY, JSON_NULL, UNKNOWN_MEMBER

_TYPES = {bool: None, int: 5, bytes: 6, str: 7, dt.datetime: 8}


def encode(headers: list[tuple[str, Any]], payload: bytes = b"") -> bytes:
    """One message: typed headers (bool, int as int64, bytes, str, datetime as timestamp;
    ``("name", ("int32", 5))`` for another integer width) and the payload, with CRCs."""
    out = bytearray()
    for name, value in headers:
        raw = name.encode("utf-8")
        out += bytes([len(raw)]) + raw
        if isinstance(value, tuple):
            width = {"byte": (2, ">b"), "short": (3, ">h"), "int32": (4, ">i")}[value[0]]
            out += bytes([width[0]]) + struct.pack(width[1], value[1])
        elif isinstance(value, bool):
            out += bytes([0 if value else 1])
        elif isinstance(value, int):
            out += bytes([5]) + struct.pack(">q", value)
        elif isinstance(value, bytes):
            out += bytes([6]) + struct.pack(">H", len(value)) + value
        elif isinstance(value, str):
            data = value.encode("utf-8")
            out += bytes([7]) + struct.pack(">H", len(data)) + data
        elif isinstance(value, dt.datetime):
            out += bytes([8]) + struct.pack(">q", int(value.timestamp() * 1000))
        else:
            raise TypeError(f"no event header type for {type(value).__name__}")
    total = 12 + len(out) + len(payload) + 4
    prelude = struct.pack(">II", total, len(out))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + bytes(out) + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(event_type: str, payload: bytes = b"", content_type: str = "application/json",
          headers: list[tuple[str, Any]] | None = None) -> bytes:
    return encode([(":message-type", "event"), (":event-type", event_type), (":content-type", content_type),
                   *(headers or [])], payload)


def exception(exception_type: str, payload: bytes, content_type: str = "application/json") -> bytes:
    return encode([(":message-type", "exception"), (":exception-type", exception_type),
                   (":content-type", content_type)], payload)


class Streams:
    """The event-stream check of one service (a differential ``Service``)."""

    def __init__(self, svc: Service) -> None:
        self.svc = svc
        self.shapes = svc.shapes

    def stream_member(self, op: str) -> tuple[str, str] | None:
        """(member name, stream shape) of an operation's event-stream answer, if any."""
        out = self.svc.output_shape(op)
        for name, ref in (self.shapes[out]["members"].items() if out else ()):
            if self.shapes[ref["shape"]].get("eventstream"):
                return name, ref["shape"]
        return None

    def operations(self) -> list[str]:
        return [op for op in self.svc.operations if self.stream_member(op) is not None]

    def events(self, op: str) -> st.SearchStrategy[list[tuple[str, dict[str, Any]]]]:
        """One to four events: (union member, the event's values in botocore's terms)."""
        found = self.stream_member(op)
        assert found is not None
        members = [(n, r["shape"]) for n, r in self.shapes[found[1]]["members"].items()
                   if not self.shapes[r["shape"]].get("exception")]
        one = st.one_of(*[st.tuples(st.just(n), self.svc.strategies.value(s, 1, BODY, "out")) for n, s in members])
        return st.lists(one, min_size=1, max_size=4)

    # ----- writing ----------------------------------------------------------------------
    def body(self, op: str, events: list[tuple[str, dict[str, Any]]]) -> bytes:
        found = self.stream_member(op)
        assert found is not None
        union = self.shapes[found[1]]["members"]
        out = b""
        if self.svc.protocol == "json":  # the answer's other members: none drawn, an empty object
            out += event("initial-response", b"{}")
        for name, values in events:
            out += self._event(name, union[name]["shape"], values)
        return out

    def _event(self, name: str, shape_name: str, values: dict[str, Any]) -> bytes:
        members = self.shapes[shape_name].get("members", {})
        values = {k: v for k, v in values.items() if k in members and v is not JSON_NULL}
        headers: list[tuple[str, Any]] = []
        payload = b""
        body: dict[str, Any] = {}
        xml = self.svc.protocol == "rest-xml"
        content_type = "text/xml" if xml else "application/json"
        for key, value in values.items():
            ref = members[key]
            target = self.shapes[ref["shape"]]
            if ref.get("eventheader"):
                headers.append((key, self._header(target["type"], value)))
            elif ref.get("eventpayload"):
                if target["type"] == "blob":
                    payload, content_type = value, "application/octet-stream"
                elif target["type"] == "string":
                    payload, content_type = value.encode("utf-8"), "text/plain"
                elif xml:
                    tag = ref.get("locationName") or target.get("locationName") or ref["shape"]
                    payload = xml_document(self.svc.xml_elements(ref["shape"], value, tag, ref, False))
                else:
                    payload = _dumps(self.svc.wire_json(ref["shape"], value))
            else:
                body[key] = value
        if body:
            if xml:
                payload = xml_document(self.svc.xml_elements(shape_name, body, name, {}, False))
            else:
                payload = _dumps(self.svc.wire_json(shape_name, body))
        return event(name, payload, content_type, headers)

    @staticmethod
    def _header(kind: str, value: Any) -> Any:
        if kind == "timestamp":
            return value if isinstance(value, dt.datetime) else dt.datetime.fromtimestamp(value, dt.timezone.utc)
        if kind == "integer":
            return ("int32", value)
        return value

    # ----- parsing, both ways -------------------------------------------------------------
    def check(self, op: str, events: list[tuple[str, dict[str, Any]]]) -> list[Diff]:
        found = self.stream_member(op)
        assert found is not None
        member, stream_shape = found
        body = self.body(op, events)
        svc = self.svc
        try:
            op_model = svc.botocore.operation_model(op)
            headers = botocore.awsrequest.HeadersDict({"Content-Type": "application/vnd.amazon.eventstream"})
            parsed = svc.parser.parse({"status_code": 200, "headers": headers, "context": {},
                                       "body": _Raw(body)},
                                      op_model.output_shape)
            expected: Any = [svc.from_botocore(stream_shape, e) for e in parsed[member]]
        except Exception as exc:  # noqa: BLE001
            expected = f"botocore failed: {type(exc).__name__}: {exc}"
        svc.capture.status, svc.capture.body = 200, body
        try:
            from tests.compliance.convert import Converter

            kwargs = Converter(self.shapes, svc.package).required_dummies(svc.input_shape(op))
            result = getattr(svc.loose_client, python_name(op))(**kwargs)
            actual: Any = [norm_ours(e.to_dict()) for e in getattr(result, python_name(member))]
        except Exception as exc:  # noqa: BLE001
            actual = f"ours failed: {type(exc).__name__}: {exc}"
        where = first_difference(expected, actual)
        if where is None:
            return []
        kind = "harness" if isinstance(expected, str) and isinstance(actual, str) else "value"
        diff = Diff("stream", kind, where, expected, actual)
        diff.example = {"events": events, "body": body}
        return [diff]


class _Raw:
    """What botocore's EventStream reads: a urllib3-like response's ``stream()``, here
    in 61-byte pieces so that messages arrive split."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, amt: int = 61, decode_content: bool = False) -> Any:
        for i in range(0, len(self._data), 61):
            yield self._data[i:i + 61]

    def close(self) -> None:
        pass


def _dumps(value: Any) -> bytes:
    import json

    return json.dumps(value, separators=(",", ":")).encode("utf-8")


__all__ = ["Streams", "encode", "event", "exception", "UNKNOWN_MEMBER"]
