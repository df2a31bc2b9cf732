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
TS_FUNCS = {"unixTimestamp": "ts_epoch", "iso8601": "ts_iso", "rfc822": "ts_http"}


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

    # ----- types -------------------------------------------------------------------
    def annotation(self, shape_name: str, qual: str = "", member: Member | None = None,
                   streaming_io: bool = False) -> str:
        shape = self.shapes[shape_name]
        if shape.event_stream:
            return f"_rt.EventStream[{qual}{shape.class_name}]"
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
            if shape.type in ("structure", "union"):
                seen[name] = None
                stack.extend(reversed([m.target for m in shape.members]))
            elif shape.type == "list" and shape.member:
                stack.append(shape.member.target)
            elif shape.type == "map" and shape.value:
                stack.append(shape.value.target)
        return sorted(seen)

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
