"""End-to-end fixtures: moto in server mode, recording transports, boto3 reference clients.

One moto server runs for the whole session on 127.0.0.1 (a free port picked by the
OS); its state is reset before every test and whenever a test wants a clean slate
between the generated-client run and the boto3 run of the same flow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
# The runtime and the two generated packages, from the tree unless already importable.
for _module, _where in (
    ("awsgen_runtime", REPO / "runtime"),
    ("aws_scheduler", REPO / "generated" / "aws-scheduler"),
    ("aws_dynamodb", REPO / "generated" / "aws-dynamodb"),
):
    if importlib.util.find_spec(_module) is None and str(_where) not in sys.path:
        sys.path.insert(0, str(_where))

from awsgen_runtime.transport import HttpRequest, HttpResponse, Urllib3Transport  # noqa: E402

REGION = "us-east-1"
KEY = "testing"
SECRET = "testing"

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": KEY,
    "AWS_SECRET_ACCESS_KEY": SECRET,
    "AWS_SECURITY_TOKEN": None,
    "AWS_SESSION_TOKEN": None,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_ENDPOINT_URL_DYNAMODB": None,
    "AWS_ENDPOINT_URL_SCHEDULER": None,
    # No shared files: nothing from the machine running the tests leaks in.
    "AWS_CONFIG_FILE": "/nonexistent/awsgen-e2e/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/awsgen-e2e/credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
    # boto3 must use the same retry behaviour as a plain client (no adaptive mode etc.).
    "AWS_RETRY_MODE": "standard",
    "AWS_MAX_ATTEMPTS": "3",
}


@pytest.fixture(scope="session", autouse=True)
def fake_aws_env() -> Iterator[None]:
    """Fake credentials and region for the session (restored afterwards)."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in _FAKE_ENV.items():
            if value is None:
                mp.delenv(name, raising=False)
            else:
                mp.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def moto_url(fake_aws_env: None) -> Iterator[str]:
    """A moto server in server mode on 127.0.0.1 and a free port; its base URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def reset_moto(url: str) -> None:
    """Forget every resource moto holds (all services, all regions)."""
    req = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200, resp.status


@pytest.fixture(autouse=True)
def _fresh_moto(request: pytest.FixtureRequest) -> None:
    if "moto_url" in request.fixturenames:
        reset_moto(request.getfixturevalue("moto_url"))


@pytest.fixture
def reset(moto_url: str) -> Callable[[], None]:
    """Call to reset moto in the middle of a test (between our run and boto3's)."""
    return lambda: reset_moto(moto_url)


# ----- recording transport ------------------------------------------------------------
class Recording:
    """Wraps a transport and keeps a copy of every request it sends (and the status)."""

    def __init__(self, inner: Urllib3Transport) -> None:
        self.inner = inner
        self.requests: list[HttpRequest] = []
        self.statuses: list[int] = []

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        # A streamed body (a file) is recorded as None: reading it here would consume it.
        body = bytes(request.body) if isinstance(request.body, (bytes, bytearray)) else None
        # Copy: the client reuses (and re-signs) the same headers dict on a retry.
        self.requests.append(HttpRequest(request.method, request.url, dict(request.headers), body))
        resp = self.inner.send(request, stream=stream)
        self.statuses.append(resp.status)
        return resp

    def close(self) -> None:
        self.inner.close()


_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,"
    r" ?SignedHeaders=(?P<signed>[a-z0-9;\-]+), ?Signature=(?P<sig>[0-9a-f]{64})$"
)


