"""Paginators: botocore's ``paginators-1.json`` beside a model, checked and compiled.

Each paginator names an operation, the input members its page tokens go into
(``input_token``), where the next tokens are in an answer (``output_token``: paths like
``NextToken``, ``DistributionList.NextMarker``, ``Jobs[-1].JobId`` or
``NextMarker || Contents[-1].Key``), an optional ``more_results`` path, the
``limit_key`` member that takes the page size, the ``result_key`` paths whose items
make up the listing and the ``non_aggregate_keys``. Paths are resolved here, against
the model, into tuples of Python attribute names and list indexes (the generated
code walks them with ``awsgen_runtime.paginate.get``); a path the model does not
have is an error naming the file and JSON path, as for the model itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import find_beside, load_document
from .model.ir import Service, Shape

PAGINATORS_FILE = "paginators-1.json"
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[-?[0-9]+\])*)")


@dataclass(frozen=True)
class Path_:
    """A compiled path: the steps (attribute names and indexes) and the shape it ends on."""

    steps: tuple[str | int, ...]
    shape: Shape | None


@dataclass(frozen=True)
class Paginator:
    operation: str  # the model's operation name
    token_names: tuple[str, ...]  # the input token members' model names (resume tokens' keys)
    input_tokens: tuple[str, ...]  # input members' Python names
    token_shapes: tuple[Shape, ...]  # the input token members' shapes
    output_tokens: tuple[tuple[Path_, ...], ...]  # per token, the alternatives of "a || b"
    more_results: Path_ | None
    limit_member: str | None  # the limit_key member's Python name
    limit_is_text: bool  # the limit member is a string (Route 53's MaxItems)
    result_keys: tuple[Path_, ...]
    non_aggregate_keys: tuple[Path_, ...]


def paginators_path(model_path: Path) -> Path | None:
    """``paginators-1.json`` (or ``.json.gz``) beside the model, or None."""
    return find_beside([model_path.parent, model_path.parent.parent], PAGINATORS_FILE)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def load_paginators(path: Path, service: Service) -> tuple[list[Paginator], list[str]]:
    """(paginators, problems), each problem ``<file>: <JSON path>: <text>``."""
    doc = load_document(path)
    problems: list[str] = []
    table = doc.get("pagination") if isinstance(doc, dict) else None
    if not isinstance(table, dict):
        return [], [f"{path}: $.pagination: expected an object of paginators"]
    extras = path.with_name("paginators-1.sdk-extras.json")
    if extras.exists():  # botocore merges these in (non-aggregate keys, so far)
        merged = (load_document(extras).get("merge") or {}).get("pagination") or {}
        table = {name: {**spec, **merged.get(name, {})} if isinstance(spec, dict) else spec
                 for name, spec in table.items()}
    ops = {op.name: op for op in service.operations}
    out: list[Paginator] = []
    for name, spec in sorted(table.items()):
        where = f"{path}: $.pagination.{name}"
        op = ops.get(name)
        if op is None:
            problems.append(f"{where}: the model has no operation {name!r}")
            continue
        if not isinstance(spec, dict) or not op.input or not op.output:
            problems.append(f"{where}: a paginator needs an object and an operation with input and output")
            continue
        inp, outp = service.shape(op.input), service.shape(op.output)
        in_members = {m.name: m for m in inp.members}

        def member(key: str, value: Any) -> tuple[str, Shape] | None:
            m = in_members.get(value) if isinstance(value, str) else None
            if m is None:
                problems.append(f"{where}.{key}: the input has no member {value!r}")
                return None
            return m.py_name, service.shape(m.target)

        def path_of(key: str, text: Any) -> Path_ | None:
            compiled = _compile(service, outp, text) if isinstance(text, str) else None
            if compiled is None:
                problems.append(f"{where}.{key}: {text!r} is not a path in the output")
            return compiled

        token_names = _as_list(spec.get("input_token"))
        tokens = [member("input_token", t) for t in token_names]
        outputs = []
        for i, text in enumerate(_as_list(spec.get("output_token"))):
            alternatives = [path_of(f"output_token[{i}]", part.strip()) for part in str(text).split("||")]
            outputs.append(tuple(a for a in alternatives if a is not None))
        if len(outputs) != len(tokens):
            problems.append(f"{where}: {len(tokens)} input tokens but {len(outputs)} output tokens")
        more = path_of("more_results", spec["more_results"]) if "more_results" in spec else None
        limit = member("limit_key", spec["limit_key"]) if "limit_key" in spec else None
        results = [path_of(f"result_key[{i}]", t) for i, t in enumerate(_as_list(spec.get("result_key")))]
        others = [path_of(f"non_aggregate_keys[{i}]", t) for i, t in enumerate(spec.get("non_aggregate_keys", []))]
        if any(t is None for t in tokens) or not results:
            continue
        out.append(Paginator(
            operation=name,
            token_names=tuple(token_names),
            input_tokens=tuple(t[0] for t in tokens if t is not None),
            token_shapes=tuple(t[1] for t in tokens if t is not None),
            output_tokens=tuple(outputs),
            more_results=more,
            limit_member=limit[0] if limit else None,
            limit_is_text=bool(limit and limit[1].type == "string"),
            result_keys=tuple(r for r in results if r is not None),
            non_aggregate_keys=tuple(r for r in others if r is not None),
        ))
    return out, problems


def _compile(service: Service, shape: Shape, text: str) -> Path_ | None:
    """``A.B[-1].C`` against ``shape``: the attribute names and indexes, and the end shape."""
    steps: list[str | int] = []
    current: Shape | None = shape
    for part in text.split("."):
        found = _STEP.fullmatch(part)
        if found is None or current is None or current.type != "structure":
            return None
        m = next((m for m in current.members if m.name == found.group(1)), None)
        if m is None:
            return None
        steps.append(m.py_name)
        current = service.shape(m.target)
        for index in re.findall(r"-?[0-9]+", found.group(2)):
            if current.type != "list" or current.member is None:
                return None
            steps.append(int(index))
            current = service.shape(current.member.target)
    return Path_(tuple(steps), current)


def paginator_views(paginators: list[Paginator], ops: list[dict[str, Any]], service: Service,
                    annotation: Any) -> list[dict[str, Any]]:
    """What the client template needs per paginator: the method's parameters (the
    operation's, less its tokens and limit member, plus page_size, max_items and
    starting_token), its return annotation and the spec's constructor arguments."""
    from .literals import pylit

    by_name = {op["name"]: op for op in ops}
    views = []
    for p in paginators:
        op = by_name[p.operation]
        dropped = set(p.input_tokens) | ({p.limit_member} if p.limit_member else set())
        params = [x for x in op["params"] if x["py_name"] not in dropped or x["required"]]
        taken = {x["py_name"] for x in params}

        def free(name: str) -> str:
            while name in taken:
                name += "_"
            return name

        extra = {k: free(k) for k in ("page_size", "max_items", "starting_token")}
        primary = p.result_keys[0].shape
        item = (annotation(primary.member.target, "_shapes.") if primary is not None and primary.type == "list"
                and primary.member is not None else "_t.Any")
        codecs = []
        for py, shape in zip(p.input_tokens, p.token_shapes):
            if shape.type == "map" and shape.value is not None and service.protocol in ("json", "rest-json"):
                value = service.shape(shape.value.target)
                if value.type in ("structure", "union"):
                    codecs.append(f"{py!r}: (lambda v: {{k: _serde._ser_{value.name}(x) for k, x in v.items()}}, "
                                  f"lambda j: {{k: _serde._de_{value.name}(x) for k, x in j.items()}})")
        args = ", ".join([
            pylit(p.operation), pylit(p.token_names), pylit(p.input_tokens),
            pylit(tuple(tuple(a.steps for a in alts) for alts in p.output_tokens)),
            pylit(p.more_results.steps if p.more_results else None), pylit(p.limit_member),
            pylit(tuple(r.steps for r in p.result_keys)), pylit(tuple(r.steps for r in p.non_aggregate_keys)),
        ] + (["codecs={" + ", ".join(codecs) + "}"] if codecs else [])
          + (["limit_is_text=True"] if p.limit_is_text else []))
        views.append({
            "name": p.operation,
            "method": "paginate_" + op["py_name"],
            "op_method": op["py_name"],
            "params": params,
            "extra": extra,
            "has_limit": p.limit_member is not None,
            "page": op["return_annotation"],
            "item": item,
            "spec_args": args,
        })
    return views
