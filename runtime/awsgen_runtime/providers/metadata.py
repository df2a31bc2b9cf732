"""Credentials from the machine the program runs on: the container endpoint (ECS tasks,
EKS Pod Identity, Lambda's SnapStart) and the EC2 instance metadata service (IMDSv2).

Both answer JSON with ``AccessKeyId``, ``SecretAccessKey``, ``Token``, ``Expiration``
(and sometimes ``AccountId``); both sources refresh themselves (awsgen_runtime.refresh).
Answers' bodies never go into errors or logs: they hold secrets.
"""

from __future__ import annotations

import ipaddress
import json
import random
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import CredentialRetrievalError
from ..refresh import Fetched, RefreshableCredentials
from ..sigv4 import Credentials
from . import _http, parse_time

__all__ = ["container_source", "imds_source"]

# ----- the container endpoint ---------------------------------------------------------------
ENV_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
ENV_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
ENV_AUTH_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
ENV_AUTH_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
CONTAINER_HOST = "http://169.254.170.2"  # where a relative URI points (ECS)
# Plain-HTTP hosts a full URI may name besides loopback addresses (ECS, EKS Pod Identity).
CONTAINER_ALLOWED_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost")
CONTAINER_TIMEOUT = 2.0
CONTAINER_ATTEMPTS = 3
CONTAINER_RETRY_SLEEP = 1.0
CONTAINER = "container credentials endpoint"

# ----- the instance metadata service ----------------------------------------------------------
IMDS_IPV4 = "http://169.254.169.254/"
IMDS_IPV6 = "http://[fd00:ec2::254]/"
IMDS = "instance metadata service"
_TOKEN_PATH = "latest/api/token"
_ROLE_PATH = "latest/meta-data/iam/security-credentials/"
_TOKEN_TTL = "21600"
# Keys whose expiry comes closer than this (plus 2 to 10 minutes of jitter) are used as
# if they expired that far in the future: IMDS hands out keys it will renew itself, and a
# program must not stop when it does so late (botocore does the same).
IMDS_REFRESH_WINDOW = 15 * 60


def _credentials(doc: Any, source: str, token_key: str) -> Fetched:
    """Keys and expiry from a metadata answer; an error naming the missing fields."""
    if not isinstance(doc, dict):
        raise CredentialRetrievalError(source, "the answer is not a JSON object")
    missing = [k for k in ("AccessKeyId", "SecretAccessKey", token_key, "Expiration") if not doc.get(k)]
    if missing:
        detail = f" (it says {doc['Code']!r})" if isinstance(doc.get("Code"), str) and doc["Code"] != "Success" else ""
        raise CredentialRetrievalError(source, f"the answer lacks {', '.join(missing)}{detail}")
    try:
        expiry = parse_time(doc["Expiration"])
    except (TypeError, ValueError):
        raise CredentialRetrievalError(source, "the answer's Expiration is not a timestamp") from None
    account = doc.get("AccountId")
    return Credentials(str(doc["AccessKeyId"]), str(doc["SecretAccessKey"]), str(doc[token_key]),
                       account if isinstance(account, str) else None), expiry


