"""Every case of the AWS SigV4 test suite, as shipped in botocore's source distribution.

botocore's own runner skips four cases because its HTTP parser and its dict of query
parameters cannot represent them (a space in the request line, a repeated query
name). The small ``.req`` parser below reads the files as text instead, so all 34
cases run and the ``Authorization`` header must match byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsgen_runtime import sigv4
from awsgen_runtime.sigv4 import (
    Credentials,
    SigV4Signer,
    canonical_path,
    canonical_query,
    canonical_request,
    string_to_sign,
)
from generator.botocore_source import sigv4_suite_dir

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
NOW = datetime(2015, 8, 30, 12, 36, 0, tzinfo=timezone.utc)
EXPECTED_CASE_COUNT = 34


@dataclass
class RawRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


def parse_req(raw: bytes) -> RawRequest:
    """Parse a suite ``.req`` file.

    Tolerates what a real HTTP parser refuses: spaces inside the request target
    (method and version are the first and last words), folded header lines (joined
    to the previous value with one space) and repeated names (merged as a
    comma-separated list, each value trimmed, the first spelling of the name kept).
    The path is handed over as written: the suite's paths are the unencoded form
    that the signer encodes once.
    """
    text = raw.decode("utf-8").replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, _, rest = lines[0].partition(" ")
    target, _, _version = rest.rpartition(" ")
    path, _, query = target.partition("?")

    headers: dict[str, str] = {}
    spelling: dict[str, str] = {}
    last: str | None = None
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t":
            assert last is not None, f"continuation line before any header: {line!r}"
            headers[last] = f"{headers[last]} {line.strip()}"
            continue
        name, sep, value = line.partition(":")
        assert sep, f"header line without a colon: {line!r}"
        key = spelling.setdefault(name.lower(), name)
        value = value.strip()
        headers[key] = value if key not in headers else f"{headers[key]},{value}"
        last = key
    return RawRequest(method, path, query, headers, body.encode("utf-8"))


def suite_cases() -> list[Path]:
    root = sigv4_suite_dir()
    return sorted(p.parent for p in root.rglob("*.req"))


def case_name(folder: Path) -> str:
    return folder.relative_to(sigv4_suite_dir()).as_posix()


def read_expected(folder: Path, ext: str) -> str:
    return (folder / f"{folder.name}.{ext}").read_text(encoding="utf-8").replace("\r", "")


def session_token(creq: str) -> str | None:
    """The suite's token rule: sign with a token only if the canonical request shows one."""
    for line in creq.split("\n"):
        if line.startswith("x-amz-security-token:"):
            return line.partition(":")[2]
    return None


CASES = suite_cases()


def test_suite_has_every_case() -> None:
    assert len(CASES) == EXPECTED_CASE_COUNT, [case_name(c) for c in CASES]


@pytest.mark.parametrize("folder", CASES, ids=[case_name(c) for c in CASES])
def test_sigv4_case(folder: Path) -> None:
    request = parse_req((folder / f"{folder.name}.req").read_bytes())
    expected_creq = read_expected(folder, "creq")
    expected_sts = read_expected(folder, "sts")
    expected_authz = read_expected(folder, "authz")
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, session_token(expected_creq))

    headers = dict(request.headers)
    signer = SigV4Signer("service", "us-east-1")
    signer.sign(request.method, request.path, request.query, headers, request.body, credentials, now=NOW)

    if headers["Authorization"] != expected_authz:
        payload_hash = hashlib.sha256(request.body).hexdigest()
        creq = canonical_request(request.method, request.path, request.query, headers, payload_hash)
        sts = string_to_sign(headers["X-Amz-Date"], signer.credential_scope("20150830"), creq)
        pytest.fail(
            f"Authorization differs\n got: {headers['Authorization']}\nwant: {expected_authz}\n"
            f"--- canonical request (got)\n{creq}\n--- canonical request (want)\n{expected_creq}\n"
            f"--- string to sign (got)\n{sts}\n--- string to sign (want)\n{expected_sts}"
        )
    assert headers["X-Amz-Date"] == "20150830T123600Z"
    assert headers.get("X-Amz-Security-Token") == credentials.token


