"""Waiters against botocore's: the same scripted answers are served to botocore's waiter
(through its client, a before-send hook answering) and to ``wait_until_<name>``; how
each ends (success, failure state, unexpected error, attempts run out) and how many
requests each sent must be equal.

For each acceptor a sequence is made that should end on it: an answer matching no
acceptor, then one that matches it (a success answer holding the expected value at
the acceptor's path; an error answer with its code; an answer with its status). A
sequence of non-matching answers checks that both give up after the same attempts.
"""

from __future__ import annotations

import json
import re
from typing import Any

import botocore.awsrequest
import botocore.config
import botocore.exceptions
import botocore.session

from generator.model.naming import python_name, snake_case

from .harness import ENDPOINT, Service
from .pages import Scenario, _Raw, _Replay
from .strategies import to_kwargs

_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\])?)*")
Answer = tuple[int, list[tuple[str, str]], bytes]


def waiters_of(service: str) -> dict[str, Any]:
    from generator.botocore_source import service_model_dir
    from generator.load import load_document

    folder = service_model_dir(service)
    for name in ("waiters-2.json", "waiters-2.json.gz"):
        if (folder / name).exists():
            return dict(load_document(folder / name)["waiters"])
    return {}


class WaitScenario:
    def __init__(self, svc: Service, name: str, spec: dict[str, Any]) -> None:
        self.svc, self.name, self.spec = svc, name, spec
        self.op = spec["operation"]
        self.shapes = svc.shapes
        self.skipped = 0  # sequences botocore's waiter itself fails on (ours matches nothing there)
        self.output = (svc.model["operations"][self.op].get("output") or {}).get("shape")

    # ----- answers ------------------------------------------------------------------------
    def empty(self) -> Answer:
        return self.svc.build_response(self.op, {})

    def answer_for(self, acceptor: dict[str, Any]) -> Answer | None:
        matcher, expected = acceptor["matcher"], acceptor["expected"]
        if matcher == "error":
            if expected is True:
                return self.error("SomeError", 400)
            if expected is False:
                return self.empty()
            return self.error(str(expected), 400)
        if matcher == "status":
            return self.empty() if expected == 200 else self.error("", int(expected))
        arg = acceptor.get("argument", "")
        if not _SIMPLE.fullmatch(arg) or self.output is None:
            return None
        values = self._build(self.output, arg.split("."), expected)
        return None if values is None else self.svc.build_response(self.op, values)

    def _build(self, shape: str, parts: list[str], expected: Any) -> Any:
        if not parts:
            return expected
        s = self.shapes[shape]
        head, flat = parts[0].rstrip("[]"), parts[0].endswith("[]")
        ref = (s.get("members") or {}).get(head)
        if ref is None:
            return None
        target = ref["shape"]
        if flat:
            if self.shapes[target]["type"] != "list":
                return None
            inner = self._build(self.shapes[target]["member"]["shape"], parts[1:], expected)
            return None if inner is None else {head: [inner]}
        inner = self._build(target, parts[1:], expected)
        return None if inner is None else {head: inner}

    def error(self, code: str, status: int) -> Answer:
        protocol = self.svc.protocol
        if not code:
            return status, [], b""
        if protocol == "json":
            return status, [("Content-Type", "application/x-amz-json-1.1")], json.dumps(
                {"__type": code, "message": "m"}).encode()
        if protocol == "rest-json":
            return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], b'{"message": "m"}'
        if protocol == "ec2":
            return status, [], (f"<Response><Errors><Error><Code>{code}</Code><Message>m</Message></Error></Errors>"
                                f"<RequestID>r</RequestID></Response>").encode()
        if protocol == "query":
            return status, [], (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message>"
                                f"</Error><RequestId>r</RequestId></ErrorResponse>").encode()
        return status, [], f"<Error><Code>{code}</Code><Message>m</Message></Error>".encode()

    # ----- running both ---------------------------------------------------------------------
    _dummy = Scenario._dummy

    def required(self) -> dict[str, Any]:
        shape = self.svc.model["operations"][self.op].get("input")
        if not shape:
            return {}
        s = self.shapes[shape["shape"]]
        return {n: self._dummy(s["members"][n]["shape"]) for n in s.get("required", ())}

    def botocore_run(self, answers: list[Answer], attempts: int) -> tuple[str, int]:
        session = botocore.session.get_session()
        client = session.create_client(self.svc.name, region_name="us-east-1", endpoint_url=ENDPOINT,
                                       aws_access_key_id="k", aws_secret_access_key="s",
                                       config=botocore.config.Config(s3={"addressing_style": "path"},
                                                                     retries={"total_max_attempts": 1}))
        queue = list(answers)
        sent = []

        def answer(request: Any, **_: Any) -> Any:
            status, headers, body = queue.pop(0) if queue else answers[-1]
            sent.append(request)
            return botocore.awsrequest.AWSResponse(request.url, status, dict(headers), _Raw(body))

        client.meta.events.register("before-send", answer)
        waiter = client.get_waiter(snake_case(self.name))
        try:
            waiter.wait(**self.required(), WaiterConfig={"Delay": 0, "MaxAttempts": attempts})
            outcome = "success"
        except botocore.exceptions.WaiterError as exc:
            reason = str(exc)
            outcome = ("failure" if "terminal failure" in reason else "max" if "Max attempts" in reason
                       else "error" if "An error occurred" in reason else f"other: {reason}")
        return outcome, len(sent)

    def ours_run(self, answers: list[Answer], attempts: int) -> tuple[str, int]:
        from awsgen_runtime.client import Config
        from awsgen_runtime.waiters import WaiterError

        capture = _Replay(answers)
        client = self.svc.package.Client(region="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id="k",
                                         aws_secret_access_key="s", transport=capture,
                                         config=Config(max_attempts=1, s3={"addressing_style": "path"}))
        kwargs = to_kwargs(self.svc.package, self.svc.model, self.op, self.required())
        method = getattr(client, "wait_until_" + snake_case(self.name))
        try:
            method(**kwargs, delay=0, max_attempts=attempts)
            outcome = "success"
        except WaiterError as exc:
            outcome = ("failure" if exc.acceptor is not None and exc.acceptor[0] == "failure"
                       else "max" if exc.reason.startswith("max attempts") else "error")
        return outcome, len(capture.requests)

    def compare(self) -> tuple[int, list[str]]:
        """(sequences run, differences)."""
        problems = []
        runs = 0
        sequences = [[self.empty()] * 3]
        for acceptor in self.spec["acceptors"]:
            matching = self.answer_for(acceptor)
            if matching is not None:
                sequences.append([self.empty(), matching])
        for answers in sequences:
            try:
                theirs = self.botocore_run(answers, 3)
            except Exception:  # noqa: BLE001 - jmespath fails on an answer lacking a list: skipped
                self.skipped += 1
                continue
            runs += 1
            ours = self.ours_run(answers, 3)
            if theirs != ours:
                problems.append(f"{self.name}: botocore={theirs} ours={ours} answers={[a[:1] + (a[2][:200],) for a in answers]}")
        return runs, problems


__all__ = ["WaitScenario", "waiters_of", "python_name"]
