"""Other services' botocore handlers, declared in models/customizations/: each request is
compared with the one boto3 (handlers and all) sends for the same input, and answers are
read as boto3 reads them."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.differential.harness import Capture, botocore_sends, ensure_packages, load_package

KEY = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
SERVICES = ("apigateway", "glacier", "route53", "ec2", "autoscaling", "s3", "cloudsearchdomain", "dynamodb")


@pytest.fixture(scope="module")
def pkgs() -> dict[str, Any]:
    root = ensure_packages(list(SERVICES))
    return {s: load_package(root, s) for s in SERVICES}


def _pair(pkgs: dict[str, Any], service: str, op: str, params: dict[str, Any], ours_params: dict[str, Any],
          body: bytes = b"{}") -> tuple[Any, Any, Any]:
    import boto3

    from awsgen_runtime.client import Config

    endpoint = "https://search-d.us-east-1.cloudsearch.amazonaws.com" if service == "cloudsearchdomain" else None
    boto = boto3.session.Session().client(service, region_name="us-east-1", endpoint_url=endpoint, **KEY)
    theirs = botocore_sends(boto, op, **params)
    capture = Capture()
    capture.body = body
    client = pkgs[service].Client(region="us-east-1", endpoint_url=endpoint, transport=capture,
                                  config=Config(max_attempts=1), **KEY)
    try:
        result = getattr(client, op)(**ours_params)
    except Exception:  # the canned answer need not parse
        result = None
    return theirs, capture.requests[0], result


def _header(req: Any, name: str) -> str | None:
    for k, v in req.headers.items():
        if k.lower() == name.lower():
            return v.decode() if isinstance(v, bytes) else v
    return None


def test_api_gateway_asks_for_json(pkgs: dict[str, Any]) -> None:
    theirs, ours, _ = _pair(pkgs, "apigateway", "get_rest_apis", {}, {})
    assert _header(ours, "Accept") == _header(theirs, "Accept") == "application/json"


def test_glacier_version_header_and_default_account(pkgs: dict[str, Any]) -> None:
    theirs, ours, _ = _pair(pkgs, "glacier", "list_vaults", {}, {})
    assert _header(ours, "x-amz-glacier-version") == _header(theirs, "x-amz-glacier-version") == "2012-06-01"
    assert urlsplit(ours.url).path == urlsplit(theirs.url).path == "/-/vaults"
    _, given, _ = _pair(pkgs, "glacier", "list_vaults", {"accountId": "123456789012"},
                        {"account_id": "123456789012"})
    assert urlsplit(given.url).path == "/123456789012/vaults"


@pytest.mark.parametrize("op, params", [
    ("get_hosted_zone", {"Id": "/hostedzone/Z1D633PJN98FT9"}),
    ("get_change", {"Id": "/change/C2682N5HXP0BZ4"}),
    ("list_resource_record_sets", {"HostedZoneId": "/hostedzone/ZABC"}),
    ("get_hosted_zone", {"Id": "Z1D633PJN98FT9"}),
])
def test_route53_ids_lose_their_prefix(pkgs: dict[str, Any], op: str, params: dict[str, Any]) -> None:
    from botocore import xform_name

    theirs, ours, _ = _pair(pkgs, "route53", op, params, {xform_name(k): v for k, v in params.items()})
    assert urlsplit(ours.url).path == urlsplit(theirs.url).path
    assert "/hostedzone/hostedzone" not in ours.url and "/change/change" not in ours.url


@pytest.mark.parametrize("service, op, params", [
    ("ec2", "run_instances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "UserData": "#!/bin/sh\necho ü\n"}),
    ("autoscaling", "create_launch_configuration", {"LaunchConfigurationName": "lc", "UserData": "echo hi"}),
])
def test_user_data_is_sent_base64_encoded(pkgs: dict[str, Any], service: str, op: str, params: dict[str, Any]) -> None:
    from botocore import xform_name

    theirs, ours, _ = _pair(pkgs, service, op, params, {xform_name(k): v for k, v in params.items()})
    sent = dict(parse_qsl(ours.body.decode()))
    assert sent["UserData"] == dict(parse_qsl(theirs.body if isinstance(theirs.body, str)
                                              else theirs.body.decode()))["UserData"]
    assert base64.b64decode(sent["UserData"]).decode() == params["UserData"]


def test_console_output_is_decoded(pkgs: dict[str, Any], server: Any) -> None:
    import boto3

    text = "Linux version 6.1 \u2014 booted\n"
    encoded = base64.b64encode(text.encode()).decode()
    body = (f'<GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>'
            f"<instanceId>i-1</instanceId><output>{encoded}</output></GetConsoleOutputResponse>").encode()
    headers = {"Content-Type": "text/xml"}
    server.reply(200, body, headers)
    ours = pkgs["ec2"].Client(region="us-east-1", endpoint_url=server.url, **KEY).get_console_output(instance_id="i-1")
    server.reply(200, body, headers)
    theirs = boto3.session.Session().client("ec2", region_name="us-east-1", endpoint_url=server.url,
                                            **KEY).get_console_output(InstanceId="i-1")
    assert ours.output == theirs["Output"] == text


def test_lambda_trace_id_is_passed_on(pkgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's add_recursion_detection_header, for every service."""
    trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0|x"y'
    from awsgen_runtime import client as client_module

    monkeypatch.setenv("_X_AMZN_TRACE_ID", trace)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
    monkeypatch.setattr(client_module, "_IN_LAMBDA", True)  # read once, at import, in a real Lambda
    theirs, ours, _ = _pair(pkgs, "apigateway", "get_rest_apis", {}, {})
    assert _header(ours, "X-Amzn-Trace-Id") == _header(theirs, "X-Amzn-Trace-Id")
    assert "%7C" in _header(ours, "X-Amzn-Trace-Id")  # '|' is quoted, '"' and ';' are not
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    monkeypatch.setattr(client_module, "_IN_LAMBDA", False)
    _, outside, _ = _pair(pkgs, "apigateway", "get_rest_apis", {}, {})
    assert _header(outside, "X-Amzn-Trace-Id") is None


