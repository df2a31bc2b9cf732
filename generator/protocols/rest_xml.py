"""rest-xml (S3, Route 53, CloudFront, ...): members bound to the URI, query string,
headers and status code as in rest-json; the rest (or one payload member) travels as an
XML document.

Requests: the body members form one document whose root is named by the input
shape's own ``locationName``, else the input reference's ``locationName``, else its name,
with its ``xmlNamespace``; it is sent only when some body member is set. A structure
payload is the document itself, named by the payload member's ``locationName`` (a
``locationName`` that only repeats the member's name yields to the target shape's own
``locationName``), sent only when set. Blob payloads go as they are, string payloads
as UTF-8 ``text/plain``. XML documents are ``application/xml``.

Responses: header, prefix-header and status-code members as in rest-json; body members
from the root element's children; a structure payload is the root element; a blob
payload the raw bytes (a stream when the model marks it streaming). Errors are
``<ErrorResponse><Error><Code>..`` or, from S3, a bare ``<Error><Code>..``
(:func:`awsgen_runtime.protocols.rest_xml.error_info`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._http import (HttpBindings, compat_bound_response, compat_raw_payload, content_type, content_type_member,
                    dict_bindings)
from ._events import CompatEvents, EventStreams
from ._json_dicts import JsonDicts, check_input
from ._xml_dicts import IMPORT as XML_DICTS_IMPORT, XmlDicts
from ._xml_shapes import XmlShapes
from ._xml_writer import XmlDictWriter, XmlWriter, ns_attr

if TYPE_CHECKING:
    from ..render import PackageView

XML = "application/xml"
_REQUEST_ONLY = ("uri", "querystring")  # bindings that mean nothing in a response


class RestXmlShapes(XmlShapes):
    """The shared XML parsing code with rest-xml's two differences: a member's element is
    named by the member's ``locationName`` or name only (a structure's own ``locationName``
    names a document's root, which is read whatever its name), and members a response
    cannot bind (``uri``, ``querystring``: request locations) are read from the body."""

    def name(self, m: Member, default: str | None = None) -> str:
        return m.location_name or (default if default is not None else m.name)

    def struct_body(self, members: list[Member], code: Code, indent: int, src: str, dst: str,
                    union: bool = False, by_name: str | None = None) -> None:
        members = [replace(m, location="body") if m.location in _REQUEST_ONLY else m for m in members]
        super().struct_body(members, code, indent, src, dst, union, by_name)


class RestXml(Protocol):
    name = "rest-xml"
    runtime = "rest_xml"

    compat = True
    compat_imports = ("from awsgen_runtime.boto3_compat import _restxml as _x", XML_DICTS_IMPORT)

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.http = HttpBindings(self.shapes)
        self.writer = XmlWriter(self.shapes)
        self.xml = RestXmlShapes(self.shapes)
        self.events = EventStreams(self.shapes, xml=self.xml)
        # the boto3-compatible client: botocore's checks (JSON's statements), bindings, XML
        self.dicts = JsonDicts(self.shapes, rest=True)
        self.dict_http = dict_bindings(self.shapes)
        self.dict_writer = XmlDictWriter(self.shapes)
        self.xml_dicts = XmlDicts(self.shapes)
        self.compat_events = CompatEvents(self.shapes, self.dicts, xml=self.xml_dicts)

    def compat_serialize(self, op: Operation) -> str:
        return _compat_serialize(self, op)

    def compat_parse(self, op: Operation) -> str:
        return _compat_parse(self, op)

    def compat_error_parser(self, shape: Shape) -> str:
        """An error's modeled members: headers, then the children of ``<Error>``."""
        code = Code([])
        code.add(1, "o: dict[str, _t.Any] = {}")
        compat_bound_response(self.shapes, shape.members, code, lambda m, x: _header(self, m, x))
        code.add(1, f"o.update({self.xml_dicts.structure(shape.name, '_xr.error_body(d)')})")
        code.add(1, "return o")
        return "\n".join(code.lines)

    def compat_helpers(self) -> list[str]:
        streams = self.compat_events.helpers()  # first: they ask for _xd_ parsers
        return (self.dicts.extra + self.dicts.ser_helpers() + self.dict_writer.dict_helpers() + streams
                + self.xml_dicts.helpers())

    def serialize(self, op: Operation) -> str:
        return _serialize(self, op)

    def parse(self, op: Operation) -> str:
        return _parse(self, op)

    def helpers(self) -> list[str]:
        return (self.writer.helpers(self.view.input_structs) + self.xml.helpers(self.view.output_structs)
                + self.events.helpers(self.view.output_structs, []))

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        return self.xml.error_parser(shape, attrs)


