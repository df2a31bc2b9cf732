"""The compat client's waiters against boto3's own, for every waiter of the manifest
services with a compat client (only DynamoDB has waiters among them; the others must
have none, as boto3 says).

Both clients get the same scripted answer sequences (``waits.WaitScenario`` builds, per
acceptor, an answer that should end on it, preceded by one matching nothing; plus runs
of answers matching nothing, of retry answers, of unexpected errors), with ``time.sleep``
patched to record: each must end the same way (returning, or ``WaiterError`` with the
same message and an equal ``last_response``, ResponseMetadata included), after the same
requests and the same sleeps, with the waiter's default config and with ``WaiterConfig``.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import botocore.exceptions
import pytest

from generator.model.naming import snake_case

from .test_compat_paginators import SERVICES, _clients
from .waits import Answer, WaitScenario, waiters_of


def _run(client: Any, script: Any, scenario: WaitScenario, answers: list[Answer], config: dict[str, Any] | None,
         sleeps: list[float]) -> dict[str, Any]:
    script.load(answers)
    sleeps.clear()
    out: dict[str, Any] = {}
    waiter = client.get_waiter(snake_case(scenario.name))
    kwargs = scenario.required()
    if config is not None:
        kwargs["WaiterConfig"] = dict(config)
    try:
        out["returned"] = waiter.wait(**kwargs)
    except Exception as exc:  # noqa: BLE001 - compared: class, message, last response
        out["raised"] = (type(exc).__name__, str(exc), getattr(exc, "last_response", None),
                         isinstance(exc, botocore.exceptions.WaiterError))
    out["sent"] = list(script.sent)
    out["sleeps"] = list(sleeps)
    return out


def _sequences(scenario: WaitScenario) -> list[list[Answer]]:
    empty = scenario.empty()
    sequences = [[empty] * 3, [scenario.error("SomethingElse", 400)], [empty, scenario.error("Throttled", 500)]]
    for acceptor in scenario.spec["acceptors"]:
        matching = scenario.answer_for(acceptor)
        if matching is not None:
            sequences += [[empty, matching], [matching], [matching] * 3, [matching, empty, empty]]
    if scenario.name == "KinesisStreamingDestinationActive":  # its failure acceptor is no simple path
        # (on an answer without the list, length() fails: botocore raises jmespath's error,
        # and so must we; the sequences above check that. An answer matching nothing:)
        op = scenario.op
        empty = scenario.svc.build_response(op, {"KinesisDataStreamDestinations": [{"DestinationStatus": "ENABLING"}]})
        sequences.append([empty] * 3)
        for statuses in (["DISABLED", "ENABLE_FAILED"], ["DISABLED", "ENABLING"], [], ["ACTIVE", "DISABLED"]):
            values = {"TableName": "t", "KinesisDataStreamDestinations": [
                {"StreamArn": "arn:aws:kinesis:us-east-1:1:stream/s", "DestinationStatus": s} for s in statuses]}
            sequences.append([empty, scenario.svc.build_response(op, values)])
    return sequences


def _cases() -> list[Any]:
    return [pytest.param(s, w, id=f"{s}.{w}") for s in SERVICES for w in sorted(waiters_of(s))]


def compare(service: str, name: str, configs: tuple[dict[str, Any] | None, ...], sleeps: list[float],
            known: Callable[[list[Answer]], bool] | None = None) -> tuple[list[str], set[str], bool]:
    """Every sequence of ``_sequences`` with each config, run by both clients (time.sleep
    patched to ``sleeps.append`` first): the differences, how boto3's waits ended, and
    whether a sequence that ``known`` picks out (a known difference of another layer, not
    compared) differed."""
    theirs, ours, script, svc = _clients(service)
    scenario = WaitScenario(svc, name, waiters_of(service)[name])
    problems, ends, seen = [], set(), False
    for answers in _sequences(scenario):
        for config in configs:
            expected = _run(theirs, script, scenario, answers, config, sleeps)
            actual = _run(ours, script, scenario, answers, config, sleeps)
            if known is not None and known(answers):  # (a sequence may end before that answer)
                seen = seen or actual != expected
                continue
            ends.add(" ".join(expected.get("raised", ("", "returned"))[1].partition("failed: ")[2].split()[:3]))
            if expected != actual:
                problems.append(f"{config} {[a[:1] + (a[2][:120],) for a in answers]}:\n  boto3={expected}\n"
                                f"  ours={actual}")
    return problems, ends, seen


@pytest.mark.parametrize("service, name", _cases())
def test_waiter_matches_boto3(service: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    configs = (None, {"Delay": 3, "MaxAttempts": 2}, {"MaxAttempts": 4}, {"Delay": 0.5})
    problems, ends, _ = compare(service, name, configs, sleeps)
    assert not problems, "\n".join(p[:3000] for p in problems)
    assert len(ends) >= 3, ends  # success, attempts run out, an unexpected error at least


def test_every_waiter_is_covered() -> None:
    assert len(_cases()) == 6  # DynamoDB's


@pytest.mark.parametrize("service", SERVICES)
def test_waiter_names_and_configs_as_boto3(service: str) -> None:
    theirs, ours, _, _ = _clients(service)
    assert ours.waiter_names == theirs.waiter_names
    for name in theirs.waiter_names:
        e, a = theirs.get_waiter(name), ours.get_waiter(name)
        assert (a.name, a.config.operation, a.config.delay, a.config.max_attempts) == (
            e.name, e.config.operation, e.config.delay, e.config.max_attempts)
        assert [(x.state, x.matcher, x.argument, x.expected, x.explanation) for x in a.config.acceptors] == [
            (x.state, x.matcher, x.argument, x.expected, x.explanation) for x in e.config.acceptors]
    messages = []
    for client in (theirs, ours):
        with pytest.raises(ValueError) as exc:
            client.get_waiter("no_such_waiter")
        messages.append(str(exc.value))
    assert messages[0] == messages[1]
