"""Hostile and broken models (issue 5): a hypothesis-driven fuzzer over real models.

Small real models (connectparticipant, scheduler, a slice of dynamodb) are mutated:
keys deleted, values replaced by values of the wrong type, shapes / members /
operations renamed (to hostile strings too), hostile text injected into
documentation, enum values, wire names, request URIs, host prefixes, error codes and
metadata strings (one slot at a time, or one payload "flooded" into every slot),
keys the schema leaves unchecked given odd values, bindings and shape types changed,
and recursion added.

For every mutated model the generator must do one of two things:

* refuse it with a :class:`generator.load.ModelError` whose problems are one line
  each, ``<file>: $<json path>: <text>`` (or :class:`UnsupportedProtocol`, one line
  naming the file); or
* produce a package whose every ``.py`` file compiles, which imports, whose
  ``Client`` can be constructed, and in which injected text never became code
  (its files also encode as UTF-8, ``pyproject.toml`` parses, and no two classes of
  a module share a name).

Anything else (a traceback from the generator, a file that does not compile or
import, injected text outside string literals / comments, a canary that fired) is a
failure, reported with the mutations that produced it. Canaries: payloads that would
set an environment variable, a builtins attribute or create a marker file if Python
or Jinja ever ran them, checked after generating and after importing.

Besides the hypothesis tests: ``KNOWN_CASES``, fixed small mutations kept from what
the fuzzer found, and ``UNPARSEABLE``, files that are no model at all (through the
command line).

``scripts/fuzz_models.py`` runs the same machinery for thousands of examples and
prints figures; this module keeps to about a hundred examples so that it stays fast.
Set ``AWSGEN_FUZZ_RANDOM=1`` for fresh random examples instead of the fixed ones,
``AWSGEN_FUZZ_SHRINK=1`` to let hypothesis shrink a failure.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import tokenize
import tomllib
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from generator.botocore_source import service_model_dir  # noqa: E402
from generator.load import ModelError  # noqa: E402
from generator.pipeline import UnsupportedProtocol, build_package  # noqa: E402
from generator.render import PackageSettings  # noqa: E402

# ----------------------------------------------------------------------------------
# Canaries: payloads that leave a trace if they are ever executed, by Python or Jinja.
# ----------------------------------------------------------------------------------
CANARY_ENV = "AWSGEN_FUZZ_PWNED"
CANARY_ATTR = "awsgen_fuzz_pwned"
CANARY_FILE = Path(tempfile.gettempdir()) / "awsgen-fuzz-PWNED"
BRIEF_MARKER = Path("/tmp/PWNED")

PY_ENV = f"__import__('os').environ.__setitem__('{CANARY_ENV}', 'python')"
PY_FILE = f"__import__('pathlib').Path({str(CANARY_FILE)!r}).touch()"
PY_ATTR = f"setattr(__import__('builtins'), '{CANARY_ATTR}', 1)"
PY_SYSTEM = "__import__('os').system('touch /tmp/PWNED')"
JINJA_EXPR = "{{ lipsum.__globals__['os'].environ.__setitem__('%s', 'jinja') }}" % CANARY_ENV
JINJA_STMT = "{%% set _ = lipsum.__globals__['os'].environ.__setitem__('%s', 'jinja-set') %%}" % CANARY_ENV
JINJA_FILE = "{{ lipsum.__globals__['os'].system('touch %s') }}" % CANARY_FILE

# Python code whose token sequence (names and operators, strings left out) must never
# appear in generated code outside string literals and comments.
CODE_PAYLOADS = (PY_ENV, PY_FILE, PY_ATTR, PY_SYSTEM,
                 "lipsum.__globals__['os'].environ.__setitem__('x', 'y')",
                 "lipsum.__globals__['os'].system('x')")
# Names no generated code has any use for: seen as a NAME token, injected code leaked.
FORBIDDEN_NAMES = frozenset({"__import__", "__globals__", "__setitem__", "lipsum"})

# ----------------------------------------------------------------------------------
# Hostile text
# ----------------------------------------------------------------------------------
BREAKOUTS = [
    '"""; ' + PY_ENV + '; """',
    "'; " + PY_ENV + "; '",
    '"); ' + PY_FILE + "  #",
    "\n" + PY_ATTR + "\n",
    '\\"""\n' + PY_FILE + '\n"""',
    "\\\n" + PY_ENV,
    '"""' + PY_ATTR,
    "'''" + PY_ENV + "'''",
    '")\n' + PY_FILE + "\n#",
    "'])\n" + PY_ENV + "\n#",
    "\r" + PY_ATTR,
    "\x0c" + PY_ENV,
    "\u2028" + PY_FILE,
    "\x85" + PY_ATTR,
    "*/ " + PY_ENV,
    "}} " + PY_ENV + " {{",
    "#}\n" + PY_ATTR,
    "{# " + PY_ENV,
    '"""+' + PY_ENV + '+"""',
    "'+" + PY_ENV + "+'",
    "&quot;&quot;&quot;\n" + PY_ENV,
    "&#34;&#34;&#34;&#10;" + PY_FILE + "&#10;&#35;",
    "&#13;" + PY_ATTR,
    "<p>\"\"\"</p><p>" + PY_ENV + "</p>",
    '<a href="x">"""</a>\n' + PY_ATTR,
    PY_SYSTEM,
    PY_ENV,
    JINJA_EXPR,
    JINJA_STMT,
    JINJA_FILE,
]
# Hostile strings by family; each family is drawn equally often, whatever its size.
QUOTES = ['a"""b', "x\\", "'", '"', "\\", '"""', "'''", '\\"', '""', "''", '"\'"', "\\\\", "\\n",
          "\\x41", "\\N{BULLET}", "\\u0041", 'end"', '"start', "end\\", "__import__('os').system('touch /tmp/PWNED')"]
JINJA = ["{{ 7*7 }}", "{% raw %}", "{#", "#}", "{%", "%}", "{{", "}}", "{% endraw %}",
         "{% if true %}x{% endif %}", "{# c #}", "{{ x }}", "{%- if x -%}"]
CONTROL = ["\n", "a\nb", "\r\n", "\r", "\t", "\x00", "a\x00b", "\x0b\x0c", "\x1c\x1d\x1e", "\x1f", "\x7f",
           "\x85", "\u2028\u2029", "\x1b[31m"]
UNICODE = ["\ud800", "a\udfffb", "\ufeff", "\u202e", "\u200b", "名前", "Ünïcødé", "x²", "²", "½", "Ⅻ", "ﬁ",
           "e\u0301", "🙂", "٣", "ǅ", "\u00a0"]
FORMATS = ["", " ", "x: $.y: z", "a:b", "${HOME}", "%s%(x)s", "{0}{}", "{", "}", "{}", "{a}", "{a+}", "{a}{b}",
           "?", "&", "#", "/", "//", "..", "%2F", "%", "+", "*", "*/", "/*", "x" * 300, "é" * 100]
HTML = ["</p><script>alert(1)</script>", "<p>", "<", ">", "&amp;", "&quot;", "&#92;", "&#0;", "&#13;",
        "&#x2028;", "-->", "<!--", "]]>", "<p>a<p>b</p>", '<li>"</li>', "<code>\\</code>"]
FAMILIES = [BREAKOUTS, QUOTES, JINJA, CONTROL, UNICODE, FORMATS, HTML]
HOSTILE_ATOMS = [text for family in FAMILIES[1:] for text in family]
HOSTILE = BREAKOUTS + HOSTILE_ATOMS
# Names that are valid identifiers but collide with what generated modules use.
COLLIDING_NAMES = [
    "frozenset", "str", "int", "float", "bool", "bytes", "object", "type", "len", "isinstance",
    "list", "dict", "tuple", "repr", "sum", "enumerate", "print", "Exception", "BaseException",
    "None", "True", "False", "self", "cls", "class", "def", "import", "lambda", "from", "match",
    "Client", "Config", "Credentials", "Transport", "Shape", "OpenEnum", "Union", "ServiceError",
    "ConnectParticipantError", "SchedulerError", "DynamoDBError", "ConnectParticipantClient",
    "annotations", "errors", "shapes", "builtins", "to_dict", "values", "is_known", "message",
    "code", "status_code", "request_id", "headers", "args", "v", "e", "r", "d", "o", "p", "x",
    "h", "q", "k", "n", "y", "x0", "i0", "k0", "v0", "host", "body", "path", "Foo_", "__Foo",
    "_private", "A_B", "a_b", "X", "x", "ABCs", "GatewayARNs",
]


