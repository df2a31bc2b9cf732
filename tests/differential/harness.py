"""Differential checks of one generated client against botocore 1.43.67.

* Request check: the same member-name input goes through the generated client (its
  request captured by a transport that sends nothing) and through botocore's
  serializer (``serialize_to_request`` + ``prepare_request_dict``); method, host,
  path, query (as a multiset of pairs), modeled headers and body are compared.
* Parse check: a random output is written the way the service would send it (JSON
  body with wire names; for rest-json header, status-code and payload bindings) and
  parsed by botocore's parser and by the generated client; the values are compared.
  Query and ec2 responses are ``<OpResponse>`` documents (query with the output's
  ``resultWrapper`` and ``<ResponseMetadata>``), rest-xml has rest-json's bindings with
  an XML body, smithy-rpc-v2-cbor a CBOR map; the XML and CBOR writers here are the
  harness's own, walking the botocore-format shapes.

Every difference is a :class:`Diff`. A difference the tests accept as deliberate
carries a ``rule`` id; the rules and their reasons live in ``test_differential.py``
(``DELIBERATE``), and a difference whose rule is not listed there counts as a mismatch.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
import importlib.util
import io
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from types import ModuleType
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent.parent
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import botocore.awsrequest  # noqa: E402
import cbor2  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.model  # noqa: E402
import botocore.parsers  # noqa: E402
import botocore.response  # noqa: E402
import botocore.serialize  # noqa: E402
import botocore.utils  # noqa: E402
from urllib3 import HTTPHeaderDict  # noqa: E402

from awsgen_runtime import wire  # noqa: E402
from awsgen_runtime.client import Config  # noqa: E402
from awsgen_runtime.errors import EndpointResolutionError, ParamValidationError  # noqa: E402
from awsgen_runtime.transport import HttpRequest, HttpResponse  # noqa: E402
from generator.botocore_source import cache_dir, service_model_dir  # noqa: E402
from generator.model.naming import package_names  # noqa: E402
from generator.protocols import choose  # noqa: E402
from generator.model.naming import python_name  # noqa: E402

from .strategies import JSON_NULL, UNKNOWN_MEMBER, ShapeStrategies, to_kwargs  # noqa: E402

ENDPOINT = "https://example.com"
UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
PROTOCOLS = ("rest-json", "json", "query", "ec2", "rest-xml", "smithy-rpc-v2-cbor")
REST = ("rest-json", "rest-xml")
XML_PROTOCOLS = ("query", "ec2", "rest-xml")
CBOR = "smithy-rpc-v2-cbor"


@dataclass
class Diff:
    check: str  # "request" or "parse"
    kind: str  # method, host, path, query, header, body, validation, error, value, ...
    where: str  # a header name, a JSON path, ...
    botocore: Any
    ours: Any
    rule: str | None = None  # a deliberate-difference rule id, when one applies
    example: Any = field(default=None, repr=False)  # the input or output drawn

    def short(self, width: int = 160) -> str:
        return f"{self.kind} {self.where}: botocore={_clip(self.botocore, width)} ours={_clip(self.ours, width)}"


def _clip(value: Any, width: int) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


# ----- generated packages ------------------------------------------------------------


def _fingerprint() -> str:
    h = hashlib.sha256()
    files = sorted([*(REPO / "generator").rglob("*.py"), *(REPO / "generator").rglob("*.json"),
                    *(REPO / "templates").rglob("*")])
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def ensure_packages(services: list[str], root: Path | None = None, *, quiet: bool = True) -> Path:
    """Generate (once per generator version) the packages of ``services`` with
    ``generate-all --only``; returns the folder holding one distribution per service."""
    if root is None:
        root = cache_dir() / "differential" / _fingerprint()
    missing = [s for s in services if not _package_init(root, s).exists()]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "generator", "generate-all", "--out", str(root), "--only", *missing],
            cwd=REPO, check=True,
            stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL if quiet else None,
        )
    return root


def _package_init(root: Path, service: str) -> Path:
    pkg, dist = package_names(service)
    return root / dist / pkg / "__init__.py"


def load_package(root: Path, service: str) -> ModuleType:
    """Import a generated package under a private alias, so that it never clashes with
    the same package installed from ``generated/``."""
    pkg, _ = package_names(service)
    alias = f"_differential_{pkg}"
    mod = sys.modules.get(alias)
    if mod is not None:
        return mod
    init = _package_init(root, service)
    spec = importlib.util.spec_from_file_location(alias, init, submodule_search_locations=[str(init.parent)])
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[alias] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        del sys.modules[alias]
        raise
    return mod


def load_model(service: str) -> dict[str, Any]:
    return json.loads((service_model_dir(service) / "service-2.json").read_text(encoding="utf-8"))


def service_protocol(model: dict[str, Any]) -> str:
    return choose(model["metadata"]) or ""


def has_event_stream(model: dict[str, Any], shape_name: str | None) -> bool:
    if shape_name is None:
        return False
    shapes = model["shapes"]
    return any(shapes[m["shape"]].get("eventstream") for m in shapes[shape_name].get("members", {}).values())


# ----- transports --------------------------------------------------------------------


class Capture:
    """A transport that records each request and answers with a canned response."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []
        self.status = 200
        self.headers: Any = HTTPHeaderDict()
        self.body = b"{}"

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        self.requests.append(HttpRequest(request.method, request.url, dict(request.headers), bytes(body)))
        if stream:
            return HttpResponse(self.status, self.headers, b"", wire.BytesReader(self.body))
        return HttpResponse(self.status, self.headers, self.body)


def _checksum_config() -> Any:
    import botocore.config

    config = botocore.config.Config(request_checksum_calculation="when_supported",
                                    response_checksum_validation="when_supported")
    return config


#: What botocore's checksum handlers read of the client's configuration (its defaults).
_CHECKSUM_CONFIG = _checksum_config()

#: botocore's handlers that models/customizations/ declares as data: the reference runs
#: them around its serializer and parser, as botocore's client does.
MIRRORED_HANDLERS = frozenset({
    "set_list_objects_encoding_type_url", "decode_list_object", "decode_list_object_v2",
    "decode_list_object_versions", "parse_get_bucket_location", "_handle_request_validation_mode_member",
    "sse_md5", "copy_source_sse_md5", "handle_copy_source_param", "inject_account_id", "fix_route53_ids",
    "base64_encode_user_data", "decode_console_output", "add_accept_header", "add_glacier_version",
    "validate_bucket_name", "validate_ascii_metadata", "handle_expires_header", "change_get_to_post",
    "inject_api_version_header_if_needed",
})


def botocore_handlers() -> Any:
    """An event emitter holding those of botocore's own handlers (from its handler table)."""
    import botocore.handlers
    import botocore.hooks

    # botocore's clients alias old event names ("autoscaling", "route53") to the
    # hyphenated service ids ("auto-scaling", "route-53"); so does this emitter.
    emitter = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    found = set()
    for entry in botocore.handlers.BUILTIN_HANDLERS:
        event, handler = entry[0], entry[1]
        name = getattr(handler, "__name__", "")
        if name in MIRRORED_HANDLERS:
            emitter.register(event, handler)
            found.add(name)
    assert found == MIRRORED_HANDLERS, MIRRORED_HANDLERS - found
    return emitter


