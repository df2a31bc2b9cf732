"""query and ec2 clients from tiny inline models against the local server: form bodies,
XML answers, error mapping with the body's request id, and hostile or malformed XML
(billion laughs, external entities, truncation, wrong scalar text) as ResponseParseError."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import time
from urllib.parse import parse_qsl

import pytest

from awsgen_runtime.errors import ResponseParseError, ServiceError
from generator.pipeline import build_package
from generator.render import PackageSettings


def _model(protocol: str) -> dict:
    wrapper = {"resultWrapper": "DescribeThingsResult"} if protocol == "query" else {}
    return {
        "version": "2.0",
        "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "things", "protocol": protocol,
                     "serviceId": f"Things {protocol}", "signatureVersion": "v4",
                     "uid": "things-2024-01-01", "xmlNamespace": "https://things.example.com/doc/2024-01-01/"},
        "operations": {
            "DescribeThings": {"name": "DescribeThings", "http": {"method": "POST", "requestUri": "/"},
                               "input": {"shape": "DescribeThingsRequest"},
                               "output": {"shape": "DescribeThingsResult", **wrapper},
                               "errors": [{"shape": "ThingNotFound"}]},
        },
        "shapes": {
            "DescribeThingsRequest": {"type": "structure", "members": {
                "ThingIds": {"shape": "IdList", "locationName": "ThingId"},
                "Filters": {"shape": "FilterList", "locationName": "Filter"},
                "Attributes": {"shape": "AttrMap"},
                "Since": {"shape": "Time"},
                "MaxResults": {"shape": "Integer"},
                "DryRun": {"shape": "Boolean"}}},
            "Filter": {"type": "structure", "members": {"Name": {"shape": "String"},
                                                       "Values": {"shape": "IdList", "locationName": "Value"}}},
            "FilterList": {"type": "list", "member": {"shape": "Filter", "locationName": "Filter"}},
            "IdList": {"type": "list", "member": {"shape": "String", "locationName": "item"}},
            "AttrMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
            "DescribeThingsResult": {"type": "structure", "members": {
                "Things": {"shape": "ThingList", "locationName": "thingSet"},
                "NextToken": {"shape": "String", "locationName": "nextToken"}}},
            "ThingList": {"type": "list", "member": {"shape": "Thing", "locationName": "item"}},
            "Thing": {"type": "structure", "members": {
                "ThingId": {"shape": "String", "locationName": "thingId"},
                "Count": {"shape": "Integer", "locationName": "count"},
                "Ratio": {"shape": "Double", "locationName": "ratio"},
                "Enabled": {"shape": "Boolean", "locationName": "enabled"},
                "Created": {"shape": "Time", "locationName": "created"},
                "State": {"shape": "State", "locationName": "state"},
                "Tags": {"shape": "AttrMap", "locationName": "tags"}}},
            "ThingNotFound": {"type": "structure", "exception": True,
                              "error": {"code": "ThingNotFound", "httpStatusCode": 404, "senderFault": True},
                              "members": {"Message": {"shape": "String"}, "ThingId": {"shape": "String"}}},
            "State": {"type": "string", "enum": ["on", "off"]},
            "String": {"type": "string"},
            "Integer": {"type": "integer"},
            "Double": {"type": "double"},
            "Boolean": {"type": "boolean"},
            "Time": {"type": "timestamp"},
        },
    }


def _build(tmp_path_factory, protocol: str):
    root = tmp_path_factory.mktemp(f"xml_{protocol}")
    model = root / "service-2.json"
    model.write_text(json.dumps(_model(protocol)))
    name = f"aws_things_{protocol}_test"
    files = build_package(model, PackageSettings(name, name.replace("_", "-"), "things/service-2.json"))
    for rel, text in files.items():
        (root / "dist" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "dist" / rel).write_text(text)
    sys.path.insert(0, str(root / "dist"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root / "dist"))


@pytest.fixture(scope="module", params=["query", "ec2"])
def pkg(request, tmp_path_factory):
    return _build(tmp_path_factory, request.param)


@pytest.fixture
def client(pkg, server):
    return pkg.Client(region="us-east-1", endpoint_url=server.url, anonymous=True,
                      config=pkg.Config(max_attempts=1))


def _protocol(client) -> str:
    return type(client)._PROTOCOL


def _answer(protocol: str, inner: str) -> bytes:
    ns = 'xmlns="https://things.example.com/doc/2024-01-01/"'
    if protocol == "query":
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeThingsResponse {ns}><DescribeThingsResult>'
                f'{inner}</DescribeThingsResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>'
                "</DescribeThingsResponse>").encode()
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeThingsResponse {ns}><requestId>r-1</requestId>'
            f"{inner}</DescribeThingsResponse>").encode()


THING = ("<thingSet><item><thingId>t-1</thingId><count>3</count><ratio>0.5</ratio><enabled>true</enabled>"
         "<created>2024-01-02T03:04:05.250Z</created><state>on</state>"
         "<tags><entry><key>k</key><value>v &amp; w</value></entry></tags></item>"
         "<item><thingId>t-2</thingId><state>sideways</state></item></thingSet><nextToken>n</nextToken>")


def test_form_body_and_parsed_answer(pkg, client, server) -> None:
    protocol = _protocol(client)
    server.reply(200, _answer(protocol, THING), {"Content-Type": "text/xml"})
    out = client.describe_things(
        thing_ids=["a", "b c"], filters=[pkg.shapes.Filter(name="state", values=["on"])],
        attributes={"x": "1"}, since=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), max_results=5,
        dry_run=False,
    )
    sent = server.last
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8"
    form = parse_qsl(sent.body.decode("ascii"), keep_blank_values=True)
    if protocol == "query":
        assert form == [("Action", "DescribeThings"), ("Version", "2024-01-01"),
                        ("ThingId.item.1", "a"), ("ThingId.item.2", "b c"),
                        ("Filter.Filter.1.Name", "state"), ("Filter.Filter.1.Value.item.1", "on"),
                        ("Attributes.entry.1.key", "x"), ("Attributes.entry.1.value", "1"),
                        ("Since", "2024-01-01T00:00:00Z"), ("MaxResults", "5"), ("DryRun", "false")]
    else:
        assert form == [("Action", "DescribeThings"), ("Version", "2024-01-01"),
                        ("ThingId.1", "a"), ("ThingId.2", "b c"),
                        ("Filter.1.Name", "state"), ("Filter.1.Value.1", "on"),
                        ("Attributes.entry.1.key", "x"), ("Attributes.entry.1.value", "1"),
                        ("Since", "2024-01-01T00:00:00Z"), ("MaxResults", "5"), ("DryRun", "false")]
    first, second = out.things
    assert (first.thing_id, first.count, first.ratio, first.enabled) == ("t-1", 3, 0.5, True)
    assert first.created == dt.datetime(2024, 1, 2, 3, 4, 5, 250000, tzinfo=dt.timezone.utc)
    assert first.state == "on" and first.state.is_known
    assert first.tags == {"k": "v & w"}
    assert second.state == "sideways" and not second.state.is_known  # an unknown enum value is kept
    assert second.count is None and second.tags is None
    assert out.next_token == "n"


def test_empty_list_and_missing_members(client, server) -> None:
    protocol = _protocol(client)
    server.reply(200, _answer(protocol, "<thingSet/>"), {"Content-Type": "text/xml"})
    out = client.describe_things(thing_ids=[])
    form = parse_qsl(server.last.body.decode("ascii"), keep_blank_values=True)
    # query sends an empty list as a bare name; ec2 sends nothing
    assert form[2:] == ([("ThingId", "")] if protocol == "query" else [])
    assert out.things == [] and out.next_token is None


def test_modeled_error_with_request_id_from_the_body(pkg, client, server) -> None:
    if _protocol(client) == "query":
        body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>ThingNotFound</Code><Message>no such thing</Message>"
                b"<ThingId>t-9</ThingId></Error><RequestId>req-42</RequestId></ErrorResponse>")
    else:
        body = (b"<Response><Errors><Error><Code>ThingNotFound</Code><Message>no such thing</Message>"
                b"<ThingId>t-9</ThingId></Error></Errors><RequestID>req-42</RequestID></Response>")
    server.reply(404, body, {"Content-Type": "text/xml"})
    with pytest.raises(pkg.errors.ThingNotFound) as info:
        client.describe_things()
    err = info.value
    assert (err.code, err.message, err.thing_id, err.status_code) == ("ThingNotFound", "no such thing", "t-9", 404)
    assert err.request_id == "req-42"


def test_unmodeled_error_code_raises_the_base(pkg, client, server) -> None:
    if _protocol(client) == "query":
        body = b"<ErrorResponse><Error><Code>Throttled</Code><Message>slow down</Message></Error></ErrorResponse>"
    else:
        body = b"<Response><Errors><Error><Code>Throttled</Code><Message>slow down</Message></Error></Errors></Response>"
    server.reply(400, body, {"Content-Type": "text/xml"})
    with pytest.raises(ServiceError) as info:
        client.describe_things()
    assert type(info.value) is type(client)._ERROR_BASE
    assert (info.value.code, info.value.message) == ("Throttled", "slow down")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<DescribeThingsResponse><DescribeThingsResult><nextToken>&lol9;</nextToken></DescribeThingsResult>
<nextToken>&lol9;</nextToken></DescribeThingsResponse>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<DescribeThingsResponse><DescribeThingsResult><nextToken>&xxe;</nextToken></DescribeThingsResult>
<nextToken>&xxe;</nextToken></DescribeThingsResponse>"""

