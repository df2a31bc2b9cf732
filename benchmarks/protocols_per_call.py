"""Per call, in process, no network, for the query, json (SQS), rest-xml and ec2 protocols.

Same method as ``per_call.py``: both clients are SigV4-signed; the generated client gets
a canned transport, boto3 a ``before-send`` handler returning the same canned answer;
everything else (validation, serialization, endpoint, signing, retry bookkeeping,
parsing) runs as in production. Figures are medians of interleaved blocks, ratios the
median of the per-round ratios.

Cases and targets (generated client against botocore):

* STS GetCallerIdentity (query) ............................... >= 20x
* SQS SendMessage (json in botocore 1.43.67) .................. >= 20x
* S3 HeadObject (rest-xml, headers-only answer) ............... >= 20x
* S3 PutObject and GetObject of 1 KiB (checksums as by default)  >= 15x
* EC2 DescribeInstances answering 50 instances (ec2, ~125 KiB) >= 10x

Also printed: where botocore's time goes on the EC2 case (cProfile: XML parse, walking
the tree into dicts, the rest), and the whole process (interpreter + import + client
construction, from ``.pyc``) for EC2, the largest model: target < 150 ms.

The generated packages for sts, sqs, s3 and ec2 are not committed. The script generates
them once per generator version (a fingerprint of ``generator/`` and ``templates/``)
into ``<cache>/protocol-bench/<fingerprint>/`` with ``generate-all --only`` and imports
them from there. A service whose protocol the generator does not support yet
(``generator.protocols.supported()``) gets botocore's figure only.

Run: ``.venv/bin/python benchmarks/protocols_per_call.py [--blocks 15] [--runs 15] [--no-startup]``
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()
if str(C.REPO) not in sys.path:
    sys.path.insert(0, str(C.REPO))

import boto3  # noqa: E402
from per_call import CannedTransport, canned_boto  # noqa: E402

from generator.botocore_source import cache_dir  # noqa: E402
from generator.model.naming import package_names  # noqa: E402
from generator.protocols import supported  # noqa: E402

SERVICES = {"sts": "query", "sqs": "json", "s3": "rest-xml", "ec2": "ec2"}
STARTUP_TARGET_MS = 150.0
GENERATE_TIMEOUT = 240  # seconds per service
ACCOUNT = "123456789012"

# ----- the generated packages (generated once per generator version) ---------------------


def _fingerprint() -> str:
    h = hashlib.sha256()
    for path in sorted([*(C.REPO / "generator").rglob("*"), *(C.REPO / "templates").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(C.REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def ensure_packages() -> tuple[Path, dict[str, str]]:
    """The folder of generated distributions, and a note per service that has none."""
    root = cache_dir() / "protocol-bench" / _fingerprint()
    have = set(supported())
    notes = {s: f"protocol {p!r} not supported by the generator yet" for s, p in SERVICES.items() if p not in have}
    wanted = [s for s in SERVICES if s not in notes]
    missing = [s for s in wanted if not _init(root, s).exists()]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        for s in missing:  # one at a time: a service that fails or hangs costs only its own figure
            try:
                proc = subprocess.run(
                    [sys.executable, "-m", "generator", "generate-all", "--out", str(root), "--only", s],
                    cwd=C.REPO, capture_output=True, text=True, timeout=GENERATE_TIMEOUT,
                )
                output = proc.stdout + proc.stderr
            except subprocess.TimeoutExpired:
                output = f"timed out after {GENERATE_TIMEOUT} s"
            if not _init(root, s).exists():
                notes[s] = "generation failed: " + " | ".join(output.strip().splitlines()[-2:])
        # bytecode now, so that the startup figure is "from .pyc" like an installed package
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root)], check=False)
    for s in wanted:
        if s not in notes:
            dist = str(_init(root, s).parent.parent)
            if dist not in sys.path:
                sys.path.insert(0, dist)
    return root, notes


def _init(root: Path, service: str) -> Path:
    pkg, dist = package_names(service)
    return root / dist / pkg / "__init__.py"


def _import(service: str) -> Any:
    import importlib

    return importlib.import_module(package_names(service)[0])


# ----- canned answers ---------------------------------------------------------------------

REQUEST_ID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"


def xml_headers(body: bytes) -> dict[str, str]:
    return {"Content-Type": "text/xml;charset=UTF-8", "Content-Length": str(len(body)),
            "x-amzn-RequestId": REQUEST_ID, "Date": "Mon, 01 Jan 2024 00:00:00 GMT"}


STS_BODY = f"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{ACCOUNT}:user/build-robot</Arn>
    <UserId>AIDAJQABLZS4A3QDU576Q</UserId>
    <Account>{ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>{REQUEST_ID}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
""".encode()

