"""``python -m generator diff OLD NEW``: what changed in the generated public API.

Both sides are built into the intermediate model the templates see (generator/model),
so a change is named as a caller of the generated package meets it: a client method, a
keyword argument, a field of a class in ``shapes`` or ``errors``, an enum constant, a
``paginate_`` or ``wait_until_`` method. Each change has a category:

- ``breaking``: code written against OLD's package can fail against NEW's (an import,
  a call, an attribute, a type check or input validation that worked no longer does);
- ``compatible``: it cannot;
- ``documentation``: only text changed (docstrings, the model's deprecation marks,
  which the generated code does not act on). Never breaking.

A shape's *direction* decides most rules: it is on the input side when an operation's
input reaches it (the client validates it and the caller builds it), on the output side
when an output or an error reaches it (the caller reads it); it can be both. The rules:

- removed (operation, member, class, exception, enum value, paginator, waiter): breaking;
  added: compatible, except a new *required* input member (a call that omitted it fails).
- a Python name that changes (the model renamed ``AssignIPv6Addresses`` to
  ``AssignIpv6Addresses``: the same name but for case, a different snake_case name):
  ``*-renamed``, breaking. A model name that changes while the Python name stays is
  ``*-wire-name-changed``, compatible (only the request changes).
- ``member-required``: breaking on the input side (calls must now pass it), compatible
  on the output side (a promise added). ``member-optional``: compatible on the input
  side; breaking on the output side: the service no longer promises the value, so code
  that read it without a None check can fail. (Output fields of output-only classes are
  typed ``X | None`` either way; for a class used on both sides the annotation itself
  changes.) An idempotency token is never required of the caller.
- ``member-type-changed`` (the annotation the generated code gives the member):
  compatible when the new type accepts every value the old one did on the input side
  (``int`` -> ``float``, ``bytes`` -> ``bytes | IO[bytes]``, ``X`` -> ``X | None``),
  or when every value of the new type is one of the old on the output side; else breaking.
- ``constraint-tightened`` / ``constraint-loosened``: what the generated validation
  checks on the input side, and nothing else: string and blob lengths, number ranges,
  list item and map entry counts, and whether a string is checked against an enum.
  Tightened is breaking, loosened compatible (a length or count min of 0 is no bound).
  Patterns are not checked by the generated
  code (nor by botocore), and outputs are not validated, so neither is reported.
- enum values: removed is breaking (the constant goes, and an input value is refused),
  added compatible (enums are open: an unknown value already parses);
  ``enum-constant-renamed`` (another value took the constant's name) is breaking.
- an operation's errors: ``operation-error-added`` and ``-removed`` are compatible (the
  error classes stay importable; only what the method may raise changes); an error class
  removed from ``errors`` is breaking; ``error-code-changed`` compatible.
- ``operation-output-changed``: breaking, except when an operation that returned None
  now returns a class. ``shape-kind-changed`` (structure, union, enum): breaking.
- ``paginator-changed``: breaking when what ``items()`` yields changes (the primary
  result key or its item type) or a parameter of the ``paginate_`` method goes; else
  (tokens, limit, other result keys) compatible. ``waiter-changed``: breaking when it
  polls another operation (its parameters change), else compatible.
- ``client-renamed`` (the service id names the client class): breaking;
  ``protocol-changed``: compatible. ``service-added`` / ``service-removed``: a whole
  package, compatible / breaking.

Exit status: 0 when no change is breaking, 1 when one is, 2 when an input cannot be read
(each problem printed as ``<file>: <JSON path>: <text>``). Identical files are not read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .codegen import Codegen
from .customizations import load_customizations
from .load import ModelError, load_document
from .model.build import build_service
from .model.ir import Member, Operation, Service, Shape
from .model.naming import constant_name, service_name_for_model
from .paginators import Paginator, load_paginators, paginators_path
from .render import _ERROR_RESERVED, _client_class_name
from .validate import validate_model
from .waiters import Waiter, load_waiters, waiters_path

BREAKING, COMPATIBLE, DOCUMENTATION = "breaking", "compatible", "documentation"
_RANK = {BREAKING: 0, COMPATIBLE: 1, DOCUMENTATION: 2}
_IN, _OUT = "input", "output"
MODEL_FILES = ("service-2.json", "service-2.json.gz")
_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")  # botocore's data/<service>/<api version>/
# Shape types whose values the generated validation bounds, and what it bounds.
_MEASURE = {"string": "length", "blob": "length", "list": "item count", "map": "entry count",
            "integer": "value", "long": "value", "float": "value", "double": "value"}


@dataclass(frozen=True)
class Change:
    service: str
    kind: str  # e.g. "operation-removed", "member-required"
    path: str  # where in the model: "operations/PutItem/input/members/Expected", "shapes/TableName/max"
    category: str  # BREAKING, COMPATIBLE or DOCUMENTATION
    detail: str  # what a caller sees, in Python names

    @property
    def breaking(self) -> bool:
        return self.category == BREAKING

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "kind": self.kind, "path": self.path, "breaking": self.breaking,
                "category": self.category, "detail": self.detail}


@dataclass(frozen=True)
class Api:
    """One service's generated public API, read off its intermediate model."""

    service: Service
    paginators: dict[str, Paginator]  # by paginate_ method
    waiters: dict[str, Waiter]  # by wait_until_ method
    inputs: frozenset[str]  # every shape an operation's input reaches: validated, built by callers
    outputs: frozenset[str]  # every shape an output or an error reaches: read by callers
    classes: dict[str, Shape]  # class name in ``shapes`` -> structure, union or enum
    exceptions: dict[str, Shape]  # class name in ``errors`` -> exception shape
    codegen: Codegen = field(compare=False)

    @classmethod
    def of(cls, service: Service, paginators: Iterable[Paginator] = (), waiters: Iterable[Waiter] = ()) -> Api:
        shapes = service.shapes
        ops = {o.name: o for o in service.operations}
        # As render.PackageView: every exception shape is a class, listed or not.
        errors = {e for o in service.operations for e in o.errors} | {n for n, s in shapes.items() if s.exception}
        inputs = _reach(shapes, [o.input for o in service.operations if o.input])
        outputs = _reach(shapes, [o.output for o in service.operations if o.output] + sorted(errors))
        exceptions = {shapes[n].class_name: shapes[n] for n in errors if shapes[n].is_structure}
        classes = {
            s.class_name: s for s in map(shapes.__getitem__, inputs | outputs)
            if (s.is_structure or s.is_enum) and s.name not in errors
        }
        return cls(
            service=service,
            paginators={"paginate_" + ops[p.operation].py_name: p for p in paginators},
            waiters={w.method: w for w in waiters},
            inputs=inputs, outputs=outputs, classes=classes, exceptions=exceptions, codegen=Codegen(service),
        )

    def directions(self, shape: str | None) -> frozenset[str]:
        return frozenset(d for d, side in ((_IN, self.inputs), (_OUT, self.outputs)) if shape in side)

    def annotation(self, m: Member, direction: str) -> str:
        """The member's type as the generated code writes it, without ``| None`` for optional."""
        if m.jsonvalue and m.location == "header":
            return "_t.Any"
        return self.codegen.annotation(m.target, "", m, streaming_io=direction == _IN)


