"""load -> validate -> intermediate model -> render -> format, for one model."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

from . import legacy_retry
from .context_params import check_operation_context_params
from .format import format_files
from .customizations import check_against_model, customization_file, load_customizations
from .load import ModelError, find_beside, load_document
from .model.build import build_service
from .model.naming import service_name_for_model
from .paginators import Paginator, load_paginators, paginators_path
from .waiters import Waiter, load_waiters, waiters_path
from .render import PackageSettings, render_package
from .validate import unsupported_protocol, validate_model


class UnsupportedProtocol(Exception):
    pass


#: The partition table of the pinned botocore release, for models that come without one.
PINNED_PARTITIONS = Path(__file__).resolve().parent.parent / "models" / "partitions.json"


def _endpoints_source(model_path: Path, label: str) -> tuple[str, list[Any]] | None:
    """The compiled endpoint resolver, when the model has a rule set beside it
    (``endpoint-rule-set-1.json``, or ``.json.gz`` as in botocore's wheels), in its folder
    or the one above (botocore's ``<service>/<version>/`` layout).

    The partition table is looked up in the model's folder's parents (``models/`` in
    this repository, ``botocore/data`` in botocore); a model without one gets the pinned
    release's table. A model without a rule set gets no resolver, and the caller says so.
    """
    rules = find_beside([model_path.parent, model_path.parent.parent], "endpoint-rule-set-1.json")
    if rules is None:
        return None
    partitions = find_beside(model_path.parents, "partitions.json")
    if partitions is None:
        if not PINNED_PARTITIONS.exists():
            raise ModelError([f"{rules}: the rule set needs a partition table: put botocore's partitions.json "
                              f"beside the model or in a folder above it"])
        partitions = PINNED_PARTITIONS
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


def build_package(model_path: Path, settings: PackageSettings, *, fmt: bool = True,
                  render: Callable[..., dict[str, str]] = render_package) -> dict[str, str]:
    """Relative path -> final text of one distribution. Raises ModelError on a bad model.

    ``render`` takes the checked model in place of the package templates: the API
    reference (:mod:`generator.docs`) renders the same model into HTML."""
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
    retry_file = legacy_retry.find(model_path)
    if retry_file is not None:
        service = dataclasses.replace(service, legacy_retry=legacy_retry.compile_policy(retry_file,
                                                                                       service.endpoint_prefix))
    paginators: list[Paginator] = _beside(model_path, paginators_path, load_paginators, service)
    waiters: list[Waiter] = _beside(model_path, waiters_path, load_waiters, service)
    endpoints = _endpoints_source(model_path, label)
    if not settings.templates:
        files = render(service, settings, endpoints, paginators, waiters)
        files = format_files(files) if fmt else files
    else:
        files = _with_overrides(service, settings, endpoints, paginators, waiters)
    changelog = model_path.parent / "CHANGELOG.md"  # kept by `update` from the API diffs
    if changelog.is_file():
        files["CHANGELOG.md"] = changelog.read_text(encoding="utf-8")
    return files


def _with_overrides(service: Any, settings: PackageSettings, endpoints: Any, paginators: Any,
                    waiters: Any) -> dict[str, str]:
    """Render with a maintainer's template overrides (``--templates``), and hold their
    output to what the built-in templates promise: every Python file compiles and is
    black-stable. A failure is a ModelError naming the override folder and the file."""
    import black
    import jinja2

    folder = settings.templates
    try:
        files = render_package(service, settings, endpoints, paginators, waiters)
    except jinja2.TemplateSyntaxError as exc:
        raise ModelError([f"{exc.filename or folder}:{exc.lineno}: template syntax: {exc.message}"]) from None
    except jinja2.TemplateError as exc:
        raise ModelError([f"{folder}: rendering failed: {type(exc).__name__}: {exc}"]) from None
    problems = []
    for name, text in files.items():
        if not name.endswith(".py"):
            continue
        try:
            compile(text, name, "exec")
        except SyntaxError as exc:
            problems.append(f"{folder}: the templates render {name}, which does not compile: line {exc.lineno}: "
                            f"{exc.msg}")
    if problems:
        raise ModelError(problems)
    out = format_files(files)
    from .format import MODE

    for name, text in out.items():
        if name.endswith(".py") and black.format_str(text, mode=MODE) != text:
            problems.append(f"{folder}: the templates render {name}, which black does not leave unchanged")
    if problems:
        raise ModelError(problems)
    return out
