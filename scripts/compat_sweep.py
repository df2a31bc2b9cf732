#!/usr/bin/env python
"""The boto3-compatible client against boto3 itself, for every operation and modeled error
of every json and rest-json service of the pinned botocore.

Per operation, ``--examples`` hypothesis examples (inputs and answers drawn from the model)
go through boto3 (stopped at ``before-send``, answered there) and the compat client: the
same request on the wire, the same parsed dict and ResponseMetadata, the same refusal;
per error shape, the same class, message and ``.response`` (tests/differential/
compat_check.py, which test_compat_vs_boto3.py uses too). Entries of
tests/differential/compat_skip_list.yaml are not compared (each has its reason).

    scripts/compat_sweep.py                               # generate into the cache, sweep all
    scripts/compat_sweep.py --packages DIR                # packages made by generate-all --out DIR
    scripts/compat_sweep.py --only lambda kinesis --examples 5

Prints a line per service (operations and errors passed/failed), then the failures grouped
by cause (the first line of each failure) with the operations they hit, the event-stream
operations (what boto3 and the compat client each did), and the totals. Exits 1 on any
failure or service that did not load.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

PROTOCOLS = ("json", "rest-json")


def _worker(job: tuple[str, str, int, int]) -> dict[str, Any]:
    import warnings

    warnings.simplefilter("ignore")  # botocore's deprecation notes per client
    from tests.differential.compat_check import sweep_service

    service, root, examples, error_examples = job
    return sweep_service(service, Path(root), examples, error_examples=error_examples)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", help="a generate-all output folder (default: generated once into the cache, "
                                       "by generator fingerprint, as the differential tests do)")
    ap.add_argument("--only", nargs="*", help="just these services")
    ap.add_argument("--examples", type=int, default=2, help="hypothesis examples per operation (default 2)")
    ap.add_argument("--error-examples", type=int, default=1, help="hypothesis examples per modeled error (default 1)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--show", type=int, default=3, help="examples printed per cause")
    args = ap.parse_args(argv)

    from tests.differential.harness import ensure_packages, load_model, service_protocol, services_by_protocol

    services = args.only or services_by_protocol(PROTOCOLS)
    other = [s for s in services if service_protocol(load_model(s)) not in PROTOCOLS]
    if other:
        ap.error(f"not json or rest-json services: {' '.join(other)}")
    if args.packages:
        root = Path(args.packages)
    else:
        print(f"generating the packages of {len(services)} services (once per generator version) ...",
              file=sys.stderr, flush=True)
        started = time.monotonic()
        root = ensure_packages(services)
        print(f"packages in {root} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    from _sweep import pooled

    started = time.monotonic()
    results: list[dict[str, Any]] = []
    jobs = [(s, str(root), args.examples, args.error_examples) for s in services]
    for i, r in enumerate(pooled(_worker, jobs, args.jobs), 1):
        results.append(r)
        if r["load_error"]:
            status = f"LOAD ERROR {r['load_error']}"
        else:
            o, e = r["ops"], r["errors"]
            skipped = f" ({o['skip']} skipped)" if o["skip"] else ""
            status = (f"operations {o['pass']}/{o['pass'] + o['fail']} pass{skipped}, "
                      f"errors {e['pass']}/{e['pass'] + e['fail']} pass")
        print(f"[{i:3d}/{len(services)}] {r['service']}: {status} ({r.get('seconds', 0):.1f} s)", flush=True)
    return report(results, args.show, time.monotonic() - started)


def report(results: list[dict[str, Any]], show: int, elapsed: float) -> int:
    by_cause: dict[str, list[tuple[str, dict[str, Any]]]] = collections.defaultdict(list)
    totals = {k: collections.Counter() for k in ("ops", "errors")}  # type: ignore[var-annotated]
    streams: list[tuple[str, str, str]] = []
    skipped: list[tuple[str, str, str]] = []
    for r in results:
        for k in totals:
            totals[k].update(r[k])
        for f in r["failures"]:
            by_cause[f["cause"]].append((r["service"], f))
        streams += [(r["service"], op, what) for op, what in r["event_streams"]]
        skipped += [(r["service"], name, reason) for name, reason in r["skipped"]]
    loaded = [r for r in results if r["load_error"]]
    print()
    if by_cause:
        print("failures by cause (operations or errors hit):")
        for cause, items in sorted(by_cause.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(items):5d}  {cause}")
            for service, f in items[:show]:
                print(f"         {service}.{f['name']} ({f['kind']})")
                for line in f["detail"].splitlines()[:3]:
                    print(f"           {line.strip()}")
    if streams:
        print(f"event-stream operations ({len(streams)}):")
        for service, op, what in sorted(streams):
            print(f"  {service}.{op}: {what}")
    if skipped:
        print(f"skipped (compat_skip_list.yaml): {len(skipped)}")
    if loaded:
        print(f"services that did not load ({len(loaded)}):")
        for r in loaded:
            print(f"  {r['service']}: {r['load_error']}")
    o, e = totals["ops"], totals["errors"]
    examples = sum(r["examples"] for r in results)
    print(f"services: {len(results)}; operations: {o['pass'] + o['fail']} compared, {o['pass']} pass, "
          f"{o['fail']} fail, {o['skip']} skipped; modeled errors: {e['pass'] + e['fail']} compared, {e['pass']} pass, "
          f"{e['fail']} fail, {e['skip']} skipped; examples: {examples:,}; time: {elapsed:.0f} s")
    return 1 if o["fail"] or e["fail"] or loaded else 0


if __name__ == "__main__":
    sys.exit(main())
