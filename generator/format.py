"""black, once per generated Python file, with a pinned configuration."""

from __future__ import annotations

import black

MODE = black.Mode(
    target_versions={black.TargetVersion.PY311},
    line_length=100,
    magic_trailing_comma=True,
)


def format_python(source: str, name: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:  # a generator bug, never a model problem
        raise RuntimeError(f"generated {name} is not valid Python: {exc}") from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {
        name: format_python(text, name) if name.endswith(".py") else text
        for name, text in files.items()
    }
