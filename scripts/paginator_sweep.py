"""Every paginator of every generated service against botocore's (tests/differential/pages.py):
a full listing, one with a page size, and one cut by max_items then resumed with its token.

    .venv/bin/python scripts/paginator_sweep.py [--only s3 dynamodb ...] [--jobs 2]

Prints the count of paginators and runs compared, each mismatch, and the time taken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sweep import sweep  # noqa: E402


def _one(args: tuple[str, str]) -> tuple[str, int, int, list[str]]:
    service, root = args
    from tests.differential.harness import Service
    from tests.differential.pages import Scenario, paginators_of

    try:
        svc = Service(service, Path(root))
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        return service, 0, 0, [f"{service}: cannot load: {exc}"]
    runs = 0
    problems: list[str] = []
    table = paginators_of(service)
    for op, spec in sorted(table.items()):
        try:
            scenario = Scenario(svc, op, spec)
        except Exception as exc:  # noqa: BLE001 - the sweep's pages could not be made
            problems.append(f"{service}.{op}: harness: cannot build its pages: {type(exc).__name__}: {exc}")
            continue
        kinds: list[dict[str, Any]] = [{}, {"max_items": 3, "resume": True}]
        if "limit_key" in spec:
            kinds.append({"page_size": 2})
        for kw in kinds:
            runs += 1
            try:
                found = scenario.compare(**kw)
            except Exception as exc:  # noqa: BLE001 - a crash is a finding
                found = [f"crash: {type(exc).__name__}: {exc}"]
            problems += [f"{service}.{op} {kw}: {p[:400]}" for p in found]
    return service, len(table), runs, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from tests.differential.pages import paginators_of

    services, results, seconds = sweep(args.only, paginators_of, _one, args.jobs)
    paginators = sum(r[1] for r in results)
    runs = sum(r[2] for r in results)
    problems = [p for r in results for p in r[3]]
    for p in problems:
        print(p)
    print(f"services: {len(services)}, paginators: {paginators}, runs compared: {runs}, "
          f"mismatches: {len(problems)}, time: {seconds:.0f} s")


if __name__ == "__main__":
    main()
