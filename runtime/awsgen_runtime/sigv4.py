"""AWS Signature Version 4 header signing, in plain Python.

Every request a generated client sends passes through :meth:`SigV4Signer.sign`, so
this module is written for two things: exact agreement with the AWS SigV4 rules (it
is checked against every case of the official test suite) and low cost per call
(one signer per client, the derived signing key cached per day, no per-call
imports, and whatever repeats from call to call, such as the header names, the path
or the date text, worked out once and remembered). It uses only the standard
library.

S3's variant (botocore's ``s3v4``) is the same signer made with ``s3=True``: the path
is signed as sent (no dot-segment normalization, no second encoding) and every request
carries ``X-Amz-Content-SHA256``, the payload hash, as a signed header.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from operator import itemgetter
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import quote, quote_from_bytes, unquote_to_bytes

if TYPE_CHECKING:
    from hashlib import _Hash

__all__ = [
    "ALGORITHM",
    "Credentials",
    "SigV4Signer",
    "MAX_PRESIGN_EXPIRES",
    "canonical_path",
    "canonical_query",
    "canonical_request",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"

#: Headers never signed: ``Authorization`` is the signature itself; proxies, load
#: balancers and HTTP stacks add or rewrite ``User-Agent``, ``Expect`` and
#: ``X-Amzn-Trace-Id``; the SDK's attempt headers change per attempt (botocore leaves
#: them unsigned too); and the hop-by-hop headers of RFC 7230 section 6.1 are
#: dropped by every proxy on the way, so signing any of them breaks the signature.
_UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "user-agent",
        "expect",
        "x-amzn-trace-id",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
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

_NO_HOST = "SigV4 signing needs a Host header (the endpoint's host name)"

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

    __slots__ = ("access_key", "secret_key", "token", "account_id")

    access_key: str
    secret_key: str
    token: str | None
    #: The AWS account the keys belong to, when their source says (``aws_account_id`` in a
    #: profile, ``AWS_ACCOUNT_ID``, STS, SSO, IMDS); account-based endpoints use it.
    account_id: str | None

    def __init__(self, access_key: str, secret_key: str, token: str | None = None,
                 account_id: str | None = None) -> None:
        if not access_key or not secret_key:
            raise ValueError("Credentials need both a non-empty access key and a non-empty secret key")
        object.__setattr__(self, "access_key", access_key)
        object.__setattr__(self, "secret_key", secret_key)
        object.__setattr__(self, "token", token or None)
        object.__setattr__(self, "account_id", account_id or None)

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

    def __reduce__(self) -> tuple[type[Credentials], tuple[str, str, str | None, str | None]]:
        # The default slot-based pickling would go through the blocked __setattr__.
        return (Credentials, (self.access_key, self.secret_key, self.token, self.account_id))

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


def _trim(value: str) -> str:
    """A header value trimmed, with inner runs of whitespace made one space.

    Every whitespace character ``str.split()`` splits on, except the space itself,
    is unprintable (a test checks every code point), so a printable value without a
    space is already canonical. Checking that costs a fraction of
    ``" ".join(value.split())``, and most header values (host names, content types,
    targets, lengths, tokens) pass.
    """
    if " " in value or not value.isprintable():
        return " ".join(value.split())
    return value


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """The canonical header block (each line ending in a newline) and the signed names.

    Names are lowercased; values are trimmed and inner runs of whitespace (folded
    lines included) become one space; names that differ only in case are merged,
    their values joined by commas in the order given.

    This is the plain statement of the rule, used by :func:`canonical_request`;
    :meth:`SigV4Signer.sign` gets the same text faster through a :class:`_HeaderPlan`.
    """
    merged: dict[str, str] = {}
    for name, value in headers.items():
        lname = name.lower()
        if lname in _UNSIGNED_HEADERS:
            continue
        value = _trim(value)
        merged[lname] = f"{merged[lname]},{value}" if lname in merged else value
    if "host" not in merged:
        raise ValueError(_NO_HOST)
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


# --- What SigV4Signer.sign remembers between calls ------------------------------------
#
# A client sends the same few paths, query strings and sets of header names over and
# over (a JSON-protocol operation always posts to "/" with the same header names), so
# the signer remembers what it derives from them. Each cache is a plain dict shared
# by every signer and emptied when it reaches its bound: a client whose paths keep
# changing (object keys, say) costs a bounded amount of memory and loses only the
# cache hits. Every read and write is a single dict operation, so threads need no
# lock; the worst a race can do is compute an entry twice. Header values and
# credentials are never cached here.

#: Entries per cache before it is emptied.
_CACHE_SIZE = 256
#: Paths and query strings longer than this are not cached: they are rarely
#: repeated, and the bound keeps the caches small.
_CACHE_MAX_KEY = 512

_path_cache: dict[str, str] = {}
_query_cache: dict[str, str] = {}


def _cached_canonical_path(path: str) -> str:
    """:func:`canonical_path`, remembered per path string (it costs ~1 µs to compute)."""
    result = _path_cache.get(path)
    if result is None:
        result = canonical_path(path)
        if len(path) <= _CACHE_MAX_KEY:
            if len(_path_cache) >= _CACHE_SIZE:
                _path_cache.clear()
            _path_cache[path] = result
    return result


def _cached_canonical_query(query: str) -> str:
    """:func:`canonical_query`, remembered per query string; the empty one costs nothing."""
    if not query:
        return ""
    result = _query_cache.get(query)
    if result is None:
        result = canonical_query(query)
        if len(query) <= _CACHE_MAX_KEY:
            if len(_query_cache) >= _CACHE_SIZE:
                _query_cache.clear()
            _query_cache[query] = result
    return result


class _HeaderPlan:
    """How :meth:`SigV4Signer.sign` treats one sequence of header names.

    Everything :func:`_canonical_headers` does with the names (lowercasing,
    leaving out unsigned ones, merging names that differ only in case, sorting,
    finding earlier signature headers to remove) depends on the names alone, not on
    the values, so it is worked out once per sequence of names and kept:

    - ``stale``: names to delete before signing (earlier signature headers spelled
      otherwise than signing spells them);
    - ``values``: picks, from the headers as they are after signing has set its own,
      the values of the signed headers in canonical order (an ``itemgetter``, so one
      C call);
    - ``template``: the canonical header block with a ``%s`` for each value (values
      of a merged name separated by commas);
    - ``signed``: the ``SignedHeaders`` list;
    - ``has_host``: whether there is a ``Host`` header, without which SigV4 fails.
    """

    __slots__ = ("stale", "values", "template", "signed", "has_host")

    def __init__(self, names: tuple[str, ...], with_token: bool) -> None:
        replaced = _REPLACED_WITH_TOKEN if with_token else _REPLACED
        self.stale = tuple(name for name in names if name not in _OWN_NAMES and name.lower() in replaced)
        # The names once sign() has deleted the stale ones and set its own (a name
        # already present keeps its place, a new one goes last, as in any dict).
        final = [name for name in names if name not in self.stale]
        for own in ("X-Amz-Date", "X-Amz-Security-Token") if with_token else ("X-Amz-Date",):
            if own not in final:
                final.append(own)
        groups: dict[str, list[str]] = {}
        for name in final:
            lname = name.lower()
            if lname not in _UNSIGNED_HEADERS:
                groups.setdefault(lname, []).append(name)
        order = sorted(groups)
        picked = [name for lname in order for name in groups[lname]]
        # There are always at least two (Host and X-Amz-Date) when the plan is used,
        # so the itemgetter returns a tuple.
        self.values = itemgetter(*picked)
        self.template = "".join(
            [f"{lname.replace('%', '%%')}:{','.join(['%s'] * len(groups[lname]))}\n" for lname in order]
        )
        self.signed = ";".join(order)
        self.has_host = "host" in groups


#: Plans by the tuple of header names in dict order; one dict for credentials with
#: a session token, one for those without (the token changes which names are stale).
_plans: dict[tuple[str, ...], _HeaderPlan] = {}
_plans_with_token: dict[tuple[str, ...], _HeaderPlan] = {}


def _new_header_plan(
    plans: dict[tuple[str, ...], _HeaderPlan], names: tuple[str, ...], with_token: bool
) -> _HeaderPlan:
    """Make the :class:`_HeaderPlan` for ``names`` and keep it in ``plans``."""
    plan = _HeaderPlan(names, with_token)
    if len(plans) >= _CACHE_SIZE:
        plans.clear()
    plans[names] = plan
    return plan


#: SHA-256 of an empty body, the payload hash of every request without one.
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

#: The second :func:`_amz_date_now` last formatted, and its text; one tuple, so a
#: thread always reads a matching pair.
_last_second: tuple[int, str] = (-1, "")


def _amz_date_now() -> str:
    """The current UTC time as ``yyyymmddThhmmssZ``, formatted once per second.

    ``time.gmtime`` and ``time.strftime`` together cost ~0.6 µs; a client signing
    several requests a second gets the same text back for the price of ``time.time()``.
    """
    global _last_second
    second = int(time.time())
    last = _last_second
    if last[0] != second:
        last = (second, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(second)))
        _last_second = last
    return last[1]


def _amz_date(now: datetime | None) -> str:
    """``now`` (a naive datetime is taken as UTC) as ``yyyymmddThhmmssZ``; the current
    time when None."""
    if now is None:
        return _amz_date_now()
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


_SHA256_BLOCK_SIZE = 64
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))


def _hmac_halves(key: bytes) -> tuple[_Hash, _Hash]:
    """SHA-256 objects that have already absorbed ``key ^ ipad`` and ``key ^ opad``.

    HMAC (RFC 2104) is ``H((K ^ opad) + H((K ^ ipad) + message))``. Copying these two
    prepared objects and finishing both hashes costs about 40% less than copying a
    keyed ``hmac.HMAC``, whose ``copy``, ``update`` and ``hexdigest`` run in Python.
    """
    if len(key) > _SHA256_BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK_SIZE, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


class _Second:
    """What all signatures made in one second with one key pair share.

    :meth:`SigV4Signer.sign` keeps the latest one, so the start of the string to
    sign, the start of the ``Authorization`` header and the keyed hash objects are
    put together once a second instead of once a call.
    """

    __slots__ = ("amz_date", "access_key", "secret_key", "sts_prefix", "auth_prefix", "inner", "outer")

    def __init__(
        self, amz_date: str, access_key: str, secret_key: str, scope: str, halves: tuple[_Hash, _Hash]
    ) -> None:
        self.amz_date = amz_date
        self.access_key = access_key
        self.secret_key = secret_key
        self.sts_prefix = f"{ALGORITHM}\n{amz_date}\n{scope}\n"
        self.auth_prefix = f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders="
        self.inner, self.outer = halves


class SigV4Signer:
    """Signs requests for one service in one region; create one per client.

    It holds the scope's fixed parts and a small cache of derived signing keys, so
    the four HMACs of the key derivation run once per day and secret instead of on
    every request. Next to each key it keeps two hash objects already keyed with it
    (see :func:`_hmac_halves`), and it keeps what the current second's signatures
    share in a :class:`_Second`.
    """

    __slots__ = ("service", "region", "s3", "_keys", "_second")

    def __init__(self, service: str, region: str, *, s3: bool = False) -> None:
        if not service or not region:
            raise ValueError("SigV4Signer needs a service name and a region")
        self.service = service
        self.region = region
        self.s3 = s3
        self._keys: dict[tuple[str, str], tuple[bytes, tuple[_Hash, _Hash]]] = {}
        self._second: _Second | None = None

    def __repr__(self) -> str:
        s3 = ", s3=True" if self.s3 else ""
        return f"SigV4Signer(service={self.service!r}, region={self.region!r}{s3})"

    def credential_scope(self, date: str) -> str:
        """``<yyyymmdd>/<region>/<service>/aws4_request``."""
        return f"{date}/{self.region}/{self.service}/aws4_request"

    def signing_key(self, date: str, secret_key: str) -> bytes:
        """The derived key for one day (``date`` is ``yyyymmdd``); cached."""
        return self._cached_key(date, secret_key)[0]

    def _cached_key(self, date: str, secret_key: str) -> tuple[bytes, tuple[_Hash, _Hash]]:
        cache_key = (date, secret_key)
        entry = self._keys.get(cache_key)
        if entry is None:
            key = hmac.digest(("AWS4" + secret_key).encode("utf-8"), date.encode("ascii"), "sha256")
            key = hmac.digest(key, self.region.encode("utf-8"), "sha256")
            key = hmac.digest(key, self.service.encode("utf-8"), "sha256")
            key = hmac.digest(key, b"aws4_request", "sha256")
            entry = (key, _hmac_halves(key))
            if len(self._keys) >= _KEY_CACHE_SIZE:
                self._keys.clear()
            self._keys[cache_key] = entry
        return entry

    def _new_second(self, amz_date: str, credentials: Credentials) -> _Second:
        """Put together, and keep, the shared parts for a new second or key pair."""
        date = amz_date[:8]
        halves = self._cached_key(date, credentials.secret_key)[1]
        second = _Second(
            amz_date, credentials.access_key, credentials.secret_key, self.credential_scope(date), halves
        )
        self._second = second
        return second

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
        is taken as UTC); ``payload_hash`` defaults to the SHA-256 of ``body``
        (``"UNSIGNED-PAYLOAD"`` is S3's way to leave the body out of the signature).
        """
        if payload_hash is None:
            payload_hash = hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256
        if self.s3:
            for name in [n for n in headers if n.lower() == "x-amz-content-sha256" and n != "X-Amz-Content-SHA256"]:
                del headers[name]
            headers["X-Amz-Content-SHA256"] = payload_hash
        amz_date = _amz_date_now() if now is None else _amz_date(now)
        token = credentials.token
        # The lookups of the two caches below are written out here, not in helper
        # functions: in CPython a call costs about as much as the lookup.
        plans = _plans_with_token if token else _plans
        names = tuple(headers)
        plan = plans.get(names) or _new_header_plan(plans, names, bool(token))
        for name in plan.stale:
            del headers[name]
        headers["X-Amz-Date"] = amz_date
        if token:
            headers["X-Amz-Security-Token"] = token
        if not plan.has_host:
            raise ValueError(_NO_HOST)
        values: tuple[str, ...] = plan.values(headers)
        joined = ":".join(values)  # one test for all values; see _trim
        if " " in joined or not joined.isprintable():
            values = tuple(map(_trim, values))
        canonical_uri = (path or "/") if self.s3 else _cached_canonical_path(path)
        creq = (
            f"{method.upper()}\n{canonical_uri}\n{_cached_canonical_query(query)}\n"
            f"{plan.template % values}\n{plan.signed}\n{payload_hash}"
        )
        second = self._second
        if (
            second is None
            or second.amz_date != amz_date
            or second.secret_key != credentials.secret_key
            or second.access_key != credentials.access_key
        ):
            second = self._new_second(amz_date, credentials)
        # HMAC-SHA256 of the string to sign, finished from the prepared halves.
        inner = second.inner.copy()
        inner.update((second.sts_prefix + hashlib.sha256(creq.encode("utf-8")).hexdigest()).encode("utf-8"))
        outer = second.outer.copy()
        outer.update(inner.digest())
        headers["Authorization"] = f"{second.auth_prefix}{plan.signed}, Signature={outer.hexdigest()}"