SQS_QUEUE = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/orders-queue"
SQS_MESSAGE = json.dumps({"order": 1234, "lines": [{"sku": "A-1", "qty": 2}], "note": "leave at door"})
SQS_BODY = json.dumps({
    "MD5OfMessageBody": hashlib.md5(SQS_MESSAGE.encode()).hexdigest(),
    "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274",
}).encode()
SQS_HEADERS = {"Content-Type": "application/x-amz-json-1.0", "Content-Length": str(len(SQS_BODY)),
               "x-amzn-RequestId": REQUEST_ID, "Date": "Mon, 01 Jan 2024 00:00:00 GMT"}

S3_OBJECT = bytes(range(256)) * 4  # 1 KiB
S3_OBJECT_CRC32 = base64.b64encode(zlib.crc32(S3_OBJECT).to_bytes(4, "big")).decode()
S3_PUT_HEADERS = {"x-amz-id-2": "ef8yU9AS1ed4OpIszj7UDNEHGran", "x-amz-request-id": "318BC8BC143432E5",
                  "Date": "Mon, 01 Jan 2024 00:00:00 GMT", "ETag": '"fba9dede5f27731c9771645a39863328"',
                  "x-amz-checksum-crc32": S3_OBJECT_CRC32, "x-amz-server-side-encryption": "AES256",
                  "Content-Length": "0"}
S3_GET_HEADERS = {"x-amz-id-2": "ef8yU9AS1ed4OpIszj7UDNEHGran", "x-amz-request-id": "318BC8BC143432E5",
                  "Date": "Mon, 01 Jan 2024 00:00:00 GMT", "Last-Modified": "Sun, 31 Dec 2023 18:30:00 GMT",
                  "ETag": '"fba9dede5f27731c9771645a39863328"', "Content-Type": "application/octet-stream",
                  "Content-Length": str(len(S3_OBJECT)), "x-amz-checksum-crc32": S3_OBJECT_CRC32,
                  "x-amz-checksum-type": "FULL_OBJECT", "Accept-Ranges": "bytes"}
S3_HEADERS = {
    "x-amz-id-2": "ef8yU9AS1ed4OpIszj7UDNEHGran",
    "x-amz-request-id": "318BC8BC143432E5",
    "Date": "Mon, 01 Jan 2024 00:00:00 GMT",
    "Last-Modified": "Sun, 31 Dec 2023 18:30:00 GMT",
    "ETag": '"fba9dede5f27731c9771645a39863328"',
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
    "Content-Length": "434234",
    "x-amz-server-side-encryption": "AES256",
    "x-amz-version-id": "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd",
    "x-amz-meta-owner": "reports-team",
    "x-amz-storage-class": "STANDARD_IA",
    "Server": "AmazonS3",
}


