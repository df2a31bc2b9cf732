"""The wire protocols: one module per protocol, all behind :class:`Protocol`.

A protocol decides how an operation's validated input becomes an HTTP request
(``serialize``), how a successful response becomes the output (``parse``), how an
error response's members are read (``error_parser``) and which private helper
functions those need (``helpers``). Its runtime side is one module of
``awsgen_runtime.protocols`` (``runtime``), which also finds an error response's code
and message (``error_info``).

Modules: ``json_rpc`` (json, awsJson 1.0/1.1), ``rest_json``, ``rest_xml``, ``query``,
``ec2``, ``rpc_v2_cbor``. Shared pieces: ``_http`` (REST bindings), ``_json_shapes``
(JSON bodies), ``_xml_shapes`` (XML bodies, for rest-xml, query and ec2).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, ClassVar

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Operation, Shape

if TYPE_CHECKING:
    from ..render import PackageView

# botocore 1.43.67's order of preference when a model lists several protocols.
PRIORITY = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")
# protocol name -> module of this package
MODULES = {
    "json": "json_rpc",
    "rest-json": "rest_json",
    "rest-xml": "rest_xml",
    "smithy-rpc-v2-cbor": "rpc_v2_cbor",
    "query": "query",
    "ec2": "ec2",
}


def supported() -> tuple[str, ...]:
    """The protocols that have a module, in botocore's order of preference."""
    return tuple(p for p in PRIORITY if importlib.util.find_spec(f"{__name__}.{MODULES[p]}") is not None)


def choose(meta: dict[str, Any], preferred: str | None = None) -> str | None:
    """The protocol to generate for a model's metadata, as botocore picks it.

    ``preferred`` (a manifest setting) wins when the model lists it. ``None`` when the
    model lists no protocol this generator supports.
    """
    listed = [p for p in (meta.get("protocols") or [meta.get("protocol")]) if isinstance(p, str)]
    have = supported()
    if preferred is not None and preferred in listed and preferred in have:
        return preferred
    for p in PRIORITY:
        if p in listed and p in have:
            return p
    return None


def protocol_class(name: str) -> type[Protocol]:
    module = importlib.import_module(f"{__name__}.{MODULES[name]}")
    cls: type[Protocol] = module.PROTOCOL
    return cls


class Protocol:
    """The code generation of one protocol for one package (see the module docstring)."""

    name: ClassVar[str] = ""
    runtime: ClassVar[str] = ""  # module of awsgen_runtime.protocols, imported as ``_p``

    def __init__(self, view: PackageView) -> None:
        self.view = view
        self.service = view.service
        self.shapes = view.shapes

    def serialize(self, op: Operation) -> str:
        """Body of ``ser_<op>(v) -> Request``."""
        raise NotImplementedError

    def parse(self, op: Operation) -> str:
        """Body of ``de_<op>(r) -> Output``, for operations with an output."""
        raise NotImplementedError

    def helpers(self) -> list[str]:
        """Whole private function definitions the other bodies call."""
        raise NotImplementedError

    def error_parser(self, shape: Shape, attrs: dict[str, str]) -> str:
        """Body of ``_err_<shape>(r, d, o)``: set the members of error ``o`` from response
        ``r`` and ``d``, the error body as the runtime's ``error_info`` returned it."""
        raise NotImplementedError

    # ----- the boto3-compatible client (<package>/compat.py, _compat_serde.py) -------------
    # A protocol that writes them sets ``compat``; for the others no compat module is
    # generated and awsgen_runtime.boto3_compat.client() says that the protocol has none yet.
    compat: ClassVar[bool] = False
    # import lines ``_compat_serde.py`` needs beyond the template's own
    compat_imports: ClassVar[tuple[str, ...]] = ()

    def compat_serialize(self, op: Operation) -> str:
        """Body of ``ser_<op>(v: dict) -> Request``: boto3's keyword arguments, checked as
        botocore checks them (problems raise through ``_c.invalid``), to the request."""
        raise NotImplementedError

    def compat_parse(self, op: Operation) -> str:
        """Body of ``de_<op>(r) -> dict``: the answer as botocore's parser returns it
        (without ResponseMetadata, which the client adds)."""
        raise NotImplementedError

    def compat_error_parser(self, shape: Shape) -> str:
        """Body of ``_ce_<shape>(r, d) -> dict``: an error's modeled members as botocore adds
        them to the error response; ``d`` is the error body as ``error_info`` returned it."""
        raise NotImplementedError

    def compat_helpers(self) -> list[str]:
        """Whole private definitions the compat bodies call (written after them)."""
        raise NotImplementedError


def host_prefix(view: PackageView, op: Operation, code: Code, dicts: bool = False) -> str:
    """Statements computing an operation's host prefix (every protocol has them);
    returns its expression. ``dicts``: the input ``v`` is a dict (the compat client's)."""
    if not op.host_prefix:
        return "''"
    shape = view.shapes[op.input] if op.input else None
    parts: list[str] = []
    rest = op.host_prefix
    if dicts:  # botocore's check of every label at once, in its words
        labels = tuple(m.name for m in (shape.members if shape else ()) if "{" + m.name + "}" in rest)
        code.add(1, f"_c.check_host_labels(v, {pylit(labels)})")
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        if before:
            parts.append(pylit(before))
        member = next(m for m in (shape.members if shape else ()) if m.name == name)
        if dicts:  # a required member is present: botocore's validation checked it
            value = f"v[{pylit(member.name)}]" if member.required else f"v.get({pylit(member.name)})"
        else:
            value = f"v.{member.py_name}"
        if not member.required:  # a host label is always needed, whatever the model says
            value = f"_rt.need({value}, {pylit(member.py_name)})"
        parts.append(value if dicts else f"_rt.host_label({value}, {pylit(member.py_name)})")
    if rest:
        parts.append(pylit(rest))
    code.add(1, "host = " + " + ".join(parts))
    return "host"


def body_encoding(op: Operation, code: Code) -> None:
    """Compression the model asks for, then the checksum of the bytes as sent."""
    if "gzip" in op.request_compression:
        code.add(1, "body = _rt.gzip_body(body, h)")
    if op.http_checksum_required:
        code.add(1, "_rt.content_md5(body, h)")
