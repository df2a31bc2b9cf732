"""HTTP transport on urllib3: pooled connections, connect and read timeouts.

urllib3 is used below its PoolManager: one ``HTTPConnectionPool`` per endpoint is
looked up once and then called directly, which saves the PoolManager's per-request
URL parsing and pool lookup. urllib3 itself is imported when the first transport is
made, not when a generated package is imported: importing it costs about 30 ms.
"""

from __future__ import annotations

from typing import Any, Protocol

from .errors import ConnectTimeoutError, ReadTimeoutError, TransportError


class HttpRequest:
    """What goes on the wire: method, full URL, headers and body."""

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, method: str, url: str, headers: dict[str, str], body: Any = b"") -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body

    def __repr__(self) -> str:  # headers are left out: they carry signatures and tokens
        return f"HttpRequest({self.method} {self.url.split('?')[0]})"


class HttpResponse:
    """What came back. ``headers`` is a case-insensitive mapping; ``raw`` the unread stream
    of a streaming output (``body`` is then empty)."""

    __slots__ = ("status", "headers", "body", "raw")

    def __init__(self, status: int, headers: Any, body: bytes = b"", raw: Any = None) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw

    def __repr__(self) -> str:
        return f"HttpResponse({self.status}, {len(self.body)} bytes)"


class Transport(Protocol):
    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse: ...


class Urllib3Transport:
    """The default transport: urllib3 connection pools, kept per scheme/host/port."""

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        verify: bool | str = True,
    ) -> None:
        import urllib3
        from urllib3 import exceptions as u3e

        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        kw: dict[str, Any] = {}
        if verify is False:
            kw["cert_reqs"] = "CERT_NONE"
        elif isinstance(verify, str):
            kw["ca_certs"] = verify
        self._manager = urllib3.PoolManager(maxsize=max_pool_connections, block=False, **kw)
        self._pools: dict[str, tuple[Any, int]] = {}
        self._connect_timeout = u3e.ConnectTimeoutError
        self._read_timeout = u3e.ReadTimeoutError
        self._failures = (u3e.NewConnectionError, u3e.ProtocolError, u3e.HTTPError, OSError)

    def _pool(self, url: str) -> tuple[Any, int]:
        # Key on scheme://netloc: the part of the URL before the path.
        cut = url.find("/", url.find("//") + 2)
        origin = url if cut < 0 else url[:cut]
        entry = self._pools.get(origin)
        if entry is None:
            from urllib.parse import urlsplit

            parts = urlsplit(origin)
            pool = self._manager.connection_from_host(
                parts.hostname or "", parts.port, scheme=parts.scheme or "https"
            )
            entry = (pool, len(origin))
            self._pools[origin] = entry
        return entry

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        pool, cut = self._pool(request.url)
        try:
            resp = pool.urlopen(
                request.method,
                request.url[cut:] or "/",
                body=request.body if request.body != b"" else None,
                headers=request.headers,
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=self._timeout,
                preload_content=not stream,
                decode_content=True,
            )
        except self._connect_timeout as exc:
            raise ConnectTimeoutError(f"connect timeout to {request.url.split('?')[0]}: {exc}") from exc
        except self._read_timeout as exc:
            raise ReadTimeoutError(f"read timeout from {request.url.split('?')[0]}: {exc}") from exc
        except self._failures as exc:
            raise TransportError(f"{request.method} {request.url.split('?')[0]} failed: {exc}") from exc
        if stream:
            return HttpResponse(resp.status, resp.headers, b"", resp)
        return HttpResponse(resp.status, resp.headers, resp.data)

    def close(self) -> None:
        self._manager.clear()
        self._pools.clear()
