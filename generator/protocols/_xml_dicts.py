"""XML answers -> botocore's parsed dicts, for the boto3-compatible client of query, ec2
and rest-xml.

The code written here reads an XML answer the way botocore 1.43.67's XML parsers
(``BaseXMLResponseParser`` and its ``QueryParser``, ``EC2QueryParser``, ``RestXMLParser``)
do, as straight-line code per shape, with no model read at call time. Generated code calls
the runtime's helpers as ``_xr.<name>`` (:mod:`awsgen_runtime.boto3_compat._xml`; a
protocol using this class puts :data:`IMPORT` in its ``compat_imports``) and its own
functions:

* ``_xd_X(e) -> dict`` for each structure (or union) X a parser needs: ``e`` is the
  structure's element (or a list of them, when the tag repeats); its children are
  indexed once by tag (``_xr.index``, botocore's ``_build_name_to_xml_node``) and each
  body member is one lookup and a conversion. Members bound to headers, the status code
  or an event header are left out, as botocore leaves them (the protocol reads them).

API, for a protocol unit (query and ec2 here; rest-xml the same way):

* ``XmlDicts(shapes, policies=False)``; ``policies``: IAM's policy documents (members
  targeting ``policyDocumentType``) are URL-decoded JSON (botocore's
  ``json_decode_policies`` handler);
* :meth:`XmlDicts.structure` -> the expression of a structure's dict from an element
  expression (asks for its ``_xd_X``); :meth:`XmlDicts.de` -> the expression of one
  member's value from its node(s);
* :meth:`XmlDicts.error_parser` -> the body of ``_ce_X(r, d)`` for a modeled error, ``d``
  being what :func:`awsgen_runtime.boto3_compat._xml.error_response` returned as body;
* :meth:`XmlDicts.helpers` -> the ``_xd_X`` functions asked for so far (call it last).

Names, as botocore reads them: a member's element is its ``locationName`` (member or
target shape), else its member name; a flattened list whose list member has a
``locationName`` is found under that name only; a non-flattened list's items are all the
children of its element, whatever their names; maps are ``<entry><key/><value/></entry>``
(key and value names from their ``locationName``), flattened maps repeat the entries in
the parent; an ``xmlAttribute`` member is the attribute's text, unconverted, when no child
element has its name. An empty element is ``''`` for a string, ``{}`` for a structure.
"""

from __future__ import annotations

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Shape

# Members botocore's XML structure parsing skips: bound to the HTTP message.
_BOUND = ("header", "headers", "statusCode")
_SCALARS = {"string": "_xr.s", "integer": "_xr.i", "long": "_xr.i", "float": "_xr.f", "double": "_xr.f",
            "boolean": "_xr.b", "timestamp": "_xr.ts", "blob": "_xr.blob"}
IMPORT = "from awsgen_runtime.boto3_compat import _xml as _xr"  # what the generated code calls as _xr
POLICY_SHAPE = "policyDocumentType"  # IAM's policy documents (botocore's handler matches this name)


