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
            raise RuleSetCompileError(f"parameters.{name}", f"unknown parameter type {raw_type!r}")
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

_URL_KEYS = {"scheme": _STR, "authority": _STR, "path": _STR, "normalizedPath": _STR, "isIp": _BOOL}
_ARN_KEYS = {"partition": _STR, "service": _STR, "region": _STR, "accountId": _STR, "resourceId": _LIST}
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

    def test(self) -> str:
        """The condition that holds when this value is set and not ``False``."""
        if self.kind == _BOOL and not self.optional:
            return self.code
        if self.kind in (_BOOL, _ANY):
            return f"truthy({self.code})"
        if self.optional:
            return f"{self.code} is not None"
        return "True"

    def negated_test(self) -> str:
        if self.kind == _BOOL and not self.optional:
            return f"not {self.code}" if self.atom else f"not ({self.code})"
        if self.kind in (_BOOL, _ANY):
            return f"not truthy({self.code})"
        if self.optional:
            return f"{self.code} is None"
        return "False"


def _bool(code: str) -> _Expr:
    return _Expr(code, _BOOL, False, "bool", atom=False)


@dataclass(frozen=True)
class _Var:
    ident: str
    kind: str
    optional: bool


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
        items = ", ".join(f"{repr(str(k))}: {_literal(v, where)}" for k, v in value.items())
        return "{" + items + "}"
    raise RuleSetCompileError(where, f"unsupported literal of type {type(value).__name__}")


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
                raise RuleSetCompileError(where, f"unclosed template placeholder in {text!r}")
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


