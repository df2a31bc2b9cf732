"""Every exception a generated client raises derives from :class:`AwsGenError`.

Callers can catch one base class; each failure kind has its own subclass so that a
bad response, a bad parameter and a network failure are told apart without parsing
message text.
"""

from __future__ import annotations

from typing import Any


class AwsGenError(Exception):
    """Base of every error raised by a generated client or its runtime."""


class ParamValidationError(AwsGenError, ValueError):
    """Parameters broke the model's constraints; raised before any network I/O.

    ``problems`` lists every violation found, as ``"path: text"`` strings.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} invalid parameter(s):\n{lines}")


class ResponseParseError(AwsGenError):
    """The service answered with something the model does not allow."""

    def __init__(self, message: str, *, status_code: int | None = None, body: bytes | None = None) -> None:
        self.status_code = status_code
        self.body_excerpt = (body or b"")[:200]
        super().__init__(message)


class ChecksumMismatchError(AwsGenError):
    """A response body does not match the checksum the service sent with it
    (``x-amz-checksum-*``): it was damaged on the way. Raised when the body has been read."""


class TransportError(AwsGenError):
    """The request could not be sent or its answer not received."""


class ConnectTimeoutError(TransportError):
    """Connecting to the endpoint took longer than the connect timeout."""


class ReadTimeoutError(TransportError):
    """The endpoint did not answer within the read timeout."""


class EndpointResolutionError(AwsGenError):
    """The endpoint rule set rejected the parameters; the text is the rule set's."""


class PaginationError(AwsGenError):
    """A paginated listing cannot go on (the service sent the same next token twice)."""


class MissingDependencyError(AwsGenError, ImportError):
    """A feature needs an optional package that is not installed; the message names it."""


class NoCredentialsError(AwsGenError):
    """No AWS credentials were found in any of the places searched."""


class NoRegionError(AwsGenError):
    """No region was given and none was found in the environment or config files."""


class ServiceError(AwsGenError):
    """An error response from the service.

    Generated packages subclass this once per service and once per modeled error
    shape; an error code the model does not know raises the service's base class.
    """

    code: str
    message: str
    status_code: int
    request_id: str | None

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "",
        status_code: int = 0,
        request_id: str | None = None,
        headers: dict[str, str] | None = None,
        **members: Any,
    ) -> None:
        self.code = code
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.headers = headers or {}
        for name, value in members.items():
            setattr(self, name, value)
        super().__init__(f"{code or type(self).__name__} (HTTP {status_code}): {message}")
