"""STS, IAM, SNS (query), SQS (json), EC2 (ec2) and S3 (rest-xml, path-style) against moto,
each flow run by the generated client and by boto3 on the same server, step by step.

The packages are generated from botocore 1.43.67's models by the current generator
(cached per generator version, like the compliance packages). A flow is written once,
in boto3's terms (PascalCase parameters); ``ours`` runs it through the generated
client's snake_case methods and typed shapes (``e2e.ours_call``), ``boto3`` through
boto3. Values moto makes up on every run (ids, dates, keys) compare by kind only.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from botocore import xform_name

from awsgen_runtime.errors import ServiceError
from awsgen_runtime.transport import Urllib3Transport

REPO = Path(__file__).resolve().parent.parent.parent
SERVICES = ("sts", "iam", "sns", "sqs", "ec2", "s3")
KEY = SECRET = "testing"
REGION = "us-east-1"


def _fingerprint() -> str:
    from tests.compliance.suites import _generator_fingerprint

    return _generator_fingerprint()


@pytest.fixture(scope="module")
def packages() -> dict[str, Any]:
    from generator.botocore_source import cache_dir
    from generator.model.naming import package_names

    root = cache_dir() / "e2e" / _fingerprint()
    missing = [s for s in SERVICES if not (root / package_names(s)[1]).exists()]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([sys.executable, "-m", "generator", "generate-all", "--out", str(root), "--only", *missing],
                              cwd=REPO, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = {}
    for s in SERVICES:
        pkg, dist = package_names(s)
        if str(root / dist) not in sys.path:
            sys.path.insert(0, str(root / dist))
        out[s] = importlib.import_module(pkg)
    return out


class Runner:
    """Runs a flow's steps through one client and keeps the plain results."""

    def __init__(self, kind: str, clients: dict[str, Any], boto: dict[str, Any], e2e: Any) -> None:
        self.kind = kind
        self.clients = clients
        self.boto = boto
        self.e2e = e2e
        self.steps: list[tuple[str, Any]] = []

    def __call__(self, service: str, op: str, **params: Any) -> Any:
        boto = self.boto[service]
        try:
            if self.kind == "ours":
                result = self.e2e.ours_plain(self.e2e.ours_call(self.clients[service], boto, op, **params))
            else:
                result = self.e2e.boto_output(boto, op, getattr(boto, xform_name(op))(**params))
        except ServiceError as exc:
            result = {"error": exc.code}
        except Exception as exc:  # boto3's ClientError
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code is None:
                raise
            result = {"error": code}
        self.steps.append((f"{service}.{op}", result))
        return result


_ID = re.compile(r"^(i|r|sg|sgr|eni|eni-attach|vpc|subnet|ami|vol|eipalloc|attach|acl|rtb|igw|dopt|snap)-[0-9a-f]{6,}$")
_IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
_HEXISH = re.compile(r"^[A-Za-z0-9+/=_-]{16,}$")


def normalize(value: Any, volatile: frozenset[str], key: str = "") -> Any:
    """Values that differ on every run, by kind: ids, addresses, dates, the keys named
    (a name written ``-key`` drops the key altogether)."""
    if isinstance(value, dict):
        # None is an unset member in the typed result; boto3 may give it as a key (GetBucketLocation).
        return {k: normalize(v, volatile, k) for k, v in value.items() if "-" + k not in volatile and v is not None}
    if isinstance(value, list):
        return [normalize(v, volatile, key) for v in value]
    if key in volatile:
        return f"<{type(value).__name__}>"
    if isinstance(value, dt.datetime):
        return "<datetime>"
    if isinstance(value, str):
        if _ID.match(value):
            return "<id>"
        if _IP.match(value):
            return "<ip>"
        value = re.sub(r"\b(i|r|sg|eni|vpc|subnet)-[0-9a-f]{6,}\b", "<id>", value)
        value = re.sub(r"\b(ip|ec2)-\d+-\d+-\d+-\d+", r"\1-<ip>", value)
        value = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "<uuid>", value)
    return value


