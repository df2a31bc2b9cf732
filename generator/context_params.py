"""Operations' ``operationContextParams``: JMESPath paths compiled to Python expressions.

An operation may bind an endpoint rule-set parameter to a path into its input
(DynamoDB's ``ResourceArnList: keys(RequestItems)``). botocore evaluates the path with
the ``jmespath`` package over the call's parameters at every call; here it is compiled,
when generating, into one expression over the operation's typed input ``v``: attribute
reads, conditional expressions and comprehensions, nothing interpreted per call.

The subset compiled is what botocore's models use: field chains (``A.B``, quoted
``"A"``), ``keys(map)``, list projections (``A[*].B``, nested), multiselect lists
(``A[*].[B, C]``), flatten (``[]``) and ``@``. The results are JMESPath's over the same
input as a dict: a member not set reads as None; a projection drops None results; a
multiselect keeps them; flatten splices nested lists. Lists come out as tuples, so that
the client's per-call endpoint cache can key on them. Two differences, both on input
the client's validation refuses first: ``keys()`` of an unset map is None where
JMESPath raises, and a value of another type than the model's (a dict given for a
structure) fails where JMESPath would read it, or read null.

Every path is checked against the model: a member that is not there, a projection over
something that is no list, or anything outside the subset is a :class:`ContextPathError`,
reported as ``<file>: $.operations.<Op>.operationContextParams.<Param>.path: <why>``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .literals import comment
from .model.ir import Operation, Service, Shape
from .validate import _jpath

__all__ = ["ContextPathError", "check_operation_context_params", "compile_path", "endpoint_context", "parse_path"]

SUBSET = "field chains, keys(...), [*] projections, multiselect lists [a, b] and [] flatten"


class ContextPathError(ValueError):
    """A path outside the compiled subset, or one the model cannot satisfy."""


# ----- the syntax tree ---------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One step of a path, applied to ``base`` (None: the value the path starts from, or
    ``@``). ``op`` is "field" (``base.name``), "keys" (``keys(base)``), "[*]" (``base[*]``,
    then ``rhs`` on each element; None: the element itself), "[]" (``base[]``) or "multi"
    (``base.[items...]``, each item applied to ``base``)."""

    op: str
    base: Node | None = None
    name: str = ""
    rhs: Node | None = None
    items: tuple[Node | None, ...] = ()


