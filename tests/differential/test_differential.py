"""Differential equivalence with botocore (issue 5): a bounded sample for CI.

For a fixed sample of operations of varied rest-json and json services, hypothesis
draws inputs honouring the model (tests/differential/strategies.py) and checks that

* the request the generated client sends (method, host, path, query as a multiset of
  pairs, modeled headers, body) equals what botocore's serializer produces, and
* a response written from a random output parses to the same values with botocore's
  parser and with the generated client.

``scripts/differential_sweep.py`` runs the same checks over every operation of every
rest-json and json service.

Normalizations (differences of form, not of value, that the comparison ignores):
* botocore's serializer runs with millisecond timestamp precision: its default truncates
  epoch-seconds to whole seconds, where awsgen (and Smithy) keep the milliseconds.
* Timestamps in bodies, queries and headers compare as instants in the same wire form
  (number or text): botocore writes ``...:05.000Z`` where awsgen writes ``...:05Z``.
* Percent-encoding compares after RFC 3986 normalisation (unreserved characters
  decoded); JSON bodies compare as JSON values; list headers compare as RFC 9110 lists
  (botocore joins with ``,``, awsgen with ``, ``); JSON-value headers as decoded JSON.

Deliberate differences are listed in ``DELIBERATE``: a difference the harness tags with
one of these rules is reported but not counted as a mismatch. A rule removed from the
table makes its differences count again.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, example, given, settings

from .harness import Diff, Service, ensure_packages

# rule id -> why the difference is deliberate (one line each).
DELIBERATE: dict[str, str] = {
    "payload-content-type": (
        "a blob/string payload without a Content-Type member is sent as application/octet-stream"
        " (text/plain) as the Smithy rest-json protocol tests require; botocore's serializer sets none"
    ),
    "empty-payload": (
        "an empty body parses to an unset payload member, as the protocol suite's"
        " RestJsonHttpPayloadTraitsWithNoBlobBody/RestJsonHttpPayloadWithUnsetUnion expect;"
        " botocore returns an empty stream or {}"
    ),
    "json-special-float": (
        "awsJson responses' \"NaN\"/\"Infinity\"/\"-Infinity\" parse to floats as the protocol suites"
        " require; botocore's JSON parser (unlike its rest-json one) leaves them as strings"
    ),
    "empty-list-header": (
        "an empty list bound to a header is sent as an empty header, as the protocol suite's"
        " RestJsonNullAndEmptyHeaders requires; botocore omits the header"
    ),
    "header-list-escaping": (
        "list-header items with ',' or '\"' are RFC 9110 quoted-strings (backslashes escaped, quotes"
        " honoured when parsing); botocore does not escape backslashes and splits on every ','"
    ),
}

# (service, [operations]) -- varied protocols and bindings: json and json query-compatible
# bodies, URI/query/header/header-map/status/host-label bindings, blob/string/structure
# payloads, JSON-value headers, unions, documents, timestamps in every place.
SAMPLE: dict[str, list[str]] = {
    "dynamodb": ["PutItem", "Query", "TransactWriteItems", "DescribeTable"],
    "connectparticipant": ["CreateParticipantConnection", "SendMessage", "GetTranscript"],
    "scheduler": ["CreateSchedule", "ListSchedules", "GetSchedule"],
    "lambda": ["Invoke", "CreateFunction", "ListFunctions", "PublishLayerVersion"],
    "apigateway": ["PutRestApi", "GetExport", "GetApiKeys", "UpdateRestApi"],
    "quicksight": ["ListDashboards", "DescribeDashboard", "UpdateDashboardPermissions"],
    "sqs": ["SendMessage", "ReceiveMessage", "SendMessageBatch", "SetQueueAttributes"],
    "kinesis": ["PutRecords", "GetRecords", "DescribeStream"],
    "glue": ["CreateTable", "GetPartitions", "StartJobRun"],
    "bedrock-runtime": ["Converse", "InvokeModel", "ApplyGuardrail"],
    "cognito-idp": ["AdminCreateUser", "InitiateAuth", "ListUsers"],
    "dataexchange": ["SendApiAsset"],
    "iot-data": ["Publish"],
    "lex-runtime": ["PostContent"],
    "neptune-graph": ["ExecuteQuery"],
    "entityresolution": ["BatchDeleteUniqueId"],
    "appconfig": ["CreateHostedConfigurationVersion", "StopDeployment"],
    "geo-maps": ["GetStaticMap"],
    "bedrock-agentcore": ["InvokeAgentRuntimeCommand", "InvokeAgentRuntime"],
}
EXAMPLES = 10

# Generator bugs this test finds, not fixed yet: test id -> (the bug, an input that shows it).
# Each runs as a strict xfail with its example always tried, so a fix turns it into a
# failure that asks for the entry to be removed.
# Inputs that once showed a bug, tried on every run so that it stays fixed.
REGRESSIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "bedrock-agentcore.InvokeAgentRuntimeCommand-request": (
        "a structure payload used to overwrite the caller's Content-Type header member with"
        " application/json (fixed in generator/protocols.py _content_type)",
        {"agentRuntimeArn": "arn", "body": {"command": "ls"}, "contentType": "text/plain",
         "runtimeSessionId": "s" * 33},
    ),
}
CHECKS = ("request", "parse")

_SERVICES: dict[str, Service] = {}


@pytest.fixture(scope="session")
def packages_root() -> Any:
    return ensure_packages(sorted(SAMPLE))


def _service(root: Any, name: str) -> Service:
    svc = _SERVICES.get(name)
    if svc is None:
        svc = _SERVICES[name] = Service(name, root)
    return svc


def _cases() -> list[Any]:
    out = []
    for s, ops in SAMPLE.items():
        for op in ops:
            for check in CHECKS:
                test_id = f"{s}.{op}-{check}"
                out.append(pytest.param(s, op, check, id=test_id))
    return out


def counted(diffs: list[Diff]) -> list[Diff]:
    """The differences that count as mismatches: those no documented rule explains."""
    return [d for d in diffs if d.rule not in DELIBERATE]


@pytest.mark.parametrize("service, operation, check", _cases())
def test_matches_botocore(packages_root: Any, service: str, operation: str, check: str) -> None:
    svc = _service(packages_root, service)
    reason = svc.skip_reason(operation, check)
    if reason is not None:
        pytest.skip(reason)
    compare: Callable[[str, dict[str, Any]], list[Diff]]
    if check == "request":
        strategy, compare = svc.strategies.operation_input(operation), svc.check_request
    else:
        strategy, compare = svc.strategies.operation_output(operation), svc.check_parse

    bug = REGRESSIONS.get(f"{service}.{operation}-{check}")

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])
    @given(strategy)
    def run(values: dict[str, Any]) -> None:
        bad = counted(compare(operation, values))
        assert not bad, "\n".join(d.short(400) for d in bad)

    if bug is not None:
        run = example(bug[1])(run)
    run()


def test_sample_operations_exist(packages_root: Any) -> None:
    ids = {p.id for p in _cases()}
    assert set(REGRESSIONS) <= ids, "a regression names a test that does not run"
    for service, ops in SAMPLE.items():
        missing = set(ops) - set(_service(packages_root, service).operations)
        assert not missing, f"{service}: no such operations {sorted(missing)}"


def test_every_rule_is_emitted_by_the_harness() -> None:
    """A documented rule the harness cannot produce is stale."""
    from pathlib import Path

    source = (Path(__file__).parent / "harness.py").read_text(encoding="utf-8")
    for rule in DELIBERATE:
        assert f'"{rule}"' in source, rule


def test_header_list_splitting() -> None:
    from .harness import split_header_list

    assert split_header_list("a,b, c") == ["a", "b", "c"]
    assert split_header_list('"a,b", "c\\"d", e') == ["a,b", 'c"d', "e"]
    assert split_header_list('"x\\\\,y"') == ["x\\,y"]


def test_rules_are_tagged(packages_root: Any) -> None:
    """The harness tags known deliberate differences, and only those."""
    svc = _service(packages_root, "entityresolution")
    # A backslash in a quoted list item: awsgen escapes it (RFC 9110), botocore does not.
    diffs = svc.check_request("BatchDeleteUniqueId", {"workflowName": "w", "uniqueIds": ["a\\,b", "c"]})
    assert [d.rule for d in diffs] == ["header-list-escaping"]
    diffs = svc.check_request("BatchDeleteUniqueId", {"workflowName": "w", "uniqueIds": []})
    assert [d.rule for d in diffs] == ["empty-list-header"]
    assert svc.check_request("BatchDeleteUniqueId", {"workflowName": "w", "uniqueIds": ['x"y', "p,q", "r"]}) == []
