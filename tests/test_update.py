"""``update``: a new release's models staged, validated all-or-nothing, classified, versions
bumped with CHANGELOG entries, and the packages regenerated, on a copy of this repository's
models and a synthetic "next release" built from them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.update import _set_version, bump
from generator.diff import BREAKING, COMPATIBLE, DOCUMENTATION, Change

REPO = Path(__file__).resolve().parent.parent


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def release(tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of models/ in a repository layout, a botocore-style data folder of the
    next release: DynamoDB loses an enum value and gains an argument, STS's text changes)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(REPO / "models", repo / "models")
    data = tmp_path / "botocore" / "data"
    for folder in sorted(p for p in (REPO / "models").iterdir() if (p / "service-2.json").exists()):
        model = json.loads((folder / "service-2.json").read_text())
        dest = data / folder.name / model["metadata"]["apiVersion"]
        dest.mkdir(parents=True)
        for f in folder.glob("*.json"):
            shutil.copy(f, dest / f.name)
    shutil.copy(REPO / "models" / "partitions.json", data / "partitions.json")
    (tmp_path / "botocore" / "__init__.py").write_text("__version__ = '9.9.9'\n")

    def edit(service: str, change: object) -> None:
        path = next((data / service).glob("*/service-2.json"))
        model = json.loads(path.read_text())
        change(model)  # type: ignore[operator]
        path.write_text(json.dumps(model, indent=1))

    edit("dynamodb", lambda m: (m["shapes"]["ReturnValue"]["enum"].remove("UPDATED_NEW"),
                                m["shapes"]["ListTablesInput"]["members"].update(Extra={"shape": "TableName"})))
    edit("sts", lambda m: m["operations"]["GetCallerIdentity"].update(documentation="<p>Changed.</p>"))
    return repo, tmp_path / "botocore"


def test_update_bumps_versions_writes_changelogs_and_regenerates(release: tuple[Path, Path],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    repo, source = release
    manifest = repo / "models" / "manifest.yaml"
    assert main(["update", "--from", str(source), "--manifest", str(manifest)]) == 0
    out = capsys.readouterr().out
    assert "dynamodb: 0.1.0 -> 1.0.0 (1 breaking, 1 compatible)" in out
    assert "breaking: shapes.ReturnValue.UPDATED_NEW" in out
    assert "sts: 0.1.0 -> 0.1.1 (1 documentation)" in out
    assert "scheduler: 0.1.0 (no change to its API)" in out
    text = manifest.read_text()
    assert 'botocore: "9.9.9"' in text and text.count('version: "1.0.0"') == 1
    assert text.count("#") == (REPO / "models" / "manifest.yaml").read_text().count("#")  # comments kept
    log = (repo / "generated" / "aws-dynamodb" / "CHANGELOG.md").read_text()
    assert log.startswith("# aws-dynamodb\n\n## 1.0.0 (botocore 9.9.9)\n\n### Breaking\n")
    assert "list_tables() argument extra added" in log
    assert 'version = "1.0.0"' in (repo / "generated" / "aws-dynamodb" / "pyproject.toml").read_text()
    assert "extra" in (repo / "generated" / "aws-dynamodb" / "aws_dynamodb" / "client.py").read_text()
    assert "9.9.9" in (repo / "models" / "dynamodb" / "SOURCE.yaml").read_text()
    # A second release on top: the changelog grows at the top.
    assert main(["update", "--from", str(source), "--manifest", str(manifest)]) == 0
    assert "dynamodb: 1.0.0 (no change to its API)" in capsys.readouterr().out


def test_dry_run_and_a_bad_model_write_nothing(release: tuple[Path, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo, source = release
    manifest = repo / "models" / "manifest.yaml"
    before = tree_digest(repo)
    assert main(["update", "--from", str(source), "--manifest", str(manifest), "--dry-run"]) == 0
    assert "dynamodb: 0.1.0 -> 1.0.0" in capsys.readouterr().out and tree_digest(repo) == before
    path = next((source / "data" / "scheduler").glob("*/service-2.json"))
    model = json.loads(path.read_text())
    model["operations"]["GetSchedule"]["input"]["shape"] = "NoSuchShape"
    path.write_text(json.dumps(model))
    assert main(["update", "--from", str(source), "--manifest", str(manifest)]) == 2
    out = capsys.readouterr().out
    assert "NoSuchShape" in out and "nothing was written" in out
    assert tree_digest(repo) == before


def test_not_a_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", "--from", str(tmp_path), "--manifest", str(REPO / "models" / "manifest.yaml")]) == 2
    assert "not botocore's data folder" in capsys.readouterr().err


def test_version_rule() -> None:
    def change(category: str) -> Change:
        return Change("s", "k", "p", category, "d")

    assert bump("1.4.2", [change(DOCUMENTATION), change(COMPATIBLE), change(BREAKING)]) == "2.0.0"
    assert bump("1.4.2", [change(DOCUMENTATION), change(COMPATIBLE)]) == "1.5.0"
    assert bump("1.4.2", [change(DOCUMENTATION)]) == "1.4.3"
    assert bump("1.4.2", []) == "1.4.2"


def test_set_version_inserts_then_replaces() -> None:
    text = "services:\n  - name: a\n    model: a/service-2.json\n  # b follows\n  - name: b\n    model: b.json\n"
    once = _set_version(text, "b", "0.2.0")
    assert once.endswith('  - name: b\n    model: b.json\n    version: "0.2.0"\n')
    assert _set_version(once, "b", "1.0.0").count('version: "1.0.0"') == 1
    assert _set_version(text, "a", "3.0.0").startswith(
        'services:\n  - name: a\n    model: a/service-2.json\n    version: "3.0.0"\n  # b follows')
