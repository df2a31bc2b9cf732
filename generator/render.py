"""Rendering: the Jinja environment, its filters, and the context of one package.

The template tree under ``templates/package`` mirrors a generated distribution; the
path segment ``__package__`` becomes the import name. Templates see only the
intermediate model and fragments built by :mod:`generator.codegen`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import __version__
from .codegen import Code, Codegen, fold_validation_line
from .context_params import endpoint_context
from .literals import comment, docstring, pylit
from .model.ir import Member, Operation, Service, Shape
from .model.naming import constant_name, snake_case
from .paginators import paginator_views
from .waiters import waiter_views
from .build import runtime_requirement, runtime_version
from .protocols import protocol_class

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# What every package requires of the runtime: the series of the runtime it is generated with.
RUNTIME_REQUIREMENT = runtime_requirement(runtime_version())
# Endpoint rule-set built-ins and the client setting each comes from.
_BUILTIN_SETTINGS = {
    "AWS::Region": "region",
    "AWS::UseFIPS": "self._config.use_fips",
    "AWS::UseDualStack": "self._config.use_dualstack",
    "SDK::Endpoint": "endpoint_url",
    "AWS::S3::ForcePathStyle": "self._config.s3_force_path_style",
    "AWS::S3::Accelerate": "self._config.s3_accelerate",
    "AWS::S3::UseGlobalEndpoint": "self._config.s3_use_global_endpoint(region)",
    "AWS::Auth::AccountIdEndpointMode": "self._account_id_endpoint_mode",
    # AWS::Auth::AccountId is the credentials': added per call (account_id_param).
}
_BUILTIN_TYPES = {"str", "int", "float", "bool", "bytes"}
_BUILTIN_REF = re.compile(r"(?<![.\w])(str|int|float|bool|bytes)\b")
_ERROR_RESERVED = {"code", "status_code", "request_id", "headers", "args", "with_traceback", "add_note"}


@dataclass(frozen=True)
class PackageSettings:
    """What the manifest (or the command line) says about one package."""

    package: str  # import name, e.g. aws_connectparticipant
    distribution: str  # e.g. aws-connectparticipant
    model_label: str  # how generated files name their model, e.g. models/x/service-2.json
    version: str = "0.1.0"
    options: tuple[tuple[str, Any], ...] = ()
    # A folder of templates that replace the built-in ones of the same relative path
    # (``--templates``); "" for none.
    templates: str = ""


def _tomlstr(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that astral characters must
    stay literal (JSON would write surrogate pairs) and DEL must be escaped."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def check_overrides(folder: Path) -> list[str]:
    """Problems with a folder of template overrides: each ``.jinja`` file in it must
    replace a built-in template of the same relative path (a typo must not pass silently)."""
    if not folder.is_dir():
        return [f"{folder}: --templates must be a folder of templates"]
    problems = []
    for path in sorted(folder.rglob("*.jinja")):
        rel = path.relative_to(folder).as_posix()
        if not (TEMPLATES / rel).is_file():
            problems.append(f"{path}: replaces no built-in template (no templates/{rel}); the built-in ones are "
                            f"under {TEMPLATES}")
    return problems


def make_env(overrides: str = "") -> jinja2.Environment:
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(str(TEMPLATES))
    if overrides:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(overrides), loader])
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pylit"] = pylit
    env.filters["docstring"] = docstring
    env.filters["tomlstr"] = _tomlstr
    return env


def _template_files() -> list[Path]:
    root = TEMPLATES / "package"
    return sorted(p for p in root.rglob("*.jinja") if p.is_file())


class PackageView:
    """Everything the templates of one package need, computed once."""

    def __init__(self, service: Service, settings: PackageSettings) -> None:
        self.service = service
        self.settings = settings
        self.gen = Codegen(service)
        shapes = service.shapes
        self.shapes = shapes
        ops = service.operations
        input_roots = [o.input for o in ops if o.input]
        output_roots = [o.output for o in ops if o.output]
        # Every exception shape, not only those operations list: an error code maps to
        # its shape whichever operation returned it, as botocore maps it.
        error_roots = sorted({e for o in ops for e in o.errors} | {n for n, s in shapes.items() if s.exception})
        self.input_structs = set(self.gen.reachable(input_roots))
        self.output_structs = set(self.gen.reachable(output_roots + error_roots))
        used = self.input_structs | self.output_structs
        self.exceptions = [shapes[n] for n in sorted(error_roots) if shapes[n].is_structure]
        exc_names = {s.name for s in self.exceptions}
        self.structures = [shapes[n] for n in sorted(used) if n not in exc_names]
        enum_names = sorted(
            {
                m.target
                for n in used
                for m in _all_elements(shapes, shapes[n])
                if shapes[m.target].is_enum
            }
        )
        self.enums = [shapes[n] for n in enum_names]
        self.protocol = protocol_class(service.protocol)(self)

    # ----- shapes -----------------------------------------------------------------
    def field_types(self) -> dict[str, dict[str, str]]:
        """Annotations of each class's fields, as written inside that class's body.

        Exceptions live in errors.py and name shapes through ``_s.``. Where a field is
        named like a builtin the annotations use (DynamoDB's ``BOOL`` becomes
        ``bool``), that class's annotations name builtins through ``_b.``.
        """
        out: dict[str, dict[str, str]] = {}
        for shape in self.structures + self.exceptions:
            is_input = shape.name in self.input_structs and not shape.exception
            qual = "_s." if shape.exception else ""
            types = {
                m.name: self.gen.member_annotation(m, qual, owner_is_input=is_input) for m in shape.members
            }
            if any(m.py_name in _BUILTIN_TYPES for m in shape.members):
                types = {k: _BUILTIN_REF.sub(r"_b.\1", v) for k, v in types.items()}
            out[shape.name] = types
        return out

    def required_init(self) -> dict[str, dict[str, bool]]:
        out: dict[str, dict[str, bool]] = {}
        for shape in self.structures:
            is_input = shape.name in self.input_structs
            out[shape.name] = {
                m.name: m.required and is_input and not m.idempotency_token for m in shape.members
            }
        return out

    def ordered_members(self, required: dict[str, dict[str, bool]]) -> dict[str, list[Member]]:
        return {
            s.name: sorted(s.members, key=lambda m: not required[s.name][m.name])
            for s in self.structures
        }

    def struct_docs(self) -> dict[str, str]:
        out = {}
        for shape in self.structures + self.exceptions:
            text = shape.documentation or shape.name
            lines = [docstring(text)]
            members = [m for m in shape.members if m.documentation]
            if members:
                lines.append("\n    Attributes:")
                for m in shape.members:
                    doc = docstring(m.documentation or "", indent="            ", width=84)
                    lines.append(f"        {m.py_name}: {doc}" if doc else f"        {m.py_name}:")
            out[shape.name] = "\n".join(lines).rstrip() + ("\n    " if members else "")
        return out

    def sensitive_fields(self) -> dict[str, list[str]]:
        return {
            s.name: sorted(
                m.py_name for m in s.members if self.shapes[m.target].sensitive or s.sensitive
            )
            for s in self.structures
        }

    def enum_constants(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for e in self.enums:
            seen: set[str] = {"values", "is_known"}
            consts = []
            for value in e.enum:
                const = constant_name(value)
                while const in seen:
                    const += "_"
                seen.add(const)
                consts.append((const, value))
            out[e.name] = consts
        return out

    def error_attrs(self) -> dict[str, dict[str, str]]:
        return {
            s.name: {
                m.name: (m.py_name + "_" if m.py_name in _ERROR_RESERVED else m.py_name)
                for m in s.members
            }
            for s in self.exceptions
        }

    # ----- serde --------------------------------------------------------------------
    def validators(self) -> list[tuple[str, str]]:
        out = []
        for name in sorted(self.input_structs):
            code = Code([])
            self.gen.validate_struct(self.shapes[name], code, 1)
            out.append((name, "\n".join(fold_validation_line(line) for line in code.lines)))
        return out

    def error_parsers(self, attrs: dict[str, dict[str, str]]) -> dict[str, str]:
        return {shape.name: self.protocol.error_parser(shape, attrs[shape.name]) for shape in self.exceptions}

    def error_codes(self) -> list[tuple[str, Shape]]:
        codes: dict[str, Shape] = {}
        for s in self.exceptions:
            codes.setdefault(s.name, s)
        for s in self.exceptions:
            if s.error_code:
                codes.setdefault(s.error_code, s)
        return sorted(codes.items())

    def operation_views(self) -> list[dict[str, Any]]:
        views = []
        for op in self.service.operations:
            params = []
            if op.input:
                shape = self.shapes[op.input]
                req = {m.name: m.required and not m.idempotency_token for m in shape.members}
                for m in sorted(shape.members, key=lambda m: not req[m.name]):
                    params.append(
                        {
                            "py_name": m.py_name,
                            "annotation": self.gen.member_annotation(m, "_shapes.", owner_is_input=True),
                            "required": req[m.name],
                        }
                    )
            out_shape = self.shapes[op.output] if op.output else None
            payload_target = (
                self.shapes[out_shape.payload_member.target] if out_shape and out_shape.payload_member else None
            )
            stream = next((m for m in (out_shape.members if out_shape else ()) if self.shapes[m.target].event_stream),
                          None)
            streaming = bool(payload_target and payload_target.streaming) or stream is not None
            views.append(
                {
                    "name": op.name,
                    "py_name": op.py_name,
                    "input": op.input,
                    "output": op.output,
                    "params": params,
                    "return_annotation": f"_shapes.{self.shapes[op.output].class_name}" if op.output else "None",
                    "doc": self._op_doc(op),
                    "signed": op.auth_type != "none",
                    "streaming_output": streaming,
                    "endpoint_static": tuple(op.static_context_params),
                    # (rule-set parameter, expression over the input v, comment)
                    "endpoint_context": endpoint_context(self.service, op),
                    "serialize": self.protocol.serialize(op),
                    "parse": self.protocol.parse(op) if op.output else "",
                    "error_in_200": op.error_in_200,
                    "expect_continue": op.expect_continue,
                    # botocore's authtype v4-unsigned-body: the signature leaves the body out
                    "unsigned_body": op.auth_type == "v4-unsigned-body",
                    # a function of the serialized request, around it (customizations, traits)
                    "wrap": self._request_wrap(op),
                    "checksum": self._checksum(op),
                    "response_checksum": self._response_checksum(op),
                    # presign_<op>'s validity argument, renamed if the operation has a member so named
                    "expires_param": "url_expires_in" if any(p["py_name"] == "expires_in" for p in params)
                    else "expires_in",
                    "url_encoding": self._url_encoding(op),
                    "input_transforms": self._input_transforms(op, params),
                    "output_transforms": self._output_transforms(op),
                    # json: the asyncio client awaits the stream's initial response (the
                    # answer's other members) before handing the answer over
                    "initial_stream": stream.py_name if stream is not None and self.service.protocol == "json"
                    else None,
                }
            )
        return views

    def _header_of(self, op: Operation, member_name: str | None) -> str | None:
        if member_name is None or not op.input:
            return None
        m = next((m for m in self.shapes[op.input].members if m.name == member_name), None)
        return m.wire_name if m is not None and m.location == "header" else None

    def _checksum(self, op: Operation) -> tuple[str | None, bool, bool] | None:
        """OperationInfo.checksum: (the algorithm member's header, required, streaming input)."""
        if op.checksum_algorithm_member is None and not op.checksum_required:
            return None
        payload = self.shapes[op.input].payload_member if op.input else None
        target = self.shapes[payload.target] if payload is not None else None
        streaming = bool(target is not None and target.type == "blob" and target.streaming)
        return (self._header_of(op, op.checksum_algorithm_member), op.checksum_required, streaming)

    def _response_checksum(self, op: Operation) -> tuple[str, tuple[str, ...]] | None:
        """OperationInfo.response_checksum: (the validation mode member's header, algorithms)."""
        header = self._header_of(op, op.checksum_mode_member)
        if header is None:
            return None
        return (header, op.response_checksums)

    def _input_transforms(self, op: Operation, params: list[dict[str, Any]]) -> list[str]:
        """Statements run on the method's arguments before anything else (customizations:
        SSE-C keys, CopySource); widens the annotation of a CopySource parameter."""
        if not op.input:
            return []
        by_name = {m.name: m for m in self.shapes[op.input].members}
        lines: list[str] = []
        defaults = dict(self.service.member_defaults)
        for m in self.shapes[op.input].members:
            if m.name in defaults:
                for p in params:
                    if p["py_name"] == m.py_name and p["required"]:
                        p["required"] = False
                        p["annotation"] += " | None"
                lines += [f"if {m.py_name} is None:", f"    {m.py_name} = {pylit(defaults[m.name])}"]
            if self.shapes[m.target].name in self.service.strip_id_prefix_shapes:
                lines += [f"if {m.py_name} is not None:", f"    {m.py_name} = _h.strip_id_prefix({m.py_name})"]
            if m.name in self.service.bucket_name_members and self.shapes[m.target].type == "string":
                lines += [f"if {m.py_name} is not None:", f"    _s3.check_bucket_name({m.py_name}, {m.py_name!r})"]
        for name in op.ascii_only:
            py = by_name[name].py_name
            lines += [f"if {py} is not None:", f"    _h.check_ascii_map({py}, {py!r})"]
        for name in op.base64_encode:
            py = by_name[name].py_name
            lines += [f"if {py} is not None:", f"    {py} = _h.base64_text({py})"]
        for prefix in op.sse_customer_keys:
            key, md5 = by_name[prefix + "Key"].py_name, by_name[prefix + "KeyMD5"].py_name
            lines += [f"if {key} is not None and {md5} is None:",
                      f"    {key}, {md5} = _s3.sse_customer_key({key})"]
        if op.copy_source is not None:
            name = by_name[op.copy_source].py_name
            for p in params:
                if p["py_name"] == name:
                    p["annotation"] = "str | _t.Mapping[str, str]" + ("" if p["required"] else " | None")
            lines += [f"if {name} is not None:", f"    {name} = _s3.copy_source({name})"]
        return lines

    def _request_wrap(self, op: Operation) -> tuple[str, str]:
        """(text before, text after) the serialized request passed to ``_send``: a
        handler that changes the request (botocore's change_get_to_post; its
        inject_api_version_header_if_needed for endpoint-discovery operations)."""
        if op.query_as_form:
            return "_h.query_as_form(", ")"
        if op.tree_hash:
            return "_h.glacier_checksums(", ")"
        if op.endpoint_operation and self.service.api_version:
            return "_h.with_header(", f", 'x-amz-api-version', {pylit(self.service.api_version)})"
        return "", ""

    def _transfer_names(self) -> list[tuple[str, str]]:
        """(model name, typed argument name) of the members managed transfers pass on
        (customization managed_transfers: the compat client's upload_file & co.)."""
        if not self.service.managed_transfers:
            return []
        names: dict[str, str] = {}
        for op in self.service.operations:
            if op.name in ("PutObject", "CreateMultipartUpload", "GetObject", "HeadObject") and op.input:
                for m in self.shapes[op.input].members:
                    if m.name not in ("Bucket", "Key", "Body"):
                        names.setdefault(m.name, m.py_name)
        return sorted(names.items())

    def _compat_hooks(self, op: Operation) -> tuple[list[str], list[str]]:
        """(statements before, statements after) a compat method's call, over ``kwargs`` and
        the answer ``out`` (customizations: default_url_encoding, botocore's
        set_list_objects_encoding_type_url and decode_list_object handlers; a response
        checksum's ChecksumAlgorithm in ResponseMetadata)."""
        before: list[str] = []
        after: list[str] = []
        if op.default_url_encoding is not None and op.input and op.output:
            member, decode = op.default_url_encoding
            top = tuple(d for d in decode if "." not in d)
            nested = tuple(tuple(d.split(".", 1)) for d in decode if "." in d)
            before.append(f"auto = _x.default_encoding(kwargs, {pylit(member)})")
            after += ["if auto:", f"    _x.url_decode(out, {pylit(top)}, {pylit(nested)})"]
        if op.response_checksums and op.checksum_mode_member and op.output:
            # botocore's handle_checksum_body: the algorithm checked, in ResponseMetadata
            after.append(f"_x.checksum_meta(out, {pylit(op.response_checksums)})")
        return before, after

    def _output_transforms(self, op: Operation) -> list[str]:
        """Statements run on the parsed ``result`` (customizations: decode_base64_output)."""
        if not op.output:
            return []
        by_name = {m.name: m for m in self.shapes[op.output].members}
        lines: list[str] = []
        for name in op.decode_base64_output:
            py = by_name[name].py_name
            lines += [f"if result.{py} is not None:", f"    result.{py} = _h.base64_decoded_text(result.{py})"]
        return lines

    def _url_encoding(self, op: Operation) -> dict[str, Any] | None:
        """The input parameter sent as "url" by default and the statements that URL-decode
        the output ``result`` when it was (models/customizations/: default_url_encoding)."""
        if op.default_url_encoding is None or not op.input or not op.output:
            return None
        member_name, decode = op.default_url_encoding
        inp, out = self.shapes[op.input], self.shapes[op.output]
        param = next(m.py_name for m in inp.members if m.name == member_name)
        by_name = {m.name: m for m in out.members}
        lines: list[str] = []
        for dotted in decode:
            head, _, tail = dotted.partition(".")
            m = by_name[head]
            if not tail:
                lines += [f"if result.{m.py_name} is not None:",
                          f"    result.{m.py_name} = _rt.url_decode(result.{m.py_name})"]
                continue
            item_shape = self.shapes[self.shapes[m.target].member.target]  # type: ignore[union-attr]
            child = next(c.py_name for c in item_shape.members if c.name == tail)
            var = f"y{len(lines)}"  # one loop variable per list: their item types differ
            lines += [f"for {var} in result.{m.py_name} or ():",
                      f"    if {var}.{child} is not None:",
                      f"        {var}.{child} = _rt.url_decode({var}.{child})"]
        return {"param": param, "decode": lines}

    def _op_doc(self, op: Operation) -> str:
        parts = [docstring(op.documentation or op.name, indent="        ")]
        if op.input:
            shape = self.shapes[op.input]
            if shape.members:
                parts.append("\n        Args:")
                for m in shape.members:
                    doc = docstring(m.documentation or "", indent="                ")
                    parts.append(f"            {m.py_name}: {doc}" if doc else f"            {m.py_name}:")
        if op.errors:
            parts.append("\n        Raises:")
            for e in op.errors:
                parts.append(f"            errors.{self.shapes[e].class_name}")
        return "\n".join(parts).rstrip() + ("\n        " if len(parts) > 1 else "")

    # ----- the boto3-compatible client ----------------------------------------------
    def compat_context(self) -> dict[str, Any]:
        """What ``compat.py`` and ``_compat_serde.py`` need; empty ``compat_ops`` when the
        protocol writes no dict serde yet (those two files are then not generated)."""
        protocol = self.protocol
        if not protocol.compat:
            return {"compat_ops": []}
        ops = []
        for op in self.service.operations:
            if op.input and any(self.shapes[m.target].event_stream for m in self.shapes[op.input].members):
                continue  # an event-stream input: botocore's client has no such method (its handlers remove it)
            ctx: dict[str, str] = {}
            if op.input:
                for name, path in op.operation_context_params:
                    ctx[name] = f"_cc.jmespath_search({pylit(path)}, kwargs)"
                for m in self.shapes[op.input].members:
                    if m.context_param:
                        ctx[m.context_param] = f"kwargs.get({pylit(m.name)})"
            for name, _ in op.static_context_params:
                ctx.pop(name, None)
            if op.output_root_text is not None:
                # botocore's customize_endpoint_resolver_builtins: GetBucketLocation (the
                # operation whose answer is its root's text) goes path-style
                ctx["ForcePathStyle"] = "True"
            ops.append({
                "name": op.name,
                "py_name": op.py_name,
                "output": op.output,
                "serialize": protocol.compat_serialize(op),
                "parse": protocol.compat_parse(op) if op.output else "",
                "ctx": sorted(ctx.items()),
                "wrap": self._request_wrap(op),
                "hooks": self._compat_hooks(op),
                # customization body_as_file: the compat serializer sends a file only when given a body
                "file_body": op.expect_continue == 2 and protocol.name == "rest-xml",
            })
        errors = {s.name: protocol.compat_error_parser(s) for s in self.exceptions}
        codes = sorted({(s.error_code or s.name): s for s in self.exceptions}.items())
        return {
            "compat_ops": ops,
            "compat_errors": errors,
            "compat_error_codes": codes,
            "compat_handlers": any(op["wrap"][0] for op in ops),
            "compat_hooks": any(op["hooks"][0] or op["hooks"][1] or op["file_body"] for op in ops),
            "compat_imports": protocol.compat_imports,
            "compat_transfer_names": self._transfer_names(),
            "compat_helpers": protocol.compat_helpers(),  # last: the bodies above ask for them
        }

    def compat_paging_context(self, paginators: list[Any], waiters: list[Any]) -> dict[str, Any]:
        """The compat client's tables of paginators (by method name, the paths in model
        member names: the dict answers') and waiters (by boto3's name), as constructor
        arguments of ``awsgen_runtime.paginate.PaginatorSpec`` and tuples."""
        ops = {op.name: op for op in self.service.operations}
        pages = []
        for p in paginators:
            op = ops[p.operation]
            out = self.service.shape(op.output)  # type: ignore[arg-type]
            inp = {m.py_name: m.name for m in self.service.shape(op.input).members}  # type: ignore[arg-type]

            def wire(path: Any) -> tuple[str | int, ...]:
                return _wire_steps(self.service, out, path.steps)

            args = ", ".join([
                pylit(p.operation), pylit(p.token_names), pylit(p.token_names),
                pylit(tuple(tuple(wire(a) for a in alts) for alts in p.output_tokens)),
                pylit(wire(p.more_results) if p.more_results else None),
                pylit(inp[p.limit_member] if p.limit_member else None),
                pylit(tuple(wire(r) for r in p.result_keys)), pylit(tuple(wire(r) for r in p.non_aggregate_keys)),
            ] + (["limit_is_text=True"] if p.limit_is_text else []))
            pages.append((op.py_name, args))
        waits = []
        for w in waiters:
            acceptors = tuple((state, matcher, arg, expected)
                              for (state, matcher, _, expected), arg in zip(w.acceptors, w.arguments))
            spec = (w.name, ops[w.operation].py_name, w.raw_delay, w.raw_max_attempts, acceptors)
            waits.append((snake_case(w.name), pylit(spec)))
        return {"compat_paginators": sorted(pages), "compat_waiters": sorted(waits)}

    # ----- the whole context ------------------------------------------------------
    def context(self) -> dict[str, Any]:
        s = self.settings
        svc = self.service
        header_text = comment(
            f"Generated by awsgen {__version__} from {s.model_label} "
            f"({svc.service_id} {svc.api_version}). Do not edit: regenerate instead."
        )
        client_class = _client_class_name(svc.service_id)
        error_base = client_class.removesuffix("Client") + "Error"
        while error_base in {e.class_name for e in self.exceptions}:
            error_base += "_"  # an error shape of the same name keeps its name
        required = self.required_init()
        attrs = self.error_attrs()
        public = [e.class_name for e in self.enums] + [x.class_name for x in self.structures]
        prefix, suffix = f"https://{svc.endpoint_prefix}.", ".amazonaws.com"
        return {
            "header": "# " + header_text,
            "header_text": header_text,
            "service": svc,
            "shapes": self.shapes,
            "package": s.package,
            "distribution": s.distribution,
            "version": s.version,
            "runtime_requirement": RUNTIME_REQUIREMENT,
            "client_class": client_class,
            "error_base": error_base,
            "enums": self.enums,
            "enum_constants": self.enum_constants(),
            "structures": self.structures,
            "exceptions": self.exceptions,
            "public_names": sorted(public),
            "field_types": self.field_types(),
            "required_init": required,
            "ordered_members": self.ordered_members(required),
            "struct_docs": self.struct_docs(),
            "sensitive_fields": self.sensitive_fields(),
            "error_attr": attrs,
            "validators": self.validators(),
            "helpers": self.protocol.helpers(),
            "protocol_runtime": self.protocol.runtime,
            "error_parsers": self.error_parsers(attrs),
            "error_codes": self.error_codes(),
            "ops": self.operation_views(),
            "default_endpoint_prefix": prefix,
            "default_endpoint_suffix": suffix,
            "options": dict(s.options),
            "default_anonymous": bool(dict(s.options).get("anonymous", False)),
        }


def _all_elements(shapes: dict[str, Shape], shape: Shape) -> list[Member]:
    """Members of a structure plus the elements of its list/map members, recursively."""
    out: list[Member] = []
    stack = list(shape.members)
    seen: set[str] = set()
    while stack:
        m = stack.pop()
        out.append(m)
        t = shapes[m.target]
        if t.name in seen:
            continue
        seen.add(t.name)
        if t.type == "list" and t.member:
            stack.append(t.member)
        elif t.type == "map" and t.value:
            stack.extend([t.key, t.value])  # type: ignore[list-item]
    return out


def _client_class_name(service_id: str) -> str:
    words = [w for w in "".join(c if c.isascii() and c.isalnum() else " " for c in service_id).split() if w]
    name = "".join(w[0].upper() + w[1:] for w in words) or "Service"
    if name[0].isdigit():
        name = "Service" + name
    return name + "Client"


_PRIVATE_DEF = re.compile(r"^def (_\w+)\(", re.M)
_PRIVATE_WORD = re.compile(r"\b_\w*")  # a whole word starting with "_"


def prune_unused(text: str, elsewhere: str = "") -> str:
    """Drop private top-level functions nothing references, until none is left.

    Protocols write a helper for every structure a package reaches; which of them the
    operations call depends on bindings (a rest-json input whose members all travel in
    headers needs no body serializer), so unused ones are removed here, once.
    ``elsewhere``: the package's other modules, whose references count too.
    """
    # Each text is read once into its set of private identifiers (EC2 has ~5,000 helpers).
    outside = set(_PRIVATE_WORD.findall(elsewhere))
    while True:
        blocks = re.split(r"(?=^\S)", text, flags=re.M)
        names = {m.group(1): i for i, b in enumerate(blocks) if (m := _PRIVATE_DEF.match(b))}
        used = set(outside)
        for i, b in enumerate(blocks):
            used.update(w for w in set(_PRIVATE_WORD.findall(b)) if names.get(w, i) != i)
        dead = {i for name, i in names.items() if name not in used}
        if not dead:
            return text
        text = "".join(b for i, b in enumerate(blocks) if i not in dead)


def _wire_steps(service: Service, shape: Shape, steps: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A compiled paginator path (Python member names) in the model's member names."""
    out: list[str | int] = []
    for step in steps:
        if isinstance(step, int):
            shape = service.shape(shape.member.target)  # type: ignore[union-attr]
            out.append(step)
            continue
        member = next(m for m in shape.members if m.py_name == step)
        out.append(member.name)
        shape = service.shape(member.target)
    return tuple(out)


def render_package(
    service: Service, settings: PackageSettings, endpoints: tuple[str, list[Any]] | None = None,
    paginators: list[Any] | None = None, waiters: list[Any] | None = None,
) -> dict[str, str]:
    """Relative path -> file text (unformatted) for one distribution.

    ``endpoints`` is the compiled endpoint module and the rule set's parameters; a
    template that renders to nothing (endpoints.py without a rule set) is left out.
    """
    env = make_env(settings.templates)
    view = PackageView(service, settings)
    ctx = view.context()
    ctx["paginators"] = paginator_views(paginators or [], ctx["ops"], service, view.gen.annotation)
    ctx["waiters"] = waiter_views(waiters or [], ctx["ops"], service)
    ctx["endpoints_source"] = endpoints[0] if endpoints else ""
    ctx["endpoint_builtins"] = (
        [(p.name, p.builtin) for p in endpoints[1] if p.builtin in _BUILTIN_SETTINGS] if endpoints else []
    )
    ctx["builtin_settings"] = _BUILTIN_SETTINGS
    # The parameter bound to the credentials' account id: then every request's endpoint is
    # resolved with it (ClientCore._with_account_id), unless the mode is "disabled".
    ctx["account_id_param"] = next(
        (p.name for p in (endpoints[1] if endpoints else ()) if p.builtin == "AWS::Auth::AccountId"), None)
    post = service.presign_post_operation
    ctx["presign_post"] = (
        {"op": post, "class": ctx["shapes"][next(o.input for o in service.operations if o.name == post)].class_name}
        if post else None
    )
    ctx["uses_s3_runtime"] = bool(post) or any("_s3." in line for op in ctx["ops"] for line in op["input_transforms"])
    ctx["uses_handlers"] = any("_h." in op["wrap"][0] for op in ctx["ops"]) or any("_h." in line for op in ctx["ops"]
                               for line in (*op["input_transforms"], *op["output_transforms"]))
    ctx["operation_bound_endpoints"] = bool(ctx["account_id_param"]) or any(
        op["endpoint_static"] or op["endpoint_context"] for op in ctx["ops"])
    ctx.update(view.compat_context())
    ctx.update(view.compat_paging_context(paginators or [], waiters or []))
    # boto3's name of the service (its model folder): aws-sso-oidc -> sso-oidc
    ctx["boto3_service_name"] = settings.distribution.removeprefix("aws-")
    files: dict[str, str] = {}
    root = TEMPLATES / "package"
    for path in _template_files():
        rel = path.relative_to(root).as_posix().removesuffix(".jinja")
        rel = rel.replace("__package__", settings.package)
        if rel.endswith(("/compat.py", "/_compat_serde.py")) and not ctx["compat_ops"]:
            continue  # the protocol has no dict serde yet
        template = env.get_template(path.relative_to(TEMPLATES).as_posix())
        text = template.render(**ctx)
        if text.strip() or not rel.endswith("endpoints.py"):
            files[rel] = text
    for module in ("_serde.py", "_compat_serde.py"):
        serde = f"{settings.package}/{module}"
        if serde in files:
            files[serde] = prune_unused(files[serde], "\n".join(t for r, t in files.items() if r != serde))
    return files


__all__ = ["PackageSettings", "check_overrides", "render_package", "snake_case"]
