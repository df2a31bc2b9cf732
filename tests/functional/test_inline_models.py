"""Tiny inline models, generated, imported and run against the local server: streaming
bodies, recursion, unions, documents, greedy labels, query lists and maps, timestamps."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path

import pytest

from awsgen_runtime.errors import ParamValidationError
from generator.pipeline import build_package
from generator.render import PackageSettings

MODEL = {
    "version": "2.0",
    "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "inline", "protocol": "rest-json",
                 "serviceId": "Inline", "serviceFullName": "Inline Test Service", "signatureVersion": "v4",
                 "uid": "inline-2024-01-01"},
    "operations": {
        "GetObject": {"name": "GetObject", "http": {"method": "GET", "requestUri": "/objects/{Key+}"},
                      "input": {"shape": "GetObjectRequest"}, "output": {"shape": "GetObjectResponse"}},
        "PutObject": {"name": "PutObject", "http": {"method": "PUT", "requestUri": "/objects/{Key+}"},
                      "input": {"shape": "PutObjectRequest"}, "output": {"shape": "PutObjectResponse"}},
        "PutTree": {"name": "PutTree", "http": {"method": "POST", "requestUri": "/trees?mode=full"},
                    "input": {"shape": "PutTreeRequest"}, "output": {"shape": "PutTreeRequest"}},
    },
    "shapes": {
        "GetObjectRequest": {"type": "structure", "required": ["Key"], "members": {
            "Key": {"shape": "String", "location": "uri", "locationName": "Key"},
            "Range": {"shape": "String", "location": "header", "locationName": "Range"}}},
        "GetObjectResponse": {"type": "structure", "payload": "Body", "members": {
            "Body": {"shape": "Stream"},
            "Length": {"shape": "Long", "location": "header", "locationName": "Content-Length"},
            "Modified": {"shape": "Time", "location": "header", "locationName": "Last-Modified"},
            "Meta": {"shape": "StringMap", "location": "headers", "locationName": "x-meta-"}}},
        "PutObjectRequest": {"type": "structure", "required": ["Key"], "payload": "Body", "members": {
            "Key": {"shape": "String", "location": "uri", "locationName": "Key"},
            "Body": {"shape": "Stream"},
            "Tags": {"shape": "StringList", "location": "header", "locationName": "x-tags"}}},
        "PutObjectResponse": {"type": "structure", "members": {
            "Status": {"shape": "Integer", "location": "statusCode"}}},
        "PutTreeRequest": {"type": "structure", "members": {
            "Root": {"shape": "Node"},
            "Choice": {"shape": "Choice"},
            "Extra": {"shape": "Doc"},
            "When": {"shape": "Time"},
            "Filters": {"shape": "StringList", "location": "querystring", "locationName": "filter"},
            "Params": {"shape": "StringMap", "location": "querystring"}}},
        "Node": {"type": "structure", "members": {"Name": {"shape": "String"},
                                                  "Children": {"shape": "NodeList"}}},
        "NodeList": {"type": "list", "member": {"shape": "Node"}},
        "Choice": {"type": "structure", "union": True, "members": {"Text": {"shape": "String"},
                                                                    "Number": {"shape": "Integer"}}},
        "Doc": {"type": "structure", "members": {}, "document": True},
        "StringList": {"type": "list", "member": {"shape": "String"}},
        "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
        "Stream": {"type": "blob", "streaming": True},
        "String": {"type": "string"},
        "Integer": {"type": "integer"},
        "Long": {"type": "long"},
        "Time": {"type": "timestamp"},
    },
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory):
    root = tmp_path_factory.mktemp("inline")
    model = root / "service-2.json"
    model.write_text(json.dumps(MODEL))
    files = build_package(model, PackageSettings("aws_inline_test", "aws-inline-test", "inline/service-2.json"))
    for rel, text in files.items():
        (root / "dist" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "dist" / rel).write_text(text)
    sys.path.insert(0, str(root / "dist"))
    yield importlib.import_module("aws_inline_test")
    sys.path.remove(str(root / "dist"))


@pytest.fixture
def client(pkg, server):
    return pkg.Client(region="us-east-1", endpoint_url=server.url, anonymous=True, config=pkg.Config(max_attempts=1))


def test_streaming_response_is_read_as_a_stream(client, server) -> None:
    payload = bytes(range(256)) * 1000
    server.reply(200, payload, {"Content-Type": "application/octet-stream", "x-meta-owner": "me",
                                "Last-Modified": "Tue, 02 Jan 2024 03:04:05 GMT"})
    out = client.get_object(key="a/b c/d.bin", range="bytes=0-")
    assert server.last.path == "/objects/a/b%20c/d.bin"  # greedy label keeps '/'
    assert server.last.headers["Range"] == "bytes=0-"
    chunks = list(out.body.iter_chunks(4096))
    out.body.close()
    assert b"".join(chunks) == payload and len(chunks) > 1
    assert out.length == len(payload)
    assert out.modified == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert out.meta == {"owner": "me"}


def test_blob_payload_upload_and_status_code(client, server) -> None:
    server.reply(201, b"")
    out = client.put_object(key="k", body=b"\x00\x01raw", tags=["a", "b,c"])
    assert (server.last.method, server.last.body) == ("PUT", b"\x00\x01raw")
    assert server.last.headers["x-tags"] == 'a, "b,c"'
    assert out.status == 201


def test_recursion_unions_documents_query_lists_and_maps(pkg, client, server) -> None:
    s = pkg.shapes
    tree = s.Node(name="root", children=[s.Node(name="leaf", children=[s.Node(name="deep")])])
    server.reply(200, {"Root": {"Name": "root", "Children": [{"Name": "x", "Children": [{"Name": "y"}]}]},
                       "Choice": {"Number": 7}, "Extra": {"any": [1, "json", None]}, "When": 1700000000.5})
    out = client.put_tree(root=tree, choice=s.Choice(text="hi"), extra={"k": [1, 2]},
                          when=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                          filters=["a", "b&c"], params={"p": "1"})
    assert server.last.path == "/trees?mode=full&filter=a&filter=b%26c&p=1"
    assert server.last.json() == {"Root": {"Name": "root", "Children": [{"Name": "leaf", "Children": [{"Name": "deep"}]}]},
                                  "Choice": {"Text": "hi"}, "Extra": {"k": [1, 2]}, "When": 1704067200}
    assert out.root.children[0].children[0].name == "y"
    assert out.choice == s.Choice(number=7)
    assert out.extra == {"any": [1, "json", None]}
    assert out.when == dt.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=dt.timezone.utc)


def test_union_with_two_members_is_refused_before_sending(pkg, client, server) -> None:
    with pytest.raises(ParamValidationError) as info:
        client.put_tree(choice=pkg.shapes.Choice(text="a", number=1))
    assert info.value.problems == ["choice: exactly one member must be set, got 2"]
    assert server.requests == []


def test_a_stream_cut_short_raises_a_transport_error(client, server) -> None:
    from awsgen_runtime.errors import TransportError

    server.reply_raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\npartial")
    out = client.get_object(key="k")
    with pytest.raises(TransportError):
        out.body.read()
