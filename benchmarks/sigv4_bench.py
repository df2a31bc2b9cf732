"""Our SigV4 signer beside botocore's, measured in one run on one machine.

Prints three things: the median time of one signing call for a typical JSON POST
(small body, five headers), the import time of each signer measured in fresh
interpreters (in total, and beyond ``urllib3``, which every generated client imports
anyway), and whether the native alternatives (awscrt, aws-sdk-signers) can be
installed here. Run with the project's venv python (botocore must be installed)::

    python benchmarks/sigv4_bench.py [--calls 20000] [--imports 9] [--no-pip]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "runtime"
sys.path.insert(0, str(RUNTIME))

from awsgen_runtime.sigv4 import Credentials, SigV4Signer  # noqa: E402

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = None
HOST = "dynamodb.us-east-1.amazonaws.com"
BODY = json.dumps(
    {"TableName": "orders", "Key": {"pk": {"S": "customer#1234"}, "sk": {"S": "order#42"}}}
).encode()
HEADERS = {
    "Host": HOST,
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Target": "DynamoDB_20120810.GetItem",
    "Content-Length": str(len(BODY)),
    "User-Agent": "awsgen-bench/0.1",
}


def median_ns(run_once: Callable[[], int], calls: int) -> float:
    """Median of ``calls`` single-call timings; ``run_once`` returns one call's nanoseconds."""
    for _ in range(min(1000, calls)):
        run_once()
    return statistics.median(run_once() for _ in range(calls))


def time_ours(calls: int) -> float:
    signer = SigV4Signer("dynamodb", "us-east-1")
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
    clock = time.perf_counter_ns

    def once() -> int:
        headers = dict(HEADERS)
        start = clock()
        signer.sign("POST", "/", "", headers, BODY, credentials)
        return clock() - start

    return median_ns(once, calls)


def time_botocore(calls: int) -> float:
    from botocore.auth import SigV4Auth  # type: ignore[import-untyped]
    from botocore.awsrequest import AWSRequest  # type: ignore[import-untyped]
    from botocore.credentials import Credentials as BotoCredentials  # type: ignore[import-untyped]

    auth = SigV4Auth(BotoCredentials(ACCESS_KEY, SECRET_KEY, TOKEN), "dynamodb", "us-east-1")
    clock = time.perf_counter_ns
    url = f"https://{HOST}/"

    def once() -> int:
        request = AWSRequest(method="POST", url=url, data=BODY, headers=dict(HEADERS))
        start = clock()
        auth.add_auth(request)
        return clock() - start

    return median_ns(once, calls)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(RUNTIME), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_wall_ms(statement: str, runs: int) -> float:
    """Median wall time of a fresh ``python -c statement`` in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, env=_env())
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _importtime_self_us(statement: str) -> dict[str, int]:
    """Module -> self time in microseconds, from ``python -X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        check=True,
        env=_env(),
        capture_output=True,
        text=True,
    )
    times: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line[len("import time:") :].split("|")
        times[name.strip()] = int(self_us)
    return times


def importtime_ms(module: str, runs: int, after: str = "pass") -> tuple[float, int]:
    """Median over runs of the summed self time of every module the import adds.

    Modules already loaded by ``after`` (by default: by the bare interpreter at
    start-up) are left out, so the figure is the cost of the import itself. Also
    returns how many modules it adds.
    """
    baseline = set(_importtime_self_us(after))
    totals = []
    added = 0
    for _ in range(runs):
        measured = _importtime_self_us(f"{after}; import {module}")
        new = {name: us for name, us in measured.items() if name not in baseline}
        totals.append(sum(new.values()) / 1000)
        added = len(new)
    return statistics.median(totals), added


def pip_installable(package: str) -> str:
    """Whether ``pip download`` can fetch the package here; the wheel name if so."""
    with tempfile.TemporaryDirectory() as target:
        try:
            result = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", target, package],
                capture_output=True,
                text=True,
                timeout=300,
            )
        except subprocess.TimeoutExpired:
            return "no (pip download timed out)"
        files = sorted(os.listdir(target))
        if result.returncode == 0 and files:
            return f"yes ({files[0]})"
        needs = sorted(set(re.findall(r"Requires-Python (\S+?);?(?:\s|$)", result.stderr)))
        if needs:
            return (
                f"no on Python {sys.version.split()[0]}: every release requires Python {' or '.join(needs)}"
            )
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"no ({last[:120]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000, help="signing calls timed per signer")
    parser.add_argument("--imports", type=int, default=9, help="fresh interpreters per import figure")
    parser.add_argument("--no-pip", action="store_true", help="skip the pip download checks")
    args = parser.parse_args()

    import botocore  # type: ignore[import-untyped]

    print(f"python {sys.version.split()[0]}, botocore {botocore.__version__}")
    print(f"request: POST / to {HOST}, {len(BODY)}-byte JSON body, {len(HEADERS)} headers\n")

    ours = time_ours(args.calls)
    theirs = time_botocore(args.calls)
    print(f"{'median time per signing call':<44}{'awsgen':>12}{'botocore':>12}")
    print(f"{'  sign() / SigV4Auth.add_auth()':<44}{ours / 1000:>10.1f}us{theirs / 1000:>10.1f}us")
    print(f"{'  ratio (botocore / awsgen)':<44}{theirs / ours:>11.1f}x\n")

    base = import_wall_ms("pass", args.imports)
    rows = [("awsgen_runtime.sigv4", "botocore.auth"), ("awsgen_runtime.credentials", "botocore.credentials")]
    print(
        f"{'import cost, fresh interpreter (median of ' + str(args.imports) + ')':<44}{'awsgen':>12}{'botocore':>12}"
    )
    print(f"{'  bare interpreter start-up (python -c pass)':<44}{base:>10.1f}ms")
    for ours_module, their_module in rows:
        ours_wall = import_wall_ms(f"import {ours_module}", args.imports) - base
        their_wall = import_wall_ms(f"import {their_module}", args.imports) - base
        print(
            f"{'  wall, above start-up: ' + ours_module.split('.')[-1]:<44}{ours_wall:>10.1f}ms{their_wall:>10.1f}ms"
        )
        for after, label in (
            ("pass", "  -X importtime, all modules added"),
            ("import urllib3", "  ... beyond urllib3"),
        ):
            ours_self, ours_count = importtime_ms(ours_module, args.imports, after)
            their_self, their_count = importtime_ms(their_module, args.imports, after)
            print(
                f"{label:<44}{ours_self:>10.1f}ms{their_self:>10.1f}ms   ({ours_count} vs {their_count} modules)"
            )
    print(f"  (pairs: {', '.join(f'{a} vs {b}' for a, b in rows)})\n")

    if not args.no_pip:
        for package in ("awscrt", "aws-sdk-signers"):
            print(f"pip download --no-deps {package}: {pip_installable(package)}")


if __name__ == "__main__":
    main()
