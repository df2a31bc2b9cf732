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
    target_versions={black.TargetVersion.PY310},
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


_TOP_LEVEL = ("def ", "class ", "@")


def split_top_level(source: str) -> list[str]:
    """The source cut before each top-level ``def``, ``class`` or decorator.

    Generated modules are a header followed by top-level definitions; black formats
    each definition independently of the others, apart from the two blank lines it
    puts between them, which :func:`format_chunked` restores.
    """
    chunks: list[str] = []
    current: list[str] = []
    for line in source.splitlines(keepends=True):
        if line.startswith(_TOP_LEVEL) and current and not current[-1].startswith("@"):
            chunks.append("".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("".join(current))
    return chunks


def format_chunked(source: str, name: str) -> str:
    """black's output for ``source``, computed per top-level definition (each cached).

    When a model changes, most definitions of a module render as before and come
    straight from the cache, so only what changed is formatted again. Tests check
    that this equals black on the whole file for every committed package.
    """
    parts = [format_python(chunk, name).strip("\n") for chunk in split_top_level(source)]
    return "\n\n\n".join(p for p in parts if p) + "\n"


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {
        name: format_chunked(text, name) if name.endswith(".py") else text
        for name, text in files.items()
    }
