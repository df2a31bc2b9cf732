"""Paginators against botocore's: the same scripted answers are served to botocore's
paginator (through its client, a before-send hook answering) and to the generated
``paginate_<operation>``; the requests each sends (method, path, query, body) and the
items each yields must be equal, and so must the resume tokens.

Pages are made from the output shape: ``items`` items under the primary result key
(and under the others), each filled with distinct scalar values, and the next tokens
on every page but the last (a string, a number, or a DynamoDB key, as the token's
shape is); a ``more_results`` member is true on every page but the last.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.awsrequest
import botocore.session
import cbor2

from generator.model.naming import python_name

from .harness import ENDPOINT, Capture, Service, _norm_pct, norm_ours
from .strategies import to_kwargs

UTC = dt.timezone.utc
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[-?[0-9]+\])*)")


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


class Scenario:
    """One paginator of one service, with the pages it is served."""

    def __init__(self, svc: Service, op: str, spec: dict[str, Any], pages: int = 3, items: int = 2) -> None:
        self.svc, self.op, self.spec = svc, op, spec
        self.shapes = svc.shapes
        out = svc.model["operations"][op]["output"]["shape"]
        self.output_shape = out
        self.values = [self._page(out, p, pages, items) for p in range(pages)]
        self.responses = [svc.build_response(op, v) for v in self.values]

    # ----- pages -------------------------------------------------------------------------
    def _page(self, out: str, p: int, pages: int, items: int) -> dict[str, Any]:
        page: dict[str, Any] = {}
        for i, key in enumerate(_as_list(self.spec["result_key"])):
            shape = self._shape_at(out, key)
            if shape is not None and self.shapes[shape]["type"] == "list":
                member = self.shapes[shape]["member"]["shape"]
                self._set(page, key, [self._item(member, f"{p}-{i}-{n}") for n in range(items)])
            elif shape is not None and self.shapes[shape]["type"] in ("integer", "long"):
                self._set(page, key, items)
        last = p == pages - 1
        for text in _as_list(self.spec["output_token"]):
            path = text.split("||")[0].strip()
            if "[" in path or last:
                continue
            shape = self._shape_at(out, path)
            if shape is not None:
                self._set(page, path, self._token(shape, p))
        if "more_results" in self.spec:
            self._set(page, self.spec["more_results"], not last)
        return page

    def _token(self, shape: str, p: int) -> Any:
        t = self.shapes[shape]["type"]
        if t in ("integer", "long"):
            return p + 7
        if t == "map":  # DynamoDB's LastEvaluatedKey
            return {"pk": {"S": f"key-{p}"}}
        if self.shapes[shape].get("enum"):
            values = self.shapes[shape]["enum"]
            return values[(p + 1) % len(values)]
        return f"token-{p + 1}/+=".ljust(int(self.shapes[shape].get("min", 1)), "x")

    def _item(self, shape: str, tag: str) -> Any:
        s = self.shapes[shape]
        t = s["type"]
        if t == "structure":
            out = {}
            for n, (name, ref) in enumerate(sorted(s.get("members", {}).items())):
                inner = self.shapes[ref["shape"]]
                if inner["type"] in ("string", "integer", "long", "boolean", "timestamp") and not inner.get("enum"):
                    out[name] = self._scalar(ref["shape"], f"{tag}-{n}")
                elif inner.get("enum"):
                    out[name] = inner["enum"][0]
                if out and s.get("union"):
                    break  # a union holds one member
            return out
        if t == "map":
            return {f"k{tag}": self._item(s["value"]["shape"], tag)}
        return self._scalar(shape, tag)

    def _scalar(self, shape: str, tag: str) -> Any:
        s = self.shapes[shape]
        t = s["type"]
        if t == "string":
            return s["enum"][0] if s.get("enum") else f"v{tag}"
        if t in ("integer", "long"):
            return sum(int(x) for x in re.findall(r"[0-9]+", tag)) + 1
        if t == "boolean":
            return True
        if t == "timestamp":
            return dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        if t == "map":
            return {}
        return f"v{tag}"

    def _shape_at(self, shape: str, path: str) -> str | None:
        for part in path.split("."):
            m = _STEP.fullmatch(part)
            s = self.shapes.get(shape) or {}
            if m is None or s.get("type") != "structure" or m.group(1) not in s.get("members", {}):
                return None
            shape = s["members"][m.group(1)]["shape"]
            for _ in re.findall(r"-?[0-9]+", m.group(2)):
                shape = self.shapes[shape]["member"]["shape"]
        return shape

    @staticmethod
    def _set(page: dict[str, Any], path: str, value: Any) -> None:
        parts = path.split(".")
        for part in parts[:-1]:
            page = page.setdefault(part, {})
        page[parts[-1]] = value

    # ----- running both --------------------------------------------------------------------
    def required(self) -> dict[str, Any]:
        """botocore-style arguments: a placeholder for every required member (tokens aside)."""
        shape = self.shapes[self.svc.model["operations"][self.op]["input"]["shape"]]
        tokens = set(_as_list(self.spec["input_token"]))
        return {name: self._dummy(shape["members"][name]["shape"]) for name in shape.get("required", ())
                if name not in tokens}

    def _dummy(self, shape: str) -> Any:
        s = self.shapes[shape]
        t = s["type"]
        if t == "structure":
            if s.get("union"):  # one member, the first
                name, ref = next(iter(s.get("members", {}).items()))
                return {name: self._dummy(ref["shape"])}
            return {n: self._dummy(s["members"][n]["shape"]) for n in s.get("required", ())}
        if t == "map" and s.get("min"):
            return {f"k{i}": self._dummy(s["value"]["shape"]) for i in range(int(s["min"]))}
        if t == "list" and s.get("min"):
            return [self._dummy(s["member"]["shape"])] * int(s["min"])
        if t == "string" and not s.get("enum"):
            return "x" * max(1, int(s.get("min", 1)))
        return {"string": (s.get("enum") or ["x"])[0], "integer": max(1, int(s.get("min", 1))), "long": 1, "boolean": True, "list": [],
                "map": {}, "blob": b"x", "float": 1.0, "double": 1.0,
                "timestamp": dt.datetime(2000, 1, 1, tzinfo=UTC)}.get(t, "x")

    def botocore_run(self, config: dict[str, Any]) -> tuple[list[Any], list[Any], str | None]:
        """(requests, items, resume token) of botocore's paginator."""
        session = botocore.session.get_session()
        client = session.create_client(self.svc.name, region_name="us-east-1", endpoint_url=ENDPOINT,
                                       aws_access_key_id="k", aws_secret_access_key="s",
                                       config=botocore.config.Config(s3={"addressing_style": "path"},
                                                                     retries={"total_max_attempts": 1}))
        answers = list(self.responses)
        sent: list[Any] = []

        def answer(request: Any, **_: Any) -> Any:
            status, headers, body = answers.pop(0) if answers else self.responses[-1]
            sent.append(request)
            raw = botocore.awsrequest.AWSResponse(request.url, status, dict(headers), _Raw(body))
            return raw

        client.meta.events.register("before-send", answer)
        paginator = client.get_paginator(python_name(self.op))
        pages = paginator.paginate(**self.required(), PaginationConfig=config)
        items: list[Any] = []
        primary = pages.result_keys[0]
        for page in pages:
            found = primary.search(page)
            if isinstance(found, list):
                items += found
        return [_request(r.method, r.url, r.body) for r in sent], items, pages.resume_token

    def ours_run(self, page_size: int | None, max_items: int | None,
                 starting_token: str | None) -> tuple[list[Any], list[Any], str | None]:
        capture = _Replay(self.responses)
        from awsgen_runtime.client import Config

        client = self.svc.package.Client(region="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id="k",
                                         aws_secret_access_key="s", transport=capture,
                                         config=Config(max_attempts=1, s3={"addressing_style": "path"}))
        kwargs = to_kwargs(self.svc.package, self.svc.model, self.op, self.required())
        method = getattr(client, "paginate_" + python_name(self.op))
        extra: dict[str, Any] = {"max_items": max_items, "starting_token": starting_token}
        if page_size is not None:
            extra["page_size"] = page_size
        names = method.__code__.co_varnames[:method.__code__.co_argcount + method.__code__.co_kwonlyargcount]
        for key in list(extra):  # a parameter renamed around an operation member of the same name
            while key not in names and key + "_" in names:
                extra[key + "_"] = extra.pop(key)
                key += "_"
        pager = method(**kwargs, **extra)
        items = list(pager.items())
        return [_request(r.method, r.url, r.body) for r in capture.requests], items, pager.resume_token

    def _untokened(self, requests: list[Any]) -> list[Any]:
        """Requests with idempotency-token members (random UUIDs both sides fill in) blanked."""
        shape = self.shapes[self.svc.model["operations"][self.op]["input"]["shape"]]
        names = {n for n, ref in shape.get("members", {}).items() if ref.get("idempotencyToken")}
        if not names:
            return requests
        out = []
        for method, path, query, body in requests:
            if isinstance(body, dict):
                body = {k: ("<token>" if k in names else v) for k, v in body.items()}
            query = tuple((k, "<token>" if k in names else v) for k, v in query)
            out.append((method, path, query, body))
        return out

    def _limit_min(self) -> int:
        shape = self.shapes[self.svc.model["operations"][self.op]["input"]["shape"]]
        ref = shape["members"].get(self.spec.get("limit_key", ""))
        return int(self.shapes[ref["shape"]].get("min", 1)) if ref else 1

    def item_shape(self) -> str | None:
        shape = self._shape_at(self.output_shape, _as_list(self.spec["result_key"])[0])
        if shape is None or self.shapes[shape]["type"] != "list":
            return None
        return str(self.shapes[shape]["member"]["shape"])

    def compare(self, page_size: int | None = None, max_items: int | None = None,
                resume: bool = False) -> list[str]:
        """Differences between botocore and ours, for a run (and its resumption)."""
        config: dict[str, Any] = {}
        if page_size is not None:
            page_size = max(page_size, self._limit_min())
            config["PageSize"] = page_size
        if max_items is not None:
            config["MaxItems"] = max_items
        e_req, e_items, e_token = self.botocore_run(config)
        a_req, a_items, a_token = self.ours_run(page_size, max_items, None)
        problems = self._differences("", e_req, e_items, e_token, a_req, a_items, a_token)
        if resume and e_token is not None and a_token is not None:
            e2 = self.botocore_run({**config, "StartingToken": e_token})
            a2 = self.ours_run(page_size, max_items, a_token)
            problems += self._differences("resumed: ", *e2, *a2)
        return problems

    def _differences(self, label: str, e_req: list[Any], e_items: list[Any], e_token: Any, a_req: list[Any],
                     a_items: list[Any], a_token: Any) -> list[str]:
        out = []
        e_req, a_req = self._untokened(e_req), self._untokened(a_req)
        if e_req != a_req:
            out.append(f"{label}requests: botocore={e_req} ours={a_req}")
        item = self.item_shape()
        theirs = [self.svc.from_botocore(item, i) if item else i for i in e_items]
        ours = [_plain(i) for i in a_items]
        if theirs != ours:
            out.append(f"{label}items: botocore={theirs} ours={ours}")
        if e_token != a_token:
            out.append(f"{label}resume token: botocore={e_token} ours={a_token}")
        return out


