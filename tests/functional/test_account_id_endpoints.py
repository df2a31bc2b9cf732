"""DynamoDB's account-based endpoints, against botocore 1.43.67's client.

DynamoDB's rule set reads ``ResourceArn`` (an input member, or ImportTable's
``TableCreationParameters.TableName``), ``ResourceArnList`` (the tables of BatchGetItem,
BatchWriteItem, TransactGetItems and TransactWriteItems, through operationContextParams)
and the credentials' account id (``AWS::Auth::AccountId``) under
``account_id_endpoint_mode``. For each operation, with plain table names and table ARNs
(of this region and another), credentials with an account id, without one and with an
invalid one, and the three modes, the URL our client sends to must be the one botocore's
client sends to, or both must refuse with the rule set's message. The parameters given
to the rule set are compared too (botocore's provider parameters and ours).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Iterator

import botocore.config
import botocore.exceptions
import botocore.regions
import botocore.session
import pytest
from urllib3 import HTTPHeaderDict

import aws_dynamodb
from aws_dynamodb import Config, Credentials
from awsgen_runtime.errors import EndpointResolutionError, NoCredentialsError
from awsgen_runtime.transport import HttpRequest, HttpResponse
from tests.differential.harness import botocore_sends, load_model
from tests.differential.strategies import to_kwargs

REGION = "us-east-1"
ACCOUNT = "123456789012"
MODES = ("preferred", "required", "disabled")
ACCOUNTS = (ACCOUNT, None, "not.a.label")
PLAIN = "orders"
ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/orders"  # this region: its account is the host's
ARN_ELSEWHERE = "arn:aws:dynamodb:eu-west-1:444455556666:table/orders"  # another region: ignored
KEY = {"pk": {"S": "1"}}


def _batch_get(*tables: str) -> dict[str, Any]:
    return {"RequestItems": {t: {"Keys": [KEY]} for t in tables}}


def _batch_write(*tables: str) -> dict[str, Any]:
    return {"RequestItems": {t: [{"PutRequest": {"Item": KEY}}] for t in tables}}


def _transact_get(*tables: str) -> dict[str, Any]:
    return {"TransactItems": [{"Get": {"TableName": t, "Key": KEY}} for t in tables]}


_WRITES = {
    "Put": lambda t: {"TableName": t, "Item": KEY},
    "Delete": lambda t: {"TableName": t, "Key": KEY},
    "Update": lambda t: {"TableName": t, "Key": KEY, "UpdateExpression": "SET n = :n",
                         "ExpressionAttributeValues": {":n": {"N": "1"}}},
    "ConditionCheck": lambda t: {"TableName": t, "Key": KEY, "ConditionExpression": "attribute_exists(pk)"},
}


def _transact_write(*items: tuple[str, str]) -> dict[str, Any]:
    return {"TransactItems": [{kind: _WRITES[kind](t)} for kind, t in items]}


def _import(table: str) -> dict[str, Any]:
    return {"S3BucketSource": {"S3Bucket": "bucket"}, "InputFormat": "CSV",
            "TableCreationParameters": {"TableName": table,
                                        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                        "BillingMode": "PAY_PER_REQUEST"}}


#: (label, operation, botocore's parameters)
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("batch_get plain", "BatchGetItem", _batch_get(PLAIN)),
    ("batch_get arn", "BatchGetItem", _batch_get(ARN)),
    ("batch_get arn elsewhere", "BatchGetItem", _batch_get(ARN_ELSEWHERE)),
    ("batch_get plain then arn", "BatchGetItem", _batch_get(PLAIN, ARN)),  # the rule set reads the first
    ("batch_get arn then plain", "BatchGetItem", _batch_get(ARN, PLAIN)),
    ("batch_write plain", "BatchWriteItem", _batch_write(PLAIN)),
    ("batch_write arn", "BatchWriteItem", _batch_write(ARN, PLAIN)),
    ("import plain", "ImportTable", _import(PLAIN)),
    ("import arn", "ImportTable", _import(ARN)),
    ("transact_get plain", "TransactGetItems", _transact_get(PLAIN, ARN)),
    ("transact_get arn", "TransactGetItems", _transact_get(ARN, PLAIN)),
    ("transact_get arn elsewhere", "TransactGetItems", _transact_get(ARN_ELSEWHERE, ARN)),
    *[(f"transact_write {kind} arn", "TransactWriteItems", _transact_write((kind, ARN), ("Put", PLAIN)))
      for kind in _WRITES],
    ("transact_write plain first", "TransactWriteItems", _transact_write(("Delete", PLAIN), ("Update", ARN))),
    ("get_item arn", "GetItem", {"TableName": ARN, "Key": KEY}),  # a contextParam member
    ("get_item plain", "GetItem", {"TableName": PLAIN, "Key": KEY}),
    ("list_tables", "ListTables", {}),  # the account id alone
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither client reads settings or credentials from this machine."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_") and name != "AWS_EC2_METADATA_DISABLED":
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


class Capture:
    """A transport that records the URL and answers ``{}``."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        self.urls.append(request.url)
        return HttpResponse(200, HTTPHeaderDict(), b"{}")


