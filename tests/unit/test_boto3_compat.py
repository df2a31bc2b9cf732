"""The runtime side of the boto3-compatible client: configuration mapping, errors (as
botocore's, and without botocore), what is not supported, import cost."""

from __future__ import annotations

import importlib.util
import pickle
import subprocess
import sys
from pathlib import Path

import botocore.config
import botocore.exceptions
import pytest

import aws_dynamodb

from awsgen_runtime import boto3_compat
from awsgen_runtime.boto3_compat import errors as compat_errors

REPO = Path(__file__).resolve().parents[2]
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "a", "aws_secret_access_key": "b"}


@pytest.fixture(autouse=True)
def _no_retry_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's defaults: no retry mode or attempts from the environment (the e2e
    fixtures set them for the whole session once they run)."""
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)


def test_config_mapping() -> None:
    args, region, unsigned = boto3_compat.client_config(botocore.config.Config(
        region_name="eu-west-1", connect_timeout=3, read_timeout=7, retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"}, signature_version=botocore.UNSIGNED))
    assert (region, unsigned) == ("eu-west-1", True)
    assert args["connect_timeout"] == 3 and args["read_timeout"] == 7
    assert args["max_attempts"] == 3  # max_attempts counts retries: 2 retries, 3 attempts
    assert args["retry_mode"] == "standard" and args["s3"] == {"addressing_style": "path"}
    args, _, unsigned = boto3_compat.client_config({"retries": {"total_max_attempts": 4}})
    assert args["max_attempts"] == 4 and not unsigned
    args, _, _ = boto3_compat.client_config(None)
    # nothing said in code: the environment, the config file, or botocore's default (legacy,
    # with the service's attempts: tests/unit/test_legacy_retry.py)
    assert "max_attempts" not in args and "retry_mode" not in args
    assert boto3_compat.client("dynamodb", **KEYS)._core._config.retry_mode == "legacy"
    assert boto3_compat.client("dynamodb", **KEYS)._core._retry.max_attempts == 10  # DynamoDB's policy
    assert aws_dynamodb.DynamoDBClient(region="us-east-1")._config.retry_mode == "standard"  # the typed default


def test_client_settings_and_meta() -> None:
    client = boto3_compat.Session(**KEYS).client("dynamodb", config={"connect_timeout": 2})
    assert client.meta.region_name == "us-east-1"
    assert client.meta.endpoint_url == "https://dynamodb.us-east-1.amazonaws.com"
    assert client._core._config.connect_timeout == 2
    assert client.meta.method_to_api_mapping["get_item"] == "GetItem"
    anon = boto3_compat.client("dynamodb", region_name="us-east-1",
                               config=botocore.config.Config(signature_version=botocore.UNSIGNED))
    assert anon._core._anonymous
    with pytest.raises(NotImplementedError, match="event hooks"):
        client.meta.events  # noqa: B018


def test_errors_are_botocores() -> None:
    client = boto3_compat.client("dynamodb", **KEYS)
    assert issubclass(client.exceptions.ResourceNotFoundException, botocore.exceptions.ClientError)
    assert client.exceptions.from_code("ResourceNotFoundException") is client.exceptions.ResourceNotFoundException
    assert client.exceptions.from_code("Nope") is botocore.exceptions.ClientError
    assert boto3_compat.ClientError is botocore.exceptions.ClientError
    with pytest.raises(botocore.exceptions.ParamValidationError, match='Missing required parameter in input: "Key"'):
        client.get_item(TableName="t")
    err = client.exceptions.ResourceNotFoundException({"Error": {"Code": "X", "Message": "m"}}, "GetItem")
    assert str(err) == "An error occurred (X) when calling the GetItem operation: m"


def test_errors_without_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compat_errors, "_BASES", {})
    monkeypatch.setattr(compat_errors, "_PER_SERVICE", {})
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    cls = compat_errors.modeled_error_class("dynamodb", "ResourceNotFoundException")
    assert not issubclass(cls, botocore.exceptions.ClientError)
    response = {"Error": {"Code": "ResourceNotFoundException", "Message": "gone"},
                "ResponseMetadata": {"MaxAttemptsReached": True, "RetryAttempts": 2}}
    err = cls(response, "GetItem")
    assert str(err) == ("An error occurred (ResourceNotFoundException) when calling the GetItem operation "
                        "(reached max retries: 2): gone")
    assert (err.response, err.operation_name) == (response, "GetItem")
    base = compat_errors.client_error_class()(response, "GetItem")
    assert pickle.loads(pickle.dumps(base)).response == response
    bad = compat_errors.param_validation_error("Missing x")
    assert str(bad) == "Parameter validation failed:\nMissing x"


def test_missing_package_or_compat_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModuleNotFoundError, match="no generated package 'aws_nope'"):
        boto3_compat.client("nope", **KEYS)
    old = tmp_path / "aws_oldsvc"  # a package generated before there was a compat client
    old.mkdir()
    (old / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(NotImplementedError, match="has no boto3-compatible client.*regenerate"):
        boto3_compat.client("oldsvc", **KEYS)


def test_paginators_and_waiters_are_there() -> None:
    """Compared with boto3's in tests/differential/test_compat_paginators.py and _waiters.py."""
    client = boto3_compat.client("dynamodb", **KEYS)
    assert client.can_paginate("query") and not client.can_paginate("get_item")
    assert "table_exists" in client.waiter_names


def test_imports_stay_lazy() -> None:
    """Importing a package imports neither its compat module nor botocore; the compat
    client imports botocore only with its first error class."""
    code = ("import sys, aws_dynamodb; assert 'aws_dynamodb.compat' not in sys.modules;"
            "from awsgen_runtime import boto3_compat; c = boto3_compat.client('dynamodb', region_name='us-east-1');"
            "assert 'botocore' not in sys.modules, 'botocore imported early'")
    paths = [str(REPO / "runtime"), str(REPO / "generated" / "aws-dynamodb")]
    subprocess.run([sys.executable, "-c", f"import sys; sys.path[:0] = {paths!r}; {code}"], check=True)
