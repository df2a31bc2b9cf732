"""Every waiter of a sample of services against botocore's waiter on the same scripted
answers (tests/differential/waits.py): for each acceptor, an answer that matches none
then one that matches it; and answers that match nothing until the attempts run out.
How each ends and how many requests each sent must be equal."""

from __future__ import annotations

from typing import Any

import pytest

from awsgen_runtime.waiters import WaiterError, WaiterSpec, wait
from tests.differential.harness import Service, ensure_packages
from tests.differential.waits import WaitScenario, waiters_of

SAMPLE = ("dynamodb", "s3", "ec2", "rds", "iam", "cloudformation", "lambda", "ecs")


@pytest.fixture(scope="module")
def services() -> dict[str, Service]:
    root = ensure_packages(list(SAMPLE))
    return {s: Service(s, root) for s in SAMPLE}


def _cases() -> list[Any]:
    return [pytest.param(s, name, id=f"{s}.{name}") for s in SAMPLE for name in sorted(waiters_of(s))]


@pytest.mark.parametrize("service, name", _cases())
def test_waiter_matches_botocore(services: dict[str, Service], service: str, name: str) -> None:
    scenario = WaitScenario(services[service], name, waiters_of(service)[name])
    runs, problems = scenario.compare()
    assert runs + scenario.skipped >= 1 and not problems, "\n".join(problems)


def test_every_matcher_kind_is_covered() -> None:
    kinds = {a["matcher"] for s in SAMPLE for w in waiters_of(s).values() for a in w["acceptors"]}
    assert kinds == {"path", "pathAll", "pathAny", "status", "error"}
    assert len(_cases()) >= 80


class _Answer:
    def __init__(self, **fields: Any) -> None:
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        return self.fields


def test_waiter_error_names_the_acceptor_and_keeps_the_last_answer() -> None:
    spec = WaiterSpec("TableGone", 5.0, 4, (("success", "path", "status", "GONE"),
                                            ("failure", "path", "status", "BROKEN"),
                                            ("retry", "error", None, "Throttled")))
    answers = iter([_Answer(status="PENDING"), _Answer(status="BROKEN")])
    slept: list[float] = []
    with pytest.raises(WaiterError) as info:
        wait(lambda: next(answers), {}, spec, delay=0.25, sleep=slept.append)
    err = info.value
    assert err.acceptor == ("failure", "path", "status", "BROKEN") and err.attempts == 2
    assert err.last_response.fields == {"status": "BROKEN"} and slept == [0.25]
    assert "TableGone" in str(err) and "BROKEN" in str(err)
    answers = iter([_Answer(status="PENDING")] * 3)
    with pytest.raises(WaiterError, match="max attempts exceeded") as info:
        wait(lambda: next(answers), {}, spec, max_attempts=3, sleep=slept.append)
    assert info.value.acceptor is None and info.value.attempts == 3
