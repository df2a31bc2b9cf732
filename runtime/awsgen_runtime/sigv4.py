"""AWS Signature Version 4 header signing, in plain Python.

Every request a generated client sends passes through :meth:`SigV4Signer.sign`, so
this module is written for two things: exact agreement with the AWS SigV4 rules (it
is checked against every case of the official test suite) and low cost per call
(one signer per client, the derived signing key cached per day, no per-call
imports). It uses only the standard library.

S3's variant (no path normalization, no second encoding of the path, the
``X-Amz-Content-SHA256`` header) is not implemented here: every other service
follows the rules below.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import NoReturn
from urllib.parse import quote, quote_from_bytes, unquote_to_bytes

__all__ = [
    "ALGORITHM",
    "Credentials",
    "SigV4Signer",
    "canonical_path",
    "canonical_query",
    "canonical_request",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"

#: Headers never signed: ``Authorization`` is the signature itself; proxies, load
#: balancers and HTTP stacks add or rewrite ``User-Agent``, ``Expect`` and
#: ``X-Amzn-Trace-Id``; and the hop-by-hop headers of RFC 7230 section 6.1 are
#: dropped by every proxy on the way, so signing any of them breaks the signature.
_UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "user-agent",
        "expect",
        "x-amzn-trace-id",
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)

#: Headers that signing sets; an earlier copy under another spelling is removed
#: first so that re-signing a retried request never sends two of them.
_OWN_NAMES = frozenset({"X-Amz-Date", "X-Amz-Security-Token", "Authorization"})
_REPLACED = frozenset({"x-amz-date", "authorization"})
_REPLACED_WITH_TOKEN = _REPLACED | {"x-amz-security-token"}

#: The largest number of (date, secret) signing keys a signer keeps; more than one
#: covers a day boundary or rotated credentials, and the bound stops a slow leak.
_KEY_CACHE_SIZE = 8


def _mask(value: str) -> str:
    """Enough of an access key to tell two apart in a log, never the whole key."""
    if len(value) <= 8:
        return "****"
    return f"{value[:4]}****{value[-4:]}"


class Credentials:
    """An access key, its secret and an optional session token; immutable.

    Immutable so a signer can cache work keyed on it and so nobody can swap the
    secret under a running client. ``repr`` and ``str`` mask the access key and
    never show the secret or the token, so a credentials object that ends up in a
    log line or a traceback leaks nothing.
    """

    __slots__ = ("access_key", "secret_key", "token")

    access_key: str
    secret_key: str
    token: str | None

    def __init__(self, access_key: str, secret_key: str, token: str | None = None) -> None:
        if not access_key or not secret_key:
            raise ValueError("Credentials need both a non-empty access key and a non-empty secret key")
        object.__setattr__(self, "access_key", access_key)
        object.__setattr__(self, "secret_key", secret_key)
        object.__setattr__(self, "token", token or None)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Credentials are immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Credentials are immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credentials):
            return NotImplemented
        return (self.access_key, self.secret_key, self.token) == (
            other.access_key,
            other.secret_key,
            other.token,
        )

    def __hash__(self) -> int:
        return hash((self.access_key, self.secret_key, self.token))

    def __reduce__(self) -> tuple[type[Credentials], tuple[str, str, str | None]]:
        # The default slot-based pickling would go through the blocked __setattr__.
        return (Credentials, (self.access_key, self.secret_key, self.token))

    def __repr__(self) -> str:
        token = "'***'" if self.token else "None"
        return f"Credentials(access_key={_mask(self.access_key)!r}, secret_key='***', token={token})"

    __str__ = __repr__


#: SigV4's unreserved characters, the only ones never percent-encoded.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def _is_unreserved(text: str) -> bool:
    """True if ``text`` needs no encoding; cheaper than encoding, and the usual case."""
    return text.isascii() and not text.strip(_UNRESERVED)


def _encode(text: str) -> str:
    """Percent-encode everything outside SigV4's unreserved set ``A-Za-z0-9-._~``."""
    return text if _is_unreserved(text) else quote(text, safe="")


def _reencode(text: str) -> str:
    """Decode an already-encoded query name or value and encode it the SigV4 way."""
    return text if _is_unreserved(text) else quote_from_bytes(unquote_to_bytes(text), safe="")


def canonical_path(path: str) -> str:
    """The canonical URI of an (already percent-encoded) request path.

    Dot segments are removed as RFC 3986 section 5.2.4 says (a trailing ``.`` or
    ``..`` leaves a trailing slash), empty segments from repeated slashes are
    dropped, and every segment is percent-encoded once more: for every service but
    S3 the canonical path is the wire path encoded a second time.
    """
    if not path or path == "/":
        return "/"
    kept: list[str] = []
    for segment in path.split("/"):
        if not segment or segment == ".":
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(_encode(segment))
    if not kept:
        return "/"
    result = "/" + "/".join(kept)
    if path.endswith(("/", "/.", "/..")):
        result += "/"
    return result


