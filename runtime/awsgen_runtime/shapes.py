"""Bases of generated shape classes and enums.

Generated classes are plain classes with ``__slots__`` and an explicit ``__init__``
rather than ``@dataclass``: a dataclass is built by ``exec`` at import, which costs
about 0.25 ms a class, and the largest services have thousands of shapes.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Shape:
    """Equality, repr and dict conversion from the class's ``_fields``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _sensitive: ClassVar[frozenset[str]] = frozenset()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = []
        for f in self._fields:
            v = getattr(self, f)
            if v is None:
                continue
            parts.append(f"{f}='***'" if f in self._sensitive else f"{f}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The set fields as a dict of plain values (nested shapes converted too)."""
        return {f: _plain(getattr(self, f)) for f in self._fields if getattr(self, f) is not None}


class Union(Shape):
    """A union: at most one member set. A variant this model does not know (the service
    added it later) parses to no member set and its wire name in ``sdk_unknown_member``.
    """

    __slots__ = ("_sdk_unknown_member",)
    _sdk_unknown_member: str | None  # set only by parsers, when a variant is unknown

    @property
    def sdk_unknown_member(self) -> str | None:
        """The wire name of a variant the model does not know, as received; else None."""
        return getattr(self, "_sdk_unknown_member", None)

    def __eq__(self, other: object) -> bool:
        eq = Shape.__eq__(self, other)
        if eq is True and isinstance(other, Union):
            return self.sdk_unknown_member == other.sdk_unknown_member
        return eq

    __hash__ = None


def _plain(value: Any) -> Any:
    if isinstance(value, Shape):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class OpenEnum(str):
    """A string enum that is open: values the service adds later parse and are kept.

    Known values are class attributes (``ConnectionType.WEBSOCKET``); ``values()``
    lists them; any other string still makes an instance, so a new value from the
    service never breaks parsing.
    """

    __slots__ = ()
    _values: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def values(cls) -> frozenset[str]:
        """The values the model knows."""
        return cls._values

    @property
    def is_known(self) -> bool:
        """Whether the model this client was generated from knows this value."""
        return str.__str__(self) in self._values

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"