class _Compiler:
    def __init__(self, ruleset: Mapping[str, Any], partitions: Mapping[str, Any]) -> None:
        self.ruleset = ruleset
        self.partitions = partitions
        self.namer = _Namer()
        self.used: set[str] = set()  # runtime names the output imports
        self.partition_keys: dict[str, str] = self._partition_keys()

    # -- partitions ---------------------------------------------------------

    def _partition_keys(self) -> dict[str, str]:
        """Output keys every partition has (safe to subscript), with their kind."""
        common: dict[str, str] | None = None
        for partition in self.partitions.get("partitions", []):
            outputs = dict(partition.get("outputs", {}))
            outputs["name"] = partition.get("id")
            kinds = {k: _BOOL if isinstance(v, bool) else _STR if isinstance(v, str) else _ANY for k, v in outputs.items()}
            common = kinds if common is None else {k: v for k, v in common.items() if kinds.get(k) == v}
        return common or {}

    def partition_table(self) -> str:
        rows = []
        for i, partition in enumerate(self.partitions.get("partitions", [])):
            where = f"partitions[{i}]"
            try:
                pid, regex = str(partition["id"]), str(partition["regionRegex"])
            except KeyError as exc:
                raise RuleSetCompileError(where, f"missing {exc.args[0]}") from None
            regions = "(" + "".join(f"{repr(str(r))}, " for r in partition.get("regions", {})) + ")"
            outputs = _literal(dict(partition.get("outputs", {})), where)
            rows.append(f"    ({repr(pid)}, {repr(regex)}, {regions}, {outputs}),\n")
        if not rows:
            raise RuleSetCompileError("partitions", "no partitions given")
        return "_PARTITIONS = PartitionTable(\n  [\n" + "".join(rows) + "  ]\n)\n"

    # -- values ---------------------------------------------------------------

    def value(self, node: Any, scope: _Scope, where: str) -> _Expr:
        """Compile an argument: a literal, a template, a reference or a call."""
        if isinstance(node, bool):
            return _Expr(repr(node), _BOOL, False)
        if isinstance(node, int):
            return _Expr(repr(node), _INT, False)
        if isinstance(node, str):
            return self.template(node, scope, where)
        if isinstance(node, dict) and "ref" in node:
            return self.ref(node["ref"], scope, where)
        if isinstance(node, dict) and "fn" in node:
            if "assign" in node:
                raise RuleSetCompileError(where, "assignment outside a condition")
            return self.call(node, scope, where)
        if isinstance(node, list):
            items = [self.value(v, scope, f"{where}[{i}]") for i, v in enumerate(node)]
            return _Expr("[" + ", ".join(e.code for e in items) + "]", _LIST, False)
        raise RuleSetCompileError(where, f"unsupported value {node!r:.80}")

    def ref(self, name: Any, scope: _Scope, where: str) -> _Expr:
        var = scope.names.get(name) if isinstance(name, str) else None
        if var is None:
            raise RuleSetCompileError(where, f"reference to unknown name {name!r}")
        return _Expr(var.ident, var.kind, var.optional)

    def template(self, text: str, scope: _Scope, where: str) -> _Expr:
        pieces = _split_template(text, where)
        if not any(is_ref for is_ref, _ in pieces):
            return _Expr(repr("".join(t for _, t in pieces)), _STR, False)
        parts = []
        for is_ref, piece in pieces:
            if not is_ref:
                parts.append(_fstring_text(piece))
                continue
            name, _, path = piece.partition("#")
            expr = self.ref(name, scope, where)
            if path:
                expr = self.get_attr(expr, path, where)
            if '"' in expr.code or "\\" in expr.code or "{" in expr.code:
                raise RuleSetCompileError(where, f"cannot place {piece!r} in a template")
            parts.append("{" + expr.code + "}")
        return _Expr('f"' + "".join(parts) + '"', _STR, False)

    def get_attr(self, base: _Expr, path: str, where: str) -> _Expr:
        """``getAttr``: subscripts where the key is known to exist, helpers elsewhere."""
        expr = base
        for part in path.split("."):
            match = _ATTR_PART.match(part)
            if match is None or part == "":
                raise RuleSetCompileError(where, f"unsupported getAttr path {path!r}")
            name, index = match.group(1), match.group(2)
            if name:
                keys = {_PARTITION: self.partition_keys, _URL: _URL_KEYS, _ARN: _ARN_KEYS}.get(expr.kind, {})
                if name in keys and not expr.optional:
                    expr = _Expr(f"{expr.code}[{repr(name)}]", keys[name], False)
                else:
                    self.used.add("attr")
                    expr = _Expr(f"attr({expr.code}, {repr(name)})", _ANY, True)
            if index is not None:
                self.used.add("item")
                expr = _Expr(f"item({expr.code}, {int(index)})", _ANY, True)
        return expr

    def call(self, node: Mapping[str, Any], scope: _Scope, where: str) -> _Expr:
        fn = node.get("fn")
        argv = node.get("argv")
        if not isinstance(argv, list):
            raise RuleSetCompileError(where, f"function {fn!r} without an argv list")

        def arg(i: int) -> _Expr:
            return self.value(argv[i], scope, f"{where}.argv[{i}]")

        def need(count: int) -> None:
            if len(argv) != count:
                raise RuleSetCompileError(where, f"{fn} takes {count} arguments, got {len(argv)}")

        def helper(name: str, kind: str, optional: bool, count: int) -> _Expr:
            need(count)
            self.used.add(name)
            args = ", ".join(arg(i).code for i in range(count))
            return _Expr(f"{name}({args})", kind, optional)

        if fn == "isSet":
            need(1)
            return _Expr(f"{arg(0).code} is not None", _BOOL, False)
        if fn == "not":
            need(1)
            return _Expr(_negate(self.condition_of(argv[0], scope, f"{where}.argv[0]")), _BOOL, False)
        if fn == "booleanEquals":
            need(2)
            return _Expr(_boolean_equals(arg(0), arg(1)), _BOOL, False)
        if fn == "stringEquals":
            need(2)
            return _Expr(f"{arg(0).code} == {arg(1).code}", _BOOL, False)
        if fn == "getAttr":
            need(2)
            if not isinstance(argv[1], str):
                raise RuleSetCompileError(where, "getAttr path must be a string")
            return self.get_attr(arg(0), argv[1], where)
        if fn == "aws.partition":
            need(1)
            return _Expr(f"_PARTITIONS.lookup({arg(0).code})", _PARTITION, True)
        if fn == "parseURL":
            return helper("parse_url", _URL, True, 1)
        if fn == "aws.parseArn":
            return helper("parse_arn", _ARN, True, 1)
        if fn == "substring":
            return helper("substring", _STR, True, 4)
        if fn == "uriEncode":
            return helper("uri_encode", _STR, True, 1)
        if fn == "isValidHostLabel":
            return helper("is_valid_host_label", _BOOL, False, 2)
        if fn == "aws.isVirtualHostableS3Bucket":
            return helper("is_virtual_hostable_s3_bucket", _BOOL, False, 2)
        raise RuleSetCompileError(where, f"unknown function {fn!r}")

    def condition_of(self, node: Any, scope: _Scope, where: str) -> str:
        """A nested call used as a condition (inside ``not``): its truth test."""
        expr = self.value(node, scope, where)
        return expr.condition()

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
            if assign is None:
                tests.append(expr.condition())
                # isSet(ref) proves the reference set for the rest of the rule.
                if cond["fn"] == "isSet" and isinstance(cond["argv"][0], dict):
                    name = cond["argv"][0].get("ref")
                    if name in scope.names:
                        var = scope.names[name]
                        scope.names[name] = _Var(var.ident, var.kind, False)
                continue
            if not isinstance(assign, str) or assign in scope.names:
                raise RuleSetCompileError(at, f"cannot assign {assign!r}")
            static_type = _LOCAL_TYPES.get(expr.kind, "Any") if expr.kind != _BOOL or expr.optional else "bool"
            ident = self.namer.ident(assign, static_type)
            bound = _Expr(f"({ident} := {expr.code})", expr.kind, expr.optional)
            tests.append(bound.condition())
            # After the test the value is known to be set.
            scope.names[assign] = _Var(ident, expr.kind, False)
        return tests

    def rules(self, rules: Any, scope: _Scope, indent: str, where: str) -> tuple[list[str], bool]:
        """Lines for a list of rules, and whether they always end in return/raise."""
        if not isinstance(rules, list):
            raise RuleSetCompileError(where, "rules must be a list")
        lines: list[str] = []
        for i, rule in enumerate(rules):
            at = f"{where}[{i}]"
            if not isinstance(rule, dict):
                raise RuleSetCompileError(at, "a rule must be an object")
            inner = scope.child()
            tests = self.conditions(rule.get("conditions", []), inner, f"{at}.conditions")
            body_indent = indent + "    " if tests else indent
            body, terminal = self.rule_body(rule, inner, body_indent, at)
            if tests:
                lines.append(f"{indent}if {' and '.join(tests)}:")
                lines.extend(body)
            else:
                lines.extend(body)
                if terminal:
                    return lines, True  # later siblings could never be reached
        return lines, False

    def rule_body(self, rule: Mapping[str, Any], scope: _Scope, indent: str, where: str) -> tuple[list[str], bool]:
        kind = rule.get("type")
        if kind == "tree":
            lines, terminal = self.rules(rule.get("rules"), scope, indent, f"{where}.rules")
            return (lines or [f"{indent}pass"]), terminal
        if kind == "error":
            message = self.value(rule.get("error"), scope, f"{where}.error")
            self.used.add("EndpointResolutionError")
            return [f"{indent}raise EndpointResolutionError({_as_str(message)})"], True
        if kind == "endpoint":
            return [f"{indent}return {self.endpoint(rule.get('endpoint'), scope, f'{where}.endpoint')}"], True
        raise RuleSetCompileError(where, f"unknown rule type {kind!r}")

    def endpoint(self, node: Any, scope: _Scope, where: str) -> str:
        if not isinstance(node, dict) or "url" not in node:
            raise RuleSetCompileError(where, "an endpoint needs a url")
        args = [f"url={_as_str(self.value(node['url'], scope, f'{where}.url'))}"]
        properties = node.get("properties") or {}
        if properties:
            args.append(f"properties={self.structure(properties, scope, f'{where}.properties')}")
        headers = node.get("headers") or {}
        if headers:
            entries = []
            for name, values in headers.items():
                if not isinstance(values, list):
                    raise RuleSetCompileError(f"{where}.headers", "header values must be a list")
                items = [_as_str(self.value(v, scope, f"{where}.headers")) for v in values]
                entries.append(f"{repr(str(name))}: [{', '.join(items)}]")
            args.append("headers={" + ", ".join(entries) + "}")
        self.used.add("Endpoint")
        return f"Endpoint({', '.join(args)})"

    def structure(self, node: Any, scope: _Scope, where: str) -> str:
        """Endpoint properties: JSON whose strings are templates."""
        if isinstance(node, dict) and ("ref" in node or "fn" in node):
            return self.value(node, scope, where).code
        if isinstance(node, dict):
            items = [f"{repr(str(k))}: {self.structure(v, scope, f'{where}.{k}')}" for k, v in node.items()]
            return "{" + ", ".join(items) + "}"
        if isinstance(node, list):
            return "[" + ", ".join(self.structure(v, scope, f"{where}[{i}]") for i, v in enumerate(node)) + "]"
        if isinstance(node, str):
            return self.template(node, scope, where).code
        return _literal(node, where)

    # -- parameters and module ------------------------------------------------

    def parameters(self, scope: _Scope) -> list[str]:
        lines = []
        for param in compile_ruleset_parameters(self.ruleset):
            reader, kind = {
                "string": ("str_param", _STR),
                "boolean": ("bool_param", _BOOL),
                "stringArray": ("str_list_param", _LIST),
            }[param.type]
            self.used.add(reader)
            args = f"params, {repr(param.name)}"
            if param.default is not None:
                default = param.default
                if param.type == "stringArray":
                    if not isinstance(default, list):
                        raise RuleSetCompileError(f"parameters.{param.name}", "stringArray default must be a list")
                    args += ", (" + "".join(f"{_literal(d, 'default')}, " for d in default) + ")"
                else:
                    expected = bool if param.type == "boolean" else str
                    if not isinstance(default, expected):
                        raise RuleSetCompileError(f"parameters.{param.name}", f"default is not a {param.type}")
                    args += f", {_literal(default, 'default')}"
            read = f"{reader}({args})"
            optional = param.default is None
            if param.required and param.default is None:
                self.used.add("require")
                read = f"require({repr(param.name)}, {read})"
                optional = False
            static_type = {_STR: "str", _BOOL: "bool", _LIST: "list[str]"}[kind]
            ident = self.namer.ident(param.name, static_type + (" | None" if optional else ""))
            scope.names[param.name] = _Var(ident, kind, optional)
            lines.append(f"    {ident} = {read}")
        return lines

    def module(self, origin: str) -> str:
        scope = _Scope()
        param_lines = self.parameters(scope)
        rule_lines, terminal = self.rules(self.ruleset.get("rules"), scope, "    ", "rules")
        if not terminal:
            self.used.add("EndpointResolutionError")
            rule_lines.append(
                "    raise EndpointResolutionError("
                + repr("No endpoint rule matched the given endpoint parameters")
                + ")"
            )
        uses_partitions = any("_PARTITIONS.lookup(" in line for line in rule_lines)
        if uses_partitions:
            self.used.add("PartitionTable")
        runtime_imports = sorted(self.used - {"EndpointResolutionError"})
        names = [p.name for p in compile_ruleset_parameters(self.ruleset)]
        listed = ", ".join(n for n in names if _WORD.match(n))
        out = [
            f"# Generated by awsgen from {repr(origin)} (endpoint rule set version "
            f"{repr(str(self.ruleset.get('version', '')))}). Do not edit.",
            '"""Endpoint resolution for this service, compiled from its endpoint rule set.',
            "",
            "The rules were turned into plain Python when the package was generated;",
            "nothing is interpreted at call time.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from collections.abc import Mapping",
            "from typing import Any",
            "",
            f"from awsgen_runtime.endpoints import {', '.join(runtime_imports)}",
            "from awsgen_runtime.errors import EndpointResolutionError",
            "",
            '__all__ = ["resolve_endpoint"]',
            "",
        ]
        if uses_partitions:
            out += ["", self.partition_table()]
        out += [
            "",
            "def resolve_endpoint(params: Mapping[str, Any]) -> Endpoint:",
            '    """Return the endpoint for ``params``, keyed by rule-set parameter name.',
            "",
            f"    Parameters: {listed}.",
            "    Unset parameters take the rule set's defaults. Raises",
            "    EndpointResolutionError with the rule set's own message when a rule",
            "    rejects the parameters.",
            '    """',
            *param_lines,
            *rule_lines,
            "",
        ]
        return "\n".join(out)