@pytest.fixture
def run_both(packages: dict[str, Any], moto_url: str, reset: Callable[[], None], e2e: Any) -> Callable[..., None]:
    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    def run(flow: Callable[[Runner], None], volatile: frozenset[str] = frozenset()) -> list[tuple[str, Any]]:
        boto = {
            s: boto3.session.Session().client(
                s, region_name=REGION, endpoint_url=moto_url, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                config=BotoConfig(retries={"mode": "standard", "max_attempts": 1}, s3={"addressing_style": "path"}))
            for s in SERVICES
        }
        recordings = {}
        clients = {}
        for s in SERVICES:
            rec = recordings[s] = e2e.Recording(Urllib3Transport(connect_timeout=5, read_timeout=20))
            clients[s] = packages[s].Client(
                region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                transport=rec, config=Config(max_attempts=1, s3={"addressing_style": "path"}))
        ours = Runner("ours", clients, boto, e2e)
        flow(ours)
        reset()
        theirs = Runner("boto3", clients, boto, e2e)
        flow(theirs)
        assert [name for name, _ in ours.steps] == [name for name, _ in theirs.steps]
        for (name, a), (_, b) in zip(ours.steps, theirs.steps):
            a, b = normalize(a, volatile), normalize(b, volatile)
            assert a == b, f"{name}: generated client and boto3 differ\nours:  {a}\nboto3: {b}"
        for s, rec in recordings.items():
            if rec.requests:
                signing = {"sqs": "sqs", "s3": "s3"}.get(s, s)
                e2e.check_signed(rec, signing)
        return ours.steps

    return run


def test_sts_caller_identity_and_assume_role(run_both: Callable[..., Any]) -> None:
    def flow(call: Runner) -> None:
        ident = call("sts", "GetCallerIdentity")
        assert ident["account"] and ident["arn"]
        creds = call("sts", "AssumeRole", RoleArn="arn:aws:iam::123456789012:role/e2e-role",
                     RoleSessionName="e2e-session", DurationSeconds=900)
        assert creds["credentials"]["access_key_id"]

    run_both(flow, frozenset({"access_key_id", "secret_access_key", "session_token", "assumed_role_id", "expiration"}))


POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})


def test_iam_users_and_policies(run_both: Callable[..., Any]) -> None:
    def flow(call: Runner) -> None:
        call("iam", "CreateUser", UserName="e2e-user", Path="/team/", Tags=[{"Key": "k", "Value": "v"}])
        call("iam", "GetUser", UserName="e2e-user")
        call("iam", "ListUsers", PathPrefix="/team/")
        policy = call("iam", "CreatePolicy", PolicyName="e2e-policy", PolicyDocument=POLICY, Description="d")
        arn = policy["policy"]["arn"]
        call("iam", "GetPolicy", PolicyArn=arn)
        call("iam", "ListPolicies", Scope="Local")
        call("iam", "AttachUserPolicy", UserName="e2e-user", PolicyArn=arn)
        call("iam", "ListAttachedUserPolicies", UserName="e2e-user")
        call("iam", "DetachUserPolicy", UserName="e2e-user", PolicyArn=arn)
        call("iam", "DeletePolicy", PolicyArn=arn)
        call("iam", "DeleteUser", UserName="e2e-user")
        assert call("iam", "GetUser", UserName="e2e-user") == {"error": "NoSuchEntity"}

    run_both(flow, frozenset({"user_id", "policy_id"}))


