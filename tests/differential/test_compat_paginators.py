"""The compat client's paginators against boto3's own, for every paginator of the manifest
services with a compat client (dynamodb, scheduler, sso; connectparticipant and sso-oidc
have none, which ``can_paginate`` must say as boto3 does).

Both clients get the same scripted answers (``pages.Scenario``: three pages of two items
under every result key, next tokens on all but the last; DynamoDB's Count and
ScannedCount are numbers, its tokens are keys): boto3 through a ``before-send`` hook, the
compat client through its transport. For each ``PaginationConfig`` (none, PageSize,
MaxItems on and between page boundaries, beyond the end, zero, with PageSize) both must
send the same requests (tokens carried), yield equal pages (ResponseMetadata included),
build the same full result, search alike and leave the same resume token, and resuming
from it (boto3's and ours are the same string) must go on alike. Errors: the same next
token twice, PageSize where there is no limit member, bad numbers, unknown and
unpageable operations: the same classes (botocore's) and messages.
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

import boto3
import botocore.awsrequest
import botocore.config
import botocore.exceptions
import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime import boto3_compat
from awsgen_runtime.boto3_compat import paginate as compat_paginate
from awsgen_runtime.transport import HttpRequest, HttpResponse
from generator.model.naming import python_name

from .harness import Service, ensure_packages
from .pages import Scenario, _Raw, _request, paginators_of

SERVICES = ("dynamodb", "scheduler", "connectparticipant", "sso", "sso-oidc")
ENDPOINT = "https://compat-pages.example.com"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region_name": "us-east-1"}
CONFIG = {"retries": {"total_max_attempts": 1, "mode": "standard"}}


class _Script:
    """The answers both clients get in turn (the last again once they run out) and the
    requests each sent, normalized (method, path, query, JSON body)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, list[tuple[str, str]], bytes]] = []
        self.left: list[tuple[int, list[tuple[str, str]], bytes]] = []
        self.sent: list[Any] = []

    def load(self, answers: list[tuple[int, list[tuple[str, str]], bytes]]) -> None:
        self.answers, self.left, self.sent = list(answers), list(answers), []

    def _next(self) -> tuple[int, list[tuple[str, str]], bytes]:
        return self.left.pop(0) if self.left else self.answers[-1]

    def boto3_send(self, request: Any, **_: Any) -> Any:
        self.sent.append(_request(request.method, request.url, request.body))
        status, headers, body = self._next()
        return botocore.awsrequest.AWSResponse(request.url, status, botocore.awsrequest.HeadersDict(headers),
                                               _Raw(body))

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body = request.body.read() if hasattr(request.body, "read") else request.body
        self.sent.append(_request(request.method, request.url, bytes(body)))
        status, headers, raw = self._next()
        return HttpResponse(status, HTTPHeaderDict(headers), raw)


_CLIENTS: dict[str, tuple[Any, Any, _Script, Service]] = {}


def _clients(service: str) -> tuple[Any, Any, _Script, Service]:
    """(boto3 client, compat client, script, harness service), made once per service; a
    service outside the manifest is generated into the cache and imported from there."""
    if service not in _CLIENTS:
        script = _Script()
        root = ensure_packages(list(SERVICES) if service in SERVICES else [service])
        if service not in SERVICES and str(root / f"aws-{service}") not in sys.path:
            sys.path.insert(0, str(root / f"aws-{service}"))
        config = {**CONFIG, "s3": {"addressing_style": "path"}}
        theirs = boto3.client(service, endpoint_url=ENDPOINT, config=botocore.config.Config(**config), **KEYS)
        theirs.meta.events.register("before-send", script.boto3_send)
        ours = boto3_compat.client(service, endpoint_url=ENDPOINT, config=config, **KEYS)
        ours._core._transport_given = script
        _CLIENTS[service] = (theirs, ours, script, Service(service, root))
    return _CLIENTS[service]


def _run(client: Any, script: _Script, scenario: Scenario, config: dict[str, Any], how: str) -> dict[str, Any]:
    """One listing: what it sent, what it gave (pages, the full result or a search) and
    its resume token; or the exception it raised (class name and text)."""
    script.load(scenario.responses)
    out: dict[str, Any] = {}
    try:
        pager = client.get_paginator(python_name(scenario.op)).paginate(
            **scenario.required(), PaginationConfig=dict(config))
        if how == "pages":
            out["pages"] = list(pager)
            out["non_aggregate_part"] = pager.non_aggregate_part
        elif how == "full":
            out["full"] = pager.build_full_result()
        elif how == "twice":  # botocore goes on from the last token it injected
            out["pages"] = [list(pager), pager.resume_token, list(pager)]
        else:
            out["search"] = list(pager.search(how))
        out["resume_token"] = pager.resume_token
        out["result_keys"] = [k.expression for k in pager.result_keys]
    except Exception as exc:  # noqa: BLE001 - compared: class and message
        out["raised"] = (type(exc).__name__, str(exc))
    out["sent"] = scenario._untokened(script.sent)
    return out


