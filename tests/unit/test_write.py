"""Writing is all or nothing: a failure midway leaves the output tree as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import write
from generator.write import diff_packages, read_tree, write_packages


def test_failure_midway_leaves_the_tree_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "generated"
    write_packages(out, {"aws-a": {"a/x.py": "old a\n"}, "aws-b": {"b/y.py": "old b\n"}})
    before = {d: read_tree(out / d) for d in ("aws-a", "aws-b")}
    real_write_text = Path.write_text
    calls = {"n": 0}

    def failing_write_text(self: Path, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing_write_text)
    with pytest.raises(OSError):
        write_packages(out, {"aws-a": {"a/x.py": "new a\n"}, "aws-b": {"b/y.py": "new b\n"}})
    monkeypatch.undo()
    assert {d: read_tree(out / d) for d in ("aws-a", "aws-b")} == before
    assert sorted(p.name for p in out.iterdir()) == ["aws-a", "aws-b"]  # no staging left behind


def test_files_that_disappear_from_a_package_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write_packages(out, {"aws-a": {"a/x.py": "1\n", "a/gone.py": "2\n"}})
    write_packages(out, {"aws-a": {"a/x.py": "1\n"}})
    assert read_tree(out / "aws-a") == {"a/x.py": "1\n"}


def test_diff_shows_changed_added_and_removed_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write_packages(out, {"aws-a": {"a/x.py": "1\n", "a/old.py": "o\n"}})
    diff = diff_packages(out, {"aws-a": {"a/x.py": "2\n", "a/new.py": "n\n"}})
    assert "-1\n+2\n" in diff and "+++ b/aws-a/a/new.py" in diff and "--- a/aws-a/a/old.py" in diff
    assert diff_packages(out, {"aws-a": {"a/x.py": "1\n", "a/old.py": "o\n"}}) == ""
    assert write  # the module under test


def test_failure_while_swapping_restores_the_old_trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    out = tmp_path / "generated"
    write_packages(out, {"aws-a": {"a/x.py": "old a\n"}, "aws-b": {"b/y.py": "old b\n"}})
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # a aside, a in, b aside, then b in fails
            raise OSError("device busy")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_packages(out, {"aws-a": {"a/x.py": "new a\n"}, "aws-b": {"b/y.py": "new b\n"}})
    monkeypatch.undo()
    assert read_tree(out / "aws-a") == {"a/x.py": "old a\n"}
    assert read_tree(out / "aws-b") == {"b/y.py": "old b\n"}


def test_build_leftovers_are_not_stale_output(tmp_path: Path) -> None:
    """``pip install ./generated/aws-x`` (not editable) leaves build/ and an .egg-info in the
    package folder: ``generate --check`` must not call that stale; another file is."""
    write_packages(tmp_path, {"aws-x": {"pyproject.toml": "x", "aws_x/__init__.py": ""}})
    for leftover in ("build/lib/aws_x/__init__.py", "dist/aws_x-0.1.0.tar.gz", "aws_x.egg-info/PKG-INFO"):
        (tmp_path / "aws-x" / leftover).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "aws-x" / leftover).write_text("")
    assert diff_packages(tmp_path, {"aws-x": {"pyproject.toml": "x", "aws_x/__init__.py": ""}}) == ""
    (tmp_path / "aws-x" / "aws_x" / "extra.py").write_text("x = 1\n")
    assert "extra.py" in diff_packages(tmp_path, {"aws-x": {"pyproject.toml": "x", "aws_x/__init__.py": ""}})
