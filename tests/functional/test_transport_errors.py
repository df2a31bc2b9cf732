"""Transport failures against real sockets on 127.0.0.1 (and one ``.invalid`` name): each
failure is its own class of the runtime's, the same on every transport, names the host,
and is retried as botocore 1.43.67 retries it in standard mode."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import pickle
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from aws_dynamodb import Client, Config, shapes
from aws_dynamodb.aio import AsyncClient
from awsgen_runtime import errors
from awsgen_runtime.aio import AioHttpTransport
from awsgen_runtime.errors import TransportError
from awsgen_runtime.retries import RetryConfig
from awsgen_runtime.transport import HttpClientTransport, HttpRequest, Urllib3Transport

KEY = {"pk": shapes.AttributeValue(s="a")}
CREDS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
TRANSPORTS = {"urllib3": Urllib3Transport, "http.client": HttpClientTransport, "aiohttp": AioHttpTransport}
KINDS = list(TRANSPORTS)


def _counting(kind: str, **options: Any) -> Any:
    """The transport of that kind, counting the requests it is asked to send."""

    class Counting(TRANSPORTS[kind]):  # type: ignore[misc, valid-type]
        sends = 0

        def send(self, request: HttpRequest, *, stream: bool = False) -> Any:
            self.sends += 1
            return super().send(request, stream=stream)  # aiohttp's: the coroutine, awaited by the client

    return Counting(**options)


def _fail(kind: str, url: str, *, retry: RetryConfig | None = None,
          **options: Any) -> tuple[TransportError, int, float]:
    """A DynamoDB GetItem to ``url`` that fails: the error, the attempts made, the seconds taken
    (backoff sleeps are instant)."""
    transport = _counting(kind, **options)
    config = Config(retry=retry or RetryConfig(max_attempts=3, sleep=lambda s: None, random=lambda: 0.5))
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        if kind == "aiohttp":
            async def call() -> None:
                async with AsyncClient(region="us-east-1", endpoint_url=url, config=config, transport=transport,
                                       **CREDS) as client:
                    await client.get_item(table_name="t", key=KEY)

            asyncio.run(call())
        else:
            with Client(region="us-east-1", endpoint_url=url, config=config, transport=transport, **CREDS) as client:
                client.get_item(table_name="t", key=KEY)
    return caught.value, transport.sends, time.monotonic() - started


def _assert_names(err: TransportError, cls: type[TransportError], host: str, port: int | None) -> None:
    assert type(err) is cls, repr(err)
    assert (err.host, err.port) == (host, port)
    assert f"'{host}" in str(err)
    if port is not None and cls is not errors.NameResolutionError:
        assert f"{host}:{port}'" in str(err)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: nothing listens there


# ----- name resolution -----------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_name_that_does_not_resolve(kind: str) -> None:
    err, attempts, seconds = _fail(kind, "http://nope.invalid")
    _assert_names(err, errors.NameResolutionError, "nope.invalid", 80)
    assert str(err).startswith("could not resolve host name 'nope.invalid' (")
    assert str(err).endswith(": check the endpoint URL or region, and the network's DNS")
    assert attempts == 3  # botocore retries its EndpointConnectionError, which a DNS failure is
    assert seconds < 5  # no connect timeout waited out: the resolver's answer is final at once


# ----- refused ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_closed_port_refuses(kind: str) -> None:
    port = _free_port()
    err, attempts, _ = _fail(kind, f"http://127.0.0.1:{port}")
    _assert_names(err, errors.EndpointConnectionError, "127.0.0.1", port)
    assert "(Connection refused)" in str(err) and "check the endpoint URL and port" in str(err)
    assert attempts == 3


# ----- TLS ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _whole_request(received: bytes) -> bool:
    head, found, body = received.partition(b"\r\n\r\n")
    _, named, rest = head.lower().partition(b"content-length:")
    return bool(found) and len(body) >= (int(rest.split(b"\r\n")[0]) if named else 0)


@pytest.fixture
def tls_url(self_signed: tuple[Path, Path]) -> Iterator[str]:
    """An HTTPS server with a self-signed certificate; it answers ``{}`` to whoever trusts it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        try:
            with context.wrap_socket(conn, server_side=True) as tls:
                received = b""
                while not _whole_request(received):  # read before answering, or the close resets the answer
                    chunk = tls.recv(65536)
                    if not chunk:
                        return
                    received += chunk
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        except OSError:
            pass  # the client refused the certificate
        finally:
            conn.close()

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@pytest.mark.parametrize("kind", KINDS)
def test_a_certificate_that_does_not_verify(kind: str, tls_url: str) -> None:
    err, attempts, _ = _fail(kind, tls_url)
    _assert_names(err, errors.TLSError, "127.0.0.1", int(tls_url.rsplit(":", 1)[1]))
    assert "certificate verify failed: self-signed certificate" in str(err)
    assert attempts == 3  # botocore's SSLError is one of the ConnectionErrors it retries


