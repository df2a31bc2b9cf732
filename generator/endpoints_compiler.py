"""Compile an endpoint rule set into a static Python module.

botocore walks a service's ``endpoint-rule-set-1.json`` on every call. We do that
walk once, at generation time: each rule becomes an ``if`` whose test is its
conditions joined with ``and``, an endpoint rule becomes ``return Endpoint(...)``,
an error rule ``raise EndpointResolutionError(...)``, and a tree rule a nested
block. Variables a condition assigns become Python locals (bound with ``:=`` so a
rule's conditions stay one flat test), templates become f-strings, and the
partition table becomes one module-level constant built at import.

Two properties matter more than brevity of the output:

* Safety. No text from the rule set is pasted into code. Literal strings go
  through ``repr()``; template text inside f-strings is escaped character by
  character with ``repr()``; names become identifiers through :class:`_Namer`,
  which keeps only ``[a-z0-9_]``; attribute keys must be plain words or the rule
  set is refused.
* Typing. The output passes ``mypy --strict``: parameters read with a declared
  default are non-optional, and every value that may be unset is tested with
  ``is not None`` before it is used, so mypy narrows it exactly where the rules
  language says it is set.

The rules language semantics followed here: a condition holds unless its value is
unset or ``False``; a tree rule whose children all fail falls through to its next
sibling; assignments are visible only inside the rule that makes them.
"""

from __future__ import annotations

import builtins
import keyword
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "RuleSetCompileError",
    "RuleSetParameter",
    "compile_ruleset",
    "compile_ruleset_parameters",
]


class RuleSetCompileError(ValueError):
    """The rule set uses something this compiler does not know, or is malformed."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")


class RuleSetParameter(NamedTuple):
    """One declared rule-set parameter, for mapping builtIns to client settings."""

    name: str
    type: str  # "string", "boolean" or "stringArray"
    builtin: str | None  # e.g. "AWS::Region", "AWS::UseFIPS", "SDK::Endpoint"
    default: Any
    required: bool
    documentation: str


_PARAM_TYPES = {"string": "string", "boolean": "boolean", "stringarray": "stringArray"}


def compile_ruleset_parameters(ruleset: Mapping[str, Any]) -> list[RuleSetParameter]:
    """The rule set's parameters in declaration order, with normalised type names."""
    result = []
    for name, spec in ruleset.get("parameters", {}).items():
        raw_type = str(spec.get("type", ""))
        param_type = _PARAM_TYPES.get(raw_type.lower())
        if param_type is None:
            raise RuleSetCompileError(
                f"parameters.{name}", f"unknown parameter type {raw_type!r}"
            )
        result.append(
            RuleSetParameter(
                name=name,
                type=param_type,
                builtin=spec.get("builtIn"),
                default=spec.get("default"),
                required=bool(spec.get("required", False)),
                documentation=str(spec.get("documentation", "")),
            )
        )
    return result


# ---------------------------------------------------------------------------
# Expressions: code plus what we know about its value
# ---------------------------------------------------------------------------

# What a compiled expression is known to hold at run time. The kind decides how a
# condition on it is written (``x`` for a bool, ``x is not None`` for a value that
# may be unset) and which keys ``getAttr`` may read with a plain subscript.
_BOOL, _STR, _INT, _LIST, _ANY = "bool", "str", "int", "list", "any"
_PARTITION, _URL, _ARN = "partition", "url", "arn"

_URL_KEYS = {
    "scheme": _STR,
    "authority": _STR,
    "path": _STR,
    "normalizedPath": _STR,
    "isIp": _BOOL,
}
_ARN_KEYS = {
    "partition": _STR,
    "service": _STR,
    "region": _STR,
    "accountId": _STR,
    "resourceId": _LIST,
}
_RECORD = "Mapping[str, Any] | None"