class XmlDicts:
    """XML -> dict parse code for the shapes of one service (see the module docstring)."""

    def __init__(self, shapes: dict[str, Shape], policies: bool = False) -> None:
        self.shapes = shapes
        self.policies = policies
        self.needed: set[str] = set()

    # ----- names ------------------------------------------------------------------------
    def flattened(self, m: Member) -> bool:
        return m.flattened or self.shapes[m.target].flattened

    def element_name(self, m: Member) -> str:
        """botocore's ``_member_key_name``: the tag member ``m`` is looked up by."""
        shape = self.shapes[m.target]
        if shape.type == "list" and self.flattened(m):
            assert shape.member is not None
            item = shape.member.location_name or self.shapes[shape.member.target].location_name
            if item:
                return item
        return m.location_name or shape.location_name or m.name

    def _part(self, m: Member, default: str) -> str:
        return m.location_name or self.shapes[m.target].location_name or default

    # ----- expressions ------------------------------------------------------------------
    def structure(self, name: str, x: str) -> str:
        """The dict of structure ``name`` from element expression ``x``."""
        self.needed.add(name)
        return f"_xd_{name}({x})"

    def de(self, m: Member, x: str, depth: int = 0) -> str:
        """The value of member ``m`` from ``x``, its node: an element, or a list of
        elements (a repeated tag; a flattened list's or map's items)."""
        shape = self.shapes[m.target]
        t = shape.type
        if t in _SCALARS:
            value = f"{_SCALARS[t]}({x})"
            if self.policies and t == "string" and shape.name == POLICY_SHAPE:
                value = f"_xr.policy({value})"
            return value
        if t == "list":
            assert shape.member is not None
            y = f"y{depth}"
            nodes = f"_xr.items({x})" if self.flattened(m) else x
            return f"[{self.de(shape.member, y, depth + 1)} for {y} in {nodes}]"
        if t == "map":
            assert shape.key is not None and shape.value is not None
            k, v = f"k{depth}", f"v{depth}"
            names = (f"{pylit(self._part(shape.key, 'key'))}, {pylit(self._part(shape.value, 'value'))}, "
                     f"{self.flattened(m)}")
            return (f"{{{self.de(shape.key, k, depth + 1)}: {self.de(shape.value, v, depth + 1)} "
                    f"for {k}, {v} in _xr.entries({x}, {names})}}")
        if t in ("structure", "union"):
            return self.structure(shape.name, x)
        return f"_xr.s({x})"  # documents and event streams have no XML form

    # ----- statements -------------------------------------------------------------------
    def members(self, members: list[Member], code: Code, indent: int, d: str, e: str, o: str) -> None:
        """Statements setting ``o[name]`` for each body member found in ``d`` (the index of
        element ``e``'s children), in model order."""
        for m in members:
            if m.location in _BOUND or m.event_header:
                continue
            code.add(indent, f"x = {d}.get({pylit(self.element_name(m))})")
            code.add(indent, "if x is not None:")
            code.add(indent + 1, f"{o}[{pylit(m.name)}] = {self.de(m, 'x')}")
            if m.xml_attribute:
                code.add(indent, "else:")
                code.add(indent + 1, f"x = _xr.attr({e}, {pylit(self._part(m, m.name))})")
                code.add(indent + 1, "if x is not None:")
                code.add(indent + 2, f"{o}[{pylit(m.name)}] = x")

    def _function(self, shape: Shape) -> str:
        code = Code([])
        code.add(1, "o: dict[str, _t.Any] = {}")
        code.add(1, "d = _xr.index(e)")
        if shape.type == "union":
            names = frozenset(self._part(m, m.name) for m in shape.members)
            code.add(1, f"u = _xr.union_tag(d, frozenset({pylit(tuple(sorted(names)))}))")
            code.add(1, "if u is not None:")
            code.add(2, "return {'SDK_UNKNOWN_MEMBER': {'name': u}}")
        self.members(list(shape.members), code, 1, "d", "e", "o")
        code.add(1, "return o")
        return f"def _xd_{shape.name}(e: _t.Any) -> dict[str, _t.Any]:\n    x: _t.Any\n" + "\n".join(code.lines)

    def helpers(self) -> list[str]:
        """``_xd_X`` for every structure asked for (grows while written; call it last)."""
        out: list[str] = []
        done: set[str] = set()
        while self.needed - done:
            name = sorted(self.needed - done)[0]
            done.add(name)
            out.append(self._function(self.shapes[name]))
        return out

    def error_parser(self, shape: Shape) -> str:
        """Body of ``_ce_X(r, d)``: a modeled error's members from its element, as botocore's
        modeled error parse reads them (the element chosen by the protocol's error layout)."""
        return f"    return {self.structure(shape.name, '_xr.error_body(d)')}"
