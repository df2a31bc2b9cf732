"""Event streams against botocore (issue 10): every operation of every service whose
answer is an event stream, in botocore 1.43.67 (14 services, rest-json, json and
rest-xml), parsed by both from the same frames (tests/differential/streams.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.differential.harness import Service, ensure_packages, has_event_stream
from tests.differential.streams import Streams

# botocore 1.43.67's services with an event-stream answer (every operation of each is checked).
STREAM_SERVICES = ("bedrock-agent-runtime", "bedrock-agentcore", "bedrock-runtime", "connecthealth", "devops-agent",
                   "iotsitewise", "kinesis", "lambda", "lexv2-runtime", "logs", "polly", "qbusiness", "s3",
                   "sagemaker-runtime")
EXAMPLES = 6
_SERVICES: dict[str, Streams] = {}


@pytest.fixture(scope="module")
def root() -> Any:
    return ensure_packages(list(STREAM_SERVICES))


def _streams(root: Any, name: str) -> Streams:
    if name not in _SERVICES:
        _SERVICES[name] = Streams(Service(name, root))
    return _SERVICES[name]


def test_every_stream_service_has_stream_operations(root: Any) -> None:
    counts = {name: len(_streams(root, name).operations()) for name in STREAM_SERVICES}
    assert all(counts.values()), counts
    assert sum(counts.values()) >= 20, counts


@pytest.mark.parametrize("service", sorted(STREAM_SERVICES))
def test_events_match_botocore(root: Any, service: str) -> None:
    streams = _streams(root, service)
    for op in streams.operations():
        if has_event_stream(streams.svc.model, streams.svc.input_shape(op)):
            # Bidirectional (Bedrock, Lex, Polly...): sending an event stream needs HTTP/2,
            # which the client refuses with a ParamValidationError (tested below); botocore
            # cannot send one either.
            continue
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.filter_too_much, HealthCheck.large_base_example])
        @given(streams.events(op))
        def run(events: list[tuple[str, dict[str, Any]]]) -> None:
            diffs = streams.check(op, events)
            assert not diffs, f"{service}.{op}: " + "\n".join(d.short(600) for d in diffs)

        run()


def test_input_event_streams_are_refused_clearly(root: Any) -> None:
    from awsgen_runtime.errors import ParamValidationError

    svc = _streams(root, "bedrock-runtime").svc
    from tests.compliance.convert import Converter

    kwargs = Converter(svc.shapes, svc.package).required_dummies("InvokeModelWithBidirectionalStreamRequest")
    with pytest.raises(ParamValidationError, match="needs HTTP/2"):
        svc.loose_client.invoke_model_with_bidirectional_stream(**kwargs)
