"""A minimal keep-alive HTTP/1.1 server for loopback.py, run in its own process.

It answers every request with a fixed JSON response chosen by the request path
(``/participant/...`` gets the CreateParticipantConnection body, anything else the
DynamoDB Query body), so that its own cost per request is a few microseconds and the
same for every client measured. One thread per connection, blocking sockets,
``TCP_NODELAY``. Prints ``PORT <n>`` once listening; exits when stdin closes.

Not a general HTTP server: no chunked request bodies, no ``Expect: 100-continue``.
"""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def _response(body: bytes, headers: dict[str, str]) -> bytes:
    lines = ["HTTP/1.1 200 OK"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append("Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


CPC = _response(C.CPC_BODY, C.CPC_HEADERS)
DDB = _response(C.DDB_BODY, C.DDB_HEADERS)


def _content_length(head: bytes) -> int:
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    if at < 0:
        return 0
    end = lower.find(b"\r\n", at + 2)
    return int(lower[at + 17 : end if end >= 0 else len(lower)].strip())


def serve(conn: socket.socket) -> None:
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    recv = conn.recv
    buf = b""
    try:
        while True:
            idx = buf.find(b"\r\n\r\n")
            while idx < 0:
                data = recv(262144)
                if not data:
                    return
                buf += data
                idx = buf.find(b"\r\n\r\n")
            head = buf[:idx]
            end = idx + 4 + _content_length(head)
            while len(buf) < end:
                data = recv(262144)
                if not data:
                    return
                buf += data
            conn.sendall(CPC if head.startswith(b"POST /participant") else DDB)
            buf = buf[end:]
    except OSError:
        return
    finally:
        conn.close()


def main() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)

    def accept_loop() -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or dies)


if __name__ == "__main__":
    main()
