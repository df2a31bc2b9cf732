"""The credential sources of real deployments, each against a real HTTP server on
127.0.0.1: the container endpoint (ECS, EKS Pod Identity), the instance metadata service
(IMDSv2 and its fallbacks), IAM Identity Center's portal and OIDC token renewal, and
``credential_process``. Every failure mode gives one error naming the source, with no
secret in it; a generated client signs with what the source gave.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from awsgen_runtime.credentials import resolve_credentials
from awsgen_runtime.errors import CredentialRetrievalError, MissingDependencyError, NoCredentialsError
from awsgen_runtime.providers import metadata
from awsgen_runtime.refresh import RefreshableCredentials

SECRET = "containerSecretDoNotLeak0123456789"
TOKEN = "sessionTokenDoNotLeak"
AUTH = "authTokenDoNotLeak"


def stamp(seconds_from_now: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)).strftime("%Y-%m-%dT%H:%M:%SZ")


def role_keys(key: str = "ASIACONTAINER", expires_in: float = 3600, **extra: Any) -> dict[str, Any]:
    return {"AccessKeyId": key, "SecretAccessKey": SECRET, "Token": TOKEN, "Expiration": stamp(expires_in), **extra}


Handler = Callable[[str, str, dict[str, str], bytes], "tuple[int, Any]"]


class Routes:
    """A server answering by (method, path); each route is a list of answers used in turn
    (the last one repeats) or a function of the request. Records every request."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Any] = {}
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        routes = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                headers = {k.lower(): v for k, v in self.headers.items()}
                routes.seen.append((self.command, self.path, headers))
                found = routes.routes.get((self.command, path))
                if found is None:
                    status, payload = 404, b"not here"
                elif callable(found):
                    status, payload = found(self.command, self.path, headers, body)
                else:
                    status, payload = found.pop(0) if len(found) > 1 else found[0]
                if isinstance(payload, float):  # a delay, then nothing: a timeout
                    time.sleep(payload)
                    status, payload = 200, b""
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def on(self, method: str, path: str, *answers: Any) -> None:
        self.routes[(method, path)] = answers[0] if len(answers) == 1 and callable(answers[0]) else list(answers)

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p, _ in self.seen if m == method and p.split("?")[0] == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def routes() -> Iterator[Routes]:
    r = Routes()
    try:
        yield r
    finally:
        r.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No AWS_* variables, HOME and both shared files under tmp_path, IMDS off."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(metadata, "CONTAINER_RETRY_SLEEP", 0.0)
    return tmp_path


def signed_with(server: Any) -> str:
    """The access key of the last request a fake DynamoDB saw."""
    auth = server.last.headers["Authorization"]
    return auth.split("Credential=")[1].split("/")[0]


def dynamodb(server: Any, **kw: Any) -> Any:
    from aws_dynamodb import Client

    return Client(region="us-east-1", endpoint_url=server.url, **kw)


def no_secret(text: str) -> None:
    for secret in (SECRET, TOKEN, AUTH):
        assert secret not in text


# ----- the container endpoint ----------------------------------------------------------------


def test_container_full_uri_with_token_signs_calls(home: Path, routes: Routes, server: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    routes.on("GET", "/creds", (200, role_keys(AccountId="111122223333")))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", routes.url + "/creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH)
    client = dynamodb(server)
    assert routes.seen == []  # nothing is looked for at construction
    client.list_tables()
    client.list_tables()
    assert signed_with(server) == "ASIACONTAINER"
    assert server.last.headers["X-Amz-Security-Token"] == TOKEN
    assert routes.count("GET", "/creds") == 1  # kept, not fetched per call
    assert routes.seen[0][2]["authorization"] == AUTH
    assert client._credentials.account_id == "111122223333"