@st.composite
def hostile_text(draw: Any) -> str:
    """A hostile string: from one family, several glued together, or random unicode."""
    kind = draw(st.integers(0, len(FAMILIES) + 2))
    if kind < len(FAMILIES):
        return draw(st.sampled_from(FAMILIES[kind]))
    if kind == len(FAMILIES):
        return "".join(draw(st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=4)))
    if kind == len(FAMILIES) + 1:
        return draw(st.text(max_size=12))
    return draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=8)) + draw(st.sampled_from(BREAKOUTS))


# Appended to a model's own name: '$' in a regular expression also matches before a
# final newline, so "Name\n" can pass for an identifier.
NAME_SUFFIXES = ["\n", " ", "\t", "\r", "\x00", "_", "2", "\u00b2", "\u0301", "-x", ".x", "\n\n"]


def hostile_name(old: str | None = None) -> st.SearchStrategy[str]:
    options = [
        hostile_text(),
        st.sampled_from(COLLIDING_NAMES),
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    ]
    if old is not None:
        options.append(st.sampled_from(NAME_SUFFIXES).map(lambda suffix: old + suffix))
    return st.one_of(*options)


# ----------------------------------------------------------------------------------
# Base models
# ----------------------------------------------------------------------------------
# name -> (service, operations kept or None for all)
BASES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "connectparticipant": ("connectparticipant", None),
    "scheduler": ("scheduler", None),
    "dynamodb-slice": ("dynamodb", ("GetItem", "PutItem", "ListTables", "TagResource",
                                    "BatchGetItem", "SearchVectors")),
    # Small slices, for the examples that run black or the command line.
    "connectparticipant-mini": ("connectparticipant", ("CreateParticipantConnection", "GetAttachment")),
    "scheduler-mini": ("scheduler", ("GetSchedule", "TagResource")),
    "dynamodb-mini": ("dynamodb", ("GetItem",)),
}
MAIN_BASES = ("connectparticipant", "scheduler", "dynamodb-slice")
MINI_BASES = ("connectparticipant-mini", "scheduler-mini", "dynamodb-mini")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "shape" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def slice_model(model: dict[str, Any], ops: tuple[str, ...]) -> dict[str, Any]:
    """The model with only ``ops`` and the shapes they reach."""
    out = dict(model)
    out["operations"] = {n: model["operations"][n] for n in ops}
    keep: set[str] = set()
    stack = list(_refs(out["operations"]))
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_refs(model["shapes"][name]))
    out["shapes"] = {n: s for n, s in model["shapes"].items() if n in keep}
    return out


@lru_cache(maxsize=None)
def base_text(base: str) -> str:
    service, ops = BASES[base]
    model = json.loads((service_model_dir(service) / "service-2.json").read_text())
    if ops is not None:
        model = slice_model(model, ops)
    return json.dumps(model)


@lru_cache(maxsize=None)
def rule_set_dir(base: str) -> Path:
    return service_model_dir(BASES[base][0])


# ----------------------------------------------------------------------------------
# JSON paths and model accessors (robust to earlier mutations having broken the model)
# ----------------------------------------------------------------------------------
Path_ = tuple[Any, ...]


def jp(path: Path_) -> str:
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p):
            out += "." + p
        else:
            out += "[" + json.dumps(p) + "]"
    return out


def short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."


def iter_paths(node: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,)
            yield from iter_paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path + (i,)
            yield from iter_paths(v, path + (i,))


def get(node: Any, path: Path_) -> Any:
    for p in path:
        node = node[p]
    return node


def _dict(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def shapes_of(model: Any) -> dict[str, Any]:
    return _dict(model, "shapes")


def ops_of(model: Any) -> dict[str, Any]:
    return _dict(model, "operations")


def structures(model: Any) -> list[str]:
    return [n for n, s in shapes_of(model).items() if isinstance(s, dict) and isinstance(s.get("members"), dict)]


def members(model: Any) -> list[tuple[str, str]]:
    shapes = shapes_of(model)
    return [(s, m) for s in structures(model) for m, body in shapes[s]["members"].items() if isinstance(body, dict)]


def refs_holders(model: Any) -> list[dict[str, Any]]:
    """Every dict with a string ``shape``: members, list members, map keys and values."""
    out = []
    for body in shapes_of(model).values():
        if not isinstance(body, dict):
            continue
        for m in _dict(body, "members").values():
            if isinstance(m, dict) and isinstance(m.get("shape"), str):
                out.append(m)
        for key in ("member", "key", "value"):
            if isinstance(body.get(key), dict) and isinstance(body[key].get("shape"), str):
                out.append(body[key])
    return out


def op_roots(model: Any) -> list[str]:
    shapes = shapes_of(model)
    roots = []
    for op in ops_of(model).values():
        for key in ("input", "output"):
            ref = op.get(key) if isinstance(op, dict) else None
            name = ref.get("shape") if isinstance(ref, dict) else None
            if isinstance(name, str) and name in structures(model) and name in shapes:
                roots.append(name)
    return sorted(set(roots))


def fresh(existing: Any, base: str) -> str:
    for i in itertools.count():
        name = f"{base}{i or ''}"
        if name not in existing:
            return name
    raise AssertionError


def rename_key(d: dict[str, Any], old: str, new: str) -> None:
    items = [(new if k == old else k, v) for k, v in d.items()]
    d.clear()
    d.update(items)  # a rename onto an existing key keeps the later value, as JSON would


def mix(draw: Any, old: str, payload: str) -> tuple[str, str]:
    mode = draw(st.sampled_from(["replace", "prefix", "suffix", "middle"]))
    if mode == "replace" or not isinstance(old, str):
        return payload, mode
    if mode == "prefix":
        return payload + old, mode
    if mode == "suffix":
        return old + payload, mode
    k = draw(st.integers(0, len(old)))
    return old[:k] + payload + old[k:], mode


# ----------------------------------------------------------------------------------
# Mutations: each takes ``draw`` and the model, mutates it (or returns a new root) and
# describes what it did. ``None`` as description: nothing applicable.
# ----------------------------------------------------------------------------------
Mutator = Callable[[Any, Any], tuple[Any, str | None]]


def _pick_path(draw: Any, model: Any) -> Path_ | None:
    paths = list(iter_paths(model))
    if not paths:
        return None
    if draw(st.integers(0, 9)) < 7:  # mostly structure, not prose
        structural = [p for p in paths if "documentation" not in p]
        paths = structural or paths
    return draw(st.sampled_from(paths))


def m_delete(draw: Any, model: Any) -> tuple[Any, str | None]:
    path = _pick_path(draw, model)
    if path is None:
        return model, None
    parent = get(model, path[:-1])
    old = parent[path[-1]]
    del parent[path[-1]]
    return model, f"delete {jp(path)} (was {short(old, 80)})"


_JSON_KIND = {type(None): "null", bool: "bool", int: "number", float: "number", str: "string",
              list: "array", dict: "object"}
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), hostile_text())
_ANY_JSON = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(["shape", "type", "members", "name", "code"]), st.text(max_size=4)),
                    _SCALARS, max_size=3),
)


def m_wrong_type(draw: Any, model: Any) -> tuple[Any, str | None]:
    if draw(st.integers(0, 49)) == 0:
        new = draw(_ANY_JSON.filter(lambda v: not isinstance(v, dict)))
        return new, f"replace the whole model by {short(new)}"
    path = _pick_path(draw, model)
    if path is None:
        return model, None
    parent = get(model, path[:-1])
    old = parent[path[-1]]
    new = draw(_ANY_JSON.filter(lambda v: _JSON_KIND[type(v)] != _JSON_KIND[type(old)]))
    parent[path[-1]] = new
    return model, f"{jp(path)} = {short(new)} (was {short(old, 60)})"


_TYPES = ["structure", "list", "map", "string", "integer", "long", "float", "double", "boolean",
          "blob", "timestamp", "character"]


