"""Waiters: poll an operation until an acceptor of the service's waiter says success or
failure, as botocore's ``Waiter.wait`` does.

Each attempt calls the operation; its typed answer (or its ``ServiceError``) is
checked against the acceptors in order, and the first that matches sets the state:
``success`` returns, ``failure`` raises :class:`WaiterError`, ``retry`` (or no match,
keeping the last state) sleeps ``delay`` seconds and tries again, up to
``max_attempts``. An error no acceptor expects raises at once. Path acceptors are
JMESPath expressions (the waiter file's, with Python member names) evaluated with the
``jmespath`` package over the answer's ``to_dict()``; it is imported at the first
wait. Waits are seconds apart, so the evaluation's cost does not matter.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import Any, TypeVar

from .errors import AwsGenError, ServiceError
from .paginate import resume

__all__ = ["WaiterError", "WaiterSpec", "async_wait", "decide", "path_matches", "wait"]

Acceptor = tuple[str, str, "str | None", Any]  # (state, matcher, expression, expected)
A = TypeVar("A", bound=Sequence[Any])


class WaiterError(AwsGenError):
    """A waiter ended without success: ``name`` (the waiter), ``reason``, the
    ``acceptor`` that ended it (None when attempts ran out or an unexpected error came),
    ``last_response`` (the last typed answer or ServiceError) and ``attempts``."""

    def __init__(self, name: str, reason: str, acceptor: Acceptor | None, last_response: Any,
                 attempts: int) -> None:
        super().__init__(f"waiter {name} failed: {reason}")
        self.name = name
        self.reason = reason
        self.acceptor = acceptor
        self.last_response = last_response
        self.attempts = attempts


class WaiterSpec:
    """One waiter, as the generator prepared it from the service's waiters file."""

    __slots__ = ("name", "delay", "max_attempts", "acceptors", "status", "_compiled")

    def __init__(self, name: str, delay: float, max_attempts: int, acceptors: tuple[Acceptor, ...],
                 status: int = 200) -> None:
        self.name = name
        self.delay = delay
        self.max_attempts = max_attempts
        self.acceptors = acceptors
        self.status = status  # the operation's HTTP status on success
        self._compiled: dict[str, Any] = {}

    def search(self, expression: str, data: Any) -> Any:
        found = self._compiled.get(expression)
        if found is None:
            import jmespath  # type: ignore[import-untyped, unused-ignore]

            found = self._compiled[expression] = jmespath.compile(expression)
        return found.search(data)


def _explain(acceptor: Acceptor) -> str:
    state, matcher, expression, expected = acceptor
    where = f" {expression!r}" if expression else ""
    return f"For expression{where} we matched expected path: {expected!r}" if matcher.startswith("path") \
        else f"matched {matcher} {expected!r} ({state})"


def _matches(spec: WaiterSpec, acceptor: Acceptor, result: Any, error: ServiceError | None,
             data: Any) -> bool:
    _, matcher, expression, expected = acceptor
    if matcher == "error":
        if expected is True:
            return error is not None
        if expected is False:
            return error is None
        return error is not None and bool(error.code == expected)
    if matcher == "status":
        return bool((error.status_code if error is not None else spec.status) == expected)
    if error is not None or expression is None:
        return False  # path acceptors look at answers, not errors
    try:
        value = spec.search(expression, data)
    except Exception:  # noqa: BLE001 - jmespath's type errors (length() of a missing list)
        return False  # an answer the expression cannot look at matches nothing (botocore raises)
    return path_matches(matcher, value, expected)


def path_matches(matcher: str, value: Any, expected: Any) -> bool:
    """A path acceptor's test of what its expression found: ``path`` equal to
    ``expected``; ``pathAll`` / ``pathAny`` a non-empty list of which all / any are."""
    if matcher == "path":
        return bool(value == expected)
    if not isinstance(value, list) or not value:
        return False
    if matcher == "pathAll":
        return all(v == expected for v in value)
    return any(v == expected for v in value)  # pathAny


def _plain(result: Any) -> Any:
    """The answer as JMESPath sees it: dicts of Python member names, enums as text."""
    data = result.to_dict() if hasattr(result, "to_dict") else {}
    return _texts(data)


def _texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    if isinstance(value, str) and type(value) is not str:
        return str(value)  # an enum member
    return value