# --- Beyond the suite: the signer's own promises ---------------------------------

EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKEN"


def test_credentials_repr_and_str_hide_secret_and_token() -> None:
    creds = Credentials(EXAMPLE_KEY, SECRET_KEY, EXAMPLE_TOKEN)
    for text in (repr(creds), str(creds), f"{creds}", repr([creds]), repr({"c": creds})):
        assert SECRET_KEY not in text
        assert EXAMPLE_TOKEN not in text
        assert EXAMPLE_KEY not in text
        assert "AKIA****MPLE" in text
    assert repr(creds) == "Credentials(access_key='AKIA****MPLE', secret_key='***', token='***')"
    assert repr(Credentials(EXAMPLE_KEY, SECRET_KEY)).endswith("token=None)")
    assert "'****'" in repr(Credentials("SHORT", SECRET_KEY))


def test_credentials_are_immutable_comparable_and_picklable() -> None:
    creds = Credentials(EXAMPLE_KEY, SECRET_KEY, EXAMPLE_TOKEN)
    with pytest.raises(AttributeError):
        setattr(creds, "secret_key", "other")
    with pytest.raises(AttributeError):
        del creds.token
    assert creds == Credentials(EXAMPLE_KEY, SECRET_KEY, EXAMPLE_TOKEN)
    assert creds != Credentials(EXAMPLE_KEY, SECRET_KEY)
    assert len({creds, Credentials(EXAMPLE_KEY, SECRET_KEY, EXAMPLE_TOKEN)}) == 1
    assert pickle.loads(pickle.dumps(creds)) == creds
    assert Credentials(EXAMPLE_KEY, SECRET_KEY, "").token is None
    with pytest.raises(ValueError):
        Credentials("", SECRET_KEY)
    with pytest.raises(ValueError) as info:
        Credentials(EXAMPLE_KEY, "")
    assert EXAMPLE_KEY not in str(info.value)


def test_signing_key_matches_the_aws_documentation_example() -> None:
    # The worked example of deriving a signing key in the AWS SigV4 documentation.
    key = SigV4Signer("iam", "us-east-1").signing_key("20120215", SECRET_KEY)
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_signing_key_is_cached_per_date_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    calls: list[bytes] = []
    real_digest = hmac.digest

    def counting_digest(key: bytes, msg: bytes, digest: str) -> bytes:
        calls.append(msg)
        return real_digest(key, msg, digest)

    monkeypatch.setattr(hmac, "digest", counting_digest)
    for _ in range(3):
        signer.sign("GET", "/", "", {"Host": "example.amazonaws.com"}, b"", creds, now=NOW)
    # The four HMACs of the key derivation ran once, not once per signature.
    assert len(calls) == 4
    first = signer.signing_key("20150830", SECRET_KEY)
    assert signer.signing_key("20150830", SECRET_KEY) is first
    assert signer.signing_key("20150831", SECRET_KEY) != first
    assert signer.signing_key("20150830", "another-secret") != first
    for day in range(1, 29):
        signer.signing_key(f"201502{day:02d}", SECRET_KEY)
    assert len(signer._keys) <= 8
    assert SECRET_KEY not in repr(signer)


def test_host_header_is_required() -> None:
    with pytest.raises(ValueError, match="Host"):
        SigV4Signer("service", "us-east-1").sign("GET", "/", "", {}, b"", Credentials(ACCESS_KEY, SECRET_KEY))


def test_resigning_replaces_previous_signature_headers_whatever_their_case() -> None:
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY, "token-1")
    headers = {
        "host": "example.amazonaws.com",
        "x-amz-date": "20000101T000000Z",
        "authorization": "stale",
        "x-amz-security-token": "stale-token",
    }
    signer.sign("GET", "/", "", headers, b"", creds, now=NOW)
    first = headers["Authorization"]
    signer.sign("GET", "/", "", headers, b"", creds, now=NOW)
    assert sorted(headers) == ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "host"]
    assert headers["Authorization"] == first
    assert headers["X-Amz-Security-Token"] == "token-1"


