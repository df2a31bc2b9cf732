"""Model validation: the JSON Schema of the botocore format, then cross-reference checks.

Every problem is reported as ``<file>: <JSON path>: <text>``; all problems are
collected before anything is generated, so a bad model yields one message per
problem and writes nothing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from .model.naming import class_name, is_identifier, python_name

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "service-2.schema.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _jpath(parts: Any) -> str:
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(p)):
            out += f".{p}"
        else:
            out += f"[{json.dumps(str(p))}]"
    return out


def validate_model(raw: Any, source: str) -> list[str]:
    """Return every problem found, each naming the file and the JSON path."""
    if not isinstance(raw, dict):
        return [f"{source}: $: a model must be a JSON object, got {type(raw).__name__}"]
    problems = [
        f"{source}: {_jpath(err.absolute_path)}: {err.message}"
        for err in sorted(_validator().iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    ]
    if problems:
        return problems
    surrogate = _find_surrogate(raw, [])
    if surrogate is not None:
        return [f"{source}: {_jpath(surrogate)}: text holds a lone surrogate, which is not Unicode text"]
    return [f"{source}: {p}" for p in _cross_reference(raw)]


def _find_surrogate(value: Any, path: list[Any]) -> list[Any] | None:
    """The path of the first string (or key) holding a lone surrogate, if any.

    JSON allows ``\\ud800`` escapes that decode to text no file can hold; encoding the
    whole model once is cheap, and only on failure is it walked to find the place.
    """
    if path == []:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
            return None
        except UnicodeEncodeError:
            pass
    if isinstance(value, str):
        return path if _has_surrogate(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _has_surrogate(key):
            return path + [key.encode("utf-8", "backslashreplace").decode()]
        found = _find_surrogate(item, path + [key])
        if found is not None:
            return found
    return None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _show(text: str) -> str:
    """Model text inside a message: as is when printable, escaped otherwise (one line)."""
    return text if text.isprintable() else json.dumps(text)[1:-1]


_SCALARS = ("string", "integer", "long", "float", "double", "boolean", "blob", "timestamp", "character")
_BINDABLE = {
    # location: what a member bound there may be
    "uri": "scalar",
    "header": "scalar or list of scalars",
    "querystring": "scalar, list of scalars, or map of string to scalars or lists of scalars",
    "headers": "map of string to scalars",
    "statusCode": "integer",
}


def _binding_ok(location: str, target: dict[str, Any], shapes: dict[str, Any]) -> bool:
    def scalar(name: str) -> bool:
        return shapes.get(name, {}).get("type") in _SCALARS

    def scalar_list(name: str) -> bool:
        body = shapes.get(name, {})
        return body.get("type") == "list" and scalar(body.get("member", {}).get("shape", ""))

    kind = target.get("type")
    if location == "uri":
        return kind in _SCALARS
    if location == "header":
        return kind in _SCALARS or (kind == "list" and scalar(target["member"]["shape"]))
    if location == "statusCode":
        return kind in ("integer", "long")
    if kind != "map":
        return location == "querystring" and (
            kind in _SCALARS or (kind == "list" and scalar(target["member"]["shape"]))
        )
    value = target["value"]["shape"]
    if location == "headers":
        return scalar(value)
    return scalar(value) or scalar_list(value)


def unsupported_protocol(raw: dict[str, Any]) -> str | None:
    """The model's protocol when no protocol it lists is supported, else None."""
    from .protocols import choose

    meta = raw.get("metadata", {})
    if choose(meta) is not None:
        return None
    return str(meta.get("protocol"))


