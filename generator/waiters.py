"""Waiters: botocore's ``waiters-2.json`` beside a model, checked and prepared.

A waiter polls an operation until one of its acceptors says success or failure:
``path`` (a JMESPath expression over the answer equals the expected value), ``pathAll``
/ ``pathAny`` (all / any of the values it selects do), ``status`` (the HTTP status) and
``error`` (the error code; ``true``/``false``: any error / none). The expressions'
identifiers are the model's member names; here they become the generated classes'
Python names, so that ``awsgen_runtime.waiters`` evaluates them over the typed answer's
``to_dict()``. A waiter naming an operation the model lacks, or an unknown matcher or
state, is an error naming the file and JSON path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import find_beside, load_document
from .model.ir import Service
from .model.naming import python_name, snake_case

WAITERS_FILE = "waiters-2.json"
_MATCHERS = ("path", "pathAll", "pathAny", "status", "error")
_STATES = ("success", "failure", "retry")
# Literals (`...`), raw strings ('...'), quoted identifiers ("..."), identifiers.
_TOKEN = re.compile(r"`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Waiter:
    name: str
    method: str  # wait_until_<name>
    operation: str
    delay: float
    max_attempts: int
    acceptors: tuple[tuple[str, str, str | None, Any], ...]  # (state, matcher, expression, expected)
    # the acceptors' expressions as the file has them (model member names: the dict answers')
    arguments: tuple[str | None, ...] = ()
    raw_delay: Any = None  # the file's delay and maxAttempts, as botocore's config shows them
    raw_max_attempts: Any = None


def waiters_path(model_path: Path) -> Path | None:
    """``waiters-2.json`` (or ``.json.gz``) beside the model, or None."""
    return find_beside([model_path.parent, model_path.parent.parent], WAITERS_FILE)


def python_expression(text: str) -> str:
    """A JMESPath expression with the model's member names made Python names (function
    names, literals and raw strings kept)."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(text[pos:m.start()])
        token = m.group(0)
        if token[0] in "`'":
            out.append(token)
        elif token[0] == '"':
            out.append('"' + python_name(token[1:-1]) + '"')
        elif text[m.end():].lstrip().startswith("("):
            out.append(token)  # a function: length(...), contains(...)
        else:
            out.append(python_name(token))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def load_waiters(path: Path, service: Service) -> tuple[list[Waiter], list[str]]:
    doc = load_document(path)
    table = doc.get("waiters") if isinstance(doc, dict) else None
    if not isinstance(table, dict):
        return [], [f"{path}: $.waiters: expected an object of waiters"]
    ops = {op.name for op in service.operations}
    problems: list[str] = []
    out: list[Waiter] = []
    for name, spec in sorted(table.items()):
        where = f"{path}: $.waiters.{name}"
        if not isinstance(spec, dict) or spec.get("operation") not in ops:
            problems.append(f"{where}.operation: the model has no operation {spec.get('operation') if isinstance(spec, dict) else None!r}")
            continue
        acceptors = []
        arguments = []
        for i, a in enumerate(spec.get("acceptors") or []):
            if a.get("matcher") not in _MATCHERS or a.get("state") not in _STATES:
                problems.append(f"{where}.acceptors[{i}]: unknown matcher {a.get('matcher')!r} or state {a.get('state')!r}")
                continue
            arg = a.get("argument")
            expr = python_expression(arg) if a["matcher"].startswith("path") and isinstance(arg, str) else None
            if a["matcher"].startswith("path") and expr is None:
                problems.append(f"{where}.acceptors[{i}].argument: a path matcher needs an expression")
                continue
            acceptors.append((a["state"], a["matcher"], expr, a.get("expected")))
            arguments.append(arg if isinstance(arg, str) else None)
        out.append(Waiter(name, "wait_until_" + snake_case(name), spec["operation"], float(spec.get("delay", 15)),
                          int(spec.get("maxAttempts", 40)), tuple(acceptors), tuple(arguments),
                          spec.get("delay", 15), spec.get("maxAttempts", 40)))
    return out, problems


def waiter_views(waiters: list[Waiter], ops: list[dict[str, Any]], service: Service) -> list[dict[str, Any]]:
    from .literals import pylit

    by_name = {op["name"]: op for op in ops}
    views = []
    for w in waiters:
        op = by_name[w.operation]
        taken = {p["py_name"] for p in op["params"]}
        extra = {}
        for key in ("delay", "max_attempts"):
            name = key
            while name in taken:
                name += "_"
            extra[key] = name
        code = next(o.response_code for o in service.operations if o.name == w.operation)
        views.append({
            "name": w.name, "method": w.method, "op_method": op["py_name"], "params": op["params"], "extra": extra,
            "spec_args": ", ".join([pylit(w.name), pylit(w.delay), pylit(w.max_attempts), pylit(w.acceptors),
                                    pylit(code)]),
        })
    return views
