"""IAM Identity Center (SSO): the role credentials of a profile signed in with
``aws sso login``.

The sign-in leaves a token in ``~/.aws/sso/cache/<sha1>.json``, keyed by the
``sso-session`` name (or, for a legacy profile without one, by its start URL). With it
the generated SSO client's GetRoleCredentials gives keys for ``sso_account_id`` and
``sso_role_name``. A token of an ``sso-session`` within 15 minutes of its expiry is
renewed with the generated SSO OIDC client's CreateToken (refresh grant) and written back
to the cache, as the AWS CLI and botocore do; a legacy token is never renewed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from ..errors import AwsGenError, CredentialRetrievalError, MissingDependencyError
from ..profiles import SharedFiles, expand_path
from ..refresh import Fetched, RefreshableCredentials
from ..sigv4 import Credentials
from . import parse_time

__all__ = ["sso_source"]

TOKEN_REFRESH_WINDOW = 15 * 60


def _client(package: str, distribution: str, region: str) -> Any:
    try:
        module = __import__(package)
    except ImportError:
        raise MissingDependencyError(
            f"IAM Identity Center (SSO) credentials need the generated {distribution} package "
            f"(pip install ./generated/{distribution} from this repository)") from None
    return module.Client(region=region, anonymous=True)


def _stamp(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Config:
    """What a profile says about its SSO sign-in, checked."""

    def __init__(self, profile_name: str, profile: Mapping[str, Any], files: SharedFiles) -> None:
        self.source = f"SSO of profile {profile_name!r}"
        self.session = profile.get("sso_session")
        start_url = profile.get("sso_start_url")
        region = profile.get("sso_region")
        if self.session:
            section = files.section("sso-session", self.session)
            if section is None:
                raise CredentialRetrievalError(self.source, f"sso_session {self.session!r} has no "
                                                            f"[sso-session {self.session}] section in {files.config_path}")
            for key, value in (("sso_start_url", start_url), ("sso_region", region)):
                if value and section.get(key) and value != section[key]:
                    raise CredentialRetrievalError(self.source, f"{key} differs between the profile and "
                                                                f"[sso-session {self.session}]")
            start_url, region = section.get("sso_start_url"), section.get("sso_region")
        needed = {"sso_start_url": start_url, "sso_region": region,
                  "sso_account_id": profile.get("sso_account_id"), "sso_role_name": profile.get("sso_role_name")}
        missing = [k for k, v in needed.items() if not v]
        if missing:
            raise CredentialRetrievalError(self.source, f"missing {', '.join(missing)}")
        self.start_url = str(start_url)
        self.region = str(region)
        self.account_id = str(profile["sso_account_id"])
        self.role_name = str(profile["sso_role_name"])
        self.login = f"aws sso login --profile {profile_name}"


def _cache_path(config: _Config, environ: Mapping[str, str]) -> str:
    key = hashlib.sha1((config.session or config.start_url).encode("utf-8")).hexdigest()
    return os.path.join(expand_path(os.path.join("~", ".aws", "sso", "cache"), environ), key + ".json")


def _load_token(path: str, config: _Config) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            token = json.load(handle)
    except FileNotFoundError:
        raise CredentialRetrievalError(config.source, f"no cached sign-in ({path}); run `{config.login}`") from None
    except (OSError, ValueError) as exc:
        raise CredentialRetrievalError(config.source, f"the cached sign-in {path} cannot be read "
                                                      f"({type(exc).__name__}); run `{config.login}`") from None
    if not isinstance(token, dict) or not token.get("accessToken") or not token.get("expiresAt"):
        raise CredentialRetrievalError(config.source, f"the cached sign-in {path} lacks accessToken or expiresAt; "
                                                      f"run `{config.login}`")
    return token


def _renew(token: dict[str, Any], config: _Config, path: str) -> dict[str, Any] | None:
    """A renewed token written back to the cache, or None when it cannot be renewed."""
    if not all(token.get(k) for k in ("refreshToken", "clientId", "clientSecret", "registrationExpiresAt")):
        return None
    try:
        if parse_time(token["registrationExpiresAt"]) <= time.time():
            return None
    except ValueError:
        return None
    oidc = _client("aws_sso_oidc", "aws-sso-oidc", config.region)
    try:
        answer = oidc.create_token(grant_type="refresh_token", client_id=token["clientId"],
                                   client_secret=token["clientSecret"], refresh_token=token["refreshToken"])
    except AwsGenError:
        return None  # as botocore: a failed renewal leaves the token to be used while it lasts
    finally:
        oidc.close()
    renewed = {**token, "accessToken": answer.access_token,
               "expiresAt": _stamp(time.time() + int(answer.expires_in or 0))}
    if answer.refresh_token:
        renewed["refreshToken"] = answer.refresh_token
    # Written whole or not at all: a reader never sees half a token.
    folder = os.path.dirname(path)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".awsgen-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(renewed, handle)
        os.replace(temp, path)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
    return renewed


def sso_source(profile_name: str, profile: Mapping[str, Any], files: SharedFiles,
               environ: Mapping[str, str]) -> RefreshableCredentials:
    config = _Config(profile_name, profile, files)
    path = _cache_path(config, environ)

    def fetch() -> Fetched:
        token = _load_token(path, config)
        try:
            expires = parse_time(token["expiresAt"])
        except ValueError:
            raise CredentialRetrievalError(config.source, f"the cached sign-in {path} has a bad expiresAt") from None
        if config.session and expires - time.time() < TOKEN_REFRESH_WINDOW:
            renewed = _renew(token, config, path)
            if renewed is not None:
                token, expires = renewed, parse_time(renewed["expiresAt"])
        if expires <= time.time():
            raise CredentialRetrievalError(config.source, f"the SSO sign-in has expired; run `{config.login}`")
        sso = _client("aws_sso", "aws-sso", config.region)
        try:
            answer = sso.get_role_credentials(role_name=config.role_name, account_id=config.account_id,
                                              access_token=token["accessToken"])
        except AwsGenError as exc:
            refused = getattr(exc, "code", "") == "UnauthorizedException" or getattr(exc, "status_code", 0) == 401
            hint = f"; run `{config.login}`" if refused else ""
            raise CredentialRetrievalError(config.source, f"SSO GetRoleCredentials failed: {exc}{hint}") from None
        finally:
            sso.close()
        role = answer.role_credentials
        if role is None or not role.access_key_id or not role.secret_access_key:
            raise CredentialRetrievalError(config.source, "SSO answered without role credentials")
        expiry = role.expiration / 1000.0 if role.expiration else None
        return Credentials(role.access_key_id, role.secret_access_key, role.session_token, config.account_id), expiry

    return RefreshableCredentials(fetch, config.source)
