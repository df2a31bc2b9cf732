"""Event streams, parsing side, for the protocols that have them (rest-json, json, rest-xml).

An answer's event-stream member becomes an ``awsgen_runtime.eventstream.EventStream``
over the response body (``stream_expr``). The generated pieces (``helpers``):

- ``_evp_<Event>(h, p) -> _s.<Event>``: one event from its message headers ``h`` and
  payload ``p``: header members (``eventheader``) from ``h``; an ``eventpayload`` member
  from the whole payload (bytes, text, or a JSON or XML structure); otherwise the
  event's other members from the payload as the protocol's body (a JSON object, or an
  XML element);
- ``_es_<Stream>(b) -> EventStream[_s.<Stream>]``: the stream over body ``b``, with its
  table of events (``:event-type`` -> member, parser) and of modeled exception events
  (``:exception-type`` -> error code of the service's ``ERRORS``);
- ``_ini_<Output>(o, p)`` (json): the output's other members from the stream's
  ``initial-response`` payload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Shape

if TYPE_CHECKING:
    from ._json_shapes import JsonShapes
    from ._xml_shapes import XmlShapes

_HEADER_KINDS = {
    "string": "str", "integer": "int", "long": "int", "float": "float", "double": "float",
    "boolean": "bool", "blob": "bytes", "timestamp": "ts",
}


class EventStreams:
    """Event-stream parsing code for one service; ``json`` or ``xml`` parses payloads."""

    def __init__(self, shapes: dict[str, Shape], json: JsonShapes | None = None,
                 xml: XmlShapes | None = None) -> None:
        self.shapes = shapes
        self.json = json
        self.xml = xml

    def stream_member(self, shape: Shape) -> Member | None:
        """The output member that is an event stream, if any."""
        return next((m for m in shape.members if self.shapes[m.target].event_stream), None)

    def stream_expr(self, m: Member) -> str:
        """The EventStream of member ``m`` over the answer ``r``'s body."""
        return (f"_es_{m.target}(_rt.StreamingBody(r.raw) if r.raw is not None "
                "else _rt.StreamingBody(_rt.BytesReader(r.body)))")

    def helpers(self, output_structs: set[str], outputs_with_initial: list[Shape]) -> list[str]:
        out: list[str] = []
        streams = sorted(n for n in output_structs if self.shapes[n].event_stream)
        events = sorted({m.target for n in streams for m in self.shapes[n].members})
        for name in events:
            out.append(self._event_parser(self.shapes[name]))
        for name in streams:
            out.append(self._stream(self.shapes[name]))
        for shape in outputs_with_initial:
            out.append(self._initial(shape))
        return out

    def _event_parser(self, shape: Shape) -> str:
        cls = shape.class_name
        code = Code([])
        headers = [m for m in shape.members if m.event_header]
        payload = next((m for m in shape.members if m.event_payload), None)
        rest = [m for m in shape.members if not m.event_header and not m.event_payload]
        for m in headers:
            kind = _HEADER_KINDS.get(self.shapes[m.target].type, "str")
            value = f"_rt.header_value(h.get({pylit(m.wire_name)}), {pylit(kind)})"
            if self.shapes[m.target].enum:
                value = f"_s.{self.shapes[m.target].class_name}(x) if (x := {value}) is not None else None"
            code.add(1, f"o.{m.py_name} = {value}")
        if payload is not None:
            target = self.shapes[payload.target]
            attr = f"o.{payload.py_name}"
            if target.type == "blob":
                code.add(1, f"{attr} = p")
            elif target.type == "string":
                code.add(1, f"{attr} = p.decode('utf-8')")
            elif self.json is not None:  # an empty payload is an empty structure, as botocore has it
                code.add(1, f"{attr} = {self.json.de(payload, '(_rt.json_object(p) if p.strip() else {})')}")
            else:
                code.add(1, f"{attr} = _xde_{target.name}(_p.parse(p if p.strip() else b'<e/>'))")
        if rest:
            if self.json is not None:
                code.add(1, "d = _rt.json_object(p) if p.strip() else {}")
                self.json.de_struct_body(rest, code, 1, "d", "o")
            else:
                assert self.xml is not None
                code.add(1, "e = _p.parse(p if p.strip() else b'<e/>')")
                self.xml.struct_body(rest, code, 1, "e", "o")
        return (f"def _evp_{shape.name}(h: dict[str, _t.Any], p: bytes) -> _s.{cls}:\n"
                f"    o: _t.Any = _new(_s.{cls})\n"
                "    x: _t.Any\n" + "\n".join(code.lines + [f"    r: _s.{cls} = o", "    return r"]))

    def _stream(self, shape: Shape) -> str:
        events = ", ".join(f"{pylit(m.name)}: ({pylit(m.py_name)}, _evp_{m.target})" for m in shape.members)
        errors = ", ".join(
            f"{pylit(m.name)}: {pylit(self.shapes[m.target].error_code or m.target)}" for m in shape.stream_errors)
        body = "_rt.json_object" if self.json is not None else "None"
        return (f"def _es_{shape.name}(b: _t.Any) -> _rt.EventStream[_s.{shape.class_name}]:\n"
                f"    return _rt.EventStream(b, _s.{shape.class_name}, {{{events}}}, {{{errors}}}, ERRORS, {body})")

    def _initial(self, shape: Shape) -> str:
        assert self.json is not None
        others = [m for m in shape.members if not self.shapes[m.target].event_stream]
        code = Code([])
        if others:
            code.add(1, "d = _rt.json_object(p) if p.strip() else {}")
            code.add(1, "x: _t.Any")
            self.json.de_struct_body(others, code, 1, "d", "o")
        else:
            code.add(1, "pass")
        return f"def _ini_{shape.name}(o: _t.Any, p: bytes) -> None:\n" + "\n".join(code.lines)

    def parse_with_initial(self, shape: Shape, stream: Member) -> str:
        """Body of ``de_<op>`` (json): the stream, and the other members once its
        initial response is read."""
        code = Code([])
        code.add(1, f"o: _t.Any = _new(_s.{shape.class_name})")
        for m in shape.members:
            if m is not stream:
                code.add(1, f"o.{m.py_name} = None")
        code.add(1, f"o.{stream.py_name} = s = {self.stream_expr(stream)}")
        code.add(1, f"s.take_initial(lambda p: _ini_{shape.name}(o, p))")
        code.add(1, f"result: _s.{shape.class_name} = o")
        return "\n".join(code.lines + ["    return result"])


