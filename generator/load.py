"""Reading models: JSON or YAML, optionally gzipped, with the file name kept for errors."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml


class ModelError(Exception):
    """A model could not be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    def __reduce__(self) -> tuple[type[ModelError], tuple[list[str]]]:
        # Keeps ``problems`` a list when the error crosses a worker-process boundary.
        return (ModelError, (self.problems,))


def find_beside(folders: Iterable[Path], name: str) -> Path | None:
    """The first ``name`` (or ``name.gz``, as botocore's wheels ship its data) in
    ``folders``, looked for in order: a model's companion files (rule set, paginators,
    waiters) and the tables above it (partitions, retry policies)."""
    for folder in folders:
        for candidate in (folder / name, folder / (name + ".gz")):
            if candidate.exists():
                return candidate
    return None


def load_document(path: Path) -> Any:
    """Parse a JSON or YAML file (``.gz`` allowed). Errors name the file and position."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError([f"{path}: cannot read: {exc.strerror or exc}"]) from exc
    name = path.name
    if name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ModelError([f"{path}: not a valid gzip file: {exc}"]) from exc
        name = name[:-3]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError([f"{path}: not UTF-8 text: {exc}"]) from exc
    if name.endswith((".yaml", ".yml")):
        try:
            doc = yaml.safe_load(text)
            # Back through JSON: YAML's dates become strings ("apiVersion: 2018-09-07"),
            # and aliases that form a loop are refused instead of looping later.
            return json.loads(json.dumps(doc, default=str))
        except ValueError as exc:
            raise ModelError([f"{path}: $: not JSON-like data: {exc}"]) from exc
        except RecursionError as exc:
            raise ModelError([f"{path}: $: nested too deeply to be a service model"]) from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise ModelError([f"{path}: invalid YAML{where}: {getattr(exc, 'problem', exc)}"]) from exc
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ModelError([f"{path}: $: nested too deeply to be a service model"]) from exc
    except json.JSONDecodeError as exc:
        raise ModelError([f"{path}: invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"]) from exc
