"""The CBOR codec of smithy-rpc-v2-cbor (``awsgen_runtime.protocols.cbor``): round trips,
agreement with cbor2 (an independent implementation) on random values, malformed and
hostile input, and a generated rpc-v2-cbor client end to end over a fake transport.

Every decoding test runs on both decoders: ours (pure Python) and the cbor2-backed one
used when cbor2 is installed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import struct
import sys
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib3 import HTTPHeaderDict

from awsgen_runtime.errors import ResponseParseError
from awsgen_runtime.protocols import cbor
from awsgen_runtime.transport import HttpRequest, HttpResponse
from awsgen_runtime.wire import WireTypeError

UTC = dt.timezone.utc
DECODERS = [pytest.param(cbor.loads_py, id="ours"), pytest.param(cbor.loads_cbor2, id="cbor2")]


def norm(v: Any) -> Any:
    """NaN made comparable."""
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v


# ----- round trips and known encodings ------------------------------------------------

SAMPLES: list[Any] = [
    0, 1, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1, 2**64, 2**100,
    -1, -24, -25, -256, -257, -(2**64), -(2**64) - 1, -(2**100),
    0.0, -0.0, 1.5, 1.1, 1e300, -2.5e-300, math.inf, -math.inf,
    True, False, None, "", "a", "é€😀", "x" * 23, "x" * 24, "y" * 70000, b"", b"\x00\xff", b"z" * 300,
    [], [1, [2, [3]]], list(range(30)), {}, {"a": 1, "b": [True, None]}, {"k" * 30: {"n": {}}},
    dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC), dt.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC),
    dt.datetime(1960, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
]


@pytest.mark.parametrize("decode", DECODERS)
@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: repr(v)[:30])
def test_round_trip(value: Any, decode: Any) -> None:
    data = cbor.dumps(value)
    assert norm(decode(data)) == norm(value)
    assert norm(cbor2.loads(data)) == norm(value)  # an independent decoder reads the same


def test_encodings() -> None:
    assert cbor.dumps(0) == b"\x00"
    assert cbor.dumps(24) == b"\x18\x18"
    assert cbor.dumps(-1) == b"\x20"
    assert cbor.dumps(1000) == b"\x19\x03\xe8"
    assert cbor.dumps("a") == b"\x61a"
    assert cbor.dumps({"a": [1]}) == b"\xa1\x61a\x81\x01"
    assert cbor.dumps(1.5) == b"\xfb" + struct.pack(">d", 1.5)
    # timestamps: tag 1, whole seconds as an integer, else milliseconds as a float
    assert cbor.dumps(dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == b"\xc1\x01"
    ms = cbor.dumps(dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC))
    assert cbor2.loads(ms[1:]) == 1714564800.123
    naive = dt.datetime(2024, 5, 1, 12, 0, 0)
    assert cbor.dumps(naive) == cbor.dumps(naive.replace(tzinfo=UTC))


def test_str_subclasses_and_tuples_encode_as_their_base() -> None:
    class Enum(str):
        pass

    assert cbor.dumps({"e": Enum("ACTIVE"), "t": (1, 2)}) == cbor.dumps({"e": "ACTIVE", "t": [1, 2]})
    with pytest.raises(TypeError):
        cbor.dumps(object())


@pytest.mark.parametrize("decode", DECODERS)
def test_decoding_forms_services_send(decode: Any) -> None:
    assert decode(bytes.fromhex("f93e00")) == 1.5  # half
    assert decode(bytes.fromhex("f90050")) == 4.76837158203125e-06  # half, subnormal
    assert math.isnan(decode(bytes.fromhex("f97e00")))
    assert decode(bytes.fromhex("f97c00")) == math.inf
    assert decode(bytes.fromhex("fa40f40000")) == 7.625  # single
    assert decode(bytes.fromhex("bf6161 9f0102ff ff".replace(" ", ""))) == {"a": [1, 2]}  # indefinite
    assert decode(bytes.fromhex("7f6161 6162 ff".replace(" ", ""))) == "ab"  # chunked text
    assert decode(bytes.fromhex("5f4101 4102 ff".replace(" ", ""))) == b"\x01\x02"  # chunked bytes
    assert decode(bytes.fromhex("c1fb41d4d7fbf3800000")) == dt.datetime(2014, 4, 29, 18, 30, 38, tzinfo=UTC)
    assert decode(bytes.fromhex("c11a5e0be100")) == dt.datetime(2020, 1, 1, tzinfo=UTC)
    assert decode(bytes.fromhex("c249010000000000000000")) == 2**64  # bignum
    assert decode(bytes.fromhex("d9123401")) == 1  # an unknown tag gives its content
    assert decode(bytes.fromhex("f6")) is None


# ----- agreement with cbor2 on random values ------------------------------------------

_times = st.integers(min_value=-(10**12), max_value=10**13).map(
    lambda ms: dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=ms)
)
_scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text() | st.binary() | _times
)
values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=40,
)


def _same_time(a: Any, b: Any) -> bool:
    return abs((a - b).total_seconds()) < 1e-3


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return _same_time(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(values)
def test_our_encoding_reads_back_in_cbor2_and_ours(value: Any) -> None:
    data = cbor.dumps(value)
    assert _equal(cbor2.loads(data), value)
    assert _equal(cbor.loads_py(data), value)
    assert _equal(cbor.loads_cbor2(data), value)


@settings(max_examples=300, deadline=None)
@given(values, st.booleans())
def test_we_read_what_cbor2_writes(value: Any, canonical: bool) -> None:
    data = cbor2.dumps(value, datetime_as_timestamp=True, canonical=canonical)
    assert _equal(cbor.loads_py(data), cbor2.loads(data))


# ----- malformed and hostile input ----------------------------------------------------

HOSTILE = {
    "empty": b"",
    "truncated map": b"\xa1\x61",
    "truncated uint32": b"\x1a\x00\x01",
    "truncated double": b"\xfb\x00\x00",
    "huge text": b"\x7b" + (2**62).to_bytes(8, "big") + b"abc",
    "huge bytes": b"\x5b" + (2**62).to_bytes(8, "big") + b"abc",
    "huge array": b"\x9b" + (2**62).to_bytes(8, "big") + b"\x01",
    "huge map": b"\xbb" + (2**62).to_bytes(8, "big") + b"\x01",
    "deep arrays": b"\x81" * 100_000 + b"\x01",
    "deep indefinite maps": b"\xbf\x61a" * 50_000,
    "deep tags": b"\xd8\x2a" * 100_000 + b"\x01",
    "unterminated indefinite": b"\x9f\x01\x02",
    "bad utf-8": b"\x62\xff\xfe",
    "trailing bytes": b"\x01\x02",
    "lone break": b"\xff",
    "reserved info": b"\x1c",
    "indefinite integer": b"\x1f",
    "bad chunk": b"\x7f\x41a\xff",
    "nested indefinite chunk": b"\x7f\x7f\xff\xff",
    "tag 1 of text": b"\xc1\x61a",
    "tag 1 out of range": b"\xc1\x1b" + (2**62).to_bytes(8, "big"),
    "unhashable key": b"\xa1\x80\x01",
}


@pytest.mark.parametrize("decode", DECODERS)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_malformed_input_raises_wire_type_error(name: str, decode: Any) -> None:
    data = HOSTILE[name]
    if name == "unhashable key" and decode is cbor.loads_cbor2:
        pytest.skip("cbor2 makes an array key a tuple; typed parsers never see non-text keys")
    with pytest.raises(WireTypeError):
        decode(data)


@pytest.mark.parametrize("decode", DECODERS)
def test_every_truncation_of_a_valid_answer_raises(decode: Any) -> None:
    data = cbor.dumps({"Items": [{"Id": "x" * 30, "N": 2**40, "F": 1.5, "B": b"\x00" * 30,
                                  "T": dt.datetime(2024, 1, 1, tzinfo=UTC), "L": [True, None]}]})
    for end in range(len(data)):
        with pytest.raises(WireTypeError):
            decode(data[:end])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_decode_or_raise_wire_type_error(data: bytes) -> None:
    for decode in (cbor.loads_py, cbor.loads_cbor2):
        try:
            decode(data)
        except WireTypeError:
            pass


def test_loads_object_and_error_info() -> None:
    assert cbor.loads_object(b"") == {}
    with pytest.raises(WireTypeError):
        cbor.loads_object(cbor.dumps([1]))

    def resp(body: bytes, **headers: str) -> HttpResponse:
        return HttpResponse(400, HTTPHeaderDict(headers), body)

    body = cbor.dumps({"__type": "aws.protocoltests#Invalid:http://x", "Message": "Hi"})
    assert cbor.error_info(resp(body), False) == ("Invalid", "Hi", cbor.loads(body))
    qc = resp(body, **{"x-amzn-query-error": "Customized;Sender"})
    assert cbor.error_info(qc, True)[0] == "Customized"
    assert cbor.error_info(qc, False)[0] == "Invalid"
    assert cbor.error_info(resp(b"<html>"), False) == ("", "", None)
    assert cbor.error_info(resp(b""), False) == ("", "", {})


# ----- a generated client ---------------------------------------------------------------

MODEL = {
    "version": "2.0",
    "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "cbortest", "protocol": "smithy-rpc-v2-cbor",
                 "protocols": ["smithy-rpc-v2-cbor"], "serviceId": "Cbor Test", "targetPrefix": "CborTest",
                 "serviceFullName": "CBOR Test Service", "signatureVersion": "v4", "uid": "cbortest-2024-01-01"},
    "operations": {
        "PutThing": {"name": "PutThing", "http": {"method": "POST", "requestUri": "/"},
                     "input": {"shape": "Thing"}, "output": {"shape": "Thing"},
                     "errors": [{"shape": "Broken"}]},
        "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/"}},
    },
    "shapes": {
        "Thing": {"type": "structure", "members": {
            "Name": {"shape": "String"}, "When": {"shape": "Time"}, "Data": {"shape": "Blob"},
            "Ratio": {"shape": "Float"}, "Count": {"shape": "Long"}, "Tags": {"shape": "Tags"},
            "Token": {"shape": "String", "idempotencyToken": True}}},
        "Tags": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
        "Broken": {"type": "structure", "exception": True, "members": {
            "Message": {"shape": "String"}, "When": {"shape": "Time"}}},
        "String": {"type": "string"}, "Time": {"type": "timestamp"}, "Blob": {"type": "blob"},
        "Float": {"type": "float"}, "Long": {"type": "long"},
    },
}


class Transport:
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        self.requests.append(request)
        return HttpResponse(self.status, HTTPHeaderDict({"Content-Type": "application/cbor"}), self.body)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: Any) -> Any:
    from generator.pipeline import build_package
    from generator.render import PackageSettings

    root = tmp_path_factory.mktemp("cbor")
    model = root / "service-2.json"
    model.write_text(json.dumps(MODEL))
    files = build_package(model, PackageSettings("aws_cbor_test", "aws-cbor-test", "cbortest/service-2.json"))
    for rel, text in files.items():
        (root / "dist" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "dist" / rel).write_text(text)
    sys.path.insert(0, str(root / "dist"))
    return importlib.import_module("aws_cbor_test")


def _client(pkg: Any, transport: Transport) -> Any:
    return pkg.Client(region="us-east-1", endpoint_url="https://cbor.test", anonymous=True, transport=transport)


def test_client_request_and_answer(pkg: Any) -> None:
    when = dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
    answer = {"Name": "n", "When": cbor2.CBORTag(1, 1714564800.25), "Data": b"\x00\x01", "Ratio": 2,
              "Count": 7, "Tags": {"a": "b"}, "Unknown": {"x": [1]}}
    t = Transport(200, cbor2.dumps(answer))
    out = _client(pkg, t).put_thing(name="n", when=when, data=b"\x00\x01", ratio=2, tags={"a": "b"})
    req = t.requests[0]
    assert req.url == "https://cbor.test/service/CborTest/operation/PutThing"
    assert req.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert req.headers["Content-Type"] == "application/cbor"
    sent = cbor2.loads(req.body)
    assert sent["Name"] == "n" and sent["Data"] == b"\x00\x01" and sent["Tags"] == {"a": "b"}
    assert sent["Ratio"] == 2.0 and isinstance(sent["Ratio"], float)
    assert sent["When"] == when and len(sent["Token"]) == 36
    assert (out.name, out.when, out.data, out.ratio, out.count, out.tags) == (
        "n", when, b"\x00\x01", 2.0, 7, {"a": "b"})


def test_client_without_input_sends_no_body(pkg: Any) -> None:
    t = Transport(200, b"")
    _client(pkg, t).ping()
    assert t.requests[0].body == b"" and "Content-Type" not in t.requests[0].headers


def test_client_modeled_error(pkg: Any) -> None:
    body = cbor2.dumps({"__type": "com.example#Broken", "Message": "no", "When": cbor2.CBORTag(1, 0)})
    with pytest.raises(pkg.errors.Broken) as info:
        _client(pkg, Transport(400, body)).put_thing()
    assert info.value.message == "no" and info.value.when == dt.datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("decode", DECODERS)
@pytest.mark.parametrize("body", [b"\xa1\x64Name", b"\xbf", b"\x9b" + b"\xff" * 8, b"\x81" * 5000 + b"\x01",
                                  b"\x82\x01\x02", cbor.dumps({"Name": 5}), cbor.dumps({"When": "x"})],
                         ids=["truncated", "unterminated", "absurd length", "deep", "not a map",
                              "wrong type", "timestamp as text"])
def test_client_malformed_answer_is_a_response_parse_error(pkg: Any, body: bytes, decode: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cbor, "loads", decode)
    with pytest.raises(ResponseParseError):
        _client(pkg, Transport(200, body)).put_thing()