def _both(service: str, scenario: Scenario, config: dict[str, Any], how: str = "pages") -> tuple[Any, Any]:
    theirs, ours, script, _ = _clients(service)
    return _run(theirs, script, scenario, config, how), _run(ours, script, scenario, config, how)


def _cases() -> list[Any]:
    return [pytest.param(s, op, id=f"{s}.{op}") for s in SERVICES for op in sorted(paginators_of(s))]


def _configs(spec: dict[str, Any]) -> list[dict[str, Any]]:
    configs: list[dict[str, Any]] = [{}, {"MaxItems": 1}, {"MaxItems": 2}, {"MaxItems": 3}, {"MaxItems": 5},
                                     {"MaxItems": 7}, {"MaxItems": 0}, {"MaxItems": "4"}]
    if "limit_key" in spec:
        configs += [{"PageSize": 2}, {"PageSize": "3"}, {"MaxItems": 3, "PageSize": 2}]
    return configs


@pytest.mark.parametrize("service, op", _cases())
def test_paginator_matches_boto3(service: str, op: str) -> None:
    spec = paginators_of(service)[op]
    scenario = Scenario(_clients(service)[3], op, spec)
    problems = []
    tokens = 0
    for config in _configs(spec):
        for how in ("pages", "full", _search_expression(spec)):
            theirs, ours = _both(service, scenario, config, how)
            if theirs != ours:
                problems.append(f"{config} {how}: boto3={theirs}\n  ours={ours}")
        token = theirs.get("resume_token")
        if token is None:
            continue
        tokens += 1
        for resumed in ({"StartingToken": token}, {"StartingToken": token, "MaxItems": 2},
                        {"StartingToken": token, "MaxItems": 1}):
            for how in ("pages", "full"):
                theirs, ours = _both(service, scenario, {**config, **resumed}, how)
                if theirs != ours:
                    problems.append(f"resumed {config} {resumed} {how}: boto3={theirs}\n  ours={ours}")
    assert tokens >= 4  # MaxItems 1, 2, 3, 5 stop early
    assert not problems, "\n".join(p[:3000] for p in problems)


def _search_expression(spec: dict[str, Any]) -> str:
    primary = spec["result_key"][0] if isinstance(spec["result_key"], list) else spec["result_key"]
    return f"{primary}[]"


@pytest.mark.parametrize("service, op", _cases())
def test_iterating_again_as_boto3(service: str, op: str) -> None:
    scenario = Scenario(_clients(service)[3], op, paginators_of(service)[op])
    for config in ({}, {"MaxItems": 3}):
        theirs, ours = _both(service, scenario, config, "twice")
        assert ours == theirs
    assert len(theirs["sent"]) > 2  # MaxItems 3 takes two requests; the second round sent too


def test_every_paginator_is_covered() -> None:
    ids = [p.id for p in _cases()]
    assert len(ids) == 9, ids  # dynamodb 5, scheduler 2, sso 2


@pytest.mark.parametrize("service", SERVICES)
def test_can_paginate_and_get_paginator_agree_with_boto3(service: str) -> None:
    theirs, ours, _, _ = _clients(service)
    methods = sorted(theirs.meta.method_to_api_mapping)
    assert methods == sorted(ours.meta.method_to_api_mapping)
    assert [theirs.can_paginate(m) for m in methods] == [ours.can_paginate(m) for m in methods]
    for method in methods:
        if not theirs.can_paginate(method):
            with pytest.raises(botocore.exceptions.OperationNotPageableError) as e_exc:
                theirs.get_paginator(method)
            with pytest.raises(botocore.exceptions.OperationNotPageableError) as a_exc:
                ours.get_paginator(method)
            assert str(a_exc.value) == str(e_exc.value)
            break
    # a name that is no method: boto3 raises KeyError when the service has paginators
    outcomes = []
    for client in (theirs, ours):
        try:
            outcomes.append(client.can_paginate("NoSuchOperation"))
        except KeyError:
            outcomes.append("KeyError")
    assert outcomes[0] == outcomes[1]