def ec2_instance(r: int, i: int) -> str:
    """One instance of a DescribeInstances answer: ~40 members, nested sets, distinct ids."""
    n = r * 2 + i
    hx = f"{n:04x}"
    ip = f"10.{n // 200}.{n % 200}.{10 + i}"
    pub = f"54.{100 + n % 100}.{n % 250}.{20 + i}"
    eni = f"eni-0a1b2c3d{hx}e5f6071"
    vol_root, vol_data = f"vol-0f{hx}aa11bb22cc3", f"vol-0e{hx}dd44ee55ff6"
    az = ("us-east-1a", "us-east-1b", "us-east-1c")[n % 3]
    subnet = f"subnet-0{n % 3}1122334455aabb"
    state = ("running", "stopped", "running", "pending")[n % 4]
    code = {"running": 16, "stopped": 80, "pending": 0}[state]
    return f"""
        <item>
          <instanceId>i-0{hx}9f8e7d6c5b4a</instanceId>
          <imageId>ami-0c55b159cbfafe1f0</imageId>
          <instanceState><code>{code}</code><name>{state}</name></instanceState>
          <privateDnsName>ip-{ip.replace('.', '-')}.ec2.internal</privateDnsName>
          <dnsName>ec2-{pub.replace('.', '-')}.compute-1.amazonaws.com</dnsName>
          <reason/>
          <keyName>deploy-key-{n % 4}</keyName>
          <amiLaunchIndex>{i}</amiLaunchIndex>
          <productCodes/>
          <instanceType>{('m5.large', 't3.medium', 'c6i.xlarge')[n % 3]}</instanceType>
          <launchTime>2024-01-{1 + n % 28:02d}T08:{n % 60:02d}:17.000Z</launchTime>
          <placement><availabilityZone>{az}</availabilityZone><groupName/><tenancy>default</tenancy></placement>
          <monitoring><state>{'enabled' if n % 2 else 'disabled'}</state></monitoring>
          <subnetId>{subnet}</subnetId>
          <vpcId>vpc-0a9b8c7d6e5f40312</vpcId>
          <privateIpAddress>{ip}</privateIpAddress>
          <ipAddress>{pub}</ipAddress>
          <sourceDestCheck>true</sourceDestCheck>
          <groupSet>
            <item><groupId>sg-0{hx}1234abcd567</groupId><groupName>web-{n % 5}</groupName></item>
            <item><groupId>sg-0ffee1234abcd5678</groupId><groupName>ssh-from-bastion</groupName></item>
          </groupSet>
          <architecture>x86_64</architecture>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/xvda</rootDeviceName>
          <blockDeviceMapping>
            <item><deviceName>/dev/xvda</deviceName><ebs><volumeId>{vol_root}</volumeId><status>attached</status><attachTime>2024-01-{1 + n % 28:02d}T08:{n % 60:02d}:18.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item>
            <item><deviceName>/dev/sdf</deviceName><ebs><volumeId>{vol_data}</volumeId><status>attached</status><attachTime>2024-01-{1 + n % 28:02d}T08:{n % 60:02d}:19.000Z</attachTime><deleteOnTermination>false</deleteOnTermination></ebs></item>
          </blockDeviceMapping>
          <virtualizationType>hvm</virtualizationType>
          <clientToken>launch-{hx}-token</clientToken>
          <tagSet>
            <item><key>Name</key><value>app-server-{n:03d}</value></item>
            <item><key>env</key><value>{('prod', 'staging')[n % 2]}</value></item>
            <item><key>team</key><value>checkout</value></item>
            <item><key>cost-center</key><value>cc-{4000 + n % 7}</value></item>
          </tagSet>
          <hypervisor>xen</hypervisor>
          <networkInterfaceSet>
            <item>
              <networkInterfaceId>{eni}</networkInterfaceId>
              <subnetId>{subnet}</subnetId>
              <vpcId>vpc-0a9b8c7d6e5f40312</vpcId>
              <description>Primary network interface</description>
              <ownerId>{ACCOUNT}</ownerId>
              <status>in-use</status>
              <macAddress>0e:{n % 256:02x}:3c:4d:5e:{i:02x}</macAddress>
              <privateIpAddress>{ip}</privateIpAddress>
              <privateDnsName>ip-{ip.replace('.', '-')}.ec2.internal</privateDnsName>
              <sourceDestCheck>true</sourceDestCheck>
              <groupSet>
                <item><groupId>sg-0{hx}1234abcd567</groupId><groupName>web-{n % 5}</groupName></item>
              </groupSet>
              <attachment>
                <attachmentId>eni-attach-0{hx}77665544</attachmentId>
                <deviceIndex>0</deviceIndex>
                <status>attached</status>
                <attachTime>2024-01-{1 + n % 28:02d}T08:{n % 60:02d}:17.000Z</attachTime>
                <deleteOnTermination>true</deleteOnTermination>
                <networkCardIndex>0</networkCardIndex>
              </attachment>
              <association><publicIp>{pub}</publicIp><publicDnsName>ec2-{pub.replace('.', '-')}.compute-1.amazonaws.com</publicDnsName><ipOwnerId>amazon</ipOwnerId></association>
              <privateIpAddressesSet>
                <item><privateIpAddress>{ip}</privateIpAddress><privateDnsName>ip-{ip.replace('.', '-')}.ec2.internal</privateDnsName><primary>true</primary><association><publicIp>{pub}</publicIp><publicDnsName>ec2-{pub.replace('.', '-')}.compute-1.amazonaws.com</publicDnsName><ipOwnerId>amazon</ipOwnerId></association></item>
              </privateIpAddressesSet>
              <ipv6AddressesSet/>
              <interfaceType>interface</interfaceType>
            </item>
          </networkInterfaceSet>
          <iamInstanceProfile><arn>arn:aws:iam::{ACCOUNT}:instance-profile/app-server</arn><id>AIPAJ2S2J3FY3EXAMPLE</id></iamInstanceProfile>
          <ebsOptimized>{'true' if n % 3 else 'false'}</ebsOptimized>
          <enaSupport>true</enaSupport>
          <cpuOptions><coreCount>{1 + n % 4}</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>
          <capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>
          <hibernationOptions><configured>false</configured></hibernationOptions>
          <metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint><httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions>
          <enclaveOptions><enabled>false</enabled></enclaveOptions>
          <bootMode>uefi-preferred</bootMode>
          <platformDetails>Linux/UNIX</platformDetails>
          <usageOperation>RunInstances</usageOperation>
          <usageOperationUpdateTime>2024-01-{1 + n % 28:02d}T08:{n % 60:02d}:17.000Z</usageOperationUpdateTime>
          <privateDnsNameOptions><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord><enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions>
          <maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions>
          <currentInstanceBootMode>legacy-bios</currentInstanceBootMode>
        </item>"""