def _as_str(expr: _Expr) -> str:
    """A value used where a string is required (URL, header, message)."""
    if expr.kind == _STR and not expr.optional:
        return expr.code
    return f'f"{{{expr.code}}}"' if '"' not in expr.code else f"str({expr.code})"


def _boolean_equals(left: _Expr, right: _Expr) -> str:
    if left.code in ("True", "False") and right.code not in ("True", "False"):
        left, right = right, left
    if right.code in ("True", "False"):
        if left.kind == _BOOL and not left.optional:
            return left.code if right.code == "True" else f"not {left.code}"
        return f"{left.code} is {right.code}"
    return f"{left.code} == {right.code}"


def _negate(test: str) -> str:
    """``not`` of a condition, written the way a person would."""
    for positive, negative in ((" is not None", " is None"), (" == ", " != "), (" is True", " is not True"), (" is False", " is not False")):
        if test.endswith(positive) and positive.startswith(" is"):
            head = test[: -len(positive)]
            if _is_simple(head):
                return head + negative
        if positive == " == " and test.count(" == ") == 1 and _is_simple(test.replace(" == ", "")):
            left, right = test.split(" == ")
            return f"{left} != {right}"
    if test.startswith("not ") and _is_simple(test[4:]):
        return test[4:]
    return f"not {test}" if _is_simple(test) else f"not ({test})"


def _is_simple(code: str) -> bool:
    """No top-level operator that ``not`` would bind differently."""
    depth = 0
    in_string: str | None = None
    for i, ch in enumerate(code):
        if in_string:
            if ch == "\\":
                continue
            if ch == in_string and code[i - 1] != "\\":
                in_string = None
        elif ch in "'\"":
            in_string = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == " " and depth == 0:
            return False
    return True


def compile_ruleset(ruleset: Mapping[str, Any], partitions: Mapping[str, Any], *, origin: str = "") -> str:
    """Python source of an ``endpoints.py`` module that resolves ``ruleset``.

    ``partitions`` is botocore's ``partitions.json``; only what ``aws.partition``
    needs (ids, region patterns and names, outputs) is written into the module.
    ``origin`` names the source model in the module's header line.
    """
    return _Compiler(ruleset, partitions).module(origin)
