"""SigV4a: AWS Signature Version 4 with an ECDSA P-256 key, valid in a set of regions.

Endpoints that serve several regions ask for it in their rule set's ``authSchemes``
(``{"name": "sigv4a", "signingRegionSet": ["*"]}``): S3 multi-region access points,
EventBridge global endpoints, CloudFront KeyValueStore. It differs from SigV4 in
three places:

- the key: an ECDSA P-256 private key derived from the access key pair (NIST SP
  800-108 counter-mode KDF on HMAC-SHA256, keyed with ``"AWS4A" + secret``, the
  access key id and a one-byte counter as context, retried until the candidate is
  below the curve's order minus one), instead of a per-day HMAC key chain;
- the scope: ``<date>/<service>/aws4_request``, no region; the regions go in the
  signed ``X-Amz-Region-Set`` header (or query parameter when presigning);
- the signature: the hex of a DER-encoded ECDSA-SHA256 signature of the string to
  sign (randomized, so two signatures of one request differ; the service checks them
  with the public key).

The canonical request is SigV4's. The elliptic-curve arithmetic comes from the
``cryptography`` package (the runtime's ``sigv4a`` extra), imported when the first
SigV4a request is signed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .errors import MissingDependencyError
from .sigv4 import (
    MAX_PRESIGN_EXPIRES,
    Credentials,
    _amz_date,
    _canonical_headers,
    _encode,
    canonical_path,
    canonical_query,
)

__all__ = ["ALGORITHM", "SigV4aSigner", "derive_private_value", "available"]

ALGORITHM = "AWS4-ECDSA-P256-SHA256"
#: The order of the P-256 group (FIPS 186-4, D.1.2.3).
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def available() -> bool:
    """Whether SigV4a can sign here (the ``cryptography`` package is installed)."""
    try:
        import cryptography.hazmat.primitives.asymmetric.ec  # noqa: F401
    except ImportError:
        return False
    return True


def derive_private_value(access_key: str, secret_key: str) -> int:
    """The private scalar of the key pair's ECDSA P-256 key (see the module's docstring)."""
    kdf_key = ("AWS4A" + secret_key).encode("utf-8")
    # SP 800-108 counter mode, one 256-bit block: [i]_32 || label || 0x00 || context || [L]_32
    prefix = (1).to_bytes(4, "big") + ALGORITHM.encode("ascii") + b"\x00" + access_key.encode("utf-8")
    suffix = (256).to_bytes(4, "big")
    for counter in range(1, 256):
        candidate = int.from_bytes(hmac.digest(kdf_key, prefix + bytes((counter,)) + suffix, "sha256"), "big")
        if candidate < _P256_ORDER - 2:
            return candidate + 1
    raise ValueError("no SigV4a key could be derived from these credentials")  # odds: 2^-8000


class SigV4aSigner:
    """Signs requests with SigV4a for one service and region set; same interface as
    :class:`~awsgen_runtime.sigv4.SigV4Signer` (``s3=True``: S3's path and payload rules)."""

    __slots__ = ("service", "region", "region_set", "s3", "_keys")

    def __init__(self, service: str, region_set: str, *, s3: bool = False) -> None:
        if not service or not region_set:
            raise ValueError("SigV4aSigner needs a service name and a region set")
        self.service = service
        self.region_set = region_set
        self.region = region_set  # what SigV4Signer users read
        self.s3 = s3
        self._keys: dict[tuple[str, str], Any] = {}

    def __repr__(self) -> str:
        return f"SigV4aSigner(service={self.service!r}, region_set={self.region_set!r}{', s3=True' if self.s3 else ''})"

    def credential_scope(self, date: str) -> str:
        return f"{date}/{self.service}/aws4_request"

    def private_key(self, credentials: Credentials) -> Any:
        """The key pair's ``cryptography`` EC private key; cached per key pair."""
        cache_key = (credentials.access_key, credentials.secret_key)
        key = self._keys.get(cache_key)
        if key is None:
            ec = _ec()
            key = ec.derive_private_key(derive_private_value(*cache_key), ec.SECP256R1())
            if len(self._keys) >= 8:
                self._keys.clear()
            self._keys[cache_key] = key
        return key

    def _signature(self, text: str, credentials: Credentials) -> str:
        from cryptography.hazmat.primitives import hashes

        ec = _ec()
        return str(self.private_key(credentials).sign(text.encode("utf-8"), ec.ECDSA(hashes.SHA256())).hex())

    def string_to_sign(self, amz_date: str, canonical_request_text: str) -> str:
        digest = hashlib.sha256(canonical_request_text.encode("utf-8")).hexdigest()
        return f"{ALGORITHM}\n{amz_date}\n{self.credential_scope(amz_date[:8])}\n{digest}"

    def canonical_request(self, method: str, path: str, query: str, headers: Mapping[str, str],
                          payload_hash: str) -> tuple[str, str]:
        """(canonical request, signed header names) as SigV4 makes them."""
        block, signed = _canonical_headers(headers)
        uri = (path or "/") if self.s3 else canonical_path(path)
        return "\n".join((method.upper(), uri, canonical_query(query), block, signed, payload_hash)), signed

    def sign(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes,
             credentials: Credentials, *, now: datetime | None = None, payload_hash: str | None = None) -> None:
        """Add ``X-Amz-Date``, ``X-Amz-Region-Set``, ``X-Amz-Security-Token`` (with a
        token) and ``Authorization``; earlier copies, in any case, are replaced."""
        if payload_hash is None:
            payload_hash = hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256
        own = {"authorization", "x-amz-date", "x-amz-region-set", "x-amz-security-token"}
        if self.s3:
            own.add("x-amz-content-sha256")
        for name in [n for n in headers if n.lower() in own]:
            del headers[name]
        if self.s3:
            headers["X-Amz-Content-SHA256"] = payload_hash
        amz_date = _amz_date(now)
        headers["X-Amz-Date"] = amz_date
        headers["X-Amz-Region-Set"] = self.region_set
        if credentials.token:
            headers["X-Amz-Security-Token"] = credentials.token
        creq, signed = self.canonical_request(method, path, query, headers, payload_hash)
        signature = self._signature(self.string_to_sign(amz_date, creq), credentials)
        headers["Authorization"] = (f"{ALGORITHM} Credential={credentials.access_key}/"
                                    f"{self.credential_scope(amz_date[:8])}, SignedHeaders={signed}, "
                                    f"Signature={signature}")

    def presign(self, method: str, origin: str, path: str, query: str, headers: Mapping[str, str],
                credentials: Credentials, expires_in: int, *, now: datetime | None = None) -> str:
        """A presigned URL (the signature in the query), as ``sigv4.presign_url`` makes one."""
        if not 1 <= expires_in <= MAX_PRESIGN_EXPIRES:
            raise ValueError(f"expires_in must be between 1 and {MAX_PRESIGN_EXPIRES} seconds, not {expires_in}")
        amz_date = _amz_date(now)
        block, signed = _canonical_headers(headers)
        auth = [
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", f"{credentials.access_key}/{self.credential_scope(amz_date[:8])}"),
            ("X-Amz-Date", amz_date),
            ("X-Amz-SignedHeaders", signed),
            ("X-Amz-Expires", str(expires_in)),
            ("X-Amz-Region-Set", self.region_set),
        ]
        if credentials.token:
            auth.append(("X-Amz-Security-Token", credentials.token))
        full = (query + "&" if query else "") + "&".join(f"{k}={_encode(v)}" for k, v in auth)
        uri = (path or "/") if self.s3 else canonical_path(path)
        payload = "UNSIGNED-PAYLOAD" if self.s3 else _EMPTY_SHA256
        creq = "\n".join((method.upper(), uri, canonical_query(full), block, signed, payload))
        signature = self._signature(self.string_to_sign(amz_date, creq), credentials)
        return f"{origin}{path or '/'}?{full}&X-Amz-Signature={signature}"


def _ec() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError as exc:
        raise MissingDependencyError(
            "SigV4a signing (S3 multi-region access points, EventBridge global endpoints, CloudFront "
            "KeyValueStore) needs the 'cryptography' package: pip install 'awsgen-runtime[sigv4a]'"
        ) from exc
    return ec