def _reach(shapes: dict[str, Shape], roots: Iterable[str]) -> frozenset[str]:
    """Every shape reachable from ``roots`` through members, list items, map keys and values."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        s = shapes[name]
        stack += [m.target for m in s.members] + [e.target for e in (s.member, s.key, s.value) if e is not None]
    return frozenset(seen)


# ----- reading the two sides ------------------------------------------------------------
def load_api(model: Path) -> Api:
    """The API of the model file ``model``, with the paginators and waiters beside it
    and its service's customizations, as ``generate`` would build it. Raises ModelError."""
    raw = load_document(model)
    label = str(model)
    problems = validate_model(raw, label)
    if problems:
        raise ModelError(problems)
    service = build_service(raw, label, customizations=load_customizations(service_name_for_model(model)))
    paginators: list[Paginator] = []
    waiters: list[Waiter] = []
    found = paginators_path(model)
    if found is not None:
        paginators, problems = load_paginators(found, service)
    found = waiters_path(model)
    if found is not None:
        waiters, more = load_waiters(found, service)
        problems = problems + more
    if problems:
        raise ModelError(problems)
    return Api.of(service, paginators, waiters)


def _service_model(folder: Path) -> Path | None:
    """A service folder's model: its own, or its newest API version's (botocore's
    ``data/<service>/<version>/`` layout)."""
    for name in MODEL_FILES:
        if (folder / name).is_file():
            return folder / name
    for version in sorted((p for p in folder.iterdir() if _API_VERSION.fullmatch(p.name)), reverse=True):
        for name in MODEL_FILES:
            if (version / name).is_file():
                return version / name
    return None