def canonical_query(query: str) -> str:
    """The canonical query string of an already-encoded query (without ``?``).

    Each name and value is decoded and encoded again with the unreserved set, so
    the result does not depend on how the caller chose to escape; pairs are sorted
    by name, then by value (a name may repeat). A ``+`` is taken literally, not as
    a space: AWS clients must send spaces as ``%20``.
    """
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((_reencode(name), _reencode(value)))
    pairs.sort()
    return "&".join(f"{name}={value}" for name, value in pairs)


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """The canonical header block (each line ending in a newline) and the signed names.

    Names are lowercased; values are trimmed and inner runs of whitespace (folded
    lines included) become one space; names that differ only in case are merged,
    their values joined by commas in the order given.
    """
    merged: dict[str, str] = {}
    for name, value in headers.items():
        lname = name.lower()
        if lname in _UNSIGNED_HEADERS:
            continue
        value = " ".join(value.split())
        merged[lname] = f"{merged[lname]},{value}" if lname in merged else value
    if "host" not in merged:
        raise ValueError("SigV4 signing needs a Host header (the endpoint's host name)")
    names = sorted(merged)
    block = "".join([f"{name}:{merged[name]}\n" for name in names])
    return block, ";".join(names)


def _canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], payload_hash: str
) -> tuple[str, str]:
    block, signed = _canonical_headers(headers)
    lines = (method.upper(), canonical_path(path), canonical_query(query), block, signed, payload_hash)
    return "\n".join(lines), signed


def canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], payload_hash: str
) -> str:
    """The canonical request SigV4 hashes, exactly as :meth:`SigV4Signer.sign` builds it.

    Public so that a signature mismatch can be diagnosed by comparing this text with
    the one the service (or a test suite) expects.
    """
    return _canonical_request(method, path, query, headers, payload_hash)[0]


def string_to_sign(amz_date: str, credential_scope: str, canonical_request_text: str) -> str:
    """The string whose HMAC is the signature; public for the same reason as above."""
    digest = hashlib.sha256(canonical_request_text.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{credential_scope}\n{digest}"


class SigV4Signer:
    """Signs requests for one service in one region; create one per client.

    It holds the scope's fixed parts and a small cache of derived signing keys, so
    the four HMACs of the key derivation run once per day and secret instead of on
    every request. Next to each key it keeps an HMAC object already keyed with it:
    copying that is cheaper than setting up a new HMAC for every signature.
    """

    __slots__ = ("service", "region", "_keys")

    def __init__(self, service: str, region: str) -> None:
        if not service or not region:
            raise ValueError("SigV4Signer needs a service name and a region")
        self.service = service
        self.region = region
        self._keys: dict[tuple[str, str], tuple[bytes, hmac.HMAC]] = {}

    def __repr__(self) -> str:
        return f"SigV4Signer(service={self.service!r}, region={self.region!r})"

    def credential_scope(self, date: str) -> str:
        """``<yyyymmdd>/<region>/<service>/aws4_request``."""
        return f"{date}/{self.region}/{self.service}/aws4_request"

    def signing_key(self, date: str, secret_key: str) -> bytes:
        """The derived key for one day (``date`` is ``yyyymmdd``); cached."""
        return self._cached_key(date, secret_key)[0]

    def _cached_key(self, date: str, secret_key: str) -> tuple[bytes, hmac.HMAC]:
        cache_key = (date, secret_key)
        entry = self._keys.get(cache_key)
        if entry is None:
            key = hmac.digest(("AWS4" + secret_key).encode("utf-8"), date.encode("ascii"), "sha256")
            key = hmac.digest(key, self.region.encode("utf-8"), "sha256")
            key = hmac.digest(key, self.service.encode("utf-8"), "sha256")
            key = hmac.digest(key, b"aws4_request", "sha256")
            entry = (key, hmac.new(key, digestmod=hashlib.sha256))
            if len(self._keys) >= _KEY_CACHE_SIZE:
                self._keys.clear()
            self._keys[cache_key] = entry
        return entry

    def sign(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        credentials: Credentials,
        *,
        now: datetime | None = None,
        payload_hash: str | None = None,
    ) -> None:
        """Add ``X-Amz-Date``, ``X-Amz-Security-Token`` (with a token) and ``Authorization``.

        ``path`` and ``query`` are the percent-encoded forms sent on the wire
        (``query`` without ``?``). ``headers`` must hold ``Host`` and is changed in
        place; all its headers except a few that proxies rewrite are signed. Signing
        the same dict again (a retry) replaces the previous signature headers,
        whatever their case. ``now`` defaults to the current time (a naive datetime
        is taken as UTC); ``payload_hash`` defaults to the SHA-256 of ``body``.
        """
        if now is None:
            amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        else:
            if now.tzinfo is not None:
                now = now.astimezone(timezone.utc)
            amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        token = credentials.token
        replaced = _REPLACED_WITH_TOKEN if token else _REPLACED
        stale = [name for name in headers if name not in _OWN_NAMES and name.lower() in replaced]
        for name in stale:
            del headers[name]
        headers["X-Amz-Date"] = amz_date
        if token:
            headers["X-Amz-Security-Token"] = token
        if payload_hash is None:
            payload_hash = hashlib.sha256(body).hexdigest()
        creq, signed = _canonical_request(method, path, query, headers, payload_hash)
        date = amz_date[:8]
        scope = self.credential_scope(date)
        mac = self._cached_key(date, credentials.secret_key)[1].copy()
        mac.update(string_to_sign(amz_date, scope, creq).encode("utf-8"))
        signature = mac.hexdigest()
        headers["Authorization"] = (
            f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )
