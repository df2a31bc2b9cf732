"""Adaptive retry mode's client-side rate limit, as the AWS SDKs define it.

Until the service first throttles, nothing is limited. From then on every attempt takes
a token from a bucket filled at ``fill_rate`` tokens per second; the rate follows CUBIC
congestion control: on a throttle it drops to 70% of the rate measured at that moment,
after which it grows back along a cubic curve centred on the last rate that was
throttled, and it never exceeds twice the rate the client is measured to send.

:meth:`ClientRateLimiter.reserve` takes a token and says how long to wait for it (the
client's call plan yields that delay: sleeping is the driver's business, blocking or
asyncio); :meth:`ClientRateLimiter.record` feeds each answer back.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable

__all__ = ["ClientRateLimiter"]

BETA = 0.7  # the share of the rate kept after a throttle
SCALE = 0.4  # how fast the rate grows back
MIN_FILL_RATE = 0.5
MIN_CAPACITY = 1.0
SMOOTHING = 0.8  # weight of the newest bucket's rate in the measured rate
BUCKET_SECONDS = 0.5  # the measured rate's time buckets


class ClientRateLimiter:
    """One per client (all its calls share it); thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.enabled = False  # limiting starts at the first throttle
        self.fill_rate = 1.0
        self.max_capacity = 1.0
        self.capacity = 0.0
        self._last_refill: float | None = None
        # CUBIC state
        self.last_max_rate = 0.0
        self._last_throttle = clock()
        self._time_window = 0.0
        # the measured sending rate
        self.measured_rate = 0.0
        self._bucket = float(math.floor(clock()))
        self._count = 0

    # ----- the token bucket -----------------------------------------------------------
    def _refill(self, now: float) -> None:
        if self._last_refill is None:
            self._last_refill = now
            return
        self.capacity = min(self.max_capacity, self.capacity + (now - self._last_refill) * self.fill_rate)
        self._last_refill = now

    def reserve(self) -> float:
        """Take a token; the seconds to wait before sending (0 while limiting is off)."""
        with self._lock:
            if not self.enabled:
                return 0.0
            now = self._clock()
            self._refill(now)
            self.capacity -= 1.0  # may go below zero: the debt is what the wait pays for
            if self.capacity >= 0:
                return 0.0
            return -self.capacity / self.fill_rate

    # ----- feedback ---------------------------------------------------------------------
    def _measure(self, now: float) -> None:
        bucket = math.floor(now / BUCKET_SECONDS) * BUCKET_SECONDS
        self._count += 1
        if bucket > self._bucket:
            current = self._count / (bucket - self._bucket)
            self.measured_rate = current * SMOOTHING + self.measured_rate * (1 - SMOOTHING)
            self._count = 0
            self._bucket = bucket

    def record(self, *, throttled: bool) -> None:
        """Feed one answer back: the rate is cut on a throttle, grown back otherwise."""
        with self._lock:
            now = self._clock()
            self._measure(now)
            if throttled:
                rate = self.measured_rate if not self.enabled else min(self.measured_rate, self.fill_rate)
                self.last_max_rate = rate
                self._time_window = ((self.last_max_rate * (1 - BETA)) / SCALE) ** (1 / 3)
                self._last_throttle = now
                new_rate = rate * BETA
                self.enabled = True
            else:
                new_rate = SCALE * (now - self._last_throttle - self._time_window) ** 3 + self.last_max_rate
            new_rate = min(new_rate, 2 * self.measured_rate)
            self._refill(now)
            self.fill_rate = max(new_rate, MIN_FILL_RATE)
            self.max_capacity = new_rate if new_rate >= 1 else MIN_CAPACITY
            self.capacity = min(self.capacity, self.max_capacity)
