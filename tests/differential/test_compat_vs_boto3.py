"""The boto3-compatible client against boto3 itself, for every operation of every manifest
service whose protocol it supports (json, rest-json).

For each operation, hypothesis draws inputs from the model (``strategies.py``) and
answers written the way the service writes them (``harness.Service.build_response``):

* request: boto3 (its whole client, handlers included, stopped at ``before-send``) and
  the compat client (a capturing transport) send the same method, path, query, body (as
  JSON values) and headers, apart from those that differ per call (date, signature,
  invocation id, user agent, length of differently spaced JSON);
* answer: both parse the same answer into equal dicts, ``ResponseMetadata`` aside (its
  request id, status and headers are compared too);
* modeled errors: every error shape of the service, with members drawn from the model,
  raises the same class name with an equal ``.response`` and message.

Deliberate differences (none is counted as equal silently; each is normalized here):
timestamps are compared as instants (boto3's ``tzutc()`` and our ``timezone.utc``
compare equal); streaming bodies by their bytes.

The comparison itself is ``compat_check.py``'s, shared with ``scripts/compat_sweep.py``
(every json/rest-json service of the pinned botocore) and ``test_compat_sweep_sample.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from .compat_check import (  # noqa: F401 - _Wire, _request, ...: the other compat tests' machinery
    _VOLATILE, ENDPOINT, KEYS, Pair, _call, _method, _plain, _request, _strip, _Wire, check_error,
    check_operation, error_shapes, make_pair, skip_list, skip_reason)
from .harness import ensure_packages, load_model

SERVICES = ("dynamodb", "scheduler", "connectparticipant", "sso", "sso-oidc")
EXAMPLES = 4

_PAIRS: dict[str, Pair] = {}


def _pair(service: str) -> tuple[Any, Any, Any, Any]:
    """(boto3 client, compat client, wire, harness service), made once per service; the
    compat client is the installed manifest package's (generated/)."""
    if service not in _PAIRS:
        _PAIRS[service] = make_pair(service, ensure_packages(list(SERVICES)), import_from_root=False)
    p = _PAIRS[service]
    return p.theirs, p.ours, p.wire, p.svc


def _skipped(service: str, name: str) -> Any:
    reason = skip_reason(skip_list(), service, name)
    return pytest.param(service, name, marks=pytest.mark.skip(reason=reason)) if reason else (service, name)


def _operations() -> list[Any]:
    return [_skipped(s, op) for s in SERVICES for op in sorted(load_model(s)["operations"])]


@pytest.mark.parametrize("service, op", _operations(), ids=lambda v: v)
def test_same_request_and_answer(service: str, op: str) -> None:
    _pair(service)
    check_operation(_PAIRS[service], op, EXAMPLES)


def _error_cases() -> list[Any]:
    out = []
    for s in SERVICES:
        shapes = load_model(s)["shapes"]
        out += [_skipped(s, name) for name in sorted(shapes) if shapes[name].get("exception")]
    return out


@pytest.mark.parametrize("service, error", _error_cases(), ids=lambda v: v)
def test_same_modeled_error(service: str, error: str) -> None:
    _pair(service)
    check_error(_PAIRS[service], error, 3)


def test_unknown_error_and_generic_5xx() -> None:
    theirs, ours, wire, _ = _pair("dynamodb")
    for status, body in ((400, b'{"__type": "SomethingNew", "message": "m"}'), (503, b""), (502, b"<html>x</html>"),
                         (400, b"not json")):
        wire.status, wire.headers, wire.body = status, [("x-amzn-RequestId", "r")], body
        e_kind, expected = _call(theirs, "list_tables", {})
        a_kind, actual = _call(ours, "list_tables", {})
        assert (a_kind, str(actual)) == (e_kind, str(expected))
        assert _plain(actual.response) == _plain(expected.response)


def test_validation_messages() -> None:
    theirs, ours, _, _ = _pair("dynamodb")
    for params in ({}, {"TableName": "t", "Key": []}, {"TableName": "t", "Key": {"k": {"S": 1}}},
                   {"TableName": "t", "Key": {"k": {"S": "v"}}, "AttributesToGet": []},
                   {"TableName": "t", "Key": {}, "Bogus": 1}, {"TableName": "t", "Key": {"k": {"N": None}}}):
        e_kind, expected = _call(theirs, "get_item", params)
        a_kind, actual = _call(ours, "get_item", params)
        assert a_kind == e_kind == "ParamValidationError"
        assert str(actual) == str(expected)
