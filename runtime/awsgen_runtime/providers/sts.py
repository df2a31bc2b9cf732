"""Assumed roles: a profile's ``role_arn`` with a ``source_profile`` or ``credential_source``,
and web identity (``web_identity_token_file``, as on EKS with IRSA). The calls go through
the generated STS client (package ``aws-sts``), which finds its endpoint as every client
does (``AWS_ENDPOINT_URL_STS``, the profile's ``services`` section, the region).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..errors import AwsGenError, CredentialRetrievalError, MissingDependencyError
from ..refresh import Fetched, RefreshableCredentials
from ..sigv4 import Credentials

__all__ = ["assume_role_source", "web_identity_source"]


def sts_client(region: str | None, **kwargs: Any) -> Any:
    """The generated STS client; a clear error when its package is not installed."""
    try:
        from aws_sts import Client  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise MissingDependencyError(
            "assuming a role needs the generated STS client: install the aws-sts package "
            "(pip install ./generated/aws-sts from this repository)") from None
    return Client(region=region or "us-east-1", **kwargs)


def session_name() -> str:
    return f"awsgen-session-{int(time.time())}"


def _keys(answer: Any, source: str) -> Fetched:
    creds = getattr(answer, "credentials", None)
    if creds is None:
        raise CredentialRetrievalError(source, "STS answered without credentials")
    arn = getattr(getattr(answer, "assumed_role_user", None), "arn", None) or ""
    parts = arn.split(":")
    account = parts[4] if len(parts) > 4 and parts[4] else None
    expiry = creds.expiration.timestamp() if creds.expiration is not None else None
    return Credentials(creds.access_key_id, creds.secret_access_key, creds.session_token, account), expiry


def _call(source: str, operation: str, call: Callable[[], Any]) -> Fetched:
    try:
        return _keys(call(), source)
    except MissingDependencyError:
        raise
    except CredentialRetrievalError:
        raise
    except AwsGenError as exc:
        # Service errors say what STS refused (AccessDenied, ExpiredToken...); transport
        # errors name the host. Neither carries a secret.
        raise CredentialRetrievalError(source, f"STS {operation} failed: {exc}") from None


def assume_role_source(
    profile_name: str,
    role: dict[str, Any],
    source: Callable[[], Credentials],
    region: str | None,
) -> RefreshableCredentials:
    """Keys of ``role['role_arn']``, assumed with the keys ``source()`` gives at each refresh
    (the source may itself be temporary: a chain of roles, an instance role)."""
    name = f"assume role of profile {profile_name!r}"
    if role.get("mfa_serial"):
        raise CredentialRetrievalError(
            name, "mfa_serial is set: roles that need an MFA code are not supported by this client "
                  "(it never prompts); assume the role with the AWS CLI and use its credentials")
    kwargs: dict[str, Any] = {"role_arn": role["role_arn"],
                              "role_session_name": role.get("role_session_name") or session_name()}
    if role.get("external_id"):
        kwargs["external_id"] = role["external_id"]
    if role.get("duration_seconds"):
        try:
            kwargs["duration_seconds"] = int(role["duration_seconds"])
        except ValueError:
            raise CredentialRetrievalError(name, "duration_seconds is not a whole number") from None

    def fetch() -> Fetched:
        client = sts_client(region, credentials=source())
        try:
            return _call(name, "AssumeRole", lambda: client.assume_role(**kwargs))
        finally:
            client.close()

    return RefreshableCredentials(fetch, name)


def web_identity_source(token_file: str, role_arn: str, role_session_name: str | None,
                        region: str | None, where: str) -> RefreshableCredentials:
    """Keys of ``role_arn`` for the token in ``token_file``, read again at each refresh
    (EKS rotates it). The call is unsigned: the token is the proof."""
    name = f"web identity ({where})"

    def fetch() -> Fetched:
        try:
            with open(token_file, encoding="utf-8") as handle:
                token = handle.read().strip()
        except OSError as exc:
            raise CredentialRetrievalError(name, f"cannot read the token file {token_file}: "
                                                 f"{type(exc).__name__}") from None
        if not token:
            raise CredentialRetrievalError(name, f"the token file {token_file} is empty")
        client = sts_client(region, anonymous=True)
        try:
            return _call(name, "AssumeRoleWithWebIdentity", lambda: client.assume_role_with_web_identity(
                role_arn=role_arn, role_session_name=role_session_name or session_name(),
                web_identity_token=token))
        finally:
            client.close()

    return RefreshableCredentials(fetch, name)
