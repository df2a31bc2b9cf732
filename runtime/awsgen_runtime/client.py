"""The part of every generated client that does not depend on the model.

A generated ``Client`` subclasses :class:`BaseClient`, sets a few class attributes
(service identity, protocol, error table) and defines one method per operation. The
methods build a :class:`~awsgen_runtime.wire.Request` with generated code and hand it
to :meth:`BaseClient._send`, which adds the endpoint, signs, sends, retries and turns
error responses into exceptions.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import platform
import re
import threading
import zlib
from urllib.parse import quote
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Generator, TypeVar

from . import __version__
from .credentials import resolve_credentials, resolve_region
from .profiles import SharedFiles
from .settings import configured_endpoint, resolve_config
from .errors import (
    ChecksumMismatchError,
    ConfigError,
    NoRegionError,
    ParamValidationError,
    ResponseParseError,
    ServiceError,
    TransportError,
)
from .retries import (
    THROTTLING_CODES, LegacyPolicy, RetryConfig, RetryQuota, backoff, is_retryable, transport_retry_cost,
)
from .sigv4 import MAX_PRESIGN_EXPIRES, Credentials, SigV4Signer, presign_url
from .transport import HttpRequest, HttpResponse, Transport, Urllib3Transport
from .wire import Request, WireTypeError

if TYPE_CHECKING:
    from .credentials import CredentialSource

T = TypeVar("T")


class Config:
    """Client settings other than identity (region, endpoint, credentials).

    A setting left as None is read from the environment, then from the profile in the
    config file, then takes its default (awsgen_runtime.settings; README's "Settings").

    - ``connect_timeout``, ``read_timeout``: seconds (10, 60).
    - ``max_pool_connections``: connections kept per endpoint (10).
    - ``validate``: check parameters against the model before sending (True;
      ``parameter_validation`` in the config file).
    - ``retry_mode``: ``"standard"`` (the default) or ``"adaptive"`` (standard, plus a
      client-side rate limit that slows down when the service throttles); ``"legacy"``:
      botocore's legacy mode with the service's policy from botocore's ``_retry.json``
      (what it retries, its attempts: 5, DynamoDB's 10; its backoff; no retry quota).
      ``max_attempts``: attempts in all, the first included (3; legacy: the policy's).
      ``retry`` gives every retry setting at once instead.
    - ``use_fips``, ``use_dualstack``: endpoint variants, through the rule set.
    - ``verify``: TLS verification, or a CA bundle path (``AWS_CA_BUNDLE``, ``ca_bundle``).
    - ``proxies``: ``{"https": "http://proxy:3128", "http": ...}``; else ``HTTPS_PROXY``,
      ``HTTP_PROXY`` and ``NO_PROXY`` from the environment, as botocore.
    - ``user_agent_appid``: an application id for the User-Agent (``sdk_ua_app_id``).
    - ``request_checksum_calculation``, ``response_checksum_validation``: ``"when_supported"``
      (the default: a CRC32 of every body an operation can checksum; answers' checksums
      checked) or ``"when_required"``, as botocore's settings of the same names.
    - ``account_id_endpoint_mode``: ``"preferred"`` (default), ``"required"`` or
      ``"disabled"``: whether account-based endpoints (DynamoDB) use the credentials'
      account id.
    - ``s3``: S3 settings as botocore names them: ``{"addressing_style": "path"}``
      (``"auto"``, ``"virtual"`` or ``"path"``), ``{"use_accelerate_endpoint": True}``,
      ``{"us_east_1_regional_endpoint": "regional"}`` (``"legacy"``, the default, sends
      us-east-1 requests to the global ``s3.amazonaws.com`` as botocore does).

    A plain class, not a dataclass: ``dataclasses`` costs ~6 ms to import.
    """

    __slots__ = (
        "connect_timeout", "read_timeout", "max_pool_connections", "validate", "max_attempts",
        "user_agent_extra", "verify", "retry", "use_fips", "use_dualstack", "s3",
        "request_checksum_calculation", "response_checksum_validation", "retry_mode", "proxies",
        "user_agent_appid", "account_id_endpoint_mode",
    )
    # Set through setattr after checking (lower-cased, as botocore).
    request_checksum_calculation: str | None
    response_checksum_validation: str | None
    retry_mode: str | None
    account_id_endpoint_mode: str | None

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        validate: bool | None = None,
        max_attempts: int | None = None,
        user_agent_extra: str = "",
        verify: bool | str | None = None,
        retry: RetryConfig | None = None,
        use_fips: bool | None = None,
        use_dualstack: bool | None = None,
        s3: dict[str, Any] | None = None,
        request_checksum_calculation: str | None = None,
        response_checksum_validation: str | None = None,
        retry_mode: str | None = None,
        proxies: dict[str, str] | None = None,
        user_agent_appid: str | None = None,
        account_id_endpoint_mode: str | None = None,
    ) -> None:
        if max_attempts is not None and max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        self.validate = validate
        self.max_attempts = max_attempts
        self.user_agent_extra = user_agent_extra
        self.verify = verify
        self.retry = retry
        self.use_fips = use_fips
        self.use_dualstack = use_dualstack
        self.s3 = dict(s3 or {})
        self.proxies = dict(proxies) if proxies else None
        self.user_agent_appid = user_agent_appid
        style = self.s3.get("addressing_style", "auto")
        if style not in ("auto", "virtual", "path"):
            raise ValueError(f"s3 addressing_style must be 'auto', 'virtual' or 'path', not {style!r}")
        for name, value, allowed in (
            ("request_checksum_calculation", request_checksum_calculation, ("when_supported", "when_required")),
            ("response_checksum_validation", response_checksum_validation, ("when_supported", "when_required")),
            ("retry_mode", retry_mode, ("standard", "adaptive", "legacy")),
            ("account_id_endpoint_mode", account_id_endpoint_mode, ("preferred", "required", "disabled")),
        ):
            if value is not None:
                value = value.lower() if isinstance(value, str) else value  # as botocore
                if value not in allowed:
                    raise ValueError(f"{name} must be {' or '.join(repr(a) for a in allowed)}, not {value!r}")
            setattr(self, name, value)
        regional = self.s3.get("us_east_1_regional_endpoint", "legacy")
        if regional not in ("legacy", "regional"):
            raise ValueError(f"s3 us_east_1_regional_endpoint must be 'legacy' or 'regional', not {regional!r}")

    def copy(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied (and checked as the constructor checks them)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Config(**values)

    @property
    def s3_force_path_style(self) -> bool:
        return self.s3.get("addressing_style") == "path"

    @property
    def s3_accelerate(self) -> bool:
        return bool(self.s3.get("use_accelerate_endpoint", False))

    def s3_use_global_endpoint(self, region: str | None) -> bool:
        """S3's ``AWS::S3::UseGlobalEndpoint``: us-east-1 on the global host unless asked."""
        return region in ("us-east-1", None) and self.s3.get("us_east_1_regional_endpoint", "legacy") == "legacy"

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Config({fields})"


class OperationInfo:
    """What the client needs to know about one operation at send time.

    ``endpoint_params``: the rule-set parameters the operation fixes (its static
    context params), as sorted (name, value) pairs. ``error_in_200``: a 200 answer
    whose XML body is an ``<Error>``, or is cut short, is an error (S3's quirk).
    ``expect_continue``: the request asks "Expect: 100-continue" for a file-like body (1)
    or any body (2); see awsgen_runtime.transport. ``unsigned_body``: the signature leaves
    the body out (``X-Amz-Content-SHA256: UNSIGNED-PAYLOAD``; the model's authtype
    ``v4-unsigned-body``, as botocore signs it).
    """

    __slots__ = ("name", "signed", "streaming_output", "endpoint_params", "error_in_200", "checksum",
                 "response_checksum", "expect_continue", "unsigned_body")

    def __init__(
        self,
        name: str,
        signed: bool = True,
        streaming_output: bool = False,
        endpoint_params: tuple[tuple[str, Any], ...] = (),
        error_in_200: bool = False,
        checksum: tuple[str | None, bool, bool] | None = None,
        response_checksum: tuple[str, tuple[str, ...]] | None = None,
        expect_continue: int = 0,
        unsigned_body: bool = False,
    ) -> None:
        self.name = name
        self.signed = signed
        self.streaming_output = streaming_output
        self.endpoint_params = endpoint_params
        self.error_in_200 = error_in_200
        # The model's httpChecksum trait: (header of the algorithm member, checksum
        # required, streaming input) and (header of the validation mode member, the
        # response algorithms); see awsgen_runtime.checksums.
        self.checksum = checksum
        self.response_checksum = response_checksum
        self.expect_continue = expect_continue
        self.unsigned_body = unsigned_body


_PY = platform.python_version()
_RESOLVING = threading.Lock()  # first resolutions of credentials, one at a time per process
_ENVIRON = os.environ
# A Lambda function's environment names it from the start; the trace id changes per invocation.
_IN_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in _ENVIRON
_FORM = "application/x-www-form-urlencoded; charset=utf-8"
# What a response that breaks the model can make parsing raise; all become ResponseParseError.
# RecursionError: JSON nested deeper than the interpreter's stack.
_PARSE_FAILURES = (WireTypeError, TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError,
                   RecursionError)


class ClientCore:
    """What the blocking and the asyncio clients share: endpoint, signing, retries and
    error mapping, as steps that do no I/O (:meth:`_exchange`). :class:`BaseClient`
    drives them on a blocking transport, ``awsgen_runtime.aio.AsyncBaseClient`` on asyncio."""

    _SERVICE_ID: ClassVar[str] = ""
    _SERVICE_NAME: ClassVar[str] = ""  # the package's service name, for the user agent
    _PROTOCOL: ClassVar[str] = "rest-json"
    _QUERY_COMPATIBLE: ClassVar[bool] = False
    _SIGNING_NAME: ClassVar[str] = ""
    # S3's SigV4 variant (the model's signatureVersion "s3v4"): see SigV4Signer(s3=True).
    _S3_SIGNING: ClassVar[bool] = False
    # Presigned URLs on S3's global endpoint (a customization: presign_on_global_endpoint).
    _PRESIGN_GLOBAL: ClassVar[bool] = False
    # Requests sent again to the bucket's region (a customization: region_redirects).
    _REGION_REDIRECT: ClassVar[bool] = False
    # Headers every request carries unless it sets them (a customization: default_headers).
    _DEFAULT_HEADERS: ClassVar[tuple[tuple[str, str], ...]] = ()
    # OAuth2 error bodies (SSO OIDC): "error_description" is the message (a customization)
    _OAUTH2_ERRORS: ClassVar[bool] = False
    # Settings' defaults that differ from the runtime's (the compat client's retry mode)
    _DEFAULTS: ClassVar[dict[str, Any] | None] = None
    # botocore's legacy retry policy of the service (retry_mode="legacy"), from _retry.json
    _LEGACY_RETRY: ClassVar[tuple[Any, ...] | None] = None
    _DEFAULT_ANONYMOUS: ClassVar[bool] = False
    _ASYNC: ClassVar[bool] = False  # the asyncio client (awsgen_runtime.aio)
    _ERROR_BASE: ClassVar[type[ServiceError]] = ServiceError
    _ERRORS: ClassVar[dict[str, tuple[type[ServiceError], Any]]] = {}
    # (response, query_compatible) -> (code, message, body for the error parsers): the
    # protocol's, from awsgen_runtime.protocols.
    _ERROR_INFO: ClassVar[Callable[[HttpResponse, bool], tuple[str, str, Any]]]

    def __init__(
        self,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        credentials: CredentialSource | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        profile: str | None = None,
        anonymous: bool | None = None,
        config: Config | None = None,
        transport: Any = None,
    ) -> None:
        # Settings left unset in code come from the environment, then the config file.
        files = SharedFiles(_ENVIRON, ConfigError)
        self._config = resolve_config(config or Config(), profile, _ENVIRON, files, self._DEFAULTS)
        if endpoint_url is None:
            endpoint_url = configured_endpoint(self._SERVICE_ID, profile, _ENVIRON, files)
        if anonymous is None:
            # A service used without credentials by default still signs when given some
            # (or a profile to take them from).
            anonymous = (
                self._DEFAULT_ANONYMOUS and credentials is None and aws_access_key_id is None and profile is None
            )
        self._anonymous = anonymous
        try:
            self._region: str | None = resolve_region(region, profile, _ENVIRON, files)
        except NoRegionError:
            if endpoint_url is None or not anonymous:
                raise
            self._region = None
        # The endpoint rule set may name the signing name and region (authSchemes).
        self._auth_scheme: dict[str, Any] = {}
        endpoint = self._endpoint_for(self._region, endpoint_url)
        # Credentials are looked for at the first signed call, not here (as boto3: a client is
        # made wherever the code runs, and fails on the call). Keys passed as arguments are
        # checked at once: a key without its secret is the caller's mistake.
        self._credential_args = (aws_access_key_id, aws_secret_access_key, aws_session_token, profile)
        self._resolved: CredentialSource | None = credentials
        if anonymous:
            self._signer: SigV4Signer | None = None
        else:
            if credentials is None and (aws_access_key_id or aws_secret_access_key or aws_session_token):
                self._resolved = resolve_credentials(*self._credential_args, region=self._region)
            self._signer = SigV4Signer(
                str(self._auth_scheme.get("signingName") or self._SIGNING_NAME),
                str(self._auth_scheme.get("signingRegion") or self._region or "us-east-1"),
                s3=self._S3_SIGNING or bool(self._auth_scheme.get("disableDoubleEncoding")),
            )
        self._transport_given = transport
        self._validate = self._config.validate
        if self._config.retry is not None:
            self._retry = self._config.retry
        elif self._config.retry_mode == "legacy" and self._LEGACY_RETRY is not None:
            legacy = LegacyPolicy(*self._LEGACY_RETRY)
            self._retry = RetryConfig(max_attempts=int(self._config.max_attempts or legacy.max_attempts),
                                      legacy=legacy)
        else:
            self._retry = RetryConfig(max_attempts=int(self._config.max_attempts or 3))
        # Adaptive mode: a client-side rate limit that backs off when the service throttles.
        self._limiter: Any = None
        if self._config.retry_mode == "adaptive":
            from .ratelimit import ClientRateLimiter

            self._limiter = ClientRateLimiter()
        self._quota = RetryQuota(self._retry.quota)
        self._endpoint_url = endpoint_url
        self._scheme, self._netloc, self._base_path = _split_endpoint(endpoint)
        self._per_call: dict[Any, tuple[str, str, str, Any]] = {}
        self._signers: dict[tuple[str, ...], SigV4Signer] = {}
        self._bucket_regions: dict[str, str] = {}
        ua = f"awsgen/{__version__} Python/{_PY} {self._SERVICE_NAME}"
        if self._config.user_agent_appid:
            ua += f" app/{self._config.user_agent_appid}"
        self._user_agent = f"{ua} {self._config.user_agent_extra}".rstrip()

    def _endpoint_for(self, region: str | None, endpoint_url: str | None) -> str:
        """The endpoint URL; generated clients resolve it from the service's rule set."""
        if endpoint_url is None:
            raise NoRegionError("no endpoint_url given and no endpoint rules to resolve one")
        return endpoint_url

    # Set by a generated client whose rule set needs parameters that only operations
    # give (static context params, input members): raised by calls that give none.
    _endpoint_error: Exception | None = None

    def _resolve_with(self, extra: dict[str, Any]) -> str:
        """Resolve with operation-bound parameters; overridden by clients with a rule set."""
        raise NoRegionError("this client has no endpoint rule set")

    @property
    def _account_id_endpoint_mode(self) -> str:
        """The ``AWS::Auth::AccountIdEndpointMode`` built-in: the config's mode, and
        "disabled" for an anonymous client (as botocore for unsigned clients: no account)."""
        return "disabled" if self._anonymous else (self._config.account_id_endpoint_mode or "preferred")

    def _with_account_id(self, ctx: dict[str, Any] | None, op: OperationInfo, param: str) -> dict[str, Any] | None:
        """``ctx`` with the ``AWS::Auth::AccountId`` built-in (rule-set parameter ``param``):
        the credentials' account id, or None when they have none, unless the mode is
        "disabled". Called by generated clients whose rule set reads it, for every request
        (at send time, when the asyncio client has resolved the credentials); the endpoint
        is then resolved per call and cached with the account id in the key. A value the
        operation binds itself wins, as botocore's context parameters win over built-ins."""
        if self._account_id_endpoint_mode == "disabled" or (ctx and ctx.get(param) is not None):
            return ctx
        if op.signed:
            credentials = self._credentials
        else:  # as botocore: the client's credentials if it has some; the call needs none
            from .errors import NoCredentialsError

            try:
                credentials = self._credentials
            except NoCredentialsError:
                credentials = None
        return {**(ctx or {}), param: credentials.account_id if credentials is not None else None}

    def _call_endpoint(self, op: OperationInfo, ctx: dict[str, Any] | None) -> tuple[str, str, str, Any]:
        """(scheme, netloc, base path, signer) for an operation that binds endpoint
        parameters; cached. The signer follows the rule set's auth scheme for these
        parameters (an access point in another region signs for that region)."""
        key = (op.endpoint_params, tuple(sorted(ctx.items())) if ctx else ())
        found = self._per_call.get(key)
        if found is None:
            endpoint = self._resolve_with({**dict(op.endpoint_params), **(ctx or {})})
            if isinstance(endpoint, str):
                found = (*_split_endpoint(endpoint), self._signer)
            else:
                found = (*_split_endpoint(endpoint.url), self._signer_for(endpoint.properties, ctx))
            if len(self._per_call) > 256:
                self._per_call.clear()
            self._per_call[key] = found
        return found

    def _signer_for(self, properties: dict[str, Any], ctx: dict[str, Any] | None = None) -> Any:
        """The signer an endpoint's ``authSchemes`` ask for (the first one supported, as
        botocore picks): the client's when they agree; SigV4a for a region set; for an S3
        Express directory bucket, one signing with the bucket's session."""
        signer = self._signer
        schemes = properties.get("authSchemes") or ()
        if signer is None or not schemes:
            return signer
        scheme = _supported_scheme(schemes)
        name = scheme.get("name")
        service = str(scheme.get("signingName") or signer.service)
        s3 = signer.s3 or bool(scheme.get("disableDoubleEncoding"))
        if name == "sigv4a":
            region_set = ",".join(scheme.get("signingRegionSet") or ()) or "*"
            key = ("sigv4a", service, region_set)
            if key not in self._signers:
                from .sigv4a import SigV4aSigner

                self._signers[key] = SigV4aSigner(service, region_set, s3=s3)  # type: ignore[assignment]
            return self._signers[key]
        region = str(scheme.get("signingRegion") or signer.region)
        if service == signer.service and region == signer.region:
            other: SigV4Signer = signer
        else:
            other = self._signers.get((service, region))  # type: ignore[assignment]
            if other is None:
                other = self._signers[(service, region)] = SigV4Signer(service, region, s3=s3)
        if name == "sigv4-s3express":
            if self._ASYNC:
                raise ParamValidationError(["S3 Express directory buckets: the AsyncClient does not open their "
                                            "sessions yet; use the blocking Client for them"])
            bucket = (ctx or {}).get("Bucket")
            if not isinstance(bucket, str):
                raise ParamValidationError(["an S3 Express endpoint without a bucket to open a session for"])
            from .s3 import ExpressSigner

            return ExpressSigner(self, bucket, other)
        return other

    @property
    def _credentials(self) -> Credentials | None:
        """The keys signing uses now: None for an anonymous client; otherwise the source is
        resolved at the first use (awsgen_runtime.credentials: the default chain) and kept,
        and temporary keys are renewed before they expire (awsgen_runtime.refresh)."""
        found = self._resolved
        if found is None:
            if self._signer is None:
                return None
            with _RESOLVING:  # once, however many threads make their first call together
                found = self._resolved
                if found is None:
                    found = self._resolved = resolve_credentials(*self._credential_args, region=self._region)
        return found if found.__class__ is Credentials else found.frozen()  # type: ignore[union-attr]

    def _make_transport(self, cls: Callable[..., Any]) -> Any:
        """The transport made on first use (constructing a client stays cheap), with the
        config's timeouts, pool size and TLS verification; ``cls``: the driver's kind."""
        self._transport_given = cls(
            connect_timeout=self._config.connect_timeout,
            read_timeout=self._config.read_timeout,
            max_pool_connections=self._config.max_pool_connections,
            verify=self._config.verify,
            proxies=self._config.proxies,
        )
        return self._transport_given

    def __repr__(self) -> str:
        return f"{type(self).__name__}(region={self._region!r}, endpoint_url={self.endpoint_url!r}, anonymous={self._anonymous!r})"

    @property
    def endpoint_url(self) -> str:
        return self._scheme + self._netloc + self._base_path

    @property
    def region(self) -> str | None:
        return self._region

    # ----- sending ------------------------------------------------------------------
    def _checksum_plan(self, checksum: tuple[str | None, bool, bool], headers: dict[str, str],
                       scheme: str) -> tuple[str | None, bool]:
        """(algorithm or None, in a trailer?) of a request body's checksum, as botocore
        resolves it; sets the algorithm member's header when it defaults to CRC32."""
        checksums = _checksums()

        algorithm_header, required, streaming = checksum
        if any(k[:15].lower() == "x-amz-checksum-" for k in headers):
            return None, False  # the caller gave one
        given = headers.get(algorithm_header) if algorithm_header else None
        if given:
            algorithm = given.lower()
            checksums.new(algorithm)  # an unsupported name is a ParamValidationError
        elif required or (algorithm_header and self._config.request_checksum_calculation == "when_supported"):
            algorithm = checksums.DEFAULT
            if algorithm_header:
                headers[algorithm_header] = algorithm.upper()
        else:
            return None, False
        return algorithm, streaming and scheme == "https://"

    def _response_checksums(self, op: OperationInfo, headers: dict[str, str]) -> tuple[str, ...]:
        """The algorithms to check the answer with (asking for checksums by default)."""
        if op.response_checksum is None:
            return ()
        checksums = _checksums()

        mode_header, algorithms = op.response_checksum
        if mode_header not in headers:
            if self._config.response_checksum_validation != "when_supported":
                return ()
            headers[mode_header] = "ENABLED"
        return tuple(a for a in checksums.PRIORITY if a in algorithms)

    def _locate(self, req: Request, op: OperationInfo, ctx: dict[str, Any] | None) -> tuple[str, str, str, Any]:
        """(scheme, netloc, path, signer) a request goes to."""
        if op.endpoint_params or ctx:
            scheme, base_netloc, base_path, signer = self._call_endpoint(op, ctx)
        elif self._endpoint_error is not None:
            raise self._endpoint_error
        else:
            scheme, base_netloc, base_path, signer = self._scheme, self._netloc, self._base_path, self._signer
        netloc = req.host_prefix + base_netloc if req.host_prefix else base_netloc
        # An empty path (S3's "/{Bucket}" once the endpoint holds the bucket) is the endpoint's own.
        path = base_path + req.path if base_path else (req.path or "/")
        return scheme, netloc, path, signer

    def _presign_target(self, req: Request, op: OperationInfo, expires_in: int,
                        ctx: dict[str, Any] | None) -> tuple[str, str, str, Any]:
        """(scheme, netloc, path) of a presigned request, after the checks every presigned
        URL or form needs."""
        if self._signer is None or self._credentials is None:
            raise ParamValidationError([f"{op.name}: a presigned URL needs credentials; this client is anonymous"])
        if not 1 <= expires_in <= MAX_PRESIGN_EXPIRES:
            raise ParamValidationError([f"expires_in: must be between 1 and {MAX_PRESIGN_EXPIRES} seconds, "
                                        f"not {expires_in}"])
        if self._PRESIGN_GLOBAL:
            from .s3 import presign_global_endpoint

            global_ctx = presign_global_endpoint(self._config, self._region, ctx)
            if global_ctx is not None:  # the global host, signed for the client's region
                return (*self._locate(req, op, global_ctx)[:3], self._signer)
        return self._locate(req, op, ctx)

    def _presign(self, req: Request, op: OperationInfo, expires_in: int, ctx: dict[str, Any] | None = None) -> str:
        """The URL of ``req`` with a SigV4 signature in its query, valid ``expires_in``
        seconds. A form body (query, ec2) moves into the query string, as botocore's does;
        an operation whose request needs another body cannot be presigned."""
        scheme, netloc, path, signer = self._presign_target(req, op, expires_in, ctx)
        query = req.query
        if "?" in path:
            path, _, fixed = path.partition("?")
            query = fixed + ("&" + query if query else "")
        # The body's own headers go with the body: its length, a form's content type.
        headers = {k: v for k, v in req.headers.items()
                   if k.lower() != "content-length" and (k.lower() != "content-type" or v != _FORM)}
        body = req.body
        if isinstance(body, (bytes, bytearray)) and body:
            if req.headers.get("Content-Type") != _FORM:
                raise ParamValidationError([f"{op.name}: its request carries a body, which a presigned URL cannot"])
            query = (query + "&" if query else "") + body.decode("ascii")
        headers["Host"] = netloc
        credentials = self._credentials
        assert signer is not None and credentials is not None  # _presign_target checked them
        if isinstance(signer, SigV4Signer):
            return presign_url(signer, req.method, scheme + netloc, path, query, headers, credentials, expires_in)
        # SigV4a, or an S3 Express directory bucket's session
        return str(signer.presign(req.method, scheme + netloc, path, query, headers, credentials, expires_in))

    def _exchange(self, req: Request, op: OperationInfo,
                  ctx: dict[str, Any] | None) -> Generator[HttpRequest | float, Any, HttpResponse]:
        """Every decision of one call, and no I/O: endpoint, headers, checksums, signing,
        retries, redirects and errors. A generator: it yields each :class:`HttpRequest` to
        send (and is sent the answer, whose body is read whole if it is an error, or has
        the transport's error thrown in) and each delay in seconds to wait before a retry
        (and is sent None); it returns the final answer or raises the call's error. The
        blocking :meth:`_send` and the asyncio driver (awsgen_runtime.aio) both run it."""
        bucket = ctx.get("Bucket") if self._REGION_REDIRECT and ctx else None
        if bucket is not None and bucket in self._bucket_regions:  # redirected before
            ctx = {**ctx, "Region": self._bucket_regions[bucket]}  # type: ignore[dict-item]
        scheme, netloc, path, located = self._locate(req, op, ctx)
        url = _url(scheme, netloc, path, req.query)
        headers = req.headers
        headers["User-Agent"] = self._user_agent
        # As every AWS SDK (botocore's add_retry_headers): one id for all attempts of a call,
        # and which attempt this is, so the service can tell a retry from a new call.
        headers["amz-sdk-invocation-id"] = _invocation_id()
        for name, value in self._DEFAULT_HEADERS:
            headers.setdefault(name, value)
        if _IN_LAMBDA:  # as every AWS SDK: the invocation's trace id lets Lambda stop recursive loops
            trace = _ENVIRON.get("_X_AMZN_TRACE_ID")
            if trace:
                headers.setdefault("X-Amzn-Trace-Id", quote(trace, safe="-=;:+&[]{}\"',"))
        body = req.body
        signer = located if op.signed else None
        # A file-like input that can seek is streamed: hashed in chunks for the signature,
        # rewound, sent with its length, rewound again for a retry. Memory stays bounded.
        start = -1
        payload_hash: str | None = None
        algorithm = trailer = None
        if op.checksum is not None:
            algorithm, trailer = self._checksum_plan(op.checksum, headers, scheme)
        if op.expect_continue and (op.expect_continue == 2 or not isinstance(body, (bytes, bytearray))):
            headers["Expect"] = "100-continue"
        if not isinstance(body, (bytes, bytearray)):
            start = _stream_start(body)
            if start < 0:
                body = body.read()  # cannot rewind: read once, resend on retry
        if algorithm is not None or op.response_checksum is not None:
            checksums = _checksums()  # only S3 and S3 Control operations get this far
        if trailer:  # aws-chunked, the checksum in its trailer, the payload unsigned
            body, start = _aws_chunked(body, start, algorithm, headers), 0  # type: ignore[arg-type]
            payload_hash = checksums.STREAMING_UNSIGNED_PAYLOAD_TRAILER
            if signer is None:  # unsigned too: S3 still wants to be told (botocore does so)
                headers["X-Amz-Content-SHA256"] = payload_hash
        elif start >= 0:
            unsigned = signer is not None and op.unsigned_body and not signer.s3
            payload_hash, length = _hash_stream(body, hash_it=signer is not None and not unsigned, headers=headers,
                                                algorithm=algorithm)
            headers["Content-Length"] = str(length)
        elif algorithm is not None:
            headers["x-amz-checksum-" + algorithm] = checksums.of(algorithm, body)
        if op.unsigned_body and signer is not None and not trailer and not signer.s3:
            # (S3's signer decides by its own rules: a checksum over https, as botocore's)
            payload_hash = headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
        validate = self._response_checksums(op, headers) if op.response_checksum is not None else ()
        http_req = HttpRequest(req.method, url, headers, body)
        if signer is not None:
            headers["Host"] = netloc
            sign_path, sign_query = _sign_target(path, req.query)
        redirected = False
        retry = self._retry
        limiter = self._limiter
        attempt = 0
        cost = 0
        while True:
            headers["amz-sdk-request"] = (f"attempt={attempt + 1}; max={retry.max_attempts}" if attempt
                                          else "attempt=1")
            if limiter is not None:  # adaptive mode: wait for the client-side rate limit's token
                wait = limiter.reserve()
                if wait > 0:
                    yield wait
            if signer is not None:  # again on every attempt: the date is part of the signature
                signer.sign(req.method, sign_path, sign_query, headers, body if start < 0 else b"",
                            self._credentials, payload_hash=payload_hash)
            if start >= 0:
                body.seek(start)
            try:
                resp = yield http_req
            except TransportError as exc:  # the class decides whether, and at what cost
                attempt += 1
                if retry.legacy is not None:  # botocore's legacy mode: every socket error, no quota
                    if attempt >= retry.max_attempts:
                        raise
                    yield retry.legacy.delay(retry, attempt)
                    continue
                step = transport_retry_cost(exc, retry)
                if step is None or attempt >= retry.max_attempts or not self._quota.acquire(step):
                    raise
                cost += step
                yield backoff(retry, attempt - 1)
                continue
            if resp.status < 300:
                if retry.legacy is not None and retry.legacy.crc32 is not None and _crc32_differs(
                        resp, retry.legacy.crc32):  # botocore's legacy mode (DynamoDB): a damaged body
                    attempt += 1
                    if attempt >= retry.max_attempts:
                        raise ChecksumMismatchError(
                            f"{op.name}: the answer's CRC32 did not match its {retry.legacy.crc32} header")
                    yield retry.legacy.delay(retry, attempt)
                    continue
                if not (op.error_in_200 and resp.body and _holds_error(resp.body)):
                    if limiter is not None:
                        limiter.record(throttled=False)
                    self._quota.release(cost if cost else 1)
                    resp.attempts = attempt + 1
                    return _checked(resp, validate) if validate else resp
                # As botocore: an error in a 200 answer is a 500 (and retried as one).
                resp = HttpResponse(500, resp.headers, resp.body, None)
            err = self._error(resp)
            if limiter is not None:
                limiter.record(throttled=resp.status == 429 or err.code in THROTTLING_CODES)
            region = None if redirected or bucket is None else _redirect_region(op, resp, err, bucket)
            if region is not None:
                # As botocore: the bucket is in another region; send there at once, once,
                # and remember it for this client's later calls.
                redirected = True
                self._bucket_regions[bucket] = region  # type: ignore[index]
                ctx = {**ctx, "Region": region}  # type: ignore[dict-item]
                scheme, netloc, path, located = self._locate(req, op, ctx)
                http_req.url = _url(scheme, netloc, path, req.query)
                if signer is not None:
                    signer = located
                    headers["Host"] = netloc
                    sign_path, sign_query = _sign_target(path, req.query)
                continue
            attempt += 1
            if retry.legacy is not None:  # botocore's legacy mode: the service's policy, no quota
                if attempt >= retry.max_attempts or not retry.legacy.retryable(resp.status, err.code):
                    err.attempts = attempt
                    raise err
                yield retry.legacy.delay(retry, attempt)
                continue
            if (
                attempt >= retry.max_attempts
                or not is_retryable(resp.status, err.code)
                or not self._quota.acquire(retry.retry_cost)
            ):
                err.attempts = attempt
                raise err
            cost += retry.retry_cost
            yield backoff(retry, attempt - 1)

    def _check(self, problems: list[str]) -> None:
        if problems:
            raise ParamValidationError([p[1:] if p.startswith(".") else p for p in problems])

    # ----- errors ----------------------------------------------------------------------
    def _error(self, resp: HttpResponse) -> ServiceError:
        headers = resp.headers
        request_id = headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")
        # Through the class: mypy would bind self to the callable through an instance.
        code, message, body = type(self)._ERROR_INFO(resp, self._QUERY_COMPATIBLE)
        if request_id is None:  # XML errors give it in the body (query's <RequestId>)
            request_id = getattr(body, "request_id", None)
        if self._OAUTH2_ERRORS and not message and isinstance(body, dict):
            message = oauth2_message(body) or message
        if not code:  # as botocore: the status code is the error code ("404" for a HEAD)
            code = str(resp.status)
            if body is None and resp.body.strip():  # not the protocol's format: show its start
                message = message or resp.body[:200].decode("utf-8", "replace")
            message = message or _reason(resp.status)
        if body is None:
            body = {}
        cls, parser = self._ERRORS.get(code, (self._ERROR_BASE, None))
        err = cls(message, code=code, status_code=resp.status, request_id=request_id,
                  headers=dict(headers))
        if parser is not None:
            try:
                parser(resp, body, err)
            except _PARSE_FAILURES:
                pass  # the code and message are known; malformed extra members are dropped
        return err

    def _parse(self, parse: Callable[[HttpResponse], T], resp: HttpResponse, op: OperationInfo) -> T:
        try:
            return parse(resp)
        except _PARSE_FAILURES as exc:
            raise ResponseParseError(
                f"{self._SERVICE_ID} {op.name}: the response could not be parsed: {exc}",
                status_code=resp.status,
                body=resp.body,
            ) from exc


class BaseClient(ClientCore):
    """The blocking client: drives :meth:`ClientCore._exchange` on a :class:`Transport`."""

    @property
    def _transport(self) -> Transport:
        """The transport, made on first use so that constructing a client stays cheap."""
        return self._transport_given or self._make_transport(Urllib3Transport)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Release pooled connections."""
        close = getattr(self._transport_given, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, req: Request, op: OperationInfo, ctx: dict[str, Any] | None = None) -> HttpResponse:
        """The blocking driver of :meth:`_exchange`: sends what it asks on the transport,
        sleeps the delays it asks for, and returns its final answer."""
        plan = self._exchange(req, op, ctx)
        send = self._transport.send
        stream = op.streaming_output
        try:
            step = plan.send(None)
            while True:
                if step.__class__ is float:
                    self._retry.sleep(step)
                    step = plan.send(None)
                    continue
                try:
                    resp = send(step, stream=stream)  # type: ignore[arg-type]
                except TransportError as exc:
                    step = plan.throw(exc)
                    continue
                if resp.raw is not None and resp.status >= 300:  # an error is read whole
                    resp = HttpResponse(resp.status, resp.headers, resp.raw.read(), None)
                step = plan.send(resp)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


_CHUNK = 1 << 17  # 128 KiB reads: ten parts in flight hold ~1.3 MiB


def _new_invocation_prefix() -> tuple[str, Any]:
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-", itertools.count(int(h[20:], 16))


# Invocation ids: a random UUID-4 prefix per process and a counter from a random start
# in the last 48 bits: unique per call (what the header is for) at a fifth of uuid4's cost.
_INVOCATION_PREFIX, _INVOCATION_COUNTER = _new_invocation_prefix()


def _reseed_invocation_ids() -> None:  # a forked child must not repeat its parent's ids
    global _INVOCATION_PREFIX, _INVOCATION_COUNTER
    _INVOCATION_PREFIX, _INVOCATION_COUNTER = _new_invocation_prefix()


os.register_at_fork(after_in_child=_reseed_invocation_ids)


def _invocation_id() -> str:
    return f"{_INVOCATION_PREFIX}{next(_INVOCATION_COUNTER) & 0xFFFFFFFFFFFF:012x}"


def _supported_scheme(schemes: Any) -> dict[str, Any]:
    """The first auth scheme this runtime can sign with; SigV4a counts when its optional
    dependency is installed. None supported: an error naming what is missing."""
    for scheme in schemes:
        name = scheme.get("name")
        if name in ("sigv4", "sigv4-s3express", None):
            return dict(scheme)
        if name == "sigv4a":
            from .sigv4a import available

            if available():
                return dict(scheme)
    names = [s.get("name") for s in schemes]
    if "sigv4a" in names:
        from .sigv4a import _ec

        _ec()  # raises MissingDependencyError naming the package
    raise ParamValidationError([f"this endpoint needs the {' or '.join(map(str, names))} signing scheme, "
                                "which awsgen does not implement"])


_CHECKSUMS: Any = None


def _checksums() -> Any:
    """awsgen_runtime.checksums, imported at the first use (only S3 and S3 Control need
    it) and then kept: an import statement in the hot path costs ~0.3 µs a call."""
    global _CHECKSUMS
    if _CHECKSUMS is None:
        from . import checksums

        _CHECKSUMS = checksums
    return _CHECKSUMS


def _url(scheme: str, netloc: str, path: str, query: str) -> str:
    url = scheme + netloc + path
    return url + ("&" if "?" in path else "?") + query if query else url


def _sign_target(path: str, query: str) -> tuple[str, str]:
    """(path, query) as signed: a query fixed in the model's URI joins the members'."""
    cut = path.find("?")
    if cut < 0:
        return path, query
    return path[:cut], path[cut + 1:] + ("&" + query if query else "")


_REGION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$")
_BODY_REGION = re.compile(rb"<Region>([^<]{1,63})</Region>")


def _redirect_region(op: OperationInfo, resp: HttpResponse, err: ServiceError, bucket: str) -> str | None:
    """The region to send again to when S3 says the bucket lives elsewhere (botocore's
    S3RegionRedirectorv2): from ``x-amz-bucket-region`` or the error's ``<Region>``."""
    if bucket.startswith("arn:"):
        return None
    code, status = err.code, resp.status
    header = resp.headers.get("x-amz-bucket-region")
    if not (
        (code in ("301", "400") and op.name == "HeadObject")
        or (code in ("301", "400") and op.name == "HeadBucket" and header is not None)
        or code in ("AuthorizationHeaderMalformed", "PermanentRedirect")
        or status in (301, 302, 307)
        or (code == "IllegalLocationConstraintException" and op.name != "CreateBucket")
    ):
        return None
    region: str | None = header
    if region is None:
        found = _BODY_REGION.search(resp.body)
        region = found.group(1).decode("ascii", "replace") if found else None
    if region is None or not _REGION_NAME.match(region):
        return None
    return region


def _stream_start(body: Any) -> int:
    """Where a seekable file-like body starts, or -1 when it cannot be rewound."""
    try:
        if body.seekable():
            return int(body.tell())
    except (AttributeError, OSError, ValueError):
        pass
    return -1


def _hash_stream(body: Any, *, hash_it: bool, headers: dict[str, str], algorithm: str | None) -> tuple[str | None, int]:
    """(SHA-256 hex of the rest of ``body`` or None, its length), read in 1 MiB chunks,
    with the ``algorithm`` checksum header set in the same pass; ``body`` is left where
    it started."""
    checksums = _checksums()

    start = body.tell()
    if not hash_it and algorithm is None:
        length = body.seek(0, 2) - start
        body.seek(start)
        return None, length
    digest = hashlib.sha256() if hash_it else None
    check = checksums.new(algorithm) if algorithm is not None else None
    length = 0
    while True:
        chunk = body.read(_CHUNK)
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError("a streaming body must be read as bytes (open the file in binary mode)")
        if digest is not None:
            digest.update(chunk)
        if check is not None:
            check.update(chunk)
        length += len(chunk)
    body.seek(start)
    if check is not None:
        headers["x-amz-checksum-" + str(algorithm)] = checksums.b64(check.digest())
    return (digest.hexdigest() if digest is not None else None), length


def _aws_chunked(body: Any, start: int, algorithm: str, headers: dict[str, str]) -> Any:
    """``body`` (bytes or a file from ``start``) as an aws-chunked stream, with botocore's headers."""
    checksums = _checksums()

    if isinstance(body, (bytes, bytearray)):
        body, start = io.BytesIO(body), 0
    length = body.seek(0, 2) - start
    body.seek(start)
    headers.pop("Content-Length", None)
    headers["Transfer-Encoding"] = "chunked"
    encoding = headers.get("Content-Encoding")
    headers["Content-Encoding"] = encoding + ",aws-chunked" if encoding else "aws-chunked"
    headers["X-Amz-Trailer"] = "x-amz-checksum-" + algorithm
    headers["X-Amz-Decoded-Content-Length"] = str(length)
    return checksums.AwsChunked(body, algorithm)


def oauth2_message(body: dict[str, Any]) -> str | None:
    """An OAuth2 error body's message (botocore's _map_oauth2_errors): its
    ``error_description`` when it has no ``Message``/``message`` of its own."""
    description = body.get("error_description")
    if description and not body.get("Message", body.get("message")):
        return str(description)
    return None


def _crc32_differs(resp: HttpResponse, header: str) -> bool:
    """Whether the answer has the CRC32 header and its body does not match it (a body
    still streaming is not checked)."""
    expected = resp.headers.get(header)
    if expected is None or resp.raw is not None:
        return False
    try:
        return zlib.crc32(resp.body) != int(expected)
    except ValueError:
        return True


def _checked(resp: HttpResponse, algorithms: tuple[str, ...]) -> HttpResponse:
    """The answer, its body checked against the first checksum header it has (a stream as
    it is read); a composite checksum of parts (``...-3``) cannot be checked."""
    checksums = _checksums()

    for algorithm in algorithms:
        expected = resp.headers.get("x-amz-checksum-" + algorithm)
        if expected is None or "-" in expected:
            continue
        if resp.raw is not None:
            resp.raw = checksums.Validating(resp.raw, algorithm, expected)
        else:
            h = checksums.new(algorithm)
            h.update(resp.body)
            checksums.check(algorithm, h.digest(), expected)
        break
    return resp


def _holds_error(body: bytes) -> bool:
    """Whether a 200 answer's body is an XML ``<Error>`` or no whole XML document."""
    from .protocols.xml import parse

    try:
        return bool(parse(body).tag == "Error")
    except WireTypeError:
        return True


def _split_endpoint(endpoint: str) -> tuple[str, str, str]:
    """``https://host:port/base`` -> ("https://", "host:port", "/base")."""
    endpoint = endpoint.rstrip("/")
    scheme_end = endpoint.find("//") + 2
    path_start = endpoint.find("/", scheme_end)
    if path_start < 0:
        return endpoint[:scheme_end], endpoint[scheme_end:], ""
    return endpoint[:scheme_end], endpoint[scheme_end:path_start], endpoint[path_start:]


def _reason(status: int) -> str:
    """The status line's standard reason phrase ("Not Found"); imported only for errors."""
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
