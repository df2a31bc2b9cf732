"""The boto3-compatible DynamoDB client against moto: one flow run with boto3 and with
``boto3_compat``, results compared step by step (volatile values by type only)."""

from __future__ import annotations

from typing import Any, Callable

import boto3
from awsgen_runtime import boto3_compat

TABLE = "compat-e2e"
# moto makes these up per call
VOLATILE = frozenset({"CreationDateTime", "TableId", "TableArn", "LatestStreamArn", "LastIncreaseDateTime",
                      "LastDecreaseDateTime", "ResponseMetadata"})
ITEM = {
    "pk": {"S": "user#1"}, "sk": {"N": "1"}, "name": {"S": "Ada ✓"}, "blob": {"B": b"\x00\xff"},
    "tags": {"SS": ["a", "b"]}, "scores": {"NS": ["1", "2.5"]}, "bins": {"BS": [b"x", b"\x00"]},
    "profile": {"M": {"city": {"S": "London"}, "langs": {"L": [{"S": "en"}, {"BOOL": False}]}}},
    "nothing": {"NULL": True},
}


def _shape(value: Any) -> Any:
    """A result with moto's made-up values replaced by their type."""
    if isinstance(value, dict):
        return {k: type(v).__name__ if k in VOLATILE else _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def _flow(client: Any, table: str) -> list[Any]:
    steps: list[Callable[[], Any]] = [
        lambda: client.create_table(
            TableName=table, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}]),
        lambda: client.put_item(TableName=table, Item=ITEM),
        lambda: client.put_item(TableName=table, Item={**ITEM, "sk": {"N": "2"}}, ReturnValues="ALL_OLD"),
        lambda: client.get_item(TableName=table, Key={"pk": {"S": "user#1"}, "sk": {"N": "1"}}, ConsistentRead=True),
        lambda: client.query(TableName=table, KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "user#1"}}, Limit=1),
        lambda: client.update_item(TableName=table, Key={"pk": {"S": "user#1"}, "sk": {"N": "1"}},
                                   UpdateExpression="SET #n = :v", ExpressionAttributeNames={"#n": "name"},
                                   ExpressionAttributeValues={":v": {"S": "Grace"}}, ReturnValues="ALL_NEW"),
        lambda: client.scan(TableName=table),
        lambda: client.delete_item(TableName=table, Key={"pk": {"S": "user#1"}, "sk": {"N": "9"}},
                                   ConditionExpression="attribute_exists(pk)"),
        lambda: client.describe_table(TableName="missing-" + table),
        lambda: client.get_item(TableName=table),
        lambda: client.delete_table(TableName=table),
    ]
    out: list[Any] = []
    for step in steps:
        try:
            out.append(("ok", _shape(step())))
        except Exception as exc:  # noqa: BLE001 - compared: class, message, response
            response = getattr(exc, "response", None)
            out.append((type(exc).__name__, str(exc), _shape(response)))
    return out


def test_same_flow_as_boto3(moto_url: str) -> None:
    kwargs = {"region_name": "us-east-1", "endpoint_url": moto_url, "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
    theirs = _flow(boto3.client("dynamodb", **kwargs), TABLE)
    ours = _flow(boto3_compat.client("dynamodb", **kwargs), TABLE)
    for i, (expected, actual) in enumerate(zip(theirs, ours)):
        assert actual == expected, f"step {i}"
    assert theirs[7][0] == "ConditionalCheckFailedException"
    assert theirs[8][0] == "ResourceNotFoundException"
    assert theirs[9][0] == "ParamValidationError"
