"""Differential checks of one generated client against botocore 1.43.67.

* Request check: the same member-name input goes through the generated client (its
  request captured by a transport that sends nothing) and through botocore's
  serializer (``serialize_to_request`` + ``prepare_request_dict``); method, host,
  path, query (as a multiset of pairs), modeled headers and body are compared.
* Parse check: a random output is written the way the service would send it (JSON
  body with wire names; for rest-json header, status-code and payload bindings) and
  parsed by botocore's parser and by the generated client; the values are compared.

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
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from types import ModuleType
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent.parent
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import botocore.awsrequest  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.model  # noqa: E402
import botocore.parsers  # noqa: E402
import botocore.response  # noqa: E402
import botocore.serialize  # noqa: E402
import botocore.utils  # noqa: E402
from urllib3 import HTTPHeaderDict  # noqa: E402

from awsgen_runtime import wire  # noqa: E402
from awsgen_runtime.client import Config  # noqa: E402
from awsgen_runtime.errors import ParamValidationError  # noqa: E402
from awsgen_runtime.transport import HttpRequest, HttpResponse  # noqa: E402
from generator.botocore_source import cache_dir, service_model_dir  # noqa: E402
from generator.model.naming import package_names  # noqa: E402
from generator.protocols import choose  # noqa: E402
from generator.model.naming import python_name  # noqa: E402

from .strategies import JSON_NULL, UNKNOWN_MEMBER, ShapeStrategies, to_kwargs  # noqa: E402

ENDPOINT = "https://example.com"
UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
PROTOCOLS = ("rest-json", "json")


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
        self.serializer = botocore.serialize.create_serializer(
            self.protocol, include_validation=True,
            timestamp_precision=botocore.serialize.TIMESTAMP_PRECISION_MILLISECOND,
        )
        self.parser = botocore.parsers.create_parser(self.protocol)
        self.capture = Capture()
        self.client = self.package.Client(
            region="us-east-1", endpoint_url=ENDPOINT, anonymous=True, transport=self.capture,
            config=Config(validate=True, max_attempts=1),
        )
        self.loose_client = self.package.Client(
            region="us-east-1", endpoint_url=ENDPOINT, anonymous=True, transport=self.capture,
            config=Config(validate=False, max_attempts=1),
        )

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
            rd = self.serializer.serialize_to_request(params, op_model)
        except botocore.exceptions.ParamValidationError as exc:
            return [Diff("request", "strategy", op, str(exc), None, example=params)]
        except Exception as exc:  # noqa: BLE001 - botocore itself cannot serialize the input
            return [Diff("request", "botocore-error", op, f"{type(exc).__name__}: {exc}", None, example=params)]
        botocore.awsrequest.prepare_request_dict(rd, ENDPOINT)
        expected = botocore.awsrequest.create_request_object(rd).prepare()
        self.capture.requests.clear()
        self.capture.status, self.capture.headers, self.capture.body = 200, HTTPHeaderDict(), b"{}"
        try:
            kwargs = to_kwargs(self.package, self.model, op, params)
            getattr(self.client, python_name(op))(**kwargs)
        except ParamValidationError as exc:
            return [Diff("request", "validation", op, "accepted", str(exc), example=params)]
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
        if e_url.netloc != a_url.netloc:
            out.append(Diff("request", "host", op, e_url.netloc, a_url.netloc))
        if _norm_pct(e_url.path) != _norm_pct(a_url.path):
            out.append(Diff("request", "path", op, e_url.path, a_url.path))
        stamps = self._timestamp_query_keys(op)
        eq, aq = _query_pairs(e_url.query, stamps), _query_pairs(a_url.query, stamps)
        if sorted(eq, key=repr) != sorted(aq, key=repr):
            out.append(Diff("request", "query", op, e_url.query, a_url.query))
        out += self._compare_headers(op, params, dict(rd["headers"]), sent.headers)
        out += self._compare_body(op, rd["body"], sent.body)
        return out

    def _timestamp_query_keys(self, op: str) -> frozenset[str]:
        """Query keys bound to timestamps (or lists of them): compared as instants."""
        shape = self.input_shape(op)
        if shape is None or self.protocol != "rest-json":
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
        if shape is None or self.protocol != "rest-json":
            return single, prefixes
        for name, m in self.shapes[shape].get("members", {}).items():
            if m.get("location") == "header":
                single[m.get("locationName", name).lower()] = {**m, "__name": name}
            elif m.get("location") == "headers":
                prefixes[m.get("locationName", name).lower()] = {**m, "__name": name}
        return single, prefixes

    def _compare_headers(self, op: str, params: dict[str, Any], expected: dict[str, Any],
                         actual: dict[str, str]) -> list[Diff]:
        out: list[Diff] = []
        e = {k.lower(): str(v) for k, v in expected.items()}
        a = {k.lower(): v for k, v in actual.items()}
        single, prefixes = self._header_members(op)
        names = {"x-amz-target", "content-type", "x-amzn-query-mode", *single}
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
                out.append(Diff("request", "header", name, ev, av, rule))
                continue
            rule = None
            if name == "content-type" and ev is None and self._payload_kind(op) in ("blob", "string"):
                rule = "payload-content-type"
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
                return header_instant(ev) == header_instant(av), None
            except ValueError:
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
            expected: Any = self.parser.parse({"status_code": status, "headers": hd, "body": boto_body},
                                              op_model.output_shape)
            expected.pop("ResponseMetadata", None)
            expected = self.from_botocore(self.output_shape(op), expected)
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
            else:
                _default_content_type(headers)
                body = _dumps(self.wire_json(members[payload]["shape"], value))
            return status, headers, body
        if not any("location" not in m for m in members.values()):
            return status, headers, b""
        _default_content_type(headers)
        return status, headers, _dumps(self.wire_json(shape_name, body_values))

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


def _default_content_type(headers: list[tuple[str, str]]) -> None:
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))


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


def services_by_protocol() -> list[str]:
    """Every service of the pinned release whose generated protocol is rest-json or json."""
    from generator.bulk import all_services

    out = []
    for s in all_services():
        try:
            if service_protocol(load_model(s)) in PROTOCOLS:
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