def m_retype(draw: Any, model: Any) -> tuple[Any, str | None]:
    shapes = shapes_of(model)
    names = [n for n, s in shapes.items() if isinstance(s, dict)]
    if not names:
        return model, None
    name = draw(st.sampled_from(names))
    body = shapes[name]
    old = body.get("type")
    new = draw(st.sampled_from(_TYPES + ["union", "document", "enum", "", "Structure"]))
    body["type"] = new
    extra = ""
    if draw(st.integers(0, 4)) > 0:  # mostly keep the shape schema-valid
        all_names = sorted(shapes)
        if new == "structure" and not isinstance(body.get("members"), dict):
            body["members"] = {}
            extra = ", members {}"
        elif new == "list" and not isinstance(body.get("member"), dict):
            body["member"] = {"shape": draw(st.sampled_from(all_names))}
            extra = f", member {body['member']['shape']}"
        elif new == "map" and not (isinstance(body.get("key"), dict) and isinstance(body.get("value"), dict)):
            body["key"] = {"shape": draw(st.sampled_from(all_names))}
            body["value"] = {"shape": draw(st.sampled_from(all_names))}
            extra = f", key {body['key']['shape']}, value {body['value']['shape']}"
    return model, f"shapes[{name!r}].type = {new!r} (was {old!r}){extra}"


def m_retarget(draw: Any, model: Any) -> tuple[Any, str | None]:
    holders = refs_holders(model)
    if not holders:
        return model, None
    holder = draw(st.sampled_from(holders))
    old = holder["shape"]
    names = sorted(shapes_of(model))
    new = draw(st.one_of(st.sampled_from(names), hostile_name())) if names else draw(hostile_name())
    holder["shape"] = new
    return model, f"a reference to {old!r} now points to {new!r}"