def test_sns_to_sqs_publish_and_receive(run_both: Callable[..., Any]) -> None:
    def flow(call: Runner) -> None:
        queue = call("sqs", "CreateQueue", QueueName="e2e-queue", Attributes={"VisibilityTimeout": "30"})
        url = queue["queue_url"]
        call("sqs", "GetQueueUrl", QueueName="e2e-queue")
        attrs = call("sqs", "GetQueueAttributes", QueueUrl=url, AttributeNames=["QueueArn"])
        topic = call("sns", "CreateTopic", Name="e2e-topic", Attributes={"DisplayName": "E2E"})
        call("sns", "ListTopics")
        call("sns", "GetTopicAttributes", TopicArn=topic["topic_arn"])
        call("sns", "Subscribe", TopicArn=topic["topic_arn"], Protocol="sqs",
             Endpoint=attrs["attributes"]["QueueArn"], Attributes={"RawMessageDelivery": "true"})
        call("sns", "ListSubscriptionsByTopic", TopicArn=topic["topic_arn"])
        call("sns", "Publish", TopicArn=topic["topic_arn"], Message="hello ✓ <&>", Subject="s",
             MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"}})
        got = call("sqs", "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        assert got["messages"][0]["body"] == "hello ✓ <&>"
        call("sqs", "SendMessage", QueueUrl=url, MessageBody="direct", DelaySeconds=0,
             MessageAttributes={"n": {"DataType": "Number", "StringValue": "5"}})
        again = call("sqs", "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
        for m in again.get("messages", []):
            call("sqs", "DeleteMessage", QueueUrl=url, ReceiptHandle=m["receipt_handle"])
        call("sns", "DeleteTopic", TopicArn=topic["topic_arn"])
        call("sqs", "DeleteQueue", QueueUrl=url)

    run_both(flow, frozenset({"message_id", "receipt_handle", "subscription_arn", "SubscriptionArn",
                              "sequence_number", "md5_of_message_attributes"}))


def test_ec2_instances_and_security_groups(run_both: Callable[..., Any]) -> None:
    def flow(call: Runner) -> None:
        images = call("ec2", "DescribeImages", Owners=["amazon"], MaxResults=5)
        image = sorted(i["image_id"] for i in images["images"])[0] if images.get("images") else "ami-12c6146b"
        group = call("ec2", "CreateSecurityGroup", GroupName="e2e-sg", Description="e2e group",
                     TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "k", "Value": "v"}]}])
        gid = group["group_id"]
        call("ec2", "AuthorizeSecurityGroupIngress", GroupId=gid, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "x"}]}])
        call("ec2", "DescribeSecurityGroups", GroupIds=[gid])
        run = call("ec2", "RunInstances", ImageId=image, MinCount=2, MaxCount=2, InstanceType="t2.micro",
                   SecurityGroupIds=[gid],
                   TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "e2e"}]}])
        ids = sorted(i["instance_id"] for i in run["instances"])
        call("ec2", "DescribeInstances", InstanceIds=ids)
        call("ec2", "DescribeInstances", Filters=[{"Name": "tag:Name", "Values": ["e2e"]}])
        call("ec2", "TerminateInstances", InstanceIds=ids)
        call("ec2", "DeleteSecurityGroup", GroupId=gid)
        assert call("ec2", "DescribeSecurityGroups", GroupIds=[gid]) == {"error": "InvalidGroup.NotFound"}

    run_both(flow, frozenset({"launch_time", "mac_address", "owner_id", "requester_id", "attach_time",
                              "reservation_id", "image_id", "image_location", "name", "creation_date",
                              "description", "kernel_id", "ramdisk_id", "client_token", "usage_operation_update_time"}))


def test_s3_buckets_and_objects_path_style(run_both: Callable[..., Any]) -> None:
    def flow(call: Runner) -> None:
        call("s3", "CreateBucket", Bucket="e2e-bucket")
        call("s3", "ListBuckets")
        call("s3", "PutObject", Bucket="e2e-bucket", Key="dir/hello world.txt", Body=b"hello \xe2\x9c\x93",
             ContentType="text/plain", Metadata={"owner": "e2e"})
        call("s3", "PutObject", Bucket="e2e-bucket", Key="second", Body=b"")
        # S3 signs the path as sent: no dot-segment removal, no second encoding.
        odd = "odd/a b+c%25 \u00fc/./x//y~"
        call("s3", "PutObject", Bucket="e2e-bucket", Key=odd, Body=b"odd")
        assert call("s3", "HeadObject", Bucket="e2e-bucket", Key=odd)["content_length"] == 3
        # Listings ask for URL-encoded names and decode them, as boto3 does.
        listed = call("s3", "ListObjectsV2", Bucket="e2e-bucket", Prefix="odd/")
        assert [c["key"] for c in listed["contents"]] == [odd]
        call("s3", "ListObjects", Bucket="e2e-bucket", Delimiter="/")
        call("s3", "ListObjectVersions", Bucket="e2e-bucket", Prefix="odd/a b")
        call("s3", "ListObjectsV2", Bucket="e2e-bucket", EncodingType="url")  # asked for: left encoded
        call("s3", "GetBucketLocation", Bucket="e2e-bucket")
        # CopySource as a string or a mapping, URL-encoded as boto3 encodes it.
        call("s3", "CopyObject", Bucket="e2e-bucket", Key="copy 1", CopySource=f"e2e-bucket/{odd}")
        call("s3", "CopyObject", Bucket="e2e-bucket", Key="copy 2", CopySource={"Bucket": "e2e-bucket", "Key": odd})
        assert call("s3", "HeadObject", Bucket="e2e-bucket", Key="copy 2")["content_length"] == 3
        call("s3", "DeleteObject", Bucket="e2e-bucket", Key="copy 1")
        call("s3", "DeleteObject", Bucket="e2e-bucket", Key="copy 2")
        call("s3", "DeleteObject", Bucket="e2e-bucket", Key=odd)
        head = call("s3", "HeadObject", Bucket="e2e-bucket", Key="dir/hello world.txt")
        assert head["content_length"] == 9 and head["metadata"] == {"owner": "e2e"}
        call("s3", "ListObjectsV2", Bucket="e2e-bucket")
        call("s3", "ListObjectsV2", Bucket="e2e-bucket", Prefix="dir/", Delimiter="/")
        call("s3", "DeleteObject", Bucket="e2e-bucket", Key="dir/hello world.txt")
        call("s3", "DeleteObject", Bucket="e2e-bucket", Key="second")
        assert call("s3", "HeadObject", Bucket="e2e-bucket", Key="second") == {"error": "404"}
        call("s3", "DeleteBucket", Bucket="e2e-bucket")
        assert call("s3", "ListObjectsV2", Bucket="e2e-bucket") == {"error": "NoSuchBucket"}

    run_both(flow, frozenset({"last_modified", "creation_date", "owner", "id", "display_name", "request_charged"}))


