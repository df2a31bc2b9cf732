"""S3's quirks that botocore handles in handlers, declared in models/customizations/s3.yaml:
each answer is served by a real local HTTP server to the generated client and to boto3,
and the two must agree (requests sent, results, errors)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.differential.harness import ensure_packages, load_package

KEY = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
XML = {"Content-Type": "application/xml"}
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'


@pytest.fixture(scope="module")
def s3pkg() -> Any:
    return load_package(ensure_packages(["s3"]), "s3")


@pytest.fixture
def clients(s3pkg: Any, server: Any) -> tuple[Any, Any]:
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config
    from awsgen_runtime.retries import RetryConfig

    ours = s3pkg.Client(region="us-east-1", endpoint_url=server.url, config=Config(
        s3={"addressing_style": "path"}, retry=RetryConfig(max_attempts=2, base_delay=0.001)), **KEY)
    theirs = boto3.session.Session().client(
        "s3", region_name="us-east-1", endpoint_url=server.url,
        config=BotoConfig(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": 2},
                          request_checksum_calculation="when_required"), **KEY)
    return ours, theirs


def _both(server: Any, replies: list[tuple[int, bytes]], call_ours: Any, call_theirs: Any) -> tuple[Any, Any, list, list]:
    """Serve ``replies`` to each client in turn; (our result or error, boto3's, our requests, boto3's)."""
    out = []
    for call in (call_ours, call_theirs):
        server.requests.clear()
        for status, body in replies:
            server.reply(status, body, XML)
        try:
            out.append(call())
        except Exception as exc:  # noqa: BLE001 - the error is the result compared
            out.append(exc)
        out.append(list(server.requests))
        server.replies.clear()
    return out[0], out[2], out[1], out[3]


@pytest.mark.parametrize("body, expected", [
    (f'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint {NS}>eu-west-1</LocationConstraint>'.encode(),
     "eu-west-1"),
    (f"<LocationConstraint {NS}/>".encode(), None),
])
def test_get_bucket_location_reads_the_bare_root(clients: Any, server: Any, body: bytes, expected: Any) -> None:
    ours, theirs = clients
    a, b, _, _ = _both(server, [(200, body)], lambda: ours.get_bucket_location(bucket="b"),
                       lambda: theirs.get_bucket_location(Bucket="b"))
    assert a.location_constraint == b["LocationConstraint"] == expected


ERROR_200 = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
             b"<Message>We encountered an internal error. Please try again.</Message>"
             b"<RequestId>R1</RequestId></Error>")
COPY_OK = (f'<CopyObjectResult {NS}><LastModified>2026-12-05T00:00:00.000Z</LastModified>'
           f'<ETag>"abc"</ETag></CopyObjectResult>').encode()


def test_an_error_in_a_200_answer_is_retried_then_raised(clients: Any, server: Any) -> None:
    ours, theirs = clients
    a, b, sent_a, sent_b = _both(server, [(200, ERROR_200), (200, ERROR_200)],
                                 lambda: ours.copy_object(bucket="b", key="k", copy_source="src/k"),
                                 lambda: theirs.copy_object(Bucket="b", Key="k", CopySource="src/k"))
    assert len(sent_a) == len(sent_b) == 2  # retried once, as a 500
    assert (a.code, a.message, a.status_code) == (b.response["Error"]["Code"], b.response["Error"]["Message"], 500)
    assert b.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_an_error_in_a_200_answer_then_success(clients: Any, server: Any) -> None:
    ours, theirs = clients
    a, b, sent_a, sent_b = _both(server, [(200, ERROR_200), (200, COPY_OK)],
                                 lambda: ours.copy_object(bucket="b", key="k", copy_source="src/k"),
                                 lambda: theirs.copy_object(Bucket="b", Key="k", CopySource="src/k"))
    assert len(sent_a) == len(sent_b) == 2
    assert a.copy_object_result.e_tag == b["CopyObjectResult"]["ETag"] == '"abc"'


def test_a_200_answer_cut_short_is_retried(clients: Any, server: Any) -> None:
    ours, theirs = clients
    a, b, sent_a, sent_b = _both(server, [(200, COPY_OK[:40]), (200, COPY_OK)],
                                 lambda: ours.copy_object(bucket="b", key="k", copy_source="src/k"),
                                 lambda: theirs.copy_object(Bucket="b", Key="k", CopySource="src/k"))
    assert len(sent_a) == len(sent_b) == 2
    assert a.copy_object_result.e_tag == b["CopyObjectResult"]["ETag"]


def test_an_empty_200_answer_is_no_error(clients: Any, server: Any) -> None:
    ours, theirs = clients
    a, b, sent_a, sent_b = _both(server, [(200, b"")], lambda: ours.delete_bucket_tagging(bucket="b"),
                                 lambda: theirs.delete_bucket_tagging(Bucket="b"))
    assert len(sent_a) == len(sent_b) == 1 and a is None


LISTING = (f'<ListBucketResult {NS}><Name>b</Name><Prefix>a%20b%2B</Prefix><Delimiter>%2F</Delimiter>'
           f'<StartAfter>x+y</StartAfter><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>'
           f'<IsTruncated>false</IsTruncated><Contents><Key>a%20b%2B/%C3%BC%0Dz</Key><Size>1</Size></Contents>'
           f'<CommonPrefixes><Prefix>a%20b%2B/p%2F</Prefix></CommonPrefixes></ListBucketResult>').encode()


@pytest.mark.parametrize("given", [None, "url"])
def test_listing_keys_are_url_encoded_and_decoded(clients: Any, server: Any, given: Any) -> None:
    ours, theirs = clients
    kw_ours = {} if given is None else {"encoding_type": given}
    kw_theirs = {} if given is None else {"EncodingType": given}
    a, b, sent_a, sent_b = _both(server, [(200, LISTING)],
                                 lambda: ours.list_objects_v2(bucket="b", prefix="a b+", **kw_ours),
                                 lambda: theirs.list_objects_v2(Bucket="b", Prefix="a b+", **kw_theirs))
    assert "encoding-type=url" in sent_a[0].path and "encoding-type=url" in sent_b[0].path
    assert [c.key for c in a.contents] == [c["Key"] for c in b["Contents"]]
    assert (a.prefix, a.delimiter, a.start_after) == (b["Prefix"], b["Delimiter"], b["StartAfter"])
    assert [p.prefix for p in a.common_prefixes] == [p["Prefix"] for p in b["CommonPrefixes"]]
    if given is None:
        assert a.contents[0].key == "a b+/\u00fc\rz"
    else:
        assert a.contents[0].key == "a%20b%2B/%C3%BC%0Dz"


@pytest.mark.parametrize("op, params", [
    ("put_object", {"Bucket": "b", "Key": "k", "Body": b"x", "SSECustomerAlgorithm": "AES256",
                    "SSECustomerKey": "0123456789abcdef0123456789abcdef"}),
    ("get_object", {"Bucket": "b", "Key": "k", "SSECustomerAlgorithm": "AES256", "SSECustomerKey": "k\u00e9y",
                    "SSECustomerKeyMD5": "given"}),
    ("copy_object", {"Bucket": "b", "Key": "k", "CopySource": "src/a b+\u00fc?versionId=v 1",
                     "CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": "secret key"}),
    ("copy_object", {"Bucket": "b", "Key": "k", "CopySource": {"Bucket": "src", "Key": "dir/a b", "VersionId": "3"}}),
    ("upload_part_copy", {"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 2,
                          "CopySource": {"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "Key": "x"}}),
])
def test_sse_c_keys_and_copy_sources_are_sent_as_boto3_sends_them(s3pkg: Any, op: str, params: dict[str, Any]) -> None:
    import boto3
    from botocore import xform_name

    from tests.differential.harness import Capture, botocore_sends
    from awsgen_runtime.client import Config

    boto = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url="http://s3.local", **KEY)
    theirs = botocore_sends(boto, op, **params)
    capture = Capture()
    capture.body = b""
    ours = s3pkg.Client(region="us-east-1", endpoint_url="http://s3.local", transport=capture,
                        config=Config(max_attempts=1), **KEY)
    try:
        getattr(ours, op)(**{xform_name(k): v for k, v in params.items()})
    except Exception:  # the canned empty answer need not parse
        pass
    sent = {k.lower(): v for k, v in capture.requests[0].headers.items()}
    for name in ("x-amz-copy-source", "x-amz-server-side-encryption-customer-key",
                 "x-amz-server-side-encryption-customer-key-md5",
                 "x-amz-copy-source-server-side-encryption-customer-key",
                 "x-amz-copy-source-server-side-encryption-customer-key-md5"):
        expected = theirs.headers.get(name)
        assert sent.get(name) == (expected.decode() if isinstance(expected, bytes) else expected), name


REDIRECT = (f'<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be '
            f'addressed using the specified endpoint.</Message><Bucket>b</Bucket></Error>').encode()
MALFORMED = (b"<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-east-1' is wrong; "
             b"expecting 'ap-south-1'</Message><Region>ap-south-1</Region></Error>")
LISTING_V2 = f'<ListBucketResult {NS}><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>'.encode()


def _scope(recorded: Any) -> str:
    auth = recorded.headers["Authorization"]
    return auth.split("Credential=")[1].split("/")[2]


@pytest.mark.parametrize("status, body, headers, region", [
    (301, REDIRECT, {"x-amz-bucket-region": "eu-west-1"}, "eu-west-1"),
    (400, MALFORMED, {}, "ap-south-1"),
])
def test_requests_follow_the_bucket_to_its_region(clients: Any, server: Any, status: int, body: bytes,
                                                  headers: dict[str, str], region: str) -> None:
    ours, theirs = clients
    out = []
    for call in (lambda: ours.list_objects_v2(bucket="b"), lambda: theirs.list_objects_v2(Bucket="b")):
        server.requests.clear()
        server.reply(status, body, {**XML, **headers})
        server.reply(200, LISTING_V2, XML)
        server.reply(200, LISTING_V2, XML)
        call()
        call()  # remembered: straight to the bucket's region
        out.append([_scope(r) for r in server.requests])
        server.replies.clear()
    assert out[0] == out[1] == ["us-east-1", region, region]


def test_head_object_400_without_a_body_uses_the_region_header(clients: Any, server: Any) -> None:
    ours, theirs = clients
    out = []
    for call in (lambda: ours.head_object(bucket="b", key="k"), lambda: theirs.head_object(Bucket="b", Key="k")):
        server.requests.clear()
        server.reply(400, b"", {"x-amz-bucket-region": "us-west-2"})
        server.reply(200, b"", {})
        call()
        out.append([(r.method, _scope(r)) for r in server.requests])
        server.replies.clear()
    assert out[0] == out[1] == [("HEAD", "us-east-1"), ("HEAD", "us-west-2")]


def test_no_redirect_without_a_region_or_twice(clients: Any, server: Any) -> None:
    ours, _ = clients
    server.reply(301, REDIRECT, XML)  # no region anywhere: the error stands
    with pytest.raises(Exception) as info:
        ours.list_objects_v2(bucket="b")
    assert getattr(info.value, "code", None) == "PermanentRedirect" and len(server.requests) == 1
    server.requests.clear()
    server.reply(301, REDIRECT, {**XML, "x-amz-bucket-region": "eu-west-1"})
    server.reply(301, REDIRECT, {**XML, "x-amz-bucket-region": "eu-central-1"})
    with pytest.raises(Exception):
        ours.list_objects_v2(bucket="other")
    assert [_scope(r) for r in server.requests] == ["us-east-1", "eu-west-1"]


EXPRESS_BUCKET = "mybucket--usw2-az1--x-s3"
SESSION = (f'<CreateSessionResult {NS}><Credentials><SessionToken>SESSIONTOKEN</SessionToken>'
           f'<SecretAccessKey>sessionsecret</SecretAccessKey><AccessKeyId>ASIASESSION</AccessKeyId>'
           f'<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>').encode()


def test_s3_express_requests_use_a_session_as_boto3(s3pkg: Any, server: Any) -> None:
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    ours = s3pkg.Client(region="us-west-2", endpoint_url=server.url, config=Config(max_attempts=1), **KEY)
    theirs = boto3.session.Session().client("s3", region_name="us-west-2", endpoint_url=server.url,
                                            config=BotoConfig(retries={"total_max_attempts": 1}), **KEY)
    seen = []
    for get in (lambda: ours.get_object(bucket=EXPRESS_BUCKET, key="k").body.read(),
                lambda: theirs.get_object(Bucket=EXPRESS_BUCKET, Key="k")["Body"].read()):
        server.requests.clear()
        server.reply(200, SESSION, XML)
        server.reply(200, b"one", {})
        server.reply(200, b"two", {})
        assert get() == b"one" and get() == b"two"  # the second call reuses the session
        seen.append([(r.method, r.path.split("?")[0], "session" in r.path, r.headers.get("x-amz-s3session-token"),
                      r.headers["Authorization"].split("Credential=")[1].split(",")[0].split("/", 1)[1][9:],
                      r.headers["Authorization"].split("Credential=")[1].split("/")[0]) for r in server.requests])
        server.replies.clear()
    assert seen[0] == seen[1]
    assert [s[3:] for s in seen[0]] == [
        (None, "us-west-2/s3express/aws4_request", "AKIDEXAMPLE"),
        ("SESSIONTOKEN", "us-west-2/s3express/aws4_request", "ASIASESSION"),
        ("SESSIONTOKEN", "us-west-2/s3express/aws4_request", "ASIASESSION"),
    ]


def test_s3_express_signature_is_botocores(s3pkg: Any, server: Any) -> None:
    from botocore.auth import S3ExpressAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    from awsgen_runtime.client import Config

    ours = s3pkg.Client(region="us-west-2", endpoint_url=server.url, config=Config(max_attempts=1), **KEY)
    server.reply(200, SESSION, XML)
    server.reply(200, b"", {})
    ours.put_object(bucket=EXPRESS_BUCKET, key="a b", body=b"data")
    sent = server.requests[-1]
    auth = sent.headers["Authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    headers = {k: v for k, v in sent.headers.items() if k.lower() in signed}
    req = AWSRequest(method=sent.method, url=server.url + sent.path, headers=headers, data=sent.body)
    req.context["timestamp"] = sent.headers["X-Amz-Date"]
    signer = S3ExpressAuth(BotoCredentials("ASIASESSION", "sessionsecret", "SESSIONTOKEN"), "s3express", "us-west-2",
                           identity_cache=None)
    expected = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
    assert auth.endswith("Signature=" + expected) and "x-amz-s3session-token" in signed


def test_managed_upload_sends_what_s3transfer_sends(s3pkg: Any, server: Any, tmp_path: Any) -> None:
    """upload_file of a multipart-sized file: the same requests as boto3's (s3transfer), the
    checksum headers included (CreateMultipartUpload declares CRC32, each part carries one)."""
    import boto3
    from tests.conftest import Reply

    from awsgen_runtime.client import Config

    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(256)) * (40 * 1024 + 17))  # ~10 MiB: two parts of 8 MiB at most
    start = (f"<InitiateMultipartUploadResult {NS}><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId>"
             f"</InitiateMultipartUploadResult>").encode()
    done = f'<CompleteMultipartUploadResult {NS}><ETag>"x"</ETag></CompleteMultipartUploadResult>'.encode()
    ours = s3pkg.Client(region="us-east-1", endpoint_url=server.url, config=Config(s3={"addressing_style": "path"}),
                        **KEY)
    theirs = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=server.url, **KEY)
    seen = []
    for upload in (lambda: ours.upload_file(str(path), bucket="b", key="k"),
                   lambda: theirs.upload_file(str(path), "b", "k")):
        server.requests.clear()
        # One ETag for both parts: they go up concurrently, so the queue's order of answers
        # is not the parts' order.
        server.replies[:] = [Reply(200, XML, start), Reply(200, {"ETag": '"e"'}, b""),
                             Reply(200, {"ETag": '"e"'}, b""), Reply(200, XML, done)]
        upload()
        seen.append(sorted(
            (r.method, r.path.split("?")[0], tuple(sorted(r.path.partition("?")[2].split("&"))),
             tuple(sorted((k.lower(), v) for k, v in r.headers.items()
                          if "checksum" in k.lower() or k.lower() in ("expect", "content-length"))), r.body)
            for r in server.requests))
    assert seen[0] == seen[1]
    create = next(r for r in seen[0] if r[2] == ("uploads",))
    assert ("x-amz-checksum-algorithm", "CRC32") in create[3]