class AsyncCapture(Capture):
    async def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:  # type: ignore[override]
        return Capture.send(self, request)

    async def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return load_model("dynamodb")


def botocore_outcome(operation: str, params: dict[str, Any], mode: str, account: str | None,
                     **client_args: Any) -> tuple[str, dict[str, Any]]:
    """("url ..." or "error ...", the parameters botocore's client gave its rule set)."""
    seen: dict[str, Any] = {}
    original = botocore.regions.EndpointRulesetResolver._get_provider_params

    def record(self: Any, *args: Any) -> Any:
        found = original(self, *args)
        seen.clear()
        seen.update(found)
        return found

    config = botocore.config.Config(account_id_endpoint_mode=mode, **client_args.pop("config", {}))
    client = botocore.session.Session().create_client(
        "dynamodb", region_name=REGION, aws_access_key_id="AKID", aws_secret_access_key="SECRET",
        aws_account_id=account, config=config, **client_args)
    botocore.regions.EndpointRulesetResolver._get_provider_params = record  # type: ignore[method-assign]
    try:
        sent = botocore_sends(client, botocore.xform_name(operation), **params)
    except botocore.exceptions.EndpointResolutionError as exc:
        return f"error {exc}", dict(seen)
    finally:
        botocore.regions.EndpointRulesetResolver._get_provider_params = original  # type: ignore[method-assign]
    return f"url {sent.url}", dict(seen)


def our_outcome(model: dict[str, Any], operation: str, params: dict[str, Any], mode: str, account: str | None,
                **client_args: Any) -> tuple[str, dict[str, Any]]:
    capture = Capture()
    client = aws_dynamodb.Client(
        region=REGION, credentials=Credentials("AKID", "SECRET", account_id=account),
        config=Config(account_id_endpoint_mode=mode, **client_args.pop("config", {})), transport=capture,
        **client_args)
    seen: dict[str, Any] = {}
    resolve = client._resolve_with

    def record(extra: dict[str, Any]) -> Any:
        seen.clear()
        seen.update(client._endpoint_params(client._region, client._endpoint_url), **extra)
        return resolve(extra)

    client._resolve_with = record  # type: ignore[method-assign]
    try:
        getattr(client, botocore.xform_name(operation))(**to_kwargs(aws_dynamodb, model, operation, params))
    except EndpointResolutionError as exc:
        return f"error {exc}", seen
    # no per-call resolution: the endpoint the client resolved when it was made
    return f"url {capture.urls[-1]}", seen or client._endpoint_params(client._region, client._endpoint_url)


def _same_parameters(theirs: dict[str, Any], ours: dict[str, Any]) -> None:
    """What the rule set was given, unset values left out and lists as tuples. With the
    mode "disabled" botocore still reads the account id, which no rule then looks at; ours
    does not look at the credentials for it."""
    def norm(params: dict[str, Any]) -> dict[str, Any]:
        out = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items() if v is not None}
        if out.get("AccountIdEndpointMode") == "disabled":
            out.pop("AccountId", None)
        return out

    assert norm(ours) == norm(theirs)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("account", ACCOUNTS, ids=["account", "no-account", "bad-account"])
@pytest.mark.parametrize("label, operation, params", CALLS, ids=[c[0] for c in CALLS])
def test_the_url_and_rule_set_parameters_are_botocores(model: dict[str, Any], label: str, operation: str,
                                                       params: dict[str, Any], mode: str, account: str | None) -> None:
    expected, their_params = botocore_outcome(operation, params, mode, account)
    got, our_params = our_outcome(model, operation, params, mode, account)
    assert got == expected
    if their_params:
        _same_parameters(their_params, our_params if our_params else {})