@dataclass(frozen=True)
class _Expr:
    """A compiled expression.

    ``kind``/``optional`` say what the value is at run time; ``static`` is the type
    mypy will infer for it (a subscript of a ``Mapping[str, Any]`` is ``Any`` even
    when we know it holds a string), which decides the Python name of a local it
    is assigned to. ``atom`` is true when ``not`` can be put in front unbracketed.
    """

    code: str
    kind: str
    optional: bool
    static: str
    atom: bool = True

    def needs_truthy(self) -> bool:
        """Only a bool that may be unset, or a value of unknown type, needs ``truthy``."""
        return self.kind in (_BOOL, _ANY) and (self.optional or self.kind == _ANY)

    def test(self) -> str:
        """The condition that holds when this value is set and not ``False``."""
        if self.needs_truthy():
            return f"truthy({self.code})"
        if self.kind == _BOOL:
            return self.code
        return f"{self.code} is not None" if self.optional else "True"

    def negated_test(self) -> str:
        if self.needs_truthy():
            return f"not truthy({self.code})"
        if self.kind == _BOOL:
            return f"not {self.code}" if self.atom else f"not ({self.code})"
        return f"{self.code} is None" if self.optional else "False"


def _bool(code: str) -> _Expr:
    return _Expr(code, _BOOL, False, "bool", atom=False)


@dataclass(frozen=True)
class _Var:
    """A rule-set name bound to a Python local."""

    ident: str
    kind: str
    optional: bool
    static: str


_WORD = re.compile(r"[A-Za-z0-9_]+\Z")
_ATTR_PART = re.compile(r"([A-Za-z0-9_]*)(?:\[([0-9]+)\])?\Z")
_RUNTIME_NAMES = {
    "Endpoint",
    "EndpointResolutionError",
    "PartitionTable",
    "attr",
    "bool_param",
    "is_valid_host_label",
    "is_virtual_hostable_s3_bucket",
    "item",
    "parse_arn",
    "parse_url",
    "require",
    "str_list_param",
    "str_param",
    "substring",
    "truthy",
    "uri_encode",
}
_RESERVED = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | _RUNTIME_NAMES
    | {"Any", "Mapping", "annotations", "params", "resolve_endpoint", "_PARTITIONS"}
)


def _snake_case(name: str) -> str:
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()
    if not text or text[0].isdigit():
        text = "v_" + text
    return text


class _Namer:
    """Gives each (rule-set name, value type) pair one safe, unique Python name."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set(_RESERVED)

    def ident(self, name: str, static_type: str) -> str:
        key = (name, static_type)
        if key not in self._names:
            base = _snake_case(name)
            if base in _RESERVED:
                base += "_"  # PEP 8's way around a keyword or builtin: ``type_``
            candidate, n = base, 2
            while candidate in self._taken:
                candidate, n = f"{base}_{n}", n + 1
            self._taken.add(candidate)
            self._names[key] = candidate
        return self._names[key]


def _literal(value: Any, where: str) -> str:
    """A JSON value as Python source; every string goes through ``repr``."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RuleSetCompileError(where, "non-finite number")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, where) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(
            f"{repr(str(k))}: {_literal(v, where)}" for k, v in value.items()
        )
        return "{" + items + "}"
    raise RuleSetCompileError(
        where, f"unsupported literal of type {type(value).__name__}"
    )


def _fstring_text(text: str) -> str:
    """Escape literal text for the inside of a double-quoted f-string.

    Each character goes through ``repr`` (so quotes, backslashes, line breaks and
    unprintable characters come out as escapes); braces are doubled.
    """
    out = []
    for ch in text:
        if ch in "{}":
            out.append(ch * 2)
        elif ch == '"':
            out.append('\\"')
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def _split_template(text: str, where: str) -> list[tuple[bool, str]]:
    """Split a template into (is_placeholder, text) pieces; ``{{``/``}}`` are braces."""
    pieces: list[tuple[bool, str]] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "{}" and text[i : i + 2] == ch * 2:
            literal.append(ch)
            i += 2
        elif ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise RuleSetCompileError(
                    where, f"unclosed template placeholder in {text!r}"
                )
            if literal:
                pieces.append((False, "".join(literal)))
                literal = []
            pieces.append((True, text[i + 1 : end]))
            i = end + 1
        elif ch == "}":
            raise RuleSetCompileError(where, f"unmatched '}}' in template {text!r}")
        else:
            literal.append(ch)
            i += 1
    if literal:
        pieces.append((False, "".join(literal)))
    return pieces


