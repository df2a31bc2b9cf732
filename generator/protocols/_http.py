"""HTTP bindings, shared by the REST protocols (rest-json, rest-xml): members bound to
the URI, the query string and headers, as text and back."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from ..codegen import TS_FUNCS as _TS_FUNCS, Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape


# Header members from which a response's headers are copied into a plain dict first.
_HEADER_MAP_FROM = 6


class HttpBindings:
    """Text conversions of scalars for URI labels, query values and headers."""

    # the runtime functions writing a URI label and a greedy one
    label_functions = ("_rt.label", "_rt.greedy_label")

    def __init__(self, shapes: dict[str, Shape], value_of: Callable[[Member], str] | None = None) -> None:
        self.shapes = shapes
        # the expression of an input member's value: the typed input's attribute, or (the
        # boto3-compatible client) a key of the input dict
        self.value_of = value_of or (lambda m: "v." + m.py_name)

    def _text(self, m: Member, expr: str, default_ts: str) -> str | None:
        """A scalar as the text of a header, query value or URI label; None for other types."""
        t = self.shapes[m.target].type
        if t in ("integer", "long"):
            return f"str({expr})"
        if t in ("float", "double"):
            return f"_rt.text_float({expr})"
        if t == "boolean":
            return f"_rt.text_bool({expr})"
        if t == "blob":
            return f"_rt.b64encode({expr})"
        if t == "timestamp":
            return f"_rt.{_TS_FUNCS[m.timestamp_format or default_ts]}_text({expr})"
        return None

    def header_value(self, m: Member, expr: str) -> str:
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            return f"_rt.b64json({expr})" if m.jsonvalue else expr
        if t == "list":
            assert shape.member is not None
            if self.shapes[shape.member.target].type == "string":
                return f"_rt.h_join_strings({expr})"
            return f"', '.join({self.header_value(shape.member, 'y')} for y in {expr})"
        if t == "document":
            return f"_rt.b64json({expr})"
        text = self._text(m, expr, "rfc822")
        if text is None:
            raise ValueError(f"header member {m.name} of type {t}")
        return text

    def query_value(self, m: Member, expr: str) -> str:
        if self.shapes[m.target].type == "string":
            return expr
        text = self._text(m, expr, "iso8601")
        if text is None:
            raise ValueError(f"query member {m.name} of type {self.shapes[m.target].type}")
        return text

    def label_value(self, m: Member, expr: str) -> str:
        return self.query_value(m, expr)

    def header_parse(self, m: Member, expr: str) -> str:
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            if m.jsonvalue:
                return f"_rt.unb64json({expr})"
            return f"_s.{shape.class_name}({expr})" if shape.enum else expr
        if t in ("integer", "long"):
            return f"_rt.h_int({expr})"
        if t in ("float", "double"):
            return f"_rt.h_float({expr})"
        if t == "boolean":
            return f"_rt.h_bool({expr})"
        if t == "blob":
            return f"_rt.p_blob({expr})"
        if t == "timestamp":
            return f"_rt.h_ts_or_none({expr})" if m.lenient else f"_rt.h_ts({expr})"
        if t == "list":
            assert shape.member is not None
            elem = self.shapes[shape.member.target]
            splitter = "_rt.h_split_dates" if elem.type == "timestamp" else "_rt.h_split"
            return f"[{self.header_parse(shape.member, 'y')} for y in {splitter}({expr})]"
        if t == "document":
            return f"_rt.unb64json({expr})"
        raise ValueError(f"header member {m.name} of type {t}")

    def uri_parts(self, op: Operation, shape: Shape | None) -> tuple[str, list[str]]:
        """(path expression, static query items) for an operation's requestUri."""
        uri = op.request_uri
        path, _, query = uri.partition("?")
        parts: list[str] = []
        rest = path
        while "{" in rest:
            before, _, after = rest.partition("{")
            label, _, rest = after.partition("}")
            if before:
                parts.append(pylit(before))
            greedy = label.endswith("+")
            name = label.rstrip("+")
            member = next(m for m in (shape.members if shape else ()) if m.location == "uri" and m.wire_name == name)
            fn = self.label_functions[1] if greedy else self.label_functions[0]
            value = self.value_of(member)
            if not member.required:  # a label is always needed, whatever the model says
                value = f"_rt.need({value}, {pylit(member.py_name)})"
            parts.append(f"{fn}({self.label_value(member, value)}, {pylit(member.py_name)})")
        if rest:
            parts.append(pylit(rest))
        static = [item for item in query.split("&") if item]
        if not path:  # emptied by a customization: the endpoint's own path
            return "''", static
        return " + ".join(parts) or "'/'", static

    # ----- whole statements ---------------------------------------------------------------
    def bind_request(self, op: Operation, shape: Shape | None, code: Code) -> None:
        """Statements setting ``path``, ``h`` (headers) and ``q`` (query items) from the
        input ``v``: the URI labels, then each header, prefix-header and query member."""
        path, static_query = self.uri_parts(op, shape)
        code.add(1, f"path = {path}")
        code.add(1, "h: dict[str, str] = {}")
        code.add(1, f"q: list[str] = {pylit(static_query)}")
        members = list(shape.members) if shape else []
        named = sorted(
            {m.wire_name for m in members if m.location == "querystring" and self.shapes[m.target].type != "map"}
        )
        for m in members:
            loc = m.location
            if loc not in ("header", "headers", "querystring"):
                continue
            code.add(1, f"x = {self.value_of(m)}")
            if m.idempotency_token:
                code.add(1, "if x is None:")
                code.add(2, "x = _rt.new_token()")
            code.add(1, f"if {self.present(m)}:")
            target = self.shapes[m.target]
            if loc == "header":  # an empty string or list is sent as an empty header
                code.add(2, f"h[{pylit(m.wire_name)}] = {self.header_value(m, 'x')}")
            elif loc == "headers":
                assert target.value is not None
                code.add(2, "for hk, hv in x.items():")
                code.add(3, f"h[{pylit(m.wire_name)} + hk] = {self.header_value(target.value, 'hv')}")
            else:
                self._query_statements(m, code, named)

    def present(self, m: Member) -> str:
        """The condition on ``x``, bound member ``m``'s value, under which it is sent."""
        return "x is not None"

    def _query_statements(self, m: Member, code: Code, named: list[str]) -> None:
        """Append query member ``m`` (value ``x``) to ``q``; a map's keys that a named
        query member also binds are left to that member."""
        target = self.shapes[m.target]
        if target.type == "list":
            assert target.member is not None
            code.add(2, "for y in x:")
            code.add(3, f"q.append({pylit(_q(m.wire_name))} + '=' + _rt.q({self.query_value(target.member, 'y')}))")
        elif target.type == "map":
            assert target.value is not None
            value_shape = self.shapes[target.value.target]
            code.add(2, "for qk, qv in x.items():")
            if named:
                code.add(3, f"if qk in {pylit(tuple(named))}:")
                code.add(4, "continue")
            if value_shape.type == "list":
                assert value_shape.member is not None
                code.add(3, "for y in qv:")
                code.add(4, f"q.append(_rt.q(qk) + '=' + _rt.q({self.query_value(value_shape.member, 'y')}))")
            else:
                code.add(3, f"q.append(_rt.q(qk) + '=' + _rt.q({self.query_value(target.value, 'qv')}))")
        else:
            code.add(2, f"q.append({pylit(_q(m.wire_name) + '=')} + _rt.q({self.query_value(m, 'x')}))")

    def bind_response(self, members: list[Member], code: Code, dst: str = "o", empty_none: bool = True) -> None:
        """Statements setting the header, prefix-header and status-code members of
        ``dst`` from the response ``r``; a prefix-header member that matches no header is
        None, or with ``empty_none`` False an empty dict. With many header members (S3's
        HeadObject reads ~40), the headers are first copied into a plain dict by lowercase
        name: ~40 case-insensitive lookups cost more than the copy."""
        single = [m for m in members if m.location == "header"]
        source = "r.headers"
        if len(single) >= _HEADER_MAP_FROM:
            code.add(1, "hd = _rt.header_map(r.headers)")
            source = "hd"
        for m in members:
            if m.location == "header":
                name = m.wire_name.lower() if source == "hd" else m.wire_name
                code.add(1, f"x = {source}.get({pylit(name)})")
                code.add(1, f"{dst}.{m.py_name} = None if x is None else {self.header_parse(m, 'x')}")
            elif m.location == "statusCode":
                code.add(1, f"{dst}.{m.py_name} = r.status")
            elif m.location == "headers":
                target = self.shapes[m.target]
                assert target.value is not None
                prefix = m.wire_name.lower()
                code.add(1, f"{dst}.{m.py_name} = {{hk[{len(prefix)}:]: {self.header_parse(target.value, 'hv')} "
                            f"for hk, hv in r.headers.items() if hk.lower().startswith({pylit(prefix)})}}"
                            + (" or None" if empty_none else ""))