def test_the_outcomes_cover_every_kind_of_endpoint(model: dict[str, Any]) -> None:
    """The table above reaches the credentials' account host, a table ARN's account host,
    the regional host and both rule-set errors."""
    seen = set()
    for _, operation, params in CALLS:
        for mode in MODES:
            for account in ACCOUNTS:
                seen.add(our_outcome(model, operation, params, mode, account)[0])
    assert f"url https://{ACCOUNT}.ddb.us-east-1.amazonaws.com/" in seen
    assert "url https://111122223333.ddb.us-east-1.amazonaws.com/" in seen
    assert "url https://dynamodb.us-east-1.amazonaws.com/" in seen
    assert "error AccountIdEndpointMode is required but no AccountID was provided or able to be loaded" in seen
    assert "error Credentials-sourced account ID parameter is invalid" in seen


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("args", [
    {"config": {"use_fips": True}},
    {"config": {"use_dualstack": True}},
    {"endpoint_url": "https://ddb.example.com"},
], ids=["fips", "dualstack", "endpoint_url"])
def test_fips_dualstack_and_endpoint_url(model: dict[str, Any], mode: str, args: dict[str, Any]) -> None:
    theirs = dict(args)
    if "config" in args:
        theirs["config"] = {{"use_fips": "use_fips_endpoint", "use_dualstack": "use_dualstack_endpoint"}[k]: v
                            for k, v in args["config"].items()}
    for _, operation, params in CALLS[:2] + CALLS[-2:]:
        expected, _ = botocore_outcome(operation, params, mode, ACCOUNT, **theirs)
        got, _ = our_outcome(model, operation, params, mode, ACCOUNT, **args)
        assert got == expected, (operation, params)


@pytest.mark.parametrize("mode", MODES)
def test_anonymous_clients_never_use_an_account(model: dict[str, Any], mode: str) -> None:
    """botocore turns the mode off for unsigned clients; "required" does not fail."""
    capture = Capture()
    client = aws_dynamodb.Client(region=REGION, anonymous=True, config=Config(account_id_endpoint_mode=mode),
                                 transport=capture)
    client.list_tables()
    client.batch_get_item(**to_kwargs(aws_dynamodb, model, "BatchGetItem", _batch_get(ARN)))
    assert capture.urls == ["https://dynamodb.us-east-1.amazonaws.com/"] * 2
    sent = botocore_sends(botocore.session.Session().create_client(
        "dynamodb", region_name=REGION, config=botocore.config.Config(
            signature_version=botocore.UNSIGNED, account_id_endpoint_mode=mode)), "batch_get_item", **_batch_get(ARN))
    assert sent.url == capture.urls[0]


def test_credentials_found_at_the_first_call_give_the_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials are looked for at the first call; their account id then routes it. No
    credentials at all: the call fails as a signed call does, naming where it looked."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKID")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SECRET")
    monkeypatch.setenv("AWS_ACCOUNT_ID", ACCOUNT)
    capture = Capture()
    client = aws_dynamodb.Client(region=REGION, transport=capture)
    assert client._resolved is None
    client.list_tables()
    assert capture.urls == [f"https://{ACCOUNT}.ddb.us-east-1.amazonaws.com/"]
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    for mode in MODES:  # "required" too: botocore raises the rule set's error there
        with pytest.raises(NoCredentialsError):
            aws_dynamodb.Client(region=REGION, transport=capture,
                                config=Config(account_id_endpoint_mode=mode)).list_tables()


def test_the_per_call_cache_keys_on_the_account_and_the_tables(model: dict[str, Any]) -> None:
    capture = Capture()
    client = aws_dynamodb.Client(region=REGION, credentials=Credentials("AKID", "SECRET", account_id=ACCOUNT),
                                 transport=capture)
    client.list_tables()
    client._resolved = Credentials("AKID", "SECRET", account_id="210987654321")  # other keys, another account
    client.list_tables()
    client.batch_get_item(**to_kwargs(aws_dynamodb, model, "BatchGetItem", _batch_get(ARN, PLAIN)))
    client.batch_get_item(**to_kwargs(aws_dynamodb, model, "BatchGetItem", _batch_get(PLAIN, ARN)))
    assert capture.urls == [f"https://{ACCOUNT}.ddb.us-east-1.amazonaws.com/",
                            "https://210987654321.ddb.us-east-1.amazonaws.com/",
                            "https://111122223333.ddb.us-east-1.amazonaws.com/",
                            "https://210987654321.ddb.us-east-1.amazonaws.com/"]
    assert all(isinstance(k, tuple) and hash(k) is not None for k in client._per_call)


