"""Event streams over real HTTP on 127.0.0.1: Bedrock Runtime ConverseStream and Lambda
InvokeWithResponseStream (rest-json), S3 SelectObjectContent (rest-xml) and Kinesis
SubscribeToShard (json, with its initial response), answered by a local server with
frames shaped as those services send them; read blocking and with asyncio. Modeled
exception events raise typed errors; corrupt and cut-short streams raise
EventStreamError; leaving the loop early closes the connection."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import threading
from typing import Any

import pytest

from awsgen_runtime.errors import ServiceError
from awsgen_runtime.eventstream import EventStreamError
from tests.differential.harness import ensure_packages, load_package
from tests.differential.streams import encode, event, exception

SERVICES = ["bedrock-runtime", "lambda", "s3", "kinesis"]
CREDS = {"region": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture(scope="module")
def pkgs() -> dict[str, Any]:
    root = ensure_packages(SERVICES)
    return {s: load_package(root, s) for s in SERVICES}


class StreamServer:
    """Answers each request with a 200 whose chunked body is ``frames``, sent in small
    pieces; ``stall`` keeps the connection open after them. Records every connection's
    end (``closed``: True once the client closed its side)."""

    def __init__(self, frames: bytes, *, stall: bool = False, content_type: str = "application/vnd.amazon.eventstream",
                 headers: dict[str, str] | None = None) -> None:
        self.frames, self.stall = frames, stall
        self.head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n"
                     + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()) + "\r\n").encode()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.closed = threading.Event()
        self.release = threading.Event()
        self.requests: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            buf = b""
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            head, _, rest = buf.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0]) if b"content-length:" in head.lower() else 0
            while len(rest) < length:
                rest += conn.recv(65536)
            self.requests.append(head)
            try:
                conn.sendall(self.head)
                for i in range(0, len(self.frames), 37):  # messages split across chunks
                    piece = self.frames[i:i + 37]
                    conn.sendall(b"%X\r\n%b\r\n" % (len(piece), piece))
            except OSError:  # the client closed before the last frames went out
                self.closed.set()
                return
            if self.stall:
                conn.settimeout(5)
                try:
                    if conn.recv(1) == b"":
                        self.closed.set()
                except TimeoutError:
                    pass
                except OSError:  # a reset: the client closed with our bytes still unread
                    self.closed.set()
                return
            conn.sendall(b"0\r\n\r\n")

    def close(self) -> None:
        self.listener.close()


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


CONVERSE = (
    event("messageStart", _json({"role": "assistant"}))
    + event("contentBlockDelta", _json({"contentBlockIndex": 0, "delta": {"text": "Hel"}}))
    + event("contentBlockDelta", _json({"contentBlockIndex": 0, "delta": {"text": "lo"}}))
    + event("contentBlockStop", _json({"contentBlockIndex": 0}))
    + event("messageStop", _json({"stopReason": "end_turn"}))
    + event("metadata", _json({"usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                               "metrics": {"latencyMs": 120}}))
)


def _converse(pkgs: dict[str, Any], url: str) -> Any:
    br = pkgs["bedrock-runtime"]
    return br.Client(endpoint_url=url, **CREDS).converse_stream(
        model_id="anthropic.claude", messages=[br.shapes.Message(role="user", content=[br.shapes.ContentBlock(text="Hi")])])


def test_bedrock_converse_stream(pkgs: dict[str, Any]) -> None:
    server = StreamServer(CONVERSE)
    try:
        out = _converse(pkgs, server.url)
        events = list(out.stream)
    finally:
        server.close()
    assert [type(e).__name__ for e in events] == ["ConverseStreamOutput"] * 6
    assert events[0].message_start.role == "assistant"
    assert "".join(e.content_block_delta.delta.text for e in events if e.content_block_delta) == "Hello"
    assert events[4].message_stop.stop_reason == "end_turn"
    assert events[5].metadata.usage.total_tokens == 5 and events[5].metadata.metrics.latency_ms == 120
    assert b"/model/anthropic.claude/converse-stream" in server.requests[0]


def test_modeled_exception_event_raises_its_typed_error(pkgs: dict[str, Any]) -> None:
    frames = CONVERSE[:200] if False else (event("messageStart", _json({"role": "assistant"}))
                                          + exception("throttlingException", _json({"message": "slow down"})))
    server = StreamServer(frames)
    errors = pkgs["bedrock-runtime"].errors
    try:
        out = _converse(pkgs, server.url)
        seen = []
        with pytest.raises(errors.ThrottlingException) as caught:
            for e in out.stream:
                seen.append(e)
    finally:
        server.close()
    assert len(seen) == 1 and caught.value.code == "ThrottlingException" and caught.value.message == "slow down"


def test_error_event_raises_a_service_error(pkgs: dict[str, Any]) -> None:
    frames = encode([(":message-type", "error"), (":error-code", "InternalFailure"), (":error-message", "boom")])
    server = StreamServer(frames)
    try:
        with pytest.raises(ServiceError) as caught:
            list(_converse(pkgs, server.url).stream)
    finally:
        server.close()
    assert (caught.value.code, caught.value.message) == ("InternalFailure", "boom")


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_damaged_streams_raise_event_stream_errors(pkgs: dict[str, Any], damage: str) -> None:
    frames = bytearray(CONVERSE)
    if damage == "corrupt":
        frames[60] ^= 0x20  # inside the first message: its CRC no longer matches
    else:
        frames = frames[:-5]  # the last message cut short
    server = StreamServer(bytes(frames))
    try:
        with pytest.raises(EventStreamError) as caught:
            list(_converse(pkgs, server.url).stream)
    finally:
        server.close()
    assert caught.value.kind == ("checksum" if damage == "corrupt" else "payload-length")


def test_leaving_the_loop_early_closes_the_connection(pkgs: dict[str, Any]) -> None:
    server = StreamServer(CONVERSE, stall=True)
    try:
        for e in _converse(pkgs, server.url).stream:
            assert e.message_start is not None
            break
        assert server.closed.wait(3), "the connection was left open"
    finally:
        server.close()


def test_lambda_invoke_with_response_stream(pkgs: dict[str, Any]) -> None:
    frames = (event("PayloadChunk", b'{"partial": ', "application/octet-stream")
              + event("PayloadChunk", b'"answer"}', "application/octet-stream")
              + event("InvokeComplete", _json({"LogResult": "bG9n"})))
    server = StreamServer(frames, headers={"X-Amz-Executed-Version": "7"})
    try:
        out = pkgs["lambda"].Client(endpoint_url=server.url, **CREDS).invoke_with_response_stream(function_name="f")
        events = list(out.event_stream)
    finally:
        server.close()
    assert out.executed_version == "7"
    assert b"".join(e.payload_chunk.payload for e in events if e.payload_chunk) == b'{"partial": "answer"}'
    assert events[-1].invoke_complete.log_result == "bG9n"


def test_s3_select_object_content(pkgs: dict[str, Any]) -> None:
    stats = b"<Stats><BytesScanned>100</BytesScanned><BytesProcessed>100</BytesProcessed><BytesReturned>12</BytesReturned></Stats>"
    frames = (event("Records", b"a,b\n", "application/octet-stream")
              + event("Records", b"c,d\n", "application/octet-stream")
              + event("Cont", b"", "text/xml")
              + event("Stats", stats, "text/xml")
              + event("End", b"", "text/xml"))
    server = StreamServer(frames)
    s3 = pkgs["s3"]
    try:
        client = s3.Client(endpoint_url=server.url, config=s3.Config(s3={"addressing_style": "path"}), **CREDS)
        out = client.select_object_content(
            bucket="b", key="k.csv", expression="select * from s3object", expression_type="SQL",
            input_serialization=s3.shapes.InputSerialization(csv=s3.shapes.CSVInput()),
            output_serialization=s3.shapes.OutputSerialization(csv=s3.shapes.CSVOutput()))
        events = list(out.payload)
    finally:
        server.close()
    assert b"".join(e.records.payload for e in events if e.records) == b"a,b\nc,d\n"
    assert events[3].stats.details.bytes_returned == 12 and events[4].end is not None and events[2].cont is not None


def _kinesis_frames() -> bytes:
    record = {"SequenceNumber": "1", "ApproximateArrivalTimestamp": 1700000000.5, "Data": "aGk=", "PartitionKey": "p"}
    return (event("initial-response", b"{}")
            + event("SubscribeToShardEvent", _json({"Records": [record], "ContinuationSequenceNumber": "2",
                                                    "MillisBehindLatest": 0})))


def test_kinesis_subscribe_to_shard_blocking_and_async(pkgs: dict[str, Any]) -> None:
    kinesis = pkgs["kinesis"]
    server = StreamServer(_kinesis_frames(), content_type="application/vnd.amazon.eventstream")
    try:
        out = kinesis.Client(endpoint_url=server.url, **CREDS).subscribe_to_shard(
            consumer_arn="arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1", shard_id="shardId-0",
            starting_position=kinesis.shapes.StartingPosition(type="LATEST"))
        blocking = [e.subscribe_to_shard_event for e in out.event_stream]
        assert out.event_stream.initial_response == b"{}"

        async def read() -> list[Any]:
            aio = __import__(kinesis.__name__ + ".aio", fromlist=["AsyncClient"])
            async with aio.AsyncClient(endpoint_url=server.url, **CREDS) as client:
                answer = await client.subscribe_to_shard(
                    consumer_arn="arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
                    shard_id="shardId-0", starting_position=kinesis.shapes.StartingPosition(type="LATEST"))
                assert answer.event_stream.initial_response == b"{}"
                return [e.subscribe_to_shard_event async for e in answer.event_stream]

        awaited = asyncio.run(read())
    finally:
        server.close()
    assert blocking == awaited and len(blocking) == 1
    record = blocking[0].records[0]
    assert (record.data, record.partition_key) == (b"hi", "p")
    assert record.approximate_arrival_timestamp == dt.datetime.fromtimestamp(1700000000.5, dt.timezone.utc)


def test_async_converse_stream_and_early_exit(pkgs: dict[str, Any]) -> None:
    br = pkgs["bedrock-runtime"]
    aio = __import__(br.__name__ + ".aio", fromlist=["AsyncClient"])
    server = StreamServer(CONVERSE, stall=True)

    async def read() -> str:
        async with aio.AsyncClient(endpoint_url=server.url, **CREDS) as client:
            out = await client.converse_stream(
                model_id="m", messages=[br.shapes.Message(role="user", content=[br.shapes.ContentBlock(text="Hi")])])
            text = ""
            async with out.stream as stream:  # closes at once on leaving (an async loop's own
                async for e in stream:          # end waits for the event loop to finalize it)
                    if e.content_block_delta:
                        text += e.content_block_delta.delta.text
                    if e.message_stop:
                        break  # the server still holds the stream open
            return text

    try:
        assert asyncio.run(read()) == "Hello"
        assert server.closed.wait(3), "the connection was left open"
    finally:
        server.close()
