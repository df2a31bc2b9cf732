"""Between the suites' plain values and a generated package's typed values.

The suites write values keyed by member names, timestamps as epoch numbers, blobs as
text and special floats as strings. Walking the raw suite shapes turns them into the
keyword arguments of a generated method (and a parsed result back into the suite's
form), so that each case goes through the package's public API.
"""

from __future__ import annotations

import datetime as dt
import math
from types import ModuleType
from typing import Any

from generator.model.naming import class_name, python_name
from generator.render import _ERROR_RESERVED

UTC = dt.timezone.utc
_SPECIAL = {"NaN", "Infinity", "-Infinity"}


class Converter:
    def __init__(self, shapes: dict[str, Any], package: ModuleType) -> None:
        self.shapes = shapes
        self.package = package

    # ----- suite value -> Python argument ------------------------------------------
    def kwargs(self, input_shape: str | None, params: dict[str, Any]) -> dict[str, Any]:
        if input_shape is None:
            return {}
        members = self.shapes[input_shape]["members"]
        return {python_name(k): self.to_py(members[k]["shape"], v) for k, v in params.items()}

    def to_py(self, shape_name: str, value: Any) -> Any:
        if value is None:
            return None
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if shape.get("document"):
                return value
            cls = getattr(self.package.shapes, class_name(shape_name))
            members = shape["members"]
            return cls(**{python_name(k): self.to_py(members[k]["shape"], v) for k, v in value.items()})
        if t == "list":
            return [self.to_py(shape["member"]["shape"], v) for v in value]
        if t == "map":
            return {k: self.to_py(shape["value"]["shape"], v) for k, v in value.items()}
        if t == "timestamp":
            if isinstance(value, (int, float)):
                return dt.datetime.fromtimestamp(value, tz=UTC)
            return value
        if t == "blob":
            return value.encode("utf-8") if isinstance(value, str) else value
        if t in ("float", "double") and isinstance(value, str) and value in _SPECIAL:
            return float(value)
        return value

    def required_dummies(self, input_shape: str | None) -> dict[str, Any]:
        """Arguments for an output case: a placeholder for every required member."""
        if input_shape is None:
            return {}
        shape = self.shapes[input_shape]
        out = {}
        for name in shape.get("required", ()):
            out[python_name(name)] = self._dummy(shape["members"][name]["shape"])
        return out

    def _dummy(self, shape_name: str) -> Any:
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if shape.get("document"):
                return {}
            cls = getattr(self.package.shapes, class_name(shape_name))
            return cls(**self.required_dummies(shape_name))
        return {
            "string": (shape.get("enum") or ["x"])[0], "character": "x", "integer": 1, "long": 1,
            "float": 1.0, "double": 1.0, "boolean": True, "blob": b"x",
            "timestamp": dt.datetime(2000, 1, 1, tzinfo=UTC), "list": [], "map": {},
        }[t]

    # ----- parsed Python value -> suite value --------------------------------------
    def from_py(self, shape_name: str, value: Any) -> Any:
        if value is None:
            return None
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if shape.get("document"):
                return value
            if shape.get("eventstream"):  # botocore's form: the events, one member set in each
                return [self.struct_dict(shape_name, event) for event in value]
            return self.struct_dict(shape_name, value)
        if t == "list":
            return [self.from_py(shape["member"]["shape"], v) for v in value]
        if t == "map":
            return {k: self.from_py(shape["value"]["shape"], v) for k, v in value.items()}
        if t == "timestamp":
            return value.timestamp()
        if t == "blob":
            if hasattr(value, "read"):
                value = value.read()
            return value.decode("utf-8")
        if t in ("float", "double") and isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        if t in ("string", "character") and isinstance(value, str):
            return str.__str__(value)  # an open enum's value as a plain str
        return value

    def struct_dict(self, shape_name: str, obj: Any, error: bool = False) -> dict[str, Any]:
        out = {}
        for name, member in self.shapes[shape_name]["members"].items():
            attr = python_name(name)
            if error and attr in _ERROR_RESERVED:
                attr += "_"
            value = getattr(obj, attr, None)
            if error and attr == "message" and value == "":
                value = None  # the generic message of an error whose body has none
            if value is not None:
                out[name] = self.from_py(member["shape"], value)
        unknown = getattr(obj, "sdk_unknown_member", None)
        if unknown is not None:  # botocore's form of a variant the model does not know
            out["SDK_UNKNOWN_MEMBER"] = {"name": unknown}
        return out