@pytest.mark.filterwarnings("ignore:Unverified HTTPS request")
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_server_answers_when_verification_is_off(kind: str, tls_url: str) -> None:
    async def call() -> Any:
        async with AsyncClient(region="us-east-1", endpoint_url=tls_url, config=Config(verify=False), **CREDS) as c:
            return await c.get_item(table_name="t", key=KEY)

    if kind == "aiohttp":
        result = asyncio.run(call())
    else:
        with Client(region="us-east-1", endpoint_url=tls_url, transport=TRANSPORTS[kind](verify=False),
                    **CREDS) as client:
            result = client.get_item(table_name="t", key=KEY)
    assert result.item is None


# ----- the answer cut short --------------------------------------------------------------
CUT_SHORT = b'HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100\r\n\r\n{"Item"'


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("raw", [CUT_SHORT, b""], ids=["mid-body", "no-answer"])
def test_a_connection_closed_before_the_whole_answer(kind: str, raw: bytes, server: Any) -> None:
    for _ in range(3):
        server.reply_raw(raw)
    err, attempts, _ = _fail(kind, server.url)
    _assert_names(err, errors.ConnectionClosedError, "127.0.0.1", int(server.url.rsplit(":", 1)[1]))
    assert "was closed before the whole answer arrived" in str(err)
    assert attempts == len(server.requests) == 3  # botocore retries its ConnectionClosedError
    if raw:
        assert "received 7 of 100 bytes" in str(err)


@pytest.mark.parametrize("kind", KINDS)
def test_a_streamed_answer_cut_short(kind: str, server: Any) -> None:
    """Read after the call has returned (a download), the same class; nothing to retry."""
    server.reply_raw(CUT_SHORT)
    transport = TRANSPORTS[kind]()
    request = HttpRequest("GET", server.url + "/object", {})
    with pytest.raises(errors.ConnectionClosedError) as caught:
        if kind == "aiohttp":
            async def read() -> None:
                try:
                    resp = await transport.send(request, stream=True)
                    await resp.raw.aread()
                finally:
                    await transport.close()

            asyncio.run(read())
        else:
            resp = transport.send(request, stream=True)
            resp.raw.read()
    assert caught.value.host == "127.0.0.1"


# ----- timeouts ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_read_timeout(kind: str, slow_server_url: str) -> None:
    err, attempts, seconds = _fail(kind, slow_server_url, read_timeout=0.2)
    _assert_names(err, errors.ReadTimeoutError, "127.0.0.1", int(slow_server_url.rsplit(":", 1)[1]))
    assert "(no data for 0.2 s)" in str(err) and "read_timeout" in str(err)
    assert attempts == 3
    assert seconds < 3


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose listen queue is full: connecting there waits until it times out."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    filling = []
    for _ in range(8):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        filling.append(s)
    probe = socket.socket()
    probe.settimeout(0.2)
    try:
        probe.connect(("127.0.0.1", port))
    except TimeoutError:
        pass
    else:
        pytest.skip("this system does not hold connections back when a listen queue is full")
    finally:
        probe.close()
    try:
        yield port
    finally:
        for s in filling:
            s.close()
        listener.close()


@pytest.mark.parametrize("kind", KINDS)
def test_a_connect_timeout(kind: str, full_backlog: int) -> None:
    err, attempts, _ = _fail(kind, f"http://127.0.0.1:{full_backlog}", connect_timeout=0.2)
    _assert_names(err, errors.ConnectTimeoutError, "127.0.0.1", full_backlog)
    assert "(no connection after 0.2 s)" in str(err)
    assert attempts == 3


