"""botocore's legacy retry mode (its default), compiled per service from ``_retry.json``.

botocore's data folder holds ``_retry.json``: a default policy (5 attempts, a random base
delay doubling per attempt; retry on 500/502/503/504/509, 429, throttling codes, socket
errors) and per-service additions keyed by endpoint prefix (DynamoDB: 10 attempts, a
0.05 s base, ``x-amz-crc32`` body checks, write conflicts; EC2's RequestLimitExceeded;
...). A generated client carries its service's policy as one tuple (``_LEGACY_RETRY``,
read by ``awsgen_runtime.retries.LegacyPolicy``), used when ``retry_mode`` is
``legacy`` (the boto3-compatible client's default, as botocore's).

The compiled tuple: ``(max_attempts, base, growth_factor, statuses, pairs, crc32)``:
``base`` None for botocore's ``"rand"``; ``statuses``: HTTP statuses retried whatever
the error code; ``pairs``: ``(status, code)`` retried together; ``crc32``: the header
whose CRC32 of the body must match, or None. Socket errors are always retried (every
policy of botocore 1.43.67 has them; a service that dropped them is refused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .load import ModelError, find_beside, load_document

PINNED = Path(__file__).resolve().parent.parent / "models" / "_retry.json"

LegacyRetry = tuple[int, "float | None", float, tuple[int, ...], tuple[tuple[int, str], ...], "str | None"]


def find(model_path: Path) -> Path | None:
    """``_retry.json`` in a folder above the model (``models/``, ``botocore/data``), else
    the pinned release's copy; None when neither exists (no legacy policy then)."""
    found = find_beside(model_path.parents, "_retry.json")
    return found if found is not None else PINNED if PINNED.exists() else None


def compile_policy(path: Path, endpoint_prefix: str) -> LegacyRetry:
    """The legacy policy of the service whose endpoint prefix is ``endpoint_prefix``
    (botocore's key); a malformed file is a ModelError naming the file and JSON path."""
    doc: Any = load_document(path)
    where = str(path)
    try:
        definitions = doc.get("definitions", {})
        retry = doc["retry"]
        default = retry["__default__"]
        service = retry.get(endpoint_prefix, {})
        unknown = sorted(k for k in service if k != "__default__")
        if unknown:
            raise ModelError([f"{where}: $.retry.{endpoint_prefix}.{unknown[0]}: per-operation legacy retry "
                              f"policies are not supported (only __default__)"])
        own = service.get("__default__", {})
        max_attempts = int(own.get("max_attempts", default["max_attempts"]))
        delay = own.get("delay", default["delay"])
        if delay.get("type") != "exponential":
            raise ModelError([f"{where}: $.retry: delay type {delay.get('type')!r} is not botocore's exponential"])
        base = None if delay["base"] == "rand" else float(delay["base"])
        growth = float(delay["growth_factor"])
        policies = {**default.get("policies", {}), **own.get("policies", {})}
        statuses: set[int] = set()
        pairs: set[tuple[int, str]] = set()
        crc32 = None
        sockets = False
        for name, policy in sorted(policies.items()):
            at = f"$.retry.{endpoint_prefix if name in own.get('policies', {}) else '__default__'}.policies.{name}"
            if "$ref" in policy:
                policy = definitions[policy["$ref"]]
            when = policy["applies_when"]
            if "socket_errors" in when:
                sockets = True
            response = when.get("response")
            if response is None:
                continue
            if "crc32body" in response:
                crc32 = str(response["crc32body"])
            elif "service_error_code" in response:
                pairs.add((int(response["http_status_code"]), str(response["service_error_code"])))
            elif "http_status_code" in response:
                statuses.add(int(response["http_status_code"]))
            else:
                raise ModelError([f"{where}: {at}.applies_when.response: no status, code or crc32body"])
        if not sockets:
            raise ModelError([f"{where}: $.retry: a policy without socket errors is not supported"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError([f"{where}: $.retry: not botocore's retry configuration ({exc!r})"]) from None
    return max_attempts, base, growth, tuple(sorted(statuses)), tuple(sorted(pairs)), crc32
