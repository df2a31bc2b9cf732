"""XML bodies, writing side (rest-xml): a shape's value -> XML text.

Generated code appends pieces of text to a list ``o`` and joins them once. Names and
namespaces are decided here, at generation time, so each tag is a literal:

- a structure member is the element named by the member's ``locationName``, else its
  member name (a structure's own ``locationName`` names only a document's root);
- ``xmlNamespace`` of a member reference, else of its target shape, becomes an
  ``xmlns``/``xmlns:prefix`` attribute of that member's element;
- ``xmlAttribute`` members are attributes of their structure's element;
- a list is ``<Name><member>..</member>..</Name>`` (the list member's ``locationName``
  instead of ``member``), a flattened list repeats ``<Name>`` in the parent;
- a map is ``<Name><entry><key>..</key><value>..</value></entry>..</Name>`` (key and
  value named by their ``locationName``), a flattened map repeats ``<Name>`` holding
  ``<key>``/``<value>`` in the parent;
- text: strings escaped (``&``, ``<``, ``>`` and carriage returns, which a parser would
  otherwise turn into line feeds), booleans ``true``/``false``, floats as their shortest
  repr (``NaN``, ``Infinity`` by name), blobs base64, timestamps ISO 8601 unless the
  model names another format.

:meth:`XmlWriter.helpers` writes one ``_xw_<Shape>(v, o, t, a)`` per input structure:
append the element ``<t a...>`` for structure ``v`` to ``o`` (``a``: attribute text
decided by the caller, such as its namespace declaration).
"""

from __future__ import annotations

from ..codegen import TS_FUNCS as _TS_FUNCS, Code, fold_strings
from ..literals import pylit
from ..model.ir import Member, Shape

# Members bound elsewhere than the body: never written to XML.
_BOUND = ("header", "headers", "statusCode", "uri", "querystring")


