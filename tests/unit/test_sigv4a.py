"""SigV4a against the AWS Common Runtime's signer (awscrt, what botocore signs SigV4a
with): awscrt's signatures must verify with the public key we derive, over the string
to sign we build, so both the key derivation and the canonical request are the same;
our own signatures must verify with that key, and every header or query parameter
besides the signature must equal awscrt's. awscrt runs in its own process from a cached
directory (tests/unit/crt_sign.py), so botocore elsewhere keeps its default signers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from awsgen_runtime.errors import MissingDependencyError
from awsgen_runtime.sigv4 import Credentials
from awsgen_runtime.sigv4a import ALGORITHM, SigV4aSigner, derive_private_value
from generator.botocore_source import cache_dir

AWSCRT = "0.38.1"
HERE = Path(__file__).parent
NOW = datetime(2026, 12, 5, 9, 30, 15, tzinfo=timezone.utc)
AMZ_DATE = "20261205T093015Z"
KEYS = [Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        Credentials("ASIAEXAMPLE2", "another/secret+key", "session-token/with+chars="),
        Credentials("A", "s")]
MRAP_HOST = "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com"


@pytest.fixture(scope="module")
def crt_dir() -> Path:
    """awscrt installed once into the cache (not into the test environment)."""
    target = cache_dir() / f"awscrt-{AWSCRT}"
    if not (target / "awscrt").is_dir():
        tmp = target.with_name(target.name + ".partial")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp),
                        f"awscrt=={AWSCRT}"], check=True)
        tmp.rename(target)
    return target


def crt_sign(crt_dir: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(crt_dir)}
    done = subprocess.run([sys.executable, str(HERE / "crt_sign.py")], input=json.dumps(cases), env=env,
                          capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def public_key(credentials: Credentials) -> ec.EllipticCurvePublicKey:
    private = ec.derive_private_key(derive_private_value(credentials.access_key, credentials.secret_key),
                                    ec.SECP256R1())
    return private.public_key()


def verifies(credentials: Credentials, signature_hex: str, text: str) -> bool:
    try:
        public_key(credentials).verify(bytes.fromhex(signature_hex), text.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def auth_parts(value: str) -> dict[str, str]:
    algorithm, _, rest = value.partition(" ")
    parts = dict(p.strip().split("=", 1) for p in rest.split(","))
    parts["algorithm"] = algorithm
    return parts


REQUESTS = [
    # (method, path, query, extra headers, payload hash, service, region set, s3)
    ("GET", "/my-key", "", {}, "UNSIGNED-PAYLOAD", "s3", "*", True),
    ("PUT", "/a%20key/with%2Bplus", "uploadId=u&partNumber=2", {"Content-Length": "5", "Content-MD5": "xyz"},
     "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "s3", "*", True),
    ("POST", "/", "", {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutEvents",
                       "Expect": "100-continue"},
     "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "events", "us-east-1,eu-west-1", False),
    ("GET", "/path/./to/../item", "b=2&a=1&a=0", {"X-Amz-Meta-Note": "  two   spaces  "},
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "cloudfront-keyvaluestore", "*", False),
]


def _case(req: tuple[Any, ...], creds: Credentials, expires: int | None = None) -> dict[str, Any]:
    method, path, query, extra, payload, service, region_set, s3 = req
    host = MRAP_HOST if s3 else f"{service}.example.amazonaws.com"
    return {"method": method, "path": path, "query": query, "headers": [["Host", host], *extra.items()],
            "ak": creds.access_key, "sk": creds.secret_key, "token": creds.token, "region_set": region_set,
            "service": service, "date": AMZ_DATE, "s3": s3, "expires": expires,
            # a presigned S3 URL leaves the payload out, as botocore's S3 query signers do
            "payload_hash": "UNSIGNED-PAYLOAD" if s3 and expires else payload}


def test_header_signatures_agree_with_awscrt(crt_dir: Path) -> None:
    cases = [(req, creds) for req in REQUESTS for creds in KEYS]
    signed = crt_sign(crt_dir, [_case(req, creds) for req, creds in cases])
    for (req, creds), theirs in zip(cases, signed):
        method, path, query, extra, payload, service, region_set, s3 = req
        signer = SigV4aSigner(service, region_set, s3=s3)
        their_headers = dict(theirs["headers"])
        their_auth = auth_parts(their_headers.pop("Authorization"))
        # awscrt's signature verifies with our key over our string to sign.
        creq, signed_names = signer.canonical_request(method, path, query, their_headers, payload)
        assert their_auth["SignedHeaders"] == signed_names
        assert verifies(creds, their_auth["Signature"], signer.string_to_sign(AMZ_DATE, creq)), (req, creds)
        # Ours: the same headers, a signature that verifies with the same key.
        ours = {"Host": their_headers["Host"], **extra}
        signer.sign(method, path, query, ours, b"", creds, now=NOW, payload_hash=payload)
        our_auth = auth_parts(ours.pop("Authorization"))
        # (awscrt also trims the values it signs in the request itself; botocore and we send them as given)
        assert {k.lower(): v.strip() for k, v in ours.items()} == \
            {k.lower(): v for k, v in their_headers.items()}
        assert {k: v for k, v in our_auth.items() if k != "Signature"} == \
            {k: v for k, v in their_auth.items() if k != "Signature"}
        assert our_auth["algorithm"] == ALGORITHM
        creq, _ = signer.canonical_request(method, path, query, ours, payload)
        assert verifies(creds, our_auth["Signature"], signer.string_to_sign(AMZ_DATE, creq))
        # and a wrong key does not verify it (the check can fail)
        assert not verifies(KEYS[(KEYS.index(creds) + 1) % 3], our_auth["Signature"],
                            signer.string_to_sign(AMZ_DATE, creq))


def test_presigned_urls_agree_with_awscrt(crt_dir: Path) -> None:
    cases = [(req, creds) for req in REQUESTS[:2] + REQUESTS[3:] for creds in KEYS]
    signed = crt_sign(crt_dir, [_case(req, creds, expires=900) for req, creds in cases])
    for (req, creds), theirs in zip(cases, signed):
        method, path, query, extra, payload, service, region_set, s3 = req
        signer = SigV4aSigner(service, region_set, s3=s3)
        headers = {"Host": dict(theirs["headers"])["Host"], **extra}
        their_query = urlsplit(theirs["path"]).query
        their_params = dict(parse_qsl(their_query, keep_blank_values=True))
        unsigned_query = "&".join(p for p in their_query.split("&") if not p.startswith("X-Amz-Signature="))
        presign_payload = "UNSIGNED-PAYLOAD" if s3 else payload
        creq, _ = signer.canonical_request(method, path, unsigned_query, headers, presign_payload)
        assert verifies(creds, their_params["X-Amz-Signature"], signer.string_to_sign(AMZ_DATE, creq)), (req, creds)
        url = signer.presign(method, "https://" + headers["Host"], path, query, headers, creds, 900, now=NOW)
        our_query = urlsplit(url).query
        our_params = dict(parse_qsl(our_query, keep_blank_values=True))
        assert {k: v for k, v in our_params.items() if k != "X-Amz-Signature"} == \
            {k: v for k, v in their_params.items() if k != "X-Amz-Signature"}
        unsigned_query = "&".join(p for p in our_query.split("&") if not p.startswith("X-Amz-Signature="))
        creq, _ = signer.canonical_request(method, path, unsigned_query, headers, presign_payload)
        assert verifies(creds, our_params["X-Amz-Signature"], signer.string_to_sign(AMZ_DATE, creq))


def test_the_derived_key_is_in_range_and_depends_on_both_halves() -> None:
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    values = {derive_private_value(ak, sk) for ak in ("AKID1", "AKID2") for sk in ("s1", "s2")}
    assert len(values) == 4 and all(1 <= v <= n - 2 for v in values)


# ----- through the S3 client: multi-region access points -----------------------------


@pytest.fixture(scope="module")
def s3pkg() -> Any:
    from tests.differential.harness import ensure_packages, load_package

    return load_package(ensure_packages(["s3"]), "s3")


class Capture:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, request: Any, *, stream: bool = False) -> Any:
        from awsgen_runtime.transport import HttpResponse

        self.sent.append(request)
        return HttpResponse(200, {}, b"", _Empty() if stream else None)


class _Empty:
    def read(self, n: int = -1) -> bytes:
        return b""

    def release_conn(self) -> None:
        pass


MRAP = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"


def test_s3_signs_requests_to_a_multi_region_access_point_with_sigv4a(s3pkg: Any) -> None:
    capture = Capture()
    creds = KEYS[0]
    client = s3pkg.Client(region="eu-west-1", credentials=creds, transport=capture)
    client.get_object(bucket=MRAP, key="photos/cat.jpg")
    req = capture.sent[-1]
    parts = urlsplit(req.url)
    assert parts.netloc == MRAP_HOST and parts.path == "/photos/cat.jpg"
    assert req.headers["X-Amz-Region-Set"] == "*"
    auth = auth_parts(req.headers["Authorization"])
    assert auth["algorithm"] == ALGORITHM and auth["Credential"].endswith("/s3/aws4_request")
    signer = SigV4aSigner("s3", "*", s3=True)
    headers = {k: v for k, v in req.headers.items() if k != "Authorization"}
    creq, signed = signer.canonical_request("GET", parts.path, parts.query, headers,
                                            headers["X-Amz-Content-SHA256"])
    assert auth["SignedHeaders"] == signed
    assert verifies(creds, auth["Signature"], signer.string_to_sign(headers["X-Amz-Date"], creq))
    # An ordinary bucket on the same client still gets SigV4.
    client.head_bucket(bucket="plain-bucket")
    assert capture.sent[-1].headers["Authorization"].startswith("AWS4-HMAC-SHA256 ")
    # and a presigned URL for the access point is SigV4a too
    url = client.presign_get_object(bucket=MRAP, key="photos/cat.jpg", expires_in=600)
    q = dict(parse_qsl(urlsplit(url).query))
    assert urlsplit(url).netloc == MRAP_HOST
    assert (q["X-Amz-Algorithm"], q["X-Amz-Region-Set"], q["X-Amz-Expires"]) == (ALGORITHM, "*", "600")


def test_without_cryptography_the_error_names_the_package(s3pkg: Any, monkeypatch: Any) -> None:
    for name in [m for m in sys.modules if m == "cryptography" or m.startswith("cryptography.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "cryptography", None)  # import fails as if not installed
    client = s3pkg.Client(region="eu-west-1", credentials=KEYS[0], transport=Capture())
    with pytest.raises(MissingDependencyError, match=r"pip install 'awsgen-runtime\[sigv4a\]'"):
        client.get_object(bucket=MRAP, key="k")
