"""Per call, in process, no network: the boto3-compatible client beside boto3 itself.

The same method (``per_call.py``): both clients get a canned HTTP answer where the network
would be (the compat client through its core's transport, boto3 through a ``before-send``
handler), everything else runs as in production, SigV4-signed; both return plain dicts.

Cases: DynamoDB GetItem of one small item (target >= 20x), Query of 100 items / 45 KiB
(target >= 10x: ``json.loads`` alone is ~1/14 of botocore's call), and Query of one item.

Run: ``.venv/bin/python benchmarks/compat_bench.py [--blocks 15]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()

import boto3  # noqa: E402

from awsgen_runtime import boto3_compat  # noqa: E402
from per_call import CannedTransport, canned_boto  # noqa: E402

GET_BODY = json.dumps({"Item": {"pk": {"S": "customer#1234"}, "sk": {"S": "order#00001"},
                                "total": {"N": "12.50"}, "paid": {"BOOL": True}}},
                      separators=(",", ":")).encode()
GET_ITEM = {"TableName": "orders", "Key": {"pk": {"S": "customer#1234"}, "sk": {"S": "order#00001"}}}


def clients(body: bytes) -> tuple[Any, Any]:
    headers = C.response_headers(body, "application/x-amz-json-1.0")
    keys = {"region_name": C.REGION, "aws_access_key_id": C.ACCESS_KEY, "aws_secret_access_key": C.SECRET_KEY}
    ours = boto3_compat.client("dynamodb", **keys)
    ours._core._transport_given = CannedTransport(body, headers)
    boto = boto3.client("dynamodb", **keys)
    canned_boto(boto, body, headers)
    return ours, boto


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    strip = {k: v for k, v in a.items() if k != "ResponseMetadata"}
    assert strip == {k: v for k, v in b.items() if k != "ResponseMetadata"}, "the two clients disagree"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=15)
    ap.add_argument("--block-seconds", type=float, default=0.08)
    args = ap.parse_args()
    started = time.perf_counter()
    cpu = C.pin_to_one_cpu()
    C.header("boto3-compatible client vs boto3, per call, canned answer (no network)")
    cases = []
    for name, body, method, params, target in (
        ("GetItem, small item", GET_BODY, "get_item", GET_ITEM, 20.0),
        (f"Query, {C.DDB_SMALL_ITEMS} item ({len(C.DDB_SMALL_BODY)} bytes)", C.DDB_SMALL_BODY, "query",
         C.DDB_QUERY, 20.0),
        (f"Query, {C.DDB_ITEMS} items ({len(C.DDB_BODY) // 1024} KiB)", C.DDB_BODY, "query", C.DDB_QUERY, 10.0),
    ):
        ours, boto = clients(body)
        ours_call = getattr(ours, method)
        boto_call = getattr(boto, method)
        _same(ours_call(**params), boto_call(**params))
        cases.append((name, lambda f=ours_call, p=params: f(**p), lambda f=boto_call, p=params: f(**p), target))
    rows = []
    all_met = True
    for name, ours_fn, boto_fn, target in cases:
        res = C.compare([("ours", ours_fn), ("boto", boto_fn)], blocks=args.blocks, block_seconds=args.block_seconds)
        ratio = C.paired_ratio(res["boto"], res["ours"])
        met = ratio >= target
        all_met &= met
        rows.append([f"DynamoDB {name}", C.fmt_us(res["ours"].median), C.fmt_us(res["boto"].median),
                     f"{ratio:.1f}x", f"{C.verdict(met)} (>= {target:.0f}x)"])
    print(f"{'pinned to CPU ' + str(cpu) if cpu is not None else 'not pinned'}; medians of {args.blocks} "
          "interleaved blocks; ratio: median of per-round ratios\n")
    C.table(rows, ["call (SigV4-signed, dicts back)", "compat µs", "boto3 µs", "boto3/compat", "target"])
    print(f"\ntargets overall: {C.verdict(all_met)}  (compat_bench.py took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
