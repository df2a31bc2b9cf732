"""asyncio over loopback: the generated AsyncClient beside aiobotocore, bare aiohttp and bare httpx.

A one-loop asyncio server (``_async_server.py``, its own process) answers every request
with the same DynamoDB GetItem body. Measured, in one run against that one server:

* single call: sequential ``GetItem`` calls, microseconds each (median of blocks), for
  the generated ``AsyncClient``, aiobotocore, and the two bare libraries replaying the
  exact request the generated client sends (method, URL, headers, body; answer read
  whole), so the bare figures hold no validation, serialization, signing or parsing.
  Target: the generated client costs at most 1.3x the library it is built on.
* 1,000 concurrent ``GetItem`` calls (``asyncio.gather``): wall time, median of rounds,
  every client with the same pool of connections (``--pool``, default 100). Target:
  at least 3x faster than aiobotocore.

The bare figures are also how the HTTP library was chosen (aiohttp or httpx).

Run: ``.venv/bin/python benchmarks/async_bench.py [--rounds 7] [--pool 100]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()

from awsgen_runtime.aio import AioHttpTransport  # noqa: E402
from awsgen_runtime.client import Config  # noqa: E402
from awsgen_runtime.transport import HttpRequest, HttpResponse  # noqa: E402

from aws_dynamodb import shapes  # noqa: E402
from aws_dynamodb.aio import AsyncClient  # noqa: E402

KEY = {"pk": shapes.AttributeValue(s="customer#1234"), "sk": shapes.AttributeValue(s="order#00007")}
BOTO_KEY = {"pk": {"S": "customer#1234"}, "sk": {"S": "order#00007"}}
CONCURRENT = 1000


class Recording(AioHttpTransport):
    """The default transport, keeping the last request it sent."""

    last: HttpRequest

    async def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        self.last = HttpRequest(request.method, request.url, dict(request.headers), request.body)
        return await super().send(request, stream=stream)


async def per_call(fn: Callable[[], Awaitable[Any]], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await fn()
    return (time.perf_counter() - start) / calls * 1e6


async def burst(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(fn() for _ in range(CONCURRENT)))
    return time.perf_counter() - start


async def run(url: str, rounds: int, pool: int, calls: int) -> None:
    import aiohttp
    import httpx
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    ours = AsyncClient(region=C.REGION, endpoint_url=url, aws_access_key_id=C.ACCESS_KEY,
                       aws_secret_access_key=C.SECRET_KEY, config=Config(max_pool_connections=pool))
    recorder = Recording(max_pool_connections=1)
    probe = AsyncClient(region=C.REGION, endpoint_url=url, aws_access_key_id=C.ACCESS_KEY,
                        aws_secret_access_key=C.SECRET_KEY, transport=recorder)
    item = (await probe.get_item(table_name="orders", key=KEY)).item
    assert item and item["sk"].s == "order#00007", item
    await probe.close()
    req = recorder.last
    session = get_session()
    async with session.create_client(
        "dynamodb", region_name=C.REGION, endpoint_url=url, aws_access_key_id=C.ACCESS_KEY,
        aws_secret_access_key=C.SECRET_KEY, config=AioConfig(max_pool_connections=pool),
    ) as boto, aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=pool),
        skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent", "Content-Type"),
    ) as bare_aiohttp, httpx.AsyncClient(limits=httpx.Limits(max_connections=pool), timeout=60.0) as bare_httpx:
        assert (await boto.get_item(TableName="orders", Key=BOTO_KEY))["Item"]["sk"] == {"S": "order#00007"}

        async def aiohttp_call() -> bytes:
            async with bare_aiohttp.post(req.url, data=req.body, headers=req.headers) as resp:
                return await resp.read()

        async def httpx_call() -> bytes:
            resp = await bare_httpx.post(req.url, content=req.body, headers=req.headers)
            return resp.content

        clients: dict[str, Callable[[], Awaitable[Any]]] = {
            "bare aiohttp": aiohttp_call,
            "bare httpx": httpx_call,
            "generated AsyncClient": lambda: ours.get_item(table_name="orders", key=KEY),
            "aiobotocore": lambda: boto.get_item(TableName="orders", Key=BOTO_KEY),
        }
        single: dict[str, list[float]] = {k: [] for k in clients}
        bursts: dict[str, list[float]] = {k: [] for k in clients}
        for fn in clients.values():  # warm: connections open, code paths taken
            await burst(fn)
        for _ in range(rounds):
            for name, fn in clients.items():
                single[name].append(await per_call(fn, calls))
            for name, fn in clients.items():
                bursts[name].append(await burst(fn))
    await ours.close()

    s = {k: statistics.median(v) for k, v in single.items()}
    b = {k: statistics.median(v) for k, v in bursts.items()}
    C.header(f"single GetItem, sequential (median of {rounds} blocks of {calls} calls)")
    C.table([[k, f"{v:.0f} µs", f"{v / s['bare aiohttp']:.2f}x"] for k, v in s.items()],
            ["client", "per call", "vs bare aiohttp"])
    ratio = s["generated AsyncClient"] / s["bare aiohttp"]
    print(f"generated / bare aiohttp: {ratio:.2f}x (target <= 1.3x) {C.verdict(ratio <= 1.3)}")
    C.header(f"{CONCURRENT} concurrent GetItem (median of {rounds} rounds, pool {pool})")
    C.table([[k, f"{v * 1000:.0f} ms", f"{CONCURRENT / v:,.0f}/s"] for k, v in b.items()],
            ["client", "wall time", "calls/s"])
    speed = b["aiobotocore"] / b["generated AsyncClient"]
    print(f"generated vs aiobotocore: {speed:.1f}x faster (target >= 3x) {C.verdict(speed >= 3)}")
    lib = s["bare httpx"] / s["bare aiohttp"]
    print(f"library choice: bare httpx costs {lib:.2f}x bare aiohttp per call, "
          f"{b['bare httpx'] / b['bare aiohttp']:.2f}x on the burst")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pool", type=int, default=100)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(C.BENCH / "_async_server.py")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])
        asyncio.run(run(f"http://127.0.0.1:{port}", args.rounds, args.pool, args.calls))
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
