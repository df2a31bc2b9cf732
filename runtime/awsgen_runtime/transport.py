"""HTTP transport on urllib3: pooled connections, connect and read timeouts.

urllib3 is used below its PoolManager: one ``HTTPConnectionPool`` per endpoint is
looked up once and then called directly, which saves the PoolManager's per-request
URL parsing and pool lookup. urllib3 itself is imported when the first transport is
made, not when a generated package is imported: importing it costs about 30 ms.

Every transport turns its library's failures into the runtime's classes
(:mod:`awsgen_runtime.errors`: name resolution, refused connection, TLS, proxy, connect
and read timeouts, a connection closed before the whole answer): the same failure is the
same class on every transport, and no library exception escapes a send or a read.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from .errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NameResolutionError,
    ProxyConnectionError,
    ReadTimeoutError,
    TLSError,
    TransportError,
)

# How long a request that asked "Expect: 100-continue" waits for the server's word before
# it sends its body anyway (RFC 9110 allows it; botocore waits as long).
CONTINUE_WAIT = 1.0


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

    __slots__ = ("status", "headers", "body", "raw", "attempts")

    def __init__(self, status: int, headers: Any, body: bytes = b"", raw: Any = None) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw
        self.attempts = 1  # set by the client on a call's final answer (boto3's RetryAttempts + 1)

    def __repr__(self) -> str:
        return f"HttpResponse({self.status}, {len(self.body)} bytes)"


class Transport(Protocol):
    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse: ...


def proxy_for(scheme: str, host: str, proxies: dict[str, str] | None) -> str | None:
    """The proxy URL for a request to ``host``: ``proxies[scheme]`` when proxies were given
    in code; else ``HTTPS_PROXY``/``HTTP_PROXY`` unless ``NO_PROXY`` covers the host."""
    if proxies is not None:
        return proxies.get(scheme)
    import urllib.request

    found = urllib.request.getproxies_environment().get(scheme)
    if found and urllib.request.proxy_bypass_environment(host):  # type: ignore[attr-defined]
        return None
    return found


class Urllib3Transport:
    """The default transport: urllib3 connection pools, kept per scheme/host/port."""

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        verify: bool | str | None = True,
        proxies: dict[str, str] | None = None,
    ) -> None:
        import urllib3
        from urllib3 import exceptions as u3e

        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        kw: dict[str, Any] = {}
        if verify is False:
            kw["cert_reqs"] = "CERT_NONE"
        elif isinstance(verify, str):
            kw["ca_certs"] = verify
        # 128 KiB sends of a streamed body instead of http.client's 16 KiB: fewer Python-level
        # reads and socket calls per part of a large upload, little memory per part in flight.
        self._pool_kw = dict(maxsize=max_pool_connections, block=False, blocksize=1 << 17, **kw)
        self._manager = urllib3.PoolManager(**self._pool_kw)
        # Proxies given in code, else the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY
        # per host (as botocore); one ProxyManager per proxy.
        self._proxies = proxies
        self._proxy_managers: dict[str, Any] = {}
        self._pools: dict[str, tuple[Any, int]] = {}
        self._timeouts = (connect_timeout, read_timeout)
        self._u3e = u3e
        self._failures = (u3e.HTTPError, OSError, ValueError)

    def _pool(self, url: str) -> tuple[Any, int]:
        # Key on scheme://netloc: the part of the URL before the path.
        cut = url.find("/", url.find("//") + 2)
        origin = url if cut < 0 else url[:cut]
        entry = self._pools.get(origin)
        if entry is None:
            from urllib.parse import urlsplit

            parts = urlsplit(origin)
            scheme = parts.scheme or "https"
            proxy = proxy_for(scheme, parts.hostname or "", self._proxies)
            manager: Any = self._manager
            if proxy is not None:
                manager = self._proxy_managers.get(proxy)
                if manager is None:
                    import urllib3

                    manager = self._proxy_managers[proxy] = urllib3.ProxyManager(proxy, **self._pool_kw)
            pool = manager.connection_from_host(parts.hostname or "", parts.port, scheme=scheme)
            pool.ConnectionCls = _continuing(pool.ConnectionCls)
            # Plain HTTP through a proxy names the whole URL; HTTPS tunnels (CONNECT) and
            # then sends the path, as without a proxy.
            entry = (pool, 0 if proxy is not None and scheme == "http" else len(origin))
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
        except self._failures as exc:
            raise self._error(exc, request.url) from exc
        if stream:
            return HttpResponse(resp.status, resp.headers, b"", _Urllib3Body(resp, self, request.url))
        return HttpResponse(resp.status, resp.headers, resp.data)

    def _error(self, exc: BaseException, url: str) -> TransportError:
        """The runtime's error for urllib3's ``exc`` (urllib3 2's connect failures are all
        subclasses of its ConnectTimeoutError: the more specific are looked at first)."""
        u3e = self._u3e
        cls: type[TransportError]
        if isinstance(exc, u3e.ProxyError):
            return proxy_error(url, exc, self._proxies)
        elif isinstance(exc, u3e.SSLError):
            cls = TLSError
        elif isinstance(exc, u3e.NameResolutionError):
            cls = NameResolutionError
        elif isinstance(exc, u3e.NewConnectionError):
            cls = EndpointConnectionError
        elif isinstance(exc, (u3e.ConnectTimeoutError, u3e.ReadTimeoutError)):
            return timeout_error(url, exc, self._timeouts, connecting=isinstance(exc, u3e.ConnectTimeoutError))
        elif isinstance(exc, u3e.ProtocolError):
            cls = ConnectionClosedError
        elif isinstance(exc, OSError):
            return stdlib_error(exc, url, self._timeouts, connecting=False)
        else:
            cls = TransportError
        return transport_error(cls, url, exc)

    def close(self) -> None:
        self._manager.clear()
        for manager in self._proxy_managers.values():
            manager.clear()
        self._pools.clear()


class HttpClientTransport:
    """A lean transport on the standard library's ``http.client``, for the lowest overhead.

    It keeps up to ``max_pool_connections`` idle keep-alive connections per origin and
    sends a request on one of them; a connection the server closed while idle is
    detected on reuse and the request is sent once more on a fresh connection (nothing
    was received, so nothing was processed). It has no proxy support and no HTTP/2:
    urllib3 (the default) remains the transport of record.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        verify: bool | str = True,
    ) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._max = max_pool_connections
        self._verify = verify
        self._idle: dict[str, list[Any]] = {}
        self._ssl: Any = None

    def _connect(self, origin: str) -> Any:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(origin)
        host, port = parts.hostname or "", parts.port
        if parts.scheme == "https":
            if self._ssl is None:
                import ssl

                ctx = ssl.create_default_context(cafile=self._verify if isinstance(self._verify, str) else None)
                if self._verify is False:
                    ctx.check_hostname = False
                    ctx.verify_mode = ssl.CERT_NONE
                self._ssl = ctx
            conn: Any = _continuing(http.client.HTTPSConnection)(
                host, port, timeout=self._connect_timeout, context=self._ssl
            )
        else:
            conn = _continuing(http.client.HTTPConnection)(host, port, timeout=self._connect_timeout)
        try:
            conn.connect()
        except (OSError, ValueError) as exc:
            raise stdlib_error(exc, origin, (self._connect_timeout, self._read_timeout), connecting=True) from exc
        conn.sock.settimeout(self._read_timeout)
        return conn

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        import http.client

        url = request.url
        cut = url.find("/", url.find("//") + 2)
        origin, target = (url, "/") if cut < 0 else (url[:cut], url[cut:])
        idle = self._idle.setdefault(origin, [])
        body: Any = request.body if request.body != b"" else None
        start = body.tell() if hasattr(body, "seek") and hasattr(body, "tell") else None
        for reused in (True, False):
            conn = idle.pop() if reused and idle else None
            if conn is None:
                reused = False
                conn = self._connect(origin)
            try:
                # A Transfer-Encoding header (an aws-chunked upload) asks http.client to frame
                # the body in chunks itself, as urllib3 does when it sees the header.
                chunked = request.headers.get("Transfer-Encoding") == "chunked"
                conn.request(request.method, target, body=body, headers=request.headers, encode_chunked=chunked)
                resp = conn.getresponse()
                if stream:
                    return HttpResponse(resp.status, resp.headers, b"", _Releasing(resp, conn, idle, self, url))
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close()
                if reused and (start is not None or not hasattr(body, "seek")):
                    if start is not None:
                        body.seek(start)  # a stream: from its start again
                    continue  # the server closed an idle connection: send on a fresh one
                raise self._error(exc, url) from exc
            except (http.client.HTTPException, OSError, ValueError) as exc:
                conn.close()
                raise self._error(exc, url) from exc
            if resp.will_close:
                conn.close()
            elif len(idle) < self._max:
                idle.append(conn)
            else:
                conn.close()
            return HttpResponse(resp.status, resp.headers, data)
        raise transport_error(TransportError, url, None)  # not reached

    def _error(self, exc: BaseException, url: str) -> TransportError:
        return stdlib_error(exc, url, (self._connect_timeout, self._read_timeout), connecting=False)

    def close(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()


class _Releasing:
    """A streaming body that returns its connection to the pool once fully read; a failed
    read raises the runtime's error."""

    def __init__(self, resp: Any, conn: Any, idle: list[Any], transport: HttpClientTransport, url: str) -> None:
        self._resp, self._conn, self._idle, self._transport, self._url = resp, conn, idle, transport, url

    def read(self, amt: int | None = None) -> bytes:
        return self._read(self._resp.read, amt)

    def read1(self, amt: int = -1) -> bytes:
        return self._read(self._resp.read1, amt)

    def _read(self, read: Any, amt: int | None) -> bytes:
        import http.client

        try:
            data: bytes = read(amt)
        except (http.client.HTTPException, OSError, ValueError) as exc:
            self.close()
            raise self._transport._error(exc, self._url) from exc
        if not data or self._resp.isclosed():
            self.release_conn()
        return data

    @property
    def connection(self) -> Any:
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def release_conn(self) -> None:
        if self._conn is None:
            return
        if self._resp.isclosed() and not self._resp.will_close and len(self._idle) < self._transport._max:
            self._idle.append(self._conn)
        else:
            self._conn.close()
        self._conn = None


class _Urllib3Body:
    """A streamed urllib3 answer whose failed reads raise the runtime's errors, not urllib3's."""

    __slots__ = ("_resp", "_transport", "_url")

    def __init__(self, resp: Any, transport: Urllib3Transport, url: str) -> None:
        self._resp, self._transport, self._url = resp, transport, url

    def read(self, amt: int | None = None) -> bytes:
        try:
            return self._resp.read(amt)  # type: ignore[no-any-return]
        except self._transport._failures as exc:
            raise self._transport._error(exc, self._url) from exc

    def read1(self, amt: int | None = None) -> bytes:
        try:
            return self._resp.read1(amt)  # type: ignore[no-any-return]
        except self._transport._failures as exc:
            raise self._transport._error(exc, self._url) from exc

    @property
    def connection(self) -> Any:
        return self._resp.connection

    def release_conn(self) -> None:
        self._resp.release_conn()

    def close(self) -> None:
        self._resp.close()


def transport_error(cls: type[TransportError], url: str, exc: BaseException | None, reason: str = "") -> TransportError:
    """``cls`` for a failure of a request to ``url``, caused by the library's ``exc``: the
    host and port from the URL, the reason from the innermost cause."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        port = None
    return cls(host=parts.hostname, port=port, reason=reason or (_reason(exc) if exc is not None else ""))


def proxy_error(url: str, exc: BaseException, proxies: dict[str, str] | None) -> TransportError:
    """:class:`ProxyConnectionError` for a request to ``url``, naming the proxy it went
    through (scheme, host and port only: a proxy URL's credentials are never shown)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    proxy = proxy_for(parts.scheme, parts.hostname or "", proxies)
    err = transport_error(ProxyConnectionError, url, exc)
    if proxy:
        p = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        try:
            named = f"{p.scheme}://{p.hostname}" + (f":{p.port}" if p.port else "")
        except ValueError:  # a port that is not a number
            named = f"{p.scheme}://{p.hostname}"
        err = ProxyConnectionError(host=err.host, port=err.port, reason=_reason(exc), proxy=named)
    return err


_DEFAULT_PORTS = {"https": 443, "http": 80}


def timeout_error(url: str, exc: BaseException, timeouts: tuple[float, float], *, connecting: bool) -> TransportError:
    """A connect or read timeout, named with the timeout that ran out."""
    if connecting:
        return transport_error(ConnectTimeoutError, url, exc, f"no connection after {timeouts[0]:g} s")
    return transport_error(ReadTimeoutError, url, exc, f"no data for {timeouts[1]:g} s")


def stdlib_error(exc: BaseException, url: str, timeouts: tuple[float, float], *, connecting: bool) -> TransportError:
    """The runtime's error for a standard-library failure (socket, ssl, http.client) while
    connecting to ``url`` or, ``connecting`` False, while sending to it or reading its answer."""
    import http.client
    import socket
    import ssl

    cls: type[TransportError]
    if isinstance(exc, socket.gaierror):
        cls = NameResolutionError
    elif isinstance(exc, ssl.SSLError):
        cls = TLSError
    elif isinstance(exc, TimeoutError):
        return timeout_error(url, exc, timeouts, connecting=connecting)
    elif connecting and isinstance(exc, OSError):
        cls = EndpointConnectionError
    elif isinstance(exc, (ConnectionError, http.client.IncompleteRead, http.client.RemoteDisconnected)):
        cls = ConnectionClosedError
    else:
        cls = TransportError
    return transport_error(cls, url, exc)


def _reason(exc: BaseException) -> str:
    """A short text of what went wrong: that of the innermost cause (libraries wrap the
    socket's or ssl's error in their own, as ``__cause__`` or an argument)."""
    seen = 0
    while seen < 8:
        seen += 1
        inner = exc.__cause__ or next((a for a in exc.args if isinstance(a, BaseException)), None)
        if inner is None:
            break
        exc = inner
    verify = getattr(exc, "verify_message", None)
    if verify:  # ssl.SSLCertVerificationError
        return f"certificate verify failed: {verify}"
    partial, expected = getattr(exc, "partial", None), getattr(exc, "expected", None)
    if isinstance(partial, bytes) and isinstance(expected, int):  # http.client.IncompleteRead
        return f"received {len(partial)} of {len(partial) + expected} bytes"
    errno, strerror = getattr(exc, "errno", None), getattr(exc, "strerror", None)
    if isinstance(errno, int) and errno > 0 and not hasattr(exc, "library"):  # an OSError, not ssl's
        import os

        return os.strerror(errno)  # asyncio's text names the address again: the errno's is plainer
    text = getattr(exc, "message", None) or strerror or getattr(exc, "reason", None) or str(exc)
    if not isinstance(text, str) or not text.strip():
        return type(exc).__name__
    return text.strip().splitlines()[0].rstrip(".")[:200]


class _ContinueMixin:
    """``Expect: 100-continue`` for an ``http.client`` connection (urllib3's included).

    A request that puts the header sends its headers, then waits up to
    :data:`CONTINUE_WAIT` seconds for an answer before the body. A ``100 Continue`` (or
    silence) lets the body go; any other answer is the final one: the body is not sent
    (a refused 1 GiB upload costs one round trip, not 1 GiB), that answer is what
    ``getresponse()`` returns, and the connection is closed after it, since the server
    may still expect the body. urllib3 sends the body after ``endheaders()`` itself:
    its first ``send`` then raises ``BrokenPipeError``, which urllib3 takes as "the
    server answered early" and goes on to read the answer.
    """

    sock: Any
    _expecting = False
    _answered = False

    def putrequest(self, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        self._expecting = self._answered = False
        self.__dict__.pop("response_class", None)
        super().putrequest(method, url, *args, **kwargs)  # type: ignore[misc]

    def putheader(self, header: str | bytes, *values: Any) -> None:
        name = header.decode("latin-1") if isinstance(header, bytes) else header
        if name.lower() == "expect" and values and str(values[0]).lower() == "100-continue":
            self._expecting = True
        super().putheader(header, *values)  # type: ignore[misc]

    def endheaders(self, message_body: Any = None, *, encode_chunked: bool = False) -> None:
        if not self._expecting:
            super().endheaders(message_body, encode_chunked=encode_chunked)  # type: ignore[misc]
            return
        super().endheaders()  # type: ignore[misc]  # the headers alone
        if self._await_continue() and message_body is not None:
            self._send_body(message_body, encode_chunked)

    def send(self, data: Any) -> None:
        if self._answered:
            raise BrokenPipeError("the server answered before the body was sent")
        super().send(data)  # type: ignore[misc]

    def _await_continue(self) -> bool:
        """Whether to send the body: wait for the server's first bytes, read a ``100``
        interim answer, and keep anything else for ``getresponse()``."""
        import select

        sock = self.sock
        pending = getattr(sock, "pending", None)  # TLS: bytes already decrypted
        if not (pending is not None and pending()) and not select.select([sock], [], [], CONTINUE_WAIT)[0]:
            return True  # no word from the server: send anyway
        reader = sock.makefile("rb")
        head = reader.peek(12)[:12]
        if head[:5] != b"HTTP/" or len(head) < 12:
            answered = False  # unclear: send the body; http.client skips a late 100 itself
        elif head[9:12] == b"100":
            while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # the interim answer's status line and headers
            answered = False
        else:
            answered = True
        # The final answer is read from this reader: it may hold bytes already received.
        self.response_class = functools.partial(_read_from(), reader=reader, closing=answered)
        self._answered = answered
        return not answered

    def _send_body(self, body: Any, chunked: bool) -> None:
        if hasattr(body, "read"):
            blocks: Any = iter(lambda: body.read(1 << 17), b"")
        elif isinstance(body, (bytes, bytearray, memoryview)):
            blocks = (body,)
        else:
            blocks = iter(body)
        for block in blocks:
            if not block:
                continue
            if isinstance(block, str):
                block = block.encode("utf-8")
            self.send(b"%X\r\n%b\r\n" % (len(block), block) if chunked else block)
        if chunked:
            self.send(b"0\r\n\r\n")


@functools.lru_cache(maxsize=None)
def _read_from() -> type:
    """A response class read from a reader that already holds its first bytes;
    ``closing``: the connection is closed after it (the request's body was never sent).
    Made at the first use: importing http.client costs start-up."""
    import http.client

    class ReadFrom(http.client.HTTPResponse):
        def __init__(self, sock: Any, *args: Any, reader: Any, closing: bool, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp.close()
            self.fp = reader
            self._closing = closing

        def begin(self) -> None:
            super().begin()
            if self._closing:
                self.will_close = True

    return ReadFrom


@functools.lru_cache(maxsize=None)
def _continuing(cls: type) -> type:
    """``cls`` with :class:`_ContinueMixin` (made once per connection class)."""
    return type(cls.__name__, (_ContinueMixin, cls), {"__module__": __name__})
