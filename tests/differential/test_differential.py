"""Differential equivalence with botocore (issue 5): a bounded sample for CI.

For a fixed sample of operations of varied services of every protocol (rest-json, json,
query, ec2, rest-xml, smithy-rpc-v2-cbor), hypothesis
draws inputs honouring the model (tests/differential/strategies.py) and checks that

* the request the generated client sends (method, host, path, query as a multiset of
  pairs, modeled headers, body) equals what botocore's serializer produces, and
* a response written from a random output parses to the same values with botocore's
  parser and with the generated client.

``scripts/differential_sweep.py`` runs the same checks over every operation of every
service of those protocols. A service whose protocol the generator does not support yet
is skipped.

Normalizations (differences of form, not of value, that the comparison ignores):
* botocore's serializer runs with millisecond timestamp precision: its default truncates
  epoch-seconds to whole seconds, where awsgen (and Smithy) keep the milliseconds.
* Timestamps in bodies, queries and headers compare as instants in the same wire form
  (number or text): botocore writes ``...:05.000Z`` where awsgen writes ``...:05Z``.
* Percent-encoding compares after RFC 3986 normalisation (unreserved characters
  decoded); JSON bodies compare as JSON values; list headers compare as RFC 9110 lists
  (botocore joins with ``,``, awsgen with ``, ``); JSON-value headers as decoded JSON.
* Form bodies (query, ec2) compare as ordered (name, value) pairs after URL-decoding,
  botocore being given the input in model member order (it writes the caller's dict
  order); XML bodies (rest-xml) as parsed trees: tag with namespace, attributes, text
  (exact in a leaf, stripped around child elements), children in order; CBOR bodies as
  decoded values (NaN equal to NaN). In form and XML text, ISO 8601 values compare as
  instants and numbers as numbers (``1.0`` and ``1`` alike).
* S3: the generated client's endpoint rules put a DNS-compatible bucket into the host
  (``b.example.com/k``), botocore's serializer keeps it in the path (``/b/k``, its
  handlers move it later); the two compare equal.
* S3 Control: where models/customizations/s3control.yaml drops an operation's
  ``{AccountId}.`` host prefix (botocore's remove_accid_host_prefix_from_model handler),
  the expected host is the one botocore's full client sends to, handlers included.
* smithy-rpc-v2-cbor: botocore's serializer keeps its default precision there (with
  milliseconds it fails on any fractional epoch) and writes whole seconds (failing before
  1970), so timestamps in CBOR inputs are drawn as whole seconds from 1970; its ``float``
  is single precision, so ``float`` members are drawn as single-precision values.
* XML responses draw strings of XML characters only, and no empty flattened list or map
  (no element at all, the same as an unset member).

Deliberate differences are listed in ``DELIBERATE``: a difference the harness tags with
one of these rules is reported but not counted as a mismatch. A rule removed from the
table makes its differences count again.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, example, given, settings

from .harness import Diff, Service, ensure_packages, load_model, service_protocol

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
    "header-timestamp-millis": (
        "a timestamp header keeps its milliseconds (date-time allows fractions); botocore's serializer"
        " truncates header timestamps to whole seconds"
    ),
    "content-length-from-body": (
        "Content-Length is the length of the body sent, whatever a ContentLength member says (another"
        " value breaks the HTTP message); botocore sends the member's value"
    ),
    "xml-content-type": (
        "a rest-xml request with an XML body says Content-Type: application/xml, as the Smithy restXml"
        " protocol tests require; botocore's serializer sets none"
    ),
    "xml-cr-escaped": (
        "a carriage return in XML text is written as &#13; so that it reaches the service; botocore"
        " writes it raw and any XML parser reads it as a line feed"
    ),
}

# (service, [operations]) -- varied protocols and bindings: json and json query-compatible
# bodies, URI/query/header/header-map/status/host-label bindings, blob/string/structure
# payloads, JSON-value headers, unions, documents, timestamps in every place; query
# (lists as .member.N, maps as .entry.N.key/value with custom names, resultWrapper),
# ec2 (capitalised locationName and queryName, lists as .N, <item> lists in responses),
# rest-xml (namespaces, xsi:type attributes, flattened lists, blob payloads, header maps,
# virtual-hosted buckets) and smithy-rpc-v2-cbor.
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
    "iam": ["CreateUser", "ListUsers", "GetAccountAuthorizationDetails", "SimulateCustomPolicy"],
    "sts": ["AssumeRole", "GetCallerIdentity"],
    "sns": ["Publish", "CreateTopic", "GetTopicAttributes", "PublishBatch"],
    "ec2": ["RunInstances", "DescribeInstances", "CreateTags", "DescribeSecurityGroups"],
    "s3": ["PutObject", "GetObject", "ListObjectsV2", "PutBucketLifecycleConfiguration", "PutObjectAcl",
           "GetObjectAcl", "DeleteObjects"],
    # The account id in the host once (a customization); Outposts buckets without it.
    "s3control": ["ListRegionalBuckets", "ListAccessPoints", "CreateBucket"],
    # The one service botocore reads as smithy-rpc-v2-cbor (its only protocol).
    "partnercentral-revenue-measurement": ["CreateRevenueAttribution", "ListRevenueAttributions",
                                           "GetMarketplaceRevenueShare"],
}
EXAMPLES = 10

# Generator bugs this test finds, not fixed yet: test id -> (the bug, an input that shows it).
# Each runs as a strict xfail with its example always tried, so a fix turns it into a
# failure that asks for the entry to be removed.
KNOWN_BUGS: dict[str, tuple[str, dict[str, Any]]] = {}
# Inputs that once showed a bug, tried on every run so that it stays fixed.
REGRESSIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "bedrock-agentcore.InvokeAgentRuntimeCommand-request": (
        "a structure payload used to overwrite the caller's Content-Type header member with"
        " application/json (fixed in generator/protocols/_http.py)",
        {"agentRuntimeArn": "arn", "body": {"command": "ls"}, "contentType": "text/plain",
         "runtimeSessionId": "s" * 33},
    ),
}
CHECKS = ("request", "parse")

_SERVICES: dict[str, Service] = {}


def _generated(service: str) -> bool:
    """Whether the generator supports the protocol of ``service`` yet."""
    return bool(service_protocol(load_model(service)))


@pytest.fixture(scope="session")
def packages_root() -> Any:
    return ensure_packages(sorted(s for s in SAMPLE if _generated(s)))


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
                marks = [] if _generated(s) else [pytest.mark.skip(reason="protocol not supported by the generator yet")]
                out.append(pytest.param(s, op, check, id=test_id, marks=marks))
    return out


def counted(diffs: list[Diff]) -> list[Diff]:
    """The differences that count as mismatches: those no documented rule explains."""
    return [d for d in diffs if d.rule not in DELIBERATE]


@pytest.mark.parametrize("service, operation, check", _cases())
def test_matches_botocore(request: Any, packages_root: Any, service: str, operation: str, check: str) -> None:
    svc = _service(packages_root, service)
    reason = svc.skip_reason(operation, check)
    if reason is not None:
        pytest.skip(reason)
    compare: Callable[[str, dict[str, Any]], list[Diff]]
    if check == "request":
        strategy, compare = svc.strategies.operation_input(operation), svc.check_request
    else:
        strategy, compare = svc.strategies.operation_output(operation), svc.check_parse

    test_id = f"{service}.{operation}-{check}"
    bug = REGRESSIONS.get(test_id) or KNOWN_BUGS.get(test_id)
    if test_id in KNOWN_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[test_id][0]))

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
    assert set(KNOWN_BUGS) <= ids, "a known bug names a test that does not run"
    for service, ops in SAMPLE.items():
        missing = set(ops) - set(load_model(service)["operations"])
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


# The response writers are the harness's own: botocore's parser must read back what they
# write (the generated client is then compared with botocore on the same bytes). These
# run on the model alone, also while the generator lacks the protocol.
WRITER_SAMPLE: dict[str, list[str]] = {
    "iam": ["GetAccountAuthorizationDetails", "ListUsers"],  # query, resultWrapper, nested lists
    "sns": ["GetTopicAttributes"],  # query map
    "sdb": ["Select", "GetAttributes"],  # flattened lists named by the list member
    "ec2": ["DescribeInstances", "DescribeSecurityGroups"],  # <item> lists, no wrapper
    "s3": ["ListObjectsV2", "GetObjectAcl", "GetBucketLifecycleConfiguration"],  # flattened, xsi:type
    "cloudfront": ["GetDistributionConfig"],  # structure payload
    "partnercentral-revenue-measurement": ["ListRevenueAttributions", "GetRevenueAttribution"],
}


@pytest.mark.parametrize("service, operation", [pytest.param(s, o, id=f"{s}.{o}")
                                                for s, ops in WRITER_SAMPLE.items() for o in ops])
def test_response_writer_round_trips_through_botocore(service: str, operation: str) -> None:
    svc = Service.model_only(service)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(svc.strategies.operation_output(operation))
    def run(values: dict[str, Any]) -> None:
        where = svc.writer_round_trip(operation, values)
        assert where is None, f"{where}: {svc.build_response(operation, values)}"

    run()


def test_wire_comparisons() -> None:
    from .harness import _compare_cbor, _compare_form, _compare_xml

    assert _compare_form("Op", b"Action=Op&A.member.1=2020-01-01T00%3A00%3A00.000Z&B=1.0",
                         b"Action=Op&A.member.1=2020-01-01T00:00:00Z&B=1") == []
    assert _compare_form("Op", b"Action=Op&A=a+b", b"Action=Op&A=a%20b") == []
    assert [d.where for d in _compare_form("Op", b"A=1&B=2", b"B=2&A=1")] == ["(order)"]
    assert [d.where for d in _compare_form("Op", b"A=1&B=2", b"A=1")] == ["B"]
    assert _compare_xml("Op", b'<?xml version="1.0"?><a xmlns="n"><b>x</b></a>',
                        b'<a xmlns="n">\n  <b>x</b>\n</a>') == []
    assert [d.where for d in _compare_xml("Op", b"<a><b> x</b></a>", b"<a><b>x</b></a>")] == ["/a/b[0]"]
    assert [d.where for d in _compare_xml("Op", b'<a xmlns="n"/>', b"<a/>")] == ["/a"]
    assert [d.rule for d in _compare_xml("Op", b"<a>x\ny</a>", b"<a>x&#13;y</a>")] == ["xml-cr-escaped"]
    assert _compare_cbor("Op", bytes.fromhex("a16161f97e00"), bytes.fromhex("a16161fb7ff8000000000000")) == []