def test_container_token_file_is_read_at_each_fetch(home: Path, routes: Routes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    routes.on("GET", "/creds", (200, role_keys(expires_in=60)), (200, role_keys("ASIASECOND")))
    token_file = home / "token"
    token_file.write_text("first-token\n")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", routes.url + "/creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
    source = resolve_credentials()
    assert isinstance(source, RefreshableCredentials)
    token_file.write_text("second-token")
    assert source.frozen().access_key == "ASIASECOND"  # 60 s left: inside the mandatory window
    assert [h["authorization"] for _, _, h in routes.seen] == ["first-token", "second-token"]


def test_container_relative_uri_goes_to_the_ecs_host(home: Path, routes: Routes,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    routes.on("GET", "/v2/credentials/abc", (200, role_keys()))
    monkeypatch.setattr(metadata, "CONTAINER_HOST", routes.url)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")
    assert resolve_credentials().frozen().access_key == "ASIACONTAINER"  # type: ignore[union-attr]


def test_container_full_uri_host_must_be_allowed(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds")
    with pytest.raises(CredentialRetrievalError, match="'10.1.2.3'.*loopback") as info:
        resolve_credentials()
    assert info.value.provider == metadata.CONTAINER


@pytest.mark.parametrize(
    "answer, expected",
    [
        ((500, b"internal " + SECRET.encode()), "after 3 attempts: HTTP 500"),
        ((200, b"{not json " + SECRET.encode()), "not JSON"),
        ((200, {"AccessKeyId": "AK", "SecretAccessKey": SECRET}), "lacks Token, Expiration"),
        ((200, role_keys(Expiration="tomorrow")), "Expiration is not a timestamp"),
    ],
)
def test_container_failures_name_the_source(home: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch,
                                            answer: tuple[int, Any], expected: str) -> None:
    routes.on("GET", "/creds", answer)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", routes.url + "/creds")
    with pytest.raises(CredentialRetrievalError, match=expected) as info:
        resolve_credentials()
    assert str(info.value).startswith(metadata.CONTAINER)
    no_secret(str(info.value))


def test_container_unreachable_is_retried_then_reported(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"http://127.0.0.1:{port}/creds")
    with pytest.raises(CredentialRetrievalError, match="after 3 attempts: could not connect"):
        resolve_credentials()


# ----- the instance metadata service -----------------------------------------------------------

ROLE_PATH = "/latest/meta-data/iam/security-credentials/"


@pytest.fixture
def imds(home: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch) -> Routes:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", routes.url)
    return routes


def serve_role(imds: Routes, *answers: Any, token: Any = (200, b"imds-token")) -> None:
    imds.on("PUT", "/latest/api/token", token)
    imds.on("GET", ROLE_PATH, (200, b"my-role"))
    imds.on("GET", ROLE_PATH + "my-role", *answers)


def test_imds_v2_flow_signs_calls(imds: Routes, server: Any) -> None:
    serve_role(imds, (200, role_keys("ASIAINSTANCE", Code="Success")))
    client = dynamodb(server)
    client.list_tables()
    assert signed_with(server) == "ASIAINSTANCE"
    put, role, creds = imds.seen
    assert put[0] == "PUT" and put[2]["x-aws-ec2-metadata-token-ttl-seconds"] == "21600"
    assert role[2]["x-aws-ec2-metadata-token"] == "imds-token" == creds[2]["x-aws-ec2-metadata-token"]
    assert put[2]["user-agent"].startswith("awsgen/")


@pytest.mark.parametrize("status", [403, 404, 405])
def test_imds_falls_back_to_v1_when_tokens_are_refused(imds: Routes, status: int) -> None:
    serve_role(imds, (200, role_keys("ASIAV1")), token=(status, b""))
    assert resolve_credentials().frozen().access_key == "ASIAV1"  # type: ignore[union-attr]
    assert all("x-aws-ec2-metadata-token" not in h for m, _, h in imds.seen if m == "GET")


def test_imds_v1_disabled_is_an_error(imds: Routes, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_role(imds, (200, role_keys()), token=(404, b""))
    monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
    with pytest.raises(CredentialRetrievalError, match="IMDSv1 is disabled"):
        resolve_credentials()


def test_imds_expired_session_token_gets_a_new_one(imds: Routes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2")
    imds.on("PUT", "/latest/api/token", (200, b"old"), (200, b"new"))
    imds.on("GET", ROLE_PATH, lambda m, p, h, b: (200, b"my-role") if h.get("x-aws-ec2-metadata-token") == "new"
            else (401, b""))
    imds.on("GET", ROLE_PATH + "my-role", (200, role_keys("ASIAAFTER401")))
    assert resolve_credentials().frozen().access_key == "ASIAAFTER401"  # type: ignore[union-attr]
    assert imds.count("PUT", "/latest/api/token") == 2


@pytest.mark.parametrize(
    "answer, reason",
    [
        ((200, b"{broken"), "not JSON"),
        ((200, {"Code": "AssumeRoleUnauthorizedAccess", "Message": "no"}), "AssumeRoleUnauthorizedAccess"),
        ((500, b""), "HTTP 500"),
    ],
)
def test_imds_without_usable_keys_is_reported_in_the_search(imds: Routes, answer: Any, reason: str) -> None:
    serve_role(imds, answer)
    with pytest.raises(NoCredentialsError, match="instance metadata service") as info:
        resolve_credentials()
    assert reason in str(info.value)
    assert not isinstance(info.value, CredentialRetrievalError)  # the chain's end, not a failure


def test_imds_timeout_is_fast_and_named(imds: Routes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "0.3")
    serve_role(imds, (200, 1.0), token=(200, 1.0))  # every answer comes after a second
    began = time.monotonic()
    with pytest.raises(NoCredentialsError, match="timed out"):
        resolve_credentials()
    assert time.monotonic() - began < 2.5  # token timeout (0.3) -> v1 GET timeout (0.3): not the 1 s answers


def test_imds_keys_close_to_expiry_are_used_longer(imds: Routes) -> None:
    serve_role(imds, (200, role_keys("ASIASOON", expires_in=120)))
    source = resolve_credentials()
    assert isinstance(source, RefreshableCredentials)
    assert source.expiry is not None and source.expiry - time.time() >= 15 * 60 + 100


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_imds_outage_keeps_the_current_keys(imds: Routes) -> None:
    serve_role(imds, (200, role_keys("ASIAFIRST")), (500, b""))
    source = resolve_credentials()
    assert isinstance(source, RefreshableCredentials)
    source._expiry = time.time() + 30  # type: ignore[attr-defined]  # deep in the mandatory window
    log = logging.getLogger("awsgen_runtime.credentials")
    captured = Captured()
    log.addHandler(captured)
    try:
        assert source.frozen().access_key == "ASIAFIRST"
    finally:
        log.removeHandler(captured)
    assert 300 <= source.expiry - time.time() <= 601  # type: ignore[operator]
    text = "\n".join(captured.lines)
    assert "instance metadata service" in text and "HTTP 500" in text
    no_secret(text)


def test_imds_disabled_is_listed(home: Path) -> None:
    with pytest.raises(NoCredentialsError, match="disabled by AWS_EC2_METADATA_DISABLED"):
        resolve_credentials()


# ----- credential_process ----------------------------------------------------------------------


def process_profile(home: Path, script: str) -> None:
    path = home / "creds.py"
    path.write_text(script)
    (home / "config").write_text(f"[default]\ncredential_process = {sys.executable} {path}\n")


def test_credential_process_static_and_expiring(home: Path) -> None:
    doc = {"Version": 1, "AccessKeyId": "AKPROC", "SecretAccessKey": SECRET, "AccountId": "444455556666"}
    process_profile(home, f"import json; print(json.dumps({doc!r}))")
    keys = resolve_credentials()
    assert keys.access_key == "AKPROC" and keys.account_id == "444455556666"  # type: ignore[union-attr]
    doc.update(SessionToken=TOKEN, Expiration=stamp(3600))
    process_profile(home, f"import json; print(json.dumps({doc!r}))")
    source = resolve_credentials()
    assert isinstance(source, RefreshableCredentials) and source.frozen().token == TOKEN


@pytest.mark.parametrize(
    "script, expected",
    [
        ("import sys; sys.stderr.write('token expired, sign in\\n'); sys.exit(3)",
         "exited with status 3: token expired, sign in"),
        (f"print('not json {SECRET}')", "did not print JSON"),
        ("print('{\"Version\": 2}')", "unsupported Version 2"),
        (f"print('{{\"Version\": 1, \"SecretAccessKey\": \"{SECRET}\"}}')", "lacks AccessKeyId"),
    ],
)
def test_credential_process_failures(home: Path, script: str, expected: str) -> None:
    process_profile(home, script)
    with pytest.raises(CredentialRetrievalError, match=expected) as info:
        resolve_credentials()
    assert info.value.provider == "credential_process of profile 'default'"
    no_secret(str(info.value))


def test_credential_process_missing_command(home: Path) -> None:
    (home / "config").write_text("[default]\ncredential_process = /nonexistent/helper --flag\n")
    with pytest.raises(CredentialRetrievalError, match="'/nonexistent/helper' was not found"):
        resolve_credentials()


# ----- IAM Identity Center (SSO) ---------------------------------------------------------------

START_URL = "https://example.awsapps.com/start"


def sso_files(home: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch, *, session: bool,
              expires_in: float, **token: Any) -> Path:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO", routes.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO_OIDC", routes.url)
    if session:
        (home / "config").write_text(
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"
            f"[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n")
        key = "corp"
    else:
        (home / "config").write_text(
            f"[profile dev]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n"
            "sso_account_id = 123456789012\nsso_role_name = Dev\n")
        key = START_URL
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    path = cache / (hashlib.sha1(key.encode()).hexdigest() + ".json")
    path.write_text(json.dumps({"startUrl": START_URL, "region": "eu-west-1", "accessToken": "portal-token",
                                "expiresAt": stamp(expires_in), **token}))
    return path


def role_credentials(m: str, p: str, h: dict[str, str], b: bytes) -> tuple[int, Any]:
    if h.get("x-amz-sso_bearer_token") not in ("portal-token", "renewed-token"):
        return 401, {"message": "Session token not found or invalid"}
    assert "role_name=Dev" in p and "account_id=123456789012" in p
    return 200, {"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": SECRET, "sessionToken": TOKEN,
                                     "expiration": int((time.time() + 3600) * 1000)}}


def test_sso_session_profile_signs_calls(home: Path, routes: Routes, server: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    sso_files(home, routes, monkeypatch, session=True, expires_in=3600)
    routes.on("GET", "/federation/credentials", role_credentials)
    client = dynamodb(server, profile="dev")
    client.list_tables()
    assert signed_with(server) == "ASIASSO"
    assert client._credentials.account_id == "123456789012"


def test_sso_token_close_to_expiry_is_renewed_and_cached(home: Path, routes: Routes,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = sso_files(home, routes, monkeypatch, session=True, expires_in=300, refreshToken="refresh-1",
                     clientId="client", clientSecret="client-secret", registrationExpiresAt=stamp(86400))
    routes.on("POST", "/token", (200, {"accessToken": "renewed-token", "expiresIn": 28800,
                                       "refreshToken": "refresh-2", "tokenType": "Bearer"}))
    routes.on("GET", "/federation/credentials", role_credentials)
    assert resolve_credentials(profile="dev").frozen().access_key == "ASIASSO"  # type: ignore[union-attr]
    sent = [h for m, p, h in routes.seen if m == "GET"][0]
    assert sent["x-amz-sso_bearer_token"] == "renewed-token"
    cached = json.loads(path.read_text())
    assert cached["accessToken"] == "renewed-token" and cached["refreshToken"] == "refresh-2"
    assert cached["clientSecret"] == "client-secret"


def test_sso_legacy_expired_token_says_to_sign_in(home: Path, routes: Routes,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sso_files(home, routes, monkeypatch, session=False, expires_in=-60, refreshToken="r", clientId="c",
              clientSecret="s", registrationExpiresAt=stamp(86400))
    with pytest.raises(CredentialRetrievalError, match="expired; run `aws sso login --profile dev`"):
        resolve_credentials(profile="dev").frozen()  # type: ignore[union-attr]
    assert routes.seen == []  # a legacy token is never renewed


def test_sso_refused_token_says_to_sign_in(home: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch) -> None:
    sso_files(home, routes, monkeypatch, session=True, expires_in=3600)
    routes.on("GET", "/federation/credentials", lambda *a: (401, {"__type": "UnauthorizedException",
                                                                        "message": "Session token not found"}))
    with pytest.raises(CredentialRetrievalError, match="UnauthorizedException.*aws sso login") as info:
        resolve_credentials(profile="dev").frozen()  # type: ignore[union-attr]
    assert info.value.provider == "SSO of profile 'dev'"


def test_sso_missing_cache_and_config(home: Path, monkeypatch: pytest.MonkeyPatch, routes: Routes) -> None:
    path = sso_files(home, routes, monkeypatch, session=True, expires_in=3600)
    path.unlink()
    with pytest.raises(CredentialRetrievalError, match="no cached sign-in"):
        resolve_credentials(profile="dev").frozen()  # type: ignore[union-attr]
    (home / "config").write_text("[profile dev]\nsso_session = nowhere\n")
    with pytest.raises(CredentialRetrievalError, match=r"no \[sso-session nowhere\] section"):
        resolve_credentials(profile="dev")
    (home / "config").write_text(f"[profile dev]\nsso_start_url = {START_URL}\n")
    with pytest.raises(CredentialRetrievalError, match="missing sso_region, sso_account_id, sso_role_name"):
        resolve_credentials(profile="dev")


# ----- refreshing ------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def counting_source(clock: Clock, lifetime: float, delay: float = 0.0,
                    fail: list[bool] | None = None) -> tuple[RefreshableCredentials, list[int]]:
    from awsgen_runtime.sigv4 import Credentials

    calls = [0]

    def fetch() -> tuple[Credentials, float]:
        calls[0] += 1
        time.sleep(delay)
        if fail and fail.pop(0):
            raise CredentialRetrievalError("test source", "down")
        return Credentials(f"AK{calls[0]}", SECRET), clock.now + lifetime

    return RefreshableCredentials(fetch, "test source", clock=clock), calls


def test_refresh_windows() -> None:
    clock = Clock()
    source, calls = counting_source(clock, 3600, fail=[False, True, True, False])
    assert source.frozen().access_key == "AK1"
    clock.now += 3600 - 14 * 60  # advisory window: a failure keeps the current keys
    assert source.frozen().access_key == "AK1" and calls[0] == 2
    clock.now += 5 * 60  # mandatory window: a failure is raised
    with pytest.raises(CredentialRetrievalError, match="down"):
        source.frozen()
    assert source.frozen().access_key == "AK4"


def test_refresh_happens_once_under_threads() -> None:
    clock = Clock()
    source, calls = counting_source(clock, 3600, delay=0.2)
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(source.frozen().access_key)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls[0] == 1 and set(keys) == {"AK1"}
    clock.now += 3600 - 60  # mandatory: everyone waits for the one refresh
    threads = [threading.Thread(target=lambda: keys.append(source.frozen().access_key)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls[0] == 2 and keys[-20:] == ["AK2"] * 20


def test_refresh_happens_once_under_asyncio() -> None:
    import asyncio

    clock = Clock()
    source, calls = counting_source(clock, 3600, delay=0.2)

    async def main() -> list[str]:
        found = await asyncio.gather(*(source.afrozen() for _ in range(50)))
        return [k.access_key for k in found]

    assert asyncio.run(main()) == ["AK1"] * 50 and calls[0] == 1


def test_async_client_resolves_off_the_loop_once(home: Path, routes: Routes, server: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from aws_dynamodb.aio import AsyncClient

    routes.on("GET", "/creds", lambda *a: (time.sleep(0.2), (200, role_keys("ASIAASYNC")))[1])
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", routes.url + "/creds")

    async def main() -> None:
        async with AsyncClient(region="us-east-1", endpoint_url=server.url) as client:
            await asyncio.gather(*(client.list_tables() for _ in range(10)))

    asyncio.run(main())
    assert routes.count("GET", "/creds") == 1
    assert signed_with(server) == "ASIAASYNC"


def test_missing_generated_sts_package_is_named(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "config").write_text("[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Environment\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKSRC")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setitem(sys.modules, "aws_sts", None)  # as if not installed
    source = resolve_credentials(profile="r")
    with pytest.raises(MissingDependencyError, match="aws-sts"):
        source.frozen()  # type: ignore[union-attr]


@pytest.mark.parametrize("env, base", [
    ({"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}, "http://[fd00:ec2::254]/"),
    ({"AWS_IMDS_USE_IPV6": "true"}, "http://[fd00:ec2::254]/"),
    ({"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv4"}, "http://169.254.169.254/"),
    ({}, "http://169.254.169.254/"),
])
def test_imds_endpoint_modes(home: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], base: str) -> None:
    """The endpoint each mode picks (requests are intercepted: a CI machine may be on EC2)."""
    from awsgen_runtime.providers import _http

    asked: list[str] = []

    def unreachable(method: str, url: str, *args: Any, **kw: Any) -> tuple[int, bytes]:
        asked.append(url)
        raise _http.Unreachable("could not connect")

    monkeypatch.setattr(_http, "request", unreachable)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(NoCredentialsError, match="instance metadata service at"):
        resolve_credentials()
    assert asked and all(url.startswith(base) for url in asked)


def test_imds_bad_endpoint_mode(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    (home / "config").write_text("[default]\nec2_metadata_service_endpoint_mode = IPv5\n")
    with pytest.raises(CredentialRetrievalError, match="'IPv5' is neither IPv4 nor IPv6"):
        resolve_credentials()
