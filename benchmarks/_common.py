"""Shared pieces of the benchmark scripts: paths, canned payloads, timing, tables.

Not a benchmark itself. Every figure the scripts print is a median of block means
measured in the same run for every contender, blocks interleaved so that drift in
machine load hits all contenders alike.
"""

from __future__ import annotations

import base64
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RUNTIME = REPO / "runtime"
GENERATED = REPO / "generated"
PACKAGE_DIRS = [GENERATED / "aws-connectparticipant", GENERATED / "aws-dynamodb"]
SYS_PATH = [str(RUNTIME), *(str(p) for p in PACKAGE_DIRS)]

REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def setup_path() -> None:
    for entry in reversed(SYS_PATH):
        if entry not in sys.path:
            sys.path.insert(0, entry)


def isolate_aws_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """Keep the user's AWS files, profile and instance metadata out of every figure."""
    target = os.environ if env is None else env
    for name in list(target):
        if name.startswith("AWS_"):
            del target[name]
    missing = str(BENCH / ".no-such-aws-file")
    target["AWS_CONFIG_FILE"] = missing
    target["AWS_SHARED_CREDENTIALS_FILE"] = missing
    target["AWS_EC2_METADATA_DISABLED"] = "true"
    return target  # type: ignore[return-value]


# ----- canned responses ----------------------------------------------------------------

CPC_BODY = json.dumps(
    {
        "Websocket": {
            "Url": "wss://chat.connect.us-east-1.amazonaws.com/connect?X-Amz-Security-Token=abc123",
            "ConnectionExpiry": "2024-01-01T00:01:40.000Z",
        },
        "ConnectionCredentials": {
            "ConnectionToken": "QVFJREFIaGR0b2tlbi1leGFtcGxlLXZhbHVlLWZvci1iZW5jaG1hcmtz",
            "Expiry": "2024-01-02T00:00:00.000Z",
        },
    },
    separators=(",", ":"),
).encode()


def ddb_item(i: int) -> dict[str, Any]:
    """One item with every common attribute type: S, N, B, BOOL, NULL, SS, NS, L, M."""
    return {
        "pk": {"S": "customer#1234"},
        "sk": {"S": f"order#{i:05d}"},
        "total": {"N": f"{i * 3.25:.2f}"},
        "quantity": {"N": str(i % 17)},
        "paid": {"BOOL": i % 2 == 0},
        "note": {"NULL": True},
        "blob": {"B": base64.b64encode(bytes(range(i % 7, i % 7 + 24))).decode()},
        "tags": {"SS": ["gift", "express", f"t{i % 5}"]},
        "scores": {"NS": ["1", "2.5", str(i)]},
        "lines": {
            "L": [
                {"M": {"sku": {"S": f"sku-{i}-a"}, "qty": {"N": "1"}}},
                {"M": {"sku": {"S": f"sku-{i}-b"}, "qty": {"N": "2"}}},
            ]
        },
        "address": {
            "M": {
                "street": {"S": f"{i} Main Street"},
                "city": {"S": "Springfield"},
                "zip": {"S": "12345"},
            }
        },
    }


def ddb_body(items: int) -> bytes:
    return json.dumps(
        {
            "Items": [ddb_item(i) for i in range(items)],
            "Count": items,
            "ScannedCount": items,
            "LastEvaluatedKey": {"pk": {"S": "customer#1234"}, "sk": {"S": f"order#{items - 1:05d}"}},
            "ConsumedCapacity": {"TableName": "orders", "CapacityUnits": 12.5},
        },
        separators=(",", ":"),
    ).encode()


DDB_ITEMS = 100
DDB_BODY = ddb_body(DDB_ITEMS)
DDB_SMALL_ITEMS = 1
DDB_SMALL_BODY = ddb_body(DDB_SMALL_ITEMS)

REQUEST_ID = "4f1c2b8e-0000-4000-8000-000000000000"


def response_headers(body: bytes, content_type: str) -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": REQUEST_ID,
        "Date": "Mon, 01 Jan 2024 00:00:00 GMT",
    }


CPC_HEADERS = response_headers(CPC_BODY, "application/json")
DDB_HEADERS = response_headers(DDB_BODY, "application/x-amz-json-1.0")
DDB_SMALL_HEADERS = response_headers(DDB_SMALL_BODY, "application/x-amz-json-1.0")

# The call each benchmark makes, in both spellings.
CPC_TOKEN = "participant-token-" + "x" * 64
DDB_QUERY = {
    "TableName": "orders",
    "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
    "ExpressionAttributeValues": {":pk": {"S": "customer#1234"}, ":prefix": {"S": "order#"}},
    "ReturnConsumedCapacity": "TOTAL",
}


