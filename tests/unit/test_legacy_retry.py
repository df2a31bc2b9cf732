"""botocore's legacy retry mode (boto3's default): the generator's policies from
``_retry.json`` (generator/legacy_retry.py) decide as botocore's own retry handler does,
for every service section of the file and one without; and a client in legacy mode makes
the attempts, with the delays, that boto3 makes on the same answers."""

from __future__ import annotations

import copy
import json
import zlib
from pathlib import Path
from typing import Any

import boto3
import botocore.awsrequest
import botocore.config
import botocore.endpoint
import botocore.exceptions
import botocore.retryhandler
import botocore.translate
import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime import boto3_compat
from awsgen_runtime.client import _crc32_differs
from awsgen_runtime.errors import ChecksumMismatchError
from awsgen_runtime.retries import LegacyPolicy, RetryConfig
from awsgen_runtime.transport import HttpRequest, HttpResponse
from generator.botocore_source import data_dir
from generator.legacy_retry import compile_policy

RETRY_FILE: Path = data_dir() / "_retry.json"
DOC = json.loads(RETRY_FILE.read_text())
PREFIXES = sorted(k for k in DOC["retry"] if k != "__default__") + ["lambda"]  # "lambda": no section
CODES = sorted({str(p["applies_when"]["response"]["service_error_code"])
                for section in [DOC["definitions"], *[s.get("__default__", s).get("policies", {})
                                                      for s in DOC["retry"].values()]]
                for p in section.values() if "service_error_code" in p.get("applies_when", {}).get("response", {})})
STATUSES = (200, 400, 403, 404, 408, 409, 429, 500, 502, 503, 504, 509)
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture(autouse=True)
def _no_retry_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's defaults: no retry mode or attempts from the environment (the e2e
    fixtures set them for the whole session once they run)."""
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)


class _Answer:
    def __init__(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"{}") -> None:
        self.status_code = status
        self.headers = headers or {}
        self.content = body


def _botocore_handler(prefix: str) -> Any:
    doc = copy.deepcopy(DOC)  # botocore merges sections into the dicts it is given
    config = botocore.translate.build_retry_config(prefix, doc["retry"], doc["definitions"])
    handler = botocore.retryhandler.create_retry_handler(config)

    def ask(**kwargs: Any) -> Any:  # what botocore's endpoint passes along
        return handler(request_dict={"context": {"retries": {}}}, **kwargs)

    return ask, config


@pytest.mark.parametrize("prefix", PREFIXES)
def test_policy_decides_as_botocore(prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = LegacyPolicy(*compile_policy(RETRY_FILE, prefix))
    handler, config = _botocore_handler(prefix)
    assert ours.max_attempts == config["__default__"]["max_attempts"]
    monkeypatch.setattr(botocore.retryhandler.random, "random", lambda: 0.375)
    fixed = RetryConfig(random=lambda: 0.375)
    compared = 0
    for status in STATUSES:
        for code in [None, "SomethingElse", *CODES]:
            parsed = {"Error": {"Code": code, "Message": ""}} if code else {}
            for attempt in (1, 3, ours.max_attempts - 1):
                theirs = handler(attempts=attempt, response=(_Answer(status), parsed), caught_exception=None)
                mine = ours.delay(fixed, attempt) if ours.retryable(status, code or "") else None
                assert mine == theirs, (prefix, status, code, attempt)
                compared += 1
            # the last attempt is never retried: the client stops at max_attempts (both)
            assert handler(attempts=ours.max_attempts, response=(_Answer(status), parsed), caught_exception=None) is None
    assert compared > 200
    for exc in (botocore.exceptions.ConnectionError(error="x"), botocore.exceptions.ReadTimeoutError(endpoint_url="u"),
                botocore.exceptions.EndpointConnectionError(endpoint_url="u"),
                botocore.exceptions.ConnectionClosedError(endpoint_url="u")):
        assert handler(attempts=1, response=None, caught_exception=exc) == ours.delay(fixed, 1)  # always retried


def test_crc32_as_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = LegacyPolicy(*compile_policy(RETRY_FILE, "dynamodb"))
    assert ours.crc32 == "x-amz-crc32"
    handler, _ = _botocore_handler("dynamodb")
    body = b'{"Table": {}}'
    for header in (str(zlib.crc32(body)), str(zlib.crc32(body) ^ 1), None):
        headers = {} if header is None else {"x-amz-crc32": header}
        theirs = handler(attempts=1, response=(_Answer(200, headers, body), {}), caught_exception=None)
        assert (theirs is not None) == _crc32_differs(HttpResponse(200, headers, body), "x-amz-crc32")
    with pytest.raises(botocore.exceptions.ChecksumError):  # botocore's last attempt raises
        handler(attempts=10, response=(_Answer(200, {"x-amz-crc32": "1"}, body), {}), caught_exception=None)


class _Script:
    """A transport answering from a list; records each request."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.answers = list(answers)
        self.sent = 0

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        status, headers, body = self.answers[min(self.sent, len(self.answers) - 1)]
        self.sent += 1
        return HttpResponse(status, HTTPHeaderDict(headers), body)


