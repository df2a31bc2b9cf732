"""XML bodies, parsing side, shared by query, ec2 and rest-xml: elements -> shape values.

The runtime parses a document with :func:`awsgen_runtime.protocols.xml.parse`
(namespaces already stripped from tags) and hands elements to generated code:

- ``_xde_<Shape>(e) -> _s.<Class>`` for each output structure (``helpers``): one pass
  over ``e``'s children builds ``{local tag: element}``, then each member is one dict
  lookup and an inline conversion, no model read at call time;
- :meth:`XmlShapes.de` writes the expression turning a member's element into its value;
- :meth:`XmlShapes.struct_body` writes the statements setting members of a structure from
  its element (rest-xml uses it for an output's body members);
- :meth:`XmlShapes.error_parser` writes the body of ``_err_<Shape>(r, d, o)`` for an error
  whose body ``d`` is an :class:`awsgen_runtime.protocols.xml.ErrorBody`.

Generated code calls the runtime's XML helpers as ``_p.<name>``: each protocol runtime
module using these helpers re-exports :mod:`awsgen_runtime.protocols.xml`'s
``x_*``/``t_*`` converters, ``pairs``, ``attr``, ``error_element``.

Naming, as botocore reads it: a member's element is its ``locationName`` (on the member
or its target shape), else the member name; a flattened list repeats its items in the
parent, named as the member (and, when only the list member has a ``locationName``, by
that name too); a
non-flattened list's items are all the children of its element whatever their names;
maps hold ``<entry><key/><value/></entry>`` (names from the key/value locationName),
flattened maps repeat the entries in the parent. ``xmlNamespace`` is ignored.
"""

from __future__ import annotations

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Shape

# Members bound elsewhere than the body: never read from XML.
_BOUND = ("header", "headers", "statusCode", "uri", "querystring")


