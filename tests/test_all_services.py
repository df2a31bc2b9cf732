"""A bounded sample of botocore's services through generate-all: each compiles, imports and
constructs; unsupported protocols are reported, not half-written. The full sweep is
``python -m generator generate-all --out DIR`` followed by ``scripts/import_all.py DIR``."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_generated_code import unused_private_functions

REPO = Path(__file__).resolve().parent.parent
SAMPLE = ["quicksight", "sagemaker", "lambda", "apigateway", "glue", "kinesis", "cognito-idp", "ecs",
          "eks", "secretsmanager", "mediapackage", "pinpoint", "lexv2-runtime", "bedrock-runtime",
          "s3", "sqs", "iam", "ec2", "partnercentral-revenue-measurement", "apigatewaymanagementapi",
          "dynamodb", "logs", "ssm", "kms", "athena", "stepfunctions", "neptune-graph",
          "cloudfront-keyvaluestore", "sts", "sns", "rds", "route53", "cloudfront", "s3control"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("all")
    proc = subprocess.run([sys.executable, "-m", "generator", "generate-all", "--out", str(out), "--only", *SAMPLE],
                          cwd=REPO, capture_output=True, text=True)
    return out, proc


def test_sample_generates_compiles_and_imports(sample: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, proc = sample
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith(f"services: {len(SAMPLE)}, generated: {len(SAMPLE)}, unsupported protocol: 0, failed: 0")
    for dist in sorted(out.iterdir()):
        if dist.name.startswith("."):
            continue
        sys.path.insert(0, str(dist))
        module = importlib.import_module(dist.name.replace("-", "_"))
        client = module.Client(region="us-east-1", anonymous=True)
        assert client.endpoint_url.startswith("https://")
        assert (dist / dist.name.replace("-", "_") / "endpoints.py").exists()
        assert unused_private_functions(dist / dist.name.replace("-", "_")) == [], dist.name


def test_sample_is_mypy_strict_clean(sample: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    """mypy --strict over every sampled package: QuickSight (largest rest-json), SageMaker (largest json),
    EC2 (ec2, the largest model), S3 (rest-xml), IAM (query) and the one smithy-rpc-v2-cbor service among them."""
    out, _ = sample
    dists = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    assert len(dists) >= 20
    args = [a for d in dists for a in ("-p", d.name.replace("-", "_"))]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"), *args],
        cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "MYPYPATH": ":".join([*map(str, dists), str(REPO / "runtime")])},
    )
    assert proc.returncode == 0, proc.stdout[-5000:]


def test_endpoints_bound_by_operations_resolve_per_call(sample: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """Rule sets that need an operation's static context params or input members (ApiType, KvsARN)."""
    import urllib3

    from awsgen_runtime.transport import HttpResponse

    out, _ = sample

    class Capture:
        def send(self, request, *, stream=False):  # type: ignore[no-untyped-def]
            self.url = request.url
            return HttpResponse(200, urllib3.HTTPHeaderDict(), b"{}")

    for dist in ("aws-neptune-graph", "aws-cloudfront-keyvaluestore"):
        if str(out / dist) not in sys.path:
            sys.path.insert(0, str(out / dist))
    graph = importlib.import_module("aws_neptune_graph")
    cap = Capture()
    client = graph.Client(region="us-west-2", anonymous=True, transport=cap)
    client.list_graphs()
    assert cap.url == "https://neptune-graph.us-west-2.amazonaws.com/graphs"
    client.execute_query(graph_identifier="g-1234567890", query_string="RETURN 1", language="OPEN_CYPHER")
    assert cap.url == "https://g-1234567890.us-west-2.neptune-graph.amazonaws.com/queries"
    kvs = importlib.import_module("aws_cloudfront_keyvaluestore")
    kvs.Client(region="us-east-1", anonymous=True, transport=cap).describe_key_value_store(
        kvs_arn="arn:aws:cloudfront::123456789012:key-value-store/my-kvs")
    assert cap.url.startswith("https://123456789012.cloudfront-kvs.global.api.aws/key-value-stores/")


def test_account_based_endpoints(sample: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """DynamoDB's rule set reads the credentials' account id and, through
    operationContextParams, the tables a batch names (the first one's ARN)."""
    import urllib3

    from awsgen_runtime.sigv4 import Credentials
    from awsgen_runtime.transport import HttpResponse
    from tests.differential.harness import load_package

    out, _ = sample
    urls: list[str] = []

    class Capture:
        def send(self, request, *, stream=False):  # type: ignore[no-untyped-def]
            urls.append(request.url)
            return HttpResponse(200, urllib3.HTTPHeaderDict(), b"{}")

    ddb = load_package(out, "dynamodb")
    client = ddb.Client(region="us-east-1", credentials=Credentials("AKID", "SECRET", account_id="123456789012"),
                        transport=Capture())
    client.list_tables()
    keys = ddb.shapes.KeysAndAttributes(keys=[{"pk": ddb.shapes.AttributeValue(s="1")}])
    client.batch_get_item(request_items={"arn:aws:dynamodb:us-east-1:111122223333:table/t": keys, "u": keys})
    anonymous = ddb.Client(region="us-east-1", anonymous=True, transport=Capture())
    anonymous.list_tables()
    assert urls == ["https://123456789012.ddb.us-east-1.amazonaws.com/",
                    "https://111122223333.ddb.us-east-1.amazonaws.com/",
                    "https://dynamodb.us-east-1.amazonaws.com/"]
