"""mypy --strict on every committed generated package and on the runtime, as Python 3.10 (the
oldest they support: the standard library's newer names are errors; the suites on 3.10 and
3.13, scripts/test_pythons, run the code)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p for p in (REPO / "generated").iterdir() if (p / "pyproject.toml").exists())


@pytest.mark.parametrize("dist", PACKAGES, ids=lambda p: p.name)
def test_generated_package_is_mypy_strict_clean(dist: Path, tmp_path: Path) -> None:
    package = dist.name.replace("-", "_")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental",
         "--cache-dir", str(tmp_path / "c"), "-p", package, "-p", "awsgen_runtime"],
        cwd=REPO, capture_output=True, text=True,
        env={"MYPYPATH": f"{dist}:{REPO / 'runtime'}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
