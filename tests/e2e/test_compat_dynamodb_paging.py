"""The compat client's DynamoDB waiters and paginators against moto, the same flow run with
boto3 and with ``boto3_compat``: table_exists on a new table, paginated ListTables, Scan
and Query (page sizes, MaxItems and resuming from the resume token, build_full_result,
search), table_not_exists after deleting; results compared step by step (moto's made-up
values by type only)."""

from __future__ import annotations

import time
from typing import Any, Callable

import boto3
import botocore.exceptions
import pytest

from awsgen_runtime import boto3_compat

from test_compat_dynamodb import _shape  # tests/e2e is on sys.path (no package)

TABLES = ("paging-a", "paging-b", "paging-c")


def _flow(client: Any) -> list[Any]:
    def create() -> Any:
        for name in TABLES:
            client.create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "sk", "AttributeType": "N"}])
        return client.get_waiter("table_exists").wait(TableName=TABLES[0], WaiterConfig={"Delay": 0})

    def fill() -> Any:
        for i in range(23):
            client.put_item(TableName=TABLES[0], Item={"pk": {"S": f"p{i % 2}"}, "sk": {"N": str(i)},
                                                       "blob": {"B": bytes([i, 255])}})

    def pages(op: str, config: dict[str, Any], **params: Any) -> Any:
        pager = client.get_paginator(op).paginate(**params, PaginationConfig=config)
        out = [_shape(page) for page in pager]
        return out, pager.resume_token

    def resumed(op: str, config: dict[str, Any], **params: Any) -> Any:
        first = client.get_paginator(op).paginate(**params, PaginationConfig=config)
        full = first.build_full_result()
        token = full.get("NextToken")
        rest = client.get_paginator(op).paginate(**params, PaginationConfig={"StartingToken": token, **config})
        return _shape(full), _shape(rest.build_full_result())

    query = {"TableName": TABLES[0], "KeyConditionExpression": "pk = :p",
             "ExpressionAttributeValues": {":p": {"S": "p1"}}}
    steps: list[Callable[[], Any]] = [
        create,
        fill,
        lambda: client.can_paginate("scan"),
        lambda: pages("list_tables", {"PageSize": 2}),
        lambda: pages("list_tables", {"MaxItems": 2}),
        lambda: resumed("list_tables", {"MaxItems": 1, "PageSize": 1}),
        lambda: pages("scan", {"PageSize": 5}, TableName=TABLES[0]),
        lambda: pages("scan", {"PageSize": 5, "MaxItems": 7}, TableName=TABLES[0]),
        lambda: resumed("scan", {"PageSize": 4, "MaxItems": 6}, TableName=TABLES[0]),
        lambda: resumed("scan", {"PageSize": 10, "MaxItems": 3}, TableName=TABLES[0], ConsistentRead=True),
        lambda: pages("query", {"PageSize": 3}, **query),
        lambda: resumed("query", {"PageSize": 3, "MaxItems": 4}, **query),
        lambda: list(client.get_paginator("query").paginate(**query, PaginationConfig={"PageSize": 4})
                     .search("Items[].sk.N")),
        lambda: client.get_paginator("scan").paginate(TableName=TABLES[0]).build_full_result()["Count"],
        lambda: [client.delete_table(TableName=name)["TableDescription"]["TableName"] for name in TABLES],
        lambda: client.get_waiter("table_not_exists").wait(TableName=TABLES[0], WaiterConfig={"Delay": 0}),
        lambda: client.get_waiter("table_exists").wait(TableName=TABLES[0],
                                                       WaiterConfig={"Delay": 0, "MaxAttempts": 2}),
    ]
    out: list[Any] = []
    for step in steps:
        try:
            out.append(("ok", _shape(step())))
        except Exception as exc:  # noqa: BLE001 - compared: class, message, last response
            out.append((type(exc).__name__, str(exc), _shape(getattr(exc, "last_response", None)),
                        isinstance(exc, botocore.exceptions.WaiterError)))
    return out


def test_same_paging_and_waiting_as_boto3(moto_url: str, reset: Callable[[], None],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    kwargs = {"region_name": "us-east-1", "endpoint_url": moto_url, "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
    theirs = _flow(boto3.client("dynamodb", **kwargs))
    reset()
    ours = _flow(boto3_compat.client("dynamodb", **kwargs))
    for i, (expected, actual) in enumerate(zip(theirs, ours)):
        assert actual == expected, f"step {i}"
    assert len(ours) == len(theirs) == 17
    assert theirs[0] == ("ok", None) and theirs[15] == ("ok", None)  # the waiters succeeded
    assert theirs[16][0] == "WaiterError" and theirs[16][3]  # a deleted table never exists again
    full, rest = theirs[8][1]
    assert len(full["Items"]) == 6 and "NextToken" in full and len(rest["Items"]) == 6
    assert theirs[13] == ("ok", 23)
