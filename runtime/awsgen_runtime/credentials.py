"""Where a client's credentials come from: the AWS SDKs' default chain, in botocore's order.

1. Arguments (``access_key``/``secret_key``/``token``).
2. The environment: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``,
   ``AWS_ACCOUNT_ID`` (skipped when a profile is named in code, as botocore does).
3. The profile (``profile``, else ``AWS_DEFAULT_PROFILE`` / ``AWS_PROFILE``, else ``default``):
   a. ``role_arn`` with ``source_profile`` or ``credential_source``: an assumed role;
   b. web identity: ``AWS_WEB_IDENTITY_TOKEN_FILE`` + ``AWS_ROLE_ARN``, or the profile's
      ``web_identity_token_file`` + ``role_arn``;
   c. IAM Identity Center: ``sso_session`` (or the legacy ``sso_start_url`` keys);
   d. keys in the shared credentials file;
   e. ``credential_process``;
   f. keys in the config file.
4. The container endpoint (``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` / ``_FULL_URI``).
5. The EC2 instance metadata service (IMDSv2), unless ``AWS_EC2_METADATA_DISABLED=true``.

Sources past 3d live in :mod:`awsgen_runtime.providers` and are imported only when used.
When nothing is found the error lists every place searched; a source that is configured
but fails raises :class:`CredentialRetrievalError` naming it. No message or repr ever
contains a secret value: values are never interpolated, and file parse errors report line
numbers only (a malformed line may hold a secret).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union

from . import __version__
from .errors import CredentialRetrievalError, NoCredentialsError, NoRegionError
from .profiles import SharedFiles, env_value, profile_name
from .sigv4 import Credentials

if TYPE_CHECKING:
    from .refresh import RefreshableCredentials

    #: What the chain gives: fixed keys, or a source that renews them (awsgen_runtime.refresh).
    #: For annotations only: building a Union with a forward reference costs ~1 ms at import.
    CredentialSource = Union[Credentials, RefreshableCredentials]

__all__ = ["ProfileNotFoundError", "frozen", "resolve_credentials", "resolve_region"]

ENV_ACCESS_KEY = "AWS_ACCESS_KEY_ID"
ENV_SECRET_KEY = "AWS_SECRET_ACCESS_KEY"
ENV_SESSION_TOKEN = "AWS_SESSION_TOKEN"
ENV_ACCOUNT_ID = "AWS_ACCOUNT_ID"
ENV_PROFILE = "AWS_PROFILE"
ENV_REGION = "AWS_REGION"
ENV_DEFAULT_REGION = "AWS_DEFAULT_REGION"


_SSO_KEYS = ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
_CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")


class ProfileNotFoundError(NoCredentialsError, NoRegionError):
    """A profile named explicitly (argument or ``AWS_PROFILE``) is in neither file.

    It derives from both lookup errors so that code catching either one catches it.
    """


def frozen(source: CredentialSource) -> Credentials:
    """The keys to sign with now (refreshing a temporary source first if it is due)."""
    return source if source.__class__ is Credentials else source.frozen()  # type: ignore[union-attr]


def _keys_from_section(section: Mapping[str, Any], where: str) -> Credentials | None:
    """Credentials from one profile section, None if it has no keys, an error if half."""
    access_key = str(section.get("aws_access_key_id") or "").strip()
    secret_key = str(section.get("aws_secret_access_key") or "").strip()
    if not access_key and not secret_key:
        return None
    if not access_key or not secret_key:
        present, missing = (
            ("aws_access_key_id", "aws_secret_access_key")
            if access_key
            else ("aws_secret_access_key", "aws_access_key_id")
        )
        raise NoCredentialsError(f"{where} sets {present} but not {missing}; both are needed")
    token = str(section.get("aws_session_token") or section.get("aws_security_token") or "").strip()
    account = str(section.get("aws_account_id") or "").strip()
    return Credentials(access_key, secret_key, token or None, account or None)


def _env_keys(env: Mapping[str, str]) -> Credentials | None:
    env_key = env_value(env, ENV_ACCESS_KEY)
    env_secret = env_value(env, ENV_SECRET_KEY)
    if env_key and env_secret:
        return Credentials(env_key, env_secret, env_value(env, ENV_SESSION_TOKEN), env_value(env, ENV_ACCOUNT_ID))
    if env_key or env_secret:
        present, missing = (ENV_ACCESS_KEY, ENV_SECRET_KEY) if env_key else (ENV_SECRET_KEY, ENV_ACCESS_KEY)
        raise NoCredentialsError(f"environment variable {present} is set but {missing} is not; set both")
    return None


class _Chain:
    """One lookup: the files read once, the region STS calls go to, what was searched."""

    def __init__(self, env: Mapping[str, str], region: str | None) -> None:
        self.env = env
        self.region = region
        self.files = SharedFiles(env, NoCredentialsError)
        self.searched: list[str] = []

    def profile(self, name: str, *, env_allowed: bool, visited: tuple[str, ...] = ()) -> CredentialSource | None:
        """Step 3: what the profile (and, for web identity, the environment) configures."""
        files = self.files
        merged = files.profile(name)
        if merged.get("role_arn") and not merged.get("web_identity_token_file"):
            return self.assume_role(name, merged, visited + (name,))
        return self.profile_keys(name, merged, env_allowed=env_allowed)

    def profile_keys(self, name: str, merged: Mapping[str, Any], *, env_allowed: bool) -> CredentialSource | None:
        """Steps 3b to 3f (botocore's profile providers)."""
        files, env = self.files, self.env

        def web(key: str, variable: str) -> str | None:
            value = env_value(env, variable) if env_allowed else None
            return value or (str(merged[key]) if merged.get(key) else None)

        token_file = web("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
        if token_file:
            role_arn = web("role_arn", "AWS_ROLE_ARN")
            where = f"profile {name!r}" if merged.get("web_identity_token_file") else "environment"
            if not role_arn:
                raise CredentialRetrievalError(f"web identity ({where})",
                                               "a token file is configured but no role ARN "
                                               "(AWS_ROLE_ARN or the profile's role_arn)")
            from .providers.sts import web_identity_source

            return web_identity_source(token_file, role_arn, web("role_session_name", "AWS_ROLE_SESSION_NAME"),
                                       self.region, where)
        self.searched.append("web identity: no AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file")

        if merged.get("sso_session") or any(merged.get(k) for k in _SSO_KEYS):
            from .providers.sso import sso_source

            return sso_source(name, merged, files, env)

        found = self.file_keys("shared credentials file", files.credentials_path, files.credentials,
                               files.credentials_profile(name), f"[{name}]")
        if found is not None:
            return found

        process = merged.get("credential_process")
        if process:
            from .providers.process import process_source

            return process_source(str(process), name, merged.get("aws_account_id"))

        return self.file_keys("config file", files.config_path, files.config, files.config_profile(name),
                              files.config_label(name))

    def file_keys(self, kind: str, path: str, parsed: object, section: Mapping[str, Any] | None,
                  label: str) -> Credentials | None:
        """Keys in one file's section of the profile, or None noted in ``searched``."""
        if section is not None:
            found = _keys_from_section(section, f"profile {label} in {path}")
            if found is not None:
                return found
            self.searched.append(f"{kind} {path}: section {label} has no keys")
        else:
            state = "not found" if parsed is None else f"no section {label}"
            self.searched.append(f"{kind} {path}: {state}")
        return None

    def assume_role(self, name: str, merged: Mapping[str, Any], visited: tuple[str, ...]) -> CredentialSource:
        """Step 3a: the role, assumed with the credentials its source gives."""
        where = f"assume role of profile {name!r}"
        source_profile = merged.get("source_profile")
        credential_source = merged.get("credential_source")
        if source_profile and credential_source:
            raise CredentialRetrievalError(where, "both source_profile and credential_source are set; keep one")
        if credential_source:
            source = self.named_source(str(credential_source), where)
        elif source_profile:
            source = self.source_profile(str(source_profile), where, visited)
        else:
            raise CredentialRetrievalError(where, "role_arn needs source_profile or credential_source")
        from .providers.sts import assume_role_source

        return assume_role_source(name, dict(merged), lambda: frozen(source), self.region)

    def named_source(self, kind: str, where: str) -> CredentialSource:
        found: CredentialSource | None
        if kind == "Environment":
            found = _env_keys(self.env)
        elif kind == "EcsContainer":
            from .providers.metadata import container_source

            found = container_source(self.env)
        elif kind == "Ec2InstanceMetadata":
            from .providers.metadata import imds_source

            found = imds_source(self.env, {}, f"awsgen/{__version__}", self.searched)
        else:
            raise CredentialRetrievalError(where, f"credential_source {kind!r} is not one of "
                                                  f"{', '.join(_CREDENTIAL_SOURCES)}")
        if found is None:
            raise CredentialRetrievalError(where, f"credential_source {kind} gave no credentials")
        return found

    def source_profile(self, source: str, where: str, visited: tuple[str, ...]) -> CredentialSource:
        files = self.files
        if not files.has_profile(source):
            raise CredentialRetrievalError(where, f"source_profile {source!r} is in neither "
                                                  f"{files.credentials_path} nor {files.config_path}")
        merged = files.profile(source)
        has_keys = bool(merged.get("aws_access_key_id") or merged.get("aws_secret_access_key"))
        if source in visited and not (source == visited[-1] and has_keys):
            chain = " -> ".join((*visited, source))
            raise CredentialRetrievalError(where, f"source_profile makes a loop: {chain}")
        if has_keys or not merged.get("role_arn"):
            found = self.profile_keys(source, merged, env_allowed=False)
            if found is None:
                raise CredentialRetrievalError(where, f"source_profile {source!r} has no credentials")
            return found
        return self.assume_role(source, merged, visited + (source,))


def resolve_credentials(
    access_key: str | None = None,
    secret_key: str | None = None,
    token: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    region: str | None = None,
) -> CredentialSource:
    """The default chain (see the module's text); ``region``: where STS calls go.

    ``environ`` defaults to ``os.environ``. Raises :class:`NoCredentialsError` listing
    every place searched, :class:`ProfileNotFoundError` when an explicitly named profile
    exists in neither file, :class:`CredentialRetrievalError` when a configured source fails.
    """
    env = os.environ if environ is None else environ

    if access_key or secret_key:
        if not access_key:
            raise NoCredentialsError("secret_key was given without access_key; pass both or neither")
        if not secret_key:
            raise NoCredentialsError("access_key was given without secret_key; pass both or neither")
        return Credentials(access_key, secret_key, token or None)
    if token:
        raise NoCredentialsError("token was given without access_key and secret_key; pass all three")

    chain = _Chain(env, region)
    searched = chain.searched
    searched.append("arguments: access_key and secret_key not given")
    if profile:
        searched.append(f"environment: {ENV_ACCESS_KEY} / {ENV_SECRET_KEY} skipped because a profile was named")
    else:
        found_env = _env_keys(env)
        if found_env is not None:
            return found_env
        searched.append(f"environment: {ENV_ACCESS_KEY} / {ENV_SECRET_KEY} not set")

    name, explicit = profile_name(profile, env)
    files = chain.files
    if explicit and not files.has_profile(name):
        source = "the profile argument" if profile else ENV_PROFILE
        raise ProfileNotFoundError(
            f"profile {name!r} (from {source}) is not in {files.credentials_path} "
            f"(as [{name}]) nor in {files.config_path} (as {files.config_label(name)})"
        )
    found = chain.profile(name, env_allowed=not profile)
    if found is not None:
        return found

    from .providers.metadata import container_source, imds_source

    found = container_source(env)
    if found is not None:
        return found
    searched.append("container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI not set")
    found = imds_source(env, files.profile(name), f"awsgen/{__version__}", searched)
    if found is not None:
        return found
    places = "\n".join(f"  - {line}" for line in searched)
    raise NoCredentialsError(f"no AWS credentials found for profile {name!r}; searched:\n{places}")


def resolve_region(
    region: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
    files: SharedFiles | None = None,
) -> str:
    """Find the region: argument, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, then the config file
    (``files``: the shared files already read for this environment, if the caller has them).

    The config file's ``region`` is read from the profile chosen as in
    :func:`resolve_credentials`. Raises :class:`NoRegionError` listing where it looked.
    """
    if region and region.strip():
        return region.strip()
    env = os.environ if environ is None else environ
    for variable in (ENV_REGION, ENV_DEFAULT_REGION):
        value = env_value(env, variable)
        if value:
            return value
    name, _ = profile_name(profile, env)
    files = files or SharedFiles(env, NoRegionError)
    label = files.config_label(name)
    section = files.config_profile(name)
    if section is not None:
        value = str(section.get("region") or "").strip()
        if value:
            return value
        state = f"section {label} has no region"
    elif files.config is None:
        state = "not found"
    else:
        state = f"no section {label}"
    raise NoRegionError(
        f"no AWS region found for profile {name!r}; searched:\n"
        "  - arguments: region not given\n"
        f"  - environment: {ENV_REGION} / {ENV_DEFAULT_REGION} not set\n"
        f"  - config file {files.config_path}: {state}\n"
        "pass region=... or set AWS_REGION"
    )
