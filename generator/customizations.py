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
        # botocore's _handle_200_error: a 200 answer whose XML body is an <Error> (or is
        # cut short) is an error answer (status 500, retried), for every operation whose
        # output is not a stream, a blob or text payload.
        "errors_in_200": {"type": "boolean"},
        # botocore's presigned URLs of the aws partition go to the global endpoint, signed
        # for the client's region (awsgen_runtime.s3.presign_global_endpoint, used by BaseClient._presign).
        "presign_on_global_endpoint": {"type": "boolean"},
        # The client has presign_post(bucket=, key=, ...) for browser uploads, signed as
        # this operation's request (botocore's generate_presigned_post uses CreateBucket).
        "presign_post_operation": {"type": "string", "minLength": 1},
        # botocore's S3RegionRedirectorv2: a request for a bucket in another region is sent
        # again there (x-amz-bucket-region or the error's Region), and the region remembered.
        "region_redirects": {"type": "boolean"},
        # botocore's add_expect_header: a PUT or POST whose body is a file-like object asks
        # "Expect: 100-continue" and sends the body only once the server says go on (an
        # operation's body_as_file counts bytes bodies too).
        "expect_continue": {"type": "boolean"},
        # upload_file/upload_fileobj/download_file/download_fileobj (awsgen_runtime.transfer).
        "managed_transfers": {"type": "boolean"},
        # Headers every request carries unless it sets them (API Gateway's Accept, Glacier's
        # version header: botocore's add_accept_header, add_glacier_version).
        "default_headers": {"type": "object", "additionalProperties": {"type": "string"}},
        # botocore's handle_expires_header: an output's header member (the key) that may
        # hold text that is no timestamp is then None, and a string member (the value)
        # gets the header's text either way (S3's Expires -> ExpiresString).
        "header_text_members": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        # Input members (by name, in every operation) that may be left out and then take
        # this value (Glacier's accountId "-": botocore's inject_account_id).
        "member_defaults": {"type": "object", "additionalProperties": {"type": "string"}},
        # Input members targeting these shapes lose any "/prefix/" (Route 53's ids:
        # botocore's fix_route53_ids; awsgen_runtime.handlers.strip_id_prefix).
        "strip_id_prefix_shapes": {"type": "array", "items": {"type": "string", "minLength": 1}},
        # Input members (by name, in every operation) that must hold a bucket name or an
        # access point ARN, checked before sending (botocore's validate_bucket_name).
        "bucket_name_members": {"type": "array", "items": {"type": "string", "minLength": 1}},
        # botocore's enable_millisecond_timestamp_precision (Bedrock AgentCore): request
        # timestamps with their milliseconds (epoch seconds as a float, ISO 8601 ".mmmZ").
        "timestamp_milliseconds": {"type": "boolean"},
        # botocore's _map_oauth2_errors (SSO OIDC): an error answer's OAuth2
        # "error_description" is its message when it has no "Message"/"message".
        "oauth2_errors": {"type": "boolean"},
        # Per operation, by the model's operation name.
        "operations": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    # The output member is the text of the answer's root element
                    # (botocore's parse_get_bucket_location).
                    "output_from_root_text": {"type": "string", "minLength": 1},
                    # SSE-C keys sent base64-encoded with their MD5 (botocore's sse_md5 and
                    # copy_source_sse_md5): the members' prefixes, e.g. "SSECustomer" for
                    # SSECustomerKey and SSECustomerKeyMD5 (awsgen_runtime.s3.sse_customer_key).
                    "sse_customer_keys": {"type": "array", "minItems": 1,
                                          "items": {"type": "string", "minLength": 1}},
                    # The member takes "bucket/key?versionId=..." or a mapping and is sent
                    # URL-encoded (botocore's handle_copy_source_param; awsgen_runtime.s3.copy_source).
                    "copy_source": {"type": "string", "minLength": 1},
                    # Bytes bodies count as file-like ones (botocore's
                    # convert_body_to_file_like_object): with expect_continue, they ask too.
                    "body_as_file": {"type": "boolean"},
                    # Input members sent base64-encoded (botocore's base64_encode_user_data).
                    "base64_encode": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    # Map members whose keys and values must be ASCII, checked before
                    # sending (botocore's validate_ascii_metadata).
                    "ascii_only": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    # The request's query is sent as a form-encoded POST body, so that a long
                    # query fits (botocore's change_get_to_post).
                    "query_as_form": {"type": "boolean"},
                    # The body's SHA-256 (x-amz-content-sha256) and SHA-256 tree hash
                    # (x-amz-sha256-tree-hash) sent unless given (botocore's add_glacier_checksums).
                    "tree_hash": {"type": "boolean"},
                    # Output members base64-decoded to text (botocore's decode_console_output).
                    "decode_base64_output": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    # The input member is sent as "url" when the caller leaves it unset,
                    # and then the output members listed ("Member" or "ListMember.Member")
                    # are URL-decoded (botocore's set_list_objects_encoding_type_url and
                    # decode_list_object*).
                    "default_url_encoding": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["member", "decode"],
                        "properties": {
                            "member": {"type": "string", "minLength": 1},
                            "decode": {
                                "type": "array", "minItems": 1,
                                "items": {"type": "string", "pattern": "^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)?$"},
                            },
                        },
                    },
                },
            },
        },
    },
}


