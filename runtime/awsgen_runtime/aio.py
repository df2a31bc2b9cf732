"""The asyncio client: the shared no-I/O steps of :class:`~awsgen_runtime.client.ClientCore`
driven with awaited HTTP on aiohttp.

A generated package's ``AsyncClient`` subclasses :class:`AsyncBaseClient`; its methods
are the blocking client's, generated from the same templates, as coroutines. Endpoint
resolution, signing, checksums, retries, redirects and error mapping are the blocking
client's own code (``ClientCore._exchange``): :meth:`AsyncBaseClient._send` only sends
what it yields and sleeps the delays it asks for.

aiohttp was chosen by measurement over httpx (``benchmarks/async_bench.py``: figures in
the README). It is imported when the first ``AsyncClient`` sends, not when a package is
imported; install it with ``pip install 'awsgen-runtime[async]'``.

One client belongs to one event loop (its connection pool is the loop's); close it
with ``await client.close()`` or ``async with``. A call cancelled while its answer is
being read closes that connection instead of returning it to the pool half-read.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

from .client import ClientCore
from .sigv4 import Credentials
from .errors import (
    ConnectionClosedError,
    MissingDependencyError,
    TLSError,
    TransportError,
)
from .transport import (
    HttpRequest, HttpResponse, proxy_error, proxy_for, stdlib_error, timeout_error, transport_error,
)
from .wire import Request

__all__ = ["AioHttpTransport", "AsyncBaseClient", "AsyncTransport"]

_BLOCK = 1 << 17


class AsyncTransport(Protocol):
    async def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse: ...

    async def close(self) -> None: ...


def _aiohttp() -> Any:
    try:
        import aiohttp
    except ImportError:
        raise MissingDependencyError(
            "the AsyncClient needs aiohttp: pip install 'awsgen-runtime[async]' (or aiohttp)") from None
    return aiohttp


class AioHttpTransport:
    """HTTP on an ``aiohttp.ClientSession``: pooled keep-alive connections (at most
    ``max_pool_connections`` per host), connect and read timeouts. The session is made at
    the first request, inside the running loop."""

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        verify: bool | str | None = True,
        proxies: dict[str, str] | None = None,
    ) -> None:
        self._aiohttp = _aiohttp()
        self._proxies = proxies
        self._proxy_of: dict[str, str | None] = {}  # origin -> proxy (see transport.proxy_for)
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._max = max_pool_connections
        self._verify = verify
        self._session: Any = None

    def _open(self) -> Any:
        aiohttp = self._aiohttp
        ssl: Any = True
        if self._verify is False:
            ssl = False
        elif isinstance(self._verify, str):
            import ssl as _ssl

            ssl = _ssl.create_default_context(cafile=self._verify)
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=self._max, ssl=ssl, ttl_dns_cache=300)
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=self._connect_timeout, sock_read=self._read_timeout)
        # No headers of aiohttp's own (Accept, a User-Agent, a content type); the blocking
        # transport's ``Accept-Encoding: identity``: the same request on the wire.
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=True, headers={"Accept-Encoding": "identity"},
            skip_auto_headers=("Accept", "User-Agent", "Content-Type"),
        )
        return self._session

    async def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        session = self._session or self._open()
        aiohttp = self._aiohttp
        headers = request.headers
        body = request.body
        chunked = None
        if not isinstance(body, (bytes, bytearray)):
            if headers.get("Transfer-Encoding") == "chunked":  # aws-chunked: aiohttp frames the chunks
                headers = {k: v for k, v in headers.items() if k != "Transfer-Encoding"}
                chunked = True
            body = _blocks(body)
        elif not body:
            body = None
        url = request.url
        cut = url.find("/", url.find("//") + 2)
        origin = url if cut < 0 else url[:cut]
        if origin in self._proxy_of:
            proxy = self._proxy_of[origin]
        else:
            from urllib.parse import urlsplit

            parts = urlsplit(origin)
            proxy = self._proxy_of[origin] = proxy_for(parts.scheme, parts.hostname or "", self._proxies)
        try:
            resp = await session.request(request.method, url, data=body, headers=headers, chunked=chunked,
                                         allow_redirects=False, compress=None, proxy=proxy)
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            raise self._error(exc, request.url) from exc
        if stream:
            return HttpResponse(resp.status, resp.headers, b"", _AioStream(resp, self, request.url))
        return HttpResponse(resp.status, resp.headers, await _read(resp, self, request.url))

    def _error(self, exc: BaseException, url: str) -> TransportError:
        """The runtime's error for aiohttp's ``exc``; the same class as the blocking
        transports' for the same failure."""
        aiohttp = self._aiohttp
        cls: type[TransportError]
        if isinstance(exc, aiohttp.ClientProxyConnectionError):
            return proxy_error(url, exc, self._proxies)
        elif isinstance(exc, (aiohttp.ClientSSLError, aiohttp.ServerFingerprintMismatch)):
            cls = TLSError
        elif isinstance(exc, aiohttp.ServerTimeoutError):  # its ConnectionTimeoutError: while connecting
            return timeout_error(url, exc, (self._connect_timeout, self._read_timeout),
                                 connecting=isinstance(exc, aiohttp.ConnectionTimeoutError))
        elif isinstance(exc, aiohttp.ClientConnectorError):  # DNS (ClientConnectorDNSError) is told by its cause
            return stdlib_error(exc.os_error, url, (self._connect_timeout, self._read_timeout), connecting=True)
        elif isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
            cls = ConnectionClosedError
        elif isinstance(exc, OSError):
            return stdlib_error(exc, url, (self._connect_timeout, self._read_timeout), connecting=False)
        else:
            cls = TransportError
        return transport_error(cls, url, exc)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()


