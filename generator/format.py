"""black, once per generated Python file, with a pinned configuration, cached by content.

black is by far the slowest step (about 1,100 lines a second here). Its output
depends only on its input, its version and its mode, so results are kept in
``<cache>/format/`` under the SHA-256 of those: regenerating after a model change
formats only the files whose unformatted text changed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import black

from .botocore_source import cache_dir

MODE = black.Mode(
    target_versions={black.TargetVersion.PY311},
    line_length=100,
    magic_trailing_comma=True,
)
_KEY_PREFIX = f"black {black.__version__} {MODE!r}\n".encode()


def _cache_path(source: str) -> Path:
    digest = hashlib.sha256(_KEY_PREFIX + source.encode("utf-8")).hexdigest()
    return cache_dir() / "format" / digest[:2] / f"{digest}.py"


def format_python(source: str, name: str) -> str:
    cached = _cache_path(source)
    if os.environ.get("AWSGEN_NO_FORMAT_CACHE") != "1":
        try:
            return cached.read_text(encoding="utf-8")
        except OSError:
            pass
    try:
        result = black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:  # a generator bug, never a model problem
        raise RuntimeError(f"generated {name} is not valid Python: {exc}") from exc
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(result)
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache only costs speed
    return result


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {
        name: format_python(text, name) if name.endswith(".py") else text
        for name, text in files.items()
    }