@pytest.mark.parametrize("bucket, valid", [
    ("my.bucket-name_1", True),
    ("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap", True),
    ("arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/ap", True),
    ("a/b", False), ("with space", False), ("", False), ("x" * 256, False), ("arn:aws:s3:::bucket/key", False),
])
def test_s3_bucket_names_are_checked_before_sending_as_boto3(pkgs: dict[str, Any], bucket: str, valid: bool) -> None:
    """botocore's validate_bucket_name: the same names are refused, before anything is sent."""
    import boto3
    from botocore.exceptions import ParamValidationError as BotoParamValidationError

    from awsgen_runtime.errors import ParamValidationError

    boto = boto3.session.Session().client("s3", region_name="us-west-2", **KEY)
    capture = Capture()
    capture.body = b""
    ours = pkgs["s3"].Client(region="us-west-2", transport=capture, **KEY)
    if valid:
        botocore_sends(boto, "head_bucket", Bucket=bucket)
        ours.head_bucket(bucket=bucket)
        assert len(capture.requests) == 1
        return
    with pytest.raises(BotoParamValidationError):
        botocore_sends(boto, "head_bucket", Bucket=bucket)
    with pytest.raises(ParamValidationError, match="bucket"):
        ours.head_bucket(bucket=bucket)
    assert capture.requests == []


@pytest.mark.parametrize("op, params", [
    ("put_object", {"Bucket": "b", "Key": "k"}),
    ("create_multipart_upload", {"Bucket": "b", "Key": "k"}),
    ("copy_object", {"Bucket": "b", "Key": "k", "CopySource": "src/k"}),
])
def test_s3_metadata_must_be_ascii_as_boto3(pkgs: dict[str, Any], op: str, params: dict[str, Any]) -> None:
    import boto3
    from botocore.exceptions import ParamValidationError as BotoParamValidationError

    from awsgen_runtime.errors import ParamValidationError

    boto = boto3.session.Session().client("s3", region_name="us-east-1", **KEY)
    capture = Capture()
    capture.body = b""
    ours = pkgs["s3"].Client(region="us-east-1", transport=capture, **KEY)
    snake = {"Bucket": "bucket", "Key": "key", "CopySource": "copy_source"}
    for metadata, refused in (({"note": "caf\u00e9"}, True), ({"n\u00f8": "x"}, True), ({"note": "plain"}, False)):
        if refused:
            with pytest.raises(BotoParamValidationError):
                botocore_sends(boto, op, Metadata=metadata, **params)
            with pytest.raises(ParamValidationError, match="ASCII"):
                getattr(ours, op)(metadata=metadata, **{snake[k]: v for k, v in params.items()})
        else:
            botocore_sends(boto, op, Metadata=metadata, **params)
            getattr(ours, op)(metadata=metadata, **{snake[k]: v for k, v in params.items()})


