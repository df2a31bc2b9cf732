"""Raw botocore JSON -> the intermediate model. Runs only on validated models."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..customizations import strip_uri_prefix
from ..protocols import choose
from .ir import Member, Operation, Service, Shape
from .naming import class_name, python_name

_STRUCT_LIKE = ("structure",)


def build_service(
    raw: dict[str, Any], source: str, protocol: str | None = None, customizations: dict[str, Any] | None = None
) -> Service:
    """``protocol``: one the model lists, to use instead of botocore's choice;
    ``customizations``: the service's entries of ``models/customizations/``."""
    custom = customizations or {}
    meta = raw["metadata"]
    raw_shapes: dict[str, Any] = raw["shapes"]
    shapes = {name: _build_shape(name, body, raw_shapes) for name, body in raw_shapes.items()}
    # botocore merges a member reference's traits into the shape it names; S3 marks its
    # object bodies streaming on the reference (GetObject's Body -> shape Body). Outside
    # event streams (not generated) such shapes are only ever used by streaming references.
    for body in raw_shapes.values():
        for ref in (body.get("members") or {}).values():
            target = shapes.get(ref.get("shape"))
            if ref.get("streaming") and target is not None and target.type == "blob" and not target.streaming:
                shapes[target.name] = replace(target, streaming=True)
    _add_header_text_members(shapes, raw, custom.get("header_text_members") or {})
    operations = tuple(
        _customized(_build_operation(name, body, custom), body, custom, raw_shapes)
        for name, body in sorted(raw["operations"].items())
    )
    return Service(
        source=source,
        service_id=meta.get("serviceId") or meta.get("serviceFullName") or "Service",
        full_name=meta.get("serviceFullName") or meta.get("serviceId") or "Service",
        api_version=meta.get("apiVersion", ""),
        protocol=choose(meta, protocol) or str(meta.get("protocol", "")),
        json_version=meta.get("jsonVersion", "1.0" if meta.get("protocol") == "json" else "1.1"),
        target_prefix=meta.get("targetPrefix"),
        endpoint_prefix=meta.get("endpointPrefix", ""),
        signing_name=meta.get("signingName") or meta.get("endpointPrefix", ""),
        signature_version=meta.get("signatureVersion", "v4"),
        query_compatible="awsQueryCompatible" in meta,
        documentation=raw.get("documentation", ""),
        operations=operations,
        shapes=shapes,
        presign_global_endpoint=bool(custom.get("presign_on_global_endpoint")),
        presign_post_operation=custom.get("presign_post_operation"),
        region_redirects=bool(custom.get("region_redirects")),
        managed_transfers=bool(custom.get("managed_transfers")),
        default_headers=tuple(sorted((custom.get("default_headers") or {}).items())),
        member_defaults=tuple(sorted((custom.get("member_defaults") or {}).items())),
        strip_id_prefix_shapes=tuple(custom.get("strip_id_prefix_shapes") or ()),
        bucket_name_members=tuple(custom.get("bucket_name_members") or ()),
        timestamp_milliseconds=bool(custom.get("timestamp_milliseconds")),
        oauth2_errors=bool(custom.get("oauth2_errors")),
    )


def _add_header_text_members(shapes: dict[str, Shape], raw: dict[str, Any], copies: dict[str, str]) -> None:
    """botocore's handle_expires_header, for any header: in every operation output with a
    header member ``name`` (the key of ``copies``), that member becomes lenient (None when
    the header is no timestamp) and a string member ``copies[name]`` gets the header's text."""
    outputs = {(op.get("output") or {}).get("shape") for op in raw["operations"].values()} - {None}
    for out_name in sorted(outputs):  # type: ignore[type-var]
        out = shapes[out_name]
        for name, copy in copies.items():
            m = next((m for m in out.members if m.name == name and m.location == "header"), None)
            if m is None or any(x.name == copy for x in out.members):
                continue
            shapes.setdefault(copy, _build_shape(copy, {"type": "string"}, {}))
            text = replace(m, name=copy, py_name=python_name(copy), target=copy, lenient=False,
                           documentation=f"The {m.wire_name} header as sent, whether or not it is a timestamp.")
            members = tuple(replace(x, lenient=True) if x is m else x for x in out.members) + (text,)
            shapes[out_name] = replace(out, members=members)