def _attr_text(value: str) -> str:
    """An attribute value as XML text (generation time)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\r", "&#xD;").replace("\n", "&#xA;").replace("\t", "&#x9;")
    )


def ns_attr(ns: tuple[str, str] | None) -> str:
    """The namespace declaration for an ``xmlNamespace`` value, with a leading space."""
    if ns is None:
        return ""
    prefix, uri = ns
    return f' xmlns{":" + prefix if prefix else ""}="{_attr_text(uri)}"'


class XmlWriter:
    """XML body serialization code for the shapes of one service."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes

    def namespace(self, m: Member) -> str:
        return ns_attr(m.xml_namespace or self.shapes[m.target].xml_namespace)

    def flattened(self, m: Member) -> bool:
        return m.flattened or self.shapes[m.target].flattened

    # ----- helpers --------------------------------------------------------------------
    def helpers(self, input_structs: set[str]) -> list[str]:
        out = []
        for name in sorted(input_structs):
            shape = self.shapes[name]
            if shape.exception or shape.type not in ("structure", "union"):
                continue
            code = Code([])
            self.struct(shape.members, code, 1, "v", "t")
            out.append(
                f"def _xw_{name}(v: _s.{shape.class_name}, o: list[str], t: str, a: str) -> None:\n"
                "    x: _t.Any\n" + "\n".join(code.lines)
            )
        return out

    # ----- statements -----------------------------------------------------------------
    def struct(self, members: tuple[Member, ...] | list[Member], code: Code, indent: int, src: str,
               tag: str) -> None:
        """Append the element of the structure ``src`` holding ``members``: named by the
        expression ``tag``, with the attribute text ``a`` (extended by the attribute
        members)."""
        members = [m for m in members if m.location not in _BOUND]
        for m in members:
            if not m.xml_attribute:
                continue
            self._fetch(m, code, indent, src)
            code.add(indent, "if x is not None:")
            code.add(indent + 1, f"a += {pylit(' ' + m.wire_name + '=' + chr(34))} + "
                                 f"_p.esc_attr({self.text(m, 'x', escape=False)}) + '\"'")
        start = fold_strings("'<' + " + tag + " + a + '>'")
        code.add(indent, f"o.append({start})")
        for m in members:
            if m.xml_attribute:
                continue
            self._fetch(m, code, indent, src)
            code.add(indent, "if x is not None:")
            self.element(m, "x", code, indent + 1, m.wire_name, self.namespace(m), 0)
        end = fold_strings("'</' + " + tag + " + '>'")
        code.add(indent, f"o.append({end})")

    def _fetch(self, m: Member, code: Code, indent: int, src: str) -> None:
        code.add(indent, f"x = {src}.{m.py_name}")
        if m.idempotency_token:
            code.add(indent, "if x is None:")
            code.add(indent + 1, "x = _rt.new_token()")

    def element(self, m: Member, expr: str, code: Code, indent: int, tag: str, ns: str, depth: int) -> None:
        """Append the element(s) holding value ``expr`` of member ``m``, named ``tag`` with
        the namespace declaration ``ns``."""
        shape = self.shapes[m.target]
        t = shape.type
        if t in ("structure", "union"):
            code.add(indent, f"_xw_{shape.name}({expr}, o, {pylit(tag)}, {pylit(ns)})")
        elif t == "list":
            assert shape.member is not None
            item = shape.member
            var = f"y{depth}"
            if self.flattened(m):
                # each item is the member's element
                code.add(indent, f"for {var} in {expr}:")
                self._item(item, var, code, indent + 1, tag, ns or self.namespace(item), depth + 1, shape.sparse)
            else:
                code.add(indent, f"o.append({pylit(f'<{tag}{ns}>')})")
                code.add(indent, f"for {var} in {expr}:")
                self._item(item, var, code, indent + 1, item.wire_name, self.namespace(item), depth + 1,
                           shape.sparse)
                code.add(indent, f"o.append({pylit(f'</{tag}>')})")
        elif t == "map":
            assert shape.key is not None and shape.value is not None
            k, w = f"k{depth}", f"w{depth}"
            if self.flattened(m):
                code.add(indent, f"for {k}, {w} in {expr}.items():")
                entry, entry_end = f"<{tag}{ns}>", f"</{tag}>"
            else:
                code.add(indent, f"o.append({pylit(f'<{tag}{ns}>')})")
                code.add(indent, f"for {k}, {w} in {expr}.items():")
                entry, entry_end = "<entry>", "</entry>"
            key_tag = shape.key.wire_name
            key_ns = self.namespace(shape.key)
            code.add(indent + 1, f"o.append({pylit(f'{entry}<{key_tag}{key_ns}>')} + "
                                 f"{self.text(shape.key, k)} + {pylit(f'</{key_tag}>')})")
            if shape.sparse:
                code.add(indent + 1, f"if {w} is not None:")
                self.element(shape.value, w, code, indent + 2, shape.value.wire_name,
                             self.namespace(shape.value), depth + 1)
            else:
                self.element(shape.value, w, code, indent + 1, shape.value.wire_name,
                             self.namespace(shape.value), depth + 1)
            code.add(indent + 1, f"o.append({pylit(entry_end)})")
            if not self.flattened(m):
                code.add(indent, f"o.append({pylit(f'</{tag}>')})")
        else:
            code.add(indent, f"o.append({pylit(f'<{tag}{ns}>')} + {self.text(m, expr)} + {pylit(f'</{tag}>')})")

    def _item(self, item: Member, var: str, code: Code, indent: int, tag: str, ns: str, depth: int,
              sparse: bool) -> None:
        if sparse:  # a null item has no XML form: left out
            code.add(indent, f"if {var} is not None:")
            indent += 1
        self.element(item, var, code, indent, tag, ns, depth)

    def text(self, m: Member, expr: str, escape: bool = True) -> str:
        """A scalar as element text (escaped where it can need it), or, with ``escape``
        False, as plain text."""
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            return f"_p.esc({expr})" if escape else expr
        if t in ("integer", "long"):
            return f"str({expr})"
        if t in ("float", "double"):
            return f"_rt.text_float({expr})"
        if t == "boolean":
            return f"_rt.text_bool({expr})"
        if t == "blob":
            return f"_rt.b64encode({expr})"
        if t == "timestamp":
            return f"_rt.{_TS_FUNCS[m.timestamp_format or 'iso8601']}_text({expr})"
        raise ValueError(f"member {m.name} of type {t} has no XML text form")