class DictBindings(HttpBindings):
    """The bindings of the boto3-compatible client, whose input ``v`` is boto3's keyword
    arguments (a dict): timestamps taken in any form botocore takes and written as
    botocore's BaseRestSerializer writes them (a header's in whole seconds, a query
    value's ISO 8601 with its microseconds)."""

    # botocore renders an empty label as it is (no refusal)
    label_functions = ("_c.label", "_c.greedy_label")

    def __init__(self, shapes: dict[str, Shape], ms_timestamps: bool = False) -> None:
        self.ms_timestamps = ms_timestamps  # customization timestamp_milliseconds (query values)

        def dict_value(m: Member) -> str:
            x = f"v[{pylit(m.name)}]" if m.required and m.location == "uri" else f"v.get({pylit(m.name)})"
            return f"_c.to_datetime({x})" if shapes[m.target].type == "timestamp" else x

        super().__init__(shapes, dict_value)

    def present(self, m: Member) -> str:
        """botocore leaves an empty list out of the headers (an empty text is sent)."""
        if m.location == "header" and self.shapes[m.target].type == "list":
            return "x"
        return super().present(m)

    def bind_request(self, op: Operation, shape: Shape | None, code: Code) -> None:
        """As the typed client's, then the query items in the caller's order of parameters
        (botocore's: the static ones first, a map's items where the map stands)."""
        super().bind_request(op, shape, code)
        query = [m for m in (shape.members if shape else ()) if m.location == "querystring"]
        if len(query) > 1:
            static = len(self.uri_parts(op, shape)[1])
            names = {("*" if self.shapes[m.target].type == "map" else _q(m.wire_name)): m.name for m in query}
            code.add(1, f"q = _c.caller_order(q, {static}, v, {pylit(names)})")

    def header_value(self, m: Member, expr: str) -> str:
        """botocore's header lists: items joined by "," (no space), a text item holding a
        quote or comma quoted."""
        shape = self.shapes[m.target]
        if m.jsonvalue and shape.type == "string":  # any JSON value, always dumped (text too)
            return f"_c.b64json({expr})"
        if shape.type != "list":
            return super().header_value(m, expr)
        assert shape.member is not None
        if self.shapes[shape.member.target].type == "string":
            item = r"""('"' + y.replace('"', '\\"') + '"' if '"' in y or ',' in y else y)"""
        else:
            item = self.header_value(shape.member, "y")
        return f"','.join({item} for y in {expr} if y is not None)"

    def _text(self, m: Member, expr: str, default_ts: str) -> str | None:
        if self.shapes[m.target].type != "timestamp":
            return super()._text(m, expr, default_ts)
        fn = _TS_FUNCS[m.timestamp_format or default_ts]
        if default_ts == "rfc822":  # a header: whole seconds first
            expr = f"{expr}.replace(microsecond=0)"
        elif self.ms_timestamps and fn != "ts_http":
            fn += "_ms"
        return f"str(_c.{fn}({expr}))"