class XmlShapes:
    """XML body parsing code for the shapes of one service."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes

    # ----- names --------------------------------------------------------------------
    def flattened(self, m: Member) -> bool:
        return m.flattened or self.shapes[m.target].flattened

    def name(self, m: Member, default: str | None = None) -> str:
        """The element (or attribute) name of member ``m``."""
        return m.location_name or self.shapes[m.target].location_name or (default if default is not None else m.name)

    def element_name(self, m: Member) -> str:
        """The name of the element(s) holding ``m`` in its parent."""
        return self.name(m)

    def element_names(self, m: Member) -> tuple[str, ...]:
        """Every name the element(s) of ``m`` may have. A flattened list's items are named
        as the member (Smithy's suites); when only the list member has a ``locationName``,
        that name is accepted too (botocore's rule, which the legacy suites keep)."""
        name = self.name(m)
        shape = self.shapes[m.target]
        if shape.type == "list" and self.flattened(m) and not (m.location_name or shape.location_name):
            assert shape.member is not None
            item = shape.member.location_name or self.shapes[shape.member.target].location_name
            if item and item != name:
                return (name, item)
        return (name,)

    # ----- helpers --------------------------------------------------------------------
    def helpers(self, output_structs: set[str]) -> list[str]:
        """``_xde_X(e)`` for each output structure (exceptions excluded)."""
        out = []
        for name in sorted(output_structs):
            shape = self.shapes[name]
            if shape.exception:
                continue
            cls = shape.class_name
            code = Code([])
            self.struct_body(list(shape.members), code, 1, "e", "o", union=shape.type == "union")
            out.append(
                f"def _xde_{name}(e: _t.Any) -> _s.{cls}:\n"
                f"    o: _t.Any = _new(_s.{cls})\n"
                "    x: _t.Any\n" + "\n".join(code.lines + [f"    r: _s.{cls} = o", "    return r"])
            )
        return out

    # ----- expressions ----------------------------------------------------------------
    def de(self, m: Member, expr: str, depth: int = 0) -> str:
        """The value of member ``m`` from ``expr``: its element, or for a flattened list or
        map an iterable of its repeated elements (items, or entries)."""
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            text = f"({expr}.text or '')"
            return f"_s.{shape.class_name}{text}" if shape.enum else text
        if t in ("integer", "long"):
            return f"_p.x_int({expr})"
        if t in ("float", "double"):
            return f"_p.x_float({expr})"
        if t == "boolean":
            return f"_p.x_bool({expr})"
        if t == "blob":
            return f"_p.x_blob({expr})"
        if t == "timestamp":
            return f"_p.x_ts({expr})"
        if t == "list":
            assert shape.member is not None
            var = f"y{depth}"
            return f"[{self.de(shape.member, var, depth + 1)} for {var} in {expr}]"
        if t == "map":
            assert shape.key is not None and shape.value is not None
            k, v = f"k{depth}", f"v{depth}"
            key = self.de(shape.key, k, depth + 1)
            value = self.de(shape.value, v, depth + 1)
            names = f"{pylit(self.name(shape.key, 'key'))}, {pylit(self.name(shape.value, 'value'))}"
            return f"{{{key}: {value} for {k}, {v} in _p.pairs({expr}, {names})}}"
        if t in ("structure", "union"):
            return f"_xde_{shape.name}({expr})"
        # documents and event streams have no XML form
        return f"{expr}.text"

    def attr_value(self, m: Member, expr: str) -> str:
        """The value of an ``xmlAttribute`` member from its text ``expr``."""
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            return f"_s.{shape.class_name}({expr})" if shape.enum else expr
        if t in ("integer", "long"):
            return f"_p.t_int({expr})"
        if t in ("float", "double"):
            return f"_p.t_float({expr})"
        if t == "boolean":
            return f"_p.t_bool({expr})"
        if t == "blob":
            return f"_p.t_blob({expr})"
        if t == "timestamp":
            return f"_rt.parse_ts_text({expr})"
        raise ValueError(f"xmlAttribute member {m.name} of type {t}")

    def member_value(self, m: Member, parent: str, by_name: str | None) -> tuple[str, str]:
        """(lookup, value): an expression finding member ``m`` in element ``parent`` (None
        when absent) and the expression of its value from ``x``, the lookup's result.

        ``by_name``: a ``{tag: element}`` dict of ``parent``'s children, or None to search.
        """
        name = self.element_name(m)
        if m.xml_attribute:
            return f"_p.attr({parent}, {pylit(self.name(m))})", self.attr_value(m, "x")
        if self.flattened(m) and self.shapes[m.target].type in ("list", "map"):
            # present when one element is; the value gathers all of them, in order
            names = self.element_names(m)
            if len(names) > 1:
                lookup = (f"{by_name}.get({pylit(names[0])}, {by_name}.get({pylit(names[1])}))" if by_name
                          else f"_p.child({parent}, {pylit(names[0])}, {pylit(names[1])})")
                items = f"[c for c in {parent} if c.tag in {pylit(names)}]"
            else:
                lookup = f"{by_name}.get({pylit(name)})" if by_name else f"_p.child({parent}, {pylit(name)})"
                items = f"[c for c in {parent} if c.tag == {pylit(name)}]"
            return lookup, self.de(m, items)
        lookup = f"{by_name}.get({pylit(name)})" if by_name else f"_p.child({parent}, {pylit(name)})"
        return lookup, self.de(m, "x")

    # ----- statements -----------------------------------------------------------------
    def struct_body(self, members: list[Member], code: Code, indent: int, src: str, dst: str,
                    union: bool = False, by_name: str | None = None) -> None:
        """Set each body member of ``dst`` from element ``src`` (attributes included).

        ``by_name``: the name of a ``{tag: element}`` dict of ``src``'s children already
        built; when None, one is built here (as ``d``) if any member is an element.
        """
        members = [m for m in members if m.location not in _BOUND]
        if by_name is None and any(not m.xml_attribute for m in members):
            code.add(indent, f"d = {{c.tag: c for c in {src}}}")
            by_name = "d"
        for m in members:
            lookup, value = self.member_value(m, src, by_name)
            code.add(indent, f"x = {lookup}")
            code.add(indent, f"{dst}.{m.py_name} = None if x is None else {value}")
        if union and members:
            known = tuple(self.element_name(m) for m in members if not m.xml_attribute)
            code.add(indent, "if " + " and ".join(f"{dst}.{m.py_name} is None" for m in members) + ":")
            code.add(indent + 1, f"u = next((c.tag for c in {src} if c.tag not in {pylit(known)}), None)")
            code.add(indent + 1, "if u is not None:")
            code.add(indent + 2, f"{dst}._sdk_unknown_member = u")

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        """Body of ``_err_X(r, d, o)``: the members of error ``o`` from the ``<Error>``
        element's children ``d`` (an ``ErrorBody``); header and status-code members (rest-xml)
        from the response ``r``."""
        code = Code([])
        for m in shape.members:
            attr = attrs[m.name]
            if m.location == "header":
                from ._http import HttpBindings

                code.add(1, f"x = r.headers.get({pylit(m.wire_name)})")
                code.add(1, f"x = None if x is None else {HttpBindings(self.shapes).header_parse(m, 'x')}")
            elif m.location == "statusCode":
                code.add(1, "x = r.status")
            elif m.location in _BOUND:
                continue
            else:
                lookup, value = self.member_value(m, "_p.error_element(d)", "d")
                code.add(1, f"x = {lookup}")
                code.add(1, f"x = None if x is None else {value}")
            if attr == "message":
                code.add(1, "if x is not None:")
                code.add(2, "o.message = x")
            else:
                code.add(1, f"o.{attr} = x")
        if not code.lines:
            code.add(1, "pass")
        return "\n".join(code.lines)