def _cross_reference(raw: dict[str, Any]) -> list[str]:
    shapes: dict[str, Any] = raw["shapes"]
    out: list[str] = []

    def ref(path: list[Any], name: str) -> None:
        if name not in shapes:
            out.append(f"{_jpath(path)}: undefined shape {name!r}")

    for sname, shape in shapes.items():
        base = ["shapes", sname]
        kind = shape["type"]
        if kind == "structure" or shape.get("enum"):
            if not is_identifier(class_name(sname)):
                out.append(f"{_jpath(base)}: shape name {sname!r} is not a safe Python identifier")
        for key in ("member", "key", "value"):
            if key in shape:
                ref(base + [key, "shape"], shape[key]["shape"])
        if kind == "map" and shapes.get(shape["key"]["shape"], {}).get("type", "string") != "string":
            out.append(f"{_jpath(base + ['key', 'shape'])}: map keys must be strings")
        if kind != "structure":
            continue
        members = shape.get("members", {})
        seen: dict[str, str] = {}
        for mname, member in members.items():
            mpath = base + ["members", mname]
            ref(mpath + ["shape"], member["shape"])
            location = member.get("location")
            target = shapes.get(member["shape"])
            if location and target is not None and not _binding_ok(location, target, shapes):
                out.append(
                    f"{_jpath(mpath)}: a member bound to {location} must be a {_BINDABLE[location]}, "
                    f"not {target['type']}"
                )
            if not is_identifier(mname):
                out.append(f"{_jpath(mpath)}: member name {mname!r} is not a safe Python identifier")
                continue
            py = python_name(mname)
            if py in seen:
                out.append(f"{_jpath(mpath)}: member {mname!r} and member {seen[py]!r} both map to Python name {py!r}")
            seen[py] = mname
        for i, req in enumerate(shape.get("required", [])):
            if req not in members:
                out.append(f"{_jpath(base + ['required', i])}: required member {req!r} is not a member")
        payload = shape.get("payload")
        if payload is not None and payload not in members:
            out.append(f"{_jpath(base + ['payload'])}: payload member {payload!r} is not a member")
    out.extend(_collection_cycles(shapes))
    classes: dict[str, str] = {}
    for sname, shape in shapes.items():
        if (shape["type"] == "structure" or shape.get("enum")) and is_identifier(class_name(sname)):
            other = classes.setdefault(class_name(sname), sname)
            if other != sname:
                out.append(
                    f"{_jpath(['shapes', sname])}: shapes {sname!r} and {other!r} both map to class {class_name(sname)!r}"
                )
    ops: dict[str, Any] = raw["operations"]
    op_names: dict[str, str] = {}
    for oname, op in ops.items():
        base = ["operations", oname]
        if not is_identifier(oname):
            out.append(f"{_jpath(base)}: operation name {oname!r} is not a safe Python identifier")
        else:
            py = python_name(oname)
            if py in op_names:
                out.append(f"{_jpath(base)}: operations {oname!r} and {op_names[py]!r} both map to method {py!r}")
            op_names[py] = oname
        for key in ("input", "output"):
            if key in op:
                ref(base + [key, "shape"], op[key]["shape"])
                target = shapes.get(op[key]["shape"])
                if target is not None and (target["type"] != "structure" or target.get("document")):
                    out.append(f"{_jpath(base + [key, 'shape'])}: {key} shape {op[key]['shape']!r} is not a structure")
        for i, err in enumerate(op.get("errors", [])):
            path = base + ["errors", i, "shape"]
            ref(path, err["shape"])
            target = shapes.get(err["shape"])
            if target is not None and not (target["type"] == "structure" and target.get("exception")):
                out.append(f"{_jpath(path)}: error {err['shape']!r} is not an exception shape")
        out.extend(_check_uri(op, shapes, base))
    return out


def _collection_cycles(shapes: dict[str, Any]) -> list[str]:
    """Lists and maps that contain themselves with no structure in between.

    Recursion through a structure is fine (a structure can be absent); a list of
    itself has no Python type and no finite value, so it is refused.
    """
    out = []
    for start, shape in shapes.items():
        if shape.get("type") not in ("list", "map"):
            continue
        seen = {start}
        name = start
        while True:
            body = shapes.get(name, {})
            if body.get("type") not in ("list", "map"):
                break
            key = "member" if body["type"] == "list" else "value"
            name = body.get(key, {}).get("shape", "")
            if name == start:
                out.append(f"{_jpath(['shapes', start])}: {body['type']} {start!r} contains itself with no structure in between")
                break
            if name in seen or name not in shapes:
                break
            seen.add(name)
    return out


def _check_uri(op: dict[str, Any], shapes: dict[str, Any], base: list[Any]) -> list[str]:
    uri = op["http"]["requestUri"]
    out = []
    host_prefix = (op.get("endpoint") or {}).get("hostPrefix", "")
    for field, text in (("http.requestUri", uri), ("endpoint.hostPrefix", host_prefix)):
        if re.sub(r"\{[^{}]*\}", "", text).count("{") or re.sub(r"\{[^{}]*\}", "", text).count("}"):
            out.append(f"{_jpath(base + field.split('.'))}: unbalanced braces in {_show(text)!r}")
    if out:
        return out
    labels = re.findall(r"\{([^}]*)\}", uri.split("?")[0])
    inp = shapes.get((op.get("input") or {}).get("shape", ""), {})
    members = inp.get("members", {}) if isinstance(inp, dict) else {}
    uri_members = {m.get("locationName", name): name for name, m in members.items() if m.get("location") == "uri"}
    for label in labels:
        name = label.rstrip("+")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            out.append(f"{_jpath(base + ['http', 'requestUri'])}: malformed URI label {{{_show(label)}}}")
        elif name not in uri_members:
            out.append(f"{_jpath(base + ['http', 'requestUri'])}: URI label {{{label}}} has no matching member in the input")
    for label in re.findall(r"\{([^}]*)\}", host_prefix):
        if label not in members or not members[label].get("hostLabel"):
            out.append(f"{_jpath(base + ['endpoint', 'hostPrefix'])}: host label {{{_show(label)}}} has no matching hostLabel member")
    return out
