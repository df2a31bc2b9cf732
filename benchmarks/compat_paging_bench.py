"""Paginators of the boto3-compatible client beside boto3's, in process, no network.

Both clients page through the same canned DynamoDB Query answers (10 pages of 100 items,
a LastEvaluatedKey on all but the last) with ``get_paginator("query").paginate(...)``;
measured: the whole listing iterated page by page, ``build_full_result()``, and the same
ten calls made by hand (what the paginator layer itself costs on top). The compat
paginator walks the answers by compiled paths (the typed client's walk); boto3's by
JMESPath. Best of ``--runs`` medians of ``--repeat`` listings.

Run: ``.venv/bin/python benchmarks/compat_paging_bench.py``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()

import boto3  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from urllib3 import HTTPHeaderDict  # noqa: E402

from awsgen_runtime import boto3_compat  # noqa: E402
from awsgen_runtime.transport import HttpRequest, HttpResponse  # noqa: E402
from per_call import _Raw  # noqa: E402

PAGES = 10
QUERY = {"TableName": "orders", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "c"}}}


def _bodies() -> list[bytes]:
    out = []
    for p in range(PAGES):
        page: dict[str, Any] = {"Items": [{"pk": {"S": "c"}, "sk": {"S": f"order#{p:02}{i:03}"},
                                           "total": {"N": "12.50"}, "paid": {"BOOL": True}} for i in range(100)],
                                "Count": 100, "ScannedCount": 100}
        if p < PAGES - 1:
            page["LastEvaluatedKey"] = {"pk": {"S": "c"}, "sk": {"S": f"order#{p:02}099"}}
        out.append(json.dumps(page, separators=(",", ":")).encode())
    return out


class _Pages:
    """Serves the pages in turn, over and over (both clients' hook)."""

    def __init__(self) -> None:
        self.bodies = _bodies()
        self.headers = [HTTPHeaderDict(C.response_headers(b, "application/x-amz-json-1.0")) for b in self.bodies]
        self.n = 0

    def _next(self) -> tuple[bytes, HTTPHeaderDict]:
        i = self.n % PAGES
        self.n += 1
        return self.bodies[i], self.headers[i]

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        body, headers = self._next()
        return HttpResponse(200, headers, body)

    def before_send(self, request: Any, **_: Any) -> AWSResponse:
        body, headers = self._next()
        return AWSResponse(request.url, 200, headers, _Raw(body))


def _time(fn: Callable[[], Any], repeat: int, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        best = min(best, statistics.median(samples))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    C.pin_to_one_cpu()
    keys = {"region_name": C.REGION, "aws_access_key_id": C.ACCESS_KEY, "aws_secret_access_key": C.SECRET_KEY}
    clients = {}
    for name, make in (("boto3", boto3.client), ("compat", boto3_compat.client)):
        pages = _Pages()
        client = make("dynamodb", **keys)
        if name == "boto3":
            client.meta.events.register("before-send", pages.before_send)
        else:
            client._core._transport_given = pages
        clients[name] = (client, pages)

    def listing(name: str) -> Callable[[], Any]:
        client, pages = clients[name]

        def run() -> Any:
            pages.n = 0
            return sum(len(p["Items"]) for p in client.get_paginator("query").paginate(**QUERY))
        return run

    def full(name: str) -> Callable[[], Any]:
        client, pages = clients[name]

        def run() -> Any:
            pages.n = 0
            return len(client.get_paginator("query").paginate(**QUERY).build_full_result()["Items"])
        return run

    def by_hand(name: str) -> Callable[[], Any]:
        client, pages = clients[name]

        def run() -> Any:
            pages.n = 0
            kwargs, n = dict(QUERY), 0
            while True:
                page = client.query(**kwargs)
                n += len(page["Items"])
                if "LastEvaluatedKey" not in page:
                    return n
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return run

    assert {listing(n)() for n in clients} == {full(n)() for n in clients} == {by_hand(n)() for n in clients} == {
        100 * PAGES}
    print(f"DynamoDB Query, {PAGES} pages of 100 items (ms per listing, best of {args.runs} medians)")
    print(f"{'case':<28}{'boto3':>10}{'compat':>10}{'ratio':>8}")
    for label, case in (("paginate, page by page", listing), ("build_full_result", full), ("the calls by hand", by_hand)):
        theirs = _time(case("boto3"), args.repeat, args.runs)
        ours = _time(case("compat"), args.repeat, args.runs)
        print(f"{label:<28}{theirs * 1e3:>10.2f}{ours * 1e3:>10.2f}{theirs / ours:>7.1f}x")


if __name__ == "__main__":
    main()