def _update_refs(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "shape" and v == old:
                node[k] = new
            else:
                _update_refs(v, old, new)
    elif isinstance(node, list):
        for v in node:
            _update_refs(v, old, new)


def m_rename_shape(draw: Any, model: Any) -> tuple[Any, str | None]:
    shapes = shapes_of(model)
    if not shapes:
        return model, None
    old = draw(st.sampled_from(sorted(shapes)))
    new = draw(hostile_name(old))
    rename_key(shapes, old, new)
    refs = draw(st.integers(0, 4)) > 0
    if refs:
        _update_refs(model.get("operations"), old, new)
        _update_refs(shapes, old, new)
    return model, f"rename shape {old!r} -> {new!r}" + ("" if refs else " (references left dangling)")


def m_rename_member(draw: Any, model: Any) -> tuple[Any, str | None]:
    pairs = members(model)
    if not pairs:
        return model, None
    sname, old = draw(st.sampled_from(pairs))
    new = draw(hostile_name(old))
    body = shapes_of(model)[sname]
    rename_key(body["members"], old, new)
    if draw(st.integers(0, 4)) > 0:
        if isinstance(body.get("required"), list):
            body["required"] = [new if r == old else r for r in body["required"]]
        if body.get("payload") == old:
            body["payload"] = new
    return model, f"rename member shapes[{sname!r}].members[{old!r}] -> {new!r}"


def m_rename_operation(draw: Any, model: Any) -> tuple[Any, str | None]:
    ops = ops_of(model)
    if not ops:
        return model, None
    old = draw(st.sampled_from(sorted(ops)))
    new = draw(hostile_name(old))
    rename_key(ops, old, new)
    if isinstance(ops.get(new), dict) and draw(st.booleans()):
        ops[new]["name"] = new
    return model, f"rename operation {old!r} -> {new!r}"


_METADATA_KEYS = ["serviceId", "serviceFullName", "targetPrefix", "endpointPrefix", "signingName",
                  "apiVersion", "uid", "serviceAbbreviation", "jsonVersion", "protocol",
                  "signatureVersion"]


def m_inject(draw: Any, model: Any) -> tuple[Any, str | None]:
    if not isinstance(model, dict):
        return model, None
    payload = draw(hostile_text())
    target = draw(st.sampled_from(["documentation", "enum", "wire_name", "request_uri", "host_prefix",
                                   "error_code", "metadata"]))
    shapes, ops = shapes_of(model), ops_of(model)
    if target == "documentation":
        holders: list[tuple[str, dict[str, Any]]] = [("$", model)]
        holders += [(f"operations[{n!r}]", o) for n, o in ops.items() if isinstance(o, dict)]
        holders += [(f"shapes[{n!r}]", s) for n, s in shapes.items() if isinstance(s, dict)]
        holders += [(f"shapes[{s!r}].members[{m!r}]", shapes[s]["members"][m]) for s, m in members(model)]
        where, holder = draw(st.sampled_from(holders))
        holder["documentation"], mode = mix(draw, holder.get("documentation", ""), payload)
        return model, f"{where}.documentation {mode} {payload!r}"
    if target == "enum":
        strings = [n for n, s in shapes.items() if isinstance(s, dict) and s.get("type") == "string"]
        if not strings:
            return model, None
        enums = [n for n in strings if isinstance(shapes[n].get("enum"), list) and shapes[n]["enum"]]
        name = draw(st.sampled_from(enums or strings)) if draw(st.integers(0, 3)) else draw(st.sampled_from(strings))
        values = shapes[name].get("enum")
        if not isinstance(values, list) or not values or draw(st.booleans()):
            values = list(values) if isinstance(values, list) else []
            values.insert(draw(st.integers(0, len(values))), payload)
            shapes[name]["enum"] = values
            return model, f"shapes[{name!r}].enum gains {payload!r}"
        i = draw(st.integers(0, len(values) - 1))
        values[i], mode = mix(draw, values[i], payload)
        return model, f"shapes[{name!r}].enum[{i}] {mode} {payload!r}"
    if target == "wire_name":
        pairs = members(model)
        if not pairs:
            return model, None
        s, m = draw(st.sampled_from(pairs))
        body = shapes[s]["members"][m]
        body["locationName"], mode = mix(draw, body.get("locationName", m), payload)
        return model, f"shapes[{s!r}].members[{m!r}].locationName {mode} {payload!r}"
    if target == "request_uri":
        names = [n for n, o in ops.items() if isinstance(o, dict) and isinstance(o.get("http"), dict)]
        if not names:
            return model, None
        name = draw(st.sampled_from(names))
        http = ops[name]["http"]
        uri = http.get("requestUri") if isinstance(http.get("requestUri"), str) else "/"
        how = draw(st.sampled_from(["literal", "query", "label", "unclosed", "replace"]))
        if how == "literal":  # inside the literal text, never inside a {label}
            cuts = [i for i in range(1, len(uri) + 1) if uri[:i].count("{") == uri[:i].count("}")]
            k = draw(st.sampled_from(cuts or [len(uri)]))
            new = uri[:k] + payload + uri[k:]
        elif how == "query":
            new = uri + ("&" if "?" in uri else "?") + payload
        elif how == "label":
            new = uri.rstrip("/") + "/{" + payload + "}"
        elif how == "unclosed":
            new = uri + "/{" + payload
        else:
            new = "/" + payload
        http["requestUri"] = new
        return model, f"operations[{name!r}].http.requestUri = {new!r} (was {uri!r})"
    if target == "host_prefix":
        names = [n for n, o in ops.items() if isinstance(o, dict)]
        if not names:
            return model, None
        name = draw(st.sampled_from(names))
        how = draw(st.sampled_from(["literal", "label", "unclosed", "member"]))
        if how == "literal":
            prefix = payload + "."
        elif how == "label":
            prefix = "{" + payload + "}."
        elif how == "unclosed":
            prefix = "data-{" + payload
        else:  # a real hostLabel member, with hostile text around it
            ref = ops[name].get("input")
            ref_name = ref.get("shape") if isinstance(ref, dict) else None
            inp = shapes.get(ref_name) if isinstance(ref_name, str) else None
            if not isinstance(inp, dict) or not isinstance(inp.get("members"), dict) or not inp["members"]:
                return model, None
            mname = draw(st.sampled_from(sorted(inp["members"])))
            if isinstance(inp["members"][mname], dict):
                inp["members"][mname]["hostLabel"] = True
            prefix = payload + "{" + mname + "}."
        ops[name]["endpoint"] = {"hostPrefix": prefix}
        return model, f"operations[{name!r}].endpoint.hostPrefix = {prefix!r}"
    if target == "error_code":
        names = [n for n, s in shapes.items() if isinstance(s, dict) and s.get("exception")]
        if not names:
            return model, None
        name = draw(st.sampled_from(names))
        if not isinstance(shapes[name].get("error"), dict):
            shapes[name]["error"] = {}
        error = shapes[name]["error"]
        error["code"], mode = mix(draw, error.get("code", name), payload)
        return model, f"shapes[{name!r}].error.code {mode} {payload!r}"
    meta = model.get("metadata")
    if not isinstance(meta, dict):
        return model, None
    key = draw(st.sampled_from(_METADATA_KEYS))
    meta[key], mode = mix(draw, meta.get(key, ""), payload)
    return model, f"metadata.{key} {mode} {payload!r}"


def _structure_targets(model: Any, name: str) -> list[str]:
    """Structures a structure's members reach directly or through lists and maps."""
    shapes = shapes_of(model)
    out: list[str] = []
    for m in _dict(shapes.get(name), "members").values():
        target = m.get("shape") if isinstance(m, dict) else None
        for _ in range(4):
            body = shapes.get(target) if isinstance(target, str) else None
            if not isinstance(body, dict):
                break
            if isinstance(body.get("members"), dict) and isinstance(target, str):
                out.append(target)
                break
            inner = body.get("member") or body.get("value")
            target = inner.get("shape") if isinstance(inner, dict) else None
    return out


def m_recursion(draw: Any, model: Any) -> tuple[Any, str | None]:
    shapes = shapes_of(model)
    structs = structures(model)
    if not structs:
        return model, None
    roots = op_roots(model)
    kind = draw(st.sampled_from(["ancestor", "ancestor", "self", "list_of_self", "map_of_self",
                                 "map_key_self", "map_key_cycle", "list_cycle", "list_of_struct"]))
    start = draw(st.sampled_from(roots or structs))
    chain = [start]
    for _ in range(draw(st.integers(0, 4))):
        nxt = _structure_targets(model, chain[-1])
        if not nxt:
            break
        chain.append(draw(st.sampled_from(nxt)))
    holder = chain[-1]
    required = draw(st.booleans())
    if kind in ("ancestor", "self"):
        target = draw(st.sampled_from(chain)) if kind == "ancestor" else holder
        what = f"{holder} -> {target} (chain {' > '.join(chain)})"
    elif kind == "list_of_self":
        target = fresh(shapes, "FuzzSelfList")
        shapes[target] = {"type": "list", "member": {"shape": target}}
        what = f"{target}: a list whose member is itself"
    elif kind == "map_of_self":
        target = fresh(shapes, "FuzzSelfMap")
        key = fresh(shapes, "FuzzKey")
        shapes[key] = {"type": "string"}
        shapes[target] = {"type": "map", "key": {"shape": key}, "value": {"shape": target}}
        what = f"{target}: a map whose value is itself"
    elif kind == "map_key_self":
        target = fresh(shapes, "FuzzKeySelfMap")
        value = draw(st.sampled_from(sorted(shapes)))
        shapes[target] = {"type": "map", "key": {"shape": target}, "value": {"shape": value}}
        what = f"{target}: a map whose key is itself"
    elif kind == "map_key_cycle":
        target = fresh(shapes, "FuzzKeyCycleMap")
        other = fresh(shapes, "FuzzKeyCycleList")
        value = draw(st.sampled_from(sorted(shapes)))
        shapes[target] = {"type": "map", "key": {"shape": other}, "value": {"shape": value}}
        shapes[other] = {"type": "list", "member": {"shape": target}}
        what = f"{target}: a map whose key is a list of the map"
    elif kind == "list_cycle":
        target = fresh(shapes, "FuzzCycleA")
        other = fresh(shapes, "FuzzCycleB")
        shapes[target] = {"type": "list", "member": {"shape": other}}
        shapes[other] = {"type": "list", "member": {"shape": target}}
        what = f"{target} <-> {other}: lists of each other"
    else:
        target = fresh(shapes, "FuzzStructList")
        shapes[target] = {"type": "list", "member": {"shape": draw(st.sampled_from(chain))}}
        what = f"{target}: a list of ancestor {shapes[target]['member']['shape']}"
    body = shapes[holder]
    mname = fresh(body["members"], "FuzzBack")
    body["members"][mname] = {"shape": target}
    if required:
        body["required"] = [*body["required"], mname] if isinstance(body.get("required"), list) else [mname]
    return model, f"recursion ({kind}): {holder}.{mname}{' (required)' if required else ''} -> {what}"


_LOCATIONS = ["uri", "querystring", "header", "headers", "statusCode", "body", "nowhere"]


def m_location(draw: Any, model: Any) -> tuple[Any, str | None]:
    """Bind an input or output member to the URI, query string, headers or status code."""
    shapes, ops = shapes_of(model), ops_of(model)
    candidates = []
    for oname, op in ops.items():
        if not isinstance(op, dict):
            continue
        for key in ("input", "output"):
            ref = op.get(key)
            name = ref.get("shape") if isinstance(ref, dict) else None
            if isinstance(name, str) and isinstance(shapes.get(name), dict):
                for m, body in _dict(shapes[name], "members").items():
                    if isinstance(body, dict):
                        candidates.append((oname, key, name, m))
    if not candidates:
        return model, None
    oname, key, sname, mname = draw(st.sampled_from(candidates))
    body = shapes[sname]["members"][mname]
    location = draw(st.sampled_from(_LOCATIONS))
    wire = draw(st.one_of(st.just(mname), hostile_text(), st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,8}", fullmatch=True)))
    body["location"] = location
    body["locationName"] = wire
    extra = ""
    http = ops[oname].get("http")
    if location == "uri" and isinstance(http, dict) and isinstance(http.get("requestUri"), str) and draw(st.booleans()):
        greedy = draw(st.sampled_from(["", "+"]))
        http["requestUri"] = http["requestUri"].split("?")[0].rstrip("/") + "/{" + wire + greedy + "}"
        extra = f"; requestUri = {http['requestUri']!r}"
    return model, f"shapes[{sname!r}].members[{mname!r}] ({key} of {oname}): location {location!r}, locationName {wire!r}{extra}"


def m_protocol(draw: Any, model: Any) -> tuple[Any, str | None]:
    meta = model.get("metadata") if isinstance(model, dict) else None
    if not isinstance(meta, dict):
        return model, None
    protocols = ["json", "rest-json", "rest-xml", "query", "ec2", "smithy-rpc-v2-cbor"]
    proto = draw(st.sampled_from(protocols))
    meta["protocol"] = proto
    how = draw(st.sampled_from(["drop", "same", "list"]))
    if how == "drop":
        meta.pop("protocols", None)
    elif how == "same":
        meta["protocols"] = [proto]
    else:
        meta["protocols"] = draw(st.lists(st.sampled_from(protocols + ["bogus"]), max_size=3))
    return model, f"metadata.protocol = {proto!r}, protocols = {meta.get('protocols', '(none)')!r}"


# Keys botocore models use (several of which the schema leaves unchecked), with values
# a real model could hold; ``m_known_key`` sets one, to such a value or a wrong one.
_TS = ["iso8601", "rfc822", "unixTimestamp"]
OPERATION_KEYS: dict[str, list[Any]] = {
    "requestcompression": [{"encodings": ["gzip"]}],
    "staticContextParams": [{"IsSearchOperation": {"value": True}}, {"Bucket": {"value": "b"}}],
    "operationContextParams": [{"ResourceArn": {"path": "TableName"}}],
    "endpoint": [{"hostPrefix": "data."}],
    "authtype": ["none", "v4", "bearer", "v4-unsigned-body"],
    "auth": [["smithy.api#noAuth"], ["aws.auth#sigv4"]],
    "httpChecksumRequired": [True],
    "httpChecksum": [{"requestChecksumRequired": True}],
    "unsignedPayload": [True],
    "endpointdiscovery": [{}, {"required": True}],
    "deprecated": [True],
    "idempotent": [True],
}
SHAPE_KEYS: dict[str, list[Any]] = {
    "document": [True],
    "union": [True],
    "exception": [True],
    "fault": [True],
    "sensitive": [True],
    "streaming": [True],
    "eventstream": [True],
    "event": [True],
    "sparse": [True],
    "requiresLength": [True],
    "jsonvalue": [True],
    "timestampFormat": _TS,
    "error": [{"code": "Code", "httpStatusCode": 400, "senderFault": True}],
    "retryable": [{"throttling": True}],
    "min": [0, 1, 5], "max": [0, 1, 5],
    "enum": [["A", "b-c", "", "1x"]],
    "payload": ["__member__"],
}
MEMBER_KEYS: dict[str, list[Any]] = {
    "contextParam": [{"name": "ResourceArn"}],
    "hostLabel": [True],
    "jsonvalue": [True],
    "idempotencyToken": [True],
    "eventpayload": [True],
    "streaming": [True],
    "timestampFormat": _TS,
    "deprecated": [True],
    "box": [True],
    "location": ["uri", "querystring", "header", "headers", "statusCode"],
    "locationName": ["x-amz-thing", "Other"],
    "queryName": ["q"],
    "xmlNamespace": [{"uri": "https://example.com/"}],
}
METADATA_KEYS: dict[str, list[Any]] = {
    "awsQueryCompatible": [{}],
    "protocols": [["json"], ["rest-json"], ["smithy-rpc-v2-cbor", "json"], []],
    "auth": [["aws.auth#sigv4"], ["smithy.api#noAuth"]],
    "signatureVersion": ["v4", "bearer", "s3v4"],
    "jsonVersion": ["1.0", "1.1"],
    "targetPrefix": ["Prefix_2024"],
    "globalEndpoint": ["x.amazonaws.com"],
}


def m_known_key(draw: Any, model: Any) -> tuple[Any, str | None]:
    shapes, ops = shapes_of(model), ops_of(model)
    where = draw(st.sampled_from(["operation", "shape", "member", "metadata"]))
    if where == "operation":
        names = [n for n, o in ops.items() if isinstance(o, dict)]
        if not names:
            return model, None
        name = draw(st.sampled_from(names))
        holder, table, label = ops[name], OPERATION_KEYS, f"operations[{name!r}]"
    elif where == "shape":
        names = [n for n, b in shapes.items() if isinstance(b, dict)]
        if not names:
            return model, None
        roots = [n for n in op_roots(model) if n in names]
        name = draw(st.sampled_from(roots if roots and draw(st.booleans()) else names))
        holder, table, label = shapes[name], SHAPE_KEYS, f"shapes[{name!r}]"
    elif where == "member":
        pairs = members(model)
        if not pairs:
            return model, None
        s, m = draw(st.sampled_from(pairs))
        holder, table, label = shapes[s]["members"][m], MEMBER_KEYS, f"shapes[{s!r}].members[{m!r}]"
    else:
        if not isinstance(model, dict) or not isinstance(model.get("metadata"), dict):
            return model, None
        holder, table, label = model["metadata"], METADATA_KEYS, "metadata"
    key = draw(st.sampled_from(sorted(table)))
    if draw(st.booleans()):
        value = draw(st.sampled_from(table[key]))
        if value == "__member__":
            names = sorted(_dict(holder, "members")) or ["Nope"]
            value = draw(st.sampled_from(names))
    else:
        value = draw(_ANY_JSON)
    holder[key] = value
    return model, f"{label}.{key} = {short(value)}"


FLOOD_SLOTS = ("documentation", "metadata", "request_uri", "host_prefix", "enum", "error_code", "wire_name")
FLOOD_METADATA = ("serviceId", "serviceFullName", "serviceAbbreviation", "signingName", "targetPrefix",
                  "endpointPrefix", "uid", "apiVersion")


def flood(model: Any, payloads: list[str], slots: tuple[str, ...]) -> None:
    """The payloads into every slot of the given kinds at once, keeping the model valid
    where the slot allows it: URI text goes after the '?', host prefixes lose braces,
    URI-bound members keep their names."""
    text = "".join(payloads)
    if not isinstance(model, dict):
        return
    if "documentation" in slots:
        model["documentation"] = text
    if "metadata" in slots and isinstance(model.get("metadata"), dict):
        for key in FLOOD_METADATA:
            model["metadata"][key] = text
    for op in ops_of(model).values():
        if not isinstance(op, dict):
            continue
        if "documentation" in slots:
            op["documentation"] = text
        http = op.get("http")
        if "request_uri" in slots and isinstance(http, dict) and isinstance(http.get("requestUri"), str):
            http["requestUri"] += ("&" if "?" in http["requestUri"] else "?") + text
        if "host_prefix" in slots:
            op["endpoint"] = {"hostPrefix": text.replace("{", "(").replace("}", ")") + "."}
    for shape in shapes_of(model).values():
        if not isinstance(shape, dict):
            continue
        if "documentation" in slots:
            shape["documentation"] = text
        if "enum" in slots and isinstance(shape.get("enum"), list) and shape["enum"]:
            shape["enum"] = shape["enum"] + list(payloads)
        if "error_code" in slots and shape.get("exception"):
            shape["error"] = {**(shape["error"] if isinstance(shape.get("error"), dict) else {}), "code": text}
        for i, member in enumerate(_dict(shape, "members").values()):
            if not isinstance(member, dict):
                continue
            if "documentation" in slots:
                member["documentation"] = text
            if "wire_name" in slots and member.get("location") != "uri":
                member["locationName"] = f"{text}{i}"


def m_flood(draw: Any, model: Any) -> tuple[Any, str | None]:
    """One hostile payload into many slots at once: a bug in any of them shows."""
    payloads = draw(st.lists(hostile_text(), min_size=1, max_size=3))
    slots = tuple(draw(st.sets(st.sampled_from(FLOOD_SLOTS), min_size=1)))
    flood(model, payloads, slots)
    return model, f"{''.join(payloads)!r} into every {', '.join(sorted(slots))}"


MUTATORS: dict[str, Mutator] = {
    "flood": m_flood,
    "known_key": m_known_key,
    "delete": m_delete,
    "wrong_type": m_wrong_type,
    "retype": m_retype,
    "retarget": m_retarget,
    "rename_shape": m_rename_shape,
    "rename_member": m_rename_member,
    "rename_operation": m_rename_operation,
    "inject": m_inject,
    "recursion": m_recursion,
    "location": m_location,
    "protocol": m_protocol,
}
ALL_KINDS = tuple(MUTATORS)
# Mutations that mostly end in a schema error are drawn less often than those that reach
# code generation.
KIND_WEIGHTS = {"inject": 3, "flood": 2, "known_key": 2, "location": 2, "recursion": 2}


class Case:
    """A mutated model, the mutations that made it, and whether a rule set sits beside it."""

    def __init__(self, base: str, model: Any, steps: list[str] | None = None, with_rules: bool = False) -> None:
        self.base, self.model, self.steps, self.with_rules = base, model, steps or [], with_rules

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis' pretty printer
        printer.text(repr(self))

    def __repr__(self) -> str:
        steps = "".join(f"\n    - {s}" for s in self.steps) or " (none)"
        return f"Case(base={self.base!r}, endpoint rule set={self.with_rules}, mutations:{steps})"


@st.composite
def cases(draw: Any, kinds: tuple[str, ...] = ALL_KINDS, bases: tuple[str, ...] = MAIN_BASES,
          max_mutations: int = 3) -> Case:
    base = draw(st.sampled_from(bases))
    case = Case(base, json.loads(base_text(base)), with_rules=draw(st.booleans()))
    # Mostly one mutation: a second one often makes the model invalid, which hides the first.
    count = min(max_mutations, draw(st.sampled_from([1, 1, 1, 2, 2, 3])))
    weighted = [k for k in kinds for _ in range(KIND_WEIGHTS.get(k, 1))]
    for _ in range(count):
        kind = draw(st.sampled_from(weighted))
        case.model, desc = MUTATORS[kind](draw, case.model)
        if desc is not None:
            case.steps.append(f"{kind}: {desc}")
    return case


# ----------------------------------------------------------------------------------
# Running one case
# ----------------------------------------------------------------------------------
_JPATH = r"\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\]|\[\"(?:[^\"\\]|\\.)*\"\])*"


class FuzzFailure(AssertionError):
    """The generator broke its contract on a case; ``kind`` groups similar failures."""

    def __init__(self, kind: str, detail: str, case: Case | None = None, where: str = "") -> None:
        self.kind, self.detail, self.case, self.where = kind, detail, case, where
        super().__init__(f"[{kind}] {detail}\n{case!r}")


@dataclass
class Outcome:
    result: str  # "error" (ModelError), "unsupported", "generated"
    problems: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def problem_ok(problem: str, label: str) -> bool:
    """``<label>: $<json path>: <text>`` on one line (JSON-quoted keys may hold colons).

    For paths without quoted keys this is exactly ``^<label>: \\$[^:]*: .+``.
    """
    if len(problem.splitlines()) != 1 or "\n" in problem or "\r" in problem:
        return False
    return re.fullmatch(re.escape(label) + ": " + _JPATH + r": .+", problem) is not None


def _message_shape(problem: str, label: str) -> str:
    """A problem with its model-specific parts blanked, to group similar failures."""
    text = problem.removeprefix(label + ": ")
    text = re.sub(r"^\$\S*", "$...", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\{[^}]*\}?", "...", text, flags=re.S)
    return text.splitlines()[0][:70] if text else ""


def canary_state() -> dict[str, Any]:
    return {
        "env": os.environ.get(CANARY_ENV),
        "file": CANARY_FILE.exists(),
        "attr": hasattr(builtins, CANARY_ATTR),
        "brief": BRIEF_MARKER.stat().st_mtime_ns if BRIEF_MARKER.exists() else None,
    }


_CLEAN_STATE: dict[str, Any] = {}


def reset_canaries() -> None:
    os.environ.pop(CANARY_ENV, None)
    with contextlib.suppress(FileNotFoundError):
        CANARY_FILE.unlink()
    if hasattr(builtins, CANARY_ATTR):
        delattr(builtins, CANARY_ATTR)
    _CLEAN_STATE.clear()
    _CLEAN_STATE.update(canary_state())


def check_canaries(case: Case, when: str) -> None:
    state = canary_state()
    if state != _CLEAN_STATE:
        fired = {k: v for k, v in state.items() if v != _CLEAN_STATE.get(k)}
        reset_canaries()
        raise FuzzFailure("canary", f"injected code ran ({when}): {fired}", case, where=when)


def _code_tokens(text: str) -> list[str]:
    """NAME / OP / NUMBER tokens: code, with strings and comments left out."""
    keep = (tokenize.NAME, tokenize.OP, tokenize.NUMBER)
    return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type in keep]


_SEP = "\x1f"
_PAYLOAD_SIGNATURES = [_SEP + _SEP.join(_code_tokens(p)) + _SEP for p in CODE_PAYLOADS]


def check_no_injected_code(case: Case, rel: str, text: str) -> None:
    try:
        tokens = _code_tokens(text)
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        raise FuzzFailure("tokenize", f"{rel}: does not tokenize: {exc}", case) from exc
    leaked = FORBIDDEN_NAMES.intersection(tokens)
    if leaked:
        raise FuzzFailure("injection", f"{rel}: injected names outside literals: {sorted(leaked)}", case)
    stream = _SEP + _SEP.join(tokens) + _SEP
    for payload, sig in zip(CODE_PAYLOADS, _PAYLOAD_SIGNATURES):
        if sig in stream:
            raise FuzzFailure("injection", f"{rel}: injected code outside literals: {payload}", case)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Turn a hang into a failure (main thread on POSIX only; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _tb_tail(exc: BaseException, lines: int = 6) -> str:
    text = "".join(traceback.format_exception(exc))
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _deepest_frame(exc: BaseException, under: Path) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(under))]
    if not frames:
        return ""
    f = frames[-1]
    return f"{Path(f.filename).relative_to(REPO).as_posix()}:{f.lineno} ({f.name})"


