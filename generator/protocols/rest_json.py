"""rest-json: members bound to the URI, query string, headers and status code; the rest
(or one payload member) travels as a JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._http import HttpBindings
from ._json_shapes import JsonShapes, json_error_parser

if TYPE_CHECKING:
    from ..render import PackageView


class RestJson(Protocol):
    name = "rest-json"
    runtime = "json"

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.http = HttpBindings(self.shapes)
        self.json = JsonShapes(self.shapes)

    def serialize(self, op: Operation) -> str:
        return _rest_json_serialize(self, op)

    def parse(self, op: Operation) -> str:
        return _rest_json_parse(self, op)

    def helpers(self) -> list[str]:
        return self.json.helpers(self.view.input_structs, self.view.output_structs)

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        return json_error_parser(self.shapes, shape, attrs)


PROTOCOL = RestJson



def _rest_json_serialize(p: RestJson, op: Operation) -> str:
    shape = p.shapes[op.input] if op.input else None
    code = Code([])
    path, static_query = p.http.uri_parts(op, shape)
    code.add(1, f"path = {path}")
    code.add(1, "h: dict[str, str] = {}")
    code.add(1, f"q: list[str] = {pylit(static_query)}")
    members = list(shape.members) if shape else []
    query_members = [m for m in members if m.location == "querystring"]
    named_query = sorted({m.wire_name for m in query_members if p.shapes[m.target].type != "map"})
    for m in members:
        loc = m.location
        if loc not in ("header", "headers", "querystring"):
            continue
        code.add(1, f"x = v.{m.py_name}")
        if m.idempotency_token:
            code.add(1, "if x is None:")
            code.add(2, "x = _rt.new_token()")
        code.add(1, "if x is not None:")
        target = p.shapes[m.target]
        if loc == "header":  # an empty string or list is sent as an empty header
            code.add(2, f"h[{pylit(m.wire_name)}] = {p.http.header_value(m, 'x')}")
        elif loc == "headers":
            assert target.value is not None
            code.add(2, "for hk, hv in x.items():")
            code.add(3, f"h[{pylit(m.wire_name)} + hk] = {p.http.header_value(target.value, 'hv')}")
        else:
            _query(p, m, code, named_query)
    body_members = [m for m in members if m.location == "body"]
    payload = shape.payload_member if shape else None
    # A Content-Type header member, when the model has one, wins over the default type.
    ct_key = next(
        (m.wire_name for m in members if m.location == "header" and m.wire_name.lower() == "content-type"), None
    )
    if payload is not None:
        _payload(p, payload, code, ct_key)
    elif body_members:
        code.add(1, "d: dict[str, _t.Any] = {}")
        p.json.ser_struct_body(shape, code, 1, "v", "d", body_members)  # type: ignore[arg-type]
        _content_type(code, 1, "application/json", ct_key)
        code.add(1, "body: _t.Any = _rt.json_dumps(d)")
    else:
        code.add(1, "body: _t.Any = b''")
    body_encoding(op, code)
    host = host_prefix(p.view, op, code)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _query(p: RestJson, m: Member, code: Code, named: list[str]) -> None:
    target = p.shapes[m.target]
    if target.type == "list":
        assert target.member is not None
        code.add(2, "for y in x:")
        code.add(3, f"q.append({pylit(_q(m.wire_name))} + '=' + _rt.q({p.http.query_value(target.member, 'y')}))")
    elif target.type == "map":
        assert target.value is not None
        value_shape = p.shapes[target.value.target]
        code.add(2, "for qk, qv in x.items():")
        if named:
            code.add(3, f"if qk in {pylit(tuple(named))}:")
            code.add(4, "continue")
        if value_shape.type == "list":
            assert value_shape.member is not None
            code.add(3, "for y in qv:")
            code.add(4, f"q.append(_rt.q(qk) + '=' + _rt.q({p.http.query_value(value_shape.member, 'y')}))")
        else:
            code.add(3, f"q.append(_rt.q(qk) + '=' + _rt.q({p.http.query_value(target.value, 'qv')}))")
    else:
        code.add(2, f"q.append({pylit(_q(m.wire_name) + '=')} + _rt.q({p.http.query_value(m, 'x')}))")


def _q(text: str) -> str:
    return quote(text, safe="-_.~")


def _content_type(code: Code, indent: int, value: str, ct_key: str | None, when: str = "") -> None:
    """Set the default Content-Type, unless the caller set it through a header member."""
    conditions = [c for c in (when, f"{pylit(ct_key)} not in h" if ct_key else "") if c]
    if conditions:
        code.add(indent, "if " + " and ".join(conditions) + ":")
        indent += 1
    code.add(indent, f"h[{pylit(ct_key or 'Content-Type')}] = {pylit(value)}")


def _payload(p: RestJson, m: Member, code: Code, ct_key: str | None) -> None:
    """Statements setting ``body`` (and its Content-Type) from the payload member."""
    target = p.shapes[m.target]
    code.add(1, f"x = v.{m.py_name}")
    if target.type == "blob":
        _content_type(code, 1, "application/octet-stream", ct_key)
        code.add(1, "body: _t.Any = b'' if x is None else x")
    elif target.type == "string":
        _content_type(code, 1, "text/plain", ct_key, when="x is not None")
        code.add(1, "body: _t.Any = b'' if x is None else x.encode('utf-8')")
    elif target.type == "structure":
        # An unset structure payload is sent as an empty JSON object.
        _content_type(code, 1, "application/json", ct_key)
        code.add(1, f"body: _t.Any = b'{{}}' if x is None else _rt.json_dumps({p.json.ser(m, 'x')})")
    else:
        # A union or document payload: no body at all when unset.
        code.add(1, "body: _t.Any = b''")
        code.add(1, "if x is not None:")
        _content_type(code, 2, "application/json", ct_key)
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
    for m in bound:
        if m.location == "header":
            code.add(1, f"x = r.headers.get({pylit(m.wire_name)})")
            code.add(1, f"o.{m.py_name} = None if x is None else {p.http.header_parse(m, 'x')}")
        elif m.location == "statusCode":
            code.add(1, f"o.{m.py_name} = r.status")
        else:
            target = p.shapes[m.target]
            assert target.value is not None
            prefix = m.wire_name.lower()
            code.add(1, f"o.{m.py_name} = {{hk[{len(prefix)}:]: {p.http.header_parse(target.value, 'hv')} "
                        f"for hk, hv in r.headers.items() if hk.lower().startswith({pylit(prefix)})}} or None")
    if payload is not None:
        target = p.shapes[payload.target]
        if (target.type == "blob" and target.streaming) or target.event_stream:
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