def test_time_zone_of_now_does_not_matter() -> None:
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    results = []
    for now in (NOW, NOW.replace(tzinfo=None), NOW.astimezone(timezone(timedelta(hours=-7)))):
        headers = {"Host": "example.amazonaws.com"}
        signer.sign("GET", "/", "", headers, b"", creds, now=now)
        results.append(headers["Authorization"])
    assert len(set(results)) == 1


def test_payload_hash_override_is_signed_instead_of_the_body() -> None:
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    hashed = {"Host": "example.amazonaws.com"}
    unsigned = {"Host": "example.amazonaws.com"}
    signer.sign("PUT", "/", "", hashed, b"data", creds, now=NOW)
    signer.sign("PUT", "/", "", unsigned, b"data", creds, now=NOW, payload_hash="UNSIGNED-PAYLOAD")
    assert hashed["Authorization"] != unsigned["Authorization"]
    assert canonical_request("PUT", "/", "", unsigned, "UNSIGNED-PAYLOAD").endswith("\nUNSIGNED-PAYLOAD")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("/a%20b/c", "/a%2520b/c"),  # the wire path is encoded a second time
        ("/caf\u00e9", "/caf%C3%A9"),
        ("//a//b//", "/a/b/"),
        ("/a/./b/../c", "/a/c"),
        ("/a/b/..", "/a/"),
        ("/../../a", "/a"),
        ("/a:b@c=d", "/a%3Ab%40c%3Dd"),
    ],
)
def test_canonical_path(path: str, expected: str) -> None:
    assert canonical_path(path) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("b=2&a=1&a=0", "a=0&a=1&b=2"),
        ("flag", "flag="),
        ("a=1&&b=", "a=1&b="),
        ("k=%7e%7E", "k=~~"),
        ("k=a b+c", "k=a%20b%2Bc"),
        ("k=%e1%88%b4", "k=%E1%88%B4"),
        ("Param-3=x&Param=y", "Param=y&Param-3=x"),
        ("k=a%3Db", "k=a%3Db"),
    ],
)
def test_canonical_query(query: str, expected: str) -> None:
    assert canonical_query(query) == expected


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_SEGMENT = _TEXT.filter(lambda s: s not in ("", ".", "..")).map(lambda s: quote(s, safe=""))
_HEADER_NAME = st.from_regex(r"\AX-Test-[A-Za-z0-9-]{1,10}\Z")
_HEADER_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    segments=st.lists(_SEGMENT, max_size=4),
    pairs=st.lists(st.tuples(_TEXT, _TEXT), max_size=4),
    extra=st.dictionaries(_HEADER_NAME, _HEADER_VALUE, max_size=4),
    body=st.binary(max_size=64),
    token=st.one_of(st.none(), st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)),
)
def test_agrees_with_botocore(
    method: str,
    segments: list[str],
    pairs: list[tuple[str, str]],
    extra: dict[str, str],
    body: bytes,
    token: str | None,
) -> None:
    """Random requests, in the encoded form a client sends, sign as botocore signs them.

    botocore is the reference here only where both follow the same rule: the query
    is generated already in canonical encoding (botocore does not re-encode it) and
    paths have no dot segments (botocore's normalization of a trailing ``..``
    differs from RFC 3986's).
    """
    import botocore.auth  # type: ignore[import-untyped]
    import botocore.awsrequest  # type: ignore[import-untyped]
    import botocore.credentials  # type: ignore[import-untyped]

    headers = {"Host": "svc.us-west-2.amazonaws.com"}
    seen: set[str] = set()
    for name, value in extra.items():
        if name.lower() not in seen:  # one spelling per name: a dict cannot repeat it
            seen.add(name.lower())
            headers[name] = value
    path = "/" + "/".join(segments)
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    url = f"https://svc.us-west-2.amazonaws.com{path}" + (f"?{query}" if query else "")

    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    auth = botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY, token), "svc", "us-west-2"
    )
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=NOW.replace(tzinfo=None)):
        auth.add_auth(request)

    ours = dict(headers)
    SigV4Signer("svc", "us-west-2").sign(
        method, path, query, ours, body, Credentials(ACCESS_KEY, SECRET_KEY, token), now=NOW
    )
    assert ours["Authorization"] == request.headers["Authorization"], auth.canonical_request(request)