_counter = itertools.count()
_FORMAT_CACHE: list[Path] = []


def _format_cache() -> Path:
    """A private black cache, so fuzzing never fills the shared one with junk."""
    if not _FORMAT_CACHE:
        import atexit

        _FORMAT_CACHE.append(Path(tempfile.mkdtemp(prefix="awsgen-fuzz-cache-")))
        atexit.register(shutil.rmtree, _FORMAT_CACHE[0], ignore_errors=True)
    return _FORMAT_CACHE[0]


def write_case(case: Case, root: Path) -> Path:
    folder = root / "model"
    folder.mkdir(parents=True)
    path = folder / "service-2.json"
    path.write_text(json.dumps(case.model), encoding="utf-8")
    if case.with_rules:
        shutil.copy(rule_set_dir(case.base) / "endpoint-rule-set-1.json", folder / "endpoint-rule-set-1.json")
        shutil.copy(REPO / "models" / "partitions.json", root / "partitions.json")
    return path


def generate(case: Case, root: Path, *, fmt: bool) -> Outcome:
    """The pipeline in-process; a ModelError / UnsupportedProtocol is checked, anything else fails."""
    path = write_case(case, root)
    label = path.as_posix()
    package = f"aws_fuzz_{os.getpid()}_{next(_counter)}"
    settings_ = PackageSettings(package=package, distribution=package.replace("_", "-"), model_label=label)
    old_cache = os.environ.get("AWSGEN_CACHE")
    os.environ["AWSGEN_CACHE"] = str(_format_cache())
    try:
        with time_limit(120):
            files = build_package(path, settings_, fmt=fmt)
    except ModelError as exc:
        if not exc.problems:
            raise FuzzFailure("message", "ModelError with no problems", case) from exc
        bad = [p for p in exc.problems if not problem_ok(p, label)]
        if bad:
            raise FuzzFailure("message", f"badly formed problem(s): {bad[:3]!r}", case,
                              where=_message_shape(bad[0], label)) from exc
        return Outcome("error", problems=list(exc.problems))
    except UnsupportedProtocol as exc:
        text = str(exc)
        if len(text.splitlines()) != 1 or not text.startswith(label + ": "):
            raise FuzzFailure("message", f"badly formed UnsupportedProtocol: {text!r}", case) from exc
        return Outcome("unsupported", problems=[text])
    except Exception as exc:  # noqa: BLE001 - every other exception is the bug being looked for
        raise FuzzFailure(
            "exception", f"{type(exc).__name__} from the generator:\n{_tb_tail(exc)}", case,
            where=f"{type(exc).__name__} at {_deepest_frame(exc, REPO / 'generator')}",
        ) from None
    finally:
        if old_cache is None:
            os.environ.pop("AWSGEN_CACHE", None)
        else:
            os.environ["AWSGEN_CACHE"] = old_cache
    return Outcome("generated", files=files)