PROTOCOL = RestXml


def payload_root(m: Member, target: Shape) -> str:
    """The root element's name of a structure payload."""
    if m.location_name and m.location_name != m.name:
        return m.location_name
    return target.location_name or m.location_name or target.name


def _serialize(p: RestXml, op: Operation) -> str:
    shape = p.shapes[op.input] if op.input else None
    code = Code([])
    p.http.bind_request(op, shape, code)
    members = list(shape.members) if shape else []
    ct_key = content_type_member(members)
    payload = shape.payload_member if shape else None
    body_members = [m for m in members if m.location == "body" and not m.is_payload]
    if payload is not None:
        _payload(p, payload, code, ct_key)
    elif shape is not None and body_members:
        root = shape.location_name or op.input_location_name or shape.name
        ns = ns_attr(op.input_xml_namespace or shape.xml_namespace)
        code.add(1, "body: _t.Any = b''")
        indent = 1
        if not any(m.idempotency_token for m in body_members):  # else always set
            code.add(1, "if " + " or ".join(f"v.{m.py_name} is not None" for m in body_members) + ":")
            indent = 2
        code.add(indent, f"a = {pylit(ns)}")
        code.add(indent, "o: list[str] = []")
        p.writer.struct(body_members, code, indent, "v", pylit(root))
        content_type(code, indent, XML, ct_key)
        code.add(indent, "body = ''.join(o).encode('utf-8')")
    else:
        code.add(1, "body: _t.Any = b''")
    body_encoding(op, code)
    host = host_prefix(p.view, op, code)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _payload(p: RestXml, m: Member, code: Code, ct_key: str | None) -> None:
    """Statements setting ``body`` (and its Content-Type) from the payload member."""
    target = p.shapes[m.target]
    code.add(1, f"x = v.{m.py_name}")
    if target.type == "blob":
        code.add(1, "body: _t.Any = b'' if x is None else x")
    elif target.type == "string":
        content_type(code, 1, "text/plain", ct_key, when="x is not None")
        code.add(1, "body: _t.Any = b'' if x is None else x.encode('utf-8')")
    elif target.type in ("structure", "union"):
        # An unset structure payload is no body at all.
        code.add(1, "body: _t.Any = b''")
        code.add(1, "if x is not None:")
        code.add(2, "o: list[str] = []")
        root = payload_root(m, target)
        ns = ns_attr(m.xml_namespace or target.xml_namespace)
        code.add(2, f"_xw_{target.name}(x, o, {pylit(root)}, {pylit(ns)})")
        content_type(code, 2, XML, ct_key)
        code.add(2, "body = ''.join(o).encode('utf-8')")
    else:
        raise ValueError(f"rest-xml payload member {m.name} of type {target.type}")


