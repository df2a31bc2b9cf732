#!/usr/bin/env python
"""The boto3-compatible client against boto3 itself for every query and ec2 service of the
pinned botocore (18 services): per operation one call with every member set and
``--examples`` hypothesis examples, per modeled error ``--error-examples`` examples, with the
checks of tests/differential/test_compat_xml_vs_boto3.py (same form pairs, same parsed dict
and ResponseMetadata, same error class, message and ``.response``).

    scripts/compat_query_sweep.py                        # all 18 services
    scripts/compat_query_sweep.py --only rds redshift --examples 3

Prints a line per service (checks passed/failed), then the failures grouped by their first
line with the operations they hit. Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for _p in (REPO / "runtime", REPO):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))


# services not compared, each with its reason
SERVICE_SKIPS = {
    "sdb": "SimpleDB signs with Signature Version 2 (fields of the form body), which the runtime does not "
           "implement (its typed client neither): every request differs from boto3's by those fields",
}


def _services() -> list[str]:
    import botocore.session

    from generator.protocols import choose

    session = botocore.session.get_session()
    return [name for name in session.get_available_services()
            if choose(session.get_service_model(name).metadata) in ("query", "ec2")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="just these services")
    ap.add_argument("--examples", type=int, default=2, help="hypothesis examples per operation (default 2)")
    ap.add_argument("--error-examples", type=int, default=1, help="hypothesis examples per modeled error")
    ap.add_argument("--show", type=int, default=3, help="operations printed per cause")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    from tests.differential import test_compat_xml_vs_boto3 as t

    services = args.only or _services()
    t.SERVICES = tuple(services)
    t.CACHED = tuple(s for s in services if s != "sts")  # sts: the manifest's package
    t.EXAMPLES = t.EC2_EXAMPLES = args.examples
    causes: dict[str, list[str]] = collections.defaultdict(list)
    totals = collections.Counter()
    start = time.monotonic()
    for service in services:
        if service in SERVICE_SKIPS:
            print(f"{service:18} skipped: {SERVICE_SKIPS[service]}", flush=True)
            continue
        _, _, _, svc = t._pair(service)
        counts = collections.Counter()
        checks = [(f"{op} every-member", t.test_every_member_set, op) for op in sorted(svc.model["operations"])]
        checks += [(f"{op} examples", t.test_same_request_and_answer, op) for op in sorted(svc.model["operations"])]
        checks += [(f"{name} error", t.test_same_modeled_error, name) for name in sorted(svc.shapes)
                   if svc.shapes[name].get("exception")]
        for label, check, arg in checks:
            if (service, arg) in t.SKIPS:
                counts["skipped"] += 1
                continue
            try:
                check(service, arg)
            except Exception as exc:  # noqa: BLE001 - reported, grouped by cause
                counts["failed"] += 1
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
                causes[f"{type(exc).__name__}: {first}"].append(f"{service}.{label}")
            else:
                counts["passed"] += 1
        totals.update(counts)
        print(f"{service:18} passed {counts['passed']:5}  failed {counts['failed']:4}  skipped {counts['skipped']}",
              flush=True)
    for cause, where in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{len(where)} x {cause}\n    " + ", ".join(where[:args.show]))
    print(f"\ntotal: passed {totals['passed']}, failed {totals['failed']}, skipped {totals['skipped']} "
          f"({len(services)} services, {time.monotonic() - start:.0f} s)")
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
