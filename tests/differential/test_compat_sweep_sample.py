"""A fixed sample of scripts/compat_sweep.py: the boto3-compatible client against boto3
itself for every operation and modeled error of a few json and rest-json services beyond
the manifest, chosen for their different shapes (compat_check.py's comparison):

* lambda: rest-json with URI labels, headers, query strings, blob payloads, event streams;
* apigateway: rest-json with many query/header bindings and a customization (Accept);
* glacier: rest-json with checksums, account-id defaulting and streaming payloads;
* mediastore-data: rest-json streaming blob output;
* kinesis: json with blobs and event streams; logs: json, big; ecs: json, big;
* secretsmanager: json with idempotency tokens and blobs;
* sqs, cloudwatch: awsQueryCompatible json (x-amzn-query-error codes).

Each runs in the sweep's way (a few hypothesis examples per operation, one per error, no
shrinking); a failure lists every operation that differs, with the cause.
"""

from __future__ import annotations

import pytest

from .compat_check import sweep_service
from .harness import ensure_packages

SAMPLE = ("lambda", "apigateway", "glacier", "mediastore-data", "kinesis", "logs", "ecs", "secretsmanager",
          "sqs", "cloudwatch")
EXAMPLES = 2


@pytest.mark.parametrize("service", SAMPLE)
def test_sweep_sample(service: str) -> None:
    result = sweep_service(service, ensure_packages(list(SAMPLE)), EXAMPLES, error_examples=1)
    assert result["load_error"] is None, result["load_error"]
    failures = [f"{f['kind']} {f['name']}: {f['cause']}\n{f['detail']}" for f in result["failures"]]
    assert not failures, "\n".join(failures)
    assert result["ops"]["pass"] + result["ops"]["skip"] > 0