# A DTD hidden from a byte scan by a non-ASCII-compatible encoding.
UTF16_DTD = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'.encode("utf-16")


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, UTF16_DTD],
                         ids=["billion-laughs", "external-entity", "utf16-dtd"])
def test_hostile_xml_is_refused_quickly(client, server, body) -> None:
    server.reply(200, body, {"Content-Type": "text/xml"})
    start = time.perf_counter()
    with pytest.raises(ResponseParseError) as info:
        client.describe_things()
    assert time.perf_counter() - start < 2
    assert "passwd" not in str(info.value) and "root:" not in str(info.value)


def test_undeclared_entity_is_a_parse_error(client, server) -> None:
    server.reply(200, _answer(_protocol(client), "<nextToken>&xxe;</nextToken>"), {"Content-Type": "text/xml"})
    with pytest.raises(ResponseParseError):
        client.describe_things()


def test_truncated_xml(client, server) -> None:
    whole = _answer(_protocol(client), THING)
    server.reply(200, whole[: len(whole) // 2], {"Content-Type": "text/xml"})
    with pytest.raises(ResponseParseError, match="not well-formed XML"):
        client.describe_things()


@pytest.mark.parametrize("inner, what", [
    ("<thingSet><item><count>three</count></item></thingSet>", "integer"),
    ("<thingSet><item><ratio>half</ratio></item></thingSet>", "number"),
    ("<thingSet><item><enabled>yes</enabled></item></thingSet>", "boolean"),
    ("<thingSet><item><created>yesterday</created></item></thingSet>", "timestamp"),
    ("<thingSet><item><tags><entry><value>v</value></entry></tags></item></thingSet>", "without <key>"),
])
def test_wrong_scalar_text(client, server, inner, what) -> None:
    server.reply(200, _answer(_protocol(client), inner), {"Content-Type": "text/xml"})
    with pytest.raises(ResponseParseError, match=what):
        client.describe_things()


def test_not_xml_at_all(client, server) -> None:
    server.reply(200, b"<html><body>Bad gateway", {"Content-Type": "text/html"})
    with pytest.raises(ResponseParseError):
        client.describe_things()
    server.reply(200, b'{"json": true}', {"Content-Type": "application/json"})
    with pytest.raises(ResponseParseError, match="not XML"):
        client.describe_things()


def test_error_answer_that_is_not_xml_keeps_the_status(pkg, client, server) -> None:
    server.reply(502, b"<html>Bad Gateway</html", {"Content-Type": "text/html"})
    with pytest.raises(ServiceError) as info:
        client.describe_things()
    assert info.value.code == "502" and "Bad Gateway" in info.value.message
