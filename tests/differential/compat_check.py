"""The comparison of the boto3-compatible client with boto3 itself, shared by
``test_compat_vs_boto3.py`` (the manifest's json/rest-json services), the sweep sample
(``test_compat_sweep_sample.py``) and ``scripts/compat_sweep.py`` (every json/rest-json
service of the pinned botocore).

Both clients get the same canned answer through one :class:`_Wire`: boto3 (its whole
client, handlers included) is stopped at ``before-send`` and answered there; the compat
client's transport is the wire itself. Per operation, hypothesis draws inputs and answers
from the model (``strategies.py``), the answer written as the service writes it
(``harness.Service.build_response``):

* request: the same method, path, query, body (as JSON values) and headers, apart from
  those that differ per call (date, signature, invocation id, user agent, length of
  differently spaced JSON); idempotency tokens compared as sent by both;
* answer: equal parsed dicts and ``ResponseMetadata``;
* refusals: the same exception class and message (``ParamValidationError`` in botocore's
  words, botocore's other client-side errors);
* modeled errors: every error shape, with members drawn from the model, raises the same
  class with an equal ``.response`` and message.

Normalized on purpose: timestamps compared as instants (boto3's ``tzutc()`` and the
runtime's ``timezone.utc`` compare equal), streaming bodies by their bytes.

Each failed check raises :class:`AssertionError` whose first line names the cause (what
differs, without values) and whose next lines show the values: the sweep groups failures
by that first line. Differences that are not to be matched are listed, each with its
reason, in ``compat_skip_list.yaml`` (:func:`skip_list`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3
import botocore.awsrequest
import botocore.config
from urllib3 import HTTPHeaderDict

from awsgen_runtime import boto3_compat
from awsgen_runtime.transport import HttpRequest, HttpResponse

from .harness import Service, has_event_stream
from .strategies import JSON_NULL, UNKNOWN_MEMBER

ENDPOINT = "https://compat.example.com"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": "us-east-1"}
# headers that differ per call or per client, not per input
_VOLATILE = {"user-agent", "authorization", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request",
             "content-length", "host", "x-amz-security-token"}
SKIP_LIST = Path(__file__).with_name("compat_skip_list.yaml")


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **_: Any) -> Any:
        yield self._body.read()

    def read(self, *args: Any, **_: Any) -> bytes:
        return self._body.read(*args)


class _Wire:
    """The canned answer both clients get, and the requests they sent."""

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[str, str]] = []
        self.body = b"{}"
        self.sent: list[Any] = []

    def boto3_send(self, request: Any, **_: Any) -> Any:
        self.sent.append(("boto3", request.method, request.url, dict(request.headers), request.body))
        headers = botocore.awsrequest.HeadersDict(self.headers)
        return botocore.awsrequest.AWSResponse(request.url, self.status, headers, _Raw(self.body))

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body = request.body.read() if hasattr(request.body, "read") else request.body
        self.sent.append(("compat", request.method, request.url, dict(request.headers), body))
        headers = HTTPHeaderDict(self.headers)
        if stream:
            from awsgen_runtime import wire

            return HttpResponse(self.status, headers, b"", wire.BytesReader(self.body))
        return HttpResponse(self.status, headers, self.body)


def _method(client: Any, op: str) -> str:
    return client.meta.method_to_api_mapping and next(
        k for k, v in client.meta.method_to_api_mapping.items() if v == op)


def _strip(value: Any) -> Any:
    """Input as a caller writes it: no JSON nulls or unknown members (the strategies add
    them for answers)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if v is not JSON_NULL and k != UNKNOWN_MEMBER}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _call(client: Any, method: str, params: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", getattr(client, method)(**params)
    except Exception as exc:  # noqa: BLE001 - compared by the caller, class and content
        return type(exc).__name__, exc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return ("instant", value.timestamp())
    if hasattr(value, "read"):
        return ("stream", value.read())
    if type(value).__name__.endswith("EventStream") and hasattr(value, "__iter__"):
        return ("events", [_plain(event) for event in value])
    return value


def _request(sent: tuple[Any, ...]) -> dict[str, Any]:
    _, method, url, headers, body = sent
    parts = urlsplit(url)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if hasattr(body, "read"):
        body = body.read()
    body = body or b""
    try:
        decoded: Any = json.loads(body) if body.strip() else None
    except ValueError:
        decoded = body
    return {
        "method": method,
        "path": parts.path,
        "query": sorted(parse_qsl(parts.query, keep_blank_values=True)),
        "headers": {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in headers.items()
                    if k.lower() not in _VOLATILE},
        "body": decoded,
    }


def _normalized_tokens(theirs: dict[str, Any], ours: dict[str, Any], tokens: list[tuple[str, str]]) -> None:
    """Idempotency tokens are random per call: compare that both sent one, where the
    model binds it (the body, a header or the query string)."""
    for name, where in tokens:
        if where == "body":
            e, a = theirs["body"], ours["body"]
            if isinstance(e, dict) and isinstance(a, dict) and name in e and name in a:
                e[name] = a[name] = "<token>"
        elif where == "header":
            if name.lower() in theirs["headers"] and name.lower() in ours["headers"]:
                theirs["headers"][name.lower()] = ours["headers"][name.lower()] = "<token>"
        elif where == "querystring":
            for req in (theirs, ours):
                req["query"] = [(k, "<token>" if k == name else v) for k, v in req["query"]]


def _tokens(svc: Service, op: str) -> list[tuple[str, str]]:
    """(wire name, location) of each idempotency token of the operation's input."""
    shape = svc.input_shape(op)
    if shape is None:
        return []
    return [(m.get("locationName", name) if m.get("location") else name, m.get("location", "body"))
            for name, m in svc.shapes[shape]["members"].items() if m.get("idempotencyToken")]


# ----- differences, named by cause --------------------------------------------------------


def _describe(a: Any, b: Any, path: str = "$") -> tuple[str, str] | None:
    """(kind of the first difference, its path) between boto3's value ``a`` and ours ``b``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in b:
                return "key only in boto3's", f"{path}.{k}"
            if k not in a:
                return "key only in compat's", f"{path}.{k}"
            sub = _describe(a[k], b[k], f"{path}.{k}")
            if sub is not None:
                return sub
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "list length", path
        for i, (x, y) in enumerate(zip(a, b)):
            sub = _describe(x, y, f"{path}[{i}]")
            if sub is not None:
                return sub
        return None
    if a == b and (type(a) is type(b) or isinstance(a, (int, float)) and isinstance(b, (int, float))
                   and not isinstance(a, bool) and not isinstance(b, bool)):
        return None
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return None  # NaN on both sides
    if type(a) is not type(b):
        return f"type {type(a).__name__} vs {type(b).__name__}", path
    return "value", path


def _at(value: Any, path: str) -> Any:
    """The value at a path :func:`_describe` wrote (for the message), or ``<absent>``."""
    import re

    node = value
    for key, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:]):
        try:
            node = node[int(index)] if index else node[key]
        except (KeyError, IndexError, TypeError):
            return "<absent>"
    return node


def _clip(value: Any, width: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def assert_same(what: str, expected: Any, actual: Any, example: Any = None) -> None:
    """AssertionError whose first line is ``what`` and the kind of the first difference."""
    found = _describe(expected, actual)
    if found is None:
        return
    kind, path = found
    where = path
    if what == "request headers":  # the header's name is the cause, not a detail
        what, where = f"request header {path[2:].split('.')[0]}", path
    elif what.startswith("request ") and what != "request body":
        where = path
    lines = [f"{what}: {kind}", f"  at {where}: boto3={_clip(_at(expected, path))} compat={_clip(_at(actual, path))}"]
    if example is not None:
        lines.append(f"  example: {_clip(example, 600)}")
    raise AssertionError("\n".join(lines))


# ----- one service's pair of clients ---------------------------------------------------------


@dataclass
class Pair:
    """boto3's client and the compat client of one service on one wire, and the harness's
    view of its model (strategies, answers as the service writes them)."""

    service: str
    theirs: Any
    ours: Any
    wire: _Wire
    svc: Service


def make_pair(service: str, root: Path, *, import_from_root: bool = True) -> Pair:
    """The clients of ``service``; ``root``: a folder of generated distributions
    (``ensure_packages``), put first on ``sys.path`` when ``import_from_root`` (otherwise
    the installed package is used: the manifest's, from generated/)."""
    from generator.model.naming import package_names

    if import_from_root:
        folder = str(root / package_names(service)[1])
        if folder not in sys.path:
            sys.path.insert(0, folder)
    wire = _Wire()
    # standard mode on both: legacy mode's retry rules are not the runtime's (README)
    config = {"retries": {"total_max_attempts": 1, "mode": "standard"}}
    ours = boto3_compat.client(service, endpoint_url=ENDPOINT, config=config, **KEYS)
    ours._core._transport_given = wire
    theirs = boto3.client(service, endpoint_url=ENDPOINT, config=botocore.config.Config(**config), **KEYS)
    theirs.meta.events.register("before-send", wire.boto3_send)
    return Pair(service, theirs, ours, wire, Service(service, root))


def _settings(examples: int, shrink: bool) -> Any:
    from hypothesis import HealthCheck, Phase, settings

    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, phases=phases,
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False)


def _same_outcome(e_kind: str, expected: Any, a_kind: str, actual: Any, example: Any) -> bool:
    """Checks the two calls ended the same way; True when both raised (compared here)."""
    if a_kind != e_kind:
        raise AssertionError(f"outcome: boto3 {e_kind}, compat {a_kind}\n"
                             f"  boto3: {_clip(str(expected))}\n  compat: {_clip(str(actual))}\n"
                             f"  example: {_clip(example, 600)}")
    if e_kind == "ok":
        return False
    if str(actual) != str(expected):
        raise AssertionError(f"{e_kind} message differs\n  boto3: {_clip(str(expected), 600)}\n"
                             f"  compat: {_clip(str(actual), 600)}\n  example: {_clip(example, 600)}")
    if hasattr(expected, "response"):
        assert_same(f"{e_kind} .response", _plain(expected.response), _plain(actual.response), example)
    return True


def check_operation(pair: Pair, op: str, examples: int, *, shrink: bool = True) -> int:
    """Hypothesis over one operation (inputs and answers drawn together); raises
    AssertionError on the first difference. Returns the examples compared."""
    from hypothesis import given

    from hypothesis import strategies as st

    from .streams import Streams

    theirs, ours, wire, svc = pair.theirs, pair.ours, pair.wire, pair.svc
    method = _method(theirs, op)
    if not hasattr(theirs, method):  # botocore removed it (an event-stream input it cannot send)
        if hasattr(ours, method):
            raise AssertionError(f"method: boto3's client has none, compat's has one\n  {method}")
        return 0
    tokens = _tokens(svc, op)
    count = [0]
    streams = Streams(svc)
    stream = streams.stream_member(op)
    # an event-stream answer: its frames (streams.py, as the service writes them: json's
    # initial-response first) in place of the body; rest-json's header members as drawn
    events = streams.events(op) if stream is not None else st.just([])

    @_settings(examples, shrink)
    @given(params=svc.strategies.operation_input(op), answer=svc.strategies.operation_output(op), events=events)
    def check(params: dict[str, Any], answer: dict[str, Any], events: list[Any]) -> None:
        count[0] += 1
        params = _strip(params)
        if stream is not None:
            kept = {} if svc.protocol == "json" else {k: v for k, v in answer.items()
                                                      if k != stream[0] and v is not JSON_NULL}
            wire.status, wire.headers, _ = svc.build_response(op, kept)
            wire.headers = [(k, v) for k, v in wire.headers if k.lower() != "content-type"]
            wire.headers.append(("Content-Type", "application/vnd.amazon.eventstream"))
            # (nulls dropped here: streams.py may see another import of strategies' JSON_NULL)
            events = [(name, {k: v for k, v in values.items() if v is not JSON_NULL}) for name, values in events]
            wire.body = streams.body(op, events)
            answer = {"answer": kept, "events": events}
        else:
            wire.status, wire.headers, wire.body = svc.build_response(op, answer)
        # a drawn Content-Length member is the body's true length (botocore's streams check it)
        wire.headers = [(k, str(len(wire.body)) if k.lower() == "content-length" else v) for k, v in wire.headers]
        wire.sent.clear()
        e_kind, expected = _call(theirs, method, dict(params))
        a_kind, actual = _call(ours, method, dict(params))
        if _same_outcome(e_kind, expected, a_kind, actual, params):
            return
        e_req, a_req = _request(wire.sent[0]), _request(wire.sent[1])
        _normalized_tokens(e_req, a_req, tokens)
        for part in ("method", "path", "query", "headers", "body"):
            assert_same(f"request {part}", e_req[part], a_req[part], params)
        assert_same("parsed answer", _plain(expected), _plain(actual), answer)
        e_meta, a_meta = expected["ResponseMetadata"], actual["ResponseMetadata"]
        assert_same("ResponseMetadata", e_meta, {k: a_meta.get(k) for k in e_meta}, answer)

    check()
    return count[0]


def error_shapes(svc: Service) -> list[str]:
    return sorted(name for name, shape in svc.shapes.items() if shape.get("exception"))


def error_operation(svc: Service) -> str:
    """The operation a modeled error is answered to: the first (by name) whose input and
    output hold no event stream (the error path is the same for every operation)."""
    ops = sorted(svc.model["operations"])
    return next((op for op in ops if not has_event_stream(svc.model, svc.input_shape(op))
                 and not has_event_stream(svc.model, svc.output_shape(op))), ops[0])


def check_error(pair: Pair, error: str, examples: int, *, shrink: bool = True) -> int:
    """Hypothesis over one modeled error answered with members drawn from the model (JSON
    body, rest-json's headers, statuses 400/404/500): the same class, message and
    ``.response``. Returns the examples compared."""
    from hypothesis import given
    from hypothesis import strategies as st

    theirs, ours, wire, svc = pair.theirs, pair.ours, pair.wire, pair.svc
    code = (svc.shapes[error].get("error") or {}).get("code", error)
    op = error_operation(svc)
    method = _method(theirs, op)
    count = [0]

    @_settings(examples, shrink)
    @given(values=svc.strategies._top(error, "out", set()), status=st.sampled_from([400, 404, 500]),
           params=svc.strategies.operation_input(op))
    def check(values: dict[str, Any], status: int, params: dict[str, Any]) -> None:
        count[0] += 1
        members = svc.shapes[error]["members"]
        body = svc.wire_json(error, {k: v for k, v in values.items() if members.get(k, {}).get("location") is None})
        if svc.protocol == "json":
            body["__type"] = "com.amazonaws.service#" + code
            wire.headers = [("x-amzn-RequestId", "rid")]
        else:
            wire.headers = [("x-amzn-RequestId", "rid"), ("x-amzn-ErrorType", code + ":http://internal")]
            for name, value in values.items():
                m = members.get(name, {})
                if m.get("location") == "header":
                    wire.headers.append((m.get("locationName", name), svc.header_text(m, value)))
        wire.status, wire.body = status, json.dumps(body).encode()
        e_kind, expected = _call(theirs, method, _strip(params))
        a_kind, actual = _call(ours, method, _strip(params))
        if e_kind == "ParamValidationError" == a_kind and str(actual) == str(expected):
            return  # the drawn input is refused before any answer, by both alike
        # boto3 raises the class of the error's code (another shape's when two share a code)
        e_code = getattr(expected, "response", {}).get("Error", {}).get("Code")
        if e_kind != error and e_code != code:
            raise AssertionError(f"harness: boto3 raised {e_kind}, not the modeled {error}\n"
                                 f"  boto3: {_clip(str(expected))}")
        _same_outcome(e_kind, expected, a_kind, actual, values)
        if actual.operation_name != expected.operation_name:
            raise AssertionError(f"error operation_name differs\n  boto3: {expected.operation_name}"
                                 f"\n  compat: {actual.operation_name}")

    check()
    return count[0]


# ----- the skip list ---------------------------------------------------------------------------


def skip_list() -> dict[tuple[str, str], str]:
    """(service, operation or error shape) -> the reason the compat client is not held to
    boto3's behaviour there (``compat_skip_list.yaml``; ``"*"`` for every operation)."""
    import yaml

    entries = yaml.safe_load(SKIP_LIST.read_text(encoding="utf-8")) or []
    out: dict[tuple[str, str], str] = {}
    for entry in entries:
        reason = str(entry.get("reason") or "").strip()
        if not reason:
            raise ValueError(f"{SKIP_LIST.name}: an entry without a reason: {entry}")
        out[(entry["service"], entry["name"])] = reason
    return out


def skip_reason(skips: dict[tuple[str, str], str], service: str, name: str) -> str | None:
    return skips.get((service, name)) or skips.get((service, "*"))


# ----- a whole service (the sweep) -------------------------------------------------------------


def event_stream_ops(svc: Service) -> list[str]:
    return sorted(op for op in svc.model["operations"] if has_event_stream(svc.model, svc.input_shape(op))
                  or has_event_stream(svc.model, svc.output_shape(op)))


def _cause(exc: BaseException) -> tuple[str, str]:
    """(the first line of a failure, the rest), for AssertionErrors and anything else."""
    if isinstance(exc, AssertionError):
        text = str(exc) or "AssertionError"
        first, _, rest = text.partition("\n")
        return first, rest
    return f"harness: {type(exc).__name__}", _clip(f"{type(exc).__name__}: {exc}", 600)


def _event_stream_outcome(pair: Pair, op: str) -> str:
    """What boto3 and the compat client make of one drawn call of an event-stream
    operation (boto3's answer read from an empty event stream)."""
    from hypothesis import given

    seen: list[str] = []

    @_settings(1, False)
    @given(params=pair.svc.strategies.operation_input(op))
    def once(params: dict[str, Any]) -> None:
        pair.wire.status, pair.wire.headers, pair.wire.body = 200, [("x-amzn-RequestId", "r")], b""
        method = _method(pair.theirs, op)
        e_kind, expected = _call(pair.theirs, method, _strip(params))
        a_kind, actual = _call(pair.ours, method, _strip(params))
        e_text = "ok: " + ", ".join(f"{k}={type(v).__name__}" for k, v in expected.items()
                                    if k != "ResponseMetadata") if e_kind == "ok" else f"{e_kind}: {expected}"
        a_text = "ok: " + ", ".join(f"{k}={type(v).__name__}" for k, v in actual.items()
                                    if k != "ResponseMetadata") if a_kind == "ok" else f"{a_kind}: {actual}"
        seen.append(f"boto3 {_clip(e_text, 160)} | compat {_clip(a_text, 160)}")

    try:
        once()
    except Exception as exc:  # noqa: BLE001 - reported as it is
        return f"harness: {type(exc).__name__}: {_clip(str(exc), 200)}"
    return seen[0] if seen else "no example drawn"


def sweep_service(service: str, root: Path, examples: int, *, error_examples: int | None = None,
                  skips: dict[tuple[str, str], str] | None = None, shrink: bool = False) -> dict[str, Any]:
    """Every operation (``examples`` hypothesis examples each) and every modeled error of one
    service; plain data back (the sweep's workers return it across processes):
    ``ops``/``errors``: {"pass", "fail", "skip"} counts; ``failures``: [{"kind", "name",
    "cause", "detail"}]; ``event_streams``: [(operation, what each client did)]."""
    import time

    started = time.monotonic()
    skips = skip_list() if skips is None else skips
    out: dict[str, Any] = {"service": service, "ops": {"pass": 0, "fail": 0, "skip": 0},
                           "errors": {"pass": 0, "fail": 0, "skip": 0}, "failures": [], "event_streams": [],
                           "skipped": [], "examples": 0, "load_error": None}
    try:
        pair = make_pair(service, root)
    except Exception as exc:  # noqa: BLE001 - one broken package must not stop the sweep
        out["load_error"] = _clip(f"{type(exc).__name__}: {exc}", 600)
        return out
    streams = set(event_stream_ops(pair.svc))
    jobs = [("operation", op) for op in sorted(pair.svc.model["operations"])]
    jobs += [("error", name) for name in error_shapes(pair.svc)]
    for kind, name in jobs:
        counts = out["ops" if kind == "operation" else "errors"]
        reason = skip_reason(skips, service, name)
        if reason is not None:
            counts["skip"] += 1
            out["skipped"].append((name, reason))
            if name in streams:
                out["event_streams"].append((name, _event_stream_outcome(pair, name)))
            continue
        try:
            if kind == "operation":
                out["examples"] += check_operation(pair, name, examples, shrink=shrink)
            else:
                out["examples"] += check_error(pair, name, error_examples or examples, shrink=shrink)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, grouped by cause
            counts["fail"] += 1
            cause, detail = _cause(exc)
            out["failures"].append({"kind": kind, "name": name, "cause": cause, "detail": detail})
        else:
            counts["pass"] += 1
        if name in streams:
            out["event_streams"].append((name, _event_stream_outcome(pair, name)))
    out["seconds"] = time.monotonic() - started
    return out
