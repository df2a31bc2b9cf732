"""Temporary credentials that renew themselves before they expire, as botocore's do.

- Outside the last 15 minutes before expiry (the *advisory* window) nothing happens.
- In the advisory window one caller refreshes; the others go on with the current keys
  (they do not wait), and a failed refresh is logged and the current keys kept.
- In the last 10 minutes (the *mandatory* window), and before the first keys were
  fetched, every caller waits for one refresh, and its failure is raised.
- Sources that promise static stability (the instance metadata service) keep working
  when a mandatory refresh fails: the current keys' expiry is pushed 5 to 10 minutes
  out and a warning logged, so a program survives a metadata outage (the AWS SDKs'
  rule; the service, not the client, decides whether the keys still work).

One refresh at a time per source, from threads (a lock) and from asyncio tasks (which
run the blocking fetch in the default executor; the same lock makes it one fetch).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Callable, Optional

from .errors import CredentialRetrievalError
from .sigv4 import Credentials

__all__ = ["ADVISORY_WINDOW", "MANDATORY_WINDOW", "RefreshableCredentials"]

ADVISORY_WINDOW = 15 * 60.0
MANDATORY_WINDOW = 10 * 60.0

_log = logging.getLogger("awsgen_runtime.credentials")

#: What a source's fetch returns: the keys and their expiry (seconds since the epoch),
#: or None for keys that do not expire.
Fetched = tuple[Credentials, Optional[float]]


class RefreshableCredentials:
    """A credential source with an expiry. :meth:`frozen` gives the keys to sign one
    request with, refreshing first when needed. ``method`` names the source in errors
    and logs; ``clock`` (seconds since the epoch) is replaceable for tests."""

    __slots__ = ("method", "_fetch", "_clock", "_current", "_expiry", "_lock", "_static_stability",
                 "advisory", "mandatory")

    def __init__(
        self,
        fetch: Callable[[], Fetched],
        method: str,
        *,
        current: Fetched | None = None,
        clock: Callable[[], float] = time.time,
        static_stability: bool = False,
        advisory: float = ADVISORY_WINDOW,
        mandatory: float = MANDATORY_WINDOW,
    ) -> None:
        self.method = method
        self._fetch = fetch
        self._clock = clock
        self._current: Credentials | None = None
        self._expiry: float | None = None
        if current is not None:
            self._current, self._expiry = current
        self._lock = threading.Lock()
        self._static_stability = static_stability
        self.advisory = advisory
        self.mandatory = mandatory

    def __repr__(self) -> str:
        return f"RefreshableCredentials(method={self.method!r}, expiry={self._expiry!r})"

    @property
    def expiry(self) -> float | None:
        return self._expiry

    def _remaining(self) -> float:
        return float("inf") if self._expiry is None else self._expiry - self._clock()

    def needs_refresh(self) -> bool:
        """True when a call would refresh (no keys yet, or inside the advisory window)."""
        return self._current is None or self._remaining() < self.advisory

    def frozen(self) -> Credentials:
        """The keys to sign with now; refreshes first when a window says so."""
        current = self._current
        if current is not None and self._remaining() >= self.advisory:
            return current
        if self._lock.acquire(blocking=False):
            try:
                self._refresh_locked()
            finally:
                self._lock.release()
        elif self._current is None or self._remaining() < self.mandatory:
            with self._lock:  # someone else is refreshing and we cannot go on without it
                if self._current is None or self._remaining() < self.mandatory:
                    self._refresh_locked()
        assert self._current is not None  # _refresh_locked raises when it has nothing
        return self._current

    async def afrozen(self) -> Credentials:
        """:meth:`frozen` for asyncio code: a refresh runs its blocking fetch in the default
        executor, so the event loop goes on serving other tasks meanwhile."""
        if not self.needs_refresh():
            return self._current  # type: ignore[return-value]
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, self.frozen)

    def _refresh_locked(self) -> None:
        if self._current is not None and self._remaining() >= self.advisory:
            return  # refreshed by another caller while we waited
        mandatory = self._current is None or self._remaining() < self.mandatory
        try:
            keys, expiry = self._fetch()
        except Exception as exc:  # noqa: BLE001 -- every failure is handled below
            if self._current is None:
                raise
            if not mandatory:
                _log.warning("refreshing credentials from %s failed (advisory window; the current keys "
                             "are kept): %s", self.method, exc)
                return
            if not self._static_stability:
                raise
            extension = random.uniform(300, 600)
            self._expiry = self._clock() + extension
            _log.warning("refreshing credentials from %s failed; the current keys are used for %.0f more "
                         "minutes and a refresh tried again then: %s", self.method, extension / 60, exc)
            return
        if expiry is not None and expiry <= self._clock():
            raise CredentialRetrievalError(self.method, "the refreshed credentials have already expired")
        self._current, self._expiry = keys, expiry