_TOKEN = re.compile(r'\s*(?:([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|(\[\])|([.,()\[\]*@]))')


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind "id" for identifiers (quoted ones unquoted), else the
    punctuation itself."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if not text[pos:].strip():
                break
            at = pos + len(text[pos:]) - len(text[pos:].lstrip())
            if out and out[-1][0] == "[":
                raise ContextPathError(f"index, slice and filter expressions are not compiled ({SUBSET})")
            raise ContextPathError(f"unsupported JMESPath {text[at:at + 12]!r} at offset {at} (compiled: {SUBSET})")
        ident, quoted, flat, punct = m.groups()
        if ident is not None:
            out.append(("id", ident))
        elif quoted is not None:
            try:
                out.append(("id", str(json.loads(quoted))))
            except ValueError:
                raise ContextPathError(f"malformed quoted identifier {quoted}") from None
        else:
            out.append((flat or punct, flat or punct))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent over the subset. Projections follow JMESPath: what comes after
    ``[*]`` applies to each element until a ``[]``, which flattens the whole projection
    and starts a new one; a ``[*]`` inside a projection nests."""

    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.toks[j][0] if j < len(self.toks) else ""

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            found = repr(self.toks[self.i][1]) if self.i < len(self.toks) else "the end"
            raise ContextPathError(f"expected {kind!r}, found {found} (compiled: {SUBSET})")
        self.i += 1
        return self.toks[self.i - 1][1]

    def parse(self) -> Node | None:
        node = self.expr()
        if self.i < len(self.toks):
            raise ContextPathError(f"unsupported JMESPath at {self.toks[self.i][1]!r} (compiled: {SUBSET})")
        return node

    def at_star(self) -> bool:
        return self.peek() == "[" and self.peek(1) == "*" and self.peek(2) == "]"

    def expr(self) -> Node | None:
        return self.chain(self.primary(), top=True)

    def chain(self, node: Node | None, top: bool) -> Node | None:
        """The dots and projections after ``node``. What follows a ``[*]`` is its right
        side, up to a ``[]``: at the top of an expression that flattens all before it (so
        ends every projection) and starts a new projection."""
        while True:
            if self.peek() == ".":
                self.i += 1
                node = self.step(node)
            elif self.at_star():
                self.i += 3
                node = Node("[*]", node, rhs=self.chain(None, top=False))
            elif self.peek() == "[]" and top:
                self.i += 1
                node = Node("[*]", Node("[]", node), rhs=self.chain(None, top=False))
            elif self.peek() == "[":
                raise ContextPathError(f"index, slice and filter expressions are not compiled ({SUBSET})")
            else:
                return node

    def primary(self) -> Node | None:
        kind = self.peek()
        if kind == "id":
            name = self.take("id")
            if self.peek() != "(":
                return Node("field", name=name)
            if name != "keys":
                raise ContextPathError(f"function {name}() is not compiled; keys() is ({SUBSET})")
            self.take("(")
            arg = self.expr()
            self.take(")")
            return Node("keys", arg)
        if kind == "@":
            self.i += 1
            return None
        if self.at_star() or kind == "[]":  # a projection of the current value
            return None
        if kind == "[":
            return Node("multi", items=self.items())
        found = repr(self.toks[self.i][1]) if self.i < len(self.toks) else "the end"
        raise ContextPathError(f"unsupported JMESPath at {found} (compiled: {SUBSET})")

    def step(self, base: Node | None) -> Node:
        """What follows a dot: a field or a multiselect list."""
        if self.peek() == "id" and self.peek(1) != "(":
            return Node("field", base, self.take("id"))
        if self.peek() == "[" and not self.at_star():
            return Node("multi", base, items=self.items())
        found = repr(self.toks[self.i][1]) if self.i < len(self.toks) else "the end"
        raise ContextPathError(f"unsupported JMESPath after '.': {found} (compiled: {SUBSET})")

    def items(self) -> tuple[Node | None, ...]:
        self.take("[")
        out = [self.expr()]
        while self.peek() == ",":
            self.i += 1
            out.append(self.expr())
        self.take("]")
        return tuple(out)


def parse_path(text: str) -> Node | None:
    """The syntax tree of ``text`` (None for ``@``); raises :class:`ContextPathError`
    outside the subset."""
    return _Parser(text).parse()


# ----- compiling ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Type:
    kind: str  # "structure", "map", "list", or a scalar's type ("string", "boolean", ...)
    name: str = ""  # the shape, for messages and for telling structures apart
    item: _Type | None = None  # a list's element

    def describe(self) -> str:
        if self.kind == "list" and not self.name:
            assert self.item is not None
            return f"a list of {self.item.describe()}"
        article = "an" if self.kind[0] in "aeiou" else "a"
        return f"{article} {self.kind}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class _Val:
    """A value that is a name or an attribute chain (cheap to repeat); None unless every
    guard holds; ``nullable``: the chain itself may read None."""

    code: str
    guards: tuple[str, ...]
    type: _Type
    nullable: bool


@dataclass(frozen=True)
class _List:
    """A list built by a comprehension, ``[item <clauses>]``; None unless every guard holds."""

    guards: tuple[str, ...]
    clauses: tuple[str, ...]
    item: _Val | _List

    @property
    def type(self) -> _Type:
        return _Type("list", item=self.item.type)


class _Compiler:
    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes
        self.count = 0

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"_{stem}{self.count}"

    def type_of(self, shape_name: str) -> _Type:
        shape = self.shapes[shape_name]
        if shape.type in ("structure", "union"):
            return _Type("structure", shape.name)
        if shape.type == "list":
            assert shape.member is not None
            return _Type("list", shape.name, self.type_of(shape.member.target))
        if shape.type == "map":
            return _Type("map", shape.name)
        return _Type(shape.type)

    def compile(self, node: Node | None, cur: _Val | _List) -> _Val | _List:
        if node is None:
            return cur
        base = self.compile(node.base, cur)
        if node.op == "field":
            return self.field(base, node.name)
        if node.op == "keys":
            return self.keys(base)
        if node.op == "multi":
            return self.multi(base, node.items)
        if node.op == "[]":
            return self.flatten(self.as_list(base, "[]"))
        return self.project(self.as_list(base, "[*]"), node.rhs)

    def field(self, base: _Val | _List, name: str) -> _Val:
        if isinstance(base, _List) or base.type.kind != "structure":
            raise ContextPathError(f"field {name!r} of {base.type.describe()}: fields are read from structures")
        shape = self.shapes[base.type.name]
        member = next((m for m in shape.members if m.name == name), None)
        if member is None:
            raise ContextPathError(f"{name!r} is not a member of {shape.name}")
        guards = base.guards + ((f"{base.code} is not None",) if base.nullable else ())
        return _Val(f"{base.code}.{member.py_name}", guards, self.type_of(member.target), True)

    def keys(self, arg: _Val | _List) -> _List:
        if isinstance(arg, _List) or arg.type.kind != "map":
            raise ContextPathError(f"keys() of {arg.type.describe()}: only a map's keys are compiled")
        k = self.fresh("k")
        return _List(self.guards_of(arg), (f"for {k} in {arg.code}",), _Val(k, (), _Type("string"), False))

    def as_list(self, value: _Val | _List, what: str) -> _List:
        if isinstance(value, _List):
            return value
        if value.type.kind != "list":
            raise ContextPathError(f"{what} over {value.type.describe()}: it needs a list")
        assert value.type.item is not None
        x = self.fresh("i")
        # A list's elements are read as they are (None in a sparse list).
        return _List(self.guards_of(value), (f"for {x} in {value.code}",), _Val(x, (), value.type.item, True))

    @staticmethod
    def guards_of(value: _Val) -> tuple[str, ...]:
        return value.guards + ((f"{value.code} is not None",) if value.nullable else ())

    def multi(self, base: _Val | _List, items: tuple[Node | None, ...]) -> _List:
        if isinstance(base, _List) or base.type.kind != "structure":
            raise ContextPathError(f"a multiselect list over {base.type.describe()}: it needs a structure")
        inner = _Val(base.code, (), base.type, False)
        values = [self.compile(item, inner) for item in items]
        types = {v.type for v in values}
        if len(types) != 1:
            raise ContextPathError("a multiselect list of values of different types: "
                                   + ", ".join(sorted(t.describe() for t in types)))
        e = self.fresh("e")
        codes = ", ".join(self.materialize(v) for v in values) + ("," if len(values) == 1 else "")
        return _List(self.guards_of(base), (f"for {e} in ({codes})",), _Val(e, (), types.pop(), True))

    def project(self, base: _List, rhs: Node | None) -> _List:
        result = self.compile(rhs, base.item)
        if isinstance(result, _List):  # a list per element; an element whose list is None is dropped
            item: _Val | _List = _List((), result.clauses, result.item)
            clauses = base.clauses + tuple(f"if {g}" for g in result.guards)
        else:  # JMESPath drops the elements whose result is None
            item = _Val(result.code, (), result.type, False)
            clauses = base.clauses + tuple(f"if {g}" for g in self.guards_of(result))
        return _List(base.guards, clauses, item)

    def flatten(self, base: _List) -> _List:
        item = base.item
        if isinstance(item, _List):  # splice the nested comprehension in
            clauses = base.clauses + tuple(f"if {g}" for g in item.guards) + item.clauses
            return _List(base.guards, clauses, item.item)
        if item.type.kind == "list":
            assert item.type.item is not None
            z = self.fresh("z")
            clauses = base.clauses + tuple(f"if {g}" for g in self.guards_of(item)) + (f"for {z} in {item.code}",)
            return _List(base.guards, clauses, _Val(z, (), item.type.item, True))
        return base  # elements that are no lists stay as they are

    def materialize(self, value: _Val | _List) -> str:
        """The expression for ``value``: None unless its guards hold; lists as tuples."""
        if isinstance(value, _Val):
            if value.type.kind == "list":
                return self.materialize(self.as_list(value, "a list"))
            code = value.code
            guards = value.guards
        else:
            item = self.materialize(value.item)
            only = value.clauses[0] if len(value.clauses) == 1 else ""
            if isinstance(value.item, _Val) and only.startswith(f"for {item} in "):
                code = f"tuple({only.removeprefix(f'for {item} in ')})"  # tuple(x for x in s) is tuple(s)
            else:
                code = f"tuple({item} {' '.join(_joined(value.clauses))})"
            guards = value.guards
        return f"({code} if {' and '.join(guards)} else None)" if guards else code


def _joined(clauses: tuple[str, ...]) -> list[str]:
    """Comprehension clauses with consecutive ``if`` clauses joined by ``and``."""
    out: list[str] = []
    for clause in clauses:
        if clause.startswith("if ") and out and out[-1].startswith("if "):
            out[-1] += " and " + clause[3:]
        else:
            out.append(clause)
    return out


def compile_path(text: str, shapes: dict[str, Shape], input_shape: str, root: str = "v",
                 *, check: bool = True) -> str:
    """A Python expression over the typed input ``root`` giving what JMESPath's ``text``
    gives over the same input as a dict (lists as tuples). With ``check``, the result must
    suit a rule-set parameter: a string, a boolean or a list of strings."""
    compiler = _Compiler(shapes)
    value = compiler.compile(parse_path(text), _Val(root, (), compiler.type_of(input_shape), False))
    kind = value.type
    if check and not (kind.kind in ("string", "boolean") or (kind.kind == "list" and kind.item == _Type("string"))):
        raise ContextPathError(f"the path gives {kind.describe()}; an endpoint parameter takes "
                               "a string, a boolean or a list of strings")
    return compiler.materialize(value)


def endpoint_context(service: Service, op: Operation) -> list[tuple[str, str, str]]:
    """(rule-set parameter, expression over the input ``v``, comment) for each parameter the
    operation binds from its input: members with a ``contextParam`` first, as botocore
    resolves them, then ``operationContextParams``; parameters the operation fixes
    (``staticContextParams``) win over both, so they are left out here."""
    if not op.input:
        return []
    fixed = {name for name, _ in op.static_context_params}
    sources: dict[str, list[tuple[str, str]]] = {}
    for m in service.shapes[op.input].members:
        if m.context_param and m.context_param not in fixed:
            sources.setdefault(m.context_param, []).append(
                (compile_path(json.dumps(m.name), service.shapes, op.input, check=False), ""))
    for name, path in op.operation_context_params:
        if name not in fixed:
            sources.setdefault(name, []).append((compile_path(path, service.shapes, op.input), path))
    out = []
    for name, found in sources.items():
        code, note = found[-1]
        for earlier, earlier_note in reversed(found[:-1]):  # the first that is not None
            code = f"({earlier} if {earlier} is not None else {code})"
            note = note or earlier_note
        out.append((name, code, comment(f"{name}: {note}") if note else ""))
    return out


def check_operation_context_params(service: Service) -> list[str]:
    """``<file>: <JSON path>: <problem>`` for every path that does not compile."""
    problems = []
    for op in service.operations:
        for name, path in op.operation_context_params:
            where = f"{service.source}: {_jpath(['operations', op.name, 'operationContextParams', name, 'path'])}"
            if not op.input:
                problems.append(f"{where}: the operation has no input to read {path!r} from")
                continue
            try:
                compile_path(path, service.shapes, op.input)
            except ContextPathError as exc:
                problems.append(f"{where}: {exc}")
            except RecursionError:
                problems.append(f"{where}: the path is nested too deeply")
    return problems