def _parse(p: RestXml, op: Operation) -> str:
    assert op.output
    shape = p.shapes[op.output]
    code = Code([])
    bound = [m for m in shape.members if m.location in ("header", "headers", "statusCode")]
    payload = shape.payload_member
    body_members = [m for m in shape.members if m.location == "body" and not m.is_payload]
    if op.output_root_text is not None:  # a customization: the member is the root's own text
        m = next(m for m in shape.members if m.name == op.output_root_text)
        code.add(1, f"o: _t.Any = _new(_s.{shape.class_name})")
        code.add(1, "e = _p.parse(r.body) if r.body.strip() else None")
        code.add(1, f"o.{m.py_name} = None if e is None or not e.text else {p.xml.de(m, 'e')}")
        code.add(1, f"result: _s.{shape.class_name} = o")
        return "\n".join(code.lines + ["    return result"])
    if not bound and payload is None:
        code.add(1, f"return _xde_{shape.name}(_p.result(r.body, None))")
        return "\n".join(code.lines)
    code.add(1, f"o: _t.Any = _new(_s.{shape.class_name})")
    p.http.bind_response(bound, code, empty_none=False)
    if payload is not None:
        target = p.shapes[payload.target]
        attr = f"o.{payload.py_name}"
        if target.event_stream:
            code.add(1, f"{attr} = {p.events.stream_expr(payload)}")
        elif target.type == "blob" and target.streaming:
            code.add(1, f"{attr} = _rt.StreamingBody(r.raw) if r.raw is not None "
                        "else _rt.StreamingBody(_rt.BytesReader(r.body))")
        elif target.type == "blob":
            code.add(1, f"{attr} = r.body if r.body else None")
        elif target.type == "string":
            conv = f"_s.{target.class_name}(r.body.decode('utf-8'))" if target.enum else "r.body.decode('utf-8')"
            code.add(1, f"{attr} = {conv} if r.body else None")
        else:
            code.add(1, f"{attr} = _xde_{target.name}(_p.parse(r.body)) if r.body.strip() else None")
    if body_members:
        code.add(1, "e = _p.result(r.body, None)")
        p.xml.struct_body(body_members, code, 1, "e", "o")
    code.add(1, f"result: _s.{shape.class_name} = o")
    return "\n".join(code.lines + ["    return result"])


# botocore's escape_xml_payload (a before-call handler of these S3 operations): line breaks
# of the whole document as character references. TODO: a models/customizations/ key.
_ESCAPE_NEWLINES = frozenset({"DeleteObjects", "PutBucketLifecycleConfiguration"})


def compat_param_handlers(p: Protocol, op: Operation, code: Code) -> None:
    """Statements changing boto3's keyword arguments ``v`` as botocore's
    before-parameter-build handlers do (customizations: bucket names, SSE-C keys,
    CopySource, ASCII metadata), before they are checked."""
    members = {m.name for m in p.shapes[op.input].members} if op.input else set()
    for name in p.service.bucket_name_members:
        code.add(1, f"_x.check_bucket(v, {pylit(name)})")
    if op.copy_source is not None:
        code.add(1, f"_x.copy_source(v, {pylit(op.copy_source)})")
    for name in op.ascii_only:
        code.add(1, f"_x.ascii_metadata(v, {pylit(name)})")
    for prefix in op.sse_customer_keys:
        if prefix + "Key" in members:
            code.add(1, f"_x.sse_md5(v, {pylit(prefix)})")


