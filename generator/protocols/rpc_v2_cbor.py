"""smithy-rpc-v2-cbor: every call is ``POST /service/<targetPrefix>/operation/<Operation>``
with ``smithy-protocol: rpc-v2-cbor`` and the whole input as a CBOR map keyed by member
names (no body at all for an operation without input); the answer is the whole output
as a CBOR map (an empty body is an empty output).

Bodies are built and read as Python values, as for JSON, by the per-structure
``_ser_X``/``_de_X`` helpers of :class:`JsonShapes`, with CBOR's scalars: blobs are
byte strings, timestamps ``datetime`` (CBOR tag 1 epoch seconds, written and read by
``awsgen_runtime.protocols.cbor``), floats native (NaN and infinities included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._json_dicts import JsonDicts, check_input, json_compat_error
from ._json_shapes import JsonShapes

if TYPE_CHECKING:
    from ..render import PackageView


def _checked(expr: str, py_type: str, parser: str) -> str:
    """A parsed value: a plain name of the right type passes inline; anything else goes
    through the CBOR runtime's checking parser."""
    if expr.isidentifier():
        return f"({expr} if {expr}.__class__ is {py_type} else _p.{parser}({expr}))"
    return f"_p.{parser}({expr})"


class CborShapes(JsonShapes):
    """:class:`JsonShapes` with CBOR's scalar conversions."""

    def ser(self, m: Member, expr: str, depth: int = 0) -> str:
        shape = self.shapes[m.target]
        if not shape.event_stream:
            t = shape.type
            if t in ("float", "double"):
                return f"float({expr})"  # an int given for a float goes out as a float
            if t in ("blob", "timestamp"):
                return expr  # bytes as a byte string, datetime as tag 1: the encoder's
        return super().ser(m, expr, depth)

    def de(self, m: Member, expr: str, depth: int = 0) -> str:
        shape = self.shapes[m.target]
        if not shape.event_stream:
            t = shape.type
            if t == "blob":
                return _checked(expr, "bytes", "p_blob")
            if t == "timestamp":
                return _checked(expr, "_dt.datetime", "p_ts")
        return super().de(m, expr, depth)


class CborDicts(JsonDicts):
    """:class:`JsonDicts` (the boto3-compatible client's dict serde) with botocore's CBOR
    scalars: requests as botocore's RpcV2CBORSerializer encodes them (floats in single
    precision, doubles in double, NaN and infinities in half precision, timestamps as tag 1
    whole epoch seconds, blobs as byte strings; ``_c.cbor_*`` give them pre-encoded);
    answers as decoded (byte strings, tag-1 datetimes and floats are botocore's values)."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        super().__init__(shapes, rest=False)

    def wire_scalar(self, t: str, x: str) -> str:
        if t == "float":
            return f"_c.cbor_f32({x})"
        if t == "double":
            return f"_c.cbor_f64({x})"
        return x

    def wire_blob(self, x: str) -> str:
        return f"_c.cbor_blob({x})"

    def wire_timestamp(self, fmt: str, y: str) -> str:
        return f"_c.cbor_ts({y})"

    def identity(self, m: Member) -> bool:
        return self.shapes[m.target].type in ("string", "integer", "long", "boolean", "document", "float",
                                              "double", "blob", "timestamp")

    def de(self, m: Member, x: str, depth: int = 0) -> str:
        if self.identity(m):
            return x
        return super().de(m, x, depth)

    def dumps(self, name: str | None) -> str:
        return "_p.dumps"


class RpcV2Cbor(Protocol):
    name = "smithy-rpc-v2-cbor"
    runtime = "cbor"

    compat = True
    compat_imports = ("from awsgen_runtime.protocols import cbor as _p",)

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.cbor = CborShapes(self.shapes)
        self.dicts = CborDicts(self.shapes)

    def _service_name(self) -> str:
        svc = self.service
        return svc.target_prefix or svc.service_id.replace(" ", "")

    def _event_stream_output(self, op: Operation) -> bool:
        if not op.output:
            return False
        return any(self.shapes[m.target].event_stream for m in self.shapes[op.output].members)

    def serialize(self, op: Operation) -> str:
        code = Code([])
        host = host_prefix(self.view, op, code)
        return self._request(op, code, f"_p.dumps(_ser_{op.input}(v))", host)

    def _request(self, op: Operation, code: Code, body: str, host: str) -> str:
        path = f"/service/{self._service_name()}/operation/{op.name}"
        accept = "application/vnd.amazon.eventstream" if self._event_stream_output(op) else "application/cbor"
        headers = {"smithy-protocol": "rpc-v2-cbor", "Accept": accept}
        if op.input:
            headers["Content-Type"] = accept
        if self.service.query_compatible:
            headers["x-amzn-query-mode"] = "true"
        code.add(1, f"h: dict[str, str] = {pylit(headers)}")
        if op.input:
            code.add(1, f"body: _t.Any = {body}")
            body_encoding(op, code)
        else:
            code.add(1, "body: _t.Any = b''")
        code.add(1, f"return _rt.Request('POST', {pylit(path)}, '', h, body, {host})")
        return "\n".join(code.lines)

    # ----- the boto3-compatible client ------------------------------------------------------
    def compat_serialize(self, op: Operation) -> str:
        code = Code([])
        check_input(self.dicts, self.shapes[op.input] if op.input else None, code)
        host = host_prefix(self.view, op, code, dicts=True)
        return self._request(op, code, "_p.dumps(d)", host)

    def compat_parse(self, op: Operation) -> str:
        assert op.output
        if self._event_stream_output(op):
            return f"    return _c.unsupported_stream({pylit(op.name)})"
        self.dicts.needed_de.add(op.output)
        return (f"    b = r.body\n"
                f"    n = b'\\xf6' in b or b'\\xf7' in b  # null or undefined somewhere (see _json_dicts)\n"
                f"    return _cd_{op.output}(_p.loads_object(b) if b else {{}}, n)  # type: ignore[no-any-return]")

    def compat_error_parser(self, shape: Shape) -> str:
        return json_compat_error(self.dicts, shape, rest=False)

    def compat_helpers(self) -> list[str]:
        return self.dicts.extra + self.dicts.ser_helpers() + self.dicts.de_helpers()

    def parse(self, op: Operation) -> str:
        assert op.output
        return f"    return _de_{op.output}(_p.loads_object(r.body))"

    def helpers(self) -> list[str]:
        return self.cbor.helpers(self.view.input_structs, self.view.output_structs)

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        """Every member of an error is in its CBOR body ``d`` (RPC: no HTTP bindings)."""
        code = Code([])
        for m in shape.members:
            attr = attrs[m.name]
            code.add(1, f"x = d.get({pylit(m.wire_name)})")
            code.add(1, f"x = None if x is None else {self.cbor.de(m, 'x')}")
            if attr == "message":
                code.add(1, "if x is not None:")
                code.add(2, "o.message = x")
            else:
                code.add(1, f"o.{attr} = x")
        if not shape.members:
            code.add(1, "pass")
        return "\n".join(code.lines)


PROTOCOL = RpcV2Cbor