EC2_RESERVATIONS, EC2_PER_RESERVATION = 25, 2
EC2_INSTANCES = EC2_RESERVATIONS * EC2_PER_RESERVATION


def ec2_body() -> bytes:
    reservations = []
    for r in range(EC2_RESERVATIONS):
        instances = "".join(ec2_instance(r, i) for i in range(EC2_PER_RESERVATION))
        reservations.append(f"""
    <item>
      <reservationId>r-0{r:04x}aabbccddeeff0</reservationId>
      <ownerId>{ACCOUNT}</ownerId>
      <groupSet/>
      <instancesSet>{instances}
      </instancesSet>
    </item>""")
    return (f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>{REQUEST_ID}</requestId>
  <reservationSet>{''.join(reservations)}
  </reservationSet>
</DescribeInstancesResponse>
""").encode()


EC2_BODY = ec2_body()
EC2_HEADERS = {"Content-Type": "text/xml;charset=UTF-8", "Content-Length": str(len(EC2_BODY)),
               "Date": "Mon, 01 Jan 2024 00:00:00 GMT", "Server": "AmazonEC2"}


# ----- the clients ------------------------------------------------------------------------


def boto_client(service: str, body: bytes, headers: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    client = boto3.client(service, region_name=C.REGION, aws_access_key_id=C.ACCESS_KEY,
                          aws_secret_access_key=C.SECRET_KEY)
    return client, canned_boto(client, body, headers)


def our_client(service: str, body: bytes, headers: dict[str, str]) -> tuple[Any, CannedTransport]:
    pkg = _import(service)
    transport = CannedTransport(body, headers)
    client = pkg.Client(region=C.REGION, credentials=pkg.Credentials(C.ACCESS_KEY, C.SECRET_KEY),
                        transport=transport)
    return client, transport


def _form_or_json(body: Any) -> Any:
    if hasattr(body, "read"):  # a streamed upload (aws-chunked): its bytes, then rewound
        raw = body.read()
        body.seek(0)
        return raw
    raw = body if isinstance(body, bytes) else (body or "").encode()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return sorted(parse_qsl(raw.decode(), keep_blank_values=True))


def compare_requests(ours: Any, boto: Any) -> list[str]:
    """Differences between the two requests put on the wire (not agent/date/signature)."""
    problems = []
    if ours.method != boto.method:
        problems.append(f"method {ours.method} != {boto.method}")
    a, b = urlsplit(ours.url), urlsplit(boto.url)
    if (a.netloc, a.path) != (b.netloc, b.path):
        problems.append(f"url {a.netloc}{a.path} != {b.netloc}{b.path}")
    if sorted(parse_qsl(a.query, keep_blank_values=True)) != sorted(parse_qsl(b.query, keep_blank_values=True)):
        problems.append(f"query {a.query!r} != {b.query!r}")
    if _form_or_json(ours.body) != _form_or_json(boto.body):
        problems.append(f"body {ours.body!r:.80} != {boto.body!r:.80}")
    oh = {k.lower() for k in ours.headers}
    bh = {k.lower() for k in boto.headers}
    if ("authorization" in oh) != ("authorization" in bh):
        problems.append("one request is signed, the other is not")
    return problems


def build_cases(notes: dict[str, str]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(name: str, service: str, target: float, body: bytes, headers: dict[str, str],
            ours_call: Callable[[Any], Any], boto_call: Callable[[Any], Any],
            check: Callable[[Any, Any], None]) -> None:
        boto, seen = boto_client(service, body, headers)
        b_fn = lambda: boto_call(boto)  # noqa: E731
        b_res = b_fn()
        case: dict[str, Any] = {"name": name, "service": service, "target": target, "boto": b_fn,
                                "boto_client": boto, "ours": None, "note": notes.get(service, "")}
        if not case["note"]:
            try:
                ours, transport = our_client(service, body, headers)
                o_fn = lambda: ours_call(ours)  # noqa: E731
                check(o_fn(), b_res)
                diffs = compare_requests(transport.last, seen["request"])
                if diffs:
                    case["note"] = "requests differ: " + "; ".join(diffs)
                case["ours"] = o_fn
            except Exception as exc:  # a protocol still being written: report, keep botocore's figure
                case["note"] = f"generated client failed: {type(exc).__name__}: {exc}"[:160]
        cases.append(case)

    def sts_check(a: Any, b: Any) -> None:
        assert a.account == b["Account"] == ACCOUNT and a.arn == b["Arn"] and a.user_id == b["UserId"], (a, b)

    add("STS GetCallerIdentity (query)", "sts", 20.0, STS_BODY, xml_headers(STS_BODY),
        lambda c: c.get_caller_identity(), lambda c: c.get_caller_identity(), sts_check)

    def sqs_check(a: Any, b: Any) -> None:
        assert a.message_id == b["MessageId"] and a.md5_of_message_body == b["MD5OfMessageBody"], (a, b)

    add("SQS SendMessage (json)", "sqs", 20.0, SQS_BODY, SQS_HEADERS,
        lambda c: c.send_message(queue_url=SQS_QUEUE, message_body=SQS_MESSAGE, delay_seconds=0),
        lambda c: c.send_message(QueueUrl=SQS_QUEUE, MessageBody=SQS_MESSAGE, DelaySeconds=0), sqs_check)

    def s3_check(a: Any, b: Any) -> None:
        assert a.e_tag == b["ETag"] and a.content_length == b["ContentLength"] == 434234, (a, b)
        assert a.last_modified == b["LastModified"] and a.metadata == b["Metadata"], (a, b)

    add("S3 HeadObject (rest-xml, headers only)", "s3", 20.0, b"", S3_HEADERS,
        lambda c: c.head_object(bucket="reports-bucket", key="2024/01/summary.parquet"),
        lambda c: c.head_object(Bucket="reports-bucket", Key="2024/01/summary.parquet"), s3_check)

    def put_check(a: Any, b: Any) -> None:
        assert a.e_tag == b["ETag"] and a.checksum_crc32 == b["ChecksumCRC32"], (a, b)

    add("S3 PutObject 1 KiB (CRC32 in an aws-chunked trailer)", "s3", 15.0, b"", S3_PUT_HEADERS,
        lambda c: c.put_object(bucket="reports-bucket", key="in/1k.bin", body=S3_OBJECT),
        lambda c: c.put_object(Bucket="reports-bucket", Key="in/1k.bin", Body=S3_OBJECT), put_check)

    def get_check(a: Any, b: Any) -> None:
        assert a == b, (a, b)

    add("S3 GetObject 1 KiB (body read, CRC32 checked)", "s3", 15.0, S3_OBJECT, S3_GET_HEADERS,
        lambda c: c.get_object(bucket="reports-bucket", key="in/1k.bin").body.read(),
        lambda c: c.get_object(Bucket="reports-bucket", Key="in/1k.bin")["Body"].read(), get_check)

    def ec2_check(a: Any, b: Any) -> None:
        ours_i = [i for r in a.reservations for i in r.instances]
        boto_i = [i for r in b["Reservations"] for i in r["Instances"]]
        assert len(ours_i) == len(boto_i) == EC2_INSTANCES, (len(ours_i), len(boto_i))
        x, y = ours_i[17], boto_i[17]
        assert x.instance_id == y["InstanceId"] and x.launch_time == y["LaunchTime"]
        assert x.network_interfaces[0].private_ip_addresses[0].association.public_ip == \
            y["NetworkInterfaces"][0]["PrivateIpAddresses"][0]["Association"]["PublicIp"]
        assert [t.value for t in x.tags] == [t["Value"] for t in y["Tags"]]
        assert x.block_device_mappings[1].ebs.delete_on_termination is False

    add(f"EC2 DescribeInstances, {EC2_INSTANCES} instances ({len(EC2_BODY) // 1024} KiB, ec2)", "ec2", 10.0,
        EC2_BODY, EC2_HEADERS, lambda c: c.describe_instances(), lambda c: c.describe_instances(), ec2_check)
    return cases


# ----- where botocore's time goes on EC2 ----------------------------------------------------


def botocore_profile(case: dict[str, Any], calls: int) -> None:
    """cProfile of botocore's EC2 call, split into XML parse, walking the tree, the rest."""
    fn = case["boto"]
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt  # type: ignore[attr-defined]
    cum: dict[str, float] = {}
    own: dict[str, float] = {}
    for (filename, _, func), (_, _, tt, ct, _) in st.stats.items():  # type: ignore[attr-defined]
        key = f"{Path(filename).name}:{func}"
        cum[key] = max(cum.get(key, 0.0), ct)
        own[key] = own.get(key, 0.0) + tt
    parse_all = cum.get("parsers.py:parse", 0.0)
    xml = cum.get("parsers.py:_parse_xml_string_to_dom", 0.0)
    walk = parse_all - xml
    stamps = cum.get("parsers.py:_handle_timestamp", 0.0)  # dateutil, inside the walk
    rows = [
        ["whole call (cProfile clock)", f"{total / calls * 1e6:,.0f}", "100%"],
        ["ResponseParser.parse", f"{parse_all / calls * 1e6:,.0f}", f"{parse_all / total:.0%}"],
        ["  XML parse (_parse_xml_string_to_dom: expat + ElementTree)", f"{xml / calls * 1e6:,.0f}",
         f"{xml / total:.0%}"],
        ["  walking the tree into dicts (_handle_structure/_list/scalars, ...)", f"{walk / calls * 1e6:,.0f}",
         f"{walk / total:.0%}"],
        ["    of which timestamps (_handle_timestamp -> dateutil)", f"{stamps / calls * 1e6:,.0f}",
         f"{stamps / total:.0%}"],
        ["everything else (events, validation, serialize, endpoint, sign, retry)",
         f"{(total - parse_all) / calls * 1e6:,.0f}", f"{(total - parse_all) / total:.0%}"],
    ]
    print(f"\nwhere botocore's time goes, {case['name']} (cProfile over {calls} calls; "
          "profiling inflates Python-level work, read the shares):")
    C.table(rows, ["part", "µs per call", "share"])
    top = sorted(own.items(), key=lambda kv: kv[1], reverse=True)[:10]
    print("  largest own times:", ", ".join(f"{k} {v / total:.0%}" for k, v in top))


# ----- whole process: import + client construction for EC2 ---------------------------------


def startup(root: Path, runs: int) -> tuple[list[list[str]], bool | None]:
    import startup as S

    env = S.child_env()
    dist = str(_init(root, "ec2").parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([dist, *C.SYS_PATH])
    variants = {"python -c pass": "pass",
                "EC2: boto3": "import boto3; boto3.client('ec2', region_name='us-east-1')"}
    have_ours = _init(root, "ec2").exists()
    if have_ours:
        variants["EC2: generated"] = "import aws_ec2; aws_ec2.Client(region='us-east-1')"
    for code in variants.values():
        S.run_once(code, env)  # warm caches (and write any missing .pyc)
    times: dict[str, list[float]] = {k: [] for k in variants}
    names = list(variants)
    for i in range(runs):
        for name in names if i % 2 == 0 else reversed(names):
            t, _ = S.run_once(variants[name], env)
            times[name].append(t * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = []
    for name in names:
        target = ""
        if name == "EC2: generated":
            target = f"{C.verdict(med[name] < STARTUP_TARGET_MS)} (< {STARTUP_TARGET_MS:.0f} ms)"
        rows.append([name, f"{med[name]:.1f}", "" if name == "python -c pass" else
                     f"{med[name] - med['python -c pass']:.1f}", target])
    return rows, (med["EC2: generated"] < STARTUP_TARGET_MS) if have_ours else None


# ----- main ---------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=15, help="timed blocks per contender (default 15)")
    ap.add_argument("--block-seconds", type=float, default=0.08)
    ap.add_argument("--runs", type=int, default=15, help="fresh interpreters per startup variant (default 15)")
    ap.add_argument("--no-startup", action="store_true", help="skip the whole-process figure")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = ap.parse_args()
    started = time.perf_counter()
    root, notes = ensure_packages()
    cpu = None if args.no_pin else C.pin_to_one_cpu()
    C.header("per call, in process, canned HTTP response, new protocols (query, json, rest-xml, ec2)")
    print(f"both clients SigV4-signed. Times: median of {args.blocks} block means, µs per call; ratio: "
          f"median of the per-round ratios (blocks interleaved); spread: IQR/median; "
          f"{'pinned to CPU ' + str(cpu) if cpu is not None else 'not pinned'}; "
          f"generator supports: {', '.join(supported())}")
    print(f"generated packages: {root}")
    cases = build_cases(notes)
    rows = []
    all_met = True
    for case in cases:
        target = case["target"]
        if case["ours"] is None:
            res = C.compare([("boto", case["boto"])], blocks=args.blocks, block_seconds=args.block_seconds)
            boto = res["boto"]
            rows.append([case["name"], "-", C.fmt_us(boto.median), "-", f"-/{boto.spread:.0%}",
                         f"NOT RUN (>= {target:.0f}x)"])
            all_met = False
            continue
        res = C.compare([("ours", case["ours"]), ("boto", case["boto"])],
                        blocks=args.blocks, block_seconds=args.block_seconds)
        ours, boto = res["ours"], res["boto"]
        ratio = C.paired_ratio(boto, ours)
        met = ratio >= target
        all_met &= met
        rows.append([case["name"], C.fmt_us(ours.median), C.fmt_us(boto.median), f"{ratio:.1f}x",
                     f"{ours.spread:.0%}/{boto.spread:.0%}", f"{C.verdict(met)} (>= {target:.0f}x)"])
    print()
    C.table(rows, ["operation", "generated µs", "botocore µs", "botocore/generated", "spread", "target"])
    for case in cases:
        if case["note"]:
            print(f"  note, {case['service']}: {case['note']}")

    ec2 = cases[-1]
    botocore_profile(ec2, calls=max(20, args.blocks * 2))

    startup_met: bool | None = None
    if not args.no_startup:
        print(f"\nwhole process, interpreter start + import + client construction from .pyc "
              f"(medians of {args.runs} fresh interpreters, runs interleaved):")
        srows, startup_met = startup(root, args.runs)
        C.table(srows, ["process", "wall ms", "ms above pass", "target"])
        if startup_met is None:
            print("  (no generated EC2 package yet: startup target not judged)")
            all_met = False
        else:
            all_met &= startup_met
    print(f"\nprotocols target overall: {C.verdict(all_met)}")
    print(f"\n(protocols_per_call.py took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