_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def _after_call(handlers: Any, event: str, parsed: dict[str, Any], context: dict[str, Any], response: Any,
                model: Any) -> None:
    """Emit botocore's after-call event. Its decode_list_object* handlers fail on a listed
    item without a Key or Prefix, which S3 always sends but the strategies may leave out:
    the handlers see only the items that have one (the same objects, decoded in place).
    A member a handler sets to None is taken as unset, as the generated result has it."""
    view = dict(parsed)
    for k, v in parsed.items():
        if isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
            view[k] = [i for i in v if "Key" in i or "Prefix" in i]
    handlers.emit(event, parsed=view, context=context, http_response=response, model=model)
    for k, v in view.items():
        if v is None:  # a handler's None (an empty <LocationConstraint/>) is an unset member
            parsed.pop(k, None)
        elif not isinstance(v, list):
            parsed[k] = v


class _HttpResponse:
    """What botocore's after-call handlers read of an HTTP response."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body
        self.raw = io.BytesIO(body)


class _Sent(Exception):
    def __init__(self, request: Any) -> None:
        self.request = request
        self.url = request.url


def _stop_before_send(request: Any, **_: Any) -> None:
    raise _Sent(request)


def botocore_sends(client: Any, op: str, **params: Any) -> Any:
    """The request a botocore client (handlers and all) would send for ``op``, unsent."""
    client.meta.events.register("before-send", _stop_before_send)
    try:
        getattr(client, op)(**params)
    except _Sent as sent:
        return sent.request
    finally:
        client.meta.events.unregister("before-send", _stop_before_send)
    raise AssertionError(f"{op} sent nothing")


# ----- one service -------------------------------------------------------------------


class Service:
    def __init__(self, service: str, root: Path, **strategy_options: Any) -> None:
        self.name = service
        self.model = load_model(service)
        self.protocol = service_protocol(self.model)
        self.shapes: dict[str, Any] = self.model["shapes"]
        self.package = load_package(root, service)
        self.botocore = botocore.model.ServiceModel(self.model, service_name=service)
        self.strategies = ShapeStrategies(self.model, protocol=self.protocol, **strategy_options)
        # botocore's default truncates epoch-seconds timestamps to whole seconds; see
        # ``DELIBERATE``/"normalizations" in test_differential.py.
        # botocore's CBOR serializer cannot write milliseconds (it fails on a fractional
        # epoch), so it keeps its default there and the strategies draw whole seconds.
        self.serializer = botocore.serialize.create_serializer(
            self.protocol, include_validation=True,
            timestamp_precision=(botocore.serialize.TIMESTAMP_PRECISION_DEFAULT if self.protocol == CBOR
                                 else botocore.serialize.TIMESTAMP_PRECISION_MILLISECOND),
        )
        self.parser = botocore.parsers.create_parser(self.protocol)
        self._rule_errors: set[re.Pattern[str]] | None = None
        self.handlers = botocore_handlers()
        self.event_name = self.botocore.service_id.hyphenize()
        self.capture = Capture()
        self.client = self.package.Client(
            region="us-east-1", endpoint_url=ENDPOINT, anonymous=True, transport=self.capture,
            config=Config(validate=True, max_attempts=1),
        )
        # Parse checks compare parsing: answers' checksums (random text here) are not checked,
        # as botocore's bare parser does not (tests/functional/test_checksums.py checks them).
        self.loose_client = self.package.Client(
            region="us-east-1", endpoint_url=ENDPOINT, anonymous=True, transport=self.capture,
            config=Config(validate=False, max_attempts=1, response_checksum_validation="when_required"),
        )
        # Parse checks read the canned answer whatever the endpoint: operations whose rule
        # set checks an input member (an ARN) must not fail on the placeholder arguments.
        self.loose_client._resolve_with = lambda extra: ENDPOINT  # type: ignore[method-assign]

    @classmethod
    def model_only(cls, service: str) -> "Service":
        """The model side alone (strategies, writers, botocore), with no generated package:
        for checking the harness itself while the generator lacks the protocol."""
        self = cls.__new__(cls)
        self.name = service
        self.model = load_model(service)
        meta = self.model["metadata"]
        listed = meta.get("protocols") or [meta.get("protocol")]
        from generator.protocols import PRIORITY

        self.protocol = next(p for p in PRIORITY if p in listed)
        self.shapes = self.model["shapes"]
        self.botocore = botocore.model.ServiceModel(self.model, service_name=service)
        self.strategies = ShapeStrategies(self.model, protocol=self.protocol)
        self.parser = botocore.parsers.create_parser(self.protocol)
        self.handlers = botocore_handlers()
        self.event_name = self.botocore.service_id.hyphenize()
        return self

    def writer_round_trip(self, op: str, values: dict[str, Any]) -> str | None:
        """Where botocore's parser reads the response written for ``values`` differently
        from ``values`` themselves (None if it reads them back), ignoring the differences
        of the wire itself: nulls and unknown members dropped, an empty payload as {}."""
        status, headers, body = self.build_response(op, values)
        op_model = self.botocore.operation_model(op)
        hd = botocore.awsrequest.HeadersDict()
        for k, v in headers:
            hd[k] = v
        boto_body: Any = (botocore.response.StreamingBody(io.BytesIO(body), len(body))
                          if op_model.has_streaming_output else body)
        parsed = self.parser.parse({"status_code": status, "headers": hd, "body": boto_body}, op_model.output_shape)
        parsed.pop("ResponseMetadata", None)
        shape_name = self.output_shape(op)
        if shape_name is None:
            return None
        payload = self.shapes[shape_name].get("payload")
        got = norm_ours(self.from_botocore(shape_name, parsed))
        if payload and payload not in values and got.get(python_name(payload)) in ({}, "", b""):
            got.pop(python_name(payload))  # an empty body: botocore's empty stream or {}
        for name, ref in self.shapes[shape_name].get("members", {}).items():
            if ref.get("location") == "headers" and name not in values and got.get(python_name(name)) == {}:
                got.pop(python_name(name))  # botocore always returns a header map
        expected = norm_ours(self.from_botocore(shape_name, _drop_wire_only(self.shapes, shape_name, values)))
        return first_difference(expected, got)

    @property
    def operations(self) -> list[str]:
        return list(self.model["operations"])

    def input_shape(self, op: str) -> str | None:
        return (self.model["operations"][op].get("input") or {}).get("shape")

    def output_shape(self, op: str) -> str | None:
        return (self.model["operations"][op].get("output") or {}).get("shape")

    def skip_reason(self, op: str, check: str) -> str | None:
        if check == "request" and has_event_stream(self.model, self.input_shape(op)):
            return "event-stream input"
        if check == "parse" and has_event_stream(self.model, self.output_shape(op)):
            return "event-stream output"
        return None

    # ----- request ---------------------------------------------------------------------
    def check_request(self, op: str, params: dict[str, Any]) -> list[Diff]:
        op_model = self.botocore.operation_model(op)
        try:
            # botocore writes form and XML members in the order of the caller's dict; the
            # generated client in model order. The same values go in, in model order.
            ordered = self.model_order(self.input_shape(op), params)
            context = {"client_config": _CHECKSUM_CONFIG}
            try:
                self.handlers.emit(f"before-parameter-build.{self.event_name}.{op}", params=ordered,
                                   model=op_model, context=context)
            except botocore.exceptions.ParamValidationError as exc:
                # A handler refuses the input (a bucket name, non-ASCII metadata): ours must too.
                return self._refused_too(op, params, str(exc))
            rd = self.serializer.serialize_to_request(ordered, op_model)
        except botocore.exceptions.ParamValidationError as exc:
            return [Diff("request", "strategy", op, str(exc), None, example=params)]
        except Exception as exc:  # noqa: BLE001 - botocore itself cannot serialize the input
            return [Diff("request", "botocore-error", op, f"{type(exc).__name__}: {exc}", None, example=params)]
        self.handlers.emit(f"before-call.{self.event_name}.{op}", model=op_model, params=rd, request_signer=None,
                           context=context)
        botocore.awsrequest.prepare_request_dict(rd, ENDPOINT)
        created = botocore.awsrequest.create_request_object(rd)
        self.handlers.emit(f"request-created.{self.event_name}.{op}", request=created, operation_name=op)
        expected = created.prepare()
        refused = self._botocore_checksums(rd, op_model, ordered, context)
        self.capture.requests.clear()
        self.capture.status, self.capture.headers, self.capture.body = 200, HTTPHeaderDict(), b"{}"
        if self.protocol not in ("json", "rest-json"):
            # An empty output as the service would write it (XML or CBOR, not "{}").
            status, headers, self.capture.body = self.build_response(op, {})
            for k, v in headers:
                self.capture.headers.add(k, v)
        try:
            kwargs = to_kwargs(self.package, self.model, op, params)
            getattr(self.client, python_name(op))(**kwargs)
        except ParamValidationError as exc:
            if refused is not None and "checksum_algorithm" in str(exc):
                return []  # both refuse an algorithm they cannot compute (xxhash, md5)
            return [Diff("request", "validation", op, "accepted", str(exc), example=params)]
        except EndpointResolutionError as exc:
            if self._rule_set_error(str(exc)):
                # The endpoint rule set rejects the input (an AccountId or OutpostId that is
                # no host label): botocore's client raises the same error, which its bare
                # serializer never reaches. Nothing to compare.
                return []
            return [Diff("request", "crash", op, "ok", f"{type(exc).__name__}: {exc}", example=params)]
        except Exception as exc:  # noqa: BLE001 - any crash is a finding
            return [Diff("request", "crash", op, "ok", f"{type(exc).__name__}: {exc}", example=params)]
        if len(self.capture.requests) != 1:
            return [Diff("request", "count", op, 1, len(self.capture.requests), example=params)]
        sent = self.capture.requests[0]
        diffs = self._compare_request(op, params, rd, expected, sent)
        for d in diffs:
            d.example = params
        return diffs

    def _compare_request(self, op: str, params: dict[str, Any], rd: dict[str, Any], expected: Any,
                         sent: HttpRequest) -> list[Diff]:
        out: list[Diff] = []
        if sent.method != expected.method:
            out.append(Diff("request", "method", op, expected.method, sent.method))
        e_url, a_url = urlsplit(expected.url), urlsplit(sent.url)
        e_path, a_path = _norm_pct(e_url.path), _norm_pct(a_url.path)
        e_host, a_host = e_url.netloc, a_url.netloc
        bucket = self._virtual_host_bucket(params, e_host, a_host, e_path, a_path)
        if bucket is not None:
            # S3's endpoint rules put a DNS-compatible bucket into the host name, where
            # botocore's serializer (before its endpoint handlers run) keeps it in the path.
            a_host, a_path = e_host, _norm_pct("/" + _quote_label(bucket)) + ("" if a_path == "/" else a_path)
        if e_host != a_host:
            # botocore's serializer knows only the model's host prefix and the endpoint it is
            # given; its client also runs the endpoint rule set with the operation's context
            # parameters (Sign-In's control-plane operations ignore an endpoint override) and
            # handlers (S3 Control's account-id prefix). The full client is the reference.
            e_host = self._client_host(op, params) or e_host
        if e_host != a_host:
            out.append(Diff("request", "host", op, e_host, a_url.netloc))
        if e_path != a_path:
            out.append(Diff("request", "path", op, e_url.path, a_url.path))
        stamps = self._timestamp_query_keys(op)
        eq, aq = _query_pairs(e_url.query, stamps), _query_pairs(a_url.query, stamps)
        if sorted(eq, key=repr) != sorted(aq, key=repr):
            out.append(Diff("request", "query", op, e_url.query, a_url.query))
        # the headers as request-created handlers left them (change_get_to_post's Content-Type)
        headers = dict(rd["headers"])
        if expected.method != rd["method"]:
            headers.update({k: v for k, v in expected.headers.items() if k.lower() == "content-type"})
        out += self._compare_headers(op, params, headers, sent.headers, sent.body)
        # Form bodies (query, ec2) are a dict in botocore's request dict; compare the encoding.
        # (a handler that made a GET a form POST changed the body, not the request dict)
        out += self._compare_body(op, expected.body if self.protocol in ("query", "ec2") or expected.method != rd["method"]
                                  else rd["body"], sent.body)
        return out

    def _refused_too(self, op: str, params: dict[str, Any], theirs: str) -> list[Diff]:
        try:
            getattr(self.client, python_name(op))(**to_kwargs(self.package, self.model, op, params))
        except ParamValidationError:
            return []
        except Exception:  # noqa: BLE001 - the canned answer need not parse: the request went out
            pass
        return [Diff("request", "validation", op, theirs, "accepted", example=params)]

    def _botocore_checksums(self, rd: dict[str, Any], op_model: Any, params: dict[str, Any],
                            context: dict[str, Any]) -> str | None:
        """botocore's flexible checksums (its httpchecksum handlers, as its client runs them
        by default) applied to the request dict; the error when botocore refuses."""
        import botocore.httpchecksum as hc

        if not op_model.http_checksum:
            return None
        rd["context"] = context
        try:
            hc.resolve_request_checksum_algorithm(rd, op_model, params)
            hc.apply_request_checksum(rd)
        except Exception as exc:  # noqa: BLE001 - an algorithm botocore cannot compute without awscrt
            return f"{type(exc).__name__}: {exc}"
        if hasattr(rd["body"], "read"):  # aws-chunked with the checksum in its trailer
            rd["body"] = rd["body"].read()
        return None

    def _rule_set_error(self, message: str) -> bool:
        """Whether ``message`` is one of the rule set's own error rules (placeholders
        such as ``{Bucket}`` match anything)."""
        if self._rule_errors is None:
            path = service_model_dir(self.name) / "endpoint-rule-set-1.json"
            text = path.read_text(encoding="utf-8") if path.exists() else "{}"
            found: set[str] = set()

            def walk(node: Any) -> None:
                if isinstance(node, dict):
                    if node.get("type") == "error" and isinstance(node.get("error"), str):
                        found.add(node["error"])
                    for v in node.values():
                        walk(v)
                elif isinstance(node, list):
                    for v in node:
                        walk(v)

            walk(json.loads(text))
            self._rule_errors = {
                re.compile(".*".join(re.escape(part) for part in re.split(r"\{[^}]*\}", e)), re.S)
                for e in found if len(re.sub(r"\{[^}]*\}", "", e).strip()) >= 8}
        return any(r.search(message) for r in self._rule_errors)

    def _client_host(self, op: str, params: dict[str, Any]) -> str | None:
        """The host botocore's full client (handlers, endpoint rule set) sends ``op`` to."""
        import botocore.session

        client = getattr(self, "_botocore_client", None)
        if client is None:
            client = self._botocore_client = botocore.session.get_session().create_client(
                self.name, region_name="us-east-1", endpoint_url=ENDPOINT,
                aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
            client.meta.events.register("before-send", _stop_before_send)
        try:
            getattr(client, botocore.xform_name(op))(**params)
        except _Sent as sent:
            return urlsplit(sent.url).netloc
        except Exception:  # noqa: BLE001 - botocore's client refuses the input: no reference
            return None
        return None

    def _virtual_host_bucket(self, params: dict[str, Any], e_host: str, a_host: str, e_path: str,
                             a_path: str) -> str | None:
        bucket = params.get("Bucket")
        if not isinstance(bucket, str) or a_host != f"{bucket}.{e_host}":
            return None
        prefix = _norm_pct("/" + _quote_label(bucket))
        if e_path == prefix or e_path.startswith(prefix + "/"):
            return bucket
        return None

    def model_order(self, shape_name: str | None, value: Any) -> Any:
        """``value`` with every structure's members in model order (maps keep theirs)."""
        if shape_name is None or value is None:
            return value
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure" and not shape.get("document") and isinstance(value, dict):
            members = shape.get("members", {})
            return {k: self.model_order(members[k]["shape"], value[k]) for k in members if k in value}
        if t == "list" and isinstance(value, list):
            return [self.model_order(shape["member"]["shape"], v) for v in value]
        if t == "map" and isinstance(value, dict):
            return {k: self.model_order(shape["value"]["shape"], v) for k, v in value.items()}
        return value

    def _timestamp_query_keys(self, op: str) -> frozenset[str]:
        """Query keys bound to timestamps (or lists of them): compared as instants."""
        shape = self.input_shape(op)
        if shape is None or self.protocol not in REST:
            return frozenset()
        out = set()
        for name, m in self.shapes[shape].get("members", {}).items():
            if m.get("location") != "querystring":
                continue
            t = self.shapes[m["shape"]]
            if t["type"] == "list":
                t = self.shapes[t["member"]["shape"]]
            if t["type"] == "timestamp":
                out.add(m.get("locationName", name))
        return frozenset(out)

    def _header_members(self, op: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """Lower-case header name -> member ref; lower-case prefix -> member ref."""
        single: dict[str, dict[str, Any]] = {}
        prefixes: dict[str, dict[str, Any]] = {}
        shape = self.input_shape(op)
        if shape is None or self.protocol not in REST:
            return single, prefixes
        for name, m in self.shapes[shape].get("members", {}).items():
            if m.get("location") == "header":
                single[m.get("locationName", name).lower()] = {**m, "__name": name}
            elif m.get("location") == "headers":
                prefixes[m.get("locationName", name).lower()] = {**m, "__name": name}
        return single, prefixes

    def _compare_headers(self, op: str, params: dict[str, Any], expected: dict[str, Any],
                         actual: dict[str, str], body: bytes = b"") -> list[Diff]:
        out: list[Diff] = []
        e = {k.lower(): str(v) for k, v in expected.items()}
        a = {k.lower(): v for k, v in actual.items()}
        single, prefixes = self._header_members(op)
        names = {"x-amz-target", "content-type", "x-amzn-query-mode", *single}
        if self.protocol == CBOR:
            names |= {"smithy-protocol", "accept"}
        for prefix in prefixes:
            names |= {k for k in (*e, *a) if k.startswith(prefix)}
        for name in sorted(names):
            ev, av = e.get(name), a.get(name)
            if ev == av:
                continue
            member = single.get(name)
            if ev is not None and av is not None and member is not None:
                same, rule = self._same_header_value(member, ev, av, params)
                if same:
                    continue
                if rule is None and name == "content-length" and av == str(len(body)):
                    rule = "content-length-from-body"
                out.append(Diff("request", "header", name, ev, av, rule))
                continue
            rule = None
            if name == "content-length" and member is not None and ev is None and av == str(len(body)):
                rule = "content-length-from-body"  # the transport's, not the member's
            elif name == "content-type" and ev is None and self._payload_kind(op) in ("blob", "string"):
                rule = "payload-content-type"
            elif (name == "content-type" and ev is None and self.protocol == "rest-xml"
                  and av == "application/xml"):
                rule = "xml-content-type"
            elif (member is not None and ev is None and av == "" and params.get(member["__name"]) == []
                  and self.shapes[member["shape"]]["type"] == "list"):
                rule = "empty-list-header"
            out.append(Diff("request", "header", name, ev, av, rule))
        return out

    def _same_header_value(self, member: dict[str, Any], ev: str, av: str, params: dict[str, Any]) -> tuple[bool, str | None]:
        target = self.shapes[member["shape"]]
        t = target["type"]
        if t == "list":
            ei, ai = split_header_list(ev), split_header_list(av)
            if ei == ai:
                return True, None
            original = params.get(member["__name"])
            if original is not None and [str(x) for x in original] == ai:
                return False, "header-list-escaping"  # ours round-trips, botocore's does not
            return False, None
        if t == "timestamp":
            try:
                e_ms, a_ms = header_instant(ev), header_instant(av)
            except ValueError:
                return False, None
            if e_ms == a_ms:
                return True, None
            if e_ms == a_ms - a_ms % 1000:
                return False, "header-timestamp-millis"  # botocore drops the milliseconds
            return False, None
        if member.get("jsonvalue") or target.get("jsonvalue"):
            try:
                return json.loads(base64.b64decode(ev)) == json.loads(base64.b64decode(av)), None
            except ValueError:
                return False, None
        return False, None

    def _payload_kind(self, op: str) -> str | None:
        shape = self.input_shape(op)
        if shape is None:
            return None
        payload = self.shapes[shape].get("payload")
        if payload is None:
            return None
        target = self.shapes[self.shapes[shape]["members"][payload]["shape"]]
        if target["type"] == "structure":
            return "document" if target.get("document") else "structure"
        return target["type"]

    def _compare_body(self, op: str, expected: Any, actual: bytes) -> list[Diff]:
        if isinstance(expected, str):
            expected = expected.encode("utf-8")
        elif hasattr(expected, "read"):
            expected = expected.read()
        expected = bytes(expected or b"")
        if expected == actual:
            return []
        kind = self._payload_kind(op)
        if kind in ("blob", "string") or not expected or not actual:
            return [Diff("request", "body", op, expected, actual)]
        if self.protocol in ("query", "ec2"):
            return _compare_form(op, expected, actual)
        if self.protocol == "rest-xml":
            return _compare_xml(op, expected, actual)
        if self.protocol == CBOR:
            return _compare_cbor(op, expected, actual)
        try:
            ej, aj = json.loads(expected), json.loads(actual)
        except ValueError:
            return [Diff("request", "body", op, expected, actual)]
        shape = self.input_shape(op)
        if kind in ("structure", "document"):
            shape = self.shapes[shape]["members"][self.shapes[shape]["payload"]]["shape"]  # type: ignore[index]
        en, an = norm_json(self.shapes, shape, ej), norm_json(self.shapes, shape, aj)
        if en == an:
            return []
        return [Diff("request", "body", first_difference(en, an) or "$", ej, aj)]

    # ----- parse -----------------------------------------------------------------------
    def check_parse(self, op: str, values: dict[str, Any]) -> list[Diff]:
        status, headers, body = self.build_response(op, values)
        op_model = self.botocore.operation_model(op)
        streaming = op_model.has_streaming_output
        hd = botocore.awsrequest.HeadersDict()
        for k, v in headers:
            hd[k] = v
        boto_body: Any = botocore.response.StreamingBody(io.BytesIO(body), len(body)) if streaming else body
        diffs: list[Diff] = []
        try:
            response_dict = {"status_code": status, "headers": hd, "body": boto_body}
            customized: dict[str, Any] = {}  # what before-parse handlers add (S3's ExpiresString)
            self.handlers.emit(f"before-parse.{self.event_name}.{op}", operation_model=op_model,
                               response_dict=response_dict, customized_response_dict=customized)
            expected: Any = self.parser.parse(response_dict, op_model.output_shape)
            # The handlers see the context the same call's parameters left (no EncodingType given).
            context: dict[str, Any] = {}
            self.handlers.emit(f"before-parameter-build.{self.event_name}.{op}", params={}, model=op_model,
                               context=context)
            _after_call(self.handlers, f"after-call.{self.event_name}.{op}", expected, context,
                        _HttpResponse(status, body), op_model)
            expected.pop("ResponseMetadata", None)
            expected = self.from_botocore(self.output_shape(op), expected)
            expected.update({python_name(k): v for k, v in customized.items()})
        except Exception as exc:  # noqa: BLE001
            expected = _Failed(f"{type(exc).__name__}: {exc}")
        self.capture.status, self.capture.body = status, body
        self.capture.headers = HTTPHeaderDict()
        for k, v in headers:
            self.capture.headers.add(k, v)
        try:
            from tests.compliance.convert import Converter

            kwargs = Converter(self.shapes, self.package).required_dummies(self.input_shape(op))
            result = getattr(self.loose_client, python_name(op))(**kwargs)
            actual: Any = {} if result is None else norm_ours(result.to_dict())
        except Exception as exc:  # noqa: BLE001
            actual = _Failed(f"{type(exc).__name__}: {exc}")
        if isinstance(expected, _Failed) or isinstance(actual, _Failed):
            kind = "harness" if isinstance(expected, _Failed) and isinstance(actual, _Failed) else "error"
            diffs.append(Diff("parse", kind, op, expected, actual))
        else:
            found = self._parse_differences(op, values, expected, actual)
            unexplained = [where for where, rule in found if rule is None]
            if unexplained:
                diffs.append(Diff("parse", "value", unexplained[0], expected, actual))
            else:
                for rule in sorted({rule for _, rule in found if rule is not None}):
                    where = next(w for w, r in found if r == rule)
                    diffs.append(Diff("parse", "value", where, expected, actual, rule))
        for d in diffs:
            d.example = {"values": values, "status": status, "headers": headers, "body": body}
        return diffs

    def _parse_differences(self, op: str, values: dict[str, Any], expected: dict[str, Any],
                           actual: dict[str, Any]) -> list[tuple[str, str | None]]:
        """Every place the two parsed outputs differ, each with the deliberate-difference
        rule that explains it, or None."""
        shape = self.shapes[self.output_shape(op) or ""] if self.output_shape(op) else {}
        by_py = {python_name(m): m for m in shape.get("members", {})}
        out: list[tuple[str, str | None]] = []
        for name in sorted(set(expected) | set(actual)):
            e, a = expected.get(name, _ABSENT), actual.get(name, _ABSENT)
            if first_difference(e, a) is None:
                continue
            member_name = by_py.get(name)
            if member_name is not None:
                m = shape["members"][member_name]
                target = self.shapes[m["shape"]]
                if m.get("location") == "header" and target["type"] == "list":
                    raw = values.get(member_name) or []
                    if any(("," in str(v) or '"' in str(v)) for v in raw) and a == norm_ours(raw):
                        out.append((f"$.{name}", "header-list-escaping"))
                        continue
                if (shape.get("payload") == member_name and not values.get(member_name) and a is _ABSENT
                        and e in (b"", "", {})):
                    out.append((f"$.{name}", "empty-payload"))
                    continue
            self._walk(e, a, f"$.{name}", out)
        return out

    def _walk(self, e: Any, a: Any, path: str, out: list[tuple[str, str | None]]) -> None:
        if isinstance(e, dict) and isinstance(a, dict):
            for k in sorted(set(e) | set(a), key=str):
                self._walk(e.get(k, _ABSENT), a.get(k, _ABSENT), f"{path}.{k}", out)
            return
        if isinstance(e, list) and isinstance(a, list) and len(e) == len(a):
            for i, (x, y) in enumerate(zip(e, a)):
                self._walk(x, y, f"{path}[{i}]", out)
            return
        if first_difference(e, a) is None:
            return
        if self.protocol == "json" and isinstance(e, str) and _special_equal(e, a):
            out.append((path, "json-special-float"))
            return
        out.append((path, None))

    # ----- responses as the service sends them ------------------------------------------
    def build_response(self, op: str, values: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        shape_name = self.output_shape(op)
        headers: list[tuple[str, str]] = [("x-amzn-RequestId", "differential-0")]
        if self.protocol in ("query", "ec2"):
            headers.append(("Content-Type", "text/xml"))
            return 200, headers, self.query_body(op, shape_name, values, pretty=_pretty(values))
        if self.protocol == CBOR:
            headers += [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")]
            if shape_name is None:
                return 200, headers, b""
            return 200, headers, cbor2.dumps(self.wire_cbor(shape_name, values))
        if self.protocol == "json":
            version = self.model["metadata"].get("jsonVersion", "1.0")
            headers.append(("Content-Type", f"application/x-amz-json-{version}"))
            if shape_name is None:
                return 200, headers, b"{}"
            return 200, headers, _dumps(self.wire_json(shape_name, values))
        status = 200
        if shape_name is None:
            return status, headers, b""
        shape = self.shapes[shape_name]
        members = shape.get("members", {})
        payload = shape.get("payload")
        body_values: dict[str, Any] = {}
        for name, value in values.items():
            m = members.get(name, {})
            loc = m.get("location")
            if loc == "header":
                headers.append((m.get("locationName", name), self.header_text(m, value)))
            elif loc == "headers":
                prefix = m.get("locationName", name)
                for k, v in value.items():
                    headers.append((prefix + k, v))
            elif loc == "statusCode":
                status = value
            elif name == payload:
                pass
            else:
                body_values[name] = value
        if payload is not None:
            target = self.shapes[members[payload]["shape"]]
            value = values.get(payload)
            if value is None:
                body = b""
            elif target["type"] == "blob":
                body = value
            elif target["type"] == "string":
                body = value.encode("utf-8")
            elif self.protocol == "rest-xml":
                _default_content_type(headers, "application/xml")
                ref = members[payload]
                tag = ref.get("locationName") or self.shapes[ref["shape"]].get("locationName") or ref["shape"]
                body = xml_document(self.xml_elements(ref["shape"], value, tag, ref, _pretty(values)))
            else:
                _default_content_type(headers)
                body = _dumps(self.wire_json(members[payload]["shape"], value))
            return status, headers, body
        if not any("location" not in m for m in members.values()):
            return status, headers, b""
        if self.protocol == "rest-xml":
            _default_content_type(headers, "application/xml")
            root_text = self.root_text_member(op)
            if root_text is not None:  # the answer is the bare member element (GetBucketLocation)
                value = body_values.get(root_text)
                text = "" if value is None else _xml_escape(str(value))
                return status, headers, xml_document([f'<{root_text} xmlns="{_S3_NS}">{text}</{root_text}>'])
            tag = shape.get("locationName", shape_name)
            return status, headers, xml_document(self.xml_elements(shape_name, body_values, tag, {}, _pretty(values)))
        _default_content_type(headers)
        return status, headers, _dumps(self.wire_json(shape_name, body_values))

    def root_text_member(self, op: str) -> str | None:
        """The output member a customization reads from the answer's root text, if any."""
        from generator.customizations import load_customizations

        entry = (load_customizations(self.name).get("operations") or {}).get(op) or {}
        name: str | None = entry.get("output_from_root_text")
        return name

    # ----- XML and CBOR bodies ------------------------------------------------------------
    def query_body(self, op: str, shape_name: str | None, values: dict[str, Any], pretty: bool) -> bytes:
        """``<OpResponse>`` holding ``<OpResult>`` (the output's ``resultWrapper``) and
        ``<ResponseMetadata>`` (query), or the members and ``<requestId>`` (ec2)."""
        ns = self.model["metadata"].get("xmlNamespace")
        root = f"{op}Response"
        attrs = f' xmlns="{_xml_escape(ns, True)}"' if ns else ""
        children: list[str] = []
        if self.protocol == "ec2":
            children.append("<requestId>differential-0</requestId>")
        if shape_name is not None:
            wrapper = (self.model["operations"][op].get("output") or {}).get("resultWrapper")
            if wrapper:
                children += self.xml_elements(shape_name, values, wrapper, {}, pretty)
            else:
                extra, members = self._xml_structure_parts(shape_name, values, pretty)
                attrs += extra
                children += members
        if self.protocol == "query":
            children.append("<ResponseMetadata><RequestId>differential-0</RequestId></ResponseMetadata>")
        return xml_document([f"<{root}{attrs}>{_xml_join(children, pretty)}</{root}>"])

    def xml_elements(self, shape_name: str, value: Any, tag: str, ref: dict[str, Any], pretty: bool) -> list[str]:
        """The elements (several for a flattened list) that hold ``value`` as ``tag``."""
        shape = self.shapes[shape_name]
        t = shape["type"]
        ns = _xmlns(ref.get("xmlNamespace") or shape.get("xmlNamespace"))
        if t == "structure" and not shape.get("document"):
            attrs, children = self._xml_structure_parts(shape_name, value, pretty)
            return [f"<{tag}{ns}{attrs}>{_xml_join(children, pretty)}</{tag}>"]
        if t == "list":
            item = shape["member"]
            if ref.get("flattened") or shape.get("flattened"):
                return [e for v in value for e in self.xml_elements(item["shape"], v, tag, item, pretty)]
            name = item.get("locationName", "member")
            children = [e for v in value for e in self.xml_elements(item["shape"], v, name, item, pretty)]
            return [f"<{tag}{ns}>{_xml_join(children, pretty)}</{tag}>"]
        if t == "map":
            kref, vref = shape["key"], shape["value"]
            kname, vname = kref.get("locationName", "key"), vref.get("locationName", "value")

            def entry(k: Any, v: Any) -> str:
                return _xml_join([*self.xml_elements(kref["shape"], k, kname, kref, pretty),
                                  *self.xml_elements(vref["shape"], v, vname, vref, pretty)], pretty)

            if ref.get("flattened") or shape.get("flattened"):
                return [f"<{tag}{ns}>{entry(k, v)}</{tag}>" for k, v in value.items()]
            entries = [f"<entry>{entry(k, v)}</entry>" for k, v in value.items()]
            return [f"<{tag}{ns}>{_xml_join(entries, pretty)}</{tag}>"]
        return [f"<{tag}{ns}>{_xml_escape(self.xml_text(shape_name, ref, value))}</{tag}>"]

    def _xml_structure_parts(self, shape_name: str, value: dict[str, Any], pretty: bool) -> tuple[str, list[str]]:
        """A structure's attributes (xmlAttribute members) and child elements."""
        members = self.shapes[shape_name].get("members", {})
        attrs: list[str] = []
        children: list[str] = []
        for k, v in value.items():
            if k == UNKNOWN_MEMBER:
                inner = _xml_escape(json.dumps(v))
                children.append(f"<zzUnmodeledMember>{f'<member>{inner}</member>' if isinstance(v, (list, dict)) else inner}"
                                "</zzUnmodeledMember>")
                continue
            if v is JSON_NULL:
                continue  # XML has no null: an unset member is no element
            m = members[k]
            if m.get("location"):
                continue  # bound to the status line or a header
            if m.get("xmlAttribute"):
                attrs.append(f' {m.get("locationName", k)}="{_xml_escape(self.xml_text(m["shape"], m, v), True)}"')
                continue
            children += self.xml_elements(m["shape"], v, self.xml_member_name(k, m), m, pretty)
        return "".join(attrs), children

    def xml_member_name(self, name: str, ref: dict[str, Any]) -> str:
        """A member's element name. A flattened list whose member has a locationName
        repeats that name (botocore's and the legacy protocol suites' reading)."""
        target = self.shapes[ref["shape"]]
        if target["type"] == "list" and (ref.get("flattened") or target.get("flattened")):
            item_name = target["member"].get("locationName")
            if item_name:
                return str(item_name)
        return str(ref.get("locationName", name))

    def xml_text(self, shape_name: str, ref: dict[str, Any], value: Any) -> str:
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "timestamp":
            fmt = (ref.get("timestampFormat") or shape.get("timestampFormat") or "iso8601").lower()
            return str(ts_number(value)) if fmt == "unixtimestamp" else ts_text(value, fmt)
        if t == "blob":
            return base64.b64encode(value).decode("ascii")
        if t == "boolean":
            return "true" if value else "false"
        if t in ("float", "double"):
            v = _special_float(value)
            return v if isinstance(v, str) else repr(v)
        if t == "structure":  # a document
            return json.dumps(value)
        return str(value)

    def wire_cbor(self, shape_name: str, value: Any) -> Any:
        """A value as a CBOR service writes it: structures as maps keyed by member name,
        timestamps as tag 1 epoch seconds, blobs as byte strings."""
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if shape.get("document"):
                return value
            members = shape.get("members", {})
            out: dict[str, Any] = {}
            for k, v in value.items():
                if k == UNKNOWN_MEMBER:
                    out["zzUnmodeledMember"] = v
                elif v is JSON_NULL:
                    out[k] = None
                else:
                    out[k] = self.wire_cbor(members[k]["shape"], v)
            return out
        if t == "list":
            return [self.wire_cbor(shape["member"]["shape"], v) for v in value]
        if t == "map":
            return {k: self.wire_cbor(shape["value"]["shape"], v) for k, v in value.items()}
        if t == "timestamp":
            return cbor2.CBORTag(1, ts_number(value))
        return value

    def wire_json(self, shape_name: str, value: Any, ref: dict[str, Any] | None = None) -> Any:
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if shape.get("document"):
                return value
            members = shape.get("members", {})
            out = {}
            for k, v in value.items():
                if k == UNKNOWN_MEMBER:
                    out["zzUnmodeledMember"] = v
                elif v is JSON_NULL:
                    out[members[k].get("locationName", k)] = None
                else:
                    out[members[k].get("locationName", k)] = self.wire_json(members[k]["shape"], v, members[k])
            return out
        if t == "list":
            return [self.wire_json(shape["member"]["shape"], v, shape["member"]) for v in value]
        if t == "map":
            return {k: self.wire_json(shape["value"]["shape"], v, shape["value"]) for k, v in value.items()}
        if t == "timestamp":
            fmt = ((ref or {}).get("timestampFormat") or shape.get("timestampFormat") or "unixTimestamp").lower()
            return ts_text(value, fmt) if fmt != "unixtimestamp" else ts_number(value)
        if t == "blob":
            return base64.b64encode(value).decode("ascii")
        if t in ("float", "double"):
            return _special_float(value)
        return value

    def header_text(self, member: dict[str, Any], value: Any) -> str:
        target = self.shapes[member["shape"]]
        t = target["type"]
        if t == "list":
            item_ref = target["member"]
            items = [self.header_text(item_ref, v) for v in value]
            if self.shapes[item_ref["shape"]]["type"] == "string":
                items = [_quote_item(i) for i in items]
            return ", ".join(items)
        if t == "timestamp":
            fmt = (member.get("timestampFormat") or target.get("timestampFormat") or "rfc822").lower()
            return str(ts_number(value)) if fmt == "unixtimestamp" else ts_text(value, fmt)
        if member.get("jsonvalue") or target.get("jsonvalue"):
            return base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")
        if t == "boolean":
            return "true" if value else "false"
        if t in ("float", "double"):
            v = _special_float(value)
            return v if isinstance(v, str) else repr(v)
        return str(value)

    # ----- botocore's parsed values in the generated package's terms --------------------
    def from_botocore(self, shape_name: str | None, value: Any) -> Any:
        if shape_name is None:
            return {}
        shape = self.shapes[shape_name]
        t = shape["type"]
        if value is None:
            return None
        if t == "structure":
            if shape.get("document"):
                return norm_ours(value)
            members = shape.get("members", {})
            return {python_name(k): self.from_botocore(members[k]["shape"], v) for k, v in value.items()
                    if k in members}
        if t == "list":
            return [self.from_botocore(shape["member"]["shape"], v) for v in value]
        if t == "map":
            return {k: self.from_botocore(shape["value"]["shape"], v) for k, v in value.items()}
        if t == "blob":
            if hasattr(value, "read"):
                value = value.read()
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if t == "string" and hasattr(value, "read"):
            return value.read().decode("utf-8")
        return norm_ours(value)


def _drop_wire_only(shapes: dict[str, Any], shape_name: str, value: Any) -> Any:
    """A drawn output without what only the wire has: nulls and unknown members."""
    shape = shapes[shape_name]
    t = shape["type"]
    if t == "structure" and not shape.get("document") and isinstance(value, dict):
        members = shape.get("members", {})
        return {k: _drop_wire_only(shapes, members[k]["shape"], v) for k, v in value.items()
                if k != UNKNOWN_MEMBER and v is not JSON_NULL}
    if t == "list":
        return [_drop_wire_only(shapes, shape["member"]["shape"], v) for v in value]
    if t == "map":
        return {k: _drop_wire_only(shapes, shape["value"]["shape"], v) for k, v in value.items()}
    return value


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()


def _special_equal(text: str, value: Any) -> bool:
    """Whether ``text`` is the JSON spelling of the special float ``value``."""
    if text == "NaN":
        return isinstance(value, _NaN)
    if text in ("Infinity", "-Infinity"):
        return isinstance(value, float) and math.isinf(value) and (value > 0) == (text == "Infinity")
    return False


class _Failed:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<raised {self.text[:200]}>"


# ----- value helpers -----------------------------------------------------------------


def _default_content_type(headers: list[tuple[str, str]], value: str = "application/json") -> None:
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", value))


# ----- XML, form and CBOR helpers ------------------------------------------------------


def _pretty(values: Any) -> bool:
    """Whether to indent a response's XML (services do both): half the examples are."""
    return zlib.crc32(repr(values).encode("utf-8", "surrogatepass")) & 1 == 1


def _xml_join(children: list[str], pretty: bool) -> str:
    if not pretty:
        return "".join(children)
    return "".join("\n  " + c for c in children) + "\n"


def _xml_escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _xmlns(ns: Any) -> str:
    if isinstance(ns, str):
        return f' xmlns="{_xml_escape(ns, True)}"'
    if isinstance(ns, dict) and ns.get("uri"):
        prefix = f":{ns['prefix']}" if ns.get("prefix") else ""
        return f' xmlns{prefix}="{_xml_escape(ns["uri"], True)}"'
    return ""


def xml_document(elements: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(elements)).encode("utf-8")


def _quote_label(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="~")


_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")
_NUMBER = re.compile(r"-?\d+(\.\d*)?([eE][+-]?\d+)?$|NaN$|-?Infinity$")


def same_text(e: str, a: str) -> bool:
    """Equal wire text, or the same instant (ISO 8601: botocore writes ``.000Z``), or
    the same number."""
    if e == a:
        return True
    if _ISO.match(e) and _ISO.match(a):
        try:
            return header_instant(e) == header_instant(a)
        except (ValueError, OverflowError):
            return False
    if _NUMBER.match(e) and _NUMBER.match(a):
        x, y = float(e), float(a)
        return x == y or (math.isnan(x) and math.isnan(y))
    return False


def form_pairs(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


def _compare_form(op: str, expected: bytes, actual: bytes) -> list[Diff]:
    """Form bodies as ordered (name, value) pairs after URL-decoding."""
    ep, ap = form_pairs(expected), form_pairs(actual)
    ed, ad = dict(ep), dict(ap)
    for k in [*ed, *(k for k in ad if k not in ed)]:
        if k not in ed or k not in ad or not same_text(ed[k], ad[k]):
            return [Diff("request", "body", k, ed.get(k, _ABSENT), ad.get(k, _ABSENT))]
    if len(ep) != len(ap) or [k for k, _ in ep] != [k for k, _ in ap]:
        return [Diff("request", "body", "(order)", [k for k, _ in ep], [k for k, _ in ap])]
    return []


def _compare_xml(op: str, expected: bytes, actual: bytes) -> list[Diff]:
    try:
        et, at = ET.fromstring(expected), ET.fromstring(actual)
    except ET.ParseError as exc:
        return [Diff("request", "body", f"{op} (not XML: {exc})", expected, actual)]
    found = xml_difference(et, at, "")
    if found is None:
        return []
    where, e, a, rule = found
    return [Diff("request", "body", where, e, a, rule)]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def xml_difference(e: ET.Element, a: ET.Element, path: str, index: int | None = None
                   ) -> tuple[str, Any, Any, str | None] | None:
    """The first place two XML trees differ: tag (with namespace), attributes, text
    (stripped around child elements; a leaf's text exactly), children in order."""
    path = f"{path}/{_local(e.tag)}" + ("" if index is None else f"[{index}]")
    if e.tag != a.tag:
        return path, e.tag, a.tag, None
    for k in sorted(set(e.attrib) | set(a.attrib)):
        ev, av = e.attrib.get(k), a.attrib.get(k)
        if ev is None or av is None or not same_text(ev, av):
            return f"{path}/@{k}", ev, av, None
    if len(e) == 0 and len(a) == 0:
        et, at = e.text or "", a.text or ""
        if not same_text(et, at):
            # An XML processor reads a literal CR as LF; only &#13; carries a CR.
            rule = "xml-cr-escaped" if "\r" in at and at.replace("\r\n", "\n").replace("\r", "\n") == et else None
            return path, et, at, rule
        return None
    if (e.text or "").strip() != (a.text or "").strip():
        return path, e.text, a.text, None
    if len(e) != len(a):
        return f"{path}[children {len(e)} vs {len(a)}]", [_local(c.tag) for c in e], [_local(c.tag) for c in a], None
    rule_found = None
    for i, (x, y) in enumerate(zip(e, a)):
        sub = xml_difference(x, y, path, i)
        if sub is not None:
            if sub[3] is None:
                return sub
            rule_found = rule_found or sub
    return rule_found


def _compare_cbor(op: str, expected: bytes, actual: bytes) -> list[Diff]:
    try:
        ev, av = cbor2.loads(expected), cbor2.loads(actual)
    except Exception as exc:  # noqa: BLE001
        return [Diff("request", "body", f"{op} (not CBOR: {exc})", expected, actual)]
    en, an = norm_ours(ev), norm_ours(av)
    where = first_difference(en, an)
    if where is None:
        return []
    return [Diff("request", "body", where, ev, av)]


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


def _special_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def ts_number(value: dt.datetime) -> int | float:
    ms = (value - _EPOCH) // dt.timedelta(milliseconds=1)
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def ts_text(value: dt.datetime, fmt: str) -> str:
    value = value.astimezone(UTC)
    if fmt == "rfc822":
        return formatdate(calendar.timegm(value.utctimetuple()), usegmt=True)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{value.microsecond // 1000:03d}Z" if value.microsecond else "Z")


def _quote_item(item: str) -> str:
    if "," in item or '"' in item:
        return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return item


def split_header_list(value: str) -> list[str]:
    """An HTTP list (RFC 9110 §5.6.1): comma-separated, optional whitespace, items may
    be quoted-strings with backslash quoted-pairs. Written here, independently of both
    implementations under test."""
    items: list[str] = []
    i, n = 0, len(value)
    while True:
        while i < n and value[i] in " \t":
            i += 1
        buf: list[str] = []
        if i < n and value[i] == '"':
            i += 1
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(value[i])
                i += 1
            i += 1
            while i < n and value[i] != ",":
                i += 1
            items.append("".join(buf))
        else:
            j = value.find(",", i)
            j = n if j < 0 else j
            items.append(value[i:j].strip(" \t"))
            i = j
        if i >= n:
            return items
        i += 1


def header_instant(text: str) -> int:
    """Milliseconds since the epoch of a timestamp header in any of the three forms."""
    return _instant_ms(botocore.utils.parse_timestamp(text))


def _instant_ms(d: dt.datetime) -> int:
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return round((d - _EPOCH) / dt.timedelta(milliseconds=1))


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")


def _norm_pct(text: str) -> str:
    """RFC 3986 §6.2.2 normalisation: unreserved characters decoded, hex upper-cased."""
    def one(m: re.Match[str]) -> str:
        c = chr(int(m.group(1), 16))
        return c if c in _UNRESERVED else "%" + m.group(1).upper()

    return _PCT.sub(one, text)


def _query_pairs(query: str, stamps: frozenset[str] = frozenset()) -> list[tuple[str, Any]]:
    """The query as (key, value) pairs, percent-encoding normalised; values of the
    timestamp keys ``stamps`` as instants (botocore writes ``.000Z`` for whole seconds)."""
    if not query:
        return []
    out: list[tuple[str, Any]] = []
    for part in query.split("&"):
        if not part:
            continue  # "a=1&" (botocore, for an empty list after a literal query) has no empty pair
        key, eq, value = part.partition("=")
        k = _norm_pct(key)
        v: Any = _norm_pct(value) if eq else None
        if v is not None and unquote(k) in stamps:
            try:
                v = ("ts", header_instant(unquote(v)))
            except (ValueError, OverflowError):
                pass
        out.append((k, v))
    return out


def norm_json(shapes: dict[str, Any], shape_name: str | None, value: Any, ref: dict[str, Any] | None = None) -> Any:
    """A JSON value walked with its shape: timestamps become (wire type, instant)."""
    if shape_name is None or value is None:
        return value
    shape = shapes[shape_name]
    t = shape["type"]
    if t == "structure" and not shape.get("document") and isinstance(value, dict):
        by_wire = {m.get("locationName", k): m for k, m in shape.get("members", {}).items()}
        return {k: norm_json(shapes, by_wire[k]["shape"], v, by_wire[k]) if k in by_wire else v
                for k, v in value.items()}
    if t == "list" and isinstance(value, list):
        return [norm_json(shapes, shape["member"]["shape"], v, shape["member"]) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: norm_json(shapes, shape["value"]["shape"], v, shape["value"]) for k, v in value.items()}
    if t == "timestamp":
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return ("ts-number", round(value * 1000))
            if isinstance(value, str):
                return ("ts-text", _instant_ms(botocore.utils.parse_timestamp(value)))
        except (ValueError, OverflowError):
            pass
    return value


class _NaN:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NaN)

    def __repr__(self) -> str:
        return "nan"

    __hash__ = object.__hash__


def norm_ours(value: Any) -> Any:
    """Plain, comparable values: enums as str, streams read, datetimes as instants."""
    if isinstance(value, dict):
        return {k: norm_ours(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm_ours(v) for v in value]
    if isinstance(value, dt.datetime):
        return ("ts", _instant_us(value))
    if isinstance(value, float) and math.isnan(value):
        return _NaN()
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if hasattr(value, "read"):
        return bytes(value.read())
    return value


def _instant_us(d: dt.datetime) -> int:
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return (d - _EPOCH) // dt.timedelta(microseconds=1)


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """The JSON path of the first place two plain values differ, or None if equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return f"{path}.{k}"
            sub = first_difference(a[k], b[k], f"{path}.{k}")
            if sub is not None:
                return sub
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}[len {len(a)} vs {len(b)}]"
        for i, (x, y) in enumerate(zip(a, b)):
            sub = first_difference(x, y, f"{path}[{i}]")
            if sub is not None:
                return sub
        return None
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return path
    return None if a == b else path


def services_by_protocol(protocols: tuple[str, ...] | list[str] = PROTOCOLS) -> list[str]:
    """Every service of the pinned release whose generated protocol is one of
    ``protocols`` (botocore's choice among the protocols the generator supports)."""
    from generator.bulk import all_services

    out = []
    for s in all_services():
        try:
            if service_protocol(load_model(s)) in protocols:
                out.append(s)
        except (OSError, ValueError, KeyError):
            continue
    return out


# ----- running hypothesis over one operation ------------------------------------------


def run_operation(svc: Service, op: str, check: str, examples: int) -> tuple[list[Diff], str | None, int]:
    """Draw ``examples`` inputs (or outputs) for one operation and collect every
    difference, without stopping at the first. Returns (diffs, skip reason or None,
    examples compared)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable

    reason = svc.skip_reason(op, check)
    if reason is not None:
        return [], reason, 0
    fn: Callable[[str, dict[str, Any]], list[Diff]]
    if check == "request":
        strategy = svc.strategies.operation_input(op)
        fn = svc.check_request
    else:
        strategy = svc.strategies.operation_output(op)
        fn = svc.check_parse
    found: list[Diff] = []
    count = [0]

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              print_blob=False)
    @given(strategy)
    def run(values: dict[str, Any]) -> None:
        count[0] += 1
        found.extend(fn(op, values))

    try:
        run()
    except Unsatisfiable:
        return found, "unsatisfiable", count[0]
    return found, None, count[0]