def _plain(value: Any) -> Any:
    """A generated item as the harness compares values (typed objects as their dicts)."""
    if hasattr(value, "to_dict"):
        return norm_ours(value.to_dict())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return norm_ours(value)


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Any:
        yield self.getvalue()


class _Replay(Capture):
    """Answers with the scripted responses in turn (the last again once they run out)."""

    def __init__(self, responses: list[tuple[int, list[tuple[str, str]], bytes]]) -> None:
        super().__init__()
        self.responses = list(responses)
        self.last = responses[-1]

    def send(self, request: Any, *, stream: bool = False) -> Any:
        from urllib3 import HTTPHeaderDict

        status, headers, body = self.responses.pop(0) if self.responses else self.last
        self.status, self.body = status, body
        self.headers = HTTPHeaderDict()
        for k, v in headers:
            self.headers.add(k, v)
        return super().send(request, stream=stream)


def _xml(node: Any) -> Any:
    children = sorted((_xml(c) for c in node), key=lambda c: c[0])  # stable: same-name order kept
    return (node.tag, tuple(sorted(node.attrib.items())), (node.text or "").strip(), tuple(children))


def _request(method: str, url: str, body: Any) -> tuple[Any, ...]:
    parts = urlsplit(url)
    if isinstance(body, str):
        body = body.encode()
    body = body or b""
    if hasattr(body, "read"):
        body = body.read()
    parsed: Any = body
    if body[:1] in (b"{", b"["):
        parsed = json.loads(body)
    elif body[:1] == b"<":
        # botocore writes members in the order of the caller's dict, the generated client in
        # the model's: the same document either way once siblings are ordered by name.
        parsed = _xml(ET.fromstring(body))
    elif b"=" in body[:200] and body[:1].isascii() and body[:1] != b"<":
        parsed = sorted(parse_qsl(body.decode(), keep_blank_values=True))
    elif body and body[:1] not in (b"<",):
        try:
            parsed = cbor2.loads(body)
        except Exception:  # noqa: BLE001 - not CBOR: the bytes themselves
            parsed = body
    return (method, _norm_pct(parts.path), tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))), parsed)


def paginators_of(service: str) -> dict[str, Any]:
    """botocore's paginators of a service (its paginators-1.json), by operation."""
    from generator.botocore_source import service_model_dir
    from generator.load import load_document

    folder = service_model_dir(service)
    for name in ("paginators-1.json", "paginators-1.json.gz"):
        if (folder / name).exists():
            return dict(load_document(folder / name)["pagination"])
    return {}
