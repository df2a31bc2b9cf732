"""Members holding a recursive shape (DynamoDB's items of ``AttributeValue``) are parsed
on their first read: the call returns after ``json.loads``, reading the member builds the
typed values once, and an answer that breaks the model raises ``ResponseParseError``
on that read. Run with either JSON decoder."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from urllib3 import HTTPHeaderDict

from aws_dynamodb import Client, Credentials, shapes
from awsgen_runtime import wire
from awsgen_runtime.errors import ResponseParseError
from awsgen_runtime.transport import HttpRequest, HttpResponse


class Canned:
    def __init__(self, body: Any) -> None:
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        return HttpResponse(200, HTTPHeaderDict({"Content-Type": "application/x-amz-json-1.0"}), self.body)


@pytest.fixture(params=["orjson", "json"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        monkeypatch.setattr(wire, "_orjson_loads", pytest.importorskip("orjson").loads)
    else:
        monkeypatch.setattr(wire, "_orjson_loads", None)
    return str(request.param)


def query(body: Any) -> Any:
    client = Client(region="us-east-1", credentials=Credentials("AKID", "SECRET"), transport=Canned(body))
    return client.query(table_name="t")


ITEMS = [
    {"pk": {"S": "a"}, "n": {"N": "1.5"}, "b": {"B": "AAEC"}, "ss": {"SS": ["x", "y"]},
     "m": {"M": {"inner": {"L": [{"BOOL": True}, {"NULL": True}, {"NS": ["1", "2"]}]}}}},
    {"pk": {"S": "b"}, "bs": {"BS": ["AAE="]}},
]


def test_items_parse_on_first_read(decoder: str) -> None:
    out = query({"Items": ITEMS, "Count": 2, "ScannedCount": 2, "LastEvaluatedKey": {"pk": {"S": "b"}}})
    assert out.count == 2 and set(out._lazy) == {"items", "last_evaluated_key"}
    items = out.items
    assert items is out.items  # stored: later reads are plain slot reads
    assert isinstance(items, list) and isinstance(items[0], dict)
    first = items[0]
    assert first["pk"] == shapes.AttributeValue(s="a")
    assert first["n"].n == "1.5" and first["b"].b == b"\x00\x01\x02" and first["ss"].ss == ["x", "y"]
    inner = first["m"].m["inner"].l  # type: ignore[index, union-attr]
    assert inner[0].bool is True and inner[1].null is True and inner[2].ns == ["1", "2"]
    assert items[1]["bs"].bs == [b"\x00\x01"] and items[1]["pk"].s == "b"
    assert out.last_evaluated_key == {"pk": shapes.AttributeValue(s="b")}
    assert not hasattr(out, "_lazy")  # nothing pending any more


def test_absent_members_are_none_and_nothing_is_pending(decoder: str) -> None:
    out = query({"Count": 0, "ScannedCount": 0})
    assert out.items is None and out.last_evaluated_key is None and out.count == 0
    assert not hasattr(out, "_lazy")


def test_equality_repr_dict_copy_and_pickle_read_pending_members(decoder: str) -> None:
    body = {"Items": ITEMS, "Count": 2}
    a, b = query(body), query(body)
    assert a == b  # both parse on the comparison
    c = query(body)
    assert "AttributeValue(s='a')" in repr(c)
    d = query(body)
    assert d.to_dict()["items"][0]["pk"] == {"s": "a"}
    e = query(body)
    assert copy.deepcopy(e) == a and copy.copy(query(body)) == a
    assert pickle.loads(pickle.dumps(query(body))) == a
    built = shapes.QueryOutput(items=[{"pk": shapes.AttributeValue(s="x")}], count=1)
    assert built.items is not None and built.items[0]["pk"].s == "x"  # constructed objects: plain slots


@pytest.mark.parametrize("items", [
    [{"pk": {"S": 5}}],
    [{"pk": {"L": "not a list"}}],
    [{"pk": {"M": {"k": {"B": "@@@ not base64 @@@"}}}}],
    ["not a map"],
    "not a list",
])
def test_a_malformed_item_raises_response_parse_error_on_read(decoder: str, items: Any) -> None:
    out = query({"Items": items, "Count": 1})
    assert out.count == 1  # the members parsed at the call are there
    with pytest.raises(ResponseParseError, match=r"QueryOutput\.items: the response could not be parsed"):
        out.items
    with pytest.raises(ResponseParseError):  # and again: nothing half-parsed is kept
        out.items


def test_members_parsed_at_the_call_still_fail_at_the_call(decoder: str) -> None:
    with pytest.raises(ResponseParseError, match="Query"):
        query({"Items": [], "Count": "12"})
    with pytest.raises(ResponseParseError):
        query(b"[1, 2]")


def test_unknown_attributes_still_raise_attribute_error() -> None:
    out = query({"Items": [], "Count": 0})
    with pytest.raises(AttributeError):
        out.no_such_member  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        shapes.AttributeValue(s="x").nope  # type: ignore[attr-defined]