# ---------------------------------------------------------------------------
# The compiler
# ---------------------------------------------------------------------------


@dataclass
class _Scope:
    """Rule-set names visible at one point of the tree, and what is known of them."""

    names: dict[str, _Var] = field(default_factory=dict)

    def child(self) -> _Scope:
        return _Scope(dict(self.names))

    def mark_set(self, name: str) -> None:
        """After ``isSet(name)`` holds, the name is no longer optional (mypy agrees)."""
        var = self.names.get(name)
        if var is not None and var.optional:
            self.names[name] = _Var(
                var.ident, var.kind, False, var.static.removesuffix(" | None")
            )


# Runtime helpers with the kind and static type of what they return.
_HELPERS: dict[str, tuple[str, int, str, bool, str]] = {
    "parseURL": ("parse_url", 1, _URL, True, _RECORD),
    "aws.parseArn": ("parse_arn", 1, _ARN, True, _RECORD),
    "substring": ("substring", 4, _STR, True, "str | None"),
    "uriEncode": ("uri_encode", 1, _STR, True, "str | None"),
    "isValidHostLabel": ("is_valid_host_label", 2, _BOOL, False, "bool"),
    "aws.isVirtualHostableS3Bucket": (
        "is_virtual_hostable_s3_bucket",
        2,
        _BOOL,
        False,
        "bool",
    ),
}