def decide(acceptors: Sequence[A], delay: Any, max_attempts: Any, match: Callable[[A, Any], bool],
           fail: Callable[[str, A | None, A | None, Any, int], BaseException | None]
           ) -> Generator[tuple[bool, Any], Any, None]:
    """botocore's ``Waiter.wait`` loop without I/O, over any kind of answer and acceptor
    (a sequence whose first item is its state): yields (True, 0) for an attempt (and is
    sent its answer) and (False, ``delay``) to wait before the next (and is sent None);
    returns on success. The first acceptor that ``match``es an answer sets the state;
    ``fail(kind, matched, current, answer, attempts)`` makes the error to raise: ``kind``
    is "error" (no acceptor matched; None when the answer is no error, and the wait goes
    on), "failure" or "attempts"; ``matched`` is the last acceptor that matched and
    ``current`` the last one tried (botocore's messages name that one)."""
    state = "waiting"
    matched: A | None = None
    attempts = 0
    while True:
        answer = yield True, 0.0
        attempts += 1
        current: A | None = None
        for acceptor in acceptors:
            current = acceptor
            if match(acceptor, answer):
                matched, state = acceptor, acceptor[0]
                break
        else:
            error = fail("error", matched, current, answer, attempts)
            if error is not None:
                raise error
        if state == "success":
            return
        if state == "failure" or attempts >= max_attempts:
            kind = "failure" if state == "failure" else "attempts"
            error = fail(kind, matched, current, answer, attempts)
            raise error if error is not None else AwsGenError(f"waiter: {kind}")
        yield False, delay


def _attempts(spec: WaiterSpec, delay: float | None,
              max_attempts: int | None) -> Generator[tuple[bool, float], Any, None]:
    """The waiter's decisions (:func:`decide`) over typed answers: it is sent (answer,
    error) per attempt; raises :class:`WaiterError` when the wait fails."""
    delay = spec.delay if delay is None else delay
    max_attempts = spec.max_attempts if max_attempts is None else max_attempts
    if max_attempts < 1 or delay < 0:
        from .errors import ParamValidationError

        raise ParamValidationError([f"{spec.name}: max_attempts must be at least 1 and delay not negative"])
    seen: list[Any] = [None, None]  # the last outcome and its plain form (path acceptors read it)

    def match(acceptor: Acceptor, outcome: tuple[Any, ServiceError | None]) -> bool:
        result, error = outcome
        if error is None and seen[0] is not outcome:
            seen[:] = [outcome, _plain(result)]
        return _matches(spec, acceptor, result, error, seen[1] if error is None else None)

    def fail(kind: str, last: Acceptor | None, _current: Acceptor | None,
             outcome: tuple[Any, ServiceError | None], attempts: int) -> WaiterError | None:
        result, error = outcome
        if kind == "error":
            return None if error is None else WaiterError(
                spec.name, f"an error occurred ({error.code}): {error.message}", None, error, attempts)
        response = error if error is not None else result
        if kind == "failure":
            return WaiterError(spec.name, "the waiter reached a terminal failure state: "
                               + _explain(last) if last else "failure", last, response, attempts)
        reason = "max attempts exceeded" + (f"; the last state accepted: {_explain(last)}" if last else "")
        return WaiterError(spec.name, reason, last, response, attempts)

    return decide(spec.acceptors, delay, max_attempts, match, fail)


def wait(call: Callable[..., Any], kwargs: dict[str, Any], spec: WaiterSpec, *, delay: float | None = None,
         max_attempts: int | None = None, sleep: Callable[[float], Any] = time.sleep) -> None:
    """Poll ``call(**kwargs)`` as the waiter says (see the module's docstring)."""
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    steps = _attempts(spec, delay, max_attempts)
    step = next(steps, None)
    while step is not None:
        attempt, seconds = step
        if attempt:
            try:
                outcome: tuple[Any, ServiceError | None] = (call(**kwargs), None)
            except ServiceError as exc:
                outcome = (None, exc)
            step = resume(steps, outcome)
        else:
            sleep(seconds)
            step = resume(steps, None)


async def async_wait(call: Callable[..., Awaitable[Any]], kwargs: dict[str, Any], spec: WaiterSpec, *,
                     delay: float | None = None, max_attempts: int | None = None,
                     sleep: Callable[[float], Awaitable[Any]] | None = None) -> None:
    """:func:`wait` for the asyncio client: the same decisions, awaited calls and sleeps."""
    if sleep is None:
        import asyncio

        sleep = asyncio.sleep
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    steps = _attempts(spec, delay, max_attempts)
    step = next(steps, None)
    while step is not None:
        attempt, seconds = step
        if attempt:
            try:
                outcome: tuple[Any, ServiceError | None] = (await call(**kwargs), None)
            except ServiceError as exc:
                outcome = (None, exc)
            step = resume(steps, outcome)
        else:
            await sleep(seconds)
            step = resume(steps, None)