async def _read(resp: Any, transport: AioHttpTransport, url: str, amt: int | None = None) -> bytes:
    """The answer's body (``amt`` bytes at most, or all of it). Cancelled or failed half-read,
    the connection is closed, not pooled; a timeout or a lost connection is the runtime's
    typed error."""
    try:
        data: bytes = await (resp.read() if amt is None or amt < 0 else resp.content.read(amt))
    except BaseException as exc:
        resp.close()
        if isinstance(exc, (transport._aiohttp.ClientError, OSError, ValueError)):
            raise transport._error(exc, url) from exc
        raise
    return data


async def _blocks(body: Any) -> Any:
    """A file-like or iterable body as the chunks aiohttp sends."""
    if hasattr(body, "read"):
        while True:
            block = body.read(_BLOCK)
            if not block:
                return
            yield block.encode("utf-8") if isinstance(block, str) else block
    else:
        for block in body:
            yield block


class _AioStream:
    """A streaming answer's body for :class:`~awsgen_runtime.wire.StreamingBody`'s async
    methods; the connection returns to the pool once the body is read to its end, and
    is closed when the body is closed before that."""

    def __init__(self, resp: Any, transport: AioHttpTransport, url: str) -> None:
        self._resp = resp
        self._transport = transport
        self._url = url
        self._done = False

    async def aread(self, amt: int | None = None) -> bytes:
        if self._done:  # read to its end and released: aiohttp's stream would raise
            return b""
        resp = self._resp
        data = await _read(resp, self._transport, self._url, amt)
        if amt is None or not data or resp.content.at_eof():
            self._done = True
            resp.release()
        return data

    def release_conn(self) -> None:
        resp = self._resp
        self._done = True
        if resp.content.at_eof():
            resp.release()
        else:
            resp.close()

    async def aclose(self) -> None:
        self.release_conn()


class AsyncBaseClient(ClientCore):
    """The asyncio client: drives :meth:`ClientCore._exchange` on an :class:`AsyncTransport`."""

    _ASYNC = True

    @property
    def _transport(self) -> AsyncTransport:
        return self._transport_given or self._make_transport(AioHttpTransport)  # type: ignore[no-any-return]

    async def close(self) -> None:
        """Release pooled connections."""
        transport = self._transport_given
        if transport is not None:
            await transport.close()

    async def __aenter__(self) -> AsyncBaseClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _send(self, req: Request, op: Any, ctx: dict[str, Any] | None = None) -> HttpResponse:
        """The asyncio driver of :meth:`ClientCore._exchange` (see :meth:`BaseClient._send`)."""
        if op.signed and self._signer is not None:
            found = self._resolved
            if found is None or (found.__class__ is not Credentials and found.needs_refresh()):  # type: ignore[union-attr]
                # Resolving or renewing may call IMDS, STS, SSO: off the event loop.
                await asyncio.get_running_loop().run_in_executor(None, _credentials_of, self)
        plan = self._exchange(req, op, ctx)
        send = self._transport.send
        stream = op.streaming_output
        try:
            step = plan.send(None)
            while True:
                if step.__class__ is float:
                    await _sleep(self._retry.sleep, step)
                    step = plan.send(None)
                    continue
                try:
                    resp = await send(step, stream=stream)  # type: ignore[arg-type]
                except TransportError as exc:
                    step = plan.throw(exc)
                    continue
                if resp.raw is not None and resp.status >= 300:  # an error is read whole
                    resp = HttpResponse(resp.status, resp.headers, await resp.raw.aread(), None)
                step = plan.send(resp)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def _credentials_of(client: ClientCore) -> Any:
    return client._credentials


async def _sleep(sleep: Any, seconds: float) -> None:
    """The retry configuration's sleep: asyncio's in place of the default ``time.sleep``,
    a replacement (tests make backoff instant) called, and awaited if it is a coroutine."""
    if sleep is time.sleep:
        import asyncio

        await asyncio.sleep(seconds)
        return
    result = sleep(seconds)
    if hasattr(result, "__await__"):
        await result
