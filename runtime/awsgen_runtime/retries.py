"""Standard-mode retries, as the AWS SDKs define them.

- Up to ``max_attempts`` attempts in all (3 by default).
- Retried: throttling error codes, transient error codes, HTTP 500/502/503/504, and
  connection failures and timeouts.
- Delay before retry ``i`` (from 0): ``random() * min(max_backoff, base * 2**i)``
  ("full jitter").
- A retry quota shared by all calls of one client: each retry takes 5 tokens (10 after
  a timeout or connection error); a call that succeeds after retrying gives its tokens
  back, one that succeeds at once adds 1; with too few tokens left, errors are raised
  without retrying, so a struggling service is not hammered.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
})
TRANSIENT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"})
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})


@dataclass
class RetryConfig:
    """Settings of standard-mode retries; ``max_attempts=1`` turns retrying off."""

    max_attempts: int = 3
    base_delay: float = 1.0
    max_backoff: float = 20.0
    quota: int = 500
    retry_cost: int = 5
    timeout_retry_cost: int = 10
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)


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


def backoff(config: RetryConfig, retry_index: int) -> float:
    return float(config.random() * min(config.max_backoff, config.base_delay * (2**retry_index)))
