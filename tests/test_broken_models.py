"""Each broken model must fail with exactly its expected messages, exit 2, and write nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASES = sorted((HERE / "broken_models").glob("*.json"))


@pytest.mark.parametrize("model", CASES, ids=lambda p: p.stem)
def test_broken_model_fails_cleanly(model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    label = model.relative_to(REPO).as_posix()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--model", label, "--out", str(out)],
        cwd=REPO, capture_output=True, text=True,
    )
    expected = (model.with_suffix(".expected")).read_text().replace("{file}", label)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == expected
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())
