"""The boto3-compatible SNS, STS and IAM clients (query protocol) against moto: one flow per
service run with boto3 and with ``boto3_compat`` on a fresh moto each, results compared step
by step: parsed dicts, errors (class, message, ``.response``), ResponseMetadata's request id
(from the XML document) and status. Values moto makes up per call (ids, keys, tokens,
dates) are compared by kind only."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import Any, Callable

import boto3
import pytest

from awsgen_runtime import boto3_compat

from tests.e2e.conftest import reset_moto

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_AWS_ID = re.compile(r"\b(AROA|AIDA|AKIA|ASIA|ANPA|AGPA|AIPA|APKA)[A-Z0-9]{8,}")
_TOKEN = re.compile(r"^[A-Za-z0-9+/=_-]{30,}$")
# members moto fills with random text
_VOLATILE = frozenset({"UserId", "RoleId", "AccessKeyId", "SecretAccessKey", "SessionToken", "MessageId",
                       "AssumedRoleId", "FederatedUserId", "SubscriptionArn"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{10,}$")
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]}
INLINE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


@pytest.fixture(scope="module")
def cached_packages() -> None:
    """SNS and IAM are not in the manifest: generated into the cache, as the differential
    tests generate them (STS is the manifest's package)."""
    from generator.model.naming import package_names

    from tests.differential.harness import ensure_packages

    root = ensure_packages(["sns", "iam"])
    for s in ("sns", "iam"):
        folder = str(root / package_names(s)[1])
        if folder not in sys.path:
            sys.path.insert(0, folder)


def _kind(value: Any, key: str = "") -> Any:
    """A result with made-up values replaced by their kind."""
    if isinstance(value, dict):
        out = {k: _kind(v, k) for k, v in value.items() if k != "ResponseMetadata"}
        meta = value.get("ResponseMetadata")
        if meta is not None:  # the document's request id (moto makes one up), the status
            rid = meta.get("RequestId")
            out["ResponseMetadata"] = {"RequestId": "<id>" if rid and _REQUEST_ID.match(rid) else rid,
                                       "HTTPStatusCode": meta.get("HTTPStatusCode")}
        return out
    if isinstance(value, list):
        return [_kind(v, key) for v in value]
    if isinstance(value, dt.datetime):
        return "<datetime>"
    if isinstance(value, str):
        if key in _VOLATILE:
            return "<volatile>"
        if _TOKEN.match(value) and key not in ("Arn", "TopicArn"):
            return "<token>"
        return _AWS_ID.sub("<id>", _UUID.sub("<uuid>", value))
    return value


def _run(steps: list[Callable[[Any], Any]], client: Any) -> list[Any]:
    out: list[Any] = []
    for step in steps:
        try:
            out.append(("ok", _kind(step(client))))
        except Exception as exc:  # noqa: BLE001 - compared: class, message, response
            response = getattr(exc, "response", None)
            out.append((type(exc).__name__, _kind(str(exc)), _kind(response)))
    return out


def _both(moto_url: str, service: str, steps: list[Callable[[Any], Any]]) -> list[tuple[Any, Any]]:
    kwargs = {"region_name": "us-east-1", "endpoint_url": moto_url, "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
    reset_moto(moto_url)
    theirs = _run(steps, boto3.client(service, **kwargs))
    reset_moto(moto_url)
    ours = _run(steps, boto3_compat.client(service, **kwargs))
    assert len(theirs) == len(ours) == len(steps)
    for i, (expected, actual) in enumerate(zip(theirs, ours)):
        assert actual == expected, f"{service} step {i}"
    return theirs


def _topic(c: Any) -> str:
    return str(c.list_topics()["Topics"][0]["TopicArn"])


SNS_STEPS: list[Callable[[Any], Any]] = [
    lambda c: c.create_topic(Name="compat-topic", Attributes={"DisplayName": "Compat ✓"},
                             Tags=[{"Key": "team", "Value": "a&b"}]),
    lambda c: c.list_topics(),
    lambda c: c.get_topic_attributes(TopicArn=_topic(c)),
    lambda c: c.set_topic_attributes(TopicArn=_topic(c), AttributeName="DisplayName", AttributeValue="renamed"),
    lambda c: c.subscribe(TopicArn=_topic(c), Protocol="email", Endpoint="someone@example.com",
                          ReturnSubscriptionArn=True),
    lambda c: c.list_subscriptions_by_topic(TopicArn=_topic(c)),
    lambda c: c.publish(TopicArn=_topic(c), Message="hello", Subject="s",
                        MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"},
                                           "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}),
    lambda c: c.publish_batch(TopicArn=_topic(c), PublishBatchRequestEntries=[
        {"Id": "1", "Message": "one"}, {"Id": "2", "Message": "two"}]),
    lambda c: c.tag_resource(ResourceArn=_topic(c), Tags=[{"Key": "k2", "Value": "v2"}]),
    lambda c: c.list_tags_for_resource(ResourceArn=_topic(c)),
    lambda c: c.get_topic_attributes(TopicArn="arn:aws:sns:us-east-1:123456789012:missing"),
    lambda c: c.publish(TopicArn=_topic(c)),
    lambda c: c.publish(TopicArn=_topic(c), Message="m", MessageAttributes={"a": {"DataType": 1}}),
    lambda c: c.delete_topic(TopicArn=_topic(c)),
    lambda c: c.list_topics(),
]

STS_STEPS: list[Callable[[Any], Any]] = [
    lambda c: c.get_caller_identity(),
    lambda c: c.assume_role(RoleArn="arn:aws:iam::123456789012:role/compat", RoleSessionName="session-1",
                            DurationSeconds=900, Tags=[{"Key": "k", "Value": "v"}]),
    lambda c: c.get_session_token(DurationSeconds=900),
    lambda c: c.get_federation_token(Name="fed-user", Policy=json.dumps(INLINE)),
    lambda c: c.assume_role(RoleArn="short", RoleSessionName="s"),
]

def _pages(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """Pages of roles, told apart from moto's listing order (it varies per run)."""
    names = sorted(r["RoleName"] for p in pages for r in p["Roles"])
    return {"pages": len(pages), "roles": names if len(names) > 1 else len(names),  # which one: moto's order
            "keys": [sorted(p) for p in pages], "truncated": [p.get("IsTruncated") for p in pages]}


IAM_STEPS: list[Callable[[Any], Any]] = [
    lambda c: c.create_role(RoleName="compat-role", AssumeRolePolicyDocument=json.dumps(POLICY),
                            Description="a role", Tags=[{"Key": "k", "Value": "v"}]),
    lambda c: c.get_role(RoleName="compat-role"),
    lambda c: c.put_role_policy(RoleName="compat-role", PolicyName="inline", PolicyDocument=json.dumps(INLINE)),
    lambda c: c.get_role_policy(RoleName="compat-role", PolicyName="inline"),
    lambda c: c.list_role_policies(RoleName="compat-role"),
    lambda c: c.create_user(UserName="compat-user", Path="/team/"),
    lambda c: c.list_users(PathPrefix="/team/"),
    lambda c: c.create_access_key(UserName="compat-user"),
    lambda c: c.get_user(UserName="nobody"),
    lambda c: c.create_role(RoleName="compat-role", AssumeRolePolicyDocument=json.dumps(POLICY)),
    lambda c: c.create_role(RoleName="compat-role-2", AssumeRolePolicyDocument=json.dumps(POLICY)),
    lambda c: _pages(list(c.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 1}))),
    lambda c: _pages([c.get_paginator("list_roles").paginate(PaginationConfig={"MaxItems": 1}).build_full_result()]),
    lambda c: c.delete_role_policy(RoleName="compat-role", PolicyName="inline"),
    lambda c: c.delete_role(RoleName="compat-role"),
    lambda c: c.list_roles(),
]


def test_sns_flow_as_boto3(moto_url: str, cached_packages: None) -> None:
    theirs = _both(moto_url, "sns", SNS_STEPS)
    assert theirs[10][0] == "NotFoundException"
    assert theirs[11][0] == theirs[12][0] == "ParamValidationError"
    assert theirs[6][1]["MessageId"] == "<volatile>"


def test_sts_flow_as_boto3(moto_url: str) -> None:
    theirs = _both(moto_url, "sts", STS_STEPS)
    assert theirs[1][0] == "ok" and theirs[1][1]["Credentials"]["Expiration"] == "<datetime>"
    assert theirs[4][0] == "ParamValidationError"


def test_iam_flow_as_boto3(moto_url: str, cached_packages: None) -> None:
    theirs = _both(moto_url, "iam", IAM_STEPS)
    assert theirs[3][1]["PolicyDocument"] == INLINE  # botocore's json_decode_policies, both sides
    assert theirs[8][0] == "NoSuchEntityException"
    assert theirs[11][1]["pages"] == 2 and theirs[12][1]["keys"] == [["NextToken", "Roles"]]
    assert theirs[9][0] == "EntityAlreadyExistsException"