def _compat_serialize(p: RestXml, op: Operation) -> str:
    """As :func:`_serialize`, from boto3's keyword arguments (the dict ``v``), as botocore's
    RestXMLSerializer writes the request (no Content-Type of its own)."""
    shape = p.shapes[op.input] if op.input else None
    members = list(shape.members) if shape else []
    payload = shape.payload_member if shape else None
    raw_payload = payload is not None and p.shapes[payload.target].type in ("blob", "string")
    code = Code([])
    compat_param_handlers(p, op, code)
    # checked as botocore checks (a raw payload is not read: a file stays unread)
    check_input(p.dicts, shape, code, frozenset([payload.name]) if raw_payload and payload else frozenset())
    p.dict_http.bind_request(op, shape, code)
    for m in members:  # botocore sends no header for an empty list
        if m.location == "header" and p.shapes[m.target].type == "list":
            code.add(1, f"if not v.get({pylit(m.name)}):")
            code.add(2, f"h.pop({pylit(m.wire_name)}, None)")
    body_members = [m for m in members if m.location == "body" and not m.is_payload]
    if payload is not None:
        target = p.shapes[payload.target]
        if raw_payload and op.expect_continue == 2:  # customization body_as_file
            code.add(1, f"body: _t.Any = _x.file_body(v.get({pylit(payload.name)}))")
        elif raw_payload:
            code.add(1, f"body: _t.Any = _x.payload_bytes(v.get({pylit(payload.name)}))")
        else:
            code.add(1, "body: _t.Any = b''")
            code.add(1, f"x = v.get({pylit(payload.name)})")
            code.add(1, "if x is not None:")
            code.add(2, "o: list[str] = []")
            p.dict_writer.needed.add(target.name)
            root = payload_root(payload, target)
            code.add(2, f"_cxw_{target.name}(x, o, {pylit(root)}, {pylit(p.dict_writer.namespace(payload))})")
            code.add(2, "body = ''.join(o).encode('utf-8')")
    elif shape is not None and body_members:
        root = shape.location_name or op.input_location_name or shape.name
        ns = ns_attr(op.input_xml_namespace or shape.xml_namespace)
        code.add(1, "body: _t.Any = b''")
        code.add(1, "if " + " or ".join(f"v.get({pylit(m.name)}) is not None" for m in body_members) + ":")
        code.add(2, f"a = {pylit(ns)}")
        code.add(2, "o: list[str] = []")
        p.dict_writer.dict_struct(body_members, code, 2, "v", pylit(root))
        code.add(2, "body = ''.join(o).encode('utf-8')")
    else:
        code.add(1, "body: _t.Any = b''")
    if op.name in _ESCAPE_NEWLINES and p.service.service_id == "S3":
        code.add(1, "body = _x.escape_newlines(body)")
    body_encoding(op, code)
    host = host_prefix(p.view, op, code, dicts=True)
    code.add(1, f"return _rt.Request({pylit(op.method)}, path, '&'.join(q), h, body, {host})")
    return "\n".join(code.lines)


def _compat_parse(p: RestXml, op: Operation) -> str:
    """The answer as botocore's RestXMLParser returns it (with S3's after-call handlers
    that the model names: GetBucketLocation's root text)."""
    assert op.output
    shape = p.shapes[op.output]
    code = Code([])
    code.add(1, "o: dict[str, _t.Any] = {}")
    compat_bound_response(p.shapes, shape.members, code, lambda m, x: _header(p, m, x))
    payload = shape.payload_member
    if op.output_root_text is not None:  # botocore's parse_get_bucket_location
        code.add(1, f"o[{pylit(op.output_root_text)}] = _x.root_text(r.body)")
    elif payload is not None:
        if p.shapes[payload.target].event_stream:
            code.add(1, f"o[{pylit(payload.name)}] = {p.compat_events.stream_expr(payload, op.name)}")
            code.add(1, "return o")
            return "\n".join(code.lines)
        if not compat_raw_payload(p.shapes, op, payload, code):
            code.add(1, f"o[{pylit(payload.name)}] = {p.xml_dicts.de(payload, '_xr.root(r.body)')}")
    elif any(m.location not in ("header", "headers", "statusCode") for m in shape.members):
        code.add(1, f"o.update({p.xml_dicts.structure(shape.name, '_xr.root(r.body)')})")
    code.add(1, "return o")
    return "\n".join(code.lines)


def _header(p: RestXml, m: Member, x: str) -> str:
    """Expression: header text ``x`` of member ``m`` -> botocore's value (its XML parser's
    booleans: ``true`` only is True)."""
    if p.shapes[m.target].type == "boolean":
        return f"({x} == 'true')"
    return p.dicts.header(m, x)
