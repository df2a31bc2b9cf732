"""ISO 8601 timestamps read the same on every supported Python (3.10 on): credential
expirations (``providers.parse_time``: instance metadata, container endpoint,
credential_process, the SSO cache) and XML answers (``protocols.xml.x_ts``, whose fast
path is ``datetime.fromisoformat``, which reads "Z" and fractions other than 3 or 6
digits only from 3.11 on). Each written form is checked against the moment it was
written from and against botocore's reading of the same text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import botocore.utils
import pytest
from hypothesis import given, settings, strategies as st

from awsgen_runtime.protocols.xml import x_ts
from awsgen_runtime.providers import parse_time
from awsgen_runtime.wire import WireTypeError

UTC = dt.timezone.utc


def _write(moment: dt.datetime, digits: int, zone: str, sep: str) -> str:
    """``moment`` (UTC) as ISO 8601 text: ``digits`` fraction digits (Go and Java write up to
    9, .NET 7, JavaScript 3), the zone as ``Z``, ``z`` or an offset with or without a colon."""
    if zone in ("Z", "z"):
        local, suffix = moment, zone
    else:
        offset = dt.timedelta(hours=5, minutes=30) if zone[0] == "+" else -dt.timedelta(hours=8)
        local = moment + offset
        sign, minutes = ("+" if offset >= dt.timedelta(0) else "-"), abs(offset) // dt.timedelta(minutes=1)
        suffix = f"{sign}{minutes // 60:02d}{':' if ':' in zone else ''}{minutes % 60:02d}"
    text = local.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    if digits:
        text += "." + f"{local.microsecond:06d}987"[:digits]
    return text + suffix


def _truncated(moment: dt.datetime, digits: int) -> dt.datetime:
    keep = 10 ** (6 - min(digits, 6))
    return moment.replace(microsecond=moment.microsecond // keep * keep)


FORMS = st.tuples(st.integers(0, 9), st.sampled_from(["Z", "z", "+HH:MM", "+HHMM", "-HH:MM"]), st.sampled_from("T "))


@settings(max_examples=500)
@given(st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=st.just(UTC)),
       FORMS)
def test_iso_timestamps_read_the_same_on_every_python(moment: dt.datetime, form: tuple[int, str, str]) -> None:
    digits, zone, sep = form
    text = _write(moment, digits, zone, sep)
    expected = _truncated(moment, digits)
    assert botocore.utils.parse_timestamp(text) == expected
    assert parse_time(text) == expected.timestamp()  # a credential expiration
    assert parse_time(f" {text}\n") == expected.timestamp()
    parsed = x_ts(ET.fromstring(f"<t>{text}</t>"))  # an XML answer's timestamp
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("text, expected", [
    ("2026-12-05", dt.datetime(2026, 12, 5, tzinfo=UTC)),  # a date alone is midnight UTC
    ("2026-12-05T20:00Z", dt.datetime(2026, 12, 5, 20, tzinfo=UTC)),  # no seconds
    ("2026-12-05T20:00:00", dt.datetime(2026, 12, 5, 20, tzinfo=UTC)),  # no zone: UTC
    ("2026-12-05T20:00:00.5-00:00", dt.datetime(2026, 12, 5, 20, 0, 0, 500000, tzinfo=UTC)),
])
def test_other_credential_forms(text: str, expected: dt.datetime) -> None:
    assert parse_time(text) == expected.timestamp()


@pytest.mark.parametrize("text", ["2026-12-05T24:00:00Z", "2026-02-30T00:00:00Z", "2026-12-05T20:00:00UTC", "soon"])
def test_impossible_or_unknown_times_are_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)
    with pytest.raises(WireTypeError):
        x_ts(ET.fromstring(f"<t>{text}</t>"))