class CompatEvents:
    """Event streams of the boto3-compatible client (json, rest-json, rest-xml): botocore's
    event dicts from the same frames, with the JSON dict parsers (``_cd_X``) or the XML
    ones (``_xd_X``, rest-xml: S3's SelectObjectContent) for payloads.

    - ``_cev_<Event>(h, p) -> dict``: header members (by member name, as botocore looks
      them up; timestamps from milliseconds), then the ``eventpayload`` member (bytes,
      text, or a structure parsed from JSON), or the whole event shape parsed from the
      JSON payload over them (botocore's order);
    - ``_ces_<Stream>(b, op)``: the stream (``awsgen_runtime.boto3_compat._eventstream``)
      with its events and modeled exception events.
    """

    def __init__(self, shapes: dict[str, Shape], dicts: Any, xml: Any = None) -> None:
        self.shapes = shapes
        self.dicts = dicts  # a JsonDicts
        self.xml = xml  # rest-xml: an XmlDicts, which parses the payloads instead
        self.streams: set[str] = set()

    def stream_expr(self, m: Member, op_name: str) -> str:
        """The compat EventStream of member ``m`` over answer ``r``'s body."""
        self.streams.add(m.target)
        return (f"_ces_{m.target}(_rt.StreamingBody(r.raw) if r.raw is not None "
                f"else _rt.StreamingBody(_rt.BytesReader(r.body)), {pylit(op_name)})")

    def helpers(self) -> list[str]:
        out: list[str] = []
        events: set[str] = set()
        for name in sorted(self.streams):
            shape = self.shapes[name]
            events.update(m.target for m in shape.members)
            events.update(m.target for m in shape.stream_errors)
        for name in sorted(events):
            out.append(self._event_parser(self.shapes[name]))
        for name in sorted(self.streams):
            out.append(self._stream(self.shapes[name]))
        return out

    def _event_parser(self, shape: Shape) -> str:
        code = Code([])
        code.add(1, "o: dict[str, _t.Any] = {}")
        for m in shape.members:
            if m.event_header:
                code.add(1, f"x = h.get({pylit(m.name)})")
                code.add(1, "if x is not None:")
                ts = self.shapes[m.target].type == "timestamp"
                code.add(2, f"o[{pylit(m.name)}] = {'_c.ms_datetime(x)' if ts else 'x'}")
        payload = next((m for m in shape.members if m.event_payload), None)
        if payload is not None:
            t = self.shapes[payload.target].type
            if t == "blob":
                value = "p"
            elif t == "string":
                value = "p.decode('utf-8')"
            elif self.xml is not None:
                value = self.xml.de(payload, "_xr.root(p)")
            else:
                value = self.dicts.de(payload, "_c.json_dict(p)")
            code.add(1, "n = True")
            code.add(1, f"o[{pylit(payload.name)}] = {value}")
        elif self.xml is not None:
            code.add(1, f"o.update({self.xml.structure(shape.name, '_xr.root(p)')})")
        else:
            self.dicts.needed_de.add(shape.name)
            code.add(1, f"o.update(_cd_{shape.name}(_c.json_dict(p), True))")
        return (f"def _cev_{shape.name}(h: dict[str, _t.Any], p: bytes) -> dict[str, _t.Any]:\n"
                "    x: _t.Any\n" + "\n".join(code.lines) + "\n    return o")

    def _stream(self, shape: Shape) -> str:
        events = ", ".join(f"{pylit(m.name)}: _cev_{m.target}" for m in shape.members)
        errors = ", ".join(f"{pylit(m.name)}: _cev_{m.target}" for m in shape.stream_errors)
        return (f"def _ces_{shape.name}(b: _t.Any, op: str) -> _t.Any:\n"
                "    from awsgen_runtime.boto3_compat import _eventstream as _ce\n\n"
                f"    return _ce.CompatEventStream(b, {{{events}}}, {{{errors}}}, op)")
