"""Python expressions and statements for one service, built from the intermediate model.

Templates lay out modules; this module writes the code fragments whose shape depends
recursively on shapes (a list of maps of structures, say). Every model string that
lands in code goes through :func:`generator.literals.pylit`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .literals import pylit
from .model.ir import Member, Operation, Service, Shape

_PY_SCALARS = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "boolean": "bool",
    "blob": "bytes",
    "timestamp": "_dt.datetime",
    "document": "_t.Any",
}
_TS_FUNCS = {"unixTimestamp": "ts_epoch", "iso8601": "ts_iso", "rfc822": "ts_http"}


def fold_strings(expr: str) -> str:
    """``p + '.a' + ': x'`` -> ``p + '.a: x'``: adjacent string literals of a ``+`` chain merged.

    Validation messages are built from a path expression and literal pieces; merging
    them at generation time makes the code shorter and does less work when a check
    fails. Only literals that were written with :func:`pylit` are merged, and the
    result goes through :func:`pylit` again.
    """
    import ast

    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return expr
    terms: list[ast.expr] = []

    def flatten(node: ast.expr) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            flatten(node.left)
            flatten(node.right)
        else:
            terms.append(node)

    flatten(tree)
    out: list[str] = []
    pending: str | None = None
    for term in terms:
        if isinstance(term, ast.Constant) and isinstance(term.value, str):
            pending = (pending or "") + term.value
            continue
        if pending is not None:
            out.append(pylit(pending))
            pending = None
        out.append(ast.unparse(term))
    if pending is not None:
        out.append(pylit(pending))
    return " + ".join(out)


def fold_validation_line(line: str) -> str:
    """Fold the message of an ``e.append(...)`` line, or the path of a ``_val_X(v, path, e)`` call."""
    body = line.lstrip()
    indent = line[: len(line) - len(body)]
    if body.startswith("e.append(") and body.endswith(")"):
        return f"{indent}e.append({fold_strings(body[len('e.append('):-1])})"
    if body.startswith("_val_") and body.endswith(", e)"):
        name, _, args = body[:-len(", e)")].partition("(")
        value, _, path = args.partition(", ")
        return f"{indent}{name}({value}, {fold_strings(path)}, e)"
    return line


def _checked(expr: str, py_type: str, parser: str) -> str:
    """A parsed value: a plain name of the right type passes inline, without a call;
    anything else goes through the runtime's checking parser (which converts or raises)."""
    if expr.isidentifier():
        return f"({expr} if {expr}.__class__ is {py_type} else _rt.{parser}({expr}))"
    return f"_rt.{parser}({expr})"


@dataclass
class Code:
    """Accumulates indented lines."""

    lines: list[str]

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)