class _Compiler:
    def __init__(
        self, ruleset: Mapping[str, Any], partitions: Mapping[str, Any]
    ) -> None:
        self.ruleset = ruleset
        self.params = compile_ruleset_parameters(ruleset)
        self.partitions = partitions
        self.namer = _Namer()
        self.used: set[str] = set()  # runtime names the output imports
        self.uses_partitions = False
        self.partition_keys = self._partition_keys()

    # -- partitions ---------------------------------------------------------

    def _partition_keys(self) -> dict[str, str]:
        """Output keys that every partition has (safe to subscript), with their kind."""
        common: dict[str, str] | None = None
        for partition in self.partitions.get("partitions", []):
            outputs = {**partition.get("outputs", {}), "name": partition.get("id")}
            kinds = {
                k: (
                    _BOOL
                    if isinstance(v, bool)
                    else _STR if isinstance(v, str) else _ANY
                )
                for k, v in outputs.items()
            }
            common = (
                kinds
                if common is None
                else {k: v for k, v in common.items() if kinds.get(k) == v}
            )
        return common or {}

    def partition_table(self) -> str:
        """The module constant: per partition its id, region pattern, regions, outputs."""
        rows = []
        for i, partition in enumerate(self.partitions.get("partitions", [])):
            where = f"partitions[{i}]"
            if "id" not in partition or "regionRegex" not in partition:
                raise RuleSetCompileError(
                    where, "a partition needs an id and a regionRegex"
                )
            names = [repr(str(r)) for r in partition.get("regions", {})]
            regions = "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"
            outputs = _literal(dict(partition.get("outputs", {})), where)
            rows.append(
                f"({repr(str(partition['id']))}, {repr(str(partition['regionRegex']))}, {regions}, {outputs}),"
            )
        if not rows:
            raise RuleSetCompileError("partitions", "no partitions given")
        return (
            "_PARTITIONS = PartitionTable(\n    [\n"
            + "".join(f"        {row}\n" for row in rows)
            + "    ]\n)"
        )

    # -- values ---------------------------------------------------------------

    def value(self, node: Any, scope: _Scope, where: str) -> _Expr:
        """Compile an argument: a literal, a template, a reference or a call."""
        if isinstance(node, bool):
            return _Expr(repr(node), _BOOL, False, "bool")
        if isinstance(node, int):
            return _Expr(repr(node), _INT, False, "int")
        if isinstance(node, str):
            return self.template(node, scope, where)
        if isinstance(node, dict) and "ref" in node:
            return self.ref(node["ref"], scope, where)
        if isinstance(node, dict) and "fn" in node:
            if "assign" in node:
                raise RuleSetCompileError(where, "assignment outside a condition")
            return self.call(node, scope, where)
        raise RuleSetCompileError(where, f"unsupported value {node!r:.80}")

    def ref(self, name: Any, scope: _Scope, where: str) -> _Expr:
        var = scope.names.get(name) if isinstance(name, str) else None
        if var is None:
            raise RuleSetCompileError(where, f"reference to unknown name {name!r}")
        return _Expr(var.ident, var.kind, var.optional, var.static)

    def template(self, text: str, scope: _Scope, where: str) -> _Expr:
        """A string with ``{Name}`` / ``{Name#path}`` placeholders, as an f-string."""
        pieces = _split_template(text, where)
        if not any(is_ref for is_ref, _ in pieces):
            return _Expr(repr("".join(t for _, t in pieces)), _STR, False, "str")
        if len(pieces) == 1:
            # "{Region}" alone: the value itself when it is surely a string.
            only = self.placeholder(pieces[0][1], scope, where)
            if only.kind == _STR and not only.optional:
                return only
        parts = []
        for is_ref, piece in pieces:
            if not is_ref:
                parts.append(_fstring_text(piece))
                continue
            expr = self.placeholder(piece, scope, where)
            if any(c in expr.code for c in '"\\{}'):
                raise RuleSetCompileError(
                    where, f"cannot place {piece!r} in a template"
                )
            parts.append("{" + expr.code + "}")
        return _Expr('f"' + "".join(parts) + '"', _STR, False, "str")

    def placeholder(self, text: str, scope: _Scope, where: str) -> _Expr:
        """``Name`` or ``Name#path`` inside a template's braces."""
        name, _, path = text.partition("#")
        expr = self.ref(name, scope, where)
        return self.get_attr(expr, path, where) if path else expr

    def get_attr(self, base: _Expr, path: str, where: str) -> _Expr:
        """``getAttr``: a subscript where the key surely exists, a helper elsewhere."""
        expr = base
        for part in path.split("."):
            match = _ATTR_PART.match(part)
            if match is None or not part:
                raise RuleSetCompileError(where, f"unsupported getAttr path {path!r}")
            name, index = match.group(1), match.group(2)
            if name:
                keys = {
                    _PARTITION: self.partition_keys,
                    _URL: _URL_KEYS,
                    _ARN: _ARN_KEYS,
                }.get(expr.kind, {})
                if name in keys and not expr.optional:
                    expr = _Expr(f"{expr.code}[{repr(name)}]", keys[name], False, "Any")
                else:
                    self.used.add("attr")
                    expr = _Expr(f"attr({expr.code}, {repr(name)})", _ANY, True, "Any")
            if index is not None:
                self.used.add("item")
                element = _STR if expr.kind == _LIST else _ANY  # lists hold strings
                expr = _Expr(f"item({expr.code}, {int(index)})", element, True, "Any")
        return expr

    def call(self, node: Mapping[str, Any], scope: _Scope, where: str) -> _Expr:
        fn = node.get("fn")
        argv = node.get("argv")
        if not isinstance(argv, list):
            raise RuleSetCompileError(where, f"function {fn!r} without an argv list")
        arity = {
            "isSet": 1,
            "not": 1,
            "booleanEquals": 2,
            "stringEquals": 2,
            "getAttr": 2,
            "aws.partition": 1,
        }
        if not isinstance(fn, str) or (fn not in _HELPERS and fn not in arity):
            raise RuleSetCompileError(where, f"unknown function {fn!r}")
        count = _HELPERS[fn][1] if fn in _HELPERS else arity[fn]
        if len(argv) != count:
            raise RuleSetCompileError(
                where, f"{fn} takes {count} argument(s), got {len(argv)}"
            )
        if fn == "not":
            return self.negation(argv[0], scope, f"{where}.argv[0]")
        if fn == "getAttr":
            if not isinstance(argv[1], str):
                raise RuleSetCompileError(where, "getAttr path must be a string")
            return self.get_attr(
                self.value(argv[0], scope, f"{where}.argv[0]"), argv[1], where
            )
        args = [self.value(a, scope, f"{where}.argv[{i}]") for i, a in enumerate(argv)]
        if fn == "isSet":
            return _bool(f"{args[0].code} is not None")
        if fn == "booleanEquals":
            return _boolean_equals(args[0], args[1])
        if fn == "stringEquals":
            return _bool(f"{args[0].code} == {args[1].code}")
        if fn == "aws.partition":
            self.uses_partitions = True
            return _Expr(
                f"_PARTITIONS.lookup({args[0].code})", _PARTITION, True, _RECORD
            )
        name, _, kind, optional, static = _HELPERS[fn]
        self.used.add(name)
        return _Expr(
            f"{name}({', '.join(a.code for a in args)})", kind, optional, static
        )

    def negation(self, node: Any, scope: _Scope, where: str) -> _Expr:
        """``not(...)``, written the way a person would (``x is None``, ``a != b``)."""
        if (
            isinstance(node, dict)
            and node.get("fn") in ("isSet", "stringEquals")
            and "assign" not in node
        ):
            positive = self.call(node, scope, where).code
            if node["fn"] == "isSet":
                return _bool(positive.removesuffix(" is not None") + " is None")
            left, right = (self.value(a, scope, where).code for a in node["argv"])
            return _bool(f"{left} != {right}")
        expr = self.value(node, scope, where)
        if expr.needs_truthy():
            self.used.add("truthy")
        return _bool(expr.negated_test())

    # -- rules ----------------------------------------------------------------

    def conditions(self, conditions: Any, scope: _Scope, where: str) -> list[str]:
        """Each condition's test, binding assigned names in ``scope`` as it goes."""
        if not isinstance(conditions, list):
            raise RuleSetCompileError(where, "conditions must be a list")
        tests = []
        for i, cond in enumerate(conditions):
            at = f"{where}[{i}]"
            if not isinstance(cond, dict) or "fn" not in cond:
                raise RuleSetCompileError(at, "a condition must be a function call")
            expr = self.call(cond, scope, at)
            assign = cond.get("assign")
            if expr.needs_truthy():
                self.used.add("truthy")
            if assign is None:
                tests.append(expr.test())
                argv = cond["argv"]
                if (
                    cond["fn"] == "isSet"
                    and isinstance(argv[0], dict)
                    and isinstance(argv[0].get("ref"), str)
                ):
                    scope.mark_set(argv[0]["ref"])
                continue
            if not isinstance(assign, str) or assign in scope.names:
                raise RuleSetCompileError(
                    at, f"cannot assign {assign!r} (unnamed or already bound)"
                )
            ident = self.namer.ident(assign, expr.static)
            bound = _Expr(
                f"({ident} := {expr.code})", expr.kind, expr.optional, expr.static
            )
            test = bound.test()
            tests.append(test if test != "True" else f"{bound.code} is not None")
            scope.names[assign] = _Var(
                ident, expr.kind, False, expr.static.removesuffix(" | None")
            )
        return tests

    def rules(
        self, rules: Any, scope: _Scope, indent: str, where: str
    ) -> tuple[list[str], bool]:
        """Lines for a list of rules, and whether they always end in return/raise."""
        if not isinstance(rules, list):
            raise RuleSetCompileError(where, "rules must be a list")
        lines: list[str] = []
        for i, rule in enumerate(rules):
            at = f"{where}[{i}]"
            if not isinstance(rule, dict):
                raise RuleSetCompileError(at, "a rule must be an object")
            inner = scope.child()
            tests = self.conditions(
                rule.get("conditions", []), inner, f"{at}.conditions"
            )
            body, terminal = self.rule_body(
                rule, inner, indent + "    " if tests else indent, at
            )
            if tests:
                lines.append(f"{indent}if {' and '.join(tests)}:")
                lines.extend(body)
            else:
                lines.extend(body)
                if terminal:
                    return lines, True  # later siblings could never be reached
        return lines, False

    def rule_body(
        self, rule: Mapping[str, Any], scope: _Scope, indent: str, where: str
    ) -> tuple[list[str], bool]:
        kind = rule.get("type")
        if kind == "tree":
            lines, terminal = self.rules(
                rule.get("rules"), scope, indent, f"{where}.rules"
            )
            return (lines or [f"{indent}pass"]), terminal
        if kind == "error":
            message = self.value(rule.get("error"), scope, f"{where}.error")
            return [f"{indent}raise EndpointResolutionError({_as_str(message)})"], True
        if kind == "endpoint":
            return [
                f"{indent}return {self.endpoint(rule.get('endpoint'), scope, f'{where}.endpoint')}"
            ], True
        raise RuleSetCompileError(where, f"unknown rule type {kind!r}")

    def endpoint(self, node: Any, scope: _Scope, where: str) -> str:
        if not isinstance(node, dict) or "url" not in node:
            raise RuleSetCompileError(where, "an endpoint needs a url")
        args = [f"url={_as_str(self.value(node['url'], scope, f'{where}.url'))}"]
        properties = node.get("properties") or {}
        if properties:
            args.append(
                f"properties={self.structure(properties, scope, f'{where}.properties')}"
            )
        headers = node.get("headers") or {}
        if headers:
            entries = []
            for name, values in headers.items():
                if not isinstance(values, list):
                    raise RuleSetCompileError(
                        f"{where}.headers", "header values must be a list"
                    )
                items = [
                    _as_str(self.value(v, scope, f"{where}.headers")) for v in values
                ]
                entries.append(f"{repr(str(name))}: [{', '.join(items)}]")
            args.append("headers={" + ", ".join(entries) + "}")
        return f"Endpoint({', '.join(args)})"

    def structure(self, node: Any, scope: _Scope, where: str) -> str:
        """Endpoint properties: JSON in which strings are templates."""
        if isinstance(node, dict) and ("ref" in node or "fn" in node):
            return self.value(node, scope, where).code
        if isinstance(node, dict):
            items = [
                f"{repr(str(k))}: {self.structure(v, scope, f'{where}.{k}')}"
                for k, v in node.items()
            ]
            return "{" + ", ".join(items) + "}"
        if isinstance(node, list):
            return (
                "["
                + ", ".join(
                    self.structure(v, scope, f"{where}[{i}]")
                    for i, v in enumerate(node)
                )
                + "]"
            )
        if isinstance(node, str):
            return self.template(node, scope, where).code
        return _literal(node, where)

    # -- parameters and module ------------------------------------------------

    def parameters(self, scope: _Scope) -> list[str]:
        """One line per parameter: read it, check its type, apply its default."""
        lines = []
        for param in self.params:
            where = f"parameters.{param.name}"
            reader, kind, static = {
                "string": ("str_param", _STR, "str"),
                "boolean": ("bool_param", _BOOL, "bool"),
                "stringArray": ("str_list_param", _LIST, "list[str]"),
            }[param.type]
            args = f"params, {repr(param.name)}"
            if param.default is not None:
                if param.type == "stringArray":
                    if not isinstance(param.default, list) or not all(
                        isinstance(d, str) for d in param.default
                    ):
                        raise RuleSetCompileError(
                            where, "a stringArray default must be a list of strings"
                        )
                    args += ", (" + "".join(f"{repr(d)}, " for d in param.default) + ")"
                else:
                    if not isinstance(
                        param.default, bool if param.type == "boolean" else str
                    ):
                        raise RuleSetCompileError(
                            where, f"the default is not a {param.type}"
                        )
                    args += f", {repr(param.default)}"
            read = f"{reader}({args})"
            self.used.add(reader)
            optional = param.default is None
            if param.required and optional:
                self.used.add("require")
                read = f"require({repr(param.name)}, {read})"
                optional = False
            static += " | None" if optional else ""
            ident = self.namer.ident(param.name, static)
            scope.names[param.name] = _Var(ident, kind, optional, static)
            lines.append(f"    {ident} = {read}")
        return lines

    def module(self, origin: str) -> str:
        scope = _Scope()
        param_lines = self.parameters(scope)
        rule_lines, terminal = self.rules(
            self.ruleset.get("rules"), scope, "    ", "rules"
        )
        if not terminal:
            no_match = repr("No endpoint rule matched the given endpoint parameters")
            rule_lines.append(f"    raise EndpointResolutionError({no_match})")
        imports = sorted(
            self.used
            | {"Endpoint"}
            | ({"PartitionTable"} if self.uses_partitions else set())
        )
        names = ", ".join(p.name for p in self.params if _WORD.match(p.name))
        doc = textwrap.wrap(
            f"Parameters: {names}. Unset parameters take the rule set's defaults. Raises "
            "EndpointResolutionError, with the rule set's own message, when a rule "
            "rejects the parameters.",
            width=80,
            initial_indent="    ",
            subsequent_indent="    ",
        )
        version = repr(str(self.ruleset.get("version", "")))
        out = [
            f"# Generated by awsgen from {repr(origin)} (endpoint rule set version {version}). Do not edit.",
            '"""Endpoint resolution for this service, compiled from its endpoint rule set.',
            "",
            "The rules became plain Python when this package was generated, so nothing",
            "is interpreted per call.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from collections.abc import Mapping",
            "from typing import Any",
            "",
            f"from awsgen_runtime.endpoints import {', '.join(imports)}",
            "from awsgen_runtime.errors import EndpointResolutionError",
            "",
            '__all__ = ["resolve_endpoint"]',
            "",
        ]
        if self.uses_partitions:
            out += [self.partition_table(), ""]
        out += [
            "",
            "def resolve_endpoint(params: Mapping[str, Any]) -> Endpoint:",
            '    """Return the endpoint for ``params``, keyed by rule-set parameter name.',
            "",
            *doc,
            '    """',
            *param_lines,
            *rule_lines,
            "",
        ]
        return "\n".join(out)


def _as_str(expr: _Expr) -> str:
    """A value used where a string is required (URL, header value, message)."""
    if expr.kind == _STR and not expr.optional:
        return expr.code
    return f"str({expr.code})"


def _boolean_equals(left: _Expr, right: _Expr) -> _Expr:
    """``booleanEquals``: ``x``/``not x`` for a sure bool, ``x is True`` otherwise."""
    if left.code in ("True", "False"):
        left, right = right, left
    if right.code not in ("True", "False"):
        return _bool(f"{left.code} == {right.code}")
    if left.kind == _BOOL and not left.optional:
        return (
            _Expr(left.code, _BOOL, False, "bool", left.atom)
            if right.code == "True"
            else _bool(left.negated_test())
        )
    return _bool(f"{left.code} is {right.code}")


def compile_ruleset(
    ruleset: Mapping[str, Any], partitions: Mapping[str, Any], *, origin: str = ""
) -> str:
    """Python source of an ``endpoints.py`` module that resolves ``ruleset``.

    ``partitions`` is botocore's ``partitions.json``; only what ``aws.partition``
    needs (ids, region patterns and names, outputs) is written into the module.
    ``origin`` names the source model in the module's header line.
    """
    return _Compiler(ruleset, partitions).module(origin)