#: The longest validity SigV4 allows a presigned URL: seven days, in seconds.
MAX_PRESIGN_EXPIRES = 604800


def presign_url(
    signer: SigV4Signer,
    method: str,
    origin: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    credentials: Credentials,
    expires_in: int,
    *,
    now: datetime | None = None,
    token_param: str = "X-Amz-Security-Token",
) -> str:
    """A presigned URL (SigV4 in the query string): ``origin`` is ``scheme://host``,
    ``path`` and ``query`` as sent; ``headers`` must hold ``Host``, and every header in it
    is signed (whoever uses the URL must send the same values). The payload is
    ``UNSIGNED-PAYLOAD`` for S3's variant, the hash of an empty body otherwise, as
    botocore's query signers have it. A session token goes in ``token_param`` (S3 Express
    sessions use ``X-Amz-S3session-Token``)."""
    if not 1 <= expires_in <= MAX_PRESIGN_EXPIRES:
        raise ValueError(f"expires_in must be between 1 and {MAX_PRESIGN_EXPIRES} seconds, not {expires_in}")
    amz_date = _amz_date(now)
    scope = signer.credential_scope(amz_date[:8])
    block, signed = _canonical_headers(headers)
    auth = [
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", f"{credentials.access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires_in)),
        ("X-Amz-SignedHeaders", signed),
    ]
    if credentials.token:
        auth.append((token_param, credentials.token))
    full = (query + "&" if query else "") + "&".join(f"{k}={_encode(v)}" for k, v in auth)
    canonical_uri = (path or "/") if signer.s3 else canonical_path(path)
    payload = "UNSIGNED-PAYLOAD" if signer.s3 else _EMPTY_SHA256
    creq = "\n".join((method.upper(), canonical_uri, canonical_query(full), block, signed, payload))
    key = signer.signing_key(amz_date[:8], credentials.secret_key)
    signature = hmac.new(key, string_to_sign(amz_date, scope, creq).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{origin}{path or '/'}?{full}&X-Amz-Signature={signature}"