def dict_bindings(shapes: dict[str, Shape], ms_timestamps: bool = False) -> HttpBindings:
    return DictBindings(shapes, ms_timestamps)


def compat_bound_response(shapes: dict[str, Shape], members: tuple[Member, ...] | list[Member], code: Code,
                          header: Callable[[Member, str], str]) -> None:
    """The compat client's statements setting ``o``'s header, prefix-header and status-code
    members from the response ``r`` (``header``: a header text's conversion); a lenient
    timestamp (S3's Expires, botocore's handle_expires_header) that is no timestamp is left
    out, its text being the member the customization adds (ExpiresString), and dropped
    from the headers: lenient members come last, after that text was read."""
    for m in sorted(members, key=lambda m: m.lenient):
        if m.location == "header":
            code.add(1, f"x = r.headers.get({pylit(m.wire_name)})")
            code.add(1, "if x is not None:")
            if m.lenient:
                code.add(2, "x = _x.lenient_ts(x)")
                code.add(2, "if x is not None:")
                code.add(3, f"o[{pylit(m.name)}] = x")
                code.add(2, "else:  # botocore drops the header, from HTTPHeaders too")
                code.add(3, f"del r.headers[{pylit(m.wire_name)}]")
            else:
                code.add(2, f"o[{pylit(m.name)}] = {header(m, 'x')}")
        elif m.location == "statusCode":
            code.add(1, f"o[{pylit(m.name)}] = r.status")
        elif m.location == "headers":
            code.add(1, f"o[{pylit(m.name)}] = _c.header_prefix(r.headers, {pylit(m.wire_name.lower())})")


def compat_raw_payload(shapes: dict[str, Shape], op: Operation, payload: Member, code: Code) -> bool:
    """The compat client's statements for an output payload that is not a document (an
    event stream, which it refuses; a stream; text): True when written."""
    target = shapes[payload.target]
    if target.event_stream:
        code.add(1, f"return _c.unsupported_stream({pylit(op.name)})")
    elif target.type == "blob":  # botocore streams every blob payload, streaming or not
        code.add(1, f"o[{pylit(payload.name)}] = _c.streaming_body(r)")
    elif target.type in ("blob", "string"):
        code.add(1, f"o[{pylit(payload.name)}] = r.body.decode('utf-8')")
    else:
        return False
    return True


def content_type(code: Code, indent: int, value: str, ct_key: str | None, when: str = "") -> None:
    """Set the default Content-Type, unless the caller set it through a header member
    (``ct_key``, the member's header name, when the input has one)."""
    conditions = [c for c in (when, f"{pylit(ct_key)} not in h" if ct_key else "") if c]
    if conditions:
        code.add(indent, "if " + " and ".join(conditions) + ":")
        indent += 1
    code.add(indent, f"h[{pylit(ct_key or 'Content-Type')}] = {pylit(value)}")


def content_type_member(members: list[Member]) -> str | None:
    """The header name of a Content-Type header member, when the input has one."""
    return next((m.wire_name for m in members if m.location == "header" and m.wire_name.lower() == "content-type"), None)


def _q(text: str) -> str:
    return quote(text, safe="-_.~")
