"""load -> validate -> intermediate model -> render -> format, for one model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .format import format_files
from .load import ModelError, load_document
from .model.build import build_service
from .render import PackageSettings, render_package
from .validate import unsupported_protocol, validate_model


class UnsupportedProtocol(Exception):
    pass


def build_package(model_path: Path, settings: PackageSettings, *, fmt: bool = True) -> dict[str, str]:
    """Relative path -> final text of one distribution. Raises ModelError on a bad model."""
    raw: Any = load_document(model_path)
    label = settings.model_label
    problems = validate_model(raw, label)
    if problems:
        raise ModelError(problems)
    proto = unsupported_protocol(raw)
    if proto is not None:
        raise UnsupportedProtocol(f"{label}: protocol {proto!r} not supported yet")
    service = build_service(raw, label)
    files = render_package(service, settings)
    return format_files(files) if fmt else files
