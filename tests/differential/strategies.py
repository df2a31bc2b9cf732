"""Hypothesis strategies for botocore-format shapes, and their conversion to client arguments.

A strategy draws a *member-name dict*: what a boto3 user passes to botocore (and what
botocore's parsers return). Structures are dicts keyed by member name, timestamps are
aware datetimes with whole-millisecond precision, blobs are bytes, documents are small
JSON values and a union has exactly one member set. The model's constraints are
honoured: required members, min/max lengths and item counts, numeric ranges and enums.
Recursion is bounded: below ``max_depth`` only required members and minimum counts are
drawn, and nested structures draw at most ``max_optional`` optional members.

Where a value is bound on the wire decides which characters a string may hold: URI
labels are never empty, header values are printable ASCII, host labels are DNS labels.
Patterns are not honoured (neither botocore nor the generated clients check them).

:func:`to_kwargs` turns a member-name dict into the keyword arguments of a generated
client's method, with the compliance tests' converter (snake_case names, nested
structures as ``<package>.shapes.<Shape>`` instances).
"""

from __future__ import annotations

import datetime as dt
import re
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

UTC = dt.timezone.utc

# Where a value goes on the wire.
BODY = "body"
URI = "uri"  # a URI label
GREEDY = "greedy"  # a greedy URI label ({Name+})
QUERY = "query"
HEADER = "header"
HEADER_MAP = "headers"  # a map bound with location "headers" (a header-name prefix)
HOST = "host"  # a hostLabel member (expanded into the host name)
STATUS = "status"  # the HTTP status code of a response

_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
_PRINTABLE_NO_SPACE = _PRINTABLE[1:]
# Any Unicode scalar value that UTF-8 can encode (no lone surrogates).
_TEXT_CHARS = st.characters(codec="utf-8")
# The characters an XML 1.0 document may hold (§2.2): no C0 controls but tab, LF and CR,
# no U+FFFE/U+FFFF. Strings in XML bodies are drawn from these.
_XML_CHARS = st.characters(codec="utf-8", blacklist_characters="\ufffe\uffff",
                           blacklist_categories=("Cs",)).filter(
    lambda c: c >= " " or c in "\t\n\r")
_HEADER_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")  # a DNS label: no '-' at either end

_MIN_TS = dt.datetime(1900, 1, 2)
_MAX_TS = dt.datetime(2200, 1, 1)
_ZONES = (UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-8)))


def timestamps() -> st.SearchStrategy[dt.datetime]:
    """Aware datetimes with whole-millisecond precision, in UTC or another fixed offset."""
    return st.builds(
        lambda d, zone: d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=UTC).astimezone(zone),
        st.datetimes(min_value=_MIN_TS, max_value=_MAX_TS),
        st.sampled_from(_ZONES),
    )


