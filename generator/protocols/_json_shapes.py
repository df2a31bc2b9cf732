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
        self._recursive: frozenset[str] | None = None
        self._reaches: dict[str, bool] = {}

    # ----- recursive shapes ----------------------------------------------------------
    def _edges(self, name: str) -> list[str]:
        shape = self.shapes.get(name)
        if shape is None or shape.event_stream:
            return []
        if shape.type in ("structure", "union"):
            return [m.target for m in shape.members]
        if shape.type == "list" and shape.member is not None:
            return [shape.member.target]
        if shape.type == "map" and shape.value is not None:
            return [shape.value.target]
        return []

    def recursive(self, name: str) -> bool:
        """Whether structure ``name`` can contain itself (DynamoDB's ``AttributeValue``)."""
        if self._recursive is None:
            self._recursive = self._cyclic_structures()
        return name in self._recursive

    def _cyclic_structures(self) -> frozenset[str]:
        """Structures and unions on a cycle of the shape graph (Tarjan, iterative)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        out: set[str] = set()
        counter = 0
        for root in self.shapes:
            if root in index:
                continue
            work: list[tuple[str, int]] = [(root, 0)]
            while work:
                node, i = work.pop()
                if i == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack.add(node)
                edges = self._edges(node)
                if i < len(edges):
                    work.append((node, i + 1))
                    nxt = edges[i]
                    if nxt not in self.shapes:
                        continue
                    if nxt not in index:
                        work.append((nxt, 0))
                    elif nxt in on_stack:
                        low[node] = min(low[node], index[nxt])
                    continue
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    scc = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        scc.append(w)
                        if w == node:
                            break
                    if len(scc) > 1 or node in self._edges(node):
                        out.update(n for n in scc if self.shapes[n].type in ("structure", "union"))
        return frozenset(out)

    def reaches_recursive(self, name: str) -> bool:
        """Whether a value of shape ``name`` can hold a recursive structure."""
        if name in self._reaches:
            return self._reaches[name]
        if self.recursive(name):
            self._reaches[name] = True
            return True
        self._reaches[name] = False  # no cycle through here (else it would be recursive)
        found = any(self.reaches_recursive(t) for t in self._edges(name))
        self._reaches[name] = found
        return found

    def lazy_member(self, m: Member) -> bool:
        """A member parsed on first read: it can hold a recursive structure, whose typed
        trees (DynamoDB items) are the bulk of large answers."""
        shape = self.shapes[m.target]
        return not shape.event_stream and shape.type != "document" and self.reaches_recursive(m.target)

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
            if shape.type == "union" or self.recursive(name):
                # one member set in practice: walk the keys present; nothing parsed lazily
                self._de_union_body(list(shape.members), code, 1, "d", "o", union=shape.type == "union")
            else:
                self.de_struct_body(list(shape.members), code, 1, "d", "o")
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
            element = self.shapes[shape.member.target]
            if element.type == "string" and not element.enum and not shape.sparse:
                return f"_rt.p_str_list({expr})"
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
        """Read ``members`` from the JSON object ``src`` into ``dst``.

        A member that can hold a recursive structure (see :meth:`lazy_member`) is not
        parsed here: its raw value and a parser go into ``dst._lazy``, and the first
        read of the member parses it (``awsgen_runtime.shapes.Shape.__getattr__``).
        """
        if union and members:
            self._de_union_body(members, code, indent, src, dst)
            return
        lazy = [m for m in members if self.lazy_member(m)]
        if lazy:
            code.add(indent, "z: dict[str, _t.Any] = {}")
        for m in members:
            code.add(indent, f"x = {src}.get({pylit(m.wire_name)})")
            if m in lazy:
                code.add(indent, "if x is None:")
                code.add(indent + 1, f"{dst}.{m.py_name} = None")
                code.add(indent, "else:")
                code.add(indent + 1, f"z[{pylit(m.py_name)}] = (x, lambda x: {self.de(m, 'x')})")
            else:
                code.add(indent, f"{dst}.{m.py_name} = None if x is None else {self.de(m, 'x')}")
        if lazy:
            code.add(indent, "if z:")
            code.add(indent + 1, f"{dst}._lazy = z")

    def _de_union_body(self, members: list[Member], code: Code, indent: int, src: str, dst: str,
                       union: bool = True) -> None:
        """A union (or a recursive structure such as ``AttributeValue``) holds one member:
        walk the keys present instead of looking up every member.

        A union variant the model does not know is kept by name (``__type`` is not a
        variant), when no known one was set.
        """
        code.add(indent, " = ".join(f"{dst}.{m.py_name}" for m in members) + " = None")
        if union:
            code.add(indent, "u = None")
        code.add(indent, f"for k, x in {src}.items():")
        code.add(indent + 1, "if x is None:")
        code.add(indent + 2, "continue")
        for i, m in enumerate(members):
            code.add(indent + 1, f"{'if' if i == 0 else 'elif'} k == {pylit(m.wire_name)}:")
            code.add(indent + 2, f"{dst}.{m.py_name} = {self.de(m, 'x')}")
        if not union:
            return
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
