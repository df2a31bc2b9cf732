#!/usr/bin/env python
"""The full differential sweep: every operation of every service the generator supports.

For each operation, hypothesis draws a few inputs honouring the model and the request
the generated client sends is compared with botocore's serializer; it draws a few
outputs, writes each as the service would, and compares what botocore's parser and the
generated client make of it (see tests/differential/harness.py). Differences that
``DELIBERATE`` in tests/differential/test_differential.py documents are reported apart
and not counted.

    scripts/differential_sweep.py                      # generate everything into a temp dir, sweep
    scripts/differential_sweep.py --packages DIR       # packages already made by generate-all
    scripts/differential_sweep.py --only dynamodb lambda --examples 10
    scripts/differential_sweep.py --protocols query ec2 rest-xml smithy-rpc-v2-cbor

Prints a line per service, then ``operations: N, mismatches: M`` (M = operations with
at least one counted mismatch) and the first few mismatches of each category.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

CHECKS = ("request", "parse")


def _sweep_service(service: str, root: str, examples: int, max_ops: int | None) -> dict[str, Any]:
    """Worker: every (or a sample of) operation of one service. Only plain data returns."""
    from tests.differential.harness import Service, run_operation

    started = time.monotonic()
    out: dict[str, Any] = {"service": service, "ops": 0, "examples": 0, "skips": collections.Counter(), "diffs": [], "error": None}
    try:
        svc = Service(service, Path(root))
    except Exception as exc:  # noqa: BLE001 - one broken package must not stop the sweep
        out["error"] = f"{type(exc).__name__}: {exc}"
        return out
    ops = svc.operations
    if max_ops is not None and len(ops) > max_ops:
        step = len(ops) / max_ops
        ops = [ops[int(i * step)] for i in range(max_ops)]
    for op in ops:
        ran = False
        for check in CHECKS:
            try:
                diffs, skip, n = run_operation(svc, op, check, examples)
                out["examples"] += n
            except Exception as exc:  # noqa: BLE001
                out["diffs"].append({"op": op, "check": check, "kind": "harness", "rule": None,
                                     "short": f"{type(exc).__name__}: {exc}"[:400], "example": ""})
                continue
            if skip is not None:
                out["skips"][f"{check}: {skip}"] += 1
            else:
                ran = True
            seen: set[tuple[Any, ...]] = set()
            for d in diffs:
                key = (d.check, d.kind, d.rule, d.where)
                if key in seen:
                    continue  # one record per kind and place per operation is enough
                seen.add(key)
                out["diffs"].append({"op": op, "check": d.check, "kind": d.kind, "rule": d.rule,
                                     "short": d.short(300), "example": repr(d.example)[:700]})
        out["ops"] += 1 if ran else 0
    out["seconds"] = time.monotonic() - started
    return out


def _sweep_star(job: tuple[str, str, int, int | None]) -> dict[str, Any]:
    return _sweep_service(*job)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", help="a generate-all output folder (default: generate into a temp dir)")
    ap.add_argument("--only", nargs="*", help="just these services")
    ap.add_argument("--protocols", nargs="*", metavar="PROTOCOL",
                    help="just the services of these protocols (default: rest-json json query ec2 rest-xml"
                         " smithy-rpc-v2-cbor, those the generator supports)")
    ap.add_argument("--examples", type=int, default=8, help="hypothesis examples per operation and check")
    ap.add_argument("--max-ops", type=int, default=None, help="at most this many operations per service (a sample)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--show", type=int, default=3, help="mismatches printed per category")
    args = ap.parse_args(argv)

    from tests.differential.harness import PROTOCOLS, ensure_packages, services_by_protocol
    from tests.differential.test_differential import DELIBERATE

    from generator.protocols import supported

    protocols = tuple(args.protocols or PROTOCOLS)
    unknown = [p for p in protocols if p not in PROTOCOLS]
    if unknown:
        ap.error(f"unknown protocols {unknown}; known: {' '.join(PROTOCOLS)}")
    pending = [p for p in protocols if p not in supported()]
    if pending:
        print(f"not supported by the generator yet, skipped: {' '.join(pending)}", file=sys.stderr)
    services = args.only or services_by_protocol(protocols)
    tmp = None
    if args.packages:
        root = Path(args.packages)
        missing = [s for s in services if not _has_package(root, s)]
        if missing:
            print(f"{len(missing)} services have no package in {root}: {' '.join(missing[:10])}", file=sys.stderr)
            services = [s for s in services if s not in missing]
    else:
        tmp = tempfile.TemporaryDirectory(prefix="awsgen-differential-")
        root = Path(tmp.name)
        print(f"generating {len(services)} packages into {root} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        ensure_packages(services, root)
        print(f"generated in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    from _sweep import pooled

    started = time.monotonic()
    results: list[dict[str, Any]] = []
    jobs = [(s, str(root), args.examples, args.max_ops) for s in services]
    for i, r in enumerate(pooled(_sweep_star, jobs, args.jobs), 1):
        results.append(r)
        counted = {d["op"] for d in r["diffs"] if d["rule"] not in DELIBERATE}
        status = f"ERROR {r['error']}" if r["error"] else f"{r['ops']} ops, {len(counted)} mismatching"
        print(f"[{i:3d}/{len(services)}] {r['service']}: {status} ({r.get('seconds', 0):.1f} s)", flush=True)
    elapsed = time.monotonic() - started
    if tmp is not None:
        tmp.cleanup()
    return _report(results, DELIBERATE, args.show, elapsed)


def _has_package(root: Path, service: str) -> bool:
    from generator.model.naming import package_names

    pkg, dist = package_names(service)
    return (root / dist / pkg / "__init__.py").exists()


def _report(results: list[dict[str, Any]], deliberate: dict[str, str], show: int, elapsed: float) -> int:
    operations = sum(r["ops"] for r in results)
    by_category: dict[str, list[tuple[str, dict[str, Any]]]] = collections.defaultdict(list)
    by_rule: dict[str, set[str]] = collections.defaultdict(set)
    mismatching: set[str] = set()
    skips: collections.Counter[str] = collections.Counter()
    errors = [r for r in results if r["error"]]
    for r in results:
        skips.update(r["skips"])
        for d in r["diffs"]:
            op_id = f"{r['service']}.{d['op']}"
            if d["rule"] in deliberate:
                by_rule[d["rule"]].add(op_id)
                continue
            mismatching.add(op_id)
            category = f"{d['check']}/{d['kind']}" + (f" (undocumented rule {d['rule']})" if d["rule"] else "")
            by_category[category].append((op_id, d))
    print()
    examples = sum(r.get("examples", 0) for r in results)
    print(f"services: {len(results)}, failed to load: {len(errors)}, examples compared: {examples:,},"
          f" time: {elapsed:.0f} s")
    for r in errors:
        print(f"  {r['service']}: {r['error']}")
    if skips:
        print("skipped checks: " + ", ".join(f"{k} {v}" for k, v in sorted(skips.items())))
    if by_rule:
        print("deliberate differences (documented in test_differential.py, not counted):")
        for rule, ops in sorted(by_rule.items()):
            print(f"  {rule}: {len(ops)} operations -- {deliberate[rule]}")
    if by_category:
        print("mismatches by category (operations):")
        for category, items in sorted(by_category.items()):
            ops = sorted({op for op, _ in items})
            print(f"  {category}: {len(ops)}")
            for op_id, d in items[:show]:
                print(f"    {op_id}: {d['short']}")
                print(f"      example: {d['example']}")
    print(f"operations: {operations}, mismatches: {len(mismatching)}")
    return 1 if mismatching or errors else 0


if __name__ == "__main__":
    sys.exit(main())
