"""Every waiter of every generated service against botocore's (tests/differential/waits.py).

    .venv/bin/python scripts/waiter_sweep.py [--only ec2 rds ...] [--jobs 2]

Prints each mismatch, then the count of waiters, answer sequences compared and skipped
(those botocore's own waiter fails on), and the time taken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sweep import sweep  # noqa: E402


def _one(args: tuple[str, str]) -> tuple[int, int, int, list[str]]:
    service, root = args
    from tests.differential.harness import Service
    from tests.differential.waits import WaitScenario, waiters_of

    try:
        svc = Service(service, Path(root))
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        return 0, 0, 0, [f"{service}: cannot load: {exc}"]
    table = waiters_of(service)
    runs = skipped = 0
    problems: list[str] = []
    for name, spec in sorted(table.items()):
        scenario = WaitScenario(svc, name, spec)
        try:
            n, found = scenario.compare()
        except Exception as exc:  # noqa: BLE001 - a crash is a finding
            n, found = 0, [f"crash: {type(exc).__name__}: {exc}"]
        runs += n
        skipped += scenario.skipped
        problems += [f"{service}.{p[:400]}" for p in found]
    return len(table), runs, skipped, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from tests.differential.waits import waiters_of

    services, results, seconds = sweep(args.only, waiters_of, _one, args.jobs)
    waiters = sum(r[0] for r in results)
    runs = sum(r[1] for r in results)
    skipped = sum(r[2] for r in results)
    problems = [p for r in results for p in r[3]]
    for p in problems:
        print(p)
    print(f"services: {len(services)}, waiters: {waiters}, sequences compared: {runs}, skipped: {skipped}, "
          f"mismatches: {len(problems)}, time: {seconds:.0f} s")


if __name__ == "__main__":
    main()