def _build_operation(name: str, body: dict[str, Any], custom: dict[str, Any]) -> Operation:
    http = body.get("http", {})
    request_uri = http.get("requestUri", "/")
    if "strip_request_uri_prefix" in custom:
        request_uri = strip_uri_prefix(request_uri, custom["strip_request_uri_prefix"])
    auth_type = body.get("authtype")
    auth = tuple(body.get("auth", ()))
    if auth_type is None and auth and all(a == "smithy.api#noAuth" for a in auth):
        auth_type = "none"
    return Operation(
        name=name,
        py_name=python_name(name),
        method=http.get("method", "POST"),
        request_uri=request_uri,
        response_code=int(http.get("responseCode", 200)),
        input=(body.get("input") or {}).get("shape"),
        output=(body.get("output") or {}).get("shape"),
        errors=tuple(e["shape"] for e in body.get("errors", ())),
        documentation=body.get("documentation", ""),
        host_prefix=_host_prefix(body, custom),
        auth_type=auth_type,
        auth=auth,
        deprecated=bool(body.get("deprecated")),
        endpoint_operation=bool(body.get("endpointoperation")),
        http_checksum_required=bool(body.get("httpChecksumRequired")),
        checksum_algorithm_member=(body.get("httpChecksum") or {}).get("requestAlgorithmMember"),
        checksum_required=bool((body.get("httpChecksum") or {}).get("requestChecksumRequired")),
        checksum_mode_member=(body.get("httpChecksum") or {}).get("requestValidationModeMember"),
        response_checksums=tuple(a.lower() for a in (body.get("httpChecksum") or {}).get("responseAlgorithms", ())),
        request_compression=tuple((body.get("requestcompression") or {}).get("encodings", ())),
        unsigned_payload=bool(body.get("unsignedPayload")),
        result_wrapper=(body.get("output") or {}).get("resultWrapper"),
        input_location_name=(body.get("input") or {}).get("locationName"),
        input_xml_namespace=_namespace((body.get("input") or {}).get("xmlNamespace")),
        static_context_params=tuple(
            sorted((k, v.get("value")) for k, v in (body.get("staticContextParams") or {}).items())
        ),
        operation_context_params=tuple(
            sorted((k, v["path"]) for k, v in (body.get("operationContextParams") or {}).items())
        ),
    )


def _build_member(
    name: str, body: dict[str, Any], required: bool, raw_shapes: dict[str, Any], payload: str | None
) -> Member:
    target = body["shape"]
    target_body = raw_shapes.get(target, {})
    location = body.get("location") or "body"
    return Member(
        name=name,
        py_name=python_name(name),
        target=target,
        wire_name=body.get("locationName") or ("" if location == "headers" else name),  # "": every header
        location=location,
        required=required,
        documentation=body.get("documentation", ""),
        timestamp_format=body.get("timestampFormat") or target_body.get("timestampFormat"),
        jsonvalue=bool(body.get("jsonvalue") or target_body.get("jsonvalue")),
        idempotency_token=bool(body.get("idempotencyToken")),
        host_label=bool(body.get("hostLabel")),
        is_payload=payload == name,
        event_payload=bool(body.get("eventpayload")),
        event_header=bool(body.get("eventheader")),
        deprecated=bool(body.get("deprecated")),
        context_param=(body.get("contextParam") or {}).get("name"),
        location_name=body.get("locationName"),
        query_name=body.get("queryName"),
        xml_attribute=bool(body.get("xmlAttribute")),
        xml_namespace=_namespace(body.get("xmlNamespace")),
        flattened=bool(body.get("flattened")),
    )


def _namespace(value: Any) -> tuple[str, str] | None:
    """botocore writes xmlNamespace as a URI or as {"prefix": ..., "uri": ...}."""
    if isinstance(value, str):
        return ("", value)
    if isinstance(value, dict) and isinstance(value.get("uri"), str):
        return (str(value.get("prefix") or ""), value["uri"])
    return None


def _element(body: dict[str, Any], name: str, raw_shapes: dict[str, Any]) -> Member:
    return _build_member(name, body, False, raw_shapes, None)


