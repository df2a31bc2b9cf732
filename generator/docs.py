"""``python -m generator docs``: the API reference, static HTML from the models the packages come from.

Each model goes through ``generate``'s own pipeline (load, validate, customizations, the
intermediate model, paginators and waiters: :func:`generator.pipeline.build_package` with
a renderer that keeps the checked model instead of rendering the package), and the pages
are filled from :class:`generator.render.PackageView`'s context, the one the package
templates see: method and argument names, annotations, required flags and the error
classes are the generated code's. Constraints are read off the shapes as
:class:`generator.codegen.Codegen` validates them (lengths, ranges, item and entry
counts, enum values; patterns are not checked, so not listed).

Templates under ``templates/docs`` mirror the output tree: ``__service__`` becomes a
package's distribution name, ``__operation__``, ``__shape__`` and ``__error__`` one page
per operation, structure or enum, and error; ``_partials/`` holds the layout and macros;
files that are not ``.jinja`` (the stylesheet and the search script) are copied as they
are. Beside the pages: ``search-index.json`` (every operation, parameter, shape, field,
enum, error, paginator and waiter, with its page) and ``search-index.js``, the same data
as a script, which the search box loads where ``fetch`` cannot read files (``file://``).

Output is the same bytes for the same input (no dates, no absolute paths, fixed
orders) and is written as ``generate`` writes packages (:func:`generator.write.write_packages`):
built in full in memory, then swapped in whole, so a bad model writes nothing.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import __version__
from .docs_examples import ExampleWriter
from .docs_html import sanitize, type_html
from .literals import plain_text
from .manifest import load_manifest
from .model.ir import Member, Operation, Service, Shape
from .model.naming import package_names, service_name_for_model
from .paginators import Paginator, paginator_views
from .pipeline import build_package
from .render import TEMPLATES, PackageSettings, PackageView, _all_elements
from .waiters import Waiter, waiter_views
from .write import write_packages

DOCS_TEMPLATES = TEMPLATES / "docs"
REPO = TEMPLATES.parent
DEFAULT_OUT = REPO / "docs" / "_build"
# Written into every build: a folder without it is not replaced (``--out ~`` must not wipe a home).
MARKER = ".awsgen-docs"
SEARCH_FIELDS = ("name", "kind", "service", "href", "context")


class DocsError(Exception):
    """A command-line mistake (an unknown ``--only`` name, an output folder not ours)."""


@dataclass(frozen=True)
class Loaded:
    """One model as ``generate`` checked it."""

    settings: PackageSettings
    service: Service
    paginators: tuple[Paginator, ...]
    waiters: tuple[Waiter, ...]


def load(model: Path, settings: PackageSettings) -> Loaded:
    """The checked model, through the pipeline ``generate`` uses; raises its ModelError."""
    kept: list[Loaded] = []

    def keep(service: Service, _settings: PackageSettings, _endpoints: Any, paginators: Any,
             waiters: Any) -> dict[str, str]:
        kept.append(Loaded(settings, service, tuple(paginators or ()), tuple(waiters or ())))
        return {}

    build_package(model, settings, fmt=False, render=keep)
    return kept[0]


# ----- what the pages show ------------------------------------------------------------
_FULLNAME = re.compile(r"<fullname>.*?</fullname>", re.S)


def summary(doc: str, limit: int = 160) -> str:
    """The first sentence of a documentation string, as plain text: of its first paragraph
    of six words or more (services' documentation opens with titles and lists of links)."""
    paragraphs = [p.replace("\n", " ") for p in plain_text(_FULLNAME.sub("", doc)).split("\n\n")]
    text = next((p for p in paragraphs if len(p.split()) >= 6 and not p.startswith("- ")), paragraphs[0])
    end = text.find(". ")
    if 0 <= end < limit:
        text = text[: end + 1]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _bound(shape: Shape, what: str) -> list[str]:
    lo, hi = shape.min, shape.max
    if lo is not None and hi is not None:
        return [f"{what} {_number(lo)} to {_number(hi)}"]
    if lo is not None:
        return [f"{what} at least {_number(lo)}"]
    if hi is not None:
        return [f"{what} at most {_number(hi)}"]
    return []


def constraints(shapes: dict[str, Shape], m: Member, depth: int = 0) -> list[str]:
    """What the generated validation checks of a value of ``m`` beyond its type."""
    shape = shapes[m.target]
    t = shape.type
    if (m.jsonvalue and m.location == "header") or shape.event_stream:
        return []
    out: list[str] = []
    if t == "string" or (t == "blob" and not shape.streaming):
        out += _bound(shape, "length")
    elif t in ("integer", "long", "float", "double"):
        out += _bound(shape, "value")
    elif t == "list" and shape.member is not None:
        out += _bound(shape, "items:")
        if depth < 2:
            out += [f"each item: {c}" for c in constraints(shapes, shape.member, depth + 1)]
    elif t == "map" and shape.key is not None and shape.value is not None:
        out += _bound(shape, "entries:")
        if depth < 2:
            out += [f"each key: {c}" for c in constraints(shapes, shape.key, depth + 1)]
            out += [f"each value: {c}" for c in constraints(shapes, shape.value, depth + 1)]
    elif t == "union":
        out.append("exactly one member set")
    if t == "string" and shape.enum:
        out.append("one of: " + ", ".join(shape.enum) if len(shape.enum) <= 12 else
                   f"one of {len(shape.enum)} values")
    return out


def _file_stems(names: list[str]) -> dict[str, str]:
    """A file name per page name, distinct even on a case-insensitive file system."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in names:
        stem, n = name, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{name}-{n}"
        taken.add(stem.lower())
        out[name] = stem
    return out


@dataclass(frozen=True)
class Field:
    """A parameter of a method, or a member of a class, as a row of a table."""

    py_name: str
    annotation: str
    required: bool
    constraints: tuple[str, ...]
    enum_class: str | None
    doc: Markup
    deprecated: bool = False
    sensitive: bool = False


class ServiceDocs:
    """Everything one service's pages show, computed once from the package's own context."""

    def __init__(self, loaded: Loaded) -> None:
        service, settings = loaded.service, loaded.settings
        self.service = service
        self.settings = settings
        self.dir = settings.distribution
        view = PackageView(service, settings)
        ctx = view.context()
        self.ctx = ctx
        self.shapes = service.shapes
        self.gen = view.gen
        self.input_structs = view.input_structs
        self.output_structs = view.output_structs
        self.doc = Markup(sanitize(_FULLNAME.sub("", service.documentation)))  # the page's title says it
        self.structures: list[Shape] = ctx["structures"]
        self.enums: list[Shape] = ctx["enums"]
        self.exceptions: list[Shape] = ctx["exceptions"]
        self.ops: list[dict[str, Any]] = ctx["ops"]
        self.op_ir: dict[str, Operation] = {op.name: op for op in service.operations}
        self.paginators = paginator_views(list(loaded.paginators), self.ops, service, view.gen.annotation)
        self.waiters = waiter_views(list(loaded.waiters), self.ops, service)
        self.waiter_ir = {w.name: w for w in loaded.waiters}
        op_stems = _file_stems([op["py_name"] for op in self.ops])
        shape_stems = _file_stems([s.class_name for s in self.structures + self.enums])
        error_stems = _file_stems([s.class_name for s in self.exceptions])
        self.op_page = {op["name"]: f"{self.dir}/operations/{op_stems[op['py_name']]}.html" for op in self.ops}
        self.class_page = {s.class_name: f"{self.dir}/shapes/{shape_stems[s.class_name]}.html"
                           for s in self.structures + self.enums}
        self.error_page = {s.class_name: f"{self.dir}/errors/{error_stems[s.class_name]}.html"
                           for s in self.exceptions}
        self.index_page = f"{self.dir}/index.html"
        self.used_by = self._used_by()
        self.raised_by: dict[str, list[tuple[str, str]]] = {}
        for op in self.ops:
            for error in self.op_ir[op["name"]].errors:
                self.raised_by.setdefault(error, []).append((op["py_name"], self.op_page[op["name"]]))
        self.examples = ExampleWriter(service, settings.package, ctx["required_init"], ctx["enum_constants"])

    # ----- links --------------------------------------------------------------------
    def page_of(self, shape_name: str) -> str | None:
        shape = self.shapes[shape_name]
        return self.class_page.get(shape.class_name) if not shape.exception else self.error_page.get(shape.class_name)

    def _used_by(self) -> dict[str, list[tuple[str, str]]]:
        """Shape name -> (label, page) of the operations and classes whose fields hold it."""
        out: dict[str, set[tuple[str, str]]] = {}
        for op in self.ops:
            for shape_name in (op["input"], op["output"]):
                if shape_name:
                    out.setdefault(shape_name, set()).add((op["py_name"], self.op_page[op["name"]]))
        for owner in self.structures + self.exceptions:
            page = self.page_of(owner.name)
            for m in _all_elements(self.shapes, owner):
                target = self.shapes[m.target]
                if (target.is_structure or target.is_enum) and page and target.name != owner.name:
                    out.setdefault(target.name, set()).add((owner.class_name, page))
        return {name: sorted(uses) for name, uses in out.items()}

    # ----- rows -----------------------------------------------------------------------
    def field(self, m: Member, annotation: str, required: bool, validated: bool) -> Field:
        target = self.shapes[m.target]
        return Field(
            py_name=m.py_name,
            annotation=annotation,
            required=required,
            constraints=tuple(constraints(self.shapes, m)) if validated else (),
            enum_class=target.class_name if target.is_enum and target.class_name in self.class_page else None,
            # a member the model leaves undocumented takes its type's words (enums, strings)
            doc=Markup(sanitize(m.documentation or ("" if target.is_structure else target.documentation))),
            deprecated=m.deprecated,
            sensitive=target.sensitive,
        )

    def params(self, op: dict[str, Any]) -> list[Field]:
        """The method's keyword arguments, in its signature's order, as the client declares them."""
        if not op["input"]:
            return []
        members = {m.py_name: m for m in self.shapes[op["input"]].members}
        return [self.field(members[p["py_name"]], p["annotation"], p["required"], True) for p in op["params"]]

    def members(self, shape: Shape) -> list[Field]:
        is_input = shape.name in self.input_structs and not shape.exception
        required = self.ctx["required_init"].get(shape.name, {})
        # an error's attributes: a member named like ServiceError's own gets a "_"
        names = self.ctx["error_attr"].get(shape.name, {}) if shape.exception else {}
        rows = []
        for m in shape.members:
            annotation = self.gen.member_annotation(m, "_shapes.", owner_is_input=is_input)
            row = self.field(m, annotation, bool(required.get(m.name)), is_input)
            rows.append(replace(row, py_name=names.get(m.name, m.py_name)))
        return rows

    # ----- pages ----------------------------------------------------------------------
    def operation(self, op: dict[str, Any]) -> dict[str, Any]:
        ir = self.op_ir[op["name"]]
        out_shape = self.shapes[op["output"]] if op["output"] else None
        return {
            "view": op,
            "ir": ir,
            "doc": Markup(sanitize(ir.documentation)),
            "params": self.params(op),
            "output": out_shape,
            "output_fields": self.members(out_shape) if out_shape else [],
            "errors": [self.shapes[e] for e in ir.errors],
            "paginators": [p for p in self.paginators if p["name"] == op["name"]],
            "waiters": [w for w in self.waiters if self.waiter_ir[w["name"]].operation == op["name"]],
            "example": self.examples.call(op["py_name"], op["input"], op["params"], bool(op["output"])),
        }

    def paginator(self, p: dict[str, Any]) -> dict[str, Any]:
        op = next(o for o in self.ops if o["name"] == p["name"])
        extra = [(p["extra"]["page_size"], "int | None", "how many items a page asks for")] if p["has_limit"] else []
        extra += [(p["extra"]["max_items"], "int | None", "stop after this many items, leaving resume_token"),
                  (p["extra"]["starting_token"], "str | None", "a resume_token, to go on from there")]
        kept = {x["py_name"] for x in p["params"]}
        return {"view": p, "op": op, "params": [f for f in self.params(op) if f.py_name in kept], "extra": extra}

    def waiter(self, w: dict[str, Any]) -> dict[str, Any]:
        ir = self.waiter_ir[w["name"]]
        op = next(o for o in self.ops if o["py_name"] == w["op_method"])
        return {"view": w, "ir": ir, "op": op, "params": self.params(op)}

    def search_entries(self) -> list[list[str]]:
        label = self.service.service_id
        entries = []
        for op in self.ops:
            page = self.op_page[op["name"]]
            entries.append([op["py_name"], "operation", label, page, op["name"]])
            for p in op["params"]:
                entries.append([p["py_name"], "parameter", label, f"{page}#param-{p['py_name']}", op["py_name"]])
        for p in self.paginators:
            entries.append([p["method"], "paginator", label, f"{self.index_page}#{p['method']}", p["op_method"]])
        for w in self.waiters:
            entries.append([w["method"], "waiter", label, f"{self.index_page}#{w['method']}", w["op_method"]])
        for shape in self.structures + self.enums + self.exceptions:
            page = self.page_of(shape.name) or self.index_page
            kind = "error" if shape.exception else "enum" if shape.is_enum else "shape"
            entries.append([shape.class_name, kind, label, page, shape.name])
            for f in self.members(shape):
                entries.append([f.py_name, "field", label, f"{page}#field-{f.py_name}", shape.class_name])
        return entries


# ----- rendering ----------------------------------------------------------------------
def _relative(page: str, target: str) -> str:
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(page) or ".") if path else ""
    return rel + ("#" + fragment if fragment else "")


@jinja2.pass_context
def _url(ctx: Any, target: str) -> str:
    return _relative(ctx["page"], target)


@jinja2.pass_context
def _root(ctx: Any) -> str:
    """The way from this page up to the site's root: "" or "../" per folder."""
    page: str = ctx["page"]
    return "../" * page.count("/")


@jinja2.pass_context
def _typeref(ctx: Any, annotation: str) -> Markup:
    svc: ServiceDocs = ctx["svc"]
    page = ctx["page"]

    def link(class_name: str) -> str | None:
        target = svc.class_page.get(class_name) or svc.error_page.get(class_name)
        return _relative(page, target) if target else None

    return Markup(type_html(annotation, link))


def make_docs_env() -> jinja2.Environment:
    """HTML templates: autoescaped (model text is escaped unless it went through :func:`sanitize`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(url=_url, root=_root, typeref=_typeref, summary=summary, version=__version__,
                       sanitize_doc=lambda doc: Markup(sanitize(doc)))
    return env


def _pages(svc: ServiceDocs, rel: str) -> list[tuple[str, dict[str, Any]]]:
    """(output path, page context) for each page one service template gives."""
    rel = rel.replace("__service__", svc.dir)
    if "__operation__" in rel:
        return [(svc.op_page[op["name"]], {"op": svc.operation(op)}) for op in svc.ops]
    if "__shape__" in rel:
        return [(svc.class_page[s.class_name], {"shape": s}) for s in svc.structures + svc.enums]
    if "__error__" in rel:
        return [(svc.error_page[s.class_name], {"shape": s}) for s in svc.exceptions]
    return [(rel, {})]


def render_docs(loaded: list[Loaded]) -> dict[str, str]:
    """Relative path -> text of the whole site."""
    env = make_docs_env()
    services = [ServiceDocs(x) for x in loaded]
    files: dict[str, str] = {MARKER: "An API reference built by `python -m generator docs`, which replaces this "
                                     "folder whole.\n"}
    for path in sorted(p for p in DOCS_TEMPLATES.rglob("*") if p.is_file()):
        rel = path.relative_to(DOCS_TEMPLATES).as_posix()
        if rel.startswith("_partials/"):
            continue
        if not rel.endswith(".jinja"):
            files[rel] = path.read_text(encoding="utf-8")
            continue
        template = env.get_template(f"docs/{rel}")
        rel = rel.removesuffix(".jinja")
        if "__service__" not in rel:
            files[rel] = template.render(page=rel, services=services)
            continue
        for svc in services:
            for page, extra in _pages(svc, rel):
                files[page] = template.render(page=page, svc=svc, **extra)
    entries = [e for svc in services for e in svc.search_entries()]
    index = json.dumps({"format": "awsgen-docs-search/1", "fields": SEARCH_FIELDS, "entries": entries},
                       ensure_ascii=True, separators=(",", ":"))
    files["search-index.json"] = index + "\n"
    files["search-index.js"] = f"window.AWSGEN_SEARCH_INDEX = {index};\n"
    return files


# ----- the command --------------------------------------------------------------------
def selected(args: argparse.Namespace) -> list[tuple[Path, PackageSettings]]:
    """The models the command line names: one ``--model``, else the manifest's (``--only`` some)."""
    if args.only and args.model:
        raise DocsError("--only picks services of the manifest; --model documents one model: give one of them")
    if args.package and not args.model:
        raise DocsError("--package names the package of --model; give --model too")
    if args.model:
        model = Path(args.model)
        package, distribution = package_names(service_name_for_model(model))
        if args.package:
            package, distribution = args.package, args.package.replace("_", "-")
        return [(model, PackageSettings(package=package, distribution=distribution, model_label=model.as_posix()))]
    manifest = load_manifest(Path(args.manifest))
    entries = list(manifest.services)
    if args.only:
        unknown = sorted(set(args.only) - {e.name for e in entries})
        if unknown:
            raise DocsError(f"--only: not in {args.manifest}: {', '.join(unknown)} "
                             f"(it lists {', '.join(e.name for e in entries)})")
        entries = [e for e in entries if e.name in args.only]
    return [(e.model, PackageSettings(package=e.package, distribution=e.distribution, model_label=e.model_label,
                                      version=e.version, options=tuple(sorted(e.options.items()))))
            for e in entries]


def write_docs(out: Path, files: dict[str, str]) -> None:
    """Replace ``out`` with the site, all or nothing; refuses a folder that is not an earlier build."""
    out = out.resolve()
    if out.parent == out:
        raise DocsError(f"{out}: give a folder of its own for the API reference")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise DocsError(f"{out}: not empty and not an API reference built here (no {MARKER} in it): refusing to "
                         f"replace it; choose a new or empty folder")
    write_packages(out.parent, {out.name: files})


def run(args: argparse.Namespace) -> int:
    """``docs``: ModelError and UnsupportedProtocol go to the caller, which prints them."""
    out = Path(args.out) if args.out else DEFAULT_OUT
    try:
        jobs = selected(args)
        files = render_docs([load(model, settings) for model, settings in jobs])
        write_docs(out, files)
    except DocsError as exc:
        print(exc, file=sys.stderr)
        return 2
    pages = sum(1 for name in files if name.endswith(".html"))
    print(f"wrote {out}: {pages} pages for {len(jobs)} service(s); open {out / 'index.html'}")
    return 0