# ----- the retry quota: botocore's costs ------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_timeout_costs_more_of_the_retry_quota(kind: str, slow_server_url: str) -> None:
    """A quota of 10: two retries of a refused connection (5 each), one of a read timeout (10)."""
    def retry() -> RetryConfig:
        return RetryConfig(max_attempts=5, quota=10, sleep=lambda s: None, random=lambda: 0.0)

    assert _fail(kind, f"http://127.0.0.1:{_free_port()}", retry=retry())[1] == 3
    assert _fail(kind, slow_server_url, retry=retry(), read_timeout=0.2)[1] == 2


def test_the_class_decides_whether_to_retry() -> None:
    class Fatal(TransportError):
        retryable = False

    class Failing:
        sends = 0

        def send(self, request: HttpRequest, *, stream: bool = False) -> Any:
            self.sends += 1
            raise Fatal(host="example.com", port=443, reason="no")

    transport = Failing()
    client = Client(region="us-east-1", endpoint_url="https://example.com", transport=transport, **CREDS)
    with pytest.raises(Fatal, match=r"^the request to 'example.com:443' failed \(no\)$"):
        client.get_item(table_name="t", key=KEY)
    assert transport.sends == 1


# ----- proxies: the mapping of the libraries' errors, naming the proxy ------------------------
def test_proxy_failures_are_mapped() -> None:
    import aiohttp
    import urllib3

    port = _free_port()
    url = "http://example.invalid/"
    with pytest.raises(urllib3.exceptions.ProxyError) as u3:
        urllib3.ProxyManager(f"http://127.0.0.1:{port}/").urlopen("GET", url, retries=False)
    err = Urllib3Transport()._error(u3.value, url)
    _assert_names(err, errors.ProxyConnectionError, "example.invalid", 80)
    assert "through the proxy" in str(err)
    # the proxy the request went through is named, without the credentials in its URL
    proxies = {"http": f"http://user:s3cret@127.0.0.1:{port}/"}
    err = Urllib3Transport(proxies=proxies)._error(u3.value, url)
    assert isinstance(err, errors.ProxyConnectionError) and err.proxy == f"http://127.0.0.1:{port}"
    assert f"through the proxy http://127.0.0.1:{port} (" in str(err) and "s3cret" not in str(err)

    async def through_proxy() -> BaseException:
        async with aiohttp.ClientSession() as session:
            try:
                await session.get(url, proxy=f"http://127.0.0.1:{port}/")
            except aiohttp.ClientError as exc:
                return exc
        raise AssertionError("the proxy answered")

    err = AioHttpTransport()._error(asyncio.run(through_proxy()), url)
    _assert_names(err, errors.ProxyConnectionError, "example.invalid", 80)
    err = AioHttpTransport(proxies={"http": f"http://127.0.0.1:{port}"})._error(asyncio.run(through_proxy()), url)
    assert isinstance(err, errors.ProxyConnectionError) and err.proxy == f"http://127.0.0.1:{port}"


# ----- the classes ---------------------------------------------------------------------------
def test_the_classes() -> None:
    kinds = [errors.NameResolutionError, errors.EndpointConnectionError, errors.TLSError, errors.ProxyConnectionError,
             errors.ConnectTimeoutError, errors.ReadTimeoutError, errors.ConnectionClosedError]
    assert all(issubclass(cls, TransportError) and issubclass(cls, errors.AwsGenError) for cls in kinds)
    assert all(cls.retryable for cls in [TransportError, *kinds])
    assert [cls for cls in kinds if cls.timeout] == [errors.ConnectTimeoutError, errors.ReadTimeoutError]
    assert str(TransportError("as before")) == "as before" and TransportError("as before").host is None
    err = pickle.loads(pickle.dumps(errors.TLSError(host="::1", port=443, reason="bad")))
    assert (type(err), err.host, err.port) == (errors.TLSError, "::1", 443)
    assert str(err).startswith("TLS with '[::1]:443' failed (bad): check")
