"""The asyncio client (awsgen_runtime.aio) against real servers on 127.0.0.1: the same
request on the wire as the blocking client, retries, typed errors, timeouts,
cancellation that leaves no half-read connection in the pool, and lazy imports."""

from __future__ import annotations

import asyncio
import inspect
import socket
import subprocess
import sys
import threading
from typing import Any

import pytest

import aws_connectparticipant
import aws_dynamodb
import aws_scheduler
from aws_dynamodb import Client, Config, errors, shapes
from aws_dynamodb.aio import AsyncClient
from awsgen_runtime.errors import ParamValidationError, ReadTimeoutError, TransportError
from awsgen_runtime.retries import RetryConfig
from tests.conftest import REPO

KEY = {"pk": shapes.AttributeValue(s="a")}
ITEM = b'{"Item": {"pk": {"S": "a"}, "n": {"N": "7"}}}'
CREDS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
VOLATILE = {"x-amz-date", "authorization", "amz-sdk-invocation-id"}


def _async(url: str, **config: Any) -> AsyncClient:
    return AsyncClient(region="us-east-1", endpoint_url=url, config=Config(**config), **CREDS)


def test_request_on_the_wire_is_the_blocking_clients(server: Any) -> None:
    server.reply(200, ITEM)
    server.reply(200, ITEM)
    blocking = Client(region="us-east-1", endpoint_url=server.url, **CREDS).get_item(table_name="t", key=KEY)

    async def call() -> Any:
        async with _async(server.url) as client:
            return await client.get_item(table_name="t", key=KEY)

    result = asyncio.run(call())
    assert result == blocking and result.item == {"pk": shapes.AttributeValue(s="a"), "n": shapes.AttributeValue(n="7")}
    sync, aio = server.requests
    assert (aio.method, aio.path, aio.body) == (sync.method, sync.path, sync.body)
    plain = {k.lower(): v for k, v in sync.headers.items() if k.lower() not in VOLATILE}
    assert {k.lower(): v for k, v in aio.headers.items() if k.lower() not in VOLATILE} == plain
    assert aio.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")


def test_retries_with_the_shared_decisions(server: Any) -> None:
    server.reply(500, {"__type": "InternalServerError", "message": "boom"})
    server.reply(400, {"__type": "ThrottlingException", "message": "slow down"})
    server.reply(200, ITEM)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def call() -> Any:
        async with _async(server.url, retry=RetryConfig(max_attempts=3, sleep=sleep, random=lambda: 0.5)) as c:
            return await c.get_item(table_name="t", key=KEY)

    assert asyncio.run(call()).item is not None
    assert [r.headers["amz-sdk-request"] for r in server.requests] == [
        "attempt=1", "attempt=2; max=3", "attempt=3; max=3"]
    assert len({r.headers["amz-sdk-invocation-id"] for r in server.requests}) == 1
    assert slept == [0.5, 1.0]  # full jitter with random() = 0.5: 0.5 * 1, 0.5 * 2


def test_errors_are_the_typed_errors(server: Any) -> None:
    server.reply(400, {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                       "message": "no table"}, headers={"x-amzn-RequestId": "req-1"})

    async def call() -> None:
        async with _async(server.url) as client:
            await client.get_item(table_name="t", key=KEY)

    with pytest.raises(errors.ResourceNotFoundException) as caught:
        asyncio.run(call())
    assert (caught.value.code, caught.value.message, caught.value.request_id) == (
        "ResourceNotFoundException", "no table", "req-1")


def test_validation_before_sending(server: Any) -> None:
    async def call() -> None:
        async with _async(server.url) as client:
            await client.get_item(table_name="", key=KEY)

    with pytest.raises(ParamValidationError, match="table_name"):
        asyncio.run(call())
    assert server.requests == []


def test_read_timeout(slow_server_url: str) -> None:
    async def call() -> None:
        async with _async(slow_server_url, read_timeout=0.2, max_attempts=1) as client:
            await client.get_item(table_name="t", key=KEY)

    with pytest.raises(ReadTimeoutError):
        asyncio.run(call())


