"""Adaptive retry mode's rate limit: the same sequence of answers at the same instants
gives botocore's ClientRateLimiter and ours the same send rate at every step."""

from __future__ import annotations

import random

import pytest

from awsgen_runtime.ratelimit import ClientRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def current_time(self) -> float:  # botocore's clock interface
        return self.now


def botocore_limiter(clock: Clock) -> object:
    from botocore.retries import adaptive, bucket, throttling

    return adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time()),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
        throttling_detector=type("D", (), {"is_throttling_error": staticmethod(lambda **kw: kw["throttled"])})(),
        clock=clock,
    )


@pytest.mark.parametrize("seed", range(6))
def test_send_rate_follows_botocores(seed: int) -> None:
    rng = random.Random(seed)
    clock = Clock()
    ours = ClientRateLimiter(clock)
    theirs = botocore_limiter(clock)
    throttle_share = rng.choice([0.05, 0.2, 0.5])
    for _ in range(400):
        clock.now += rng.expovariate(rng.choice([2.0, 10.0, 40.0]))
        throttled = rng.random() < throttle_share
        ours.record(throttled=throttled)
        theirs.on_receiving_response(throttled=throttled)  # type: ignore[attr-defined]
        assert ours.enabled == theirs._enabled  # type: ignore[attr-defined]
        assert ours.fill_rate == pytest.approx(theirs._token_bucket.max_rate)  # type: ignore[attr-defined]
        assert ours.measured_rate == pytest.approx(theirs._rate_clocker.measured_rate)  # type: ignore[attr-defined]


def test_waits_only_once_throttled_and_by_the_fill_rate() -> None:
    clock = Clock()
    limiter = ClientRateLimiter(clock)
    assert [limiter.reserve() for _ in range(50)] == [0.0] * 50  # off until the first throttle
    for _ in range(5):
        clock.now += 0.5
        limiter.record(throttled=False)
    limiter.record(throttled=True)
    assert limiter.enabled
    waits = [limiter.reserve() for _ in range(4)]
    assert waits[0] >= 0 and all(b > a for a, b in zip(waits, waits[1:]))  # each token costs 1/fill_rate more
    assert waits[-1] - waits[-2] == pytest.approx(1 / limiter.fill_rate)