def test_the_same_token_twice_raises_botocores_pagination_error() -> None:
    scenario = Scenario(_clients("dynamodb")[3], "ListTables", paginators_of("dynamodb")["ListTables"])
    scenario.responses = [scenario.responses[0]] * 4
    theirs, ours = _both("dynamodb", scenario, {})
    assert theirs["raised"][0] == "PaginationError"
    assert ours == theirs  # the same requests before it, the same message
    _, client, script, _ = _clients("dynamodb")
    script.load(scenario.responses)
    with pytest.raises(botocore.exceptions.PaginationError):
        list(client.get_paginator("list_tables").paginate())


def test_bad_pagination_config_as_boto3() -> None:
    scenario = Scenario(_clients("dynamodb")[3], "ListTagsOfResource", paginators_of("dynamodb")["ListTagsOfResource"])
    theirs, ours = _both("dynamodb", scenario, {"PageSize": 2})  # no limit member
    assert theirs["raised"][0] == "PaginationError" and ours == theirs and not ours["sent"]
    for config in ({"MaxItems": "many"}, {"MaxItems": [1]}, {"PageSize": None, "MaxItems": 1.5}):
        theirs, ours = _both("dynamodb", Scenario(_clients("dynamodb")[3], "ListTables",
                                                   paginators_of("dynamodb")["ListTables"]), config)
        assert ours.get("raised", ("ok",))[0] == theirs.get("raised", ("ok",))[0], (config, theirs, ours)
        assert ours["sent"] == theirs["sent"]
    _, client, _, _ = _clients("dynamodb")
    with pytest.raises(TypeError, match="PaginationConfig"):
        client.get_paginator("list_tables").paginate(PaginationConfig=5)


def test_old_style_and_service_tokens_as_boto3() -> None:
    """A StartingToken that is no base64 JSON: botocore's old form, or the service's token."""
    scenario = Scenario(_clients("sso")[3], "ListAccounts", paginators_of("sso")["ListAccounts"])
    for token in ("token-1/+=", "abc___1", "None", "a___b___c"):
        theirs, ours = _both("sso", scenario, {"StartingToken": token, "MaxItems": 3})
        assert ours == theirs, (token, theirs, ours)


def test_binary_keys_in_resume_tokens_as_boto3() -> None:
    """A DynamoDB key holding bytes: the token lists them under boto_encoded_keys, the
    same string as boto3's, and resumes with the same bytes sent."""
    svc = _clients("dynamodb")[3]
    scenario = Scenario(svc, "Scan", paginators_of("dynamodb")["Scan"])
    for i, values in enumerate(scenario.values[:-1]):
        values["LastEvaluatedKey"] = {"pk": {"B": bytes([0, 255, i])}, "sk": {"N": str(i)}}
    scenario.responses = [svc.build_response("Scan", v) for v in scenario.values]
    theirs, ours = _both("dynamodb", scenario, {"MaxItems": 3})
    assert ours == theirs
    token = json.loads(base64.b64decode(ours["resume_token"]))
    assert token["boto_encoded_keys"] == [["ExclusiveStartKey", "pk", "B"]]
    theirs, ours = _both("dynamodb", scenario, {"StartingToken": theirs["resume_token"]})
    assert ours == theirs
    assert ours["sent"][0][3]["ExclusiveStartKey"]["pk"]["B"] == base64.b64encode(b"\x00\xff\x00").decode()  # the key that fetched page 2


def test_errors_without_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where botocore is not installed the errors are look-alikes with botocore's text."""
    monkeypatch.setattr(compat_paginate, "_FOUND", {})
    monkeypatch.setattr(compat_paginate.importlib.util, "find_spec", lambda name: None)
    cls = compat_paginate.botocore_error("PaginationError")
    assert not issubclass(cls, botocore.exceptions.BotoCoreError)
    error = cls(message="x")
    assert str(error) == str(botocore.exceptions.PaginationError(message="x")) and error.kwargs == {"message": "x"}
    waiter_error = compat_paginate.botocore_error("WaiterError")(name="W", reason="r", last_response={"a": 1})
    assert str(waiter_error) == str(botocore.exceptions.WaiterError(name="W", reason="r", last_response={}))
    import pickle

    again = pickle.loads(pickle.dumps(waiter_error))
    assert str(again) == str(waiter_error) and again.last_response == {"a": 1}
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