def model_files(path: Path) -> tuple[dict[str, Path], bool]:
    """(service -> model file, whether ``path`` names a single service): ``path`` is a
    model file, a service folder, or a folder of service folders."""
    if path.is_file():
        return {service_name_for_model(path): path}, True
    if not path.is_dir():
        raise ModelError([f"{path}: no such file or folder"])
    own = _service_model(path)
    if own is not None:
        return {service_name_for_model(own): own}, True
    found = {child.name: m for child in sorted(p for p in path.iterdir() if p.is_dir())
             if (m := _service_model(child)) is not None}
    if not found:
        raise ModelError([f"{path}: no {MODEL_FILES[0]} in this folder nor in its folders: give a model file, "
                          "a service folder or a folder of service folders"])
    return found, False


R = TypeVar("R")


def _both(read: Callable[[Path], R], old: Path, new: Path) -> tuple[R, R]:
    """``read`` of each side; the problems of both sides in one ModelError."""
    found: list[R] = []
    problems: list[str] = []
    for path in (old, new):
        try:
            found.append(read(path))
        except ModelError as exc:
            problems += exc.problems
    if problems:
        raise ModelError(problems)
    return found[0], found[1]


def pairs(old: Path, new: Path) -> list[tuple[str, Path | None, Path | None]]:
    """(service, OLD's model, NEW's model) for each service on either side."""
    (olds, old_single), (news, new_single) = _both(model_files, old, new)
    if old_single and new_single:
        (name, new_model), = news.items()
        return [(name, next(iter(olds.values())), new_model)]
    if old_single != new_single:
        single, tree = (old, new) if old_single else (new, old)
        raise ModelError([f"{single}: one service, but {tree} is a folder of "
                          f"{len(news if old_single else olds)}: give two of the same kind"])
    return [(n, olds.get(n), news.get(n)) for n in sorted(olds.keys() | news.keys())]


def _companions(model: Path) -> list[bytes]:
    """The bytes of everything the API is built from: the model, paginators, waiters."""
    pages = paginators_path(model)
    extras = pages.with_name("paginators-1.sdk-extras.json") if pages is not None else None
    files = [model, pages, waiters_path(model), extras if extras is not None and extras.exists() else None]
    return [p.read_bytes() if p is not None else b"" for p in files]


def diff_pair(service: str, old: Path | None, new: Path | None) -> tuple[list[Change], list[str]]:
    """(changes, problems) for one service's two model files (None: absent on that side)."""
    if old is None or new is None:
        kind, category, what = ("service-added", COMPATIBLE, "new") if old is None else (
            "service-removed", BREAKING, "removed")
        return [Change(service, kind, "", category, f"service {service}: package {what}")], []
    try:
        if _companions(old) == _companions(new):
            return [], []
    except OSError:
        pass  # load_api names the file that cannot be read
    try:
        return diff_apis(service, *_both(load_api, old, new)), []
    except ModelError as exc:
        return [], exc.problems


def _diff_job(job: tuple[str, Path | None, Path | None]) -> tuple[list[Change], list[str]]:
    return diff_pair(*job)


def diff_paths(old: Path, new: Path, only: list[str] | None = None,
               jobs: int | None = None) -> tuple[list[Change], list[str], int]:
    """Every change between two model sets, the problems of the models that could not
    be read (the others are still compared) and the count of services compared.
    Raises ModelError for a bad path."""
    todo = [p for p in pairs(old, new) if not only or p[0] in only]
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers > 1 and len(todo) > 4:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_diff_job, todo, chunksize=4))
    else:
        results = [_diff_job(job) for job in todo]
    changes = [c for found, _ in results for c in found]
    return sorted(changes, key=_order), [p for _, problems in results for p in problems], len(todo)


def _order(c: Change) -> tuple[str, int, str, str]:
    return (c.service, _RANK[c.category], c.path, c.kind)


# ----- comparing two APIs ---------------------------------------------------------------
T = TypeVar("T")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _match(old: dict[str, T], new: dict[str, T], model_name: Callable[[T], str]
           ) -> tuple[list[tuple[T, T]], list[tuple[T, T]], list[T], list[T]]:
    """(pairs under the same key, renamed pairs, removed, added). Keys are what callers
    see (Python names); a removed and an added item whose model names are the same but
    for case and separators (and no other removed or added item's is) are one item renamed."""
    same = [(old[k], new[k]) for k in sorted(old.keys() & new.keys())]
    removed = [old[k] for k in sorted(old.keys() - new.keys())]
    added = [new[k] for k in sorted(new.keys() - old.keys())]
    by_norm: dict[str, list[list[T]]] = {}
    for side, items in enumerate((removed, added)):
        for item in items:
            by_norm.setdefault(_norm(model_name(item)), [[], []])[side].append(item)
    renamed = [(gone[0], came[0]) for gone, came in by_norm.values() if len(gone) == len(came) == 1]
    paired = {id(x) for pair in renamed for x in pair}
    return (same, renamed, [x for x in removed if id(x) not in paired],
            [x for x in added if id(x) not in paired])


