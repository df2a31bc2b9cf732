"""mypy --strict on the generated package and the runtime."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_generated_package_is_mypy_strict_clean(tmp_path: Path) -> None:
    pkg = REPO / "generated" / "aws-connectparticipant"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
         "-p", "aws_connectparticipant", "-p", "awsgen_runtime"],
        cwd=REPO, capture_output=True, text=True,
        env={"MYPYPATH": f"{pkg}:{REPO / 'runtime'}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
