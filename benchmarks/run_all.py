"""Run every benchmark, one after another, each in its own interpreter, and print all.

    .venv/bin/python benchmarks/run_all.py [--quick]

Runs ``per_call.py --breakdown``, ``protocols_per_call.py`` (query, json, rest-xml and
ec2 calls, and EC2 startup), ``loopback.py`` and ``startup.py`` (the targets of the
generated client against boto3/botocore), then ``sigv4_bench.py`` (with
``--no-pip``: nothing is downloaded) and ``endpoints_bench.py`` when present. Ends
with one line per target script saying whether its targets were met. ``--quick``
halves the repetitions of the three target scripts (noisier figures). Exits 0 even
when a target is missed: the figures are the output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def run(script: str, args: list[str]) -> tuple[int, list[str]]:
    path = BENCH / script
    print(f"\n{'#' * 100}\n# {script} {' '.join(args)}\n{'#' * 100}", flush=True)
    proc = subprocess.Popen([sys.executable, str(path), *args], cwd=BENCH.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return proc.wait(), lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    args = ap.parse_args()
    started = time.perf_counter()
    quick_blocks = ["--blocks", "8"] if args.quick else []
    plan: list[tuple[str, list[str]]] = [
        ("per_call.py", [*quick_blocks, "--breakdown"]),
        ("protocols_per_call.py", [*quick_blocks, *(["--runs", "8"] if args.quick else [])]),
        ("loopback.py", quick_blocks),
        ("startup.py", ["--runs", "8"] if args.quick else []),
        ("sigv4_bench.py", ["--no-pip"]),
        ("endpoints_bench.py", []),
    ]
    verdicts = []
    for script, script_args in plan:
        if not (BENCH / script).exists():
            print(f"\n# {script}: not present, skipped")
            continue
        code, lines = run(script, script_args)
        overall = [line for line in lines if "target overall" in line]
        status = "exit " + str(code) if code else "ok"
        verdicts.append(f"{script:20} {status:8} {overall[-1].strip() if overall else ''}")
    print(f"\n{'#' * 100}\n# summary ({time.perf_counter() - started:.0f} s)\n{'#' * 100}")
    for v in verdicts:
        print("  " + v)


if __name__ == "__main__":
    main()
