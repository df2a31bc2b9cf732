"""boto3-style dicts <-> JSON bodies, for the boto3-compatible client of rest-json and json.

The compat client (``<package>/compat.py``) takes boto3's keyword arguments (model member
names, plain dicts and lists) and returns the dicts botocore's parsers return. The code
here is that client's straight-line serde, written per shape like the typed client's
(:mod:`._json_shapes`), with no typed object in between:

* ``_cs_X(v, p, e)``: checks value ``v`` of shape X as botocore's ``ParamValidator`` does
  (types, required and unknown members, minimum lengths and values; problems appended to
  ``e`` in botocore's words, by path ``p``) and returns it as its JSON value, member by
  member in the caller's order (botocore's body key order).
* ``_cd_X(d, n)``: a JSON value of shape X -> botocore's parsed dict. Members that need
  no conversion are taken as they are; a structure whose keys all need none (DynamoDB's
  ``{"S": "x"}``) is returned as the very dict ``json.loads`` built, and one whose keys
  are all known has the members that need it converted in place, which keeps large
  answers cheap. ``n``: whether the answer's text holds ``null`` anywhere; when it does
  not, no value needs checking for None (botocore drops null members), which halves
  the cost of looking at each DynamoDB attribute value.

Validation runs while serializing (one pass); a call with problems raises before any I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from ..codegen import TS_FUNCS, Code
from ..literals import pylit
from ..model.ir import Member, Shape

_IDENTITY = ("string", "integer", "long", "boolean", "document")
_TYPES = {"string": "_c.STR", "integer": "_c.INT", "long": "_c.INT", "boolean": "_c.BOOL",
          "float": "_c.FLOAT", "double": "_c.FLOAT"}
_CHECKS = {"string": "str", "integer": "int", "long": "int", "boolean": "bool", "float": "_c.NUMBER",
           "double": "_c.NUMBER"}

VALUE = "\x00value\x00"  # where a target statement takes the value


class JsonDicts:
    """Dict serde code for the shapes of one JSON service; ``rest``: rest-json's parsing
    of numbers (botocore's RestJSONParser converts them with ``int``/``float``)."""

    def __init__(self, shapes: dict[str, Shape], rest: bool) -> None:
        self.shapes = shapes
        self.rest = rest
        self.needed_ser: set[str] = set()
        self.needed_de: set[str] = set()
        self.extra: list[str] = []  # whole functions written along the way (_ci_X)
        self.inputs: set[str] = set()
        self._documents: dict[str, bool] = {}
        # customization member_defaults (botocore's inject_account_id): member -> value
        self.member_defaults: dict[str, str] = {}
        # customization timestamp_milliseconds: epoch and ISO 8601 timestamps to the millisecond
        self.ms_timestamps = False

    # ----- serializing, with botocore's validation -------------------------------------
    def dumps(self, name: str | None) -> str:
        """The runtime function writing a JSON body of shape ``name``: orjson's way
        (``json_bytes``) unless a document member is reachable, whose non-finite floats
        only the ``json`` module writes as botocore does (``NaN``)."""
        if name is None:
            return "_rt.json_bytes"
        found = self._documents.get(name)
        if found is None:
            found = self._documents[name] = documents_reachable(self.shapes, name)
        return "_rt.json_dumps" if found else "_rt.json_bytes"

    def value(self, m: Member, x: str, path: str, target: str | None, code: Code, indent: int) -> None:
        """Statements checking ``x`` (member ``m``'s value, at path expression ``path``)
        and, when ``target`` is given, the statement it holds with ``VALUE`` replaced by the
        JSON value (a placeholder, not str.format: model names may hold braces)."""
        shape = self.shapes[m.target]
        t = shape.type

        def put(expr: str, at: int) -> None:
            code.add(at, target.replace(VALUE, expr) if target else "pass")

        if m.jsonvalue and m.location == "header" and t == "string":
            # botocore's jsonvalue header: any value json.dumps takes (sent as its JSON)
            code.add(indent, f"_c.check_jsonvalue({x}, {path}, e)")
            put(x, indent)
            return
        # a member bound to the host has a minimum length of 1 (botocore's range_check)
        minimum = shape.min if shape.min is not None or not m.host_label else 1
        if t in _CHECKS:
            code.add(indent, f"if isinstance({x}, {_CHECKS[t]}):")
            if minimum is not None and t != "boolean":
                measure = f"len({x})" if t == "string" else x
                kind = "length" if t == "string" else "value"
                code.add(indent + 1, f"if {measure} < {pylit(minimum)}:")
                code.add(indent + 2, f"e.append(_c.too_small({path}, {measure}, {pylit(minimum)}, {pylit(kind)}))")
            put(self.wire_scalar(t, x), indent + 1)
            code.add(indent, "else:")
            code.add(indent + 1, f"e.append(_c.bad_type({path}, {x}, {_TYPES[t]}))")
        elif t == "blob":
            code.add(indent, f"if _c.is_blob({x}):")
            put(self.wire_blob(x), indent + 1)
            code.add(indent, "else:")
            code.add(indent + 1, f"e.append(_c.bad_type({path}, {x}, _c.BLOB))")
        elif t == "timestamp":
            code.add(indent, f"y = _c.to_datetime({x})")
            code.add(indent, "if y is None:")
            code.add(indent + 1, f"e.append(_c.bad_type({path}, {x}, _c.TIMESTAMP))")
            fmt = m.timestamp_format or shape.timestamp_format or self.default_timestamp
            if target:
                code.add(indent, "else:")
                put(self.wire_timestamp(fmt, "y"), indent + 1)
        elif t == "document":
            code.add(indent, f"_c.check_document({x}, {path}, e)")
            put(x, indent)
        elif shape.event_stream:
            code.add(indent, f"e.append({path} + ': event stream input is not supported')")
        else:
            self.nested(m, x, path, put, indent)

    # hooks for the form serializers (query, ec2: ._form_dicts), which check as JSON's do
    default_timestamp = "unixTimestamp"

    def wire_scalar(self, t: str, x: str) -> str:
        """The body value of a checked scalar ``x`` of type ``t`` (numbers, strings, booleans)."""
        return f"_c.ser_float({x})" if t in ("float", "double") else x

    def wire_blob(self, x: str) -> str:
        """The body value of a checked blob ``x`` (bytes, str or a file)."""
        return f"_c.b64({x})"

    def wire_timestamp(self, fmt: str, y: str) -> str:
        """The body value of timestamp ``y`` (an aware datetime) in format ``fmt``."""
        ms = "_ms" if self.ms_timestamps and fmt != "rfc822" else ""
        return f"_c.{TS_FUNCS[fmt]}{ms}({y})"

    def nested(self, m: Member, x: str, path: str, put: Callable[[str, int], None], indent: int) -> None:
        """Statements checking and writing structure, list or map ``x`` of member ``m``."""
        shape = self.shapes[m.target]
        self.needed_ser.add(shape.name)
        put(f"_cs_{shape.name}({x}, {path}, e)", indent)

    def member_target(self, m: Member) -> str:
        """The statement a structure member's body value goes to."""
        return f"d[{pylit(m.wire_name)}] = {VALUE}"

    def ser_helpers(self) -> list[str]:
        """``_cs_X`` for every structure, list and map a serializer needs (grows as written)."""
        out: list[str] = []
        done: set[str] = set()
        while self.needed_ser - done:
            name = sorted(self.needed_ser - done)[0]
            done.add(name)
            out.append(self._ser_function(self.shapes[name]))
        return out

    def _ser_function(self, shape: Shape, name: str | None = None, skip: frozenset[str] = frozenset()) -> str:
        code = Code([])
        t = shape.type
        if t in ("structure", "union"):
            code.add(1, "if not isinstance(v, dict):")
            code.add(2, "e.append(_c.bad_type(p, v, _c.DICT))")
            code.add(2, "return None")
            self.struct_body(shape, code, skip)
            code.add(1, "return d")
        elif t == "list":
            assert shape.member is not None
            check_list(shape, code, "return None")
            code.add(1, "o: list[_t.Any] = []")
            code.add(1, "for i, x in enumerate(v):")
            self.value(shape.member, "x", "p + '[' + str(i) + ']'", "o.append(" + VALUE + ")", code, 2)
            code.add(1, "return o")
        else:  # map
            assert shape.key is not None and shape.value is not None
            code.add(1, "if not isinstance(v, dict):")
            code.add(2, "e.append(_c.bad_type(p, v, _c.DICT))")
            code.add(2, "return None")
            code.add(1, "o: dict[_t.Any, _t.Any] = {}")
            code.add(1, "for k, x in v.items():")
            self.value(shape.key, "k", "p + ' (key: ' + str(k) + ')'", None, code, 2)
            self.value(shape.value, "x", "p + '.' + str(k)", "o[k] = " + VALUE, code, 2)
            code.add(1, "return o")
        return (f"def {name or '_cs_' + shape.name}(v: _t.Any, p: str, e: list[str]) -> _t.Any:\n"
                "    y: _t.Any\n" + "\n".join(code.lines))

    def struct_body(self, shape: Shape, code: Code, skip: frozenset[str] = frozenset()) -> None:
        """Statements filling ``d`` from structure ``v`` (a dict): union and required checks,
        then each given member in the caller's order; members named in ``skip`` (bound to
        the URI, headers, query or a raw payload) are checked but not put in ``d``."""
        code.add(1, "d: dict[str, _t.Any] = {}")
        names = pylit(", ".join(m.name for m in shape.members))
        if shape.type == "union":
            code.add(1, f"if len(v) != 1:")
            code.add(2, f"e.append(_c.union_count(p, len(v), {names}))")
        for m in shape.members:
            if m.required and not m.idempotency_token:
                code.add(1, f"if {pylit(m.name)} not in v:")
                code.add(2, f"e.append(_c.missing(p, {pylit(m.name)}))")
        code.add(1, "u = len(e)  # botocore reports unknown members before the known members' problems")
        code.add(1, "for k, x in v.items():")
        for i, m in enumerate(shape.members):
            code.add(2, f"{'if' if i == 0 else 'elif'} k == {pylit(m.name)}:")
            target = None if m.name in skip else self.member_target(m)
            self.value(m, "x", f"p + {pylit('.' + m.name)}", target, code, 3)
        code.add(2, "else:" if shape.members else "if True:")
        code.add(3, f"e.insert(u, _c.unknown(p, k, {names}))")
        code.add(3, "u += 1")

    def input_function(self, shape: Shape, skip: frozenset[str]) -> str:
        """``_ci_X(v, e)``: a whole input (boto3's keyword arguments) -> its JSON body
        members; ``skip``: members bound elsewhere, checked only."""
        text = self._ser_function(shape, f"_ci_{shape.name}", skip)
        return text.replace("(v: _t.Any, p: str, e: list[str])", "(v: dict[str, _t.Any], e: list[str])", 1).replace(
            "\n    y: _t.Any\n", "\n    y: _t.Any\n    p = ''\n", 1)

    # ----- parsing ----------------------------------------------------------------------
    def identity(self, m: Member) -> bool:
        t = self.shapes[m.target].type
        return t in _IDENTITY and not (self.rest and t in ("integer", "long"))

    def passthrough(self, m: Member) -> bool:
        """Whether botocore's value of member ``m`` is its JSON value as it is (scalars
        without conversion, and lists and maps of them)."""
        shape = self.shapes[m.target]
        if shape.type == "list" and shape.member is not None:
            return self.passthrough(shape.member)
        if shape.type == "map" and shape.value is not None:
            return self.passthrough(shape.value)
        return self.identity(m)

    def _fast_keys(self, shape: Shape) -> list[str]:
        """Members of a structure taken as they are: no conversion, same name on the wire."""
        return [m.name for m in shape.members if self.passthrough(m) and m.wire_name == m.name]

    def de(self, m: Member, x: str, depth: int = 0) -> str:
        """Expression: JSON value ``x`` (not None) of member ``m`` -> botocore's value."""
        shape = self.shapes[m.target]
        t = shape.type
        if t in _IDENTITY:
            return f"int({x})" if self.rest and t in ("integer", "long") else x
        if t in ("float", "double"):
            return f"float({x})" if self.rest else x
        if t == "blob":
            return f"_c.b64d({x})"
        if t == "timestamp":
            return f"_rt.p_ts({x})"
        if t in ("list", "map"):
            element = shape.member if t == "list" else shape.value
            assert element is not None
            if self.passthrough(element):
                return x
            target = self.shapes[element.target]
            if target.type in ("structure", "union") and self._fast_keys(target):
                self.needed_de.add(target.name)  # fixed in place: most elements stay as they are
                return f"_c.fix_{t}({x}, _K_{target.name}, _cd_{target.name}, n)"
            k, y = f"k{depth}", f"y{depth}"
            inner = f"None if {y} is None else {self.de(element, y, depth + 1)}"
            return f"[{inner} for {y} in {x}]" if t == "list" else f"{{{k}: {inner} for {k}, {y} in {x}.items()}}"
        if shape.event_stream:
            return f"_c.unsupported_stream({pylit(m.name)})"
        self.needed_de.add(shape.name)
        if self._fast_keys(shape):
            # a dict whose keys all need no conversion is botocore's value already
            return (f"({x} if {x}.__class__ is dict and _K_{shape.name}.issuperset({x}) "
                    f"and not (n and None in {x}.values()) else _cd_{shape.name}({x}, n))")
        return f"_cd_{shape.name}({x}, n)"

    def header(self, m: Member, x: str) -> str:
        """Expression: header text ``x`` of member ``m`` -> botocore's value."""
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            return f"_c.unb64json({x})" if m.jsonvalue else x
        if t in ("integer", "long"):
            return f"int({x})"
        if t in ("float", "double"):
            return f"float({x})"
        if t == "boolean":
            return f"_c.h_bool({x})"
        if t == "blob":
            return f"_c.b64d({x})"
        if t == "timestamp":
            return f"_rt.p_ts({x})"
        if t == "list":
            assert shape.member is not None
            return f"[{self.header(shape.member, 'y')} for y in _c.h_list({x})]"
        return f"_c.unb64json({x})"  # document

    def de_members(self, members: list[Member], code: Code, indent: int, src: str, dst: str) -> None:
        for m in members:
            code.add(indent, f"x = {src}.get({pylit(m.wire_name)})")
            code.add(indent, "if x is not None:")
            code.add(indent + 1, f"{dst}[{pylit(m.name)}] = {self.de(m, 'x')}")

    def _fix_in_place(self, m: Member, x: str, code: Code, indent: int) -> bool:
        """Statements making list or map ``x`` of member ``m`` botocore's in place, when its
        elements are structures that mostly need nothing (:func:`fix_map`'s loop, written
        out: a recursive shape such as DynamoDB's AttributeValue then walks its ``M`` and
        ``L`` without a call per container); False when ``m`` is not such a member."""
        shape = self.shapes[m.target]
        element = shape.member if shape.type == "list" else shape.value if shape.type == "map" else None
        if element is None or self.passthrough(element):
            return False
        target = self.shapes[element.target]
        if target.type not in ("structure", "union") or not self._fast_keys(target):
            return False
        self.needed_de.add(target.name)
        loop = f"for i1, y1 in enumerate({x}):" if shape.type == "list" else f"for i1, y1 in {x}.items():"
        code.add(indent, loop)
        code.add(indent + 1, f"if y1.__class__ is not dict or not _K_{target.name}.issuperset(y1) "
                             "or (n and None in y1.values()):")
        code.add(indent + 2, f"{x}[i1] = None if y1 is None else _cd_{target.name}(y1, n)")
        return True

    def de_helpers(self) -> list[str]:
        out: list[str] = []
        done: set[str] = set()
        while self.needed_de - done:
            name = sorted(self.needed_de - done)[0]
            done.add(name)
            shape = self.shapes[name]
            code = Code([])
            code.add(1, "if d is None:")
            code.add(2, "return None")
            consts = ""
            if shape.members and all(m.wire_name == m.name for m in shape.members):
                # Known keys only and no null: botocore's dict is this one with the members
                # that need it converted in place (what large answers mostly take). A
                # structure with other keys or nulls keeps its known members that are not
                # null first; a union's other keys are botocore's SDK_UNKNOWN_MEMBER (below).
                consts = f"_A_{name} = frozenset({pylit(tuple(m.name for m in shape.members))})\n"
                check = f"d.__class__ is dict and _A_{name}.issuperset(d) and not (n and None in d.values())"
                if shape.type == "union":
                    code.add(1, f"if {check}:")
                    self._convert_in_place(shape, code, 2)
                else:
                    code.add(1, f"if not ({check}):")
                    code.add(2, f"d = _c.known(d, _A_{name})")
                    self._convert_in_place(shape, code, 1)
                    out.append(self._de_function(name, shape, consts, code))
                    continue
            code.add(1, "o: dict[str, _t.Any] = {}")
            by_key = len(shape.members) > 4 or shape.type == "union"
            if by_key:  # one or few keys present of many: walk the keys present
                code.add(1, "for k, x in d.items():")
                code.add(2, "if x is None:")
                code.add(3, "continue")
                # members that need converting first: the others usually took the fast path
                ordered = sorted(shape.members, key=lambda m: self.passthrough(m))
                for i, m in enumerate(ordered):
                    code.add(2, f"{'if' if i == 0 else 'elif'} k == {pylit(m.wire_name)}:")
                    code.add(3, f"o[{pylit(m.name)}] = {self.de(m, 'x')}")
                if shape.type == "union":
                    code.add(2, "elif k != '__type':")
                    code.add(3, "return {'SDK_UNKNOWN_MEMBER': {'name': k}}")
            else:
                self.de_members(list(shape.members), code, 1, "d", "o")
            code.add(1, "return o")
            out.append(self._de_function(name, shape, consts, code))
        return out

    def _convert_in_place(self, shape: Shape, code: Code, indent: int) -> None:
        """Statements converting, in dict ``d`` of structure ``shape`` (known keys, no
        null), the members whose JSON value is not botocore's; then ``return d``."""
        converting = [m for m in shape.members if not self.passthrough(m)]
        # lists and maps first: in a recursive shape they are what most instances hold
        converting.sort(key=lambda m: self._fix_in_place(m, "x", Code([]), 0) is False)
        if len(converting) > 2:  # walk the keys present (usually few)
            code.add(indent, "for k, x in d.items():")
            for i, m in enumerate(converting):
                code.add(indent + 1, f"{'if' if i == 0 else 'elif'} k == {pylit(m.name)}:")
                if not self._fix_in_place(m, "x", code, indent + 2):
                    code.add(indent + 2, f"d[k] = {self.de(m, 'x')}")
        else:
            for m in converting:
                code.add(indent, f"x = d.get({pylit(m.name)})")
                code.add(indent, "if x is not None:")
                if not self._fix_in_place(m, "x", code, indent + 1):
                    code.add(indent + 1, f"d[{pylit(m.name)}] = {self.de(m, 'x')}")
        code.add(indent, "return d")

    def _de_function(self, name: str, shape: Shape, consts: str, code: Code) -> str:
        fast = self._fast_keys(shape)
        consts += f"_K_{name} = frozenset({pylit(tuple(fast))})\n" if fast else ""
        return (consts + ("\n\n" if consts else "") + f"def _cd_{name}(d: _t.Any, n: bool) -> _t.Any:\n"
                "    x: _t.Any\n" + "\n".join(code.lines))


def check_list(shape: Shape, code: Code, leave: str) -> None:
    """Statements checking list ``v`` at path ``p`` (type, then minimum length), botocore's
    way; ``leave``: the statement ending the function when ``v`` is no list."""
    code.add(1, "if not isinstance(v, (list, tuple)):")
    code.add(2, "e.append(_c.bad_type(p, v, _c.LIST))")
    code.add(2, leave)
    if shape.min is not None:
        code.add(1, f"if len(v) < {pylit(shape.min)}:")
        code.add(2, f"e.append(_c.too_small(p, len(v), {pylit(shape.min)}, 'length'))")


def documents_reachable(shapes: dict[str, Shape], name: str) -> bool:
    """Whether a value of shape ``name`` may hold a document member (at any depth)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        shape = shapes[todo.pop()]
        if shape.name in seen:
            continue
        seen.add(shape.name)
        if shape.type == "document":
            return True
        todo.extend(m.target for m in shape.members)
        todo.extend(m.target for m in (shape.member, shape.key, shape.value) if m is not None)
    return False


def check_input(dicts: JsonDicts, shape: Shape | None, code: Code, skip: frozenset[str] = frozenset()) -> None:
    """Statements checking the input dict ``v`` and setting ``d``, its JSON body members:
    idempotency tokens filled first (botocore's handler runs before validation)."""
    if shape is None:
        code.add(1, "_c.no_params(v)")
        return
    for m in shape.members:
        if m.idempotency_token:
            code.add(1, f"if {pylit(m.name)} not in v:")
            code.add(2, f"v[{pylit(m.name)}] = _rt.new_token()")
        if m.name in dicts.member_defaults:  # a handler's default, also before validation
            code.add(1, f"if v.get({pylit(m.name)}) is None:")
            code.add(2, f"v[{pylit(m.name)}] = {pylit(dicts.member_defaults[m.name])}")
    if shape.name not in dicts.inputs:
        dicts.inputs.add(shape.name)
        dicts.extra.append(dicts.input_function(shape, skip))
    code.add(1, "e: list[str] = []")
    code.add(1, f"d = _ci_{shape.name}(v, e)")
    code.add(1, "if e:")
    code.add(2, "raise _c.invalid(e)")


def json_compat_error(dicts: JsonDicts, shape: Shape, rest: bool) -> str:
    """Body of ``_ce_X(r, d)``: members of error X from its JSON body ``d`` (and, for
    rest-json, its headers), as botocore's modeled error parse returns them."""
    code = Code([])
    code.add(1, "o: dict[str, _t.Any] = {}")
    code.add(1, "n = True  # an error's body may hold null: the exact path")
    body = [m for m in shape.members if m.location == "body"]
    if rest:
        for m in shape.members:
            if m.location == "header":
                code.add(1, f"x = r.headers.get({pylit(m.wire_name)})")
                code.add(1, "if x is not None:")
                code.add(2, f"o[{pylit(m.name)}] = {dicts.header(m, 'x')}")
    dicts.de_members(body, code, 1, "d", "o")
    code.add(1, "return o")
    return "\n".join(code.lines)
