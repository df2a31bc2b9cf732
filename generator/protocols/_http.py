"""HTTP bindings, shared by the REST protocols (rest-json, rest-xml): members bound to
the URI, the query string and headers, as text and back."""

from __future__ import annotations

from ..codegen import TS_FUNCS as _TS_FUNCS
from ..literals import pylit
from ..model.ir import Member, Operation, Shape


class HttpBindings:
    """Text conversions of scalars for URI labels, query values and headers."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes

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
            return f"_rt.h_ts({expr})"
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
            fn = "_rt.greedy_label" if greedy else "_rt.label"
            value = "v." + member.py_name
            if not member.required:  # a label is always needed, whatever the model says
                value = f"_rt.need({value}, {pylit(member.py_name)})"
            parts.append(f"{fn}({self.label_value(member, value)}, {pylit(member.py_name)})")
        if rest:
            parts.append(pylit(rest))
        static = [item for item in query.split("&") if item]
        if not path:  # emptied by a customization: the endpoint's own path
            return "''", static
        return " + ".join(parts) or "'/'", static
