"""Response JSON decoding: orjson when installed (the runtime's ``fast`` extra), else the
standard library; both paths give the same values and the same errors."""

from __future__ import annotations

import json

import pytest

from awsgen_runtime import wire
from awsgen_runtime.wire import WireTypeError


@pytest.fixture(params=["orjson", "json"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        orjson = pytest.importorskip("orjson")
        monkeypatch.setattr(wire, "_orjson_loads", orjson.loads)
    else:
        monkeypatch.setattr(wire, "_orjson_loads", None)
    return str(request.param)


def test_orjson_is_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    orjson = pytest.importorskip("orjson")
    monkeypatch.setattr(wire, "_orjson_loads", wire._UNSET)  # as after import: not looked for yet
    assert wire.json_body(b'{"a": 1}') == {"a": 1}
    assert wire._orjson_loads is orjson.loads


@pytest.mark.parametrize("body", [
    b'{"a": 1, "b": [1.5, "x", null, true, false], "c": {"d": {}}}',
    '{"name": "caf\u00e9 \u2603 \U0001f600"}'.encode(),
    b'{"a": 1, "a": 2}',                       # duplicate keys: the last wins
    b'{"n": 18446744073709551615, "m": -9223372036854775808}',  # the 64-bit limits, exact
    b'{"f": NaN, "g": Infinity, "h": -Infinity}',
    b'{"s": "\\ud800"}',                        # lone surrogate
    '{"utf16": true}'.encode("utf-16"),
    b'  \n {"padded": 1} \n',
    b'[1, 2]',
    b'"text"',
])
def test_same_values_as_the_standard_library(decoder: str, body: bytes) -> None:
    got = wire.json_body(body)
    want = json.loads(body)
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)


def test_integers_beyond_64_bits(decoder: str) -> None:
    """No model integer or long goes beyond 64 bits; orjson reads such a number as a float."""
    got = wire.json_body(b'{"n": 123456789012345678901234567890}')["n"]
    if decoder == "orjson":
        assert got == pytest.approx(1.2345678901234568e29)
    else:
        assert got == 123456789012345678901234567890


@pytest.mark.parametrize("body", [b"", b"   ", b"\n\t "])
def test_empty_body_is_an_empty_object(decoder: str, body: bytes) -> None:
    assert wire.json_body(body) == {} and wire.json_object(body) == {}


@pytest.mark.parametrize("body", [b"{x", b'{"a": 1', b"not json", b"\xff\xfe\x00", b'{"a": 1} trailing'])
def test_malformed_bodies_raise_wire_type_error(decoder: str, body: bytes) -> None:
    with pytest.raises(WireTypeError, match="not JSON"):
        wire.json_body(body)


def test_deep_nesting_raises_wire_type_error(decoder: str) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(WireTypeError):
        wire.json_body(body)


def test_json_object_rejects_other_values(decoder: str) -> None:
    with pytest.raises(WireTypeError, match="object"):
        wire.json_object(b"[1]")


def test_string_lists() -> None:
    value = ["a", "b"]
    assert wire.p_str_list(value) is value  # checked in C, not copied
    assert wire.p_str_list(["a", None, "b"]) == ["a", "b"]  # nulls dropped, as for other lists
    for bad in (["a", 1], "ab", {"a": "b"}):
        with pytest.raises(WireTypeError):
            wire.p_str_list(bad)
