"""JSON bodies, shared by rest-json and json: a shape's value <-> a JSON value.

``ser`` and ``de`` write expressions; ``helpers`` writes one private function per
structure (``_ser_X`` / ``_de_X``) for the structures a package reaches. Unused ones
are dropped after rendering (:func:`generator.render.prune_unused`).
"""

from __future__ import annotations

from ..codegen import TS_FUNCS as _TS_FUNCS, Code
from ..literals import pylit
from ..model.ir import Member, Shape


def _checked(expr: str, py_type: str, parser: str) -> str:
    """A parsed value: a plain name of the right type passes inline, without a call;
    anything else goes through the runtime's checking parser (which converts or raises)."""
    if expr.isidentifier():
        return f"({expr} if {expr}.__class__ is {py_type} else _rt.{parser}({expr}))"
    return f"_rt.{parser}({expr})"


class JsonShapes:
    """JSON body code for the shapes of one service."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes

    def helpers(self, input_structs: set[str], output_structs: set[str]) -> list[str]:
        """``_ser_X`` for input structures, ``_de_X`` for output ones (exceptions excluded)."""
        out = []
        for name in sorted(input_structs):
            shape = self.shapes[name]
            code = Code([])
            self.ser_struct_body(shape, code, 1, "v", "d")
            out.append(
                f"def _ser_{name}(v: _s.{shape.class_name}) -> dict[str, _t.Any]:\n"
                "    d: dict[str, _t.Any] = {}\n"
                "    x: _t.Any\n" + "\n".join(code.lines + ["    return d"])
            )
        for name in sorted(output_structs):
            shape = self.shapes[name]
            if shape.exception:
                continue
            code = Code([])
            self.de_struct_body(list(shape.members), code, 1, "d", "o", union=shape.type == "union")
            cls = shape.class_name
            out.append(
                f"def _de_{name}(d: _t.Any) -> _s.{cls}:\n"
                "    if d.__class__ is not dict:\n"
                "        d = _rt.p_object(d)\n"
                f"    o: _t.Any = _new(_s.{cls})\n"
                "    x: _t.Any\n" + "\n".join(code.lines + [f"    r: _s.{cls} = o", "    return r"])
            )
        return out

    # ----- JSON body serialization -------------------------------------------------
    def ser(self, m: Member, expr: str, depth: int = 0) -> str:
        shape = self.shapes[m.target]
        if shape.event_stream:
            return f"_rt.event_stream_unsupported({pylit(m.name)})"
        t = shape.type
        if t in ("string", "integer", "long", "boolean", "document"):
            return expr
        if t in ("float", "double"):
            return f"_rt.ser_float({expr})"
        if t == "blob":
            return f"_rt.b64encode({expr})"
        if t == "timestamp":
            return f"_rt.{_TS_FUNCS[m.timestamp_format or 'unixTimestamp']}({expr})"
        if t == "list":
            assert shape.member is not None
            var = f"x{depth}"
            inner = self.ser(shape.member, var, depth + 1)
            if inner == var:
                return f"list({expr})"
            if shape.sparse:
                inner = f"None if {var} is None else {inner}"
            return f"[{inner} for {var} in {expr}]"
        if t == "map":
            assert shape.value is not None
            k, v = f"k{depth}", f"v{depth}"
            inner = self.ser(shape.value, v, depth + 1)
            if inner == v:
                return f"dict({expr})"
            if shape.sparse:
                inner = f"None if {v} is None else {inner}"
            return f"{{{k}: {inner} for {k}, {v} in {expr}.items()}}"
        return f"_ser_{shape.name}({expr})"

    def ser_struct_body(self, shape: Shape, code: Code, indent: int, src: str, dst: str,
                        members: list[Member] | None = None) -> None:
        for m in members if members is not None else list(shape.members):
            code.add(indent, f"x = {src}.{m.py_name}")
            if m.idempotency_token:
                code.add(indent, "if x is None:")
                code.add(indent + 1, "x = _rt.new_token()")
            code.add(indent, "if x is not None:")
            code.add(indent + 1, f"{dst}[{pylit(m.wire_name)}] = {self.ser(m, 'x')}")

    # ----- JSON body parsing -------------------------------------------------------
    def de(self, m: Member, expr: str, depth: int = 0) -> str:
        shape = self.shapes[m.target]
        if shape.event_stream:
            return f"_rt.event_stream_unsupported({pylit(m.name)})"
        t = shape.type
        if t == "string":
            text = _checked(expr, "str", "p_str")
            return f"_s.{shape.class_name}({text})" if shape.enum else text
        if t in ("integer", "long"):
            return _checked(expr, "int", "p_int")
        if t in ("float", "double"):
            return _checked(expr, "float", "p_float")
        if t == "boolean":
            return _checked(expr, "bool", "p_bool")
        if t == "blob":
            return f"_rt.p_blob({expr})"
        if t == "timestamp":
            return f"_rt.p_ts({expr})"
        if t == "document":
            return expr
        if t == "list":
            assert shape.member is not None
            var = f"x{depth}"
            inner = self.de(shape.member, var, depth + 1)
            items = _checked(expr, "list", "p_list")
            if shape.sparse:
                return f"[None if {var} is None else {inner} for {var} in {items}]"
            return f"[{inner} for {var} in {items} if {var} is not None]"
        if t == "map":
            assert shape.value is not None
            k, v = f"k{depth}", f"v{depth}"
            inner = self.de(shape.value, v, depth + 1)
            pairs = _checked(expr, "dict", "p_map")
            if shape.sparse:
                return f"{{{k}: None if {v} is None else {inner} for {k}, {v} in {pairs}.items()}}"
            return f"{{{k}: {inner} for {k}, {v} in {pairs}.items() if {v} is not None}}"
        return f"_de_{shape.name}({expr})"

    def de_struct_body(self, members: list[Member], code: Code, indent: int, src: str, dst: str,
                       union: bool = False) -> None:
        if union and members:
            self._de_union_body(members, code, indent, src, dst)
            return
        for m in members:
            code.add(indent, f"x = {src}.get({pylit(m.wire_name)})")
            code.add(indent, f"{dst}.{m.py_name} = None if x is None else {self.de(m, 'x')}")

    def _de_union_body(self, members: list[Member], code: Code, indent: int, src: str, dst: str) -> None:
        """A union holds one member: walk the keys present instead of looking up every member.

        A variant the model does not know is kept by name (``__type`` is not a variant),
        when no known one was set.
        """
        code.add(indent, " = ".join(f"{dst}.{m.py_name}" for m in members) + " = None")
        code.add(indent, "u = None")
        code.add(indent, f"for k, x in {src}.items():")
        code.add(indent + 1, "if x is None:")
        code.add(indent + 2, "continue")
        for i, m in enumerate(members):
            code.add(indent + 1, f"{'if' if i == 0 else 'elif'} k == {pylit(m.wire_name)}:")
            code.add(indent + 2, f"{dst}.{m.py_name} = {self.de(m, 'x')}")
        code.add(indent + 1, "elif k != '__type':")
        code.add(indent + 2, "u = k")
        code.add(indent, "if u is not None and " + " and ".join(f"{dst}.{m.py_name} is None" for m in members) + ":")
        code.add(indent + 1, f"{dst}._sdk_unknown_member = u")


def json_error_parser(shapes: dict[str, Shape], shape: Shape, attrs: dict[str, str]) -> str:
    """Body of ``_err_X(r, d, o)`` for a JSON error body ``d`` (rest-json, json); header
    members are read from the response's headers."""
    from ._http import HttpBindings

    body = JsonShapes(shapes)
    http = HttpBindings(shapes)
    code = Code([])
    for m in shape.members:
        attr = attrs[m.name]
        if m.location == "header":
            code.add(1, f"x = r.headers.get({pylit(m.wire_name)})")
            code.add(1, f"x = None if x is None else {http.header_parse(m, 'x')}")
        elif m.location == "statusCode":
            code.add(1, "x = r.status")
        else:
            code.add(1, f"x = d.get({pylit(m.wire_name)})")
            code.add(1, f"x = None if x is None else {body.de(m, 'x')}")
        if attr == "message":
            code.add(1, "if x is not None:")
            code.add(2, "o.message = x")
        else:
            code.add(1, f"o.{attr} = x")
    if not shape.members:
        code.add(1, "pass")
    return "\n".join(code.lines)