def generated_ddb_query_kwargs() -> dict[str, Any]:
    from aws_dynamodb import shapes

    return {
        "table_name": "orders",
        "key_condition_expression": DDB_QUERY["KeyConditionExpression"],
        "expression_attribute_values": {
            ":pk": shapes.AttributeValue(s="customer#1234"),
            ":prefix": shapes.AttributeValue(s="order#"),
        },
        "return_consumed_capacity": "TOTAL",
    }


# ----- timing -----------------------------------------------------------------------------


def calibrate(fn: Callable[[], object], block_seconds: float) -> int:
    """Calls per block so that one block lasts about ``block_seconds``."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= block_seconds / 4 or n >= 1 << 20:
            return max(1, int(n * block_seconds / max(elapsed, 1e-9)))
        n *= 2


class Result:
    def __init__(self, label: str, block_means_us: list[float], calls: int) -> None:
        self.label = label
        self.blocks = block_means_us
        self.calls = calls
        self.median = statistics.median(block_means_us)
        self.min = min(block_means_us)
        q = statistics.quantiles(block_means_us, n=4) if len(block_means_us) >= 4 else [self.median] * 3
        self.spread = (q[2] - q[0]) / self.median if self.median else 0.0  # IQR / median


def compare(
    cases: Sequence[tuple[str, Callable[[], object]]],
    *,
    blocks: int = 15,
    block_seconds: float = 0.08,
    warmup: int = 50,
) -> dict[str, Result]:
    """Median of per-block mean time per call (µs) for each case, blocks interleaved."""
    sizes = []
    for _, fn in cases:
        for _ in range(warmup):
            fn()
        sizes.append(calibrate(fn, block_seconds))
    means: list[list[float]] = [[] for _ in cases]
    clock = time.perf_counter
    for b in range(blocks):
        order = list(range(len(cases)))
        if b % 2:
            order.reverse()  # alternate who goes first
        for i in order:
            fn = cases[i][1]
            n = sizes[i]
            rng = range(n)
            gc.collect()
            start = clock()
            for _ in rng:
                fn()
            means[i].append((clock() - start) / n * 1e6)
    return {label: Result(label, means[i], sizes[i] * blocks) for i, (label, _) in enumerate(cases)}


def paired_ratio(a: Result, b: Result) -> float:
    """Median over rounds of a's block mean / b's block mean in the same round.

    Rounds run every contender back to back, so a slow phase of the machine (another
    process on the CPU) divides out; this is steadier than a ratio of two medians.
    """
    return statistics.median(x / y for x, y in zip(a.blocks, b.blocks))


def _idlest_cpu(allowed: set[int], window: float = 0.3) -> int:
    """The allowed CPU that was idle the longest over ``window`` seconds (Linux), else the last."""

    def idle() -> dict[int, int]:
        out = {}
        with open("/proc/stat") as fh:
            for line in fh:
                name, *fields = line.split()
                if name.startswith("cpu") and name != "cpu":
                    out[int(name[3:])] = int(fields[3]) + int(fields[4])  # idle + iowait
        return out

    try:
        before = idle()
        time.sleep(window)
        after = idle()
        return max(allowed, key=lambda c: (after.get(c, 0) - before.get(c, 0), c))
    except (OSError, ValueError, IndexError):
        return max(allowed)


def pin_to_one_cpu(*pids: int) -> int | None:
    """Pin this process (and ``pids``) to the idlest CPU; the CPU, or None where unsupported.

    On a small machine shared with other work, one CPU for client and server gives far
    steadier round trips than letting the scheduler move them between CPUs.
    """
    try:
        cpu = _idlest_cpu(os.sched_getaffinity(0))
        for pid in (0, *pids):
            os.sched_setaffinity(pid, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


# ----- output -----------------------------------------------------------------------------


def header(title: str) -> None:
    from importlib.metadata import version  # not importing botocore: startup.py stays small

    print(f"== {title}")
    print(
        f"python {platform.python_version()} ({platform.machine()}, {os.cpu_count()} CPUs), "
        f"boto3 {version('boto3')}, botocore {version('botocore')}, urllib3 {version('urllib3')}"
    )


def fmt_us(v: float) -> str:
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def table(rows: list[list[str]], heads: list[str]) -> None:
    """A plain text table: first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    def line(r: list[str]) -> str:
        cells = [str(r[0]).ljust(widths[0])] + [str(c).rjust(w) for c, w in zip(r[1:], widths[1:])]
        return "  " + "  ".join(cells).rstrip()
    print(line(heads))
    print("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
