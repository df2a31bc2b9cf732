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


def test_a_bad_model_in_the_manifest_stops_everything(tmp_path: Path) -> None:
    import shutil

    models = tmp_path / "models"
    (models / "good").mkdir(parents=True)
    (models / "bad").mkdir()
    shutil.copy(REPO / "models" / "connectparticipant" / "service-2.json", models / "good" / "service-2.json")
    shutil.copy(HERE / "broken_models" / "undefined_shape.json", models / "bad" / "service-2.json")
    (models / "manifest.yaml").write_text(
        "services:\n"
        "  - {name: good, model: good/service-2.json, package: aws_good, distribution: aws-good}\n"
        "  - {name: bad, model: bad/service-2.json, package: aws_bad, distribution: aws-bad}\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--manifest", str(models / "manifest.yaml"), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr == "models/bad/service-2.json: $.shapes.GetThingResponse.members.Size.shape: undefined shape 'Missing'\n"
    assert not out.exists() or not any(out.iterdir())
