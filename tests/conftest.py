"""Shared fixtures: import paths and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

import os  # noqa: E402

# No test may reach for the EC2 instance metadata service at 169.254.169.254 (the last
# source of the credential chain): tests of that source run their own server and say so.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "runtime", REPO, *sorted((REPO / "generated").glob("aws-*"))):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

# CI machines are shared and cold: a slow draw or example is not a failure of the code
# under test (every property still runs its examples; none is skipped).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("awsgen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("awsgen")


@dataclass
class Recorded:
    method: str
    path: str  # path and query, as sent
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    raw: bytes | None = None  # send these bytes as the whole response instead


class LocalServer:
    """A threaded HTTP/1.1 server that records requests and answers from a queue."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: list[Reply] = []
        self.default = Reply(200, {"Content-Type": "application/json"}, b"{}")
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    Recorded(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
                )
                reply = server.replies.pop(0) if server.replies else server.default
                if reply.raw is not None:
                    self.wfile.write(reply.raw)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def reply(self, status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body if body is not None else {}).encode()
        self.replies.append(Reply(status, {"Content-Type": "application/json", **(headers or {})}, raw))

    def reply_raw(self, raw: bytes) -> None:
        """Answer the next request with these exact bytes, then close the connection."""
        self.replies.append(Reply(raw=raw))

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def slow_server_url() -> Iterator[str]:
    """A server that waits a second before answering any POST: for read timeouts."""
    import time

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            time.sleep(1.0)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