def _seg(text: str) -> str:
    """A JSON-pointer path segment (enum values hold '/': "application/json")."""
    return text.replace("~", "~0").replace("/", "~1")


def _split(text: str, sep: str) -> list[str]:
    """``text`` cut at ``sep`` outside brackets."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += (c == "[") - (c == "]")
        if c == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return parts + [text[start:].strip()]


def _accepts(wide: str, narrow: str) -> bool:
    """Every value of the annotation ``narrow`` is a value of ``wide``."""
    def one(w: str, n: str) -> bool:
        if w == n or w == "_t.Any" or (n, w) == ("int", "float"):
            return True
        wh, _, wa = w.partition("[")
        nh, _, na = n.partition("[")
        if not (wa and na and wh == nh):
            return False
        wargs, nargs = _split(wa[:-1], ","), _split(na[:-1], ",")
        return len(wargs) == len(nargs) and all(map(_accepts, wargs, nargs))

    return all(any(one(w, n) for w in _split(wide, "|")) for n in _split(narrow, "|"))


@dataclass(frozen=True)
class _Limits:
    """What the generated validation checks of one shape's values."""

    measure: str
    min: float | None
    max: float | None
    enum: frozenset[str] | None


def _limits_of(shape: Shape) -> _Limits | None:
    measure = _MEASURE.get(shape.type)
    if measure is None or shape.streaming:
        return None
    return _Limits(measure, shape.min, shape.max, frozenset(shape.enum) if shape.enum else None)


