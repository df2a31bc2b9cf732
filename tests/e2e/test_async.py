"""The asyncio clients against moto: a DynamoDB flow with the async waiter and paginator,
compared with the blocking client's results on the same data, and S3 objects streamed
in and out (file bodies, aws-chunked uploads with a trailing checksum, checked
downloads, a body closed early)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from typing import Any

from aws_dynamodb import Client, shapes
from aws_dynamodb.aio import AsyncClient
from tests.e2e.test_query_and_xml_services import KEY, REGION, SECRET, packages  # noqa: F401

A = shapes.AttributeValue
CREDS = {"aws_access_key_id": KEY, "aws_secret_access_key": SECRET}


def test_dynamodb_flow(moto_url: str) -> None:
    async def flow() -> tuple[list[Any], list[Any], Any]:
        async with AsyncClient(region=REGION, endpoint_url=moto_url, **CREDS) as client:
            await client.create_table(
                table_name="t", billing_mode="PAY_PER_REQUEST",
                key_schema=[shapes.KeySchemaElement(attribute_name="pk", key_type="HASH")],
                attribute_definitions=[shapes.AttributeDefinition(attribute_name="pk", attribute_type="S")])
            await client.wait_until_table_exists(table_name="t", delay=0.05)
            await asyncio.gather(*(client.put_item(table_name="t", item={"pk": A(s=f"k{i:02d}"), "n": A(n=str(i))})
                                   for i in range(23)))
            pages = [page async for page in client.paginate_scan(table_name="t", page_size=5)]
            paginator = client.paginate_scan(table_name="t", page_size=4, max_items=6)
            items = [item async for item in paginator.items()]
            resumed = [item async for item in client.paginate_scan(
                table_name="t", page_size=4, starting_token=paginator.resume_token).items()]
            got = await client.get_item(table_name="t", key={"pk": A(s="k07")})
            await client.delete_table(table_name="t")
            await client.wait_until_table_not_exists(table_name="t", delay=0.05)
            return pages, items + resumed, got

    pages, items, got = asyncio.run(flow())
    assert [len(p.items or []) for p in pages] == [5, 5, 5, 5, 3, 0][: len(pages)]
    assert sum(len(p.items or []) for p in pages) == 23
    assert sorted(i["pk"].s for i in items) == [f"k{i:02d}" for i in range(23)]  # the resume lost nothing
    assert got.item == {"pk": A(s="k07"), "n": A(n="7")}
    assert "t" not in (Client(region=REGION, endpoint_url=moto_url, **CREDS).list_tables().table_names or [])


def test_s3_streams(moto_url: str, packages: dict[str, Any]) -> None:  # noqa: F811
    aio = __import__(packages["s3"].__name__ + ".aio", fromlist=["AsyncClient"])
    config = packages["s3"].Config(s3={"addressing_style": "path"})
    data = os.urandom(300_000)

    async def flow() -> tuple[bytes, list[bytes], bytes, bytes]:
        async with aio.AsyncClient(region=REGION, endpoint_url=moto_url, config=config, **CREDS) as s3:
            await s3.create_bucket(bucket="aio")
            await s3.put_object(bucket="aio", key="bytes", body=data)
            await s3.put_object(bucket="aio", key="file", body=io.BytesIO(data))  # streamed from a file
            whole = await (await s3.get_object(bucket="aio", key="file")).body.aread()
            out = await s3.get_object(bucket="aio", key="bytes", checksum_mode="ENABLED")
            async with out.body as body:
                chunks = [c async for c in body.aiter_chunks(65536)]
            partial = await s3.get_object(bucket="aio", key="bytes", range="bytes=0-9")
            first = await partial.body.aread()
            early = await s3.get_object(bucket="aio", key="file")
            head = await early.body.aread(100)
            await early.body.aclose()  # closed before its end: the connection is dropped
            again = await (await s3.get_object(bucket="aio", key="bytes", range="bytes=10-19")).body.aread()
            return whole, chunks, first + again, head

    whole, chunks, ranges, head = asyncio.run(flow())
    assert hashlib.sha256(whole).digest() == hashlib.sha256(data).digest()
    assert b"".join(chunks) == data and all(len(c) <= 65536 for c in chunks)
    assert ranges == data[:20] and head == data[:100]
