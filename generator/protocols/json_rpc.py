"""json (awsJson 1.0 and 1.1): every call is ``POST /`` with ``X-Amz-Target`` naming the
operation and the whole input as a JSON body; the answer is the whole output as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Operation, Shape
from . import Protocol, body_encoding, host_prefix
from ._events import CompatEvents, EventStreams
from ._json_dicts import JsonDicts, check_input, json_compat_error
from ._json_shapes import JsonShapes, json_error_parser

if TYPE_CHECKING:
    from ..render import PackageView


class JsonRpc(Protocol):
    name = "json"
    runtime = "json"

    compat = True

    def __init__(self, view: PackageView) -> None:
        super().__init__(view)
        self.json = JsonShapes(self.shapes)
        self.events = EventStreams(self.shapes, json=self.json)
        self.dicts = JsonDicts(self.shapes, rest=False)
        self.compat_events = CompatEvents(self.shapes, self.dicts)
        self.dicts.member_defaults = dict(view.service.member_defaults)
        self.dicts.ms_timestamps = view.service.timestamp_milliseconds

    def _headers(self, op: Operation) -> dict[str, str]:
        svc = self.service
        target = f"{svc.target_prefix}.{op.name}" if svc.target_prefix else op.name
        headers = {
            "X-Amz-Target": target,
            "Content-Type": f"application/x-amz-json-{svc.json_version}",
        }
        if svc.query_compatible:
            headers["x-amzn-query-mode"] = "true"
        return headers

    def serialize(self, op: Operation) -> str:
        code = Code([])
        host = host_prefix(self.view, op, code)
        body = f"{self.dicts.dumps(op.input)}(_ser_{op.input}(v))" if op.input else "b'{}'"
        return self._request(op, code, body, host)

    def _request(self, op: Operation, code: Code, body: str, host: str) -> str:
        code.add(1, f"h: dict[str, str] = {pylit(self._headers(op))}")
        code.add(1, f"body: _t.Any = {body}")
        body_encoding(op, code)
        code.add(1, f"return _rt.Request('POST', '/', '', h, body, {host})")
        return "\n".join(code.lines)

    def compat_serialize(self, op: Operation) -> str:
        code = Code([])
        check_input(self.dicts, self.shapes[op.input] if op.input else None, code)
        host = host_prefix(self.view, op, code, dicts=True)
        return self._request(op, code, f"{self.dicts.dumps(op.input)}(d)" if op.input else "b'{}'", host)

    def compat_parse(self, op: Operation) -> str:
        assert op.output
        stream = self.events.stream_member(self.shapes[op.output])
        if stream is not None:  # botocore: the initial response's JSON as it is, and the stream
            return (f"    o: dict[str, _t.Any] = {{}}\n"
                    f"    s = {self.compat_events.stream_expr(stream, op.name)}\n"
                    f"    s.take_initial(lambda p: o.update(_c.json_dict(p)))\n"
                    f"    o[{pylit(stream.name)}] = s\n"
                    f"    return o")
        self.dicts.needed_de.add(op.output)
        return (f"    b = r.body\n"
                f"    return _cd_{op.output}(_c.json_dict(b), b'null' in b)  # type: ignore[no-any-return]")

    def compat_error_parser(self, shape: Shape) -> str:
        return json_compat_error(self.dicts, shape, rest=False)

    def compat_helpers(self) -> list[str]:
        streams = self.compat_events.helpers()  # first: they ask for _cd_ parsers
        return self.dicts.extra + self.dicts.ser_helpers() + streams + self.dicts.de_helpers()

    def parse(self, op: Operation) -> str:
        assert op.output
        shape = self.shapes[op.output]
        stream = self.events.stream_member(shape)
        if stream is not None:  # the answer is the stream; the other members its initial response
            return self.events.parse_with_initial(shape, stream)
        return f"    return _de_{op.output}(_rt.json_object(r.body))"

    def helpers(self) -> list[str]:
        outputs = sorted({o.output for o in self.service.operations if o.output})
        initial = [self.shapes[n] for n in outputs if self.events.stream_member(self.shapes[n]) is not None]
        return (self.json.helpers(self.view.input_structs, self.view.output_structs)
                + self.events.helpers(self.view.output_structs, initial))

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        return json_error_parser(self.shapes, shape, attrs)


PROTOCOL = JsonRpc
