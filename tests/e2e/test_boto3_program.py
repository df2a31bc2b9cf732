"""An open-source program written for boto3, not by us, runs unchanged on the compat client.

scripts/run_boto3_program.py downloads the pinned sdist (PyPI, cached in .cache/), runs the
program's own tests against a moto server with boto3, then again with the one import line
that builds its clients switched to ``awsgen_runtime.boto3_compat``; this test holds the
switched run to the boto3 run: the same tests pass, and moto saw the switched run's
requests come from the compat client only, and the files the program wrote (dynamodump's
dumps) are the same. ~50 s: sqsx (an SQS task queue, its 59 tests, ~35 s) and dynamodump
(DynamoDB backup/restore, its CLI and tests/test.py, then a backup through S3, ~20 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("program", ["sqsx", "dynamodump"])
def test_program_tests_pass_with_the_compat_client_as_with_boto3(program: str) -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "run_boto3_program.py"), "--json", program],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode in (0, 1), f"setup failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    (result,) = json.loads(proc.stdout)
    boto3_run, compat_run = result["boto3"], result["compat"]
    # the program's suite works here at all: with boto3 against moto
    assert boto3_run["passed"] > 0, result
    # the switch took: every request of the second run came from the compat client
    assert result["switched"], result["senders"]
    assert set(result["senders"]["boto3"]) == {"Boto3"}, result["senders"]
    # one import line changed in each file that builds a client, nothing else
    changed = [line for line in result["switch_diff"].splitlines()
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changed and all(line.strip("+- ") in ("import boto3", "from awsgen_runtime import boto3_compat as boto3")
                           for line in changed), result["switch_diff"]
    # the same outcome for every test
    assert result["differences"] == [], json.dumps(result["differences"], indent=2)
    assert result["output_problems"] == [], "\n".join(result["output_problems"])
    assert compat_run == boto3_run
    assert result["ok"]
