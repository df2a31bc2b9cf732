"""Every setting of README's "Settings" table, read by a generated client and by botocore
1.43.67 from the same environment and config file, compared. Where the two differ on
purpose the test says so and checks the difference is the documented one."""

from __future__ import annotations

import gzip
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from awsgen_runtime.client import Config
from awsgen_runtime.errors import ConfigError
from awsgen_runtime.settings import service_key


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("AWS_") or name.upper() in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    return tmp_path


def both(aws_home: Path, text: str = "", env: dict[str, str] | None = None, **kw: Any) -> tuple[Any, Any]:
    """(our DynamoDB client, botocore's) made on the same files and environment."""
    import botocore.session
    from aws_dynamodb import Client

    (aws_home / "config").write_text(text)
    for name, value in (env or {}).items():
        os.environ[name] = value
    try:
        ours = Client(**kw)
        profile = kw.get("profile")
        theirs = botocore.session.Session(profile=profile).create_client("dynamodb")
    finally:
        for name in env or {}:
            del os.environ[name]
    return ours, theirs


REGION = "[default]\nregion = eu-west-1\n"


@pytest.mark.parametrize(
    "config, env",
    [
        (REGION, {}),
        ("[default]\nregion = eu-west-1\n", {"AWS_DEFAULT_REGION": "ap-south-1"}),
        ("[profile p]\nregion = sa-east-1\n", {"AWS_PROFILE": "p"}),
        ("[profile p]\nregion = sa-east-1\n[profile q]\nregion = ca-central-1\n",
         {"AWS_DEFAULT_PROFILE": "q", "AWS_PROFILE": "p"}),
    ],
)
def test_region(aws_home: Path, config: str, env: dict[str, str]) -> None:
    ours, theirs = both(aws_home, config, env)
    assert ours.region == theirs.meta.region_name


def test_aws_region_is_read_where_botocore_reads_only_aws_default_region(aws_home: Path) -> None:
    ours, theirs = both(aws_home, REGION, {"AWS_REGION": "us-west-2"})
    assert (ours.region, theirs.meta.region_name) == ("us-west-2", "eu-west-1")  # the documented difference


SERVICES = (REGION + "services = local\n[services local]\ndynamodb =\n  endpoint_url = http://127.0.0.1:9001\n"
            "sts =\n  endpoint_url = http://127.0.0.1:9002\n")