def test_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there

    async def call() -> None:
        async with _async(f"http://127.0.0.1:{port}", max_attempts=1) as client:
            await client.get_item(table_name="t", key=KEY)

    with pytest.raises(TransportError):
        asyncio.run(call())


class _Stalling:
    """Answers the first connection's request with half a body and then stalls; every
    later connection's requests get the whole answer. Counts connections."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.release = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn, self.connections == 1), daemon=True).start()

    def _serve(self, conn: socket.socket, stall: bool) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: %d\r\n\r\n" % len(ITEM)
        with conn:
            buf = b""
            while True:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                headers, _, rest = buf.partition(b"\r\n\r\n")
                length = int(headers.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                while len(rest) < length:
                    rest += conn.recv(65536)
                buf = rest[length:]
                if stall:
                    conn.sendall(head + ITEM[:10])
                    self.release.wait(10)
                    return
                conn.sendall(head + ITEM)


def test_cancelled_call_leaves_no_half_read_connection() -> None:
    stalling = _Stalling()

    async def flow() -> Any:
        async with _async(stalling.url, max_pool_connections=1) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.get_item(table_name="t", key=KEY), 0.3)
            return await client.get_item(table_name="t", key=KEY)

    try:
        result = asyncio.run(flow())
    finally:
        stalling.release.set()
        stalling.listener.close()
    assert result.item == {"pk": shapes.AttributeValue(s="a"), "n": shapes.AttributeValue(n="7")}
    assert stalling.connections == 2  # the half-read one was closed, not reused


@pytest.mark.parametrize("module", [aws_dynamodb, aws_scheduler, aws_connectparticipant], ids=lambda m: m.__name__)
def test_async_client_has_every_method_as_a_coroutine(module: Any) -> None:
    sync_cls, async_cls = module.Client, module.AsyncClient
    public = {n for n in dir(sync_cls) if not n.startswith("_")}
    blocking_only = {"upload_file", "upload_fileobj", "download_file", "download_fileobj", "close"}
    assert public - blocking_only <= set(dir(async_cls))
    for name in public - blocking_only:
        sync_fn, async_fn = getattr(sync_cls, name), getattr(async_cls, name)
        if isinstance(sync_fn, property):
            continue
        sig_sync, sig_async = inspect.signature(sync_fn), inspect.signature(async_fn)
        assert sig_sync.parameters.keys() == sig_async.parameters.keys(), name
        calls = not name.startswith(("presign_", "paginate_"))
        assert inspect.iscoroutinefunction(async_fn) == calls, name
    assert inspect.iscoroutinefunction(async_cls.close)


def test_aiohttp_is_imported_only_when_an_async_client_sends() -> None:
    code = (
        "import sys, asyncio\n"
        "import aws_dynamodb\n"
        "assert 'aiohttp' not in sys.modules and 'aws_dynamodb.aio' not in sys.modules\n"
        "from aws_dynamodb import AsyncClient\n"
        "c = AsyncClient(region='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert 'aiohttp' not in sys.modules\n"
        "print('ok')\n"
    )
    paths = [str(REPO / "runtime"), str(REPO / "generated" / "aws-dynamodb")]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "ok", proc.stderr


def test_streaming_body_methods_match_its_side() -> None:
    from awsgen_runtime.wire import BytesReader, StreamingBody

    body = StreamingBody(BytesReader(b"abcdef"))

    async def read() -> list[bytes]:
        return [chunk async for chunk in body.aiter_chunks(4)]

    assert asyncio.run(read()) == [b"abcd", b"ef"]  # bytes already received read either way

    class AsyncRaw:
        async def aread(self, amt: int | None = None) -> bytes:
            return b""

    with pytest.raises(TypeError, match="aread"):
        StreamingBody(AsyncRaw()).read()