class _JsonNull:
    """An output member the service sends as JSON ``null`` (both parsers treat it as unset)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "JSON_NULL"


JSON_NULL = _JsonNull()
# The key of a member a newer service version sends and this model does not know.
UNKNOWN_MEMBER = "\x00unknown"


def _json_leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(_TEXT_CHARS, max_size=6),
    )


def documents(*, top_level_null: bool = False, containers_only: bool = False) -> st.SearchStrategy[Any]:
    """Small JSON values. ``None`` at the top means "member not set" in both APIs, so
    it is drawn only inside containers unless asked for."""
    inner = st.recursive(
        _json_leaves(),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(_TEXT_CHARS, max_size=5), c, max_size=3),
        max_leaves=6,
    )
    containers = st.lists(inner, max_size=3) | st.dictionaries(st.text(_TEXT_CHARS, max_size=5), inner, max_size=3)
    if containers_only:
        return containers
    return inner if top_level_null else inner.filter(lambda v: v is not None)


class ShapeStrategies:
    """Strategies for the shapes of one model (the raw ``service-2.json`` dict)."""

    def __init__(
        self,
        model: dict[str, Any],
        *,
        protocol: str,
        max_depth: int = 3,
        max_items: int = 2,
        max_text: int = 10,
        max_optional: int = 3,
    ) -> None:
        self.shapes: dict[str, Any] = model["shapes"]
        self.operations: dict[str, Any] = model["operations"]
        self.protocol = protocol
        self.rest = protocol.startswith("rest")
        # XML bodies: responses of query, ec2 and rest-xml, requests of rest-xml.
        self.xml_out = protocol in ("query", "ec2", "rest-xml")
        self.xml_in = protocol == "rest-xml"
        self.cbor = protocol == "smithy-rpc-v2-cbor"
        self.max_depth = max_depth
        self.max_items = max_items
        self.max_text = max_text
        self.max_optional = max_optional
        self._memo: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}

    # ----- top level ------------------------------------------------------------------
    def operation_input(self, operation: str) -> st.SearchStrategy[dict[str, Any]]:
        op = self.operations[operation]
        shape_name = (op.get("input") or {}).get("shape")
        if shape_name is None:
            return st.just({})
        uri = (op.get("http") or {}).get("requestUri", "/")
        greedy = {m[:-1] for m in re.findall(r"{([^}]*)}", uri) if m.endswith("+")}
        return self._top(shape_name, "in", greedy)

    def operation_output(self, operation: str) -> st.SearchStrategy[dict[str, Any]]:
        op = self.operations[operation]
        shape_name = (op.get("output") or {}).get("shape")
        if shape_name is None:
            return st.just({})
        return self._top(shape_name, "out", set())

    def _where(self, name: str, member: dict[str, Any], greedy: set[str]) -> str:
        if not self.rest:
            return BODY
        if member.get("hostLabel"):
            return HOST
        loc = member.get("location")
        if loc == "uri":
            return GREEDY if member.get("locationName", name) in greedy else URI
        return {"querystring": QUERY, "header": HEADER, "headers": HEADER_MAP, "statusCode": STATUS}.get(loc or "", BODY)

    def _top(self, shape_name: str, direction: str, greedy: set[str]) -> st.SearchStrategy[dict[str, Any]]:
        shape = self.shapes[shape_name]
        if shape.get("union"):
            return self.value(shape_name, 0, BODY, direction)
        required = set(shape.get("required", ()))
        req: dict[str, st.SearchStrategy[Any]] = {}
        opt: dict[str, st.SearchStrategy[Any]] = {}
        for name, member in shape.get("members", {}).items():
            where = self._where(name, member, greedy)
            if member.get("hostLabel"):
                where = HOST  # expanded into the host for every protocol
            s = self._member(member, 1, where, direction)
            # Idempotency tokens are always passed explicitly, so that both sides send the same.
            if name in required or (direction == "in" and member.get("idempotencyToken")) or where in (URI, GREEDY, HOST):
                req[name] = s
            elif direction == "out" and where == BODY and name != shape.get("payload"):
                opt[name] = st.one_of(s, st.just(JSON_NULL))
            else:
                opt[name] = s
        if direction == "out" and not shape.get("payload"):
            opt[UNKNOWN_MEMBER] = documents()
        return st.fixed_dictionaries(req, optional=opt)

    def _member(self, member: dict[str, Any], depth: int, where: str, direction: str) -> st.SearchStrategy[Any]:
        jsonvalue = bool(member.get("jsonvalue") or self.shapes[member["shape"]].get("jsonvalue"))
        s = self.value(member["shape"], depth, where, direction, jsonvalue)
        if member.get("flattened") and self._flattened_out({"flattened": True}, where, direction):
            s = s.filter(len)  # flattened by the member reference (see _flattened_out)
        return s

    # ----- any shape ------------------------------------------------------------------
    def value(
        self, shape_name: str, depth: int, where: str = BODY, direction: str = "in", jsonvalue: bool = False
    ) -> st.SearchStrategy[Any]:
        key = (shape_name, min(depth, self.max_depth + 8), where, direction, jsonvalue)
        s = self._memo.get(key)
        if s is None:
            s = self._build(shape_name, depth, where, direction, jsonvalue)
            self._memo[key] = s
        return s

    def _build(self, shape_name: str, depth: int, where: str, direction: str, jsonvalue: bool) -> st.SearchStrategy[Any]:
        shape = self.shapes[shape_name]
        t = shape["type"]
        if depth > self.max_depth + 6:
            return st.nothing()  # a chain of required members that never ends
        if t == "structure":
            return self._structure(shape, depth, direction)
        if t == "list":
            return self._list(shape, depth, where, direction)
        if t == "map":
            return self._map(shape, depth, where, direction)
        if t in ("string", "character"):
            return self._string(shape, where, direction, jsonvalue)
        if t in ("integer", "long"):
            lo, hi = _RANGES[t]
            lo = max(lo, int(shape.get("min", lo)))
            hi = min(hi, int(shape.get("max", hi)))
            if where == STATUS:
                lo, hi = max(lo, 200), min(hi, 299)
            return st.integers(lo, hi)
        if t in ("float", "double"):
            lo, hi = shape.get("min"), shape.get("max")
            if self.cbor and t == "float":
                # botocore writes a CBOR float as single precision.
                return st.floats(width=32, min_value=None if lo is None else float(lo),
                                 max_value=None if hi is None else float(hi),
                                 allow_nan=lo is None and hi is None)
            if lo is None and hi is None:
                return st.floats()
            return st.floats(
                min_value=None if lo is None else float(lo),
                max_value=None if hi is None else float(hi),
                allow_nan=False,
            )
        if t == "boolean":
            return st.booleans()
        if t == "blob":
            lo = int(shape.get("min", 0))
            hi = min(int(shape.get("max", lo + self.max_text)), lo + self.max_text)
            return st.binary(min_size=lo, max_size=max(lo, hi))
        if t == "timestamp":
            if self.cbor and direction == "in":
                # botocore's CBOR serializer writes whole epoch seconds as an unsigned
                # integer: it truncates milliseconds and fails before 1970.
                return st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=_MAX_TS).map(
                    lambda d: d.replace(microsecond=0, tzinfo=UTC))
            return timestamps()
        raise ValueError(f"shape {shape_name}: unknown type {t!r}")

    def _sizes(self, shape: dict[str, Any], depth: int, cap: int, at_least: int = 0) -> tuple[int, int]:
        lo = max(int(shape.get("min", 0)), at_least)
        hi = lo if depth > self.max_depth else lo + cap
        if "max" in shape:
            hi = min(hi, int(shape["max"]))
        return lo, max(lo, hi)

    def _string(self, shape: dict[str, Any], where: str, direction: str, jsonvalue: bool) -> st.SearchStrategy[Any]:
        if shape.get("enum"):
            known = st.sampled_from(shape["enum"])
            if direction == "out":
                # A value the service added after this model: enums are open.
                alphabet = (_PRINTABLE_NO_SPACE if where in (HEADER, HEADER_MAP)
                            else _XML_CHARS if self.xml_out and where == BODY else _TEXT_CHARS)
                return st.one_of(known, st.text(alphabet, min_size=1, max_size=8))
            return known
        if jsonvalue and where == HEADER:
            # A JSON value header: botocore sends any JSON-serialisable object; users pass
            # objects or arrays (e.g. Lex session attributes).
            return documents(containers_only=True)
        lo, hi = self._sizes(shape, 0, self.max_text, 1 if where in (URI, GREEDY, HOST) else 0)
        if shape.get("type") == "character":
            lo, hi = 1, 1
        if where == HOST:
            hi = max(hi, lo)
            return st.from_regex(_HOST_LABEL, fullmatch=True).filter(lambda s: lo <= len(s) <= hi)
        if where in (HEADER, HEADER_MAP):
            # Header values are printable ASCII. In responses, leading and trailing
            # whitespace is not part of a field value (RFC 9110), so none is drawn.
            alphabet = _PRINTABLE if direction == "in" else _PRINTABLE_NO_SPACE
            return st.text(alphabet=alphabet, min_size=lo, max_size=hi)
        if where == BODY and (self.xml_out if direction == "out" else self.xml_in):
            return st.text(_XML_CHARS, min_size=lo, max_size=hi)
        return st.text(_TEXT_CHARS, min_size=lo, max_size=hi)

    def _flattened_out(self, shape: dict[str, Any], where: str, direction: str) -> int:
        """1 for a flattened XML list or map in a response body: an empty one is no
        element at all, the same as an unset member, so none is drawn."""
        return int(self.xml_out and direction == "out" and where == BODY and bool(shape.get("flattened")))

    def _list(self, shape: dict[str, Any], depth: int, where: str, direction: str) -> st.SearchStrategy[Any]:
        member = shape["member"]
        lo, hi = self._sizes(shape, depth, self.max_items, self._flattened_out(shape, where, direction))
        item_where = where
        items = st.deferred(lambda: self._member(member, depth + 1, item_where, direction))
        if where == HEADER:
            # An empty item cannot be told apart from no item in a header list.
            items = items.filter(lambda v: v != "")
        if self.shapes[member["shape"]]["type"] == "structure" and self.shapes[member["shape"]].get("document"):
            items = items.filter(lambda v: v is not None)
        return st.lists(items, min_size=lo, max_size=hi)

    def _map(self, shape: dict[str, Any], depth: int, where: str, direction: str) -> st.SearchStrategy[Any]:
        lo, hi = self._sizes(shape, depth, self.max_items, self._flattened_out(shape, where, direction))
        if where == HEADER_MAP:
            keys: st.SearchStrategy[Any] = _HEADER_NAME
        else:
            key_where = QUERY if where == QUERY else BODY
            keys = self.value(shape["key"]["shape"], depth + 1, key_where, direction)
            if where == QUERY:
                keys = keys.filter(lambda k: k != "")
        values = st.deferred(lambda: self._member(shape["value"], depth + 1, where, direction))
        return st.dictionaries(keys, values, min_size=lo, max_size=hi)

    def _xml_shadowed(self, members: dict[str, Any], direction: str) -> set[str]:
        """Optional members of an XML response whose element name an earlier member
        already has (S3's deprecated ``Event`` and the flattened ``Events`` list of
        ``<Event>``): the wire cannot tell them apart, so neither is drawn."""
        if not (self.xml_out and direction == "out"):
            return set()
        seen: dict[str, str] = {}
        out: set[str] = set()
        for name, ref in members.items():
            if ref.get("location") or ref.get("xmlAttribute"):
                continue
            target = self.shapes[ref["shape"]]
            wire = ref.get("locationName", name)
            if target["type"] == "list" and (ref.get("flattened") or target.get("flattened")):
                wire = target["member"].get("locationName", wire)
            if wire in seen:
                out |= {name, seen[wire]}
            seen[wire] = name
        return out

    def _structure(self, shape: dict[str, Any], depth: int, direction: str) -> st.SearchStrategy[Any]:
        if shape.get("document"):
            return documents()
        members: dict[str, Any] = shape.get("members", {})

        def member(name: str) -> st.SearchStrategy[Any]:
            ref = members[name]
            return st.deferred(lambda: self._member(ref, depth + 1, BODY, direction))

        if shape.get("union"):
            names = list(members)
            if depth > self.max_depth:
                # Prefer variants that do not nest further, when there are any.
                flat = [n for n in names if self.shapes[members[n]["shape"]]["type"] not in ("structure", "list", "map")]
                names = flat or names
            return st.one_of([st.fixed_dictionaries({n: member(n)}) for n in names])
        required = set(shape.get("required", ()))
        req = {n: member(n) for n in members if n in required or (direction == "in" and members[n].get("idempotencyToken"))}
        optional = [n for n in members if n not in req and n not in self._xml_shadowed(members, direction)]
        extra: dict[str, st.SearchStrategy[Any]] = {}
        if direction == "out":
            # Responses may spell an unset member as null and carry members the model
            # does not know yet; both parsers must ignore either.
            extra = {UNKNOWN_MEMBER: documents()}

            def member_or_null(name: str) -> st.SearchStrategy[Any]:
                return st.one_of(member(name), st.just(JSON_NULL))
        else:
            member_or_null = member
        if depth > self.max_depth or not optional:
            return st.fixed_dictionaries(req, optional=extra)
        chosen = st.lists(st.sampled_from(optional), max_size=min(self.max_optional, len(optional)), unique=True)
        return chosen.flatmap(
            lambda names: st.fixed_dictionaries({**req, **{n: member_or_null(n) for n in names}}, optional=extra)
        )


# ----- member-name dict -> generated client arguments --------------------------------


def to_kwargs(package: ModuleType, model: dict[str, Any], operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the generated method for a member-name dict."""
    from tests.compliance.convert import Converter

    input_shape = (model["operations"][operation].get("input") or {}).get("shape")
    return Converter(model["shapes"], package).kwargs(input_shape, params)