@pytest.mark.parametrize(
    "config, env",
    [
        (REGION, {"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8001"}),
        (REGION, {"AWS_ENDPOINT_URL": "http://127.0.0.1:8002"}),
        (REGION, {"AWS_ENDPOINT_URL": "http://127.0.0.1:8002", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8001"}),
        (SERVICES, {}),
        (SERVICES, {"AWS_ENDPOINT_URL": "http://127.0.0.1:8002"}),
        (REGION + "endpoint_url = http://127.0.0.1:9003\n", {}),
        (SERVICES + "endpoint_url = http://127.0.0.1:9003\n", {}),
        (SERVICES, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}),
        (SERVICES + "ignore_configured_endpoint_urls = true\n", {"AWS_ENDPOINT_URL": "http://127.0.0.1:8002"}),
        (REGION, {"AWS_USE_FIPS_ENDPOINT": "true"}),
        (REGION + "use_fips_endpoint = true\n", {}),
        (REGION + "use_dualstack_endpoint = true\n", {}),
        (REGION + "use_fips_endpoint = true\nuse_dualstack_endpoint = true\n", {}),
    ],
)
def test_endpoint(aws_home: Path, config: str, env: dict[str, str]) -> None:
    ours, theirs = both(aws_home, config, env)
    assert ours.endpoint_url.rstrip("/") == theirs.meta.endpoint_url.rstrip("/")


def test_endpoint_argument_wins(aws_home: Path) -> None:
    ours, _ = both(aws_home, SERVICES, {"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8001"},
                   endpoint_url="http://127.0.0.1:7000")
    assert ours.endpoint_url == "http://127.0.0.1:7000"


def test_a_missing_services_section_is_an_error(aws_home: Path) -> None:
    with pytest.raises(ConfigError, match=r"services = nope.*no \[services nope\] section"):
        both(aws_home, REGION + "services = nope\n")


@pytest.mark.parametrize(
    "config, env",
    [
        (REGION, {}),
        (REGION + "max_attempts = 7\n", {}),
        (REGION + "max_attempts = 7\n", {"AWS_MAX_ATTEMPTS": "4"}),
        (REGION + "retry_mode = adaptive\n", {}),
        (REGION + "retry_mode = standard\n", {"AWS_RETRY_MODE": "adaptive", "AWS_MAX_ATTEMPTS": "2"}),
    ],
)
def test_retries(aws_home: Path, config: str, env: dict[str, str]) -> None:
    ours, theirs = both(aws_home, config, env)
    retries = theirs.meta.config.retries
    assert ours._retry.max_attempts == retries.get("total_max_attempts", 3)
    mode = retries.get("mode", "legacy")
    # botocore defaults to its legacy mode, the typed client to standard (retry_mode="legacy" asks for
    # botocore's legacy rules: tests/unit/test_legacy_retry.py; the boto3-compatible client defaults to them).
    assert ours._config.retry_mode == ("standard" if mode == "legacy" else mode)
    assert (ours._limiter is not None) == (mode == "adaptive")


def test_retry_settings_in_code_win(aws_home: Path) -> None:
    ours, _ = both(aws_home, REGION + "max_attempts = 7\nretry_mode = adaptive\n", {"AWS_MAX_ATTEMPTS": "4"},
                   config=Config(max_attempts=2, retry_mode="standard"))
    assert ours._retry.max_attempts == 2 and ours._limiter is None


@pytest.mark.parametrize(
    "config, env, ours_attr, theirs_attr",
    [
        (REGION + "sdk_ua_app_id = my-app\n", {}, "user_agent_appid", "user_agent_appid"),
        (REGION, {"AWS_SDK_UA_APP_ID": "env-app"}, "user_agent_appid", "user_agent_appid"),
        (REGION + "request_checksum_calculation = when_required\n", {}, "request_checksum_calculation",
         "request_checksum_calculation"),
        (REGION, {"AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required"}, "response_checksum_validation",
         "response_checksum_validation"),
        (REGION + "account_id_endpoint_mode = disabled\n", {}, "account_id_endpoint_mode", "account_id_endpoint_mode"),
        (REGION, {"AWS_ACCOUNT_ID_ENDPOINT_MODE": "required"}, "account_id_endpoint_mode",
         "account_id_endpoint_mode"),
        (REGION, {"AWS_ACCOUNT_ID_ENDPOINT_MODE": "REQUIRED"}, "account_id_endpoint_mode",
         "account_id_endpoint_mode"),
        (REGION, {"AWS_REQUEST_CHECKSUM_CALCULATION": "WHEN_REQUIRED"}, "request_checksum_calculation",
         "request_checksum_calculation"),
        (REGION, {}, "account_id_endpoint_mode", "account_id_endpoint_mode"),
    ],
)
def test_config_values(aws_home: Path, config: str, env: dict[str, str], ours_attr: str, theirs_attr: str) -> None:
    ours, theirs = both(aws_home, config, env)
    assert getattr(ours._config, ours_attr) == getattr(theirs.meta.config, theirs_attr)


def test_app_id_goes_into_the_user_agent(aws_home: Path, server: Any) -> None:
    ours, _ = both(aws_home, REGION + "sdk_ua_app_id = my-app\n", endpoint_url=server.url)
    ours.list_tables()
    assert server.last.headers["User-Agent"].endswith(" app/my-app")


@pytest.mark.parametrize(
    "config, env",
    [(REGION + "ca_bundle = /etc/file.pem\n", {}), (REGION, {"AWS_CA_BUNDLE": "/etc/env.pem"}),
     (REGION + "ca_bundle = /etc/file.pem\n", {"AWS_CA_BUNDLE": "/etc/env.pem"})],
)
def test_ca_bundle(aws_home: Path, config: str, env: dict[str, str]) -> None:
    ours, theirs = both(aws_home, config, env)
    assert ours._config.verify == theirs._endpoint.http_session._verify


def test_default_trust(aws_home: Path) -> None:
    # Neither set: ours verifies against the system's trust store (True); botocore names
    # the bundle it found for the same store.
    ours, theirs = both(aws_home, REGION)
    assert ours._config.verify is True and isinstance(theirs._endpoint.http_session._verify, str)


def test_parameter_validation_off_in_the_profile(aws_home: Path, server: Any) -> None:
    """``parameter_validation = false``: both send a Limit of 0 (the model's minimum is 1)."""
    ours, theirs = both(aws_home, REGION + "parameter_validation = false\n",
                        {"AWS_ENDPOINT_URL": server.url})
    ours.list_tables(limit=0)
    theirs.list_tables(Limit=0)
    assert [r.json() for r in server.requests] == [{"Limit": 0}, {"Limit": 0}]


@pytest.mark.parametrize(
    "config, env, message",
    [
        (REGION + "max_attempts = many\n", {}, r"max_attempts in \[default\] of .*config"),
        (REGION, {"AWS_RETRY_MODE": "fast"}, "environment variable AWS_RETRY_MODE: 'fast' is not one of"),
        (REGION + "use_fips_endpoint = yes\n", {}, "use_fips_endpoint in .*'yes' is neither true nor false"),
    ],
)
def test_bad_values_name_their_source(aws_home: Path, config: str, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        both(aws_home, config, env)


def test_s3_settings_from_the_profile() -> None:
    from awsgen_runtime.profiles import SharedFiles
    from awsgen_runtime.settings import resolve_config

    class Files(SharedFiles):
        def __init__(self) -> None:
            self.config_path = "config"
            self.credentials_path = "credentials"
            self.config = {"default": {"s3": {"addressing_style": "path", "use_accelerate_endpoint": "true"}}}
            self.credentials = None

    resolved = resolve_config(Config(), None, {"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "regional"}, Files())
    assert resolved.s3 == {"addressing_style": "path", "use_accelerate_endpoint": True,
                           "us_east_1_regional_endpoint": "regional"}
    assert resolve_config(Config(s3={"addressing_style": "virtual"}), None, {}, Files()).s3["addressing_style"] == \
        "virtual"


def test_service_keys_match_botocores_for_every_service() -> None:
    """AWS_ENDPOINT_URL_<KEY> and [services] keys: ours from the serviceId, botocore's from
    its client names and override table; the same for all 400-odd services."""
    import botocore
    from botocore.configprovider import ConfiguredEndpointProvider

    data = Path(botocore.__file__).parent / "data"
    checked = 0
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        versions = sorted(v for v in folder.iterdir() if v.is_dir())
        if not versions:
            continue
        model = versions[-1] / "service-2.json.gz"
        if not model.exists():
            model = versions[-1] / "service-2.json"
            if not model.exists():
                continue
        opener = gzip.open if model.suffix == ".gz" else open
        with opener(model, "rt") as handle:  # type: ignore[operator]
            service_id = json.load(handle)["metadata"]["serviceId"]
        theirs = ConfiguredEndpointProvider({}, {}, folder.name, environ={})._transformed_service_id
        assert service_key(service_id) == theirs, folder.name
        checked += 1
    assert checked > 400


# ----- proxies -------------------------------------------------------------------------------


class Proxy:
    """A forward proxy that answers every request itself, recording the target it was asked for."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        proxy = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.targets.append(self.path)
                body = b'{"TableNames": ["via-proxy"]}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    p = Proxy()
    yield p
    p.httpd.shutdown()
    p.httpd.server_close()


def test_proxy_from_the_environment_as_botocore(aws_home: Path, proxy: Proxy, server: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = "http://dynamodb.test.invalid:8000"
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    ours, theirs = both(aws_home, REGION, {"AWS_ENDPOINT_URL": target})
    assert ours.list_tables().table_names == ["via-proxy"]
    assert theirs.list_tables()["TableNames"] == ["via-proxy"]
    assert proxy.targets == [target + "/", target + "/"]  # the same absolute-form request from both
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    ours, _ = both(aws_home, REGION, endpoint_url=server.url)
    ours.list_tables()
    assert len(proxy.targets) == 2 and server.requests  # NO_PROXY: straight to the server


def test_proxy_given_in_code(aws_home: Path, proxy: Proxy) -> None:
    ours, _ = both(aws_home, REGION, endpoint_url="http://dynamodb.test.invalid",
                   config=Config(proxies={"http": proxy.url}))
    assert ours.list_tables().table_names == ["via-proxy"]


def test_async_client_uses_the_proxy(aws_home: Path, proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from aws_dynamodb.aio import AsyncClient

    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    (aws_home / "config").write_text(REGION)

    async def main() -> list[str]:
        async with AsyncClient(endpoint_url="http://dynamodb.test.invalid") as client:
            return (await client.list_tables()).table_names  # type: ignore[no-any-return]

    assert asyncio.run(main()) == ["via-proxy"]
    assert proxy.targets == ["http://dynamodb.test.invalid/"]
