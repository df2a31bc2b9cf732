"""query (AWS Query): every call is ``POST /`` with a form body ``Action=<op>&Version=<api
version>&...``; the answer is XML, the output inside ``<OpResponse><OpResult>``.

Form names, as botocore writes them: a member is named by its ``locationName``, else its
member name; nested members join with ``.``; a list is ``Name.member.N`` (the list
member's ``locationName`` instead of ``member`` when given), a flattened list ``Name.N``
(named as the member, as Smithy's suites require; botocore would take the list member's
``locationName``); an empty list is sent as
``Name=``; a map is ``Name.entry.N.key`` / ``Name.entry.N.value`` (``Name.N.key`` when
flattened; key and value names from their ``locationName``). Timestamps are ISO 8601
unless the model says otherwise, blobs base64, booleans ``true``/``false``.

:class:`FormShapes` writes one ``_qs_<Shape>(v, p, q)`` per input structure, appending
``name=value`` items (already percent-encoded) under prefix ``p`` to ``q``; ec2 changes
only the naming rules (:mod:`.ec2`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..codegen import TS_FUNCS as _TS_FUNCS, Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._form_dicts import FormDicts
from ._json_dicts import check_input
from ._xml_dicts import IMPORT as XML_DICTS_IMPORT, XmlDicts
from ._xml_shapes import XmlShapes

if TYPE_CHECKING:
    from ..render import PackageView

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


def _enc(text: str) -> str:
    return quote(text, safe="-_.~")


class Key:
    """A form name being built: literal pieces and Python expressions, adjacent literals
    merged at generation time."""

    def __init__(self, parts: list[tuple[bool, str]]) -> None:
        self.parts = parts  # (is_literal, text or expression)

    def plus(self, text: str) -> Key:
        parts = list(self.parts)
        if parts and parts[-1][0]:
            parts[-1] = (True, parts[-1][1] + text)
        else:
            parts.append((True, text))
        return Key(parts)

    def plus_expr(self, expr: str) -> Key:
        return Key(self.parts + [(False, expr)])

    def expr(self) -> str:
        return " + ".join(pylit(t) if lit else t for lit, t in self.parts) or "''"


class FormShapes:
    """Form body code (query; ec2 through the overridable naming and list rules)."""

    ec2 = False

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes

    # ----- naming rules ---------------------------------------------------------------
    def member_name(self, m: Member) -> str:
        return m.location_name or self.shapes[m.target].location_name or m.name

    def part_name(self, m: Member, default: str) -> str:
        """Name of a list item or map key/value part."""
        return m.location_name or self.shapes[m.target].location_name or default

    # ----- code -----------------------------------------------------------------------
    def helpers(self, input_structs: set[str]) -> list[str]:
        out = []
        for name in sorted(input_structs):
            shape = self.shapes[name]
            code = Code([])
            for m in shape.members:
                code.add(1, f"x = v.{m.py_name}")
                if m.idempotency_token:
                    code.add(1, "if x is None:")
                    code.add(2, "x = _rt.new_token()")
                code.add(1, "if x is not None:")
                wire = self.member_name(m)
                key = Key([(False, "p"), (True, _enc(wire))])
                named = m.location_name or self.shapes[m.target].location_name
                self.ser(m, "x", key, code, 2, 0, "" if named else _enc(wire))
            if not shape.members:
                code.add(1, "pass")
            out.append(
                f"def _qs_{name}(v: _s.{shape.class_name}, p: str, q: list[str]) -> None:\n"
                + ("    x: _t.Any\n" if shape.members else "")
                + "\n".join(code.lines)
            )
        return out

    def scalar(self, m: Member, expr: str) -> str | None:
        """The encoded text of a scalar; None for other types."""
        shape = self.shapes[m.target]
        t = shape.type
        if t == "string":
            return f"_p.q({expr})"
        if t in ("integer", "long"):
            return f"str({expr})"
        if t == "boolean":
            return f"('true' if {expr} else 'false')"
        if t in ("float", "double"):
            return f"_p.q(_rt.text_float({expr}))"
        if t == "blob":
            return f"_p.q(_rt.b64encode({expr}))"
        if t == "timestamp":
            fmt = m.timestamp_format or shape.timestamp_format or "iso8601"
            return f"_p.q(_rt.{_TS_FUNCS.get(fmt, 'ts_iso')}_text({expr}))"
        return None

    def ser(self, m: Member, expr: str, key: Key, code: Code, indent: int, depth: int, renamable: str = "") -> None:
        """Statements appending the items of value ``expr`` of member ``m`` named ``key``.

        ``renamable``: the last piece of ``key`` when it is a member name the model gives
        no ``locationName`` for (a flattened list is then named by its list member's)."""
        shape = self.shapes[m.target]
        t = shape.type
        text = self.scalar(m, expr)
        if text is not None:
            code.add(indent, f"q.append({key.plus('=').expr()} + {text})")
        elif t in ("structure", "union"):
            code.add(indent, f"_qs_{shape.name}({expr}, {key.plus('.').expr()}, q)")
        elif t == "list":
            assert shape.member is not None
            i, y = f"i{depth}", f"y{depth}"
            if self.ec2:
                base = key.plus(".")
            else:
                code.add(indent, f"if not {expr}:")
                code.add(indent + 1, f"q.append({key.plus('=').expr()})")
                item = shape.member.location_name or self.shapes[shape.member.target].location_name
                if m.flattened or shape.flattened:
                    # named as the member; by the list member's locationName when only it has one
                    base = key.plus(".")
                    if item and renamable:
                        base = Key(key.parts[:-1] + [(True, key.parts[-1][1][: -len(renamable)] + _enc(item))]).plus(".")
                else:
                    base = key.plus("." + _enc(item or "member") + ".")
            code.add(indent, f"for {i}, {y} in enumerate({expr}, 1):")
            self.ser(shape.member, y, base.plus_expr(f"str({i})"), code, indent + 1, depth + 1)
        elif t == "map":
            assert shape.key is not None and shape.value is not None
            i, k, w = f"i{depth}", f"k{depth}", f"w{depth}"
            base = key.plus("." if (m.flattened or shape.flattened) else ".entry.")
            code.add(indent, f"for {i}, ({k}, {w}) in enumerate({expr}.items(), 1):")
            entry = base.plus_expr(f"str({i})")
            self.ser(shape.key, k, entry.plus("." + _enc(self.part_name(shape.key, "key"))), code, indent + 1,
                     depth + 1)
            self.ser(shape.value, w, entry.plus("." + _enc(self.part_name(shape.value, "value"))), code,
                     indent + 1, depth + 1)
        else:  # documents and event streams have no form encoding
            code.add(indent, "pass")


class Query(Protocol):
    name = "query"
    runtime = "query"
    form_class: type[FormShapes] = FormShapes

    compat = True
    compat_imports = (XML_DICTS_IMPORT,)

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.form = self.form_class(self.shapes)
        self.xml = XmlShapes(self.shapes)
        # the boto3-compatible client: botocore's checks and form names, botocore's dicts
        self.form_dicts = FormDicts(self.shapes, ec2=self.form_class.ec2)
        self.xml_dicts = XmlDicts(self.shapes, policies=self.service.endpoint_prefix == "iam")

    def compat_serialize(self, op: Operation) -> str:
        shape = self.shapes[op.input] if op.input else None
        code = Code([])
        if shape is not None and self.form_class.ec2 and any(m.name == "Filter" for m in shape.members):
            code.add(1, f"_xr.alias(v, 'Filters', 'Filter', {pylit(op.name)})")  # botocore's ParameterAlias
        for name in op.base64_encode:  # botocore's base64_encode_user_data, before validation
            code.add(1, f"if {pylit(name)} in v:")
            code.add(2, f"v[{pylit(name)}] = _xr.user_data(v[{pylit(name)}])")
        check_input(self.form_dicts, shape, code)
        host = host_prefix(self.view, op, code, dicts=True)
        code.add(1, f"q: dict[str, _t.Any] = {pylit({'Action': op.name, 'Version': self.service.api_version})}")
        if shape is not None:
            code.add(1, "q.update(d)")
        return self._request(op, code, "_xr.form_body(q)", host)

    def _request(self, op: Operation, code: Code, body: str, host: str) -> str:
        code.add(1, f"h: dict[str, str] = {pylit({'Content-Type': CONTENT_TYPE})}")
        code.add(1, f"body: _t.Any = {body}")
        body_encoding(op, code)
        code.add(1, f"return _rt.Request('POST', '/', '', h, body, {host})")
        return "\n".join(code.lines)

    def compat_parse(self, op: Operation) -> str:
        assert op.output
        code = Code([])
        code.add(1, "e = _xr.root(r.body)")
        start = f"_xr.wrapped(e, {pylit(op.result_wrapper)})" if op.result_wrapper and not self.form_class.ec2 else "e"
        code.add(1, f"o = {self.xml_dicts.structure(op.output, start)}")
        decode = [(name, "_xr.console_text") for name in op.decode_base64_output]  # botocore's decode_console_output
        if (self.service.endpoint_prefix, op.name) == ("cloudformation", "GetTemplate"):
            decode.append(("TemplateBody", "_xr.template_body"))  # botocore's json_decode_template_body
        for name, function in decode:
            code.add(1, f"if {pylit(name)} in o:")
            code.add(2, f"o[{pylit(name)}] = {function}(o[{pylit(name)}])")
        code.add(1, f"return _xr.{'ec2' if self.form_class.ec2 else 'query'}_meta(e, o)")
        return "\n".join(code.lines)

    def compat_error_parser(self, shape: Shape) -> str:
        return self.xml_dicts.error_parser(shape)

    def compat_helpers(self) -> list[str]:
        return self.form_dicts.extra + self.form_dicts.ser_helpers() + self.xml_dicts.helpers()

    def serialize(self, op: Operation) -> str:
        code = Code([])
        host = host_prefix(self.view, op, code)
        start = [f"Action={_enc(op.name)}", f"Version={_enc(self.service.api_version)}"]
        code.add(1, f"q: list[str] = {pylit(start)}")
        if op.input:
            code.add(1, f"_qs_{op.input}(v, '', q)")
        return self._request(op, code, "_p.form(q)", host)

    def parse(self, op: Operation) -> str:
        assert op.output
        if op.result_wrapper:
            return f"    return _xde_{op.output}(_p.result(r.body, {pylit(op.result_wrapper)}))"
        # Models leave the wrapper out at times; answers still wrap the output in <OpResult>.
        return f"    return _xde_{op.output}(_p.result(r.body, {pylit(op.name + 'Result')}, True))"

    def helpers(self) -> list[str]:
        return self.form.helpers(self.view.input_structs) + self.xml.helpers(self.view.output_structs)

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        return self.xml.error_parser(shape, attrs)


PROTOCOL = Query
