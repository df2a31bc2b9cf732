"""What every generated ``compat.py`` builds on: :class:`CompatCore`, mixed into the typed
client to keep error answers raw, and :class:`Boto3ClientBase`, the boto3-shaped client
whose generated methods call :meth:`Boto3ClientBase._call`."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, ClassVar

from ..client import _PARSE_FAILURES, ClientCore, OperationInfo, _reason, oauth2_message
from ..errors import EndpointResolutionError, ServiceError
from ..retries import is_retryable
from ..transport import HttpResponse
from ..wire import Request, header_map
from .errors import ClientExceptions, endpoint_error


class RawServiceError(ServiceError):
    """An error answer on its way to becoming a ClientError: the typed client's retry and
    redirect decisions read its ``code``; the compat client reads the answer itself."""

    def __init__(self, code: str, response: HttpResponse, body: Any) -> None:
        super().__init__("", code=code, status_code=response.status)
        self.response = response
        self.body = body
        self.attempts = 1


class CompatCore(ClientCore):
    """Mixed in before a generated typed client: the same endpoint, signing, retries and
    transport; error answers become :class:`RawServiceError` (no typed error parsing).
    The attempts a call made come on its answer (``HttpResponse.attempts``) or its error.
    Unless the code, environment or config file says otherwise, retries are botocore's
    default mode, legacy (the service's ``_retry.json`` policy)."""

    _DEFAULTS = {"retry_mode": "legacy"}

    def _error(self, resp: HttpResponse) -> ServiceError:
        code, _, body = type(self)._ERROR_INFO(resp, self._QUERY_COMPATIBLE)
        return RawServiceError(code, resp, body)


def response_metadata(resp: HttpResponse, attempts: int, rest: bool,
                      base: dict[str, Any] | None = None) -> dict[str, Any]:
    """botocore's ResponseMetadata: the request id (rest protocols also take S3's header
    and its host id), status, headers with lower-case names, and retries made. ``base``:
    what the answer's document gave (query, ec2, XML errors), then no header is read for it."""
    headers = header_map(resp.headers)  # lower-case names: plain dict lookups below
    meta: dict[str, Any] = {} if base is None else base
    request_id = headers.get("x-amzn-requestid") if base is None else None
    if request_id is not None:
        meta["RequestId"] = request_id
    elif base is None and rest and headers.get("x-amz-request-id") is not None:
        meta["RequestId"] = headers["x-amz-request-id"]
        meta["HostId"] = headers.get("x-amz-id-2", "")
    meta["HTTPStatusCode"] = resp.status
    meta["HTTPHeaders"] = headers
    meta["RetryAttempts"] = attempts - 1
    return meta


# Protocols whose error answers are XML, read by awsgen_runtime.boto3_compat._xml's layouts
XML_ERRORS = frozenset({"query", "ec2", "rest-xml"})

def generic_error(status: int, body: bytes) -> bool:
    """botocore's generic error answer: a 5xx that is not the protocol's (empty, or an HTML page)."""
    text = body.strip()
    return status >= 500 and (not text or text.startswith(b"<html>"))


def _json_error(resp: HttpResponse, body: Any, protocol: str) -> dict[str, Any]:
    """The ``Error`` of a JSON error answer, as botocore's JSON parsers read it."""
    status = resp.status
    text = resp.body.strip()
    if generic_error(status, resp.body):
        return {"Code": str(status), "Message": _reason(status)}
    if body is None:  # not a JSON object
        body = {"message": resp.body.decode("utf-8", "replace")} if text else {}
    error: dict[str, Any] = {"Message": body.get("message", body.get("Message", "")), "Code": ""}
    code: Any = body.get("__type", str(status))
    if protocol == "rest-json":
        header = resp.headers.get("x-amzn-errortype")
        if header is not None:
            code = header
        elif "code" in body or "Code" in body:
            code = body.get("code", body.get("Code", ""))
    if isinstance(code, str):
        code = code.split(":", 1)[0].rsplit("#", 1)[-1]
        query = resp.headers.get("x-amzn-query-error")
        if query is not None and ";" in query:  # a query-compatible service: the query error code
            query_code, _, kind = query.partition(";")
            error["QueryErrorCode"] = code
            error["Type"] = kind
            code = query_code
    error["Code"] = code
    return error


def _legacy_retryable(core: Any, status: int, code: str) -> bool:
    legacy = core._retry.legacy
    return bool(legacy.retryable(status, code)) if legacy is not None else is_retryable(status, code)


class Boto3ClientBase:
    """A boto3-shaped client over a typed client's core (see the generated ``compat.py``)."""

    _CORE: ClassVar[type[CompatCore]]
    _SERVICE_NAME: ClassVar[str] = ""
    # error code -> (exception name, parser of its modeled members)
    _ERRORS: ClassVar[dict[str, tuple[str, Callable[[HttpResponse, dict[str, Any]], dict[str, Any]]]]] = {}
    _OPERATIONS: ClassVar[dict[str, str]] = {}  # method name -> operation name

    def __init__(self, core: CompatCore) -> None:
        self._core = core
        self._rest = core._PROTOCOL.startswith("rest-")
        # query, ec2: ResponseMetadata comes from the answer's document, also without output
        self._document_meta: Callable[[HttpResponse], dict[str, Any]] | None = None
        if core._PROTOCOL in ("query", "ec2"):
            from ._xml import META_ONLY

            self._document_meta = META_ONLY[core._PROTOCOL]
        self._exceptions: ClientExceptions | None = None
        self.meta = ClientMeta(self)

    def __repr__(self) -> str:
        return f"<boto3_compat {self._SERVICE_NAME} client: {self._core.endpoint_url}>"

    @property
    def exceptions(self) -> ClientExceptions:
        if self._exceptions is None:
            self._exceptions = ClientExceptions(self._SERVICE_NAME, {c: n for c, (n, _) in self._ERRORS.items()})
        return self._exceptions

    def _call(self, req: Request, op: OperationInfo, parse: Callable[[HttpResponse], dict[str, Any]] | None,
              ctx: dict[str, Any] | None) -> dict[str, Any]:
        core: Any = self._core  # a generated typed client (a BaseClient) with CompatCore mixed in
        try:
            resp = core._send(req, op, ctx)
        except RawServiceError as exc:
            raise self._client_error(exc, op.name) from None
        except EndpointResolutionError as exc:  # a few become botocore's own classes
            mapped = endpoint_error(self._SERVICE_NAME, str(exc))
            if mapped is None:
                raise
            raise mapped from None
        if parse is None:  # query, ec2: an answer without output still gives ResponseMetadata
            parse = self._document_meta
        out: dict[str, Any] = core._parse(parse, resp, op) if parse is not None else {}
        attempts = resp.attempts
        meta = out["ResponseMetadata"] = response_metadata(
            resp, attempts, self._rest, out.get("ResponseMetadata", {}) if self._document_meta else None)
        if attempts >= core._retry.max_attempts and core._config.retry_mode != "legacy":
            meta["MaxAttemptsReached"] = True  # standard mode says so of any answer (botocore)
        return out

    def _client_error(self, exc: RawServiceError, operation: str) -> Exception:
        resp = exc.response
        base: dict[str, Any] | None = None
        if self._core._PROTOCOL in XML_ERRORS:  # botocore's XML error layouts (._xml)
            from ._xml import error_response

            parsed, body = error_response(resp, self._core._PROTOCOL)
            found = parsed.get("Error")
            error = found if isinstance(found, dict) else {}
            parsed["Error"] = error  # an <Error> holding only text: no Code or Message, not a crash
            base = parsed.get("ResponseMetadata", {})
        else:
            body = exc.body if isinstance(exc.body, dict) else {}
            message = oauth2_message(body) if body and self._core._OAUTH2_ERRORS else None
            if message is not None:  # botocore's _map_oauth2_errors handler (customization oauth2_errors)
                body = {**body, "Message": message}
            error = _json_error(resp, body if exc.body is not None else None, self._core._PROTOCOL)
            parsed = {"Error": error}
        meta = response_metadata(resp, exc.attempts, self._rest, base)
        core: Any = self._core
        if exc.attempts >= core._retry.max_attempts and (
                core._config.retry_mode != "legacy" or _legacy_retryable(core, resp.status, exc.code)):
            # botocore: standard mode marks any answer of the last attempt; legacy mode an
            # error its policy retries
            meta["MaxAttemptsReached"] = True
        parsed["ResponseMetadata"] = meta
        code = error.get("QueryErrorCode") or error.get("Code")
        modeled = self._ERRORS.get(code) if isinstance(code, str) else None
        if modeled is not None and body is not None:
            try:
                parsed.update(modeled[1](resp, body))
            except _PARSE_FAILURES:
                pass  # the code and message are known; malformed modeled members are dropped (as the typed client)
        cls = self.exceptions.from_code(error["Code"]) if isinstance(error.get("Code"), str) else \
            self.exceptions.ClientError
        return cls(parsed, operation)

    # ----- boto3's client methods beyond the operations ------------------------------------
    def close(self) -> None:
        self._core.close()  # type: ignore[attr-defined]

    # paginators by method name (model member names in their paths) and waiters by boto3's
    # name: (waiter name, operation method, delay, max attempts, acceptors); see compat.py
    _PAGINATORS: ClassVar[dict[str, Any]] = {}
    _WAITERS: ClassVar[dict[str, Any]] = {}

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` has a paginator (boto3's method name,
        e.g. "list_tables"); a name that is no method of the client raises KeyError."""
        if operation_name not in self._OPERATIONS:  # (boto3 too; it says False for a service with no
            # paginators file at all, where botocore has none; every manifest service has one)
            raise KeyError(f"{operation_name!r} is no operation method of the {self._SERVICE_NAME} client "
                           f"(boto3's names, e.g. {next(iter(self._OPERATIONS), '')!r})")
        return operation_name in self._PAGINATORS

    def get_paginator(self, operation_name: str) -> Any:
        """boto3's paginator of an operation (``paginate(**params, PaginationConfig=...)``)."""
        from .paginate import Paginator, botocore_error

        if not self.can_paginate(operation_name):
            raise botocore_error("OperationNotPageableError")(operation_name=operation_name)
        return Paginator(getattr(self, operation_name), self._PAGINATORS[operation_name])

    @property
    def waiter_names(self) -> list[str]:
        """boto3's names of the service's waiters, sorted."""
        return sorted(self._WAITERS)

    def get_waiter(self, waiter_name: str) -> Any:
        """boto3's waiter by its name (e.g. "table_exists"): ``wait(**params, WaiterConfig=...)``."""
        spec = self._WAITERS.get(waiter_name)
        if spec is None:
            raise ValueError(f"Waiter does not exist: {waiter_name}")
        from .waiter import Waiter

        return Waiter(spec, self._OPERATIONS[spec[1]], getattr(self, spec[1]))

    def generate_presigned_url(self, ClientMethod: str, Params: dict[str, Any] | None = None,  # noqa: N803
                               ExpiresIn: int = 3600, HttpMethod: str | None = None) -> str:
        """boto3's presigned URL of a call: ``Params`` go through the operation's method as
        for a call (S3's handlers, botocore's validation, the endpoint rules; nothing is
        sent), then the typed client's SigV4 query signing (``ClientCore._presign``: S3's
        global endpoint for presigning, a form body moved into the query); a JSON body's
        top-level members become query parameters, as botocore's SigV4QueryAuth moves them."""
        if ClientMethod not in self._OPERATIONS:
            import importlib.util

            if importlib.util.find_spec("botocore") is not None:
                import botocore.exceptions as bx  # type: ignore[import-untyped, unused-ignore]

                raise bx.UnknownClientMethodError(method_name=ClientMethod)
            raise ValueError(f"Client does not have method: {ClientMethod}")
        captured: list[tuple[Request, OperationInfo, dict[str, Any] | None]] = []
        capture = copy.copy(self)  # the same core; its _call keeps the request instead of sending it

        def keep(req: Request, op: OperationInfo, parse: Any, ctx: dict[str, Any] | None) -> dict[str, Any]:
            captured.append((req, op, ctx))
            return {}

        capture._call = keep  # type: ignore[method-assign]
        getattr(capture, ClientMethod)(**dict(Params or {}))
        req, op, ctx = captured[0]
        if HttpMethod is not None:
            req.method = HttpMethod
        body = req.body
        if isinstance(body, (bytes, bytearray)) and body[:1] == b"{" and self._core._PROTOCOL in ("json", "rest-json"):
            import json
            from urllib.parse import quote

            members = json.loads(body)
            pairs = [(k, x) for k, v in (members.items() if isinstance(members, dict) else ())
                     for x in (v if isinstance(v, list) else [v])]
            extra = "&".join(quote(str(k), safe="-._~") + "=" + quote(str(x), safe="-._~") for k, x in pairs)
            req.query = "&".join(x for x in (req.query, extra) if x)
            req.body = b""
        elif not isinstance(body, (bytes, bytearray)):
            req.body = b""  # a file to upload: not part of the URL
        if self._SERVICE_NAME == "s3":
            from ._presign import presign_v2, uses_sigv2

            if uses_sigv2(self._core, getattr(self, "_signature_version", None)):
                return presign_v2(self._core, req, op, ExpiresIn, ctx)
        return self._core._presign(req, op, ExpiresIn, ctx)


class ClientMeta:
    """``client.meta``: ``region_name``, ``endpoint_url``, ``service_model``-less (see README);
    ``events`` is not provided (no event hooks)."""

    def __init__(self, client: Boto3ClientBase) -> None:
        self._client = client

    @property
    def region_name(self) -> str | None:
        return self._client._core.region

    @property
    def endpoint_url(self) -> str:
        return self._client._core.endpoint_url

    @property
    def method_to_api_mapping(self) -> dict[str, str]:
        return dict(self._client._OPERATIONS)

    @property
    def events(self) -> Any:
        raise NotImplementedError("boto3_compat clients have no event hooks (meta.events); see the README")


_PATHS: dict[str, Any] = {}


def jmespath_search(expression: str, data: Any) -> Any:
    """An operation context parameter's path over the input dict (compiled once)."""
    found = _PATHS.get(expression)
    if found is None:
        import jmespath  # type: ignore[import-untyped, unused-ignore]

        found = _PATHS[expression] = jmespath.compile(expression)
    value = found.search(data)
    return tuple(value) if isinstance(value, list) else value  # endpoint parameters are cached by value
