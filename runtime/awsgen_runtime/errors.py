"""Every exception a generated client raises derives from :class:`AwsGenError`.

Callers can catch one base class; each failure kind has its own subclass so that a
bad response, a bad parameter and a network failure are told apart without parsing
message text.
"""

from __future__ import annotations

from typing import Any, ClassVar


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
    """The request could not be sent or its answer not received.

    ``host`` and ``port`` name the endpoint (None where unknown); each failure kind has
    its own subclass below, and a failure none of them fits is this class itself. The
    message says what went wrong and what to check.

    Retries: ``retryable`` says whether standard-mode retries send the request again,
    ``timeout`` whether a retry takes ``RetryConfig.timeout_retry_cost`` from the retry
    quota instead of ``retry_cost`` (:func:`awsgen_runtime.retries.transport_retry_cost`
    reads both). The decisions are botocore 1.43.67's in standard mode: every failure of
    its ``ConnectionError`` and ``HTTPClientError`` families is retried, and only its
    connect and read timeouts cost the higher amount. This class itself (an unclassified
    failure, botocore's ``HTTPClientError``): retried, at ``retry_cost``.
    """

    retryable: ClassVar[bool] = True
    timeout: ClassVar[bool] = False
    _TEXT: ClassVar[str] = "the request to {where} failed{reason}"

    def __init__(
        self, message: str | None = None, *, host: str | None = None, port: int | None = None, reason: str = ""
    ) -> None:
        self.host = host
        self.port = port
        if message is None:
            name = "the endpoint" if host is None else f"[{host}]" if ":" in host else host
            where = f"'{name}:{port}'" if host is not None and port is not None else f"'{name}'"
            message = self._TEXT.format(host=host, where=where, reason=f" ({reason})" if reason else "",
                                        **self._more())
        super().__init__(message)

    def _more(self) -> dict[str, str]:
        """More fields for the message (a subclass's own)."""
        return {}


class NameResolutionError(TransportError):
    """The endpoint's host name did not resolve to an address (DNS).

    Retried, at ``retry_cost``: botocore raises its ``EndpointConnectionError`` for it,
    one of the ``ConnectionError`` family it retries.
    """

    _TEXT = "could not resolve host name '{host}'{reason}: check the endpoint URL or region, and the network's DNS"


class EndpointConnectionError(TransportError):
    """No connection could be made to the endpoint's address: refused (nothing listens on
    that port), host or network unreachable.

    Retried, at ``retry_cost`` (botocore's ``EndpointConnectionError``).
    """

    _TEXT = ("could not connect to {where}{reason}: check the endpoint URL and port, that the service is up, "
             "and that no firewall is in the way")


class TLSError(TransportError):
    """The TLS handshake failed: the certificate did not verify (unknown issuer, wrong host
    name, expired) or the two sides agreed on no protocol.

    Retried, at ``retry_cost``: botocore's ``SSLError`` is one of its ``ConnectionError``
    family and is retried like the rest, though a certificate that does not verify rarely
    verifies a moment later.
    """

    _TEXT = ("TLS with {where} failed{reason}: check that the endpoint URL's host name is the certificate's, "
             "the CA bundle (Config verify=) and the system clock")


class ProxyConnectionError(TransportError):
    """The proxy could not be reached, or would not connect to the endpoint.

    Retried, at ``retry_cost`` (botocore's ``ProxyConnectionError``, a ``ConnectionError``).
    """

    _TEXT = "could not reach {where} through the proxy{proxy}{reason}: check the proxy's address and that it is up"

    def __init__(self, message: str | None = None, *, host: str | None = None, port: int | None = None,
                 reason: str = "", proxy: str | None = None) -> None:
        self.proxy = proxy  # scheme://host:port of the proxy, without credentials; None where unknown
        super().__init__(message, host=host, port=port, reason=reason)

    def _more(self) -> dict[str, str]:
        return {"proxy": f" {self.proxy}" if self.proxy else ""}


class ConnectTimeoutError(TransportError):
    """Connecting to the endpoint took longer than the connect timeout.

    Retried, at ``timeout_retry_cost`` (botocore's ``ConnectTimeoutError``).
    """

    timeout = True
    _TEXT = ("connecting to {where} timed out{reason}: check the endpoint URL, the network and firewalls "
             "(Config connect_timeout sets the wait)")


class ReadTimeoutError(TransportError):
    """The endpoint did not answer (or stopped sending its answer) within the read timeout.

    Retried, at ``timeout_retry_cost`` (botocore's ``ReadTimeoutError``, an ``HTTPClientError``).
    """

    timeout = True
    _TEXT = ("{where} sent nothing in time{reason}: the service may be slow or the network lossy "
             "(Config read_timeout sets the wait)")


class ConnectionClosedError(TransportError):
    """The connection was closed or reset before the whole answer arrived: no answer at
    all, or a body shorter than its ``Content-Length``.

    Retried, at ``retry_cost`` (botocore's ``ConnectionClosedError``, an ``HTTPClientError``).
    """

    _TEXT = ("the connection to {where} was closed before the whole answer arrived{reason}: usually transient; "
             "if it persists, check proxies and load balancers on the way")


class EndpointResolutionError(AwsGenError):
    """The endpoint rule set rejected the parameters; the text is the rule set's."""


class PaginationError(AwsGenError):
    """A paginated listing cannot go on (the service sent the same next token twice)."""


class MissingDependencyError(AwsGenError, ImportError):
    """A feature needs an optional package that is not installed; the message names it."""


class ConfigError(AwsGenError, ValueError):
    """A setting has a value it cannot take; the message names where the value came from
    (the argument, the environment variable, or the config file and key)."""


class NoCredentialsError(AwsGenError):
    """No AWS credentials were found in any of the places searched."""


class CredentialRetrievalError(NoCredentialsError):
    """A configured credential source failed: the instance metadata service, the container
    endpoint, STS, SSO or a ``credential_process``. ``provider`` names it; the message says
    what failed and never contains a secret."""

    def __init__(self, provider: str, message: str) -> None:
        self.provider = provider
        super().__init__(f"{provider}: {message}")


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
    attempts: int = 1  # attempts the call made (set by the client when it gives up)

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
