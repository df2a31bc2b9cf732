"""Our pure-Python CBOR codec beside cbor2 (C extension), measured in one run.

Encodes and decodes a typical ~2 KB answer and a ~50 KB one (lists of records with
strings, integers, floats, booleans, timestamps, byte strings and nested maps, as
smithy-rpc-v2-cbor services send them) and prints the median time of each, side by
side, with the ratio. Run with the project's venv python (cbor2 must be installed)::

    python benchmarks/cbor_bench.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "runtime"))

import cbor2  # noqa: E402

from awsgen_runtime.protocols import cbor as ours  # noqa: E402

UTC = dt.timezone.utc


def record(i: int) -> dict[str, Any]:
    t = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC) + dt.timedelta(seconds=37 * i, milliseconds=i % 1000)
    return {
        "Arn": f"arn:aws:partnercentral:us-east-1:123456789012:revenue-share/rs-{i:08d}",
        "Id": f"rs-{i:08d}",
        "Name": f"Revenue share {i}",
        "Status": "ACTIVE" if i % 3 else "PENDING",
        "Amount": 1234.5 + i,
        "Units": 10 * i,
        "Enabled": bool(i % 2),
        "CreatedDate": t,
        "LastModifiedDate": t + dt.timedelta(hours=1),
        "Tags": {"team": "finance", "env": "prod"},
        "Checksum": bytes(range(i % 7, i % 7 + 16)),
    }


def answer(n: int) -> dict[str, Any]:
    return {"Items": [record(i) for i in range(n)], "NextToken": "eyJvZmZzZXQiOjEwMH0="}


def median_us(fn: Any, repeat: int) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(repeat, number)) / number * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"cbor2 {cbor2.__version__ if hasattr(cbor2, '__version__') else ''} ({cbor2.loads.__module__}), "
          f"Python {sys.version.split()[0]}; median of {args.repeat} timeit runs")
    print(f"{'answer':>14} {'op':>7} {'ours µs':>10} {'cbor2 µs':>10} {'ours/cbor2':>11}")
    for label, n in (("~2 KB", 8), ("~50 KB", 190)):
        value = answer(n)
        data = ours.dumps(value)
        theirs = cbor2.dumps(value, datetime_as_timestamp=True)
        assert cbor2.loads(data) == ours.loads_py(theirs) == ours.loads_py(data) == ours.loads_cbor2(data), "the codecs disagree"
        size = f"{label} ({len(data):,} B)"
        enc = (median_us(lambda: ours.dumps(value), args.repeat),
               median_us(lambda: cbor2.dumps(value, datetime_as_timestamp=True), args.repeat))
        dec = (median_us(lambda: ours.loads_py(data), args.repeat), median_us(lambda: cbor2.loads(data), args.repeat))
        for op, (a, b) in (("encode", enc), ("decode", dec)):
            print(f"{size:>14} {op:>7} {a:>10,.1f} {b:>10,.1f} {a / b:>10.1f}x")
    # import cost, in-process (the first import of each module here)
    print("import: ours is part of awsgen_runtime; cbor2 adds its C extension module")


if __name__ == "__main__":
    main()
