"""Standard-mode retries, as the AWS SDKs define them (and botocore's legacy mode:
:class:`LegacyPolicy`).

- Up to ``max_attempts`` attempts in all (3 by default).
- Retried: throttling error codes, transient error codes, HTTP 500/502/503/504, and
  the transport failures whose class says so (``TransportError.retryable``: all of them,
  as botocore 1.43.67; see :func:`transport_retry_cost`).
- Delay before retry ``i`` (from 0): ``random() * min(max_backoff, base * 2**i)``
  ("full jitter").
- A retry quota shared by all calls of one client: each retry takes 5 tokens (10 after
  a connect or read timeout); a call that succeeds after retrying gives its tokens
  back, one that succeeds at once adds 1; with too few tokens left, errors are raised
  without retrying, so a struggling service is not hammered.
"""

from __future__ import annotations

import random as _random
import threading
import time
from typing import Callable

from .errors import TransportError

THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
})
TRANSIENT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"})
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})


class LegacyPolicy:
    """botocore's legacy retry mode for one service, from its ``_retry.json`` (compiled by
    the generator into the client's ``_LEGACY_RETRY``): retry an answer whose status is
    in ``statuses``, or whose (status, error code) is in ``pairs``, or (DynamoDB) whose
    body's CRC32 differs from the ``crc32`` header; every transport failure; no retry
    quota. The delay before retry ``n`` (from 1): ``base * growth ** (n - 1)``, ``base``
    a random number in [0, 1) when None (botocore's ``"rand"``), without a cap."""

    __slots__ = ("max_attempts", "base", "growth", "statuses", "pairs", "crc32")

    def __init__(self, max_attempts: int, base: float | None, growth: float, statuses: tuple[int, ...],
                 pairs: tuple[tuple[int, str], ...], crc32: str | None) -> None:
        self.max_attempts = max_attempts
        self.base = base
        self.growth = growth
        self.statuses = frozenset(statuses)
        self.pairs = frozenset(pairs)
        self.crc32 = crc32

    def retryable(self, status: int, code: str | None) -> bool:
        return status in self.statuses or (status, code) in self.pairs

    def delay(self, config: RetryConfig, attempts: int) -> float:
        """Seconds to wait after ``attempts`` attempts failed."""
        base = config.random() if self.base is None else self.base
        return float(base * self.growth ** (attempts - 1))


class RetryConfig:
    """Settings of standard-mode retries; ``max_attempts=1`` turns retrying off.
    ``legacy``: botocore's legacy mode instead (see :class:`LegacyPolicy`).

    ``sleep`` and ``random`` can be replaced (tests make backoff instant and fixed).
    """

    __slots__ = ("max_attempts", "base_delay", "max_backoff", "quota", "retry_cost",
                 "timeout_retry_cost", "sleep", "random", "legacy")

    def __init__(
        self,
        *,
        max_attempts: int = 3,
        base_delay: float = 1.0,
        max_backoff: float = 20.0,
        quota: int = 500,
        retry_cost: int = 5,
        timeout_retry_cost: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        legacy: LegacyPolicy | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_backoff = max_backoff
        self.quota = quota
        self.retry_cost = retry_cost
        self.timeout_retry_cost = timeout_retry_cost
        self.sleep = sleep
        self.random = random
        self.legacy = legacy

    def __repr__(self) -> str:
        return (f"RetryConfig(max_attempts={self.max_attempts}, base_delay={self.base_delay}, "
                f"max_backoff={self.max_backoff}, quota={self.quota})")


class RetryQuota:
    """The token bucket that bounds retries across all calls of one client."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.available = capacity
        self._lock = threading.Lock()

    def acquire(self, cost: int) -> bool:
        with self._lock:
            if cost > self.available:
                return False
            self.available -= cost
            return True

    def release(self, amount: int) -> None:
        with self._lock:
            self.available = min(self.capacity, self.available + amount)


def is_retryable(status: int | None, code: str | None) -> bool:
    """Whether an error response (or a connection failure: status None) may be retried."""
    if status is None:
        return True
    if code and (code in THROTTLING_CODES or code in TRANSIENT_CODES):
        return True
    return status in TRANSIENT_STATUS or status == 429


def transport_retry_cost(error: TransportError, config: RetryConfig) -> int | None:
    """What a retry after the transport failure ``error`` takes from the retry quota, or
    None when it is not retried: the decision is the error class's (``retryable`` and
    ``timeout``, documented per class in :mod:`awsgen_runtime.errors`)."""
    if not error.retryable:
        return None
    return config.timeout_retry_cost if error.timeout else config.retry_cost


def backoff(config: RetryConfig, retry_index: int) -> float:
    return float(config.random() * min(config.max_backoff, config.base_delay * (2**retry_index)))
