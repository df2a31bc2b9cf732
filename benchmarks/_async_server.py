"""An asyncio keep-alive HTTP/1.1 server for async_bench.py, run in its own process.

Every request gets the same DynamoDB GetItem answer (one item of every attribute
type, ``_common.ddb_item``): the server's cost per request is the same for every client
measured, and one event loop serves a thousand connections where a thread per
connection would not. Prints ``PORT <n>`` once listening; exits when stdin closes.
Not a general HTTP server: Content-Length bodies only.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

GET_ITEM_BODY = json.dumps({"Item": C.ddb_item(7)}, separators=(",", ":")).encode()
ANSWER = (
    "HTTP/1.1 200 OK\r\n"
    + "".join(f"{k}: {v}\r\n" for k, v in C.response_headers(GET_ITEM_BODY, "application/x-amz-json-1.0").items())
    + "Connection: keep-alive\r\n\r\n"
).encode("latin-1") + GET_ITEM_BODY


class Answering(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data
        while True:
            idx = buf.find(b"\r\n\r\n")
            if idx < 0:
                break
            head = buf[:idx].lower()
            at = head.find(b"\r\ncontent-length:")
            length = int(head[at + 17: head.find(b"\r\n", at + 2) if head.find(b"\r\n", at + 2) > 0 else None]) \
                if at >= 0 else 0
            end = idx + 4 + length
            if len(buf) < end:
                break
            self.transport.write(ANSWER)
            buf = buf[end:]
        self.buf = buf


async def main() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Answering, "127.0.0.1", 0, backlog=2048)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin


if __name__ == "__main__":
    asyncio.run(main())