def check_files(case: Case, files: dict[str, str]) -> None:
    for rel, text in files.items():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise FuzzFailure("encoding", f"{rel}: not encodable as UTF-8 ({exc.reason} at {exc.start}: "
                              f"{text[max(0, exc.start - 40):exc.end + 10]!r})", case, where=rel.split("/")[-1]) from exc
        if rel.endswith(".py"):
            try:
                compile(text, rel, "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as exc:
                line = getattr(exc, "lineno", None)
                context = text.splitlines()[line - 1][:200] if line and line <= len(text.splitlines()) else ""
                raise FuzzFailure("compile", f"{rel} does not compile: {exc}\n    line: {context!r}", case,
                                  where=f"{rel.split('/')[-1]}: {type(exc).__name__}") from exc
            check_no_injected_code(case, rel, text)
        elif rel.endswith(".toml"):
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise FuzzFailure("toml", f"{rel} is not valid TOML: {exc}", case, where=rel) from exc


def import_and_construct(case: Case, files: dict[str, str], root: Path, calls: bool = False) -> None:
    dist = root / "dist"
    for rel, text in files.items():
        target = dist / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    package = next(rel.split("/")[0] for rel in files if rel.endswith("/__init__.py"))
    modules = sorted(rel.removesuffix(".py").replace("/", ".") for rel in files if rel.endswith(".py"))
    sys.path.insert(0, str(dist))
    old_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        with time_limit(60):
            for name in modules:
                mod = importlib.import_module(name)
                exported = list(getattr(mod, "__all__", []))
                missing = [n for n in exported if not hasattr(mod, n)]
                if missing:
                    raise FuzzFailure("consistency", f"{name}.__all__ names missing attributes {missing[:5]}", case,
                                      where=f"{name.split('.')[-1]}.__all__ names a missing attribute")
                dupes = sorted({n for n in exported if exported.count(n) > 1})
                if dupes:
                    raise FuzzFailure("consistency", f"{name}: two definitions under one name {dupes[:5]}", case,
                                      where=f"{name.split('.')[-1]} duplicate names")
            top = importlib.import_module(package)
            shapes_mod = importlib.import_module(package + ".shapes")
            for attr in dir(shapes_mod):
                cls = getattr(shapes_mod, attr)
                values = vars(cls).get("_values") if isinstance(cls, type) and issubclass(cls, str) else None
                if values is not None:
                    if type(values) is not frozenset:
                        kind = type(values)
                        raise FuzzFailure("consistency", f"shapes.{attr}._values is a {kind.__module__}.{kind.__qualname__}"
                                          f", not the builtin frozenset", case, where="enum _values not a frozenset")
            client = top.Client(region="us-east-1", endpoint_url="http://127.0.0.1:9", anonymous=True)
            close = getattr(client, "close", None)
            if callable(close):
                close()
            if calls:
                call_every_operation(case, top)
    except FuzzFailure:
        raise
    except Exception as exc:  # noqa: BLE001
        raise FuzzFailure(
            "import", f"{type(exc).__name__} importing / constructing:\n{_tb_tail(exc)}", case,
            where=f"{type(exc).__name__}: {str(exc).splitlines()[0][:70] if str(exc) else ''}",
        ) from None
    finally:
        sys.dont_write_bytecode = old_bytecode
        sys.path.remove(str(dist))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()


class _CannedTransport:
    """Answers every request with 200 and ``{}``, without a network."""

    def send(self, request: Any, *, stream: bool = False) -> Any:
        from urllib3 import HTTPHeaderDict

        from awsgen_runtime.transport import HttpResponse

        return HttpResponse(200, HTTPHeaderDict({"Content-Type": "application/json"}), b"{}")


def call_every_operation(case: Case, top: Any) -> None:
    """Beyond the issue's contract (used by ``scripts/fuzz_models.py --call``): every
    method, required arguments None, against a canned ``{}`` reply. Validation must
    refuse the call (ParamValidationError) or the call must return; a method with no
    required argument must serialize its input and parse ``{}``.
    """
    import inspect

    from awsgen_runtime.errors import ParamValidationError

    client = top.Client(region="us-east-1", endpoint_url="http://127.0.0.1:9", anonymous=True,
                        transport=_CannedTransport())
    base = set(dir(type(client).__mro__[1]))
    for name, method in inspect.getmembers(type(client), inspect.isfunction):
        if name.startswith("_") or name in base:
            continue
        params = inspect.signature(method).parameters.values()
        args = {p.name: None for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        try:
            getattr(client, name)(**args)
        except ParamValidationError:
            pass
        except Exception as exc:  # noqa: BLE001
            raise FuzzFailure("call", f"client.{name}({', '.join(f'{a}=None' for a in args)}) against a 200 {{}} "
                              f"reply:\n{_tb_tail(exc)}", case,
                              where=f"{type(exc).__name__}: {re.sub(r'[0-9]+', 'N', str(exc).splitlines()[0][:60]) if str(exc) else ''}") from None


def run_case(case: Case, *, fmt: bool = False, calls: bool = False) -> Outcome:
    """Every check on one case; raises FuzzFailure. Returns what happened."""
    if not _CLEAN_STATE:
        reset_canaries()
    root = Path(tempfile.mkdtemp(prefix="awsgen-fuzz-"))
    try:
        try:
            outcome = generate(case, root, fmt=fmt)
        finally:
            check_canaries(case, "while generating")
        if outcome.result == "generated":
            check_files(case, outcome.files)
            try:
                import_and_construct(case, outcome.files, root, calls=calls)
            finally:
                check_canaries(case, "while importing")
        return outcome
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_cli_case(case: Case) -> str:
    """``python -m generator generate --model F --out D``: exit 0 or 2, never a traceback."""
    if not _CLEAN_STATE:
        reset_canaries()
    root = Path(tempfile.mkdtemp(prefix="awsgen-fuzz-cli-"))
    try:
        model = write_case(case, root)
        out = root / "out"
        env = {**os.environ, "AWSGEN_CACHE": str(_format_cache()), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop(CANARY_ENV, None)
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--model", str(model), "--package", "aws_fuzzcli",
             "--out", str(out)],
            cwd=REPO, capture_output=True, text=True, env=env, timeout=300,
        )
        check_canaries(case, "in the command line")
        if "Traceback" in proc.stderr or proc.returncode not in (0, 2):
            tail = "\n".join(proc.stderr.rstrip().splitlines()[-6:])
            raise FuzzFailure("cli", f"exit {proc.returncode}, stderr:\n{tail}", case,
                              where=f"exit {proc.returncode}: {tail.splitlines()[-1][:70] if tail else ''}")
        if proc.returncode == 2:
            lines = proc.stderr.splitlines()
            label = model.as_posix()
            bad = [ln for ln in lines if not problem_ok(ln, label)
                   and not re.fullmatch(re.escape(label) + r": protocol .* not supported yet", ln)]
            if not lines or bad:
                raise FuzzFailure("cli", f"exit 2 with badly formed stderr: {(bad or lines)[:3]!r}", case,
                                  where="exit 2 message format")
            if out.exists() and any(out.iterdir()):
                raise FuzzFailure("cli", f"exit 2 but wrote {sorted(p.name for p in out.iterdir())}", case)
            return "error"
        dist = out / "aws-fuzzcli"
        code = (
            "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
            "import aws_fuzzcli, aws_fuzzcli.shapes, aws_fuzzcli.errors\n"
            "c = aws_fuzzcli.Client(region='us-east-1', endpoint_url='http://127.0.0.1:9', anonymous=True)\n"
            "getattr(c, 'close', lambda: None)()\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(dist), str(REPO / "runtime")],
                              capture_output=True, text=True, env=env, timeout=120)
        check_canaries(case, "importing the command line's output")
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.rstrip().splitlines()[-6:])
            raise FuzzFailure("cli-import", f"the written package does not import:\n{tail}", case,
                              where=tail.splitlines()[-1][:70] if tail else "")
        return "generated"
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ----------------------------------------------------------------------------------
# The tests (about a hundred examples in all)
# ----------------------------------------------------------------------------------
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target) + (
    (Phase.shrink,) if os.environ.get("AWSGEN_FUZZ_SHRINK") else ()
)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not os.environ.get("AWSGEN_FUZZ_RANDOM"),
        database=None,
        phases=_PHASES,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


