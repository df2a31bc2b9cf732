"""Managed transfers against boto3: upload_file and download_file of one file through a
moto server on loopback, each client in its own fresh process, rounds interleaved.

Prints, per client and direction, the median wall time (the server emptied before each
run, the order alternating), the throughput and the peak of
Python allocations (tracemalloc) during the transfer. Both use 8 MiB parts and 10 threads
(s3transfer's defaults) and their default checksums. moto (pure Python) is the slowest
part of the loop, so the throughput compares the clients' overheads under one server.

    .venv/bin/python benchmarks/transfer_bench.py [--mib 128] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "runtime")]

CHILD = """
import sys, time, tracemalloc
kind, url, path, out, bucket, mode = sys.argv[1:7]
if kind == "boto3":
    import boto3
    c = boto3.client("s3", region_name="us-east-1", endpoint_url=url, aws_access_key_id="k",
                     aws_secret_access_key="s")
    up = lambda: c.upload_file(path, bucket, "obj")
    down = lambda: c.download_file(bucket, "obj", out)
else:
    import aws_s3
    from awsgen_runtime.client import Config
    c = aws_s3.Client(region="us-east-1", endpoint_url=url, aws_access_key_id="k", aws_secret_access_key="s",
                      config=Config(s3={"addressing_style": "path"}))
    up = lambda: c.upload_file(path, bucket=bucket, key="obj")
    down = lambda: c.download_file(bucket=bucket, key="obj", path=out)
res = []
for fn in (up, down):
    if mode == "memory":  # tracemalloc slows allocation: memory runs are not timed
        tracemalloc.start()
    t = time.perf_counter()
    fn()
    res += [time.perf_counter() - t, tracemalloc.get_traced_memory()[1] if mode == "memory" else 0]
    tracemalloc.stop()
print(*res)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mib", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from tests.differential.harness import ensure_packages

    root = ensure_packages(["s3"])
    # Bytecode compiled first, as an installed package has it (pip compiles on install; these
    # machines set PYTHONDONTWRITEBYTECODE, which would make every child compile S3's modules).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "aws-s3"), str(REPO / "runtime")],
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, check=True)
    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        import boto3

        boto = boto3.client("s3", region_name="us-east-1", endpoint_url=url, aws_access_key_id="k",
                            aws_secret_access_key="s")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "file.bin")
            with open(path, "wb") as f:
                block = os.urandom(1 << 20)
                for _ in range(args.mib):
                    f.write(block)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "aws-s3"), str(REPO / "runtime")])}
            results: dict[str, list[list[float]]] = {"boto3": [], "generated": []}
            import urllib.request

            memory: dict[str, list[float]] = {}
            for r in range(args.rounds + 1):
                # Alternate who goes first; an empty server for each run (moto keeps objects in
                # memory). The last round measures memory (tracemalloc), untimed.
                mode = "memory" if r == args.rounds else "time"
                for kind in (("boto3", "generated") if r % 2 == 0 else ("generated", "boto3")):
                    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST"))
                    bucket = f"{kind}-{r}"
                    boto.create_bucket(Bucket=bucket)
                    proc = subprocess.run([sys.executable, "-c", CHILD, kind, url, path, path + ".out", bucket, mode],
                                          env=env, capture_output=True, text=True, check=True)
                    row = [float(x) for x in proc.stdout.split()]
                    if mode == "memory":
                        memory[kind] = [row[1], row[3]]
                    else:
                        results[kind].append(row)
            print(f"managed transfers of {args.mib} MiB through moto on loopback, {args.rounds} rounds, medians")
            print(f"  {'client':<10} {'upload s':>9} {'MiB/s':>7} {'peak MiB':>9}   {'download s':>10} {'MiB/s':>7} "
                  f"{'peak MiB':>9}")
            for kind, rows in results.items():
                up_t, _, down_t, _ = (statistics.median(col) for col in zip(*rows))
                up_m, down_m = memory[kind]
                print(f"  {kind:<10} {up_t:>9.2f} {args.mib / up_t:>7.1f} {up_m / (1 << 20):>9.1f}   "
                      f"{down_t:>10.2f} {args.mib / down_t:>7.1f} {down_m / (1 << 20):>9.1f}")
    finally:
        moto.kill()


if __name__ == "__main__":
    main()
