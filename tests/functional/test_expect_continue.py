"""``Expect: 100-continue``: S3 PUT/POST requests with a file-like body ask for it (as
botocore's add_expect_header does), and both transports wait for the server's word
before sending the body. The servers here are raw sockets, so each answer is exact."""

from __future__ import annotations

import io
import socket
import threading
import time
from typing import Any, Callable, Iterator

import pytest

from awsgen_runtime import transport as transport_mod
from awsgen_runtime.transport import HttpClientTransport, HttpRequest, Urllib3Transport
from tests.conftest import Reply
from tests.differential.harness import botocore_sends, ensure_packages, load_package

KEY = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
TRANSPORTS = [Urllib3Transport, HttpClientTransport]


class RawServer:
    """One connection at a time; ``behaviour(server, conn, head, bytes after the head)``
    per request records the body it received before it answers, and returns False when
    the exchange is over."""

    def __init__(self, behaviour: Callable[[Any, socket.socket, bytes, bytes], bool]) -> None:
        self.behaviour = behaviour
        self.heads: list[bytes] = []
        self.bodies: list[bytes] = []
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                buf = b""
                while True:
                    while b"\r\n\r\n" not in buf:
                        data = conn.recv(65536)
                        if not data:
                            break
                        buf += data
                    if b"\r\n\r\n" not in buf:
                        break
                    head, _, buf = buf.partition(b"\r\n\r\n")
                    self.heads.append(head)
                    going, buf = self.behaviour(self, conn, head, buf), b""
                    if not going:
                        break

    def close(self) -> None:
        self.sock.close()


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def _read_body(conn: socket.socket, n: int, got: bytes) -> bytes:
    while len(got) < n:
        data = conn.recv(min(65536, n - len(got)))
        if not data:
            break
        got += data
    return got


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def continues(srv: RawServer, conn: socket.socket, head: bytes, rest: bytes) -> bool:
    conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    srv.bodies.append(_read_body(conn, _length(head), rest))
    conn.sendall(OK)
    return True


def refuses(srv: RawServer, conn: socket.socket, head: bytes, rest: bytes) -> bool:
    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\nConnection: close\r\n\r\ndenied")
    time.sleep(0.3)  # as a real server would: the body is not read
    return False


def silent(srv: RawServer, conn: socket.socket, head: bytes, rest: bytes) -> bool:
    srv.bodies.append(_read_body(conn, _length(head), rest))  # never says 100: waits for the body
    conn.sendall(OK)
    return True


class CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
        self.reads += 1
        return super().read(n)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Any], RawServer]]:
    made: list[RawServer] = []

    def make(behaviour: Any) -> RawServer:
        made.append(RawServer(behaviour))
        return made[-1]

    yield make
    for s in made:
        s.close()


def _put(transport: Any, url: str, body: Any) -> Any:
    headers = {"Expect": "100-continue", "Content-Length": str(len(body.getvalue()))}
    return transport.send(HttpRequest("PUT", url + "/b/k", headers, body))


@pytest.mark.parametrize("transport_cls", TRANSPORTS)
def test_the_body_goes_after_100_continue_and_the_connection_is_kept(transport_cls: Any, raw_server: Any) -> None:
    srv = raw_server(continues)
    t = transport_cls()
    data = bytes(range(256)) * 4096  # 1 MiB
    for _ in range(2):
        resp = _put(t, srv.url, io.BytesIO(data))
        assert (resp.status, resp.body) == (200, b"ok")
    assert srv.bodies == [data, data]
    assert srv.connections == 1  # kept alive across both
    assert b"expect: 100-continue" in srv.heads[0].lower()


@pytest.mark.parametrize("transport_cls", TRANSPORTS)
def test_an_early_refusal_is_the_answer_and_the_body_is_never_read(transport_cls: Any, raw_server: Any) -> None:
    srv = raw_server(refuses)
    t = transport_cls()
    body = CountingFile(b"x" * (8 << 20))
    started = time.monotonic()
    resp = _put(t, srv.url, body)
    assert (resp.status, resp.body) == (403, b"denied")
    # Not read beyond urllib3's first block (it reads one before its first send): 256 KiB of 8 MiB.
    assert body.reads <= 1 and body.tell() <= 1 << 18
    assert time.monotonic() - started < 0.9  # answered, not waited out
    # The refused connection is not reused: the next request opens another one.
    srv.behaviour = continues
    resp = _put(t, srv.url, io.BytesIO(b"abc"))
    assert (resp.status, resp.body) == (200, b"ok")
    assert srv.bodies[-1] == b"abc" and srv.connections == 2


