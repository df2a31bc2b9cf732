"""boto3's exceptions: ``ClientError`` (``.response``, ``.operation_name``), a subclass per
modeled error (``client.exceptions.<Name>``) and ``ParamValidationError``.

Catchable as botocore's: when botocore can be imported, the classes are built on
``botocore.exceptions.ClientError`` and ``ParamValidationError``, so ``except
botocore.exceptions.ClientError`` catches them. They are built at first need (the first
error, or the first look at them), and botocore is imported only then, and only if it is
installed: a program that never sees an error never imports it, and without botocore the
classes have bases of their own with the same message, attributes and pickling.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.RLock()
_BASES: dict[str, type[Exception]] = {}
_PER_SERVICE: dict[tuple[str, str], type[Exception]] = {}


class _OwnClientError(Exception):
    """botocore's ClientError, where botocore is not installed."""

    def __init__(self, error_response: dict[str, Any], operation_name: str) -> None:
        error = error_response.get("Error", {})
        meta = error_response.get("ResponseMetadata", {})
        retry = ""
        if meta.get("MaxAttemptsReached", False) and "RetryAttempts" in meta:
            retry = f" (reached max retries: {meta['RetryAttempts']})"
        super().__init__(f"An error occurred ({error.get('Code', 'Unknown')}) when calling the {operation_name} "
                         f"operation{retry}: {error.get('Message', 'Unknown')}")
        self.response = error_response
        self.operation_name = operation_name

    def __reduce__(self) -> Any:
        return self.__class__, (self.response, self.operation_name)


class _OwnParamValidationError(ValueError):
    """botocore's ParamValidationError, where botocore is not installed."""

    def __init__(self, *, report: str) -> None:
        super().__init__(f"Parameter validation failed:\n{report}")
        self.kwargs = {"report": report}


def _bases() -> dict[str, type[Exception]]:
    if not _BASES:
        with _LOCK:
            if not _BASES:
                found: dict[str, type[Exception]] = {"ClientError": _OwnClientError,
                                                     "ParamValidationError": _OwnParamValidationError}
                import importlib.util  # at the first error: find_spec is not needed before

                if importlib.util.find_spec("botocore") is not None:
                    import botocore.exceptions as bx  # type: ignore[import-untyped, unused-ignore]

                    found = {"ClientError": bx.ClientError, "ParamValidationError": bx.ParamValidationError}
                _BASES.update(found)
    return _BASES


def event_stream_error_class() -> type[Exception]:
    """``EventStreamError`` (an exception event of a streaming answer): botocore's, a
    ClientError, when botocore is installed, else a ClientError of this module's own."""
    found = _BASES.get("EventStreamError")
    if found is None:
        with _LOCK:
            found = _BASES.get("EventStreamError")
            if found is None:
                base = _bases()["ClientError"]
                if base is _OwnClientError:
                    found = type("EventStreamError", (_OwnClientError,), {"__module__": __name__})
                else:
                    import botocore.exceptions as bx  # type: ignore[import-untyped, unused-ignore]

                    found = bx.EventStreamError
                _BASES["EventStreamError"] = found
    return found


def client_error_class() -> type[Exception]:
    """``ClientError``: botocore's when botocore is installed, else this module's own."""
    return _bases()["ClientError"]


# botocore's own words for the rule-set errors it translates (its
# EndpointRulesetResolver.ruleset_error_to_botocore_exception): class name -> message format
_ENDPOINT_FORMATS = {
    "InvalidHostLabelError": 'Invalid host label to be bound to the hostname of the endpoint: "{}".',
    "UnsupportedS3ConfigurationError": "Unsupported configuration when using S3: {}",
    "UnsupportedS3AccesspointConfigurationError": "Unsupported configuration when using S3 access-points: {}",
    "UnsupportedS3ControlConfigurationError": "Unsupported configuration when using S3 Control: {}",
    "InvalidEndpointConfigurationError": "Invalid endpoint configuration: {}",
}
_S3_ACCESS_POINT = ("S3 Outposts does not support", "S3 MRAP does not support", "S3 Object Lambda does not support",
                    "Access Points do not support", "Invalid configuration:", "Client was configured for partition")


def endpoint_error(service: str, message: str) -> Exception | None:
    """The exception botocore raises for a rule-set error with this message, when it
    translates it into one of its own (else None: botocore's EndpointResolutionError)."""
    name, value = None, message
    if message.startswith("Invalid region in ARN: "):
        name, value = "InvalidHostLabelError", (message.split("`")[1] if "`" in message else message)
    elif service == "s3":
        if message in ("S3 Object Lambda does not support S3 Accelerate", "Accelerate cannot be used with FIPS"):
            name = "UnsupportedS3ConfigurationError"
        elif message.startswith(_S3_ACCESS_POINT):
            name = "UnsupportedS3AccesspointConfigurationError"
        elif message.lower().startswith("invalid arn:"):
            return param_validation_error(message)
    elif service == "s3control":
        if message.startswith(("Invalid configuration:", "Client was configured for partition")):
            name = "UnsupportedS3ControlConfigurationError"
        elif message == "AccountId is required but not set":
            return param_validation_error(message)
    elif service == "events" and (message == "EndpointId must be a valid host label." or message.startswith(
            "Invalid Configuration: FIPS is not supported with EventBridge multi-region endpoints.")):
        name = "InvalidEndpointConfigurationError"
    if name is None:
        return None
    import importlib.util

    if importlib.util.find_spec("botocore") is not None:
        import botocore.exceptions as bx  # type: ignore[import-untyped, unused-ignore]

        kwargs = {"label": value} if name == "InvalidHostLabelError" else {"msg": value}
        return getattr(bx, name)(**kwargs)  # type: ignore[no-any-return]
    own: type[Exception] = type(name, (ValueError,), {"__module__": __name__})
    return own(_ENDPOINT_FORMATS[name].format(value))


def param_validation_error(report: str) -> Exception:
    cls: Any = _bases()["ParamValidationError"]
    return cls(report=report)  # type: ignore[no-any-return]


def modeled_error_class(service: str, name: str) -> type[Exception]:
    """The ClientError subclass of a modeled error (one class per service and name, as
    botocore's ``client.exceptions``)."""
    key = (service, name)
    found = _PER_SERVICE.get(key)
    if found is None:
        with _LOCK:
            found = _PER_SERVICE.get(key)
            if found is None:
                found = _PER_SERVICE[key] = type(name, (_bases()["ClientError"],), {"__module__": __name__})
    return found


class ClientExceptions:
    """``client.exceptions``: ``ClientError``, one attribute per modeled error, ``from_code``."""

    def __init__(self, service: str, codes: dict[str, str]) -> None:
        self._service = service
        self._codes = codes  # error code -> exception name
        self._names = frozenset(codes.values())

    @property
    def ClientError(self) -> type[Exception]:  # noqa: N802 - boto3's name
        return client_error_class()

    def __getattr__(self, name: str) -> type[Exception]:
        if name in self._names:
            return modeled_error_class(self._service, name)
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return sorted({*self._names, "ClientError", "from_code"})

    def from_code(self, code: str) -> type[Exception]:
        name = self._codes.get(code)
        return client_error_class() if name is None else modeled_error_class(self._service, name)