class XmlDictWriter(XmlWriter):
    """The boto3-compatible client's XML bodies: boto3's input dicts (already checked) as
    botocore's RestXMLSerializer writes them, byte for byte: members in the caller's
    order, ``xmlAttribute`` members in the order given, empty elements as ElementTree's
    ``<Name />``, text escaped as ElementTree escapes it (``_x``:
    ``awsgen_runtime.boto3_compat._restxml``). One ``_cxw_<Shape>(v, o, t, a)`` per
    structure reached (:meth:`dict_helpers`)."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        super().__init__(shapes)
        self.needed: set[str] = set()

    def dict_helpers(self) -> list[str]:
        out: list[str] = []
        done: set[str] = set()
        while self.needed - done:
            name = sorted(self.needed - done)[0]
            done.add(name)
            code = Code([])
            self.dict_struct(self.shapes[name].members, code, 1, "v", "t")
            out.append(f"def _cxw_{name}(v: _t.Any, o: list[str], t: str, a: str) -> None:\n"
                       "    x: _t.Any\n" + "\n".join(code.lines))
        return out

    def dict_struct(self, members: tuple[Member, ...] | list[Member], code: Code, indent: int, src: str,
                    tag: str) -> None:
        """Append the element of structure dict ``src`` (the members listed; other keys are
        bound elsewhere), named by the expression ``tag``, attribute text ``a``."""
        members = [m for m in members if m.location not in _BOUND]
        code.add(indent, "n = len(o)")
        code.add(indent, "o.append('')")
        if members:
            code.add(indent, f"for k, x in {src}.items():")
            for i, m in enumerate(members):
                code.add(indent + 1, f"{'if' if i == 0 else 'elif'} k == {pylit(m.name)}:")
                if m.xml_attribute:
                    code.add(indent + 2, f"a += {pylit(' ' + m.wire_name + '=' + chr(34))} + _x.attr(x) + '\"'")
                else:
                    self.element(m, "x", code, indent + 2, m.wire_name, self.namespace(m), 0)
        code.add(indent, f"_x.close(o, n, {tag}, a)")

    def element(self, m: Member, expr: str, code: Code, indent: int, tag: str, ns: str, depth: int) -> None:
        shape = self.shapes[m.target]
        t = shape.type
        if t in ("structure", "union"):
            self.needed.add(shape.name)
            code.add(indent, f"_cxw_{shape.name}({expr}, o, {pylit(tag)}, {pylit(ns)})")
        elif t == "list":
            assert shape.member is not None
            item = shape.member
            var, at = f"y{depth}", f"n{depth}"
            if self.flattened(m):
                code.add(indent, f"for {var} in {expr}:")
                self.element(item, var, code, indent + 1, tag, self.namespace(item), depth + 1)
            else:
                code.add(indent, f"{at} = len(o)")
                code.add(indent, "o.append('')")
                code.add(indent, f"for {var} in {expr}:")
                self.element(item, var, code, indent + 1, item.location_name or "member", self.namespace(item),
                             depth + 1)
                code.add(indent, f"_x.close(o, {at}, {pylit(tag)}, {pylit(ns)})")
        elif t == "map":
            assert shape.key is not None and shape.value is not None
            k, w, at = f"k{depth}", f"w{depth}", f"n{depth}"
            key_tag, value_tag = shape.key.location_name or "key", shape.value.location_name or "value"
            flat = self.flattened(m)
            if not flat:
                code.add(indent, f"{at} = len(o)")
                code.add(indent, "o.append('')")
            code.add(indent, f"for {k}, {w} in {expr}.items():")
            code.add(indent + 1, f"o.append({pylit('<' + (tag if flat else 'entry') + '>')})")
            self.element(shape.key, k, code, indent + 1, key_tag, self.namespace(shape.key), depth + 1)
            self.element(shape.value, w, code, indent + 1, value_tag, self.namespace(shape.value), depth + 1)
            code.add(indent + 1, f"o.append({pylit('</' + (tag if flat else 'entry') + '>')})")
            if not flat:
                code.add(indent, f"_x.close(o, {at}, {pylit(tag)}, {pylit(ns)})")
        else:
            code.add(indent, f"o.append(_x.el({pylit(tag)}, {pylit(ns)}, {self.text(m, expr)}))")

    def text(self, m: Member, expr: str, escape: bool = True) -> str:
        t = self.shapes[m.target].type
        if t == "string":
            return f"_x.text({expr})"
        if t in ("integer", "long"):
            return f"str({expr})"
        if t in ("float", "double"):
            return f"_x.float_text({expr})"
        if t == "boolean":
            return f"('true' if {expr} else 'false')"
        if t == "blob":
            return f"_x.b64({expr})"
        if t == "timestamp":
            fmt = m.timestamp_format or self.shapes[m.target].timestamp_format or "iso8601"
            return f"_c.{_TS_FUNCS[fmt]}(_x.moment({expr}))"
        raise ValueError(f"member {m.name} of type {t} has no XML text form")