def _boto3_run(answers: list[tuple[int, dict[str, str], bytes]], monkeypatch: pytest.MonkeyPatch,
               config: Any = None) -> tuple[Any, list[float], int]:
    client = boto3.client("dynamodb", config=botocore.config.Config(**config) if config else None, **KEYS)
    sent = [0]

    def before_send(request: Any, **_: Any) -> Any:
        status, headers, body = answers[min(sent[0], len(answers) - 1)]
        sent[0] += 1
        raw = botocore.awsrequest.AWSResponse(request.url, status, headers, _Raw(body))
        return raw

    client.meta.events.register("before-send.dynamodb.*", before_send)
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", sleeps.append)  # type: ignore[attr-defined]
    try:
        out: Any = client.describe_table(TableName="t")
    except botocore.exceptions.ClientError as exc:
        out = exc.response
    except botocore.exceptions.ChecksumError as exc:
        out = type(exc).__name__
    return out, sleeps, sent[0]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _ours_run(answers: list[tuple[int, dict[str, str], bytes]], config: Any = None) -> tuple[Any, list[float], int]:
    client = boto3_compat.client("dynamodb", config=config, **KEYS)
    script = _Script(answers)
    client._core._transport_given = script
    sleeps: list[float] = []
    client._core._retry.sleep = sleeps.append
    try:
        out: Any = client.describe_table(TableName="t")
    except boto3_compat.ClientError as exc:
        out = exc.response
    except ChecksumMismatchError as exc:
        out = "ChecksumError"
    return out, sleeps, script.sent


THROTTLED = (400, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "r"},
             b'{"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "message": "slow"}')
OK = (200, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "r"}, b'{"Table": {"TableName": "t"}}')
NOT_FOUND = (400, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "r"},
             b'{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "no"}')
BAD_CRC = (200, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "r", "x-amz-crc32": "1"},
           b'{"Table": {"TableName": "t"}}')


def _meta_free(out: Any) -> Any:
    if isinstance(out, dict):
        meta = out.get("ResponseMetadata", {})
        return {**{k: v for k, v in out.items() if k != "ResponseMetadata"},
                "meta": (meta.get("RetryAttempts"), meta.get("MaxAttemptsReached"), meta.get("HTTPStatusCode"))}
    return out


@pytest.mark.parametrize("answers, config", [
    ([THROTTLED] * 4 + [OK], None),                      # retried, then success
    ([THROTTLED] * 12, None),                            # DynamoDB's 10 attempts, then the error
    ([NOT_FOUND], None),                                 # not retried
    ([(500, {}, b"")] * 3 + [OK], None),                 # a bodiless 500
    ([(509, {}, b"")] * 12, {"retries": {"max_attempts": 2}}),  # max_attempts counts retries: 3 attempts
    ([(503, {}, b"")] * 12, {"retries": {"total_max_attempts": 4}}),
    ([BAD_CRC] * 2 + [OK], None),                        # a damaged body is retried (x-amz-crc32)
    ([BAD_CRC] * 12, {"retries": {"total_max_attempts": 3}}),
], ids=["throttled-then-ok", "throttled-always", "not-retried", "500", "509-max", "503-total", "crc32", "crc32-end"])
def test_dynamodb_legacy_mode_as_boto3(answers: Any, config: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, their_sleeps, their_sent = _boto3_run(answers, monkeypatch, config)
    ours, our_sleeps, our_sent = _ours_run(answers, config)
    assert our_sent == their_sent
    assert our_sleeps == pytest.approx(their_sleeps)  # DynamoDB: 0.05 s doubling, no randomness
    assert _meta_free(ours) == _meta_free(theirs)
