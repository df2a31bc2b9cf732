"""Bases of generated shape classes and enums.

Generated classes are plain classes with ``__slots__`` and an explicit ``__init__``
rather than ``@dataclass``: a dataclass is built by ``exec`` at import, which costs
about 0.25 ms a class, and the largest services have thousands of shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from .errors import ResponseParseError

# What a response that breaks the model can make a parser raise (the client's list too).
PARSE_FAILURES: tuple[type[BaseException], ...] = (
    TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError, RecursionError,
)


class Shape:
    """Equality, repr and dict conversion from the class's ``_fields``.

    Lazily parsed members: a parser may leave a member's slot unset and record in
    ``_lazy`` the member's raw JSON value and the function that parses it (parsers do
    this for members holding a recursive shape, such as DynamoDB's items of
    ``AttributeValue``, whose typed trees are the bulk of a large answer). The first
    read of the member parses it, stores it in the slot (later reads are plain slot
    reads) and raises :class:`ResponseParseError` when the value breaks the model.
    """

    __slots__ = ("_lazy",)
    _fields: ClassVar[tuple[str, ...]] = ()
    _sensitive: ClassVar[frozenset[str]] = frozenset()
    _lazy: dict[str, tuple[Any, Any]]

    if not TYPE_CHECKING:  # hidden from type checkers: it would make every attribute valid

        def __getattr__(self, name: str) -> Any:
            # Called only when normal lookup fails: an unset slot or an unknown name.
            if name != "_lazy":
                try:
                    pending = self._lazy
                except AttributeError:
                    pending = None
                if pending is not None:
                    entry = pending.get(name)
                    if entry is not None:
                        raw, parse = entry
                        try:
                            value = parse(raw)
                        except PARSE_FAILURES as exc:
                            raise ResponseParseError(
                                f"{type(self).__name__}.{name}: the response could not be parsed: {exc}"
                            ) from exc
                        setattr(self, name, value)
                        pending.pop(name, None)
                        if not pending:
                            try:
                                del self._lazy
                            except AttributeError:  # another thread was first
                                pass
                        return value
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

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
