"""Every paginator of a sample of services against botocore's paginator on the same
scripted answers (tests/differential/pages.py): a full listing, one with a page size,
and one cut by max_items then resumed with its token. The whole sweep over every
service is scripts/paginator_sweep.py."""

from __future__ import annotations

from typing import Any

import pytest

from awsgen_runtime.errors import PaginationError, ParamValidationError
from tests.differential.harness import Service, ensure_packages
from tests.differential.pages import Scenario, paginators_of

# Every protocol; tokens of every kind: strings, numbers (S3 ListParts), DynamoDB keys,
# nested paths (CloudFront), "a || b" (S3 ListObjects), [-1] indexes and more_results (Kinesis).
SAMPLE = ("s3", "dynamodb", "kinesis", "cloudfront", "iam", "sqs", "lambda", "route53", "logs", "cloudwatch")


@pytest.fixture(scope="module")
def services() -> dict[str, Service]:
    root = ensure_packages(list(SAMPLE))
    return {s: Service(s, root) for s in SAMPLE}


def _cases() -> list[Any]:
    return [pytest.param(s, op, id=f"{s}.{op}") for s in SAMPLE for op in sorted(paginators_of(s))]


@pytest.mark.parametrize("service, op", _cases())
def test_paginator_matches_botocore(services: dict[str, Service], service: str, op: str) -> None:
    spec = paginators_of(service)[op]
    scenario = Scenario(services[service], op, spec)
    problems = scenario.compare()
    if "limit_key" in spec:
        problems += scenario.compare(page_size=2)
    problems += scenario.compare(max_items=3, resume=True)
    assert not problems, "\n".join(p[:2000] for p in problems)


def test_the_sample_is_broad() -> None:
    assert len(_cases()) >= 30


def test_the_same_token_twice_stops_with_an_error(services: dict[str, Service]) -> None:
    scenario = Scenario(services["sqs"], "ListQueues", paginators_of("sqs")["ListQueues"], pages=2)
    scenario.responses = [scenario.responses[0]] * 4  # always "token-1"
    with pytest.raises(PaginationError, match="same next token twice"):
        scenario.ours_run(None, None, None)


def test_bad_arguments_are_refused_before_sending(services: dict[str, Service]) -> None:
    client = services["sqs"].package.Client(region="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with pytest.raises(ParamValidationError, match="starting_token"):
        client.paginate_list_queues(starting_token="not a token")
    with pytest.raises(ParamValidationError, match="page_size"):
        client.paginate_list_queues(page_size=0)
    # a token of another paginator (other input tokens) is refused too
    other = "eyJNYXJrZXIiOiAidG9rZW4ifQ=="  # {"Marker": "token"}
    with pytest.raises(ParamValidationError, match="starting_token"):
        client.paginate_list_queues(starting_token=other)