def _fmt(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _limit_changes(old: _Limits | None, new: _Limits | None, enums: bool) -> list[tuple[bool, str, str]]:
    """(tightened?, bound, what) per bound that changed ("min", "max", "enum"); with
    ``enums``, the allowed values too (else only whether values are checked at all)."""
    if old is None or new is None or old.measure != new.measure:
        return []
    out: list[tuple[bool, str, str]] = []
    inf = float("inf")
    floor = -inf if new.measure == "value" else 0  # a length or count below 0 is no bound
    lo_old, lo_new = max(old.min if old.min is not None else floor, floor), max(
        new.min if new.min is not None else floor, floor)
    hi_old, hi_new = old.max if old.max is not None else inf, new.max if new.max is not None else inf
    if lo_old != lo_new:
        out.append((lo_new > lo_old, "min", f"{new.measure} min {_fmt(old.min)} -> {_fmt(new.min)}"))
    if hi_old != hi_new:
        out.append((hi_new < hi_old, "max", f"{new.measure} max {_fmt(old.max)} -> {_fmt(new.max)}"))
    if (old.enum is None) != (new.enum is None):
        out.append((new.enum is not None, "enum", "now checked against the enum's values" if new.enum is not None
                    else "no longer checked against an enum's values"))
    elif enums and old.enum is not None and new.enum is not None and old.enum != new.enum:
        if old.enum - new.enum:
            out.append((True, "enum", "values no longer allowed: " + ", ".join(sorted(old.enum - new.enum))))
        if new.enum - old.enum:
            out.append((False, "enum", "values now allowed: " + ", ".join(sorted(new.enum - old.enum))))
    return out


def _element_limits(api: Api, name: str, where: str = "", seen: frozenset[str] = frozenset()
                     ) -> dict[str, _Limits]:
    """The limits of a member's target and of its list items and map keys and values
    ("", "[]", "{key}", "{value}", "[][]" ...), down to the first structure."""
    shape = api.service.shapes[name]
    out: dict[str, _Limits] = {}
    own = _limits_of(shape)
    if own is not None:
        out[where] = own
    if name in seen:
        return out
    for suffix, element in (("[]", shape.member), ("{key}", shape.key), ("{value}", shape.value)):
        if element is not None:
            out.update(_element_limits(api, element.target, where + suffix, seen | {name}))
    return out


def _enum_constants(shape: Shape) -> dict[str, str]:
    """value -> constant name, as shapes.py names them (render.PackageView.enum_constants)."""
    taken = {"values", "is_known"}
    out: dict[str, str] = {}
    for value in shape.enum:
        name = constant_name(value)
        while name in taken:
            name += "_"
        taken.add(name)
        out[value] = name
    return out


def _class_kind(shape: Shape) -> str:
    return "enum" if shape.is_enum else shape.type


def _error_attr(m: Member) -> str:
    return m.py_name + "_" if m.py_name in _ERROR_RESERVED else m.py_name


class _Differ:
    """The changes from one API to another, in the order found."""

    def __init__(self, service: str, old: Api, new: Api) -> None:
        self.service, self.old, self.new = service, old, new
        self.changes: list[Change] = []
        old_ops = {o.name: o for o in old.service.operations}
        # Input and output shapes of operations kept under one name: their members are
        # reported as the operation's arguments and result fields, not again as classes.
        self.covered = {
            name for n in new.service.operations if (o := old_ops.get(n.name)) is not None
            for name in ((o.input,) if o.input == n.input else ()) + ((o.output,) if o.output == n.output else ())
        }

    def add(self, kind: str, path: str, category: str, detail: str) -> None:
        self.changes.append(Change(self.service, kind, path, category, detail))

    def text(self, path: str, what: str, old: str, new: str, old_deprecated: bool = False,
             new_deprecated: bool = False) -> None:
        if old != new:
            self.add("documentation-changed", path, DOCUMENTATION, f"{what}: documentation edited")
        if old_deprecated != new_deprecated:
            self.add("deprecation-changed", path, DOCUMENTATION,
                     f"{what}: {'now' if new_deprecated else 'no longer'} marked deprecated in the model")

    def run(self) -> list[Change]:
        o, n = self.old.service, self.new.service
        old_client, new_client = _client_class_name(o.service_id), _client_class_name(n.service_id)
        if old_client != new_client:
            self.add("client-renamed", "metadata/serviceId", BREAKING,
                     f"class {old_client} is now {new_client} (Client stays)")
        if o.protocol != n.protocol:
            self.add("protocol-changed", "metadata/protocols", COMPATIBLE, f"{o.protocol} -> {n.protocol}")
        self.text("documentation", "the service", o.documentation, n.documentation)
        self.operations()
        self.classes()
        self.exceptions()
        self.constraints()
        self.paginators()
        self.waiters()
        return self.changes

    # ----- operations --------------------------------------------------------------------
    def operations(self) -> None:
        olds = {op.py_name: op for op in self.old.service.operations}
        news = {op.py_name: op for op in self.new.service.operations}
        same, renamed, removed, added = _match(olds, news, lambda op: op.name)
        for op in removed:
            self.add("operation-removed", f"operations/{op.name}", BREAKING, f"method {op.py_name}() removed")
        for op in added:
            self.add("operation-added", f"operations/{op.name}", COMPATIBLE, f"new method {op.py_name}()")
        for o, n in renamed:
            self.add("operation-renamed", f"operations/{n.name}", BREAKING,
                     f"method {o.py_name}() is now {n.py_name}() (model: {o.name} -> {n.name})")
        for o, n in same:
            if o.name != n.name:
                self.add("operation-wire-name-changed", f"operations/{n.name}", COMPATIBLE,
                         f"{n.py_name}() now calls {n.name} (was {o.name})")
        for o, n in same + renamed:
            self.operation(o, n)

    def operation(self, o: Operation, n: Operation) -> None:
        path, method = f"operations/{n.name}", f"{n.py_name}()"
        old_out = self.old.service.shapes[o.output].class_name if o.output else None
        new_out = self.new.service.shapes[n.output].class_name if n.output else None
        if old_out != new_out:
            self.add("operation-output-changed", path + "/output", BREAKING if old_out else COMPATIBLE,
                     f"{method} returns {new_out or 'None'} (was {old_out or 'None'})")
        for side, old_name, new_name, owner in (("input", o.input, n.input, f"{method} argument"),
                                                 ("output", o.output, n.output, f"{method} result field")):
            self.members(f"{path}/{side}", self._shape(self.old, old_name), self._shape(self.new, new_name),
                         self.old.directions(old_name) | self.new.directions(new_name), owner)
        old_errors = {self.old.service.shapes[e].class_name: e for e in o.errors}
        new_errors = {self.new.service.shapes[e].class_name: e for e in n.errors}
        for cls in sorted(old_errors.keys() - new_errors.keys()):
            self.add("operation-error-removed", f"{path}/errors/{old_errors[cls]}", COMPATIBLE,
                     f"{method} no longer lists errors.{cls}")
        for cls in sorted(new_errors.keys() - old_errors.keys()):
            self.add("operation-error-added", f"{path}/errors/{new_errors[cls]}", COMPATIBLE,
                     f"{method} may raise errors.{cls}")
        self.text(path, f"method {method}", o.documentation, n.documentation, o.deprecated, n.deprecated)

    @staticmethod
    def _shape(api: Api, name: str | None) -> Shape | None:
        return api.service.shapes[name] if name else None

    # ----- members -----------------------------------------------------------------------
    def members(self, path: str, old: Shape | None, new: Shape | None, directions: frozenset[str], owner: str,
                attr: Callable[[Member], str] = lambda m: m.py_name) -> None:
        olds = {attr(m): m for m in (old.members if old else ())}
        news = {attr(m): m for m in (new.members if new else ())}
        same, renamed, removed, added = _match(olds, news, lambda m: m.name)
        for m in removed:
            self.add("member-removed", f"{path}/members/{m.name}", BREAKING, f"{owner} {attr(m)} removed")
        for m in added:
            required = _IN in directions and self._required(m, _IN)
            self.add("member-added", f"{path}/members/{m.name}", BREAKING if required else COMPATIBLE,
                     f"{owner} {attr(m)} added" + (", required" if required else ""))
        for o, n in renamed:
            self.add("member-renamed", f"{path}/members/{n.name}", BREAKING,
                     f"{owner} {attr(o)} is now {attr(n)} (model: {o.name} -> {n.name})")
        for o, n in same + renamed:
            self.member(f"{path}/members/{n.name}", o, n, directions, f"{owner} {attr(n)}", (o, n) in renamed)

    @staticmethod
    def _required(m: Member, direction: str) -> bool:
        """Required of the caller (input: idempotency tokens are filled in) or promised (output)."""
        return m.required and not (direction == _IN and m.idempotency_token)

    def member(self, path: str, o: Member, n: Member, directions: frozenset[str], label: str,
               renamed: bool) -> None:
        if o.wire_name != n.wire_name and not renamed:
            self.add("member-wire-name-changed", path, COMPATIBLE, f"{label} is sent and read as "
                     f"{n.wire_name or '(every header)'} (was {o.wire_name or '(every header)'})")
        became = {d: self._required(n, d) for d in directions if self._required(o, d) != self._required(n, d)}
        if any(became.values()):
            self.add("member-required", path, BREAKING if became.get(_IN) else COMPATIBLE, f"{label} is now required")
        if became and not all(became.values()):
            self.add("member-optional", path, BREAKING if became.get(_OUT) is False else COMPATIBLE,
                     f"{label} is now optional" + (" (may be None)" if _OUT in became else ""))
        types = [(d, self.old.annotation(o, d), self.new.annotation(n, d)) for d in sorted(directions)]
        changed = [(d, a, b) for d, a, b in types if a != b]
        if changed:
            breaking = any(not (_accepts(b, a) if d == _IN else _accepts(a, b)) for d, a, b in changed)
            _, a, b = changed[0]
            self.add("member-type-changed", path, BREAKING if breaking else COMPATIBLE, f"{label}: {a} -> {b}")
        if _IN in directions and o.target != n.target:
            # Another target shape: its bounds (and its items') are this member's now.
            old_limits = _element_limits(self.old, o.target)
            new_limits = _element_limits(self.new, n.target)
            for where in sorted(old_limits.keys() & new_limits.keys()):
                for tightened, _, what in _limit_changes(old_limits[where], new_limits[where], enums=True):
                    self.constraint(path, tightened, f"{label}{where}: {what}")
        self.text(path, label, o.documentation, n.documentation, o.deprecated, n.deprecated)

    def constraint(self, path: str, tightened: bool, detail: str) -> None:
        if tightened:
            self.add("constraint-tightened", path, BREAKING, detail)
        else:
            self.add("constraint-loosened", path, COMPATIBLE, detail)

    # ----- classes ---------------------------------------------------------------------
    def classes(self) -> None:
        same, renamed, removed, added = _match(self.old.classes, self.new.classes, lambda s: s.name)
        for s in removed:
            unused = " (the model keeps the shape; no operation uses it)" if s.name in self.new.service.shapes else ""
            self.add("shape-removed", f"shapes/{s.name}", BREAKING,
                     f"{_class_kind(s)} shapes.{s.class_name} removed{unused}")
        for s in added:
            unused = " (the model had the shape; no operation used it)" if s.name in self.old.service.shapes else ""
            self.add("shape-added", f"shapes/{s.name}", COMPATIBLE, f"new {_class_kind(s)} shapes.{s.class_name}{unused}")
        for o, n in renamed:
            self.add("shape-renamed", f"shapes/{n.name}", BREAKING,
                     f"shapes.{o.class_name} is now shapes.{n.class_name}")
        for o, n in same + renamed:
            path, label = f"shapes/{n.name}", f"shapes.{n.class_name}"
            if _class_kind(o) != _class_kind(n):
                self.add("shape-kind-changed", path, BREAKING,
                         f"{label} is now a {_class_kind(n)} (was a {_class_kind(o)})")
            elif n.is_enum:
                self.enum_values(path, label, o, n)
            elif not (o.name == n.name and n.name in self.covered):
                self.members(path, o, n, self.old.directions(o.name) | self.new.directions(n.name), f"{label} field")
            self.text(path, label, o.documentation, n.documentation)

    def enum_values(self, path: str, label: str, o: Shape, n: Shape) -> None:
        olds, news = _enum_constants(o), _enum_constants(n)
        for value in [v for v in o.enum if v not in news]:
            self.add("enum-value-removed", f"{path}/enum/{_seg(value)}", BREAKING,
                     f"{label}.{olds[value]} ({value!r}) removed")
        for value in [v for v in n.enum if v not in olds]:
            self.add("enum-value-added", f"{path}/enum/{_seg(value)}", COMPATIBLE,
                     f"new {label}.{news[value]} ({value!r})")
        for value in [v for v in n.enum if v in olds and olds[v] != news[v]]:
            self.add("enum-constant-renamed", f"{path}/enum/{_seg(value)}", BREAKING,
                     f"{label}.{olds[value]} is now {label}.{news[value]} ({value!r})")

    def exceptions(self) -> None:
        same, renamed, removed, added = _match(self.old.exceptions, self.new.exceptions, lambda s: s.name)
        for s in removed:
            self.add("error-removed", f"shapes/{s.name}", BREAKING, f"errors.{s.class_name} removed")
        for s in added:
            self.add("error-added", f"shapes/{s.name}", COMPATIBLE, f"new errors.{s.class_name}")
        for o, n in renamed:
            self.add("error-renamed", f"shapes/{n.name}", BREAKING, f"errors.{o.class_name} is now errors.{n.class_name}")
        for o, n in same + renamed:
            path, label = f"shapes/{n.name}", f"errors.{n.class_name}"
            if (o.error_code or o.name) != (n.error_code or n.name):
                self.add("error-code-changed", path + "/error/code", COMPATIBLE,
                         f"{label} is raised for code {n.error_code or n.name!r} (was {o.error_code or o.name!r})")
            self.members(path, o, n, frozenset({_OUT}), f"{label} attribute", _error_attr)
            self.text(path, label, o.documentation, n.documentation)

    def constraints(self) -> None:
        """Bounds of shapes validated on both sides (by name; members whose target
        changes are compared in ``member``)."""
        olds, news = self.old.service.shapes, self.new.service.shapes
        for name in sorted(self.old.inputs & self.new.inputs):
            for tightened, bound, what in _limit_changes(_limits_of(olds[name]), _limits_of(news[name]), False):
                self.constraint(f"shapes/{name}/{bound}", tightened, f"shape {name} (input): {what}")

    # ----- paginators and waiters --------------------------------------------------------
    def methods(self, kind: str, olds: dict[str, Any], news: dict[str, Any], path: Callable[[Any], str]) -> list[str]:
        """Reports the ``paginate_`` or ``wait_until_`` methods removed and added; returns
        those on both sides."""
        for method in sorted(olds.keys() - news.keys()):
            self.add(f"{kind}-removed", path(olds[method]), BREAKING, f"{method}() removed")
        for method in sorted(news.keys() - olds.keys()):
            self.add(f"{kind}-added", path(news[method]), COMPATIBLE, f"new {method}()")
        return sorted(olds.keys() & news.keys())

    def paginators(self) -> None:
        olds, news = self.old.paginators, self.new.paginators
        for method in self.methods("paginator", olds, news, lambda p: f"pagination/{p.operation}"):
            o, n = olds[method], news[method]
            # items() yields the primary result key's items; the others only shape pages.
            yields = [p.result_keys[0].steps for p in (o, n)]
            items = [self._item(api, p) for api, p in ((self.old, o), (self.new, n))]
            dropped = [self._dropped(api, p) for api, p in ((self.old, o), (self.new, n))]
            lost = sorted(dropped[1] - dropped[0])
            spec = [(p.input_tokens, p.limit_member, tuple(tuple(a.steps for a in t) for t in p.output_tokens),
                     p.more_results.steps if p.more_results else None, tuple(k.steps for k in p.non_aggregate_keys),
                     tuple(r.steps for r in p.result_keys)) for p in (o, n)]
            if yields[0] != yields[1] or items[0] != items[1]:
                self.add("paginator-changed", f"pagination/{n.operation}", BREAKING,
                         f"{method}().items() yields {items[1]} from {'.'.join(map(str, yields[1]))} "
                         f"(was {items[0]} from {'.'.join(map(str, yields[0]))})")
            elif lost or (o.limit_member and not n.limit_member):
                self.add("paginator-changed", f"pagination/{n.operation}", BREAKING,
                         f"{method}() no longer takes " + ", ".join(lost or ["page_size"]))
            elif spec[0] != spec[1]:
                self.add("paginator-changed", f"pagination/{n.operation}", COMPATIBLE,
                         f"{method}(): page tokens, limit or secondary result keys changed")

    @staticmethod
    def _item(api: Api, p: Paginator) -> str:
        primary = p.result_keys[0].shape
        if primary is None or primary.type != "list" or primary.member is None:
            return "_t.Any"
        return api.codegen.annotation(primary.member.target, "")

    @staticmethod
    def _dropped(api: Api, p: Paginator) -> set[str]:
        """The operation's optional arguments the paginate_ method does not take."""
        op = next(o for o in api.service.operations if o.name == p.operation)
        members = api.service.shapes[op.input].members if op.input else ()
        optional = {m.py_name for m in members if not _Differ._required(m, _IN)}
        return optional & (set(p.input_tokens) | {p.limit_member})

    def waiters(self) -> None:
        olds, news = self.old.waiters, self.new.waiters
        ops = [{o.name: o.py_name for o in api.service.operations} for api in (self.old, self.new)]
        for method in self.methods("waiter", olds, news, lambda w: f"waiters/{w.name}"):
            o, n = olds[method], news[method]
            if _norm(o.operation) != _norm(n.operation):  # not the same operation renamed
                self.add("waiter-changed", f"waiters/{n.name}", BREAKING,
                         f"{method}() polls {ops[1][n.operation]}() (was {ops[0][o.operation]}()): its arguments change")
            elif (o.delay, o.max_attempts, o.acceptors) != (n.delay, n.max_attempts, n.acceptors):
                self.add("waiter-changed", f"waiters/{n.name}", COMPATIBLE,
                         f"{method}(): delay, attempts or acceptors changed")


def diff_apis(service: str, old: Api, new: Api) -> list[Change]:
    """Every change from ``old`` to ``new``, ordered by category and path."""
    return sorted(_Differ(service, old, new).run(), key=_order)


# ----- output -----------------------------------------------------------------------------
def format_text(changes: list[Change], compared: int) -> str:
    """Per service: breaking changes, then compatible ones, then the count of
    documentation-only ones; a total line last."""
    lines: list[str] = []
    by_service: dict[str, list[Change]] = {}
    for c in changes:
        by_service.setdefault(c.service, []).append(c)
    totals: Counter[str] = Counter(c.category for c in changes)
    for service, found in by_service.items():
        count = Counter(c.category for c in found)
        lines.append(f"{service}: {count[BREAKING]} breaking, {count[COMPATIBLE]} compatible, "
                     f"{count[DOCUMENTATION]} documentation-only")
        for category in (BREAKING, COMPATIBLE):
            listed = [c for c in found if c.category == category]
            if listed:
                lines.append(f"  {category}:")
                width = max(len(c.kind) for c in listed)
                lines += [f"    {c.kind:<{width}}  {c.path or '(service)'}: {c.detail}" for c in listed]
        if count[DOCUMENTATION]:
            lines.append(f"  documentation-only: {count[DOCUMENTATION]} (--json lists them)")
        lines.append("")
    lines.append(f"{len(by_service)} of {compared} service(s) changed: {totals[BREAKING]} breaking, "
                 f"{totals[COMPATIBLE]} compatible, {totals[DOCUMENTATION]} documentation-only")
    return "\n".join(lines) + "\n"


def botocore_data(versions: list[str]) -> list[Path]:
    """The data folders of botocore releases, from their sdists in the project's cache
    (generator/botocore_source.py: each downloaded once). Versions are checked first."""
    from .botocore_source import data_dir

    bad = [v for v in versions if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", v)]
    if bad:
        raise ModelError([f"botocore=={v}: not a release number (such as 1.43.67)" for v in bad])
    found = []
    for version in versions:
        try:
            found.append(data_dir(version))
        except (subprocess.CalledProcessError, OSError) as exc:
            raise ModelError([f"botocore=={version}: cannot download its source distribution: {exc}"]) from exc
    return found


def run(old: str | None, new: str | None, *, botocore: list[str] | None = None, as_json: bool = False,
        only: list[str] | None = None, jobs: int | None = None) -> int:
    """The ``diff`` command: prints the changes; returns the exit status."""
    try:
        if botocore:
            old_path, new_path = botocore_data(botocore)
        else:
            assert old is not None and new is not None
            old_path, new_path = Path(old), Path(new)
        changes, problems, compared = diff_paths(old_path, new_path, only, jobs)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if as_json:
        json.dump([c.as_dict() for c in changes], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(changes, compared))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 2
    return 1 if any(c.breaking for c in changes) else 0
