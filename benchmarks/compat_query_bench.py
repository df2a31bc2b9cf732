"""Per call, in process, no network: the boto3-compatible client beside boto3 itself for the
query and ec2 protocols (form bodies, XML answers), as ``compat_bench.py`` measures DynamoDB.

Cases: STS GetCallerIdentity (a small answer), SNS Publish with message attributes (the
form serializer), EC2 DescribeInstances of 50 instances (~60 KiB of XML: the dict parser).
SNS and EC2 are generated into the cache as the differential tests do.

Run: ``.venv/bin/python benchmarks/compat_query_bench.py [--blocks 15]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()

import boto3  # noqa: E402

from awsgen_runtime import boto3_compat  # noqa: E402
from per_call import CannedTransport, canned_boto  # noqa: E402

STS_BODY = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
            b"<Arn>arn:aws:iam::123456789012:user/ada</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
            b"</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
            b"</GetCallerIdentityResponse>")
SNS_BODY = (b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>'
            b"94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult><ResponseMetadata><RequestId>r-2"
            b"</RequestId></ResponseMetadata></PublishResponse>")
SNS_PUBLISH = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message": "order 1234 paid",
               "Subject": "paid", "MessageAttributes": {
                   "kind": {"DataType": "String", "StringValue": "payment"},
                   "amount": {"DataType": "Number", "StringValue": "12.50"},
                   "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"}}}


def _instance(i: int) -> str:
    tags = "".join(f"<item><key>k{j}</key><value>v{j}</value></item>" for j in range(3))
    return (f"<item><instanceId>i-{i:017x}</instanceId><imageId>ami-0abcdef1234567890</imageId>"
            f"<instanceState><code>16</code><name>running</name></instanceState>"
            f"<privateDnsName>ip-10-0-0-{i % 250}.ec2.internal</privateDnsName><dnsName/>"
            f"<instanceType>t3.micro</instanceType><launchTime>2024-05-01T12:00:{i % 60:02d}.000Z</launchTime>"
            f"<placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>"
            f"<monitoring><state>disabled</state></monitoring><subnetId>subnet-0123456789abcdef0</subnetId>"
            f"<vpcId>vpc-0123456789abcdef0</vpcId><privateIpAddress>10.0.0.{i % 250}</privateIpAddress>"
            f"<sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>sg-0123456789abcdef0</groupId>"
            f"<groupName>default</groupName></item></groupSet><architecture>x86_64</architecture>"
            f"<rootDeviceType>ebs</rootDeviceType><ebsOptimized>false</ebsOptimized><tagSet>{tags}</tagSet>"
            f"<cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions></item>")


EC2_INSTANCES = 50
EC2_BODY = ('<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-3</requestId>'
            "<reservationSet>" + "".join(
                f"<item><reservationId>r-{i:017x}</reservationId><ownerId>123456789012</ownerId><groupSet/>"
                f"<instancesSet>{_instance(i)}</instancesSet></item>" for i in range(EC2_INSTANCES))
            + "</reservationSet></DescribeInstancesResponse>").encode()


def clients(service: str, body: bytes) -> tuple[Any, Any]:
    headers = C.response_headers(body, "text/xml")
    keys = {"region_name": C.REGION, "aws_access_key_id": C.ACCESS_KEY, "aws_secret_access_key": C.SECRET_KEY}
    ours = boto3_compat.client(service, **keys)
    ours._core._transport_given = CannedTransport(body, headers)
    boto = boto3.client(service, **keys)
    canned_boto(boto, body, headers)
    return ours, boto


def _packages() -> None:
    repo = str(Path(__file__).resolve().parent.parent)
    if repo not in sys.path:
        sys.path.insert(0, repo)
    from generator.model.naming import package_names
    from tests.differential.harness import ensure_packages

    root = ensure_packages(["sns", "ec2"])
    for s in ("sns", "ec2"):
        sys.path.insert(0, str(root / package_names(s)[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=15)
    ap.add_argument("--block-seconds", type=float, default=0.08)
    args = ap.parse_args()
    started = time.perf_counter()
    _packages()
    cpu = C.pin_to_one_cpu()
    C.header("boto3-compatible client vs boto3 (query, ec2), per call, canned answer (no network)")
    rows = []
    for name, service, body, method, params in (
        ("STS GetCallerIdentity", "sts", STS_BODY, "get_caller_identity", {}),
        ("SNS Publish, 3 message attributes", "sns", SNS_BODY, "publish", SNS_PUBLISH),
        (f"EC2 DescribeInstances, {EC2_INSTANCES} instances ({len(EC2_BODY) // 1024} KiB)", "ec2", EC2_BODY,
         "describe_instances", {}),
    ):
        ours, boto = clients(service, body)
        ours_call, boto_call = getattr(ours, method), getattr(boto, method)
        a, b = ours_call(**params), boto_call(**params)
        assert {k: v for k, v in a.items() if k != "ResponseMetadata"} == \
            {k: v for k, v in b.items() if k != "ResponseMetadata"}, "the two clients disagree"
        res = C.compare([("ours", lambda f=ours_call, p=params: f(**p)), ("boto", lambda f=boto_call, p=params: f(**p))],
                        blocks=args.blocks, block_seconds=args.block_seconds)
        ratio = C.paired_ratio(res["boto"], res["ours"])
        rows.append([name, C.fmt_us(res["ours"].median), C.fmt_us(res["boto"].median), f"{ratio:.1f}x"])
    print(f"{'pinned to CPU ' + str(cpu) if cpu is not None else 'not pinned'}; medians of {args.blocks} "
          "interleaved blocks; ratio: median of per-round ratios\n")
    C.table(rows, ["call (SigV4-signed, dicts back)", "compat µs", "boto3 µs", "boto3/compat"])
    print(f"\n(compat_query_bench.py took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