@pytest.mark.parametrize("transport_cls", TRANSPORTS)
def test_a_server_that_never_says_100_gets_the_body_after_the_wait(transport_cls: Any, raw_server: Any,
                                                                  monkeypatch: Any) -> None:
    monkeypatch.setattr(transport_mod, "CONTINUE_WAIT", 0.2)
    srv = raw_server(silent)
    t = transport_cls()
    started = time.monotonic()
    resp = _put(t, srv.url, io.BytesIO(b"hello"))
    assert (resp.status, resp.body) == (200, b"ok")
    assert srv.bodies == [b"hello"]
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("transport_cls", TRANSPORTS)
def test_requests_without_the_header_do_not_wait(transport_cls: Any, raw_server: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(transport_mod, "CONTINUE_WAIT", 5.0)
    srv = raw_server(silent)
    t = transport_cls()
    started = time.monotonic()
    resp = t.send(HttpRequest("PUT", srv.url + "/k", {"Content-Length": "5"}, io.BytesIO(b"hello")))
    assert resp.status == 200 and srv.bodies == [b"hello"]
    assert time.monotonic() - started < 2.0


# ----- which requests ask for it: the same as boto3 ------------------------------------


@pytest.fixture(scope="module")
def s3pkg() -> Any:
    return load_package(ensure_packages(["s3"]), "s3")


def _expect_of(headers: Any) -> str | None:
    value = next((v for k, v in headers.items() if k.lower() == "expect"), None)
    return value.decode() if isinstance(value, bytes) else value


@pytest.mark.parametrize("op, params", [
    ("put_object", {"Bucket": "b", "Key": "k"}),
    ("upload_part", {"Bucket": "b", "Key": "k", "PartNumber": 1, "UploadId": "u"}),
])
@pytest.mark.parametrize("body", [b"bytes body", "file"])
def test_s3_asks_for_100_continue_as_boto3_does(s3pkg: Any, server: Any, op: str, params: dict[str, Any],
                                                 body: Any) -> None:
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    def make_body() -> Any:
        return io.BytesIO(b"file body") if body == "file" else body

    theirs = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=server.url,
                                            config=BotoConfig(s3={"addressing_style": "path"}), **KEY)
    expected = _expect_of(botocore_sends(theirs, op, Body=make_body(),
                                         **params).headers)
    server.default = Reply(200, {}, b"")
    ours = s3pkg.Client(region="us-east-1", endpoint_url=server.url,
                        config=Config(s3={"addressing_style": "path"}), **KEY)
    snake = {"Bucket": "bucket", "Key": "key", "PartNumber": "part_number", "UploadId": "upload_id"}
    getattr(ours, op)(body=make_body(), **{snake[k]: v for k, v in params.items()})
    sent = server.requests[-1]
    assert _expect_of(sent.headers) == expected == "100-continue"  # bytes bodies too: botocore makes them files
    assert sent.body in (b"file body", b"bytes body")


def test_other_s3_puts_ask_only_for_file_bodies_as_boto3(s3pkg: Any, server: Any) -> None:
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    theirs = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=server.url,
                                            config=BotoConfig(s3={"addressing_style": "path"}), **KEY)
    server.default = Reply(200, {}, b"")
    ours = s3pkg.Client(region="us-east-1", endpoint_url=server.url,
                        config=Config(s3={"addressing_style": "path"}), **KEY)
    policy = '{"Version": "2012-10-17"}'
    expected = _expect_of(botocore_sends(theirs, "put_bucket_policy", Bucket="b", Policy=policy).headers)
    ours.put_bucket_policy(bucket="b", policy=policy)
    assert _expect_of(server.requests[-1].headers) is expected is None
    ours.get_object(bucket="b", key="k")  # and no GET ever
    assert _expect_of(server.requests[-1].headers) is None
