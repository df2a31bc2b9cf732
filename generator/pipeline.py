"""load -> validate -> intermediate model -> render -> format, for one model."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .context_params import check_operation_context_params
from .format import format_files
from .customizations import check_against_model, customization_file, load_customizations
from .load import ModelError, load_document
from .model.build import build_service
from .model.naming import service_name_for_model
from .paginators import Paginator, load_paginators, paginators_path
from .waiters import Waiter, load_waiters, waiters_path
from .render import PackageSettings, render_package
from .validate import unsupported_protocol, validate_model


class UnsupportedProtocol(Exception):
    pass


def _endpoints_source(model_path: Path, label: str) -> tuple[str, list[Any]] | None:
    """The compiled endpoint resolver, when the model has a rule set beside it.

    The partition table is looked up in the model's folder's parents (``models/`` in
    this repository, ``botocore/data`` in the pinned release).
    """
    rules = model_path.parent / "endpoint-rule-set-1.json"
    if not rules.exists():
        rules = model_path.parent.parent / "endpoint-rule-set-1.json"
    partitions = next(
        (p / "partitions.json" for p in model_path.parents if (p / "partitions.json").exists()), None
    )
    if not rules.exists() or partitions is None:
        return None
    from .endpoints_compiler import compile_ruleset, compile_ruleset_parameters

    ruleset = load_document(rules)
    rules_label = label.rsplit("/", 1)[0] + "/" + rules.name if "/" in label else rules.name
    source = compile_ruleset(ruleset, load_document(partitions), origin=rules_label)
    return source, compile_ruleset_parameters(ruleset)


def _beside(model_path: Path, find: Callable[[Path], Path | None],
            load: Callable[[Path, Any], tuple[list[Any], list[str]]], service: Any) -> list[Any]:
    """What a file beside the model declares (paginators, waiters), checked against the
    service; a problem in it is a ModelError naming the file and JSON path."""
    found = find(model_path)
    if found is None:
        return []
    items, problems = load(found, service)
    if problems:
        raise ModelError(problems)
    return items


def build_package(model_path: Path, settings: PackageSettings, *, fmt: bool = True) -> dict[str, str]:
    """Relative path -> final text of one distribution. Raises ModelError on a bad model."""
    raw: Any = load_document(model_path)
    label = settings.model_label
    problems = validate_model(raw, label)
    if problems:
        raise ModelError(problems)
    preferred = dict(settings.options).get("protocol")
    if preferred is not None:
        meta = raw["metadata"]
        listed = meta.get("protocols") or [meta.get("protocol")]
        if preferred not in listed:
            raise ModelError([f"{label}: $.metadata.protocols: the manifest asks for protocol {preferred!r}, "
                              f"which the model does not list ({', '.join(map(str, listed))})"])
    proto = unsupported_protocol(raw)
    if proto is not None:
        raise UnsupportedProtocol(f"{label}: protocol {proto!r} not supported yet")
    service_name = service_name_for_model(model_path)
    customizations = load_customizations(service_name)
    problems = check_against_model(customizations, raw, str(customization_file(service_name)))
    if problems:
        raise ModelError(problems)
    service = build_service(raw, label, preferred, customizations)
    problems = check_operation_context_params(service)
    if problems:
        raise ModelError(problems)
    paginators: list[Paginator] = _beside(model_path, paginators_path, load_paginators, service)
    waiters: list[Waiter] = _beside(model_path, waiters_path, load_waiters, service)
    endpoints = _endpoints_source(model_path, label)
    files = render_package(service, settings, endpoints, paginators, waiters)
    return format_files(files) if fmt else files
