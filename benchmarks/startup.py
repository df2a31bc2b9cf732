"""Whole process, import plus client construction: generated client beside boto3.

Each figure is a fresh interpreter (``python -c ...``), timed from spawn to exit by
this process, with its peak RSS read from ``os.wait4``'s rusage for that child
alone. Runs of all variants are interleaved; figures are medians. ``python -c pass``
is measured the same way and also subtracted, to show what the import and the
client cost beyond the interpreter itself.

The children get the same environment: ``sys.path`` entries for the runtime and the
generated packages (given to every child, boto3's and the baseline's too), and no
AWS files, profile or instance metadata (``AWS_EC2_METADATA_DISABLED``), so that
boto3 never waits on the network. Dummy keys are in the environment for the
DynamoDB pair, whose clients both look credentials up.

Targets: generated <= 1/8 of boto3's time and <= 1/2 of its peak memory.

Run: ``.venv/bin/python benchmarks/startup.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

TIME_TARGET = 8.0
MEMORY_TARGET = 2.0

BASELINE = "pass"
PAIRS = [
    (
        "ConnectParticipant",
        "import boto3; boto3.client('connectparticipant', region_name='us-east-1')",
        "import aws_connectparticipant; aws_connectparticipant.Client(region='us-east-1')",
    ),
    (
        "DynamoDB",
        "import boto3; boto3.client('dynamodb', region_name='us-east-1')",
        "import aws_dynamodb; aws_dynamodb.Client(region='us-east-1')",
    ),
    (  # the same program, switched by one line (README, "boto3-compatible client")
        "DynamoDB, boto3-compatible",
        "import boto3; boto3.client('dynamodb', region_name='us-east-1')",
        "from awsgen_runtime import boto3_compat; boto3_compat.client('dynamodb', region_name='us-east-1')",
    ),
]


def child_env() -> dict[str, str]:
    env = C.isolate_aws_env(dict(os.environ))
    env["AWS_ACCESS_KEY_ID"] = C.ACCESS_KEY
    env["AWS_SECRET_ACCESS_KEY"] = C.SECRET_KEY
    env["PYTHONPATH"] = os.pathsep.join(C.SYS_PATH)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode caches as an installed package has them
    return env


GNU_TIME = "/usr/bin/time"
_RSS_FILE = Path(tempfile.gettempdir()) / f"awsgen-startup-rss-{os.getpid()}.txt"  # outside the tree


def run_once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from spawn to exit, and peak RSS in MiB, of one fresh interpreter.

    Peak RSS comes from GNU time (``%M``) when it is installed: a child forked straight
    from this process inherits this process's high-water RSS in ``ru_maxrss`` (Linux
    keeps it across fork+exec), which would put a floor under every figure. GNU time
    is small, so the interpreter it starts begins from a clean count. Without it, the
    child's ``os.wait4`` rusage is used (and this process is kept small).
    """
    argv = [sys.executable, "-c", code]
    use_time = os.access(GNU_TIME, os.X_OK)
    if use_time:
        argv = [GNU_TIME, "-f", "%M", "-o", str(_RSS_FILE), *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): python -c {code!r}")
    kib = int(_RSS_FILE.read_text().split()[-1]) if use_time else usage.ru_maxrss  # Linux: KiB
    return elapsed, kib / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="fresh interpreters per variant (default 15)")
    args = ap.parse_args()
    started = time.perf_counter()
    C.header("whole process: interpreter start + import + client construction")
    env = child_env()
    variants = {"python -c pass": BASELINE}
    for name, boto, ours in PAIRS:
        variants[f"{name}: boto3"] = boto
        variants[f"{name}: generated"] = ours
    for code in variants.values():  # warm the bytecode and file caches
        run_once(code, env)
    times: dict[str, list[float]] = {k: [] for k in variants}
    rss: dict[str, list[float]] = {k: [] for k in variants}
    names = list(variants)
    for i in range(args.runs):
        for name in names if i % 2 == 0 else reversed(names):
            t, m = run_once(variants[name], env)
            times[name].append(t * 1000)
            rss[name].append(m)
    _RSS_FILE.unlink(missing_ok=True)
    med_t = {k: statistics.median(v) for k, v in times.items()}
    med_m = {k: statistics.median(v) for k, v in rss.items()}
    base_t, base_m = med_t["python -c pass"], med_m["python -c pass"]
    how = f"GNU time %M" if os.access(GNU_TIME, os.X_OK) else "os.wait4 ru_maxrss"
    print(f"targets: generated <= 1/{TIME_TARGET:.0f} of boto3's time, <= 1/{MEMORY_TARGET:.0f} of its "
          f"peak RSS. Medians of {args.runs} fresh interpreters each, runs interleaved; "
          f"peak RSS by {how}\n")
    rows = []
    for name in names:
        rows.append([
            name,
            f"{med_t[name]:.1f}",
            "" if name == "python -c pass" else f"{med_t[name] - base_t:.1f}",
            f"{med_m[name]:.1f}",
            "" if name == "python -c pass" else f"{med_m[name] - base_m:.1f}",
        ])
    C.table(rows, ["process", "wall ms", "ms above pass", "peak RSS MiB", "MiB above pass"])
    print()
    rows = []
    all_met = True
    for name, _, _ in PAIRS:
        b, g = f"{name}: boto3", f"{name}: generated"
        t_ratio = med_t[b] / med_t[g]
        t_net = (med_t[b] - base_t) / max(med_t[g] - base_t, 1e-9)
        m_ratio = med_m[b] / med_m[g]
        m_net = (med_m[b] - base_m) / max(med_m[g] - base_m, 1e-9)
        t_met, m_met = t_ratio >= TIME_TARGET, m_ratio >= MEMORY_TARGET
        all_met &= t_met and m_met
        rows.append([name, f"{t_ratio:.1f}x", f"{t_net:.1f}x", f"{C.verdict(t_met)} (>= {TIME_TARGET:.0f}x)",
                     f"{m_ratio:.2f}x", f"{m_net:.1f}x", f"{C.verdict(m_met)} (>= {MEMORY_TARGET:.0f}x)"])
    C.table(rows, ["service", "time boto3/gen", "above pass", "time target",
                   "RSS boto3/gen", "above pass", "memory target"])
    print("\n(targets judged on whole-process figures; 'above pass' ratios are for information)")
    print(f"startup target overall: {C.verdict(all_met)}")
    print(f"\n(startup.py took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
