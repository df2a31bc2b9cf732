"""Example calls for the API reference.

Each operation is called with its required parameters, each given a placeholder of its
type that the generated validation accepts: strings and bytes sized to their length
bounds, numbers inside their ranges, an enum's first value through its class, lists and
maps with as many entries as their minimum asks (one at least), structures built with
their own required members, a union with its first member. A structure met again inside
itself is built empty. The code is formatted by black with the generator's settings.
"""

from __future__ import annotations

import math

from .format import format_python
from .literals import pylit
from .model.ir import Member, Service, Shape

_TIMESTAMP = "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)"


def _count(shape: Shape) -> int:
    """How many items a list or map placeholder gets: its minimum, at least one, at most its maximum."""
    n = max(1, math.ceil(shape.min or 0))
    return n if shape.max is None else min(n, int(shape.max))


def _number(shape: Shape, value: float) -> float:
    if shape.min is not None and value < shape.min:
        value = shape.min
    if shape.max is not None and value > shape.max:
        value = shape.max
    return value


def _text(shape: Shape, base: str) -> str:
    if shape.max is not None and len(base) > shape.max:
        base = base[: int(shape.max)]
    if shape.min is not None and len(base) < shape.min:
        base += "x" * (math.ceil(shape.min) - len(base))
    return base


class ExampleWriter:
    """Placeholder arguments and whole example calls for one package."""

    def __init__(self, service: Service, package: str, required: dict[str, dict[str, bool]],
                 enum_constants: dict[str, list[tuple[str, str]]]) -> None:
        self.shapes = service.shapes
        self.package = package
        self.required = required  # PackageView.required_init(): structure -> member -> required in __init__
        self.enum_constants = enum_constants
        self.uses: set[str] = set()  # "shapes", "datetime"

    def value(self, m: Member, stack: tuple[str, ...] = (), key_index: int = 0) -> str:
        """A Python expression for member ``m`` that passes its checks."""
        shape = self.shapes[m.target]
        t = shape.type
        if (m.jsonvalue and m.location == "header") or t == "document":
            return "{}"
        if shape.event_stream:
            return "..."
        if t == "string" and shape.enum:
            consts = self.enum_constants.get(shape.name)
            if consts:
                self.uses.add("shapes")
                return f"shapes.{shape.class_name}.{consts[key_index % len(consts)][0]}"
            return pylit(shape.enum[key_index % len(shape.enum)])
        if t == "string":
            return pylit(_text(shape, "string" + (str(key_index) if key_index else "")))
        if t in ("integer", "long"):
            return pylit(int(_number(shape, 1)))
        if t in ("float", "double"):
            return pylit(float(_number(shape, 1.0)))
        if t == "boolean":
            return "True"
        if t == "blob":
            return "b" + pylit(_text(shape, "bytes"))
        if t == "timestamp":
            self.uses.add("datetime")
            return _TIMESTAMP
        if t == "list" and shape.member is not None:
            item = self.value(shape.member, stack)
            return "[" + ", ".join([item] * _count(shape)) + "]"
        if t == "map" and shape.key is not None and shape.value is not None:
            key, value = shape.key, shape.value
            pairs = [f"{self.value(key, stack, i)}: {self.value(value, stack)}" for i in range(_count(shape))]
            return "{" + ", ".join(pairs) + "}"
        return self.structure(shape, stack)

    def structure(self, shape: Shape, stack: tuple[str, ...]) -> str:
        self.uses.add("shapes")
        if shape.name in stack:
            return f"shapes.{shape.class_name}()"
        inner = stack + (shape.name,)
        if shape.type == "union":
            chosen = list(shape.members[:1])
        else:
            needed = self.required.get(shape.name, {})
            chosen = [m for m in shape.members if needed.get(m.name)]
        args = ", ".join(f"{m.py_name}={self.value(m, inner)}" for m in chosen)
        return f"shapes.{shape.class_name}({args})"

    def call(self, method: str, input_shape: str | None, params: list[dict[str, object]],
             has_output: bool) -> str:
        """A formatted example: imports, the client, the call with its required arguments."""
        self.uses = set()
        members = {m.py_name: m for m in self.shapes[input_shape].members} if input_shape else {}
        args = [f"{p['py_name']}={self.value(members[str(p['py_name'])])}" for p in params if p["required"]]
        lines = []
        if "datetime" in self.uses:
            lines += ["import datetime", ""]
        names = "Client, shapes" if "shapes" in self.uses else "Client"
        lines += [f"from {self.package} import {names}", "", 'client = Client(region="us-east-1")']
        call = f"client.{method}({', '.join(args)})"
        lines.append(f"response = {call}" if has_output else call)
        return format_python("\n".join(lines) + "\n", f"example of {method}")