def _build_shape(name: str, body: dict[str, Any], raw_shapes: dict[str, Any]) -> Shape:
    kind = body["type"]
    common: dict[str, Any] = dict(
        name=name,
        documentation=body.get("documentation", ""),
        min=body.get("min"),
        max=body.get("max"),
        sensitive=bool(body.get("sensitive")),
        timestamp_format=body.get("timestampFormat"),
        jsonvalue=bool(body.get("jsonvalue")),
        flattened=bool(body.get("flattened")),
        xml_namespace=_namespace(body.get("xmlNamespace")),
        location_name=body.get("locationName") if isinstance(body.get("locationName"), str) else None,
    )
    if kind == "structure":
        if body.get("document"):
            return Shape(type="document", **common)
        required = set(body.get("required", ()))
        payload = body.get("payload")
        members = tuple(
            _build_member(m, mb, m in required, raw_shapes, payload)
            for m, mb in body.get("members", {}).items()
        )
        error = body.get("error") or {}
        stream_errors: tuple[Member, ...] = ()
        if body.get("eventstream"):
            stream_errors = tuple(m for m in members if (raw_shapes.get(m.target) or {}).get("exception"))
            members = tuple(m for m in members if m not in stream_errors)
        return Shape(
            type="union" if body.get("union") else "structure",
            stream_errors=stream_errors,
            class_name=class_name(name),
            members=members,
            exception=bool(body.get("exception")),
            error_code=error.get("code"),
            http_status=error.get("httpStatusCode"),
            fault=bool(body.get("fault")),
            payload=payload,
            event_stream=bool(body.get("eventstream")),
            event=bool(body.get("event")),
            **common,
        )
    if kind == "list":
        return Shape(
            type="list",
            member=_element(body["member"], "member", raw_shapes),
            sparse=bool(body.get("sparse")),
            **common,
        )
    if kind == "map":
        return Shape(
            type="map",
            key=_element(body["key"], "key", raw_shapes),
            value=_element(body["value"], "value", raw_shapes),
            sparse=bool(body.get("sparse")),
            **common,
        )
    return Shape(
        type="string" if kind == "character" else kind,  # botocore reads "character" as a string
        class_name=class_name(name) if body.get("enum") else "",
        enum=tuple(body.get("enum", ())),
        streaming=bool(body.get("streaming")),
        requires_length=bool(body.get("requiresLength")),
        **common,
    )


def _host_prefix(op: dict[str, Any], custom: dict[str, Any]) -> str | None:
    prefix: str | None = (op.get("endpoint") or {}).get("hostPrefix")
    drop = custom.get("drop_host_prefix")
    if prefix is not None and drop is not None and prefix == drop["prefix"]:
        param = (op.get("staticContextParams") or {}).get(drop["if_static_context_param"]) or {}
        if param.get("value") is True:
            return None
    return prefix


def _customized(op: Operation, body: dict[str, Any], custom: dict[str, Any], raw_shapes: dict[str, Any]) -> Operation:
    """``op`` with what the service's customizations say about it."""
    entry = (custom.get("operations") or {}).get(op.name) or {}
    error_in_200 = bool(custom.get("errors_in_200")) and _may_hold_error(body, raw_shapes)
    enc = entry.get("default_url_encoding")
    expect = 0
    if custom.get("expect_continue") and (body.get("http") or {}).get("method") in ("PUT", "POST"):
        expect = 2 if entry.get("body_as_file") else 1
    if not (error_in_200 or entry or expect):
        return op
    return replace(
        op,
        error_in_200=error_in_200,
        output_root_text=entry.get("output_from_root_text"),
        default_url_encoding=(enc["member"], tuple(enc["decode"])) if enc else None,
        sse_customer_keys=tuple(entry.get("sse_customer_keys") or ()),
        copy_source=entry.get("copy_source"),
        expect_continue=expect,
        base64_encode=tuple(entry.get("base64_encode") or ()),
        ascii_only=tuple(entry.get("ascii_only") or ()),
        query_as_form=bool(entry.get("query_as_form")),
        tree_hash=bool(entry.get("tree_hash")),
        decode_base64_output=tuple(entry.get("decode_base64_output") or ()),
    )


def _may_hold_error(body: dict[str, Any], raw_shapes: dict[str, Any]) -> bool:
    """botocore's _should_handle_200_error: an output that is not an event stream nor a
    blob or text payload."""
    out = raw_shapes.get((body.get("output") or {}).get("shape") or "")
    if out is None:
        return False
    for ref in (out.get("members") or {}).values():
        if (raw_shapes.get(ref["shape"]) or {}).get("eventstream"):
            return False
    payload = out.get("payload")
    if payload is not None:
        target = raw_shapes.get(out["members"][payload]["shape"]) or {}
        if target.get("type") in ("blob", "string"):
            return False
    return True
