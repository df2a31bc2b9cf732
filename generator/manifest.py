"""The YAML manifest: which models to generate, into which packages, with which settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .load import ModelError, load_document
from .model.naming import package_names

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["services"],
    "additionalProperties": False,
    "properties": {
        "source": {"type": "object"},
        "output": {"type": "string"},
        "services": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "model"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "model": {"type": "string"},
                    "package": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "distribution": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                    "version": {"type": "string"},
                    "options": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "anonymous": {"type": "boolean"},
                            # one of the model's metadata.protocols, instead of botocore's choice
                            "protocol": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    model: Path  # absolute
    model_label: str  # as written in generated headers: relative to the repo
    package: str
    distribution: str
    version: str = "0.1.0"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    path: Path
    output: Path
    services: tuple[ServiceEntry, ...]


def load_manifest(path: Path) -> Manifest:
    raw = load_document(path)
    errors = sorted(jsonschema.Draft202012Validator(_SCHEMA).iter_errors(raw), key=lambda e: list(map(str, e.path)))
    if errors:
        raise ModelError([f"{path}: $.{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors])
    models_dir = path.parent
    root = models_dir.parent
    entries = []
    for s in raw["services"]:
        model = (models_dir / s["model"]).resolve()
        entries.append(
            ServiceEntry(
                name=s["name"],
                model=model,
                model_label=(Path(models_dir.name) / s["model"]).as_posix(),
                package=s.get("package") or package_names(s["name"])[0],
                distribution=s.get("distribution") or package_names(s["name"])[1],
                version=s.get("version", "0.1.0"),
                options=dict(s.get("options", {})),
            )
        )
    return Manifest(path=path, output=(root / raw.get("output", "generated")).resolve(), services=tuple(entries))