@pytest.mark.parametrize("expires", ["Wed, 21 Oct 2026 07:28:00 GMT", "0", "never", "-1"])
def test_s3_expires_header_that_is_no_date(pkgs: dict[str, Any], server: Any, expires: str) -> None:
    """botocore's handle_expires_header: any text is read; ExpiresString keeps it."""
    import boto3

    results = []
    for make in (lambda: pkgs["s3"].Client(region="us-east-1", endpoint_url=server.url, **KEY).head_object(
                     bucket="b", key="k"),
                 lambda: boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=server.url,
                                                        **KEY).head_object(Bucket="b", Key="k")):
        server.reply(200, b"", {"Expires": expires})
        results.append(make())
    ours, theirs = results
    assert ours.expires_string == theirs["ExpiresString"] == expires
    assert ours.expires == theirs.get("Expires")


def test_attempt_headers_as_boto3(pkgs: dict[str, Any], server: Any) -> None:
    """botocore's add_retry_headers, for every service: one invocation id for a call's
    attempts, the attempt number (and the most there will be, from the second)."""
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config
    from awsgen_runtime.retries import RetryConfig

    seen = []
    for call in (lambda: pkgs["dynamodb"].Client(region="us-east-1", endpoint_url=server.url, **KEY, config=Config(
                     retry=RetryConfig(max_attempts=3, base_delay=0.001))).list_tables(),
                 lambda: boto3.session.Session().client(
                     "dynamodb", region_name="us-east-1", endpoint_url=server.url, **KEY,
                     config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 3})).list_tables()):
        server.requests.clear()
        server.reply(500, b'{"__type": "InternalServerError"}', {"Content-Type": "application/x-amz-json-1.0"})
        server.reply(200, b"{}", {"Content-Type": "application/x-amz-json-1.0"})
        call()
        seen.append([(r.headers["amz-sdk-request"].split("; ttl")[0], r.headers["amz-sdk-invocation-id"])
                     for r in server.requests])
    for attempts in seen:
        assert attempts[0][1] == attempts[1][1] and len(attempts[0][1]) == 36
    assert [a[0] for a in seen[0]] == [_drop_ttl(a[0]) for a in seen[1]] == ["attempt=1", "attempt=2; max=3"]
    assert seen[0][0][1] != seen[1][0][1]


def _drop_ttl(value: str) -> str:
    return "; ".join(p for p in value.split("; ") if not p.startswith("ttl="))


def test_cloudsearch_domain_search_is_a_form_post(pkgs: dict[str, Any]) -> None:
    theirs, ours, _ = _pair(pkgs, "cloudsearchdomain", "search", {"query": "hello world", "size": 5},
                            {"query": "hello world", "size": 5})
    assert (ours.method, urlsplit(ours.url).path, urlsplit(ours.url).query) == \
        (theirs.method, urlsplit(theirs.url).path, urlsplit(theirs.url).query) == ("POST", "/2013-01-01/search", "")
    their_body = theirs.body.decode() if isinstance(theirs.body, bytes) else theirs.body
    assert sorted(parse_qsl(ours.body.decode())) == sorted(parse_qsl(their_body))
    assert _header(ours, "Content-Type") == _header(theirs, "Content-Type") == "application/x-www-form-urlencoded"


def test_endpoint_discovery_operation_names_the_api_version(pkgs: dict[str, Any]) -> None:
    theirs, ours, _ = _pair(pkgs, "dynamodb", "describe_endpoints", {}, {})
    assert _header(ours, "x-amz-api-version") == _header(theirs, "x-amz-api-version") == "2012-08-10"
    theirs, ours, _ = _pair(pkgs, "dynamodb", "list_tables", {}, {})
    assert _header(ours, "x-amz-api-version") is _header(theirs, "x-amz-api-version") is None