# --- The signer's fast paths give the same result as the plain rules --------------
#
# SigV4Signer.sign does not call canonical_request: it caches what depends only on
# the header names, paths, query strings and the current second. The tests below
# check it against a reference built from the public functions.


def reference_sign(
    signer: SigV4Signer,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes,
    credentials: Credentials,
    now: datetime,
) -> None:
    """What ``sign`` must do to ``headers``, spelled out with the public functions."""
    amz_date = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    replaced = {"x-amz-date", "authorization"} | ({"x-amz-security-token"} if credentials.token else set())
    own = {"X-Amz-Date", "X-Amz-Security-Token", "Authorization"}
    for name in [n for n in headers if n not in own and n.lower() in replaced]:
        del headers[name]
    headers["X-Amz-Date"] = amz_date
    if credentials.token:
        headers["X-Amz-Security-Token"] = credentials.token
    creq = canonical_request(method, path, query, headers, hashlib.sha256(body).hexdigest())
    scope = signer.credential_scope(amz_date[:8])
    key = signer.signing_key(amz_date[:8], credentials.secret_key)
    signature = hmac.new(key, string_to_sign(amz_date, scope, creq).encode(), hashlib.sha256).hexdigest()
    signed = creq.split("\n")[-2]
    headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    # The premise of the signer's quick test for header values that need no trimming.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char != " " and len(f"a{char}a".split()) != 1:
            assert not char.isprintable(), hex(code)


_ODD_NAMES = st.sampled_from(
    [
        "Host", "host", "HOST", "Content-Type", "content-type", "X-Amz-Target", "Content-Length",
        "User-Agent", "Expect", "Connection", "X-Amz-Date", "x-amz-date", "X-AMZ-DATE",
        "Authorization", "authorization", "X-Amz-Security-Token", "x-amz-security-token",
        "X-Amz-Meta", "X-Amz-Meta-A", "x-amz-meta-a", "X-Pct%s", "X-Brace{}", "X-\u00c9t\u00e9",
    ]
)  # fmt: skip
_ODD_VALUES = st.text(
    st.sampled_from(list("ab9:,%{}-\u00e9\u4e2d \t\n\r\x0b\x1f\x85\xa0\u2003\u3000")), max_size=10
)
_QUERY_PART = st.text(st.sampled_from(list("ab%20=~+&\u00e9 ")), max_size=8)
_SHARED_SIGNER = SigV4Signer("svc", "eu-west-1")
_KEY_PAIRS = [
    Credentials(ACCESS_KEY, SECRET_KEY),
    Credentials(ACCESS_KEY, SECRET_KEY, "token one"),
    Credentials(ACCESS_KEY, "another-secret", "token\ttwo"),
    Credentials(EXAMPLE_KEY, SECRET_KEY),
]