@pytest.fixture(scope="module", autouse=True)
def _canaries() -> Iterator[None]:
    reset_canaries()
    yield
    check_canaries(Case("(session)", None), "at the end of the session")


# ----------------------------------------------------------------------------------
# Fixed cases: each a small mutation of a small model, kept because the fuzzer found
# it (or its family) once; they run every time, whatever hypothesis draws.
# ----------------------------------------------------------------------------------
CP, SCH, DDB = "connectparticipant-mini", "scheduler-mini", "dynamodb-mini"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``a/b/c`` (slash-separated keys) to ``value``."""
    keys = path.split("/")

    def apply(model: dict[str, Any]) -> None:
        node = model
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value

    return apply


def _all(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(model: dict[str, Any]) -> None:
        for m in mutations:
            m(model)

    return apply


def _rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def apply(model: dict[str, Any]) -> None:
        rename_key(model["shapes"], old, new)
        _update_refs(model["operations"], old, new)
        _update_refs(model["shapes"], old, new)

    return apply


def _everywhere(payloads: list[str]) -> Callable[[dict[str, Any]], None]:
    """Every payload into every text slot a model has: docs, enums, wire names, codes, metadata."""

    def apply(model: dict[str, Any]) -> None:
        flood(model, payloads, FLOOD_SLOTS)

    return apply


KNOWN_CASES: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    # Hostile text that must stay data.
    "breakouts-everywhere": (CP, _everywhere(BREAKOUTS)),
    "quotes-and-jinja-everywhere": (SCH, _everywhere(QUOTES + JINJA)),
    "html-and-formats-everywhere": (DDB, _everywhere(HTML + FORMATS[:6])),
    "hostile-shape-name": (CP, _rename("Websocket", 'a"""b' + PY_ENV)),
    "jinja-shape-name": (CP, _rename("Websocket", "{{ 7*7 }}")),
    "hostile-member-name": (CP, _set("shapes/Websocket/members/{% raw %}", {"shape": "PreSignedConnectionUrl"})),
    "recursion-through-ancestor": (CP, _set("shapes/Websocket/members/Back",
                                            {"shape": "CreateParticipantConnectionResponse"})),
    # Each of these broke the contract when the fuzzer was written.
    "list-of-itself": (CP, _all(_set("shapes/L", {"type": "list", "member": {"shape": "L"}}),
                                _set("shapes/Websocket/members/Self", {"shape": "L"}))),
    "map-of-itself": (CP, _all(_set("shapes/M", {"type": "map", "key": {"shape": "Message"}, "value": {"shape": "M"}}),
                               _set("shapes/Websocket/members/Self", {"shape": "M"}))),
    "map-keyed-by-itself": (CP, _all(
        _set("shapes/M", {"type": "map", "key": {"shape": "M"}, "value": {"shape": "Message"}}),
        _set("shapes/CreateParticipantConnectionRequest/members/Self", {"shape": "M"}))),
    "host-prefix-unclosed-label": (CP, _set("operations/GetAttachment/endpoint", {"hostPrefix": "data-{% raw"})),
    "uri-unclosed-label": (SCH, _set("operations/GetSchedule/http/requestUri", "/schedules/{Name}/{% raw")),
    "uri-label-with-newline": (SCH, _set("operations/GetSchedule/http/requestUri", "/schedules/{Name}/{a\nb}")),
    "host-label-with-newline": (CP, _set("operations/GetAttachment/endpoint", {"hostPrefix": "{a\nb}."})),
    "header-bound-structure": (SCH, _set("shapes/GetScheduleOutput/members/FlexibleTimeWindow",
                                         {"shape": "FlexibleTimeWindow", "location": "header", "locationName": "x"})),
    "headers-bound-string": (SCH, _set("shapes/GetScheduleOutput/members/Name",
                                       {"shape": "Name", "location": "headers", "locationName": "x-"})),
    "query-bound-list-of-lists": (CP, _all(
        _set("shapes/LL", {"type": "list", "member": {"shape": "ConnectionTypeList"}}),
        _set("shapes/CreateParticipantConnectionRequest/members/Type",
             {"shape": "LL", "location": "querystring", "locationName": "t"}))),
    "document-operation-input": (CP, _set("shapes/GetAttachmentRequest/document", True)),
    "surrogate-in-documentation": (CP, _set("documentation", "\ud800")),
    "surrogate-in-documentation-formatted": (CP, _set("documentation", "\ud800")),  # fmt=True, below
    "superscript-service-id": (CP, _set("metadata/serviceId", "x²")),
    "ligature-service-id": (CP, _set("metadata/serviceId", "xﬁ")),
    "nul-in-service-id": (CP, _set("metadata/serviceId", "a\x00b")),
    "control-char-in-api-version": (CP, _set("metadata/apiVersion", "2018\x1f")),
    "context-param-not-an-object": (DDB, _set("shapes/GetItemInput/members/TableName/contextParam", "x")),
    "static-context-params-a-list": (DDB, _set("operations/GetItem/staticContextParams", [1])),
    "request-compression-a-string": (DDB, _set("operations/GetItem/requestcompression", "gzip")),
    "enum-named-frozenset": (CP, _rename("ConnectionType", "frozenset")),
    "exception-named-like-the-error-base": (CP, _rename("AccessDeniedException", "ConnectParticipantError")),
    "member-name-with-trailing-newline": (CP, _all(
        _set("shapes/Websocket/members/Url\n", {"shape": "PreSignedConnectionUrl"}))),
    "shape-name-with-trailing-newline": (CP, _rename("Websocket", "Websocket\n")),
    "operation-name-with-trailing-newline": (CP, lambda m: rename_key(m["operations"], "GetAttachment", "GetAttachment\n")),
    "two-shapes-one-class-name": (CP, _all(_rename("Websocket", "__Foo"), _rename("ConnectionCredentials", "Foo_"))),
}


