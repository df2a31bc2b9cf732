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

REPO = Path(__file__).resolve().parent.parent
SAMPLE = ["quicksight", "sagemaker", "lambda", "apigateway", "glue", "kinesis", "cognito-idp", "ecs",
          "eks", "secretsmanager", "mediapackage", "pinpoint", "lexv2-runtime", "bedrock-runtime",
          "s3", "sqs", "iam", "ec2", "partnercentral-revenue-measurement", "apigatewaymanagementapi",
          "dynamodb", "logs", "ssm", "kms", "athena", "stepfunctions"]


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
    assert "s3: protocol 'rest-xml' not supported yet" in lines
    assert "ec2: protocol 'ec2' not supported yet" in lines
    assert lines[-1].startswith("services: 26, generated: 22, unsupported protocol: 4, failed: 0")
    assert not (out / "aws-s3").exists()
    for dist in sorted(out.iterdir()):
        if dist.name.startswith("."):
            continue
        sys.path.insert(0, str(dist))
        module = importlib.import_module(dist.name.replace("-", "_"))
        client = module.Client(region="us-east-1", anonymous=True)
        assert client.endpoint_url.startswith("https://")
        assert (dist / dist.name.replace("-", "_") / "endpoints.py").exists()


def test_sample_is_mypy_strict_clean(sample: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    """mypy --strict over 22 packages, QuickSight (largest rest-json) and SageMaker (largest json) among them."""
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