def test_disabled_mode_keeps_calls_without_context_off_the_per_call_path() -> None:
    client = aws_dynamodb.Client(region=REGION, credentials=Credentials("AKID", "SECRET", account_id=ACCOUNT),
                                 config=Config(account_id_endpoint_mode="disabled"), transport=Capture())
    client.list_tables()
    assert client._per_call == {}


def test_the_async_client_routes_by_account_too(model: dict[str, Any]) -> None:
    from aws_dynamodb.aio import AsyncClient

    capture = AsyncCapture()

    async def calls() -> None:
        async with AsyncClient(region=REGION, credentials=Credentials("AKID", "SECRET", account_id=ACCOUNT),
                               transport=capture) as client:
            await client.list_tables()
            await client.transact_get_items(**to_kwargs(aws_dynamodb, model, "TransactGetItems",
                                                         _transact_get(ARN, PLAIN)))

    asyncio.run(calls())
    assert capture.urls == [f"https://{ACCOUNT}.ddb.us-east-1.amazonaws.com/",
                            "https://111122223333.ddb.us-east-1.amazonaws.com/"]


def test_required_mode_without_an_account_is_the_rule_sets_error() -> None:
    client = aws_dynamodb.Client(region=REGION, credentials=Credentials("AKID", "SECRET"),
                                 config=Config(account_id_endpoint_mode="required"), transport=Capture())
    with pytest.raises(EndpointResolutionError,
                       match="AccountIdEndpointMode is required but no AccountID was provided or able to be loaded"):
        client.list_tables()


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="account_id_endpoint_mode"):
        Config(account_id_endpoint_mode="sometimes")


@pytest.fixture(scope="module", autouse=True)
def _no_leak() -> Iterator[None]:
    original = botocore.regions.EndpointRulesetResolver._get_provider_params
    yield
    assert botocore.regions.EndpointRulesetResolver._get_provider_params is original


def _rule_set_cases() -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """botocore's DynamoDB endpoint cases that bind operations (``operationInputs``), less
    those with a custom endpoint (about endpoint_url, not accounts), without a region, or
    with an empty account id: ``Credentials`` reads "" as no account id (as botocore's
    environment provider does; its own Credentials keep ""), so the 4 cases expecting "" to be an
    invalid account id cannot be set up through credentials."""
    import json

    from generator.botocore_source import endpoint_tests_dir

    cases = json.loads((endpoint_tests_dir() / "dynamodb" / "endpoint-tests-1.json").read_text())["testCases"]
    return [(i, case["expect"], oi) for i, case in enumerate(cases) for oi in case.get("operationInputs", ())
            if "SDK::Endpoint" not in oi["builtInParams"] and "AWS::Region" in oi["builtInParams"]
            and oi["builtInParams"].get("AWS::Auth::AccountId") != ""]


RULE_SET_CASES = _rule_set_cases()


def test_the_rule_sets_own_operation_cases_through_the_client(model: dict[str, Any]) -> None:
    """Each case's built-ins become client settings (region, FIPS, dual-stack, the
    credentials' account id, the mode) and its operation a call; the call must go to the
    case's endpoint or raise its error."""
    assert len(RULE_SET_CASES) >= 150
    failures = []
    for index, expect, op_input in RULE_SET_CASES:
        builtins = op_input["builtInParams"]
        capture = Capture()
        client = aws_dynamodb.Client(
            region=builtins["AWS::Region"], transport=capture,
            credentials=Credentials("AKID", "SECRET", account_id=builtins.get("AWS::Auth::AccountId")),
            config=Config(use_fips=builtins.get("AWS::UseFIPS", False),
                          use_dualstack=builtins.get("AWS::UseDualStack", False),
                          account_id_endpoint_mode=builtins["AWS::Auth::AccountIdEndpointMode"], validate=False))
        operation = op_input["operationName"]
        kwargs = to_kwargs(aws_dynamodb, model, operation, op_input.get("operationParams", {}))
        try:
            getattr(client, botocore.xform_name(operation))(**kwargs)
            got = {"url": capture.urls[-1].rstrip("/")}
        except EndpointResolutionError as exc:
            got = {"error": str(exc)}
        expected = {"error": expect["error"]} if "error" in expect else {"url": expect["endpoint"]["url"]}
        if got != expected:
            failures.append(f"case {index} {operation}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures[:20])
