"""Credential sources that need more than the environment and the shared files: the
instance metadata service and the container endpoint (:mod:`.metadata`), a
``credential_process`` (:mod:`.process`), assumed roles and web identity through the
generated STS client (:mod:`.sts`), and IAM Identity Center through the generated SSO
clients (:mod:`.sso`). Each is imported only when a profile or the environment asks
for it; :mod:`awsgen_runtime.credentials` holds the chain that picks one.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..wire import parse_iso

__all__ = ["parse_time"]


def parse_time(value: object) -> float:
    """Seconds since the epoch of an ISO 8601 timestamp (``2026-12-05T20:00:00Z``, with or
    without fractions or an offset) or of a number of seconds; ValueError otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        # Date and time the same on every Python: 3.10's fromisoformat reads only what
        # isoformat() writes (no "Z", fractions of 3 or 6 digits where Go and Java send up
        # to 9 and .NET 7, offsets with a colon). Other forms (a date alone, no seconds) go
        # to fromisoformat; from 3.11 on it also reads ISO 8601's basic and week forms.
        found = parse_iso(text)
        if found is None and text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = found if found is not None else datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a timestamp: {type(value).__name__}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
