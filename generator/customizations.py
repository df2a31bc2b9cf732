"""Per-service customizations: what botocore adds in handlers, declared as data.

``models/customizations/<service>.yaml``, validated by the schema below; each key
switches on one generator feature. A missing file means no customization.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from .load import ModelError, load_document

DIRECTORY = Path(__file__).resolve().parent.parent / "models" / "customizations"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # Operations whose requestUri starts with this text lose it (the endpoint holds it).
        "strip_request_uri_prefix": {"type": "string", "pattern": "^/\\{[A-Za-z0-9_]+\\}$"},
        # Operations whose endpoint hostPrefix is exactly ``prefix`` lose it (the endpoint
        # rule set already puts that label in the host), when they set the static context
        # parameter ``if_static_context_param`` to true (the rule set's cue to do so).
        "drop_host_prefix": {
            "type": "object",
            "additionalProperties": False,
            "required": ["prefix", "if_static_context_param"],
            "properties": {
                "prefix": {"type": "string", "minLength": 1},
                "if_static_context_param": {"type": "string", "minLength": 1},
            },
        },
    },
}


def load_customizations(service: str, directory: Path = DIRECTORY) -> dict[str, Any]:
    path = directory / f"{service}.yaml"
    if not path.exists():
        return {}
    raw = load_document(path) or {}
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw), key=lambda e: list(map(str, e.path)))
    if errors:
        raise ModelError([f"{path}: $.{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors])
    return dict(raw)


def strip_uri_prefix(request_uri: str, prefix: str) -> str:
    """``/{Bucket}/{Key+}`` -> ``/{Key+}``; ``/{Bucket}?uploads`` -> ``?uploads``: an empty
    path, which the client reads as the endpoint's own (``https://b.s3.../`` or ``.../b``)."""
    if not request_uri.startswith(prefix):
        return request_uri
    return request_uri[len(prefix):]