@settings(max_examples=300, deadline=None)
@given(
    attempts=st.lists(
        st.tuples(
            st.sampled_from(_KEY_PAIRS),
            st.sampled_from([NOW, NOW + timedelta(seconds=1), NOW + timedelta(days=1)]),
            st.dictionaries(_ODD_NAMES, _ODD_VALUES, max_size=3),
        ),
        min_size=1,
        max_size=3,
    ),
    start=st.dictionaries(_ODD_NAMES, _ODD_VALUES, max_size=8),
    method=st.sampled_from(["GET", "post"]),
    path=st.sampled_from(["", "/", "/a%20b/./c/..", "//x//y/", "//x//y", "/caf%C3%A9", "/a/b/.."]),
    query=_QUERY_PART,
    body=st.sampled_from([b"", b"{}", b"x" * 70]),
    fresh=st.booleans(),
)
def test_sign_agrees_with_the_public_functions(
    attempts: list[tuple[Credentials, datetime, dict[str, str]]],
    start: dict[str, str],
    method: str,
    path: str,
    query: str,
    body: bytes,
    fresh: bool,
) -> None:
    """Odd header sets, signed and re-signed (a retry, maybe with rotated credentials
    or a later clock, maybe with headers added in between), come out as the plain
    rules say, both in the ``Authorization`` header and in the headers left behind."""
    signer = SigV4Signer("svc", "eu-west-1") if fresh else _SHARED_SIGNER
    ours = dict(start)
    expected = dict(start)
    for credentials, now, added in attempts:
        ours.update(added)
        expected.update(added)
        try:
            reference_sign(signer, method, path, query, expected, body, credentials, now)
        except ValueError:
            with pytest.raises(ValueError, match="Host"):
                signer.sign(method, path, query, ours, body, credentials, now=now)
        else:
            signer.sign(method, path, query, ours, body, credentials, now=now)
        assert list(ours.items()) == list(expected.items())


def test_date_text_follows_the_clock_across_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The date text is formatted once a second; the clock is moved through ``time.time``."""
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    base = NOW.timestamp()
    for offset in (0.0, 0.25, 0.999, 1.0, 1.5, 59.9999, 86400.0, 0.5):
        monkeypatch.setattr(time, "time", lambda: base + offset)
        headers = {"Host": "example.amazonaws.com"}
        signer.sign("GET", "/", "", headers, b"", creds)
        at = NOW + timedelta(seconds=int(offset))
        assert headers["X-Amz-Date"] == at.strftime("%Y%m%dT%H%M%SZ")
        expected = {"Host": "example.amazonaws.com"}
        SigV4Signer("service", "us-east-1").sign("GET", "/", "", expected, b"", creds, now=at)
        assert headers == expected


def test_rotated_credentials_within_one_second_take_effect() -> None:
    signer = SigV4Signer("service", "us-east-1")
    for creds in (
        Credentials(ACCESS_KEY, SECRET_KEY),
        Credentials(ACCESS_KEY, "rotated-secret"),
        Credentials(EXAMPLE_KEY, "rotated-secret"),
        Credentials(ACCESS_KEY, SECRET_KEY),
    ):
        headers = {"Host": "example.amazonaws.com"}
        signer.sign("GET", "/", "", headers, b"", creds, now=NOW)
        expected = {"Host": "example.amazonaws.com"}
        SigV4Signer("service", "us-east-1").sign("GET", "/", "", expected, b"", creds, now=NOW)
        assert headers == expected


def test_signer_caches_stay_bounded() -> None:
    signer = SigV4Signer("service", "us-east-1")
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    for i in range(3 * sigv4._CACHE_SIZE):
        headers = {"Host": "example.amazonaws.com", f"X-Test-{i}": "v"}
        path, query = f"/item/{i}", f"n={i}"
        signer.sign("GET", path, query, headers, b"", creds, now=NOW)
        expected = {"Host": "example.amazonaws.com", f"X-Test-{i}": "v"}
        reference_sign(signer, "GET", path, query, expected, b"", creds, NOW)
        assert headers == expected
    for cache in (sigv4._path_cache, sigv4._query_cache, sigv4._plans, sigv4._plans_with_token):
        assert len(cache) <= sigv4._CACHE_SIZE
    long_path = "/" + "x" * (sigv4._CACHE_MAX_KEY + 1)
    signer.sign("GET", long_path, "", {"Host": "h"}, b"", creds, now=NOW)
    assert long_path not in sigv4._path_cache
