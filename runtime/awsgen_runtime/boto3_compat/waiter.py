"""boto3's waiters on the compatible client: ``client.get_waiter("table_exists")`` returns a
:class:`Waiter` whose ``wait(**params, WaiterConfig={"Delay": s, "MaxAttempts": n})`` polls
the operation as botocore's ``Waiter.wait`` does.

The loop is the typed client's (:func:`awsgen_runtime.waiters.decide`); the acceptors are
botocore's, over the answer dicts and a ClientError's ``.response``: ``path`` (a JMESPath
expression over the answer equals ``expected``; the ``jmespath`` package, imported at the
first path acceptor, as botocore evaluates it), ``pathAll`` / ``pathAny``, ``status``
(``ResponseMetadata.HTTPStatusCode``) and ``error`` (``Error.Code``; ``true`` / ``false``:
any error / none). ``WaiterError`` carries botocore's message (``Waiter TableExists failed:
Max attempts exceeded``) and ``last_response`` and is botocore's class when botocore is
installed. Sleeps are ``time.sleep`` looked up at each wait, as botocore's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..paginate import resume
from ..waiters import decide, path_matches
from .errors import client_error_class
from .paginate import botocore_error

__all__ = ["AcceptorConfig", "SingleWaiterConfig", "Waiter", "WaiterSpec"]

# (state, matcher, argument, expected), as in waiters-2.json
Acceptor = tuple[str, str, "str | None", Any]
# (waiter name, operation method, delay, max attempts, acceptors), as compat.py lists them
WaiterSpec = tuple[str, str, Any, Any, tuple[Acceptor, ...]]

_COMPILED: dict[str, Any] = {}


def _search(expression: str, data: Any) -> Any:
    found = _COMPILED.get(expression)
    if found is None:
        import jmespath  # type: ignore[import-untyped, unused-ignore]

        found = _COMPILED[expression] = jmespath.compile(expression)
    return found.search(data)


def _is_error(response: dict[str, Any]) -> bool:
    error = response.get("Error")
    return isinstance(error, dict) and "Code" in error


def _matches(acceptor: Acceptor, response: dict[str, Any]) -> bool:
    """botocore's acceptor functions, matcher by matcher."""
    _, matcher, argument, expected = acceptor
    if matcher == "status":
        return bool(response.get("ResponseMetadata", {}).get("HTTPStatusCode") == expected)
    if matcher == "error":
        if expected is True:
            return "Error" in response and "Code" in response["Error"]
        if expected is False:
            return "Error" not in response
        return bool(response.get("Error", {}).get("Code", "") == expected)
    if _is_error(response) or argument is None:
        return False  # path acceptors look at answers, not errors
    return path_matches(matcher, _search(argument, response), expected)  # jmespath's errors propagate, as botocore's


def explanation(acceptor: Acceptor) -> str:
    """botocore's ``AcceptorConfig.explanation``."""
    _, matcher, argument, expected = acceptor
    if matcher == "path":
        return f'For expression "{argument}" we matched expected path: "{expected}"'
    if matcher == "pathAll":
        return f'For expression "{argument}" all members matched expected path: "{expected}"'
    if matcher == "pathAny":
        return f'For expression "{argument}" we matched expected path: "{expected}" at least once'
    if matcher == "status":
        return f"Matched expected HTTP status code: {expected}"
    if matcher == "error":
        return f"Matched expected service error code: {expected}"
    return f'No explanation for unknown waiter type: "{matcher}"'


class AcceptorConfig:
    """One acceptor, as botocore's ``AcceptorConfig`` shows it."""

    def __init__(self, acceptor: Acceptor) -> None:
        self.state, self.matcher, self.argument, self.expected = acceptor
        self._acceptor = acceptor

    @property
    def explanation(self) -> str:
        return explanation(self._acceptor)

    def __repr__(self) -> str:
        return f"AcceptorConfig({self._acceptor!r})"


class SingleWaiterConfig:
    """``waiter.config``: ``operation``, ``delay``, ``max_attempts``, ``acceptors``."""

    def __init__(self, spec: WaiterSpec) -> None:
        self.name, _, self.delay, self.max_attempts, self._acceptors = spec
        self.operation = ""
        self.description = ""

    @property
    def acceptors(self) -> list[AcceptorConfig]:
        return [AcceptorConfig(a) for a in self._acceptors]


class Waiter:
    """botocore's ``Waiter``: ``name``, ``config`` and :meth:`wait`."""

    def __init__(self, spec: WaiterSpec, operation: str, method: Callable[..., dict[str, Any]]) -> None:
        self.name = spec[0]
        self.config = SingleWaiterConfig(spec)
        self.config.operation = operation
        self._spec = spec
        self._method = method

    def __repr__(self) -> str:
        return f"<boto3_compat waiter {self.name}>"

    def _call(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._method(**kwargs)
        except client_error_class() as exc:
            return exc.response  # type: ignore[attr-defined, no-any-return]

    def wait(self, **kwargs: Any) -> None:
        """Call the operation with ``kwargs`` until an acceptor says success (returns) or
        failure, an unexpected error or the last attempt (``WaiterError``)."""
        config = kwargs.pop("WaiterConfig", {})
        delay = config.get("Delay", self.config.delay)
        max_attempts = config.get("MaxAttempts", self.config.max_attempts)
        steps = decide(self._spec[4], delay, max_attempts, _matches, self._fail)
        step = next(steps, None)
        while step is not None:
            attempt, seconds = step
            if attempt:
                step = resume(steps, self._call(kwargs))
            else:
                time.sleep(seconds)
                step = resume(steps, None)

    def _fail(self, kind: str, matched: Acceptor | None, current: Acceptor | None, response: dict[str, Any],
              attempts: int) -> Exception | None:
        del attempts
        if kind == "error":
            if not _is_error(response):
                return None
            error = response["Error"]
            reason = f"An error occurred ({error.get('Code', 'Unknown')}): {error.get('Message', 'Unknown')}"
        elif kind == "failure":
            reason = f"Waiter encountered a terminal failure state: {explanation(current) if current else ''}"
        elif matched is None:
            reason = "Max attempts exceeded"
        else:  # botocore explains the last acceptor it tried, matched or not
            reason = f"Max attempts exceeded. Previously accepted state: {explanation(current or matched)}"
        cls: Any = botocore_error("WaiterError")
        return cls(name=self.name, reason=reason, last_response=response)  # type: ignore[no-any-return]