class Codegen:
    """Code fragments for one service. ``qual`` prefixes shape class names."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.shapes = service.shapes
        self.rest = service.protocol == "rest-json"

    # ----- types -------------------------------------------------------------------
    def annotation(self, shape_name: str, qual: str = "", member: Member | None = None,
                   streaming_io: bool = False) -> str:
        shape = self.shapes[shape_name]
        if shape.event_stream:
            return "_rt.StreamingBody"
        if shape.type in ("structure", "union"):
            return qual + shape.class_name
        if shape.type == "list":
            assert shape.member is not None
            inner = self.annotation(shape.member.target, qual)
            if shape.sparse:
                inner += " | None"
            return f"_t.Sequence[{inner}]"
        if shape.type == "map":
            assert shape.value is not None
            inner = self.annotation(shape.value.target, qual)
            if shape.sparse:
                inner += " | None"
            return f"_t.Mapping[str, {inner}]"
        if shape.type == "blob" and shape.streaming:
            return "bytes | _t.IO[bytes]" if streaming_io else "_rt.StreamingBody"
        return _PY_SCALARS[shape.type]

    def member_annotation(self, m: Member, qual: str = "", owner_is_input: bool = True) -> str:
        if m.jsonvalue and m.location == "header":
            return "_t.Any"  # any JSON value, sent as base64 of its JSON text
        base = self.annotation(m.target, qual, m, streaming_io=owner_is_input)
        return base if m.required and owner_is_input and not m.idempotency_token else f"{base} | None"

    # ----- reachability -----------------------------------------------------------
    def reachable(self, roots: list[str]) -> list[str]:
        """Structure names reachable from roots, in a stable order."""
        seen: dict[str, None] = {}
        stack = list(reversed(roots))
        visited: set[str] = set()
        while stack:
            name = stack.pop()
            if name in visited:
                continue
            visited.add(name)
            shape = self.shapes[name]
            if shape.event_stream:
                continue  # event streams travel as raw streams for now: no classes behind them
            if shape.type in ("structure", "union"):
                seen[name] = None
                stack.extend(reversed([m.target for m in shape.members]))
            elif shape.type == "list" and shape.member:
                stack.append(shape.member.target)
            elif shape.type == "map" and shape.value:
                stack.append(shape.value.target)
        return sorted(seen)

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

    # ----- validation --------------------------------------------------------------
    def validate(self, m: Member, expr: str, path: str, code: Code, indent: int, depth: int = 0) -> None:
        """Statements appending problems about value ``expr`` (not None) to ``e``."""
        shape = self.shapes[m.target]
        if shape.event_stream:
            code.add(indent, "pass")
            return
        t = shape.type
        if m.jsonvalue and m.location == "header":
            code.add(indent, "pass  # any JSON value")
        elif t == "string":
            code.add(indent, f"if not isinstance({expr}, str):")
            code.add(indent + 1, f"e.append({path} + ': expected str, got ' + type({expr}).__name__)")
            self._range(shape, f"len({expr})", path, code, indent, "length", elif_=True)
            if shape.enum:
                code.add(indent, f"elif {expr} not in _s.{shape.class_name}._values:")
                code.add(indent + 1, f"e.append({path} + ': ' + repr({expr}) + {pylit(' is not one of ' + ', '.join(shape.enum))})")
        elif t in ("integer", "long"):
            code.add(indent, f"if not isinstance({expr}, int) or isinstance({expr}, bool):")
            code.add(indent + 1, f"e.append({path} + ': expected int, got ' + type({expr}).__name__)")
            self._range(shape, expr, path, code, indent, "value", elif_=True)
        elif t in ("float", "double"):
            code.add(indent, f"if not isinstance({expr}, (int, float)) or isinstance({expr}, bool):")
            code.add(indent + 1, f"e.append({path} + ': expected float, got ' + type({expr}).__name__)")
            self._range(shape, expr, path, code, indent, "value", elif_=True)
        elif t == "boolean":
            code.add(indent, f"if not isinstance({expr}, bool):")
            code.add(indent + 1, f"e.append({path} + ': expected bool, got ' + type({expr}).__name__)")
        elif t == "blob":
            if shape.streaming:
                code.add(indent, f"if not isinstance({expr}, (bytes, bytearray)) and not hasattr({expr}, 'read'):")
                code.add(indent + 1, f"e.append({path} + ': expected bytes or a binary file, got ' + type({expr}).__name__)")
            else:
                code.add(indent, f"if not isinstance({expr}, (bytes, bytearray)):")
                code.add(indent + 1, f"e.append({path} + ': expected bytes, got ' + type({expr}).__name__)")
                self._range(shape, f"len({expr})", path, code, indent, "length", elif_=True)
        elif t == "timestamp":
            code.add(indent, f"if not isinstance({expr}, _dt.datetime):")
            code.add(indent + 1, f"e.append({path} + ': expected datetime, got ' + type({expr}).__name__)")
        elif t == "list":
            assert shape.member is not None
            code.add(indent, f"if not isinstance({expr}, (list, tuple)):")
            code.add(indent + 1, f"e.append({path} + ': expected a list, got ' + type({expr}).__name__)")
            code.add(indent, "else:")
            self._range(shape, f"len({expr})", path, code, indent + 1, "item count", elif_=False)
            inner = Code([])
            i, x = f"i{depth}", f"x{depth}"
            self.validate(shape.member, x, f"{path} + '[' + str({i}) + ']'", inner, indent + 2, depth + 1)
            code.add(indent + 1, f"for {i}, {x} in enumerate({expr}):")
            if shape.sparse:
                code.add(indent + 2, f"if {x} is None:")
                code.add(indent + 3, "continue")
            else:
                code.add(indent + 2, f"if {x} is None:")
                code.add(indent + 3, f"e.append({path} + '[' + str({i}) + ']: null is not allowed')")
                code.add(indent + 3, "continue")
            code.lines.extend(inner.lines)
        elif t == "map":
            assert shape.value is not None and shape.key is not None
            code.add(indent, f"if not isinstance({expr}, _abc.Mapping):")
            code.add(indent + 1, f"e.append({path} + ': expected a mapping, got ' + type({expr}).__name__)")
            code.add(indent, "else:")
            self._range(shape, f"len({expr})", path, code, indent + 1, "entry count", elif_=False)
            k, x = f"k{depth}", f"x{depth}"
            code.add(indent + 1, f"for {k}, {x} in {expr}.items():")
            self.validate(shape.key, k, f"{path} + '.<key>'", code, indent + 2, depth + 1)
            code.add(indent + 2, f"if {x} is None:")
            if shape.sparse:
                code.add(indent + 3, "continue")
            else:
                code.add(indent + 3, f"e.append({path} + '[' + repr({k}) + ']: null is not allowed')")
                code.add(indent + 3, "continue")
            self.validate(shape.value, x, f"{path} + '[' + repr({k}) + ']'", code, indent + 2, depth + 1)
        elif t in ("structure", "union"):
            code.add(indent, f"if not isinstance({expr}, _s.{shape.class_name}):")
            code.add(indent + 1, f"e.append({path} + {pylit(': expected ' + shape.class_name + ', got ')} + type({expr}).__name__)")
            code.add(indent, "else:")
            code.add(indent + 1, f"_val_{shape.name}({expr}, {path}, e)")
        else:  # document: any JSON value
            code.add(indent, "pass")

    def _range(self, shape: Shape, measure: str, path: str, code: Code, indent: int, what: str,
               elif_: bool) -> None:
        kw = "elif" if elif_ else "if"
        lo, hi = shape.min, shape.max
        if lo is not None and hi is not None:
            code.add(indent, f"{kw} not {pylit(lo)} <= {measure} <= {pylit(hi)}:")
            msg = f": {what} must be between {lo:g} and {hi:g}, got "
        elif lo is not None:
            code.add(indent, f"{kw} {measure} < {pylit(lo)}:")
            msg = f": {what} must be at least {lo:g}, got "
        elif hi is not None:
            code.add(indent, f"{kw} {measure} > {pylit(hi)}:")
            msg = f": {what} must be at most {hi:g}, got "
        else:
            return
        code.add(indent + 1, f"e.append({path} + {pylit(msg)} + str({measure}))")

    def validate_struct(self, shape: Shape, code: Code, indent: int) -> None:
        if not shape.members:
            code.add(indent, "pass")
            return
        if shape.type == "union":
            code.add(indent, "n = sum(1 for x in (" + ", ".join(f"v.{m.py_name}" for m in shape.members) + ",) if x is not None)")
            code.add(indent, "if n != 1:")
            code.add(indent + 1, "e.append(p + ': exactly one member must be set, got ' + str(n))")
        for m in shape.members:
            code.add(indent, f"x = v.{m.py_name}")
            if m.required and not m.idempotency_token:
                code.add(indent, "if x is None:")
                code.add(indent + 1, f"e.append(p + {pylit('.' + m.py_name + ': required')})")
                code.add(indent, "else:")
            else:
                code.add(indent, "if x is not None:")
            self.validate(m, "x", f"p + {pylit('.' + m.py_name)}", code, indent + 1)

    # ----- HTTP bindings (rest-json) -----------------------------------------------
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
        return " + ".join(parts) or "'/'", static
