"""Header helpers of the runtime: IMF-fixdate timestamps on a fast path that must equal
the standard library's reading, and the lowercase header map of large header sets."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from urllib3 import HTTPHeaderDict

from awsgen_runtime import wire

UTC = dt.timezone.utc


# The first draw may be slow on a cold machine (hypothesis warming up): not a test failure.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_imf_fixdate_matches_the_standard_library(moment: dt.datetime) -> None:
    text = format_datetime(moment.replace(microsecond=0, tzinfo=UTC), usegmt=True)
    assert wire.h_ts(text) == parsedate_to_datetime(text)


@pytest.mark.parametrize("text", ["Fri, 30 Feb 2024 00:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "yesterday"])
def test_impossible_dates_are_wire_errors(text: str) -> None:
    with pytest.raises(wire.WireTypeError):
        wire.h_ts(text)


@pytest.mark.parametrize("text, expected", [
    ("2024-01-02T03:04:05Z", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("1704164645", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("Tue, 2 Jan 2024 03:04:05 +0000", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),  # not fixdate: still read
])
def test_other_forms_still_parse(text: str, expected: dt.datetime) -> None:
    assert wire.h_ts(text) == expected


def test_header_map_lowercases_and_joins_repeats_as_urllib3_does() -> None:
    headers = HTTPHeaderDict()
    headers.add("X-Amz-Meta-A", "1")
    headers.add("x-amz-meta-a", "2")
    headers.add("ETag", '"e"')
    mapped = wire.header_map(headers)
    assert mapped == {"x-amz-meta-a": headers.get("x-amz-meta-a"), "etag": '"e"'}
    assert mapped["x-amz-meta-a"] == "1, 2"
    assert wire.header_map({"Content-Type": "a"}) == {"content-type": "a"}
