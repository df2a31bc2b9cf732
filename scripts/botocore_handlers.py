#!/usr/bin/env python
"""Every handler botocore 1.43.67 registers (botocore.handlers.BUILTIN_HANDLERS), the events
it listens to, and what this project does about it (STATUS below), as a Markdown table.

    .venv/bin/python scripts/botocore_handlers.py            # the table, for the README
    .venv/bin/python scripts/botocore_handlers.py --check    # exit 1 if botocore has a handler STATUS lacks
"""

from __future__ import annotations

import argparse
import collections
import sys

# handler name -> what we do ("done: ..." / "not yet: ..." / "n/a: ...").
STATUS: dict[str, str] = {
    "handle_service_name_alias": "n/a: botocore's own service-name aliases; packages are named by the model folder",
    "ClientMethodAlias": "n/a: method aliases for renamed operations; methods are named by botocore's xform_name",
    "convert_body_to_file_like_object": "done: bytes and file objects are both accepted bodies; both ask Expect: 100-continue (body_as_file)",
    "add_generate_presigned_url": "done: presign_<operation>(...) for every signed operation",
    "add_generate_presigned_post": "done: presign_post (customization presign_post_operation)",
    "check_openssl_supports_tls_version_1_2": "n/a: a warning about old OpenSSL builds",
    "remove_lex_v2_start_conversation": "done: event-stream operations are not generated yet (issue 10)",
    "remove_qbusiness_chat": "done: as above",
    "remove_bedrock_runtime_invoke_model_with_bidirectional_stream": "done: as above",
    "remove_connecthealth_start_medical_scribe_listening_session": "done: as above",
    "remove_polly_start_speech_synthesis_stream": "done: as above",
    "enable_millisecond_timestamp_precision": "done: timestamps keep milliseconds everywhere",
    "json_decode_policies": "not yet: IAM policy documents stay URL-encoded JSON text (typed as strings)",
    "replace_documentation_for_matching_shape": "n/a: documentation",
    "decode_console_output": "done: customization decode_base64_output (EC2 GetConsoleOutput)",
    "json_decode_template_body": "not yet: CloudFormation GetTemplate's body stays text (typed as a string)",
    "parse_get_bucket_location": "done: customization output_from_root_text",
    "_handle_sqs_compatible_error": "done: awsQueryCompatible error codes (x-amzn-query-error)",
    "handle_expires_header": "done: an Expires header that is no date reads as None, its text in ExpiresString (header_text_members)",
    "_handle_200_error": "done: customization errors_in_200",
    "_map_oauth2_errors": "not yet: SSO OIDC's error_description as the message (issue 11)",
    "generate_idempotent_uuid": "done: idempotency tokens are filled in",
    "_handle_request_validation_mode_member": "done: flexible checksums (ChecksumMode ENABLED by default)",
    "validate_bucket_name": "done: a Bucket that is neither a bucket name nor an access point ARN is refused before sending (bucket_name_members)",
    "remove_bucket_from_url_paths_from_model": "done: customization strip_request_uri_prefix",
    "set_list_objects_encoding_type_url": "done: customization default_url_encoding",
    "handle_copy_source_param": "done: customization copy_source",
    "validate_ascii_metadata": "done: non-ASCII metadata is refused before sending (ascii_only)",
    "remove_accid_host_prefix_from_model": "done: customization drop_host_prefix",
    "document_copy_source_form": "n/a: documentation",
    "document_expires_shape": "n/a: documentation",
    "customize_endpoint_resolver_builtins": "done: Config(s3=...) built-ins and presign_on_global_endpoint",
    "add_recursion_detection_header": "done: X-Amzn-Trace-Id from Lambda's environment, in the runtime",
    "add_expect_header": "done: Expect: 100-continue on file-like PUT/POST bodies; the transport waits for the 100 (expect_continue)",
    "add_glacier_version": "done: customization default_headers",
    "add_accept_header": "done: customization default_headers (API Gateway)",
    "escape_xml_payload": "done: carriage returns in XML text are written as &#13; (line feeds read back unchanged)",
    "add_glacier_checksums": "not yet: Glacier's tree-hash headers",
    "inject_presigned_url_ec2": "not yet: EC2 CopySnapshot's cross-region PresignedUrl",
    "add_retry_headers": "done: amz-sdk-invocation-id and amz-sdk-request (attempt, max) on every request, unsigned",
    "switch_host_machinelearning": "not yet: Machine Learning Predict's PredictEndpoint as host",
    "_update_status_code": "done: part of errors_in_200",
    "disable_signing": "done: the models mark these Cognito Identity operations unsigned",
    "set_operation_specific_signer": "done: per-operation auth (unsigned operations, S3 signing variant)",
    "_set_auth_scheme_preference_signer": "not yet: auth_scheme_preference configuration (issue 11)",
    "sse_md5": "done: customization sse_customer_keys",
    "copy_source_sse_md5": "done: customization sse_customer_keys",
    "base64_encode_user_data": "done: customization base64_encode (EC2, Auto Scaling)",
    "fix_route53_ids": "done: customization strip_id_prefix_shapes",
    "inject_account_id": "done: customization member_defaults (Glacier accountId '-')",
    "remove_arn_from_signing_path": "done: S3 ARNs are resolved by the rule set, never in the signed path",
    "_set_extra_headers_for_unsigned_request": "done: anonymous aws-chunked uploads say STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "remove_content_type_header_for_presigning": "not yet: Polly SynthesizeSpeech presigned without Content-Type",
    "decode_list_object": "done: customization default_url_encoding",
    "decode_list_object_v2": "done: customization default_url_encoding",
    "decode_list_object_versions": "done: customization default_url_encoding",
    "change_get_to_post": "done: CloudSearch Domain's Search query as a form POST (query_as_form)",
    "document_auto_populated_param": "n/a: documentation",
    "append_documentation": "n/a: documentation",
    "document_cloudformation_get_template_return_type": "n/a: documentation",
    "hide_param": "n/a: documentation",
    "add_dsql_generate_db_auth_token_methods": "not yet: DSQL auth tokens",
    "add_generate_db_auth_token": "not yet: RDS IAM auth tokens",
    "inject_presigned_url_rds": "not yet: RDS cross-region PreSignedUrl",
    "inject_api_version_header_if_needed": "done: x-amz-api-version on endpoint-discovery operations (from the model's endpointoperation trait)",
    "alias_parameter_in_call": "not yet: EC2/Logs/CloudSearch parameter aliases (the model names are used)",
    "alias_parameter_in_documentation": "n/a: documentation",
}


def handlers() -> dict[str, list[str]]:
    import botocore.handlers

    out: dict[str, list[str]] = collections.OrderedDict()
    for entry in botocore.handlers.BUILTIN_HANDLERS:
        name = getattr(entry[1], "__name__", type(entry[1]).__name__)
        out.setdefault(name, []).append(entry[0])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    found = handlers()
    missing = [n for n in found if n not in STATUS]
    if args.check:
        for n in missing:
            print(f"no STATUS for botocore handler {n}")
        return 1 if missing else 0
    print("| botocore handler | events | here |")
    print("| --- | --- | --- |")
    for name, events in found.items():
        shown = ", ".join(f"`{e}`" for e in events[:2]) + (f" (+{len(events) - 2})" if len(events) > 2 else "")
        print(f"| `{name}` | {shown} | {STATUS.get(name, 'unknown')} |")
    counts = collections.Counter(STATUS.get(n, "unknown").split(":")[0] for n in found)
    print(f"\n{len(found)} handlers: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
