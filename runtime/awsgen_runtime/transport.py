"""HTTP transport on urllib3: pooled connections, connect and read timeouts.

urllib3 is used below its PoolManager: one ``HTTPConnectionPool`` per endpoint is
looked up once and then called directly, which saves the PoolManager's per-request
URL parsing and pool lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import ConnectTimeoutError as _U3ConnectTimeout
from urllib3.exceptions import HTTPError as _U3HTTPError
from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError as _U3ReadTimeout

from .errors import ConnectTimeoutError, ReadTimeoutError, TransportError


@dataclass
class HttpRequest:
    method: str
    url: str  # scheme://host[:port]/path?query
    headers: dict[str, str]
    body: Any = b""


@dataclass
class HttpResponse:
    status: int
    headers: Any  # a case-insensitive mapping of str -> str
    body: bytes = b""
    raw: Any = field(default=None, repr=False)  # the unread stream, for streaming outputs


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
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        kw: dict[str, Any] = {}
        if verify is False:
            kw["cert_reqs"] = "CERT_NONE"
        elif isinstance(verify, str):
            kw["ca_certs"] = verify
        self._manager = urllib3.PoolManager(maxsize=max_pool_connections, block=False, **kw)
        self._pools: dict[str, tuple[Any, int]] = {}

    def _pool(self, url: str) -> tuple[Any, int]:
        # Key on scheme://netloc: the part of the URL before the path.
        cut = url.find("/", url.find("//") + 2)
        origin = url if cut < 0 else url[:cut]
        entry = self._pools.get(origin)
        if entry is None:
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
        except _U3ConnectTimeout as exc:
            raise ConnectTimeoutError(f"connect timeout to {request.url.split('?')[0]}: {exc}") from exc
        except _U3ReadTimeout as exc:
            raise ReadTimeoutError(f"read timeout from {request.url.split('?')[0]}: {exc}") from exc
        except (NewConnectionError, ProtocolError, _U3HTTPError, OSError) as exc:
            raise TransportError(f"{request.method} {request.url.split('?')[0]} failed: {exc}") from exc
        if stream:
            return HttpResponse(resp.status, resp.headers, b"", resp)
        return HttpResponse(resp.status, resp.headers, resp.data)

    def close(self) -> None:
        self._manager.clear()
        self._pools.clear()
