"""DynamoDB (json 1.0): the generated client against moto, compared with boto3."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore import xform_name

from aws_dynamodb import errors, shapes

TABLE = "e2e-table"
# Values moto makes up on every call: compared by type only.
VOLATILE = frozenset({"creation_date_time", "table_id", "last_increase_date_time", "last_decrease_date_time"})

A = shapes.AttributeValue

# Every AttributeValue type, unicode and binary that is not UTF-8 included.
ITEM_1_OURS = {
    "pk": A(s="user#1"),
    "sk": A(n="1"),
    "name": A(s="Ada ✓ naïve"),
    "age": A(n="36"),
    "blob": A(b=b"\x00\x01\xfe\xff"),
    "tags": A(ss=["a", "b"]),
    "scores": A(ns=["1", "2.5"]),
    "bins": A(bs=[b"x", b"\x00\xff"]),
    "profile": A(m={"city": A(s="London"), "langs": A(l=[A(s="en"), A(n="3"), A(bool=False)])}),
    "active": A(bool=True),
    "nothing": A(null=True),
    "empty_list": A(l=[]),
    "empty_map": A(m={}),
}
ITEM_1_BOTO = {
    "pk": {"S": "user#1"},
    "sk": {"N": "1"},
    "name": {"S": "Ada ✓ naïve"},
    "age": {"N": "36"},
    "blob": {"B": b"\x00\x01\xfe\xff"},
    "tags": {"SS": ["a", "b"]},
    "scores": {"NS": ["1", "2.5"]},
    "bins": {"BS": [b"x", b"\x00\xff"]},
    "profile": {"M": {"city": {"S": "London"}, "langs": {"L": [{"S": "en"}, {"N": "3"}, {"BOOL": False}]}}},
    "active": {"BOOL": True},
    "nothing": {"NULL": True},
    "empty_list": {"L": []},
    "empty_map": {"M": {}},
}
ITEM_2_OURS = {"pk": A(s="user#1"), "sk": A(n="2"), "name": A(s="Grace"), "age": A(n="45")}
ITEM_2_BOTO = {"pk": {"S": "user#1"}, "sk": {"N": "2"}, "name": {"S": "Grace"}, "age": {"N": "45"}}
ITEM_3_OURS = {"pk": A(s="user#2"), "sk": A(n="1"), "name": A(s="Linus"), "age": A(n="28")}
ITEM_3_BOTO = {"pk": {"S": "user#2"}, "sk": {"N": "1"}, "name": {"S": "Linus"}, "age": {"N": "28"}}
KEY_1_OURS = {"pk": A(s="user#1"), "sk": A(n="1")}
KEY_1_BOTO = {"pk": {"S": "user#1"}, "sk": {"N": "1"}}
UPDATE = "SET #n = :name, age = age + :one, profile.city = :city REMOVE nothing ADD tags :more"
NAMES = {"#n": "name"}
UPDATE_VALUES_OURS = {":name": A(s="Ada L."), ":one": A(n="1"), ":city": A(s="Paris"), ":more": A(ss=["c"])}
UPDATE_VALUES_BOTO = {":name": {"S": "Ada L."}, ":one": {"N": "1"}, ":city": {"S": "Paris"}, ":more": {"SS": ["c"]}}


def _ours_flow(c: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    out.append(("CreateTable", c.create_table(
        table_name=TABLE,
        attribute_definitions=[
            shapes.AttributeDefinition(attribute_name="pk", attribute_type="S"),
            shapes.AttributeDefinition(attribute_name="sk", attribute_type="N"),
            shapes.AttributeDefinition(attribute_name="name", attribute_type="S"),
        ],
        key_schema=[
            shapes.KeySchemaElement(attribute_name="pk", key_type="HASH"),
            shapes.KeySchemaElement(attribute_name="sk", key_type="RANGE"),
        ],
        global_secondary_indexes=[shapes.GlobalSecondaryIndex(
            index_name="by-name",
            key_schema=[shapes.KeySchemaElement(attribute_name="name", key_type="HASH")],
            projection=shapes.Projection(projection_type="ALL"),
        )],
        billing_mode="PAY_PER_REQUEST",
        tags=[shapes.Tag(key="team", value="e2e")],
    )))
    out.append(("DescribeTable", c.describe_table(table_name=TABLE)))
    out.append(("PutItem", c.put_item(table_name=TABLE, item=ITEM_1_OURS)))
    out.append(("PutItem", c.put_item(table_name=TABLE, item=ITEM_2_OURS)))
    out.append(("PutItem", c.put_item(table_name=TABLE, item=ITEM_3_OURS)))
    out.append(("PutItem", c.put_item(table_name=TABLE, item=ITEM_2_OURS, return_values="ALL_OLD")))
    out.append(("GetItem", c.get_item(table_name=TABLE, key=KEY_1_OURS, consistent_read=True)))
    out.append(("Query", c.query(
        table_name=TABLE, key_condition_expression="pk = :pk AND sk > :zero",
        expression_attribute_values={":pk": A(s="user#1"), ":zero": A(n="0")},
        scan_index_forward=False, return_consumed_capacity="TOTAL")))
    out.append(("Query", c.query(
        table_name=TABLE, index_name="by-name", key_condition_expression="#n = :n",
        expression_attribute_names=NAMES, expression_attribute_values={":n": A(s="Grace")},
        projection_expression="pk, sk, #n")))
    first = c.scan(table_name=TABLE, limit=2)
    out.append(("Scan", first))
    out.append(("Scan", c.scan(table_name=TABLE, limit=2, exclusive_start_key=first.last_evaluated_key)))
    out.append(("Scan", c.scan(table_name=TABLE, filter_expression="age > :a",
                               expression_attribute_values={":a": A(n="30")}, select="COUNT")))
    out.append(("UpdateItem", c.update_item(
        table_name=TABLE, key=KEY_1_OURS, update_expression=UPDATE,
        expression_attribute_names=NAMES, expression_attribute_values=UPDATE_VALUES_OURS,
        return_values="ALL_NEW")))
    out.append(("GetItem", c.get_item(table_name=TABLE, key=KEY_1_OURS)))
    out.append(("ListTables", c.list_tables()))
    out.append(("DeleteItem", c.delete_item(table_name=TABLE, key=KEY_1_OURS, return_values="ALL_OLD")))
    out.append(("GetItem", c.get_item(table_name=TABLE, key=KEY_1_OURS)))
    out.append(("DeleteTable", c.delete_table(table_name=TABLE)))
    out.append(("ListTables", c.list_tables()))
    return out


def _boto_flow(c: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    out.append(("CreateTable", c.create_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "name", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-name",
            "KeySchema": [{"AttributeName": "name", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": "e2e"}],
    )))
    out.append(("DescribeTable", c.describe_table(TableName=TABLE)))
    out.append(("PutItem", c.put_item(TableName=TABLE, Item=ITEM_1_BOTO)))
    out.append(("PutItem", c.put_item(TableName=TABLE, Item=ITEM_2_BOTO)))
    out.append(("PutItem", c.put_item(TableName=TABLE, Item=ITEM_3_BOTO)))
    out.append(("PutItem", c.put_item(TableName=TABLE, Item=ITEM_2_BOTO, ReturnValues="ALL_OLD")))
    out.append(("GetItem", c.get_item(TableName=TABLE, Key=KEY_1_BOTO, ConsistentRead=True)))
    out.append(("Query", c.query(
        TableName=TABLE, KeyConditionExpression="pk = :pk AND sk > :zero",
        ExpressionAttributeValues={":pk": {"S": "user#1"}, ":zero": {"N": "0"}},
        ScanIndexForward=False, ReturnConsumedCapacity="TOTAL")))
    out.append(("Query", c.query(
        TableName=TABLE, IndexName="by-name", KeyConditionExpression="#n = :n",
        ExpressionAttributeNames=NAMES, ExpressionAttributeValues={":n": {"S": "Grace"}},
        ProjectionExpression="pk, sk, #n")))
    first = c.scan(TableName=TABLE, Limit=2)
    out.append(("Scan", first))
    out.append(("Scan", c.scan(TableName=TABLE, Limit=2, ExclusiveStartKey=first["LastEvaluatedKey"])))
    out.append(("Scan", c.scan(TableName=TABLE, FilterExpression="age > :a",
                               ExpressionAttributeValues={":a": {"N": "30"}}, Select="COUNT")))
    out.append(("UpdateItem", c.update_item(
        TableName=TABLE, Key=KEY_1_BOTO, UpdateExpression=UPDATE,
        ExpressionAttributeNames=NAMES, ExpressionAttributeValues=UPDATE_VALUES_BOTO,
        ReturnValues="ALL_NEW")))
    out.append(("GetItem", c.get_item(TableName=TABLE, Key=KEY_1_BOTO)))
    out.append(("ListTables", c.list_tables()))
    out.append(("DeleteItem", c.delete_item(TableName=TABLE, Key=KEY_1_BOTO, ReturnValues="ALL_OLD")))
    out.append(("GetItem", c.get_item(TableName=TABLE, Key=KEY_1_BOTO)))
    out.append(("DeleteTable", c.delete_table(TableName=TABLE)))
    out.append(("ListTables", c.list_tables()))
    return out


def test_table_and_item_flow_matches_boto3(dynamodb, boto_dynamodb, reset, e2e) -> None:
    ours = _ours_flow(dynamodb.client)
    r = dict(enumerate(res for _, res in ours))

    # The generated client's results on their own.
    desc = r[1].table
    assert isinstance(r[0], shapes.CreateTableOutput) and isinstance(desc, shapes.TableDescription)
    assert desc.table_name == TABLE and desc.table_status == "ACTIVE"
    assert [(k.attribute_name, k.key_type) for k in desc.key_schema] == [("pk", "HASH"), ("sk", "RANGE")]
    assert desc.global_secondary_indexes[0].index_name == "by-name"
    assert isinstance(desc.creation_date_time, dt.datetime) and desc.creation_date_time.tzinfo is not None
    assert r[2].attributes is None  # no ReturnValues: nothing comes back
    assert r[5].attributes == ITEM_2_OURS  # ALL_OLD of an overwrite
    assert r[6].item == ITEM_1_OURS  # every attribute type round-trips
    assert isinstance(r[6].item["blob"].b, bytes) and r[6].item["profile"].m["langs"].l[2].bool is False
    assert [i["sk"].n for i in r[7].items] == ["2", "1"] and r[7].count == 2
    assert r[7].consumed_capacity.table_name == TABLE
    assert r[8].items == [{"pk": A(s="user#1"), "sk": A(n="2"), "name": A(s="Grace")}]
    assert r[9].count == 2 and r[9].last_evaluated_key is not None
    assert r[10].count == 1 and r[10].last_evaluated_key is None
    keys = {(i["pk"].s, i["sk"].n) for i in r[9].items + r[10].items}
    assert keys == {("user#1", "1"), ("user#1", "2"), ("user#2", "1")}
    assert r[11].count == 2 and r[11].items is None  # Select=COUNT
    new = r[12].attributes
    assert new["name"] == A(s="Ada L.") and new["age"] == A(n="37") and "nothing" not in new
    assert new["profile"].m["city"] == A(s="Paris") and sorted(new["tags"].ss) == ["a", "b", "c"]
    assert r[13].item == new
    assert r[14].table_names == [TABLE]
    assert r[15].attributes == new
    assert r[16].item is None
    assert r[17].table_description.table_name == TABLE
    assert r[18].table_names == []
    with pytest.raises(errors.ResourceNotFoundException) as ours_exc:
        dynamodb.client.describe_table(table_name=TABLE)
    assert isinstance(ours_exc.value, errors.DynamoDBError) and ours_exc.value.status_code == 400
    n_ours = dynamodb.check_signed()
    assert n_ours == len(ours) + 1

    # The same flow through boto3 on a clean server.
    reset()
    sent = e2e.record_boto(boto_dynamodb)
    theirs = _boto_flow(boto_dynamodb)
    with pytest.raises(boto_dynamodb.exceptions.ResourceNotFoundException) as boto_exc:
        boto_dynamodb.describe_table(TableName=TABLE)

    assert [op for op, _ in ours] == [op for op, _ in theirs]
    for (op, a), (_, b) in zip(ours, theirs):
        e2e.assert_same(a, e2e.boto_output(boto_dynamodb, op, b), VOLATILE)
    err = boto_exc.value.response["Error"]
    assert (ours_exc.value.code, ours_exc.value.message) == (err["Code"], err["Message"])

    # Same requests on the wire (JSON bodies compared as data) and the same target.
    assert len(sent) == n_ours
    for a, b in zip(dynamodb.rec.requests, sent):
        assert e2e.wire(a) == e2e.wire(b)
        ta = {k.lower(): v for k, v in a.headers.items()}
        tb = {k.lower(): v for k, v in b.headers.items()}
        assert ta["x-amz-target"] == tb["x-amz-target"]
        assert ta["content-type"] == tb["content-type"] == "application/x-amz-json-1.0"


def test_modeled_errors_match_boto3(dynamodb, boto_dynamodb, reset, e2e) -> None:
    """ConditionalCheckFailedException (with the old item), ResourceInUseException,
    ResourceNotFoundException and TransactionCanceledException (with its reasons), and
    a code the model does not list (ValidationException): same code, message, status
    and members as boto3 gives."""

    def setup_ours() -> None:
        dynamodb.client.create_table(
            table_name=TABLE,
            attribute_definitions=[shapes.AttributeDefinition(attribute_name="pk", attribute_type="S")],
            key_schema=[shapes.KeySchemaElement(attribute_name="pk", key_type="HASH")],
            billing_mode="PAY_PER_REQUEST",
        )
        dynamodb.client.put_item(table_name=TABLE, item={"pk": A(s="k"), "v": A(n="1")})

    c = dynamodb.client
    setup_ours()
    ours: list[Any] = []
    with pytest.raises(errors.ConditionalCheckFailedException) as e:
        c.put_item(table_name=TABLE, item={"pk": A(s="k"), "v": A(n="2")},
                   condition_expression="attribute_not_exists(pk)",
                   return_values_on_condition_check_failure="ALL_OLD")
    assert e.value.item == {"pk": A(s="k"), "v": A(n="1")}
    ours.append(e.value)
    with pytest.raises(errors.ConditionalCheckFailedException) as e:
        c.delete_item(table_name=TABLE, key={"pk": A(s="k")}, condition_expression="v = :two",
                      expression_attribute_values={":two": A(n="2")})
    assert getattr(e.value, "item", None) is None
    ours.append(e.value)
    with pytest.raises(errors.ResourceInUseException) as e:
        setup_ours()
    ours.append(e.value)
    with pytest.raises(errors.ResourceNotFoundException) as e:
        c.get_item(table_name="no-such-table", key={"pk": A(s="k")})
    ours.append(e.value)
    with pytest.raises(errors.TransactionCanceledException) as e:
        c.transact_write_items(transact_items=[
            shapes.TransactWriteItem(put=shapes.Put(table_name=TABLE, item={"pk": A(s="new")})),
            shapes.TransactWriteItem(condition_check=shapes.ConditionCheck(
                table_name=TABLE, key={"pk": A(s="k")}, condition_expression="v = :two",
                expression_attribute_values={":two": A(n="2")})),
        ])
    reasons = e.value.cancellation_reasons
    assert [r.code for r in reasons] == ["None", "ConditionalCheckFailed"]
    assert isinstance(reasons[1], shapes.CancellationReason)
    ours.append(e.value)
    with pytest.raises(errors.DynamoDBError) as e:
        c.query(table_name=TABLE, key_condition_expression="nope = :x",
                expression_attribute_values={":x": A(s="k")})
    assert type(e.value) is errors.DynamoDBError  # not modeled: the service's base class
    ours.append(e.value)
    for err in ours:
        assert err.message and err.status_code == 400 and err.request_id
    assert c.get_item(table_name=TABLE, key={"pk": A(s="new")}).item is None  # the transaction did nothing
    dynamodb.check_signed()

    reset()
    b = boto_dynamodb

    def setup_boto() -> None:
        b.create_table(TableName=TABLE, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        b.put_item(TableName=TABLE, Item={"pk": {"S": "k"}, "v": {"N": "1"}})

    setup_boto()
    calls = [
        lambda: b.put_item(TableName=TABLE, Item={"pk": {"S": "k"}, "v": {"N": "2"}},
                           ConditionExpression="attribute_not_exists(pk)",
                           ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        lambda: b.delete_item(TableName=TABLE, Key={"pk": {"S": "k"}}, ConditionExpression="v = :two",
                              ExpressionAttributeValues={":two": {"N": "2"}}),
        setup_boto,
        lambda: b.get_item(TableName="no-such-table", Key={"pk": {"S": "k"}}),
        lambda: b.transact_write_items(TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "new"}}}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "k"}}, "ConditionExpression": "v = :two",
                                "ExpressionAttributeValues": {":two": {"N": "2"}}}},
        ]),
        lambda: b.query(TableName=TABLE, KeyConditionExpression="nope = :x",
                        ExpressionAttributeValues={":x": {"S": "k"}}),
    ]
    model = b.meta.service_model
    for ours_err, call in zip(ours, calls):
        with pytest.raises(b.exceptions.ClientError) as be:
            call()
        resp = be.value.response
        err = resp["Error"]
        assert (ours_err.code, ours_err.message) == (err["Code"], err["Message"]), err
        assert ours_err.status_code == resp["ResponseMetadata"]["HTTPStatusCode"]
        if err["Code"] in {s.name for s in model.error_shapes}:
            assert type(ours_err).__name__ == err["Code"]
            shape = model.shape_for(err["Code"])
            # Members beyond the message, as boto3 parsed them, equal ours.
            for member, member_shape in shape.members.items():
                if member.lower() == "message":
                    continue
                theirs = resp.get(member)
                mine = getattr(ours_err, xform_name(member), None)
                if theirs is None:
                    assert mine is None, (err["Code"], member, mine)
                else:
                    assert e2e.ours_plain(mine) == e2e.boto_plain(theirs, member_shape), (err["Code"], member)
        else:
            assert type(ours_err) is errors.DynamoDBError


def test_batches_and_paging_match_boto3(dynamodb, boto_dynamodb, reset, e2e) -> None:
    """BatchWriteItem / BatchGetItem (maps of lists of maps of AttributeValue),
    ListTables paged with Limit / ExclusiveStartTableName, TransactGetItems."""

    def flow(call: Any) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for name in ("e2e-a", "e2e-b", "e2e-c"):
            out.append(("CreateTable", call(
                "CreateTable", TableName=name, BillingMode="PROVISIONED",
                ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "B"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])))
        out.append(("BatchWriteItem", call("BatchWriteItem", RequestItems={
            "e2e-a": [{"PutRequest": {"Item": {"id": {"B": bytes([i])}, "n": {"N": str(i * 1.5)},
                                               "l": {"L": [{"NULL": True}, {"NS": ["1", "10"]}]}}}}
                      for i in range(5)],
            "e2e-b": [{"PutRequest": {"Item": {"id": {"B": b"\xff"}, "s": {"S": ""}}}}],
        }, ReturnConsumedCapacity="INDEXES")))
        out.append(("BatchWriteItem", call("BatchWriteItem", RequestItems={
            "e2e-a": [{"DeleteRequest": {"Key": {"id": {"B": b"\x04"}}}}]})))
        out.append(("BatchGetItem", call("BatchGetItem", RequestItems={
            "e2e-a": {"Keys": [{"id": {"B": bytes([i])}} for i in range(5)], "ConsistentRead": True},
            "e2e-b": {"Keys": [{"id": {"B": b"\xff"}}], "ProjectionExpression": "#s",
                      "ExpressionAttributeNames": {"#s": "s"}},
        })))
        out.append(("TransactGetItems", call("TransactGetItems", TransactItems=[
            {"Get": {"TableName": "e2e-a", "Key": {"id": {"B": b"\x01"}}}},
            {"Get": {"TableName": "e2e-b", "Key": {"id": {"B": b"\x00"}}}},
        ])))
        page = call("ListTables", Limit=2)
        out.append(("ListTables", page))
        last = page.last_evaluated_table_name if hasattr(page, "last_evaluated_table_name") else page["LastEvaluatedTableName"]
        out.append(("ListTables", call("ListTables", Limit=2, ExclusiveStartTableName=last)))
        return out

    ours = flow(lambda op, **kw: e2e.ours_call(dynamodb.client, boto_dynamodb, op, **kw))
    got = ours[5][1]
    a_items = sorted(got.responses["e2e-a"], key=lambda i: i["id"].b)
    assert [i["id"].b for i in a_items] == [b"\x00", b"\x01", b"\x02", b"\x03"]
    assert a_items[3]["n"] == A(n="4.5") and a_items[3]["l"] == A(l=[A(null=True), A(ns=["1", "10"])])
    assert got.responses["e2e-b"] == [{"s": A(s="")}]
    assert got.unprocessed_keys == {}
    assert ours[3][1].unprocessed_items == {}
    tx = ours[6][1].responses
    assert tx[0].item["id"] == A(b=b"\x01") and tx[1].item is None
    assert ours[7][1].table_names == ["e2e-a", "e2e-b"] and ours[7][1].last_evaluated_table_name == "e2e-b"
    assert ours[8][1].table_names == ["e2e-c"] and ours[8][1].last_evaluated_table_name is None
    dynamodb.check_signed()

    reset()
    sent = e2e.record_boto(boto_dynamodb)
    theirs = flow(lambda op, **kw: getattr(boto_dynamodb, xform_name(op))(**kw))
    for (op, a), (_, b) in zip(ours, theirs):
        a, b = e2e.ours_plain(a), e2e.boto_output(boto_dynamodb, op, b)
        if op == "BatchGetItem":  # the order of a batch's items is not specified: sort both
            for result in (a, b):
                for items in result["responses"].values():
                    items.sort(key=lambda i: i.get("id", {}).get("b", b""))
        e2e.assert_same(a, b, VOLATILE)
    assert len(sent) == len(dynamodb.rec.requests)
    for a, b in zip(dynamodb.rec.requests, sent):
        assert e2e.wire(a) == e2e.wire(b)