def _json(body: bytes, source: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise CredentialRetrievalError(source, "the answer is not JSON") from None


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    try:
        if ipaddress.ip_address(parts.hostname).is_loopback:
            return True
    except ValueError:
        pass
    return parts.hostname in CONTAINER_ALLOWED_HOSTS


def container_source(environ: Mapping[str, str]) -> RefreshableCredentials | None:
    """The container endpoint's credentials when ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI``
    or ``_FULL_URI`` is set (None otherwise). The first keys are fetched here: a container
    that names an endpoint which fails is an error, not a reason to try the next source."""
    relative = environ.get(ENV_RELATIVE_URI)
    full = environ.get(ENV_FULL_URI)
    if not relative and not full:
        return None
    if relative:
        url = CONTAINER_HOST + relative
    else:
        url = str(full)
        if not _allowed(url):
            raise CredentialRetrievalError(
                CONTAINER, f"{ENV_FULL_URI} names {urlsplit(url).hostname!r}: plain HTTP is allowed only to a "
                f"loopback address or {', '.join(CONTAINER_ALLOWED_HOSTS)}; use https")
    token_file = environ.get(ENV_AUTH_TOKEN_FILE)
    token_value = environ.get(ENV_AUTH_TOKEN)

    def fetch() -> Fetched:
        headers = {"Accept": "application/json"}
        token = token_value
        if token_file:  # read on every fetch: EKS rotates the file
            try:
                with open(token_file, encoding="utf-8") as handle:
                    token = handle.read().strip()
            except OSError as exc:
                raise CredentialRetrievalError(
                    CONTAINER, f"cannot read {ENV_AUTH_TOKEN_FILE} {token_file}: {type(exc).__name__}") from None
        if token is not None:
            if "\r" in token or "\n" in token:
                raise CredentialRetrievalError(CONTAINER, "the authorization token holds a line break")
            headers["Authorization"] = token
        problem = ""
        for attempt in range(CONTAINER_ATTEMPTS):
            if attempt:
                time.sleep(CONTAINER_RETRY_SLEEP)
            try:
                status, body = _http.request("GET", url, headers, CONTAINER_TIMEOUT)
            except _http.Unreachable as exc:
                problem = str(exc)
                continue
            if status != 200:
                problem = f"HTTP {status}"
                continue
            return _credentials(_json(body, CONTAINER), CONTAINER, "Token")
        raise CredentialRetrievalError(
            CONTAINER, f"no credentials from {url.split('?')[0]} after {CONTAINER_ATTEMPTS} attempts: {problem}")

    return RefreshableCredentials(fetch, CONTAINER, current=fetch())


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() == "true"


class _Imds:
    """IMDSv2: a session token (PUT), the role name, the role's keys; IMDSv1 (no token)
    when the token call is refused with 403/404/405 or times out, unless v1 is disabled."""

    def __init__(self, base: str, timeout: float, attempts: int, v1_disabled: bool, user_agent: str) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.v1_disabled = v1_disabled
        self.headers = {"User-Agent": user_agent}

    def _token(self) -> str | None:
        headers = {**self.headers, "x-aws-ec2-metadata-token-ttl-seconds": _TOKEN_TTL}
        for _ in range(self.attempts):
            try:
                status, body = _http.request("PUT", self.base + _TOKEN_PATH, headers, self.timeout)
            except _http.Unreachable as exc:
                if exc.timeout:
                    return None  # an IMDSv1-only proxy may swallow the PUT: try v1 (as botocore)
                continue
            if status == 200:
                return body.decode("utf-8", "replace")
            if status in (403, 404, 405):
                return None
            if status == 400:
                raise CredentialRetrievalError(IMDS, "the token request was refused as malformed (HTTP 400)")
        return None

    def _get(self, path: str, token: str | None, want_json: bool) -> tuple[bytes, str | None]:
        """The answer's body; a 401 (the session token expired) gets a new token."""
        problem = ""
        for _ in range(self.attempts):
            headers = dict(self.headers)
            if token is not None:
                headers["x-aws-ec2-metadata-token"] = token
            try:
                status, body = _http.request("GET", self.base + path, headers, self.timeout)
            except _http.Unreachable as exc:
                problem = str(exc)
                continue
            if status == 401:
                problem = "HTTP 401 (the session token expired or was refused)"
                token = self._token()
                continue
            if status != 200 or not body:
                problem = f"HTTP {status}" if status != 200 else "an empty answer"
                continue
            if want_json:
                try:
                    json.loads(body)
                except ValueError:
                    problem = "an answer that is not JSON"
                    continue
            return body, token
        raise _Down(f"{self.base} gave no answer after {self.attempts} attempt(s): {problem}")

    def fetch(self) -> Fetched:
        token = self._token()
        if token is None and self.v1_disabled:
            raise _V1Disabled(IMDS, "no IMDSv2 session token, and IMDSv1 is disabled "
                                                 "(AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled)")
        try:
            role, token = self._get(_ROLE_PATH, token, want_json=False)
            body, _ = self._get(_ROLE_PATH + role.decode("utf-8", "replace").strip().splitlines()[0], token,
                                want_json=True)
        except _Down as exc:
            raise CredentialRetrievalError(IMDS, str(exc)) from None
        keys, expiry = _credentials(_json(body, IMDS), IMDS, "Token")
        if expiry is not None:
            window = IMDS_REFRESH_WINDOW + random.randint(120, 600)
            now = time.time()
            if now >= expiry - window:
                expiry = now + window
        return keys, expiry


class _V1Disabled(CredentialRetrievalError):
    """No IMDSv2 token and IMDSv1 is turned off: a configuration to report, not skip."""


class _Down(Exception):
    """IMDS did not answer (as opposed to answering something unusable)."""


def imds_source(environ: Mapping[str, str], profile: Mapping[str, Any],
                user_agent: str, searched: list[str]) -> RefreshableCredentials | None:
    """The instance role's credentials, or None (noted in ``searched``) when IMDS is
    disabled, unreachable or has no role: the last source of the chain."""

    def setting(env: str, key: str) -> Any:
        value = environ.get(env)
        return value if value not in (None, "") else profile.get(key)

    if _flag(environ.get("AWS_EC2_METADATA_DISABLED")):
        searched.append(f"{IMDS}: disabled by AWS_EC2_METADATA_DISABLED")
        return None
    base = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")
    if not base:
        mode = str(setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") or "")
        if mode and mode.lower() not in ("ipv4", "ipv6"):
            raise CredentialRetrievalError(IMDS, f"endpoint mode {mode!r} is neither IPv4 nor IPv6")
        ipv6 = mode.lower() == "ipv6" or _flag(setting("AWS_IMDS_USE_IPV6", "imds_use_ipv6"))
        base = IMDS_IPV6 if ipv6 else IMDS_IPV4
    try:
        timeout = float(setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") or 1)
        attempts = int(setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts") or 1)
    except ValueError:
        raise CredentialRetrievalError(IMDS, "metadata_service_timeout / _num_attempts must be numbers") from None
    imds = _Imds(str(base), timeout, attempts,
                 _flag(setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")), user_agent)
    try:
        first = imds.fetch()
    except CredentialRetrievalError as exc:
        if isinstance(exc, _V1Disabled):
            raise
        searched.append(f"{IMDS} at {imds.base}: {str(exc).split(': ', 1)[-1]}")
        return None
    return RefreshableCredentials(imds.fetch, IMDS, current=first, static_stability=True)
