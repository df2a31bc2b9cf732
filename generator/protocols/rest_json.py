"""rest-json: members bound to the URI, query string, headers and status code; the rest
(or one payload member) travels as a JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._http import (HttpBindings, compat_bound_response, compat_raw_payload, content_type, content_type_member,
                    dict_bindings)
from ._events import CompatEvents, EventStreams
from ._json_dicts import JsonDicts, check_input, json_compat_error
from ._json_shapes import JsonShapes, json_error_parser

if TYPE_CHECKING:
    from ..render import PackageView


class RestJson(Protocol):
    name = "rest-json"
    runtime = "json"

    compat = True

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.http = HttpBindings(self.shapes)
        self.json = JsonShapes(self.shapes)
        self.events = EventStreams(self.shapes, json=self.json)
        self.dicts = JsonDicts(self.shapes, rest=True)
        self.compat_events = CompatEvents(self.shapes, self.dicts)
        self.dicts.member_defaults = dict(view.service.member_defaults)
        # bound members read from the input dict, timestamps and header lists written as
        # botocore's BaseRestSerializer writes them
        self.dicts.ms_timestamps = view.service.timestamp_milliseconds
        self.dict_http = dict_bindings(self.shapes, view.service.timestamp_milliseconds)

    def compat_serialize(self, op: Operation) -> str:
        return _rest_json_compat_serialize(self, op)

    def compat_parse(self, op: Operation) -> str:
        return _rest_json_compat_parse(self, op)

    def compat_error_parser(self, shape: Shape) -> str:
        return json_compat_error(self.dicts, shape, rest=True)

    def compat_helpers(self) -> list[str]:
        streams = self.compat_events.helpers()  # first: they ask for _cd_ parsers
        return self.dicts.extra + self.dicts.ser_helpers() + streams + self.dicts.de_helpers()

    def serialize(self, op: Operation) -> str:
        return _rest_json_serialize(self, op)

    def parse(self, op: Operation) -> str:
        return _rest_json_parse(self, op)

    def helpers(self) -> list[str]:
        return (self.json.helpers(self.view.input_structs, self.view.output_structs)
                + self.events.helpers(self.view.output_structs, []))

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        return json_error_parser(self.shapes, shape, attrs)


PROTOCOL = RestJson



def _rest_json_serialize(p: RestJson, op: Operation) -> str:
    shape = p.shapes[op.input] if op.input else None
    code = Code([])
    p.http.bind_request(op, shape, code)
    members = list(shape.members) if shape else []
    body_members = [m for m in members if m.location == "body"]
    payload = shape.payload_member if shape else None
    # A Content-Type header member, when the model has one, wins over the default type.
    ct_key = content_type_member(members)
    if payload is not None:
        _payload(p, payload, code, ct_key)
    elif body_members:
        code.add(1, "d: dict[str, _t.Any] = {}")
        p.json.ser_struct_body(shape, code, 1, "v", "d", body_members)  # type: ignore[arg-type]
        content_type(code, 1, "application/json", ct_key)
        code.add(1, f"body: _t.Any = {p.dicts.dumps(op.input)}(d)")
    else:
        code.add(1, "body: _t.Any = b''")
    body_encoding(op, code)
    host = host_prefix(p.view, op, code)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _payload(p: RestJson, m: Member, code: Code, ct_key: str | None) -> None:
    """Statements setting ``body`` (and its Content-Type) from the payload member."""
    target = p.shapes[m.target]
    code.add(1, f"x = v.{m.py_name}")
    if target.type == "blob":
        content_type(code, 1, "application/octet-stream", ct_key)
        code.add(1, "body: _t.Any = b'' if x is None else x")
    elif target.type == "string":
        content_type(code, 1, "text/plain", ct_key, when="x is not None")
        code.add(1, "body: _t.Any = b'' if x is None else x.encode('utf-8')")
    elif target.type == "structure":
        # An unset structure payload is sent as an empty JSON object.
        content_type(code, 1, "application/json", ct_key)
        code.add(1, f"body: _t.Any = b'{{}}' if x is None else _rt.json_dumps({p.json.ser(m, 'x')})")
    else:
        # A union or document payload: no body at all when unset.
        code.add(1, "body: _t.Any = b''")
        code.add(1, "if x is not None:")
        content_type(code, 2, "application/json", ct_key)
        code.add(2, f"body = _rt.json_dumps({p.json.ser(m, 'x')})")


def _rest_json_parse(p: RestJson, op: Operation) -> str:
    assert op.output
    shape = p.shapes[op.output]
    code = Code([])
    bound = [m for m in shape.members if m.location in ("header", "headers", "statusCode")]
    payload = shape.payload_member
    body_members = [m for m in shape.members if m.location == "body" and not m.is_payload]
    if not bound and payload is None:
        code.add(1, f"return _de_{shape.name}(_rt.json_object(r.body))")
        return "\n".join(code.lines)
    code.add(1, f"o: _t.Any = _new(_s.{shape.class_name})")
    p.http.bind_response(bound, code)
    if payload is not None:
        target = p.shapes[payload.target]
        if target.event_stream:
            code.add(1, f"o.{payload.py_name} = {p.events.stream_expr(payload)}")
        elif target.type == "blob" and target.streaming:
            code.add(1, f"o.{payload.py_name} = _rt.StreamingBody(r.raw) if r.raw is not None else _rt.StreamingBody(_rt.BytesReader(r.body))")
        elif target.type == "blob":
            code.add(1, f"o.{payload.py_name} = r.body if r.body else None")
        elif target.type == "string":
            conv = f"_s.{target.class_name}(r.body.decode('utf-8'))" if target.enum else "r.body.decode('utf-8')"
            code.add(1, f"o.{payload.py_name} = {conv} if r.body else None")
        elif target.type == "document":
            code.add(1, f"o.{payload.py_name} = _rt.json_body(r.body) if r.body else None")
        else:
            code.add(1, f"o.{payload.py_name} = {p.json.de(payload, '_rt.json_object(r.body)')} if r.body else None")
    if body_members:
        code.add(1, "d = _rt.json_object(r.body)")
        p.json.de_struct_body(body_members, code, 1, "d", "o")
    code.add(1, f"result: _s.{shape.class_name} = o")
    return "\n".join(code.lines + ["    return result"])


def _rest_json_compat_serialize(p: RestJson, op: Operation) -> str:
    """As :func:`_rest_json_serialize`, from boto3's keyword arguments (the dict ``v``)."""
    shape = p.shapes[op.input] if op.input else None
    members = list(shape.members) if shape else []
    payload = shape.payload_member if shape else None
    raw_payload = payload is not None and p.shapes[payload.target].type in ("blob", "string")
    skip = frozenset(m.name for m in members if m.location != "body" or (raw_payload and m is payload))
    code = Code([])
    check_input(p.dicts, shape, code, skip)
    p.dict_http.bind_request(op, shape, code)
    body_members = [m for m in members if m.location == "body"]
    ct_key = content_type_member(members)
    if payload is not None:
        target = p.shapes[payload.target]
        # a blob or text payload is sent as it is, with no Content-Type unless the caller
        # gave one (botocore's RestJSONSerializer sets none on such "streaming" payloads)
        if target.type == "blob":
            code.add(1, f"x = v.get({pylit(payload.name)})")
            code.add(1, "body: _t.Any = b'' if x is None else x.encode('utf-8') if isinstance(x, str) else x")
        elif target.type == "string":
            code.add(1, f"x = v.get({pylit(payload.name)})")
            code.add(1, "body: _t.Any = b'' if x is None else x.encode('utf-8')")
        elif target.type == "structure":
            content_type(code, 1, "application/json", ct_key)
            code.add(1, f"x = d.get({pylit(payload.wire_name)})")
            code.add(1, "body: _t.Any = b'{}' if x is None else _rt.json_dumps(x)")
        else:
            code.add(1, f"x = d.get({pylit(payload.wire_name)})")
            code.add(1, "body: _t.Any = b''")
            code.add(1, "if x is not None:")
            content_type(code, 2, "application/json", ct_key)
            code.add(2, "body = _rt.json_dumps(x)")
    elif body_members:
        content_type(code, 1, "application/json", ct_key)
        code.add(1, f"body: _t.Any = {p.dicts.dumps(op.input)}(d)")
    else:
        code.add(1, "body: _t.Any = b''")
    body_encoding(op, code)
    host = host_prefix(p.view, op, code, dicts=True)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _rest_json_compat_parse(p: RestJson, op: Operation) -> str:
    """The answer as botocore's RestJSONParser returns it: header, prefix-header and status
    members, then the payload member or the body's members."""
    assert op.output
    shape = p.shapes[op.output]
    code = Code([])
    code.add(1, "o: dict[str, _t.Any] = {}")
    code.add(1, "n = b'null' in r.body  # see _json_dicts: no null, no None checks")
    compat_bound_response(p.shapes, shape.members, code, p.dicts.header)
    payload = shape.payload_member
    if payload is not None:
        if p.shapes[payload.target].event_stream:
            code.add(1, f"o[{pylit(payload.name)}] = {p.compat_events.stream_expr(payload, op.name)}")
            code.add(1, "return o")
            return "\n".join(code.lines)
        if not compat_raw_payload(p.shapes, op, payload, code):
            code.add(1, f"o[{pylit(payload.name)}] = {p.dicts.de(payload, '_c.json_dict(r.body)')}")
    elif any(m.location == "body" for m in shape.members):
        code.add(1, "d = _c.json_dict(r.body)")
        p.dicts.de_members([m for m in shape.members if m.location == "body"], code, 1, "d", "o")
    code.add(1, "return o")
    return "\n".join(code.lines)