def check_against_model(custom: dict[str, Any], raw: dict[str, Any], path: str) -> list[str]:
    """Problems of a service's customizations that name what its model lacks, one line
    each as ``<file>: <JSON path>: <text>``."""
    problems: list[str] = []
    operations = raw.get("operations") or {}
    shapes = raw.get("shapes") or {}

    def members(shape_name: str | None) -> dict[str, Any]:
        return (shapes.get(shape_name or "") or {}).get("members") or {}

    post = custom.get("presign_post_operation")
    if post is not None and post not in operations:
        problems.append(f"{path}: $.presign_post_operation: the model has no operation {post!r}")
    for op_name, entry in (custom.get("operations") or {}).items():
        where = f"{path}: $.operations.{op_name}"
        op = operations.get(op_name)
        if op is None:
            problems.append(f"{where}: the model has no operation {op_name!r}")
            continue
        out = members((op.get("output") or {}).get("shape"))
        inp = members((op.get("input") or {}).get("shape"))
        name = entry.get("output_from_root_text")
        if name is not None and name not in out:
            problems.append(f"{where}.output_from_root_text: the output has no member {name!r}")
        for i, prefix in enumerate(entry.get("sse_customer_keys") or ()):
            for suffix in ("Key", "KeyMD5"):
                if prefix + suffix not in inp:
                    problems.append(f"{where}.sse_customer_keys[{i}]: the input has no member {prefix + suffix!r}")
        name = entry.get("copy_source")
        if name is not None and name not in inp:
            problems.append(f"{where}.copy_source: the input has no member {name!r}")
        for key, have, what in (("base64_encode", inp, "input"), ("decode_base64_output", out, "output"),
                                ("ascii_only", inp, "input")):
            for i, name in enumerate(entry.get(key) or ()):
                if name not in have:
                    problems.append(f"{where}.{key}[{i}]: the {what} has no member {name!r}")
        enc = entry.get("default_url_encoding")
        if enc is not None:
            if enc["member"] not in inp:
                problems.append(f"{where}.default_url_encoding.member: the input has no member {enc['member']!r}")
            for i, dotted in enumerate(enc["decode"]):
                head, _, tail = dotted.partition(".")
                ref = out.get(head)
                ok = ref is not None
                if ok and tail:
                    listed = shapes.get(ref["shape"]) or {}
                    item = (listed.get("member") or {}).get("shape")
                    ok = listed.get("type") == "list" and tail in members(item)
                if not ok:
                    problems.append(f"{where}.default_url_encoding.decode[{i}]: the output has no {dotted!r}")
    for name in custom.get("strip_id_prefix_shapes") or ():
        if name not in shapes:
            problems.append(f"{path}: $.strip_id_prefix_shapes: the model has no shape {name!r}")
    return problems


def customization_file(service: str, directory: Path = DIRECTORY) -> Path:
    return directory / f"{service}.yaml"


def load_customizations(service: str, directory: Path = DIRECTORY) -> dict[str, Any]:
    path = customization_file(service, directory)
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
