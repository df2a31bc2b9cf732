"""Writing generated trees atomically, and comparing them for ``--check``."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path


def write_packages(out_root: Path, packages: dict[str, dict[str, str]]) -> None:
    """Replace ``out_root/<dist>`` for every package, all or nothing.

    Each tree is first written in full under a staging directory on the same file
    system; only then are the old trees moved aside and the new ones moved in, so an
    error while writing leaves ``out_root`` as it was.
    """
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_root))
    try:
        for dist, files in packages.items():
            for rel, text in files.items():
                path = staging / dist / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
        swapped: list[str] = []
        try:
            for dist in packages:
                target = out_root / dist
                old = staging / (dist + ".old")
                if target.exists():
                    os.replace(target, old)
                swapped.append(dist)
                os.replace(staging / dist, target)
        except OSError:
            # Put back every tree already moved aside, newest first.
            for dist in reversed(swapped):
                target, old = out_root / dist, staging / (dist + ".old")
                if old.exists():
                    if target.exists():
                        shutil.rmtree(target)
                    os.replace(old, target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# pip install ./pkg (not -e) and python -m build leave these in a package folder (read
# from the package folder or from the folder of packages above it).
_BUILD_LEFTOVERS = frozenset({"build", "dist"})


def read_tree(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        # What installing or building a package leaves in its folder is not generated output.
        if path.is_file() and "__pycache__" not in rel.parts and not path.name.endswith(".pyc") \
                and ".egg-info" not in str(rel) and not _BUILD_LEFTOVERS.intersection(rel.parts[:2]):
            out[rel.as_posix()] = path.read_text(encoding="utf-8")
    return out


def diff_packages(out_root: Path, packages: dict[str, dict[str, str]]) -> str:
    """A unified diff from what is on disk to what would be written ('' if current)."""
    chunks: list[str] = []
    for dist, files in sorted(packages.items()):
        current = read_tree(out_root / dist)
        for rel in sorted(set(current) | set(files)):
            old, new = current.get(rel), files.get(rel)
            if old == new:
                continue
            chunks.extend(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    (new or "").splitlines(keepends=True),
                    fromfile=f"a/{dist}/{rel}" if old is not None else "/dev/null",
                    tofile=f"b/{dist}/{rel}" if new is not None else "/dev/null",
                )
            )
    return "".join(chunks)
