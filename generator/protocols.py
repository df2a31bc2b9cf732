"""The protocol branch: how an operation's input becomes an HTTP request and how the
HTTP response becomes its output, for rest-json and json (awsJson1_0 / 1_1).

Both share the JSON body code of :mod:`generator.codegen`; they differ only in
where members travel (rest-json binds members to the URI, query, headers and
status code; json puts everything in the body) and in the fixed headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .codegen import Code
from .literals import pylit
from .model.ir import Member, Operation

if TYPE_CHECKING:
    from .render import PackageView


def _host_prefix(view: PackageView, op: Operation, code: Code) -> str:
    """Statements computing the host prefix; returns its expression."""
    if not op.host_prefix:
        return "''"
    shape = view.shapes[op.input] if op.input else None
    parts: list[str] = []
    rest = op.host_prefix
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        if before:
            parts.append(pylit(before))
        member = next(m for m in (shape.members if shape else ()) if m.name == name)
        value = f"v.{member.py_name}"
        if not member.required:  # a host label is always needed, whatever the model says
            value = f"_rt.need({value}, {pylit(member.py_name)})"
        parts.append(f"_rt.host_label({value}, {pylit(member.py_name)})")
    if rest:
        parts.append(pylit(rest))
    code.add(1, "host = " + " + ".join(parts))
    return "host"


def op_serialize(view: PackageView, op: Operation) -> str:
    if view.service.protocol == "json":
        return _json_serialize(view, op)
    return _rest_json_serialize(view, op)


def op_parse(view: PackageView, op: Operation) -> str:
    if view.service.protocol == "json":
        assert op.output
        return f"    return _de_{op.output}(_rt.json_object(r.body))"
    return _rest_json_parse(view, op)


# ----- json ------------------------------------------------------------------------


def _json_serialize(view: PackageView, op: Operation) -> str:
    svc = view.service
    code = Code([])
    host = _host_prefix(view, op, code)
    target = f"{svc.target_prefix}.{op.name}" if svc.target_prefix else op.name
    headers = {
        "X-Amz-Target": target,
        "Content-Type": f"application/x-amz-json-{svc.json_version}",
    }
    if svc.query_compatible:
        headers["x-amzn-query-mode"] = "true"
    body = f"_rt.json_dumps(_ser_{op.input}(v))" if op.input else "b'{}'"
    code.add(1, f"h: dict[str, str] = {pylit(headers)}")
    code.add(1, f"body: _t.Any = {body}")
    _body_encoding(op, code)
    code.add(1, f"return _rt.Request('POST', '/', '', h, body, {host})")
    return "\n".join(code.lines)


def _body_encoding(op: Operation, code: Code) -> None:
    """Compression the model asks for, then the checksum of the bytes as sent."""
    if "gzip" in op.request_compression:
        code.add(1, "body = _rt.gzip_body(body, h)")
    if op.http_checksum_required:
        code.add(1, "_rt.content_md5(body, h)")


# ----- rest-json ---------------------------------------------------------------------


def _rest_json_serialize(view: PackageView, op: Operation) -> str:
    gen = view.gen
    shape = view.shapes[op.input] if op.input else None
    code = Code([])
    path, static_query = gen.uri_parts(op, shape)
    code.add(1, f"path = {path}")
    code.add(1, "h: dict[str, str] = {}")
    code.add(1, f"q: list[str] = {pylit(static_query)}")
    members = list(shape.members) if shape else []
    query_members = [m for m in members if m.location == "querystring"]
    named_query = sorted({m.wire_name for m in query_members if view.shapes[m.target].type != "map"})
    for m in members:
        loc = m.location
        if loc not in ("header", "headers", "querystring"):
            continue
        code.add(1, f"x = v.{m.py_name}")
        if m.idempotency_token:
            code.add(1, "if x is None:")
            code.add(2, "x = _rt.new_token()")
        code.add(1, "if x is not None:")
        target = view.shapes[m.target]
        if loc == "header":  # an empty string or list is sent as an empty header
            code.add(2, f"h[{pylit(m.wire_name)}] = {gen.header_value(m, 'x')}")
        elif loc == "headers":
            assert target.value is not None
            code.add(2, "for hk, hv in x.items():")
            code.add(3, f"h[{pylit(m.wire_name)} + hk] = {gen.header_value(target.value, 'hv')}")
        else:
            _query(view, m, code, named_query)
    body_members = [m for m in members if m.location == "body"]
    payload = shape.payload_member if shape else None
    # A Content-Type header member, when the model has one, wins over the default type.
    ct_key = next(
        (m.wire_name for m in members if m.location == "header" and m.wire_name.lower() == "content-type"), None
    )
    if payload is not None:
        _payload(view, payload, code, ct_key)
    elif body_members:
        code.add(1, "d: dict[str, _t.Any] = {}")
        gen.ser_struct_body(shape, code, 1, "v", "d", body_members)  # type: ignore[arg-type]
        _content_type(code, 1, "application/json", ct_key)
        code.add(1, "body: _t.Any = _rt.json_dumps(d)")
    else:
        code.add(1, "body: _t.Any = b''")
    _body_encoding(op, code)
    host = _host_prefix(view, op, code)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _query(view: PackageView, m: Member, code: Code, named: list[str]) -> None:
    gen = view.gen
    target = view.shapes[m.target]
    if target.type == "list":
        assert target.member is not None
        code.add(2, "for y in x:")
        code.add(3, f"q.append({pylit(_q(m.wire_name))} + '=' + _rt.q({gen.query_value(target.member, 'y')}))")
    elif target.type == "map":
        assert target.value is not None
        value_shape = view.shapes[target.value.target]
        code.add(2, "for qk, qv in x.items():")
        if named:
            code.add(3, f"if qk in {pylit(tuple(named))}:")
            code.add(4, "continue")
        if value_shape.type == "list":
            assert value_shape.member is not None
            code.add(3, "for y in qv:")
            code.add(4, f"q.append(_rt.q(qk) + '=' + _rt.q({gen.query_value(value_shape.member, 'y')}))")
        else:
            code.add(3, f"q.append(_rt.q(qk) + '=' + _rt.q({gen.query_value(target.value, 'qv')}))")
    else:
        code.add(2, f"q.append({pylit(_q(m.wire_name) + '=')} + _rt.q({gen.query_value(m, 'x')}))")


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="-_.~")


def _content_type(code: Code, indent: int, value: str, ct_key: str | None, when: str = "") -> None:
    """Set the default Content-Type, unless the caller set it through a header member."""
    conditions = [c for c in (when, f"{pylit(ct_key)} not in h" if ct_key else "") if c]
    if conditions:
        code.add(indent, "if " + " and ".join(conditions) + ":")
        indent += 1
    code.add(indent, f"h[{pylit(ct_key or 'Content-Type')}] = {pylit(value)}")


def _payload(view: PackageView, m: Member, code: Code, ct_key: str | None) -> None:
    """Statements setting ``body`` (and its Content-Type) from the payload member."""
    gen = view.gen
    target = view.shapes[m.target]
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
        code.add(1, f"body: _t.Any = b'{{}}' if x is None else _rt.json_dumps({gen.ser(m, 'x')})")
    else:
        # A union or document payload: no body at all when unset.
        code.add(1, "body: _t.Any = b''")
        code.add(1, "if x is not None:")
        _content_type(code, 2, "application/json", ct_key)
        code.add(2, f"body = _rt.json_dumps({gen.ser(m, 'x')})")


def _rest_json_parse(view: PackageView, op: Operation) -> str:
    gen = view.gen
    assert op.output
    shape = view.shapes[op.output]
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
            code.add(1, f"o.{m.py_name} = None if x is None else {gen.header_parse(m, 'x')}")
        elif m.location == "statusCode":
            code.add(1, f"o.{m.py_name} = r.status")
        else:
            target = view.shapes[m.target]
            assert target.value is not None
            prefix = m.wire_name.lower()
            code.add(1, f"o.{m.py_name} = {{hk[{len(prefix)}:]: {gen.header_parse(target.value, 'hv')} "
                        f"for hk, hv in r.headers.items() if hk.lower().startswith({pylit(prefix)})}} or None")
    if payload is not None:
        target = view.shapes[payload.target]
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
            code.add(1, f"o.{payload.py_name} = {gen.de(payload, '_rt.json_object(r.body)')} if r.body else None")
    if body_members:
        code.add(1, "d = _rt.json_object(r.body)")
        gen.de_struct_body(body_members, code, 1, "d", "o")
    code.add(1, f"result: _s.{shape.class_name} = o")
    return "\n".join(code.lines + ["    return result"])
