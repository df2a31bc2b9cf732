"""The little HTTP the metadata sources need: one request, a timeout, no retries (the
callers retry as their protocols say), and every failure as :class:`Unreachable`."""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["Unreachable", "request"]

_pool: Any = None
_pool_lock = threading.Lock()


class Unreachable(Exception):
    """The request could not be sent or its answer not read (refused, timeout, reset)."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


def _manager() -> Any:
    global _pool
    with _pool_lock:
        if _pool is None:
            import urllib3

            _pool = urllib3.PoolManager(num_pools=4, maxsize=2)
        return _pool


def request(method: str, url: str, headers: dict[str, str], timeout: float,
            body: bytes | None = None) -> tuple[int, bytes]:
    """(status, body) of one request; :class:`Unreachable` when there is no answer."""
    import urllib3
    from urllib3 import exceptions

    try:
        resp = _manager().request(method, url, headers=headers, body=body, retries=False, redirect=False,
                                  timeout=urllib3.Timeout(connect=timeout, read=timeout))
        return int(resp.status), bytes(resp.data)
    except exceptions.LocationValueError as exc:
        raise ValueError(f"not a usable URL: {url!r}") from exc
    except exceptions.HTTPError as exc:
        # NewConnectionError derives from ConnectTimeoutError in urllib3: check it first.
        timeout = isinstance(exc, exceptions.TimeoutError) and not isinstance(exc, exceptions.NewConnectionError)
        reason = "timed out" if timeout else "could not connect or read the answer"
        raise Unreachable(f"{reason} ({type(exc).__name__})", timeout=timeout) from None