def test_s3_get_object_streams_the_body(packages: dict[str, Any], moto_url: str) -> None:
    s3 = packages["s3"].Client(region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                               aws_secret_access_key=SECRET, config=__import__("awsgen_runtime.client").client.Config(
                                   s3={"addressing_style": "path"}))
    s3.create_bucket(bucket="e2e-stream")
    data = bytes(range(256)) * 4096
    s3.put_object(bucket="e2e-stream", key="blob.bin", body=data)
    got = s3.get_object(bucket="e2e-stream", key="blob.bin")
    assert got.content_length == len(data)
    chunks = []
    while True:
        chunk = got.body.read(65536)
        if not chunk:
            break
        chunks.append(chunk)
    assert b"".join(chunks) == data


def test_s3_presigned_urls_with_a_plain_http_library(packages: dict[str, Any], moto_url: str) -> None:
    """Upload and download through presigned URLs with urllib alone; boto3 reads back what
    went up, and a URL presigned by us reads what boto3 wrote."""
    import urllib.request

    import boto3
    from botocore.config import Config as BotoConfig

    from awsgen_runtime.client import Config

    s3 = packages["s3"].Client(region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                               aws_secret_access_key=SECRET, config=Config(s3={"addressing_style": "path"}))
    boto = boto3.session.Session().client("s3", region_name=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                                          aws_secret_access_key=SECRET,
                                          config=BotoConfig(s3={"addressing_style": "path"}))
    s3.create_bucket(bucket="e2e-presign")
    put_url = s3.presign_put_object(bucket="e2e-presign", key="up/ü file.txt", content_type="text/plain",
                                    expires_in=300)
    assert "X-Amz-Signature=" in put_url and "X-Amz-Expires=300" in put_url
    req = urllib.request.Request(put_url, data=b"uploaded \xe2\x9c\x93", method="PUT",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
    theirs = boto.get_object(Bucket="e2e-presign", Key="up/ü file.txt")
    assert theirs["Body"].read() == b"uploaded \xe2\x9c\x93" and theirs["ContentType"] == "text/plain"
    with urllib.request.urlopen(s3.presign_get_object(bucket="e2e-presign", key="up/ü file.txt"), timeout=10) as resp:
        assert resp.read() == b"uploaded \xe2\x9c\x93"
    boto.put_object(Bucket="e2e-presign", Key="by-boto3", Body=b"from boto3")
    url = s3.presign_get_object(bucket="e2e-presign", key="by-boto3", response_content_type="application/x-test")
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.read() == b"from boto3" and resp.headers["Content-Type"] == "application/x-test"


_STREAMING_CLIENT = """
import hashlib, sys, tracemalloc
import aws_s3
from awsgen_runtime.client import Config
url, path = sys.argv[1], sys.argv[2]
s3 = aws_s3.Client(region="us-east-1", endpoint_url=url, aws_access_key_id="testing",
                   aws_secret_access_key="testing", config=Config(s3={"addressing_style": "path"}))
with open(path, "rb") as f:
    tracemalloc.start()
    s3.put_object(bucket="e2e-big", key="big.bin", body=f)
    up = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
tracemalloc.start()
digest = hashlib.sha256()
with s3.get_object(bucket="e2e-big", key="big.bin").body as body:
    while chunk := body.read(1 << 20):
        digest.update(chunk)
down = tracemalloc.get_traced_memory()[1]
print(up, down, digest.hexdigest())
"""


def test_s3_large_objects_stream_with_bounded_memory(packages: dict[str, Any], moto_url: str, tmp_path: Any,
                                                    e2e: Any) -> None:
    """64 MiB up from a file and back down in chunks, by a client in its own process (moto
    runs in this one): its peak Python allocations (tracemalloc) stay under 8 MiB each way.
    boto3 reads back the same bytes; the signed payload hash is the file's."""
    import hashlib
    import os

    import boto3

    from awsgen_runtime.client import Config

    size = 64 << 20
    path = tmp_path / "big.bin"
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        block = bytes(range(256)) * 4096  # 1 MiB
        for i in range(size // len(block)):
            chunk = block[i % 256:] + block[:i % 256]
            f.write(chunk)
            digest.update(chunk)
    boto = boto3.session.Session().client("s3", region_name=REGION, endpoint_url=moto_url,
                                          aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    boto.create_bucket(Bucket="e2e-big")
    dist = Path(packages["s3"].__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dist), str(REPO / "runtime")])}
    proc = subprocess.run([sys.executable, "-c", _STREAMING_CLIENT, moto_url, str(path)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    up_peak, down_peak, downloaded = proc.stdout.split()
    assert downloaded == digest.hexdigest()
    theirs = hashlib.sha256()
    for chunk in boto.get_object(Bucket="e2e-big", Key="big.bin")["Body"].iter_chunks(1 << 20):
        theirs.update(chunk)
    assert theirs.hexdigest() == digest.hexdigest()
    assert int(up_peak) < 8 << 20 and int(down_peak) < 8 << 20, (up_peak, down_peak)
    # The signed hash of a streamed body is the file's (hashed in chunks, then rewound).
    rec = e2e.Recording(Urllib3Transport(connect_timeout=5, read_timeout=60))
    s3 = packages["s3"].Client(region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                               aws_secret_access_key=SECRET, transport=rec,
                               config=Config(s3={"addressing_style": "path"}))
    with open(path, "rb") as f:
        f.seek(size - 1000)
        s3.put_object(bucket="e2e-big", key="tail.bin", body=f)
    put = rec.requests[-1]
    with open(path, "rb") as f:
        f.seek(size - 1000)
        tail = f.read()
    assert put.body is None and put.headers["Content-Length"] == "1000"
    assert put.headers["X-Amz-Content-SHA256"] == hashlib.sha256(tail).hexdigest()
    assert boto.get_object(Bucket="e2e-big", Key="tail.bin")["Body"].read() == tail
    e2e.check_signed(rec, "s3")


def test_s3_presigned_post_form_upload(packages: dict[str, Any], moto_url: str) -> None:
    """A browser-style multipart form POST made from presign_post's URL and fields, with
    urllib alone; boto3 reads the object back."""
    import urllib.request
    import uuid

    import boto3

    from awsgen_runtime.client import Config

    s3 = packages["s3"].Client(region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                               aws_secret_access_key=SECRET, config=Config(s3={"addressing_style": "path"}))
    s3.create_bucket(bucket="e2e-post")
    post = s3.presign_post(bucket="e2e-post", key="forms/${filename}", fields={"Content-Type": "text/plain"},
                           conditions=[["starts-with", "$Content-Type", "text/"]], expires_in=120)
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in post["fields"].items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="hello.txt"\r\n'
                 f"Content-Type: text/plain\r\n\r\n".encode() + b"posted body\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(post["url"], data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status in (200, 201, 204)
    boto = boto3.session.Session().client("s3", region_name=REGION, endpoint_url=moto_url,
                                          aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    got = boto.get_object(Bucket="e2e-post", Key="forms/hello.txt")
    assert got["Body"].read() == b"posted body"


def test_waiters_on_moto(packages: dict[str, Any], moto_url: str) -> None:
    """A bucket existing, an instance running (moto starts them at once), a missing
    bucket giving up after the attempts asked for."""
    from awsgen_runtime.waiters import WaiterError

    kw = {"region": REGION, "endpoint_url": moto_url, "aws_access_key_id": KEY, "aws_secret_access_key": SECRET}
    s3 = packages["s3"].Client(**kw, config=packages["s3"].Config(s3={"addressing_style": "path"}))
    s3.create_bucket(bucket="waited-for")
    s3.wait_until_bucket_exists(bucket="waited-for", delay=0.1, max_attempts=3)
    with pytest.raises(WaiterError) as info:
        s3.wait_until_bucket_exists(bucket="never-made", delay=0.05, max_attempts=2)
    assert info.value.attempts == 2
    s3.wait_until_bucket_not_exists(bucket="never-made", delay=0.05, max_attempts=2)
    ec2 = packages["ec2"].Client(**kw)
    images = ec2.describe_images().images or []
    run = ec2.run_instances(image_id=images[0].image_id, min_count=1, max_count=1, instance_type="t2.micro")
    ids = [i.instance_id for i in run.instances or []]
    ec2.wait_until_instance_running(instance_ids=ids, delay=0.1, max_attempts=5)
    ec2.terminate_instances(instance_ids=ids)
    ec2.wait_until_instance_terminated(instance_ids=ids, delay=0.1, max_attempts=5)