def _header(headers: dict[str, str], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


S3_SIGNED = frozenset({"s3", "s3-outposts", "s3express"})


def check_signed(rec: Recording, service: str) -> int:
    """Every recorded request carries a SigV4 Authorization for the test key and an
    X-Amz-Date, and its signature equals the one botocore computes for the same
    request, time and signed headers. Returns the number of requests checked."""
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    assert rec.requests, "no request was sent"
    for req in rec.requests:
        auth = _header(req.headers, "Authorization")
        amz_date = _header(req.headers, "X-Amz-Date")
        where = f"{req.method} {req.url}"
        assert auth is not None, f"no Authorization header on {where}"
        assert auth.startswith(f"AWS4-HMAC-SHA256 Credential={KEY}/"), (where, auth)
        assert amz_date is not None and re.fullmatch(r"\d{8}T\d{6}Z", amz_date), (where, amz_date)
        m = _AUTH_RE.match(auth)
        assert m, (where, auth)
        assert (m["key"], m["date"], m["region"], m["service"]) == (KEY, amz_date[:8], REGION, service), (where, auth)
        signed = m["signed"].split(";")
        assert "host" in signed and "x-amz-date" in signed, (where, signed)
        # Recompute with botocore: only the headers we claim to have signed.
        only = {}
        for name in signed:
            value = _header(req.headers, name)
            assert value is not None, f"{where}: signed header {name} was not sent"
            only[name] = value
        areq = AWSRequest(method=req.method, url=req.url, headers=only, data=req.body or b"")
        areq.context["timestamp"] = amz_date
        if service in S3_SIGNED:  # S3's variant: path as sent, payload hash in a signed header
            assert "x-amz-content-sha256" in signed, (where, signed)
            if req.body is not None:  # a streamed body's hash is checked by the flow that sent it
                assert only["x-amz-content-sha256"] == hashlib.sha256(req.body).hexdigest(), where
            signer = S3SigV4Auth(BotoCredentials(KEY, SECRET), service, REGION)
        else:
            signer = SigV4Auth(BotoCredentials(KEY, SECRET), service, REGION)
        canonical = signer.canonical_request(areq)
        expected = signer.signature(signer.string_to_sign(areq, canonical), areq)
        assert m["sig"] == expected, f"{where}: signature differs from botocore's\n{canonical}"
    return len(rec.requests)


# ----- clients --------------------------------------------------------------------------
class Pair:
    """A generated client with its recording transport."""

    def __init__(self, client: Any, rec: Recording, service: str) -> None:
        self.client = client
        self.rec = rec
        self.service = service

    def check_signed(self) -> int:
        return check_signed(self.rec, self.service)


def _generated(module: str, signing_name: str, url: str) -> Iterator[Pair]:
    mod = __import__(module)
    rec = Recording(Urllib3Transport(connect_timeout=5, read_timeout=20))
    client = mod.Client(
        region=REGION,
        endpoint_url=url,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        transport=rec,
    )
    pair = Pair(client, rec, signing_name)
    try:
        yield pair
    finally:
        client.close()
    # Whatever the test checked itself: every request it made was signed.
    if rec.requests:
        pair.check_signed()


@pytest.fixture
def scheduler(moto_url: str) -> Iterator[Pair]:
    yield from _generated("aws_scheduler", "scheduler", moto_url)


@pytest.fixture
def dynamodb(moto_url: str) -> Iterator[Pair]:
    yield from _generated("aws_dynamodb", "dynamodb", moto_url)


def _boto3(service: str, url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        service,
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )


@pytest.fixture
def boto_scheduler(moto_url: str) -> Any:
    return _boto3("scheduler", moto_url)


@pytest.fixture
def boto_dynamodb(moto_url: str) -> Any:
    return _boto3("dynamodb", moto_url)


# ----- comparing results ---------------------------------------------------------------
def _utc(value: dt.datetime) -> dt.datetime:
    assert value.tzinfo is not None, f"naive datetime {value!r}"
    return value.astimezone(dt.timezone.utc)


def ours_plain(value: Any) -> Any:
    """A generated result (a shape, or its ``to_dict()``) as plain Python values:
    enums become ``str``, datetimes UTC, tuples lists."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        value = value.to_dict()
    if isinstance(value, dict):
        return {k: ours_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [ours_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return _utc(value)
    if isinstance(value, str):
        return str.__str__(value)  # an OpenEnum is a str subclass
    if isinstance(value, bytearray):
        return bytes(value)
    return value


def _member_name(name: str) -> str:
    """botocore's snake_case name of a member, escaped as the generator escapes keywords."""
    from botocore import xform_name

    from generator.model.naming import escape_keyword

    return escape_keyword(xform_name(name))


def boto_plain(value: Any, shape: Any) -> Any:
    """A boto3 result as the generated client would give it: structure member names in
    botocore's snake_case (``botocore.xform_name``), map keys untouched, datetimes UTC.
    ``shape`` is the botocore shape of ``value``."""
    from botocore import xform_name

    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, v in value.items():
            if name == "ResponseMetadata":
                continue
            assert name in shape.members, f"boto3 returned {name!r}, not a member of {shape.name}"
            out[_member_name(name)] = boto_plain(v, shape.members[name])
        return out
    if kind == "list":
        return [boto_plain(v, shape.member) for v in value]
    if kind == "map":
        return {k: boto_plain(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        return _utc(value)
    if kind == "blob":
        return bytes(value) if not isinstance(value, bytes) else value
    return value


def boto_output(client: Any, operation: str, result: dict[str, Any]) -> Any:
    """``boto_plain`` of a boto3 operation's result, using the operation's output shape."""
    model = client.meta.service_model.operation_model(operation)
    if model.output_shape is None:  # the generated method returns None
        assert set(result) <= {"ResponseMetadata"}, result
        return None
    return boto_plain(result, model.output_shape)


def ours_value(value: Any, shape: Any, shapes_module: Any) -> Any:
    """A boto3 parameter value as the generated client takes it: structures become
    instances of the ``shapes`` class named as the model's shape, with botocore's
    snake_case member names; lists, maps and scalars stay as they are."""
    from botocore import xform_name

    kind = shape.type_name
    if kind == "structure":
        cls = getattr(shapes_module, shape.name)
        return cls(**{xform_name(k): ours_value(v, shape.members[k], shapes_module) for k, v in value.items()})
    if kind == "list":
        return [ours_value(v, shape.member, shapes_module) for v in value]
    if kind == "map":
        return {k: ours_value(v, shape.value, shapes_module) for k, v in value.items()}
    return value


def ours_call(ours_client: Any, boto_client: Any, operation: str, **params: Any) -> Any:
    """Run one operation, given in boto3's terms (PascalCase parameters, dicts), through
    the generated client: the snake_case method, converted keyword arguments."""
    import importlib

    from botocore import xform_name

    shapes_module = importlib.import_module(type(ours_client).__module__.split(".")[0] + ".shapes")
    model = boto_client.meta.service_model.operation_model(operation)
    members = model.input_shape.members if model.input_shape is not None else {}
    kwargs = {xform_name(k): ours_value(v, members[k], shapes_module) for k, v in params.items()}
    return getattr(ours_client, xform_name(operation))(**kwargs)


def call_both(ours_client: Any, boto_client: Any, operation: str, **params: Any) -> tuple[Any, Any]:
    """``ours_call`` and the same call through boto3 (for calls that change nothing);
    the generated result and ``boto_output`` of boto3's."""
    from botocore import xform_name

    ours = ours_call(ours_client, boto_client, operation, **params)
    theirs = getattr(boto_client, xform_name(operation))(**params)
    return ours, boto_output(boto_client, operation, theirs)


def mask(value: Any, volatile: frozenset[str] | set[str]) -> Any:
    """Replace the values of the keys in ``volatile`` (at any depth) by their type name,
    so that values that differ on every run are compared by type only."""
    if isinstance(value, dict):
        return {
            k: (f"<{type(v).__name__}>" if k in volatile else mask(v, volatile)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask(v, volatile) for v in value]
    return value


def assert_same(ours: Any, theirs: Any, volatile: frozenset[str] | set[str] = frozenset()) -> None:
    """Field-by-field equality of a generated result and a ``boto_plain`` one."""
    a = mask(ours_plain(ours), volatile)
    b = mask(theirs, volatile)
    problems = list(_diff(a, b, "$"))
    assert not problems, "generated client and boto3 differ:\n  " + "\n  ".join(problems)


def _diff(a: Any, b: Any, path: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                yield f"{path}.{k}: missing in ours (boto3: {b[k]!r})"
            elif k not in b:
                yield f"{path}.{k}: missing in boto3's (ours: {a[k]!r})"
            else:
                yield from _diff(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items in ours, {len(b)} in boto3's"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _diff(x, y, f"{path}[{i}]")
    elif type(a) is not type(b) or a != b:
        yield f"{path}: ours {a!r} != boto3's {b!r}"


def json_body(req: Any) -> Any:
    body = req.body
    return json.loads(body) if body else None


def record_boto(client: Any) -> list[HttpRequest]:
    """Keep a copy of every request a boto3 client sends, as ``HttpRequest`` objects."""
    seen: list[HttpRequest] = []

    def before_send(request: Any, **_: Any) -> None:
        body = request.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, (bytes, bytearray)):
            body = b""
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        seen.append(HttpRequest(request.method, request.url, headers, bytes(body)))

    client.meta.events.register("before-send", before_send)
    return seen


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _kind(value: Any) -> str:
    """What a random value looks like: ``uuid`` or its type name."""
    if isinstance(value, str) and _UUID.match(value):
        return "uuid"
    return type(value).__name__


def wire(req: HttpRequest, ignore: frozenset[str] = frozenset()) -> tuple[str, str, Any]:
    """Method, path with a sorted (still encoded) query, and JSON body; the values of query parameters
    and top-level body members named in ``ignore`` (random tokens) by their kind."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(req.url)
    # Raw (still percent-encoded) pairs, sorted: how each value was escaped counts.
    pairs = []
    for raw in sorted(p for p in parts.query.split("&") if p):
        ((name, value),) = parse_qsl(raw, keep_blank_values=True) or [(raw, "")]
        pairs.append(raw if name not in ignore else f"{name}=<{_kind(value)}>")
    query = "&".join(pairs)
    body = json_body(req)
    if isinstance(body, dict):
        body = {k: (v if k not in ignore else f"<{_kind(v)}>") for k, v in body.items()}
    return req.method, parts.path + ("?" + query if query else ""), body


@pytest.fixture(scope="session")
def e2e() -> Any:
    """The comparison helpers above, for test modules (which cannot import this file
    by name: the repository has another ``conftest`` module)."""
    import types

    return types.SimpleNamespace(
        assert_same=assert_same,
        boto_output=boto_output,
        boto_plain=boto_plain,
        ours_plain=ours_plain,
        mask=mask,
        json_body=json_body,
        record_boto=record_boto,
        ours_value=ours_value,
        ours_call=ours_call,
        call_both=call_both,
        wire=wire,
        check_signed=check_signed,
        Recording=Recording,
    )