@pytest.mark.parametrize("name", sorted(KNOWN_CASES))
def test_known_case(name: str) -> None:
    base, mutate = KNOWN_CASES[name]
    model = json.loads(base_text(base))
    mutate(model)
    run_case(Case(base, model, [f"known case {name!r}"], with_rules=True), fmt=name.endswith("-formatted"))


def _deep_model() -> bytes:
    model = json.loads(base_text(CP))
    return json.dumps(model)[:-1].encode() + b', "x-deep": ' + b"[" * 5000 + b"]" * 5000 + b"}"


# Files that are not a model at all: the loader must refuse them in one line, naming
# the file (there is no JSON path to give for text that does not parse).
UNPARSEABLE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "truncated-json": ("service-2.json", lambda: base_text(CP)[:5000].encode()),
    "not-utf8": ("service-2.json", lambda: base_text(CP).replace('"Amazon', '"\udcff', 1).encode("utf-8", "surrogateescape")),
    "empty": ("service-2.json", lambda: b""),
    "top-level-list": ("service-2.json", lambda: b"[]"),
    "nested-5000-deep": ("service-2.json", _deep_model),
    "bad-yaml": ("service-2.yaml", lambda: b"metadata: [1, 2\n"),
    "yaml-alias-loop": ("service-2.yaml", lambda: b"metadata: &m {protocol: json, apiVersion: '1', self: *m}\n"
                                                   b"operations: {}\nshapes: {}\n"),
    "bad-gzip": ("service-2.json.gz", lambda: b"\x1f\x8b\x08\x00garbage"),
}


@pytest.mark.parametrize("name", sorted(UNPARSEABLE))
def test_unparseable_file(name: str, tmp_path: Path) -> None:
    filename, content = UNPARSEABLE[name]
    model = tmp_path / "model" / filename
    model.parent.mkdir()
    model.write_bytes(content())
    out = tmp_path / "out"
    env = {**os.environ, "AWSGEN_CACHE": str(_format_cache())}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--model", str(model), "--package", "aws_fuzzraw",
         "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    if proc.returncode == 0:  # a YAML alias loop that still validates is a model like any other
        return
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.splitlines()
    assert lines and all(ln.startswith(f"{model.as_posix()}: ") for ln in lines), proc.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("base", MAIN_BASES + MINI_BASES)
def test_unmutated_base_generates_and_imports(base: str) -> None:
    outcome = run_case(Case(base, json.loads(base_text(base)), with_rules=True))
    assert outcome.result == "generated", outcome.problems


def _check(case: Case, fmt: bool = False) -> None:
    note(repr(case))
    event(run_case(case, fmt=fmt).result)  # see --hypothesis-show-statistics


@fuzz_settings(12)
@given(case=cases(kinds=("delete",)))
def test_deleted_keys(case: Case) -> None:
    _check(case)


@fuzz_settings(12)
@given(case=cases(kinds=("wrong_type", "retype", "known_key")))
def test_wrong_types(case: Case) -> None:
    _check(case)


@fuzz_settings(12)
@given(case=cases(kinds=("rename_shape", "rename_member", "rename_operation")))
def test_renames(case: Case) -> None:
    _check(case)


@fuzz_settings(20)
@given(case=cases(kinds=("inject", "flood"), max_mutations=4))
def test_injected_text(case: Case) -> None:
    _check(case)


@fuzz_settings(10)
@given(case=cases(kinds=("recursion",), max_mutations=2))
def test_recursion(case: Case) -> None:
    _check(case)


@fuzz_settings(10)
@given(case=cases(kinds=("location", "retarget", "protocol")))
def test_bindings_and_references(case: Case) -> None:
    _check(case)


@fuzz_settings(4)
@given(case=cases(bases=MINI_BASES))
def test_formatted_output(case: Case) -> None:
    """The same contract with black in the pipeline (a few examples: black is slow)."""
    _check(case, fmt=True)


@fuzz_settings(4)
@given(case=cases(bases=MINI_BASES))
def test_command_line(case: Case) -> None:
    note(repr(case))
    event(run_cli_case(case))
