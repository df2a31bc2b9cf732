"""Where a client's credentials and region come from, in the order the AWS CLI uses.

Only static sources are read: explicit arguments, environment variables and the
shared ``credentials`` and ``config`` files. Profiles that need a role, SSO or a
credential process are reported as unsupported rather than silently skipped.

When nothing is found the error lists every place that was searched, so the fix is
obvious from the message alone. No message or repr ever contains a secret value:
values are never interpolated, and file parse errors report line numbers only
(a malformed line may hold a secret).

Importing this module is cheap: ``configparser`` is imported only when a file is
actually read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import NoCredentialsError, NoRegionError
from .sigv4 import Credentials

if TYPE_CHECKING:
    from configparser import ConfigParser

__all__ = ["ProfileNotFoundError", "resolve_credentials", "resolve_region"]

ENV_ACCESS_KEY = "AWS_ACCESS_KEY_ID"
ENV_SECRET_KEY = "AWS_SECRET_ACCESS_KEY"
ENV_SESSION_TOKEN = "AWS_SESSION_TOKEN"
ENV_PROFILE = "AWS_PROFILE"
ENV_REGION = "AWS_REGION"
ENV_DEFAULT_REGION = "AWS_DEFAULT_REGION"
ENV_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE"
ENV_CONFIG_FILE = "AWS_CONFIG_FILE"

#: Profile keys that mean "get credentials some other way", which this runtime
#: does not do; seeing one turns "no credentials" into a precise explanation.
_UNSUPPORTED_KEYS = (
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
)


class ProfileNotFoundError(NoCredentialsError, NoRegionError):
    """A profile named explicitly (argument or ``AWS_PROFILE``) is in neither file.

    It derives from both lookup errors so that code catching either one catches it.
    """


def _env(environ: Mapping[str, str], name: str) -> str | None:
    """An environment value, with an empty string treated as unset (as the CLI does)."""
    value = environ.get(name, "").strip()
    return value or None


def _expand(path: str, environ: Mapping[str, str]) -> str:
    """Expand ``~`` from the given environment's ``HOME`` so tests never touch the real one."""
    if path == "~" or path.startswith(("~/", "~" + os.sep)):
        home = environ.get("HOME")
        if home:
            return home + path[1:]
    return os.path.expanduser(path)


def _credentials_path(environ: Mapping[str, str]) -> str:
    return _expand(environ.get(ENV_CREDENTIALS_FILE) or "~/.aws/credentials", environ)


def _config_path(environ: Mapping[str, str]) -> str:
    return _expand(environ.get(ENV_CONFIG_FILE) or "~/.aws/config", environ)


def _profile_name(profile: str | None, environ: Mapping[str, str]) -> tuple[str, bool]:
    """The profile to read and whether it was chosen explicitly (not the fallback)."""
    if profile:
        return profile, True
    from_env = _env(environ, ENV_PROFILE)
    if from_env:
        return from_env, True
    return "default", False


def _read_ini(path: str, error: type[Exception]) -> ConfigParser | None:
    """Parse an INI file, or return None if it does not exist.

    A parse error is re-raised as ``error`` naming the file and the line numbers,
    never the lines themselves.
    """
    if not os.path.isfile(path):
        return None
    import configparser

    # No interpolation: a secret may contain "%". Not strict: later duplicates win, as
    # in the CLI. An unused default-section name: the AWS files have no [DEFAULT]
    # whose keys would leak into every profile.
    parser = configparser.ConfigParser(interpolation=None, strict=False, default_section="awsgen:no-defaults")
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle, source=path)
    except configparser.MissingSectionHeaderError as exc:
        raise error(f"cannot parse {path}: line {exc.lineno} comes before any [section] header") from None
    except configparser.ParsingError as exc:
        lines = ", ".join(str(lineno) for lineno, _ in exc.errors)
        raise error(f"cannot parse {path}: malformed line(s) {lines}") from None
    except configparser.Error as exc:
        raise error(f"cannot parse {path}: {type(exc).__name__}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {path}: {type(exc).__name__}") from None
    return parser


def _config_section(profile: str) -> tuple[str, ...]:
    """Section names for a profile in the config file; ``default`` may be spelled either way."""
    if profile == "default":
        return ("default", "profile default")
    return (f"profile {profile}",)


def _find_section(parser: ConfigParser | None, names: tuple[str, ...]) -> Mapping[str, str] | None:
    if parser is None:
        return None
    for name in names:
        if parser.has_section(name):
            return parser[name]
    return None


def _keys_from_section(section: Mapping[str, str], where: str) -> Credentials | None:
    """Credentials from one profile section, None if it has no keys, an error if half."""
    access_key = (section.get("aws_access_key_id") or "").strip()
    secret_key = (section.get("aws_secret_access_key") or "").strip()
    if not access_key and not secret_key:
        return None
    if not access_key or not secret_key:
        present, missing = (
            ("aws_access_key_id", "aws_secret_access_key")
            if access_key
            else ("aws_secret_access_key", "aws_access_key_id")
        )
        raise NoCredentialsError(f"{where} sets {present} but not {missing}; both are needed")
    token = (section.get("aws_session_token") or section.get("aws_security_token") or "").strip()
    return Credentials(access_key, secret_key, token or None)


def resolve_credentials(
    access_key: str | None = None,
    secret_key: str | None = None,
    token: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """Find static credentials: arguments, then environment, then the shared files.

    1. ``access_key`` and ``secret_key`` (and ``token``) given here; both keys or none.
    2. ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN`` --
       skipped when ``profile`` is passed here, because naming a profile in code is a
       request for that profile (the CLI and botocore behave the same way).
    3. The shared credentials file, section ``[NAME]``, then the config file, section
       ``[profile NAME]`` (``[default]`` for the default profile). ``NAME`` is
       ``profile``, else ``AWS_PROFILE``, else ``default``.

    ``environ`` defaults to ``os.environ``. Raises :class:`NoCredentialsError` listing
    every place searched, or :class:`ProfileNotFoundError` when an explicitly named
    profile exists in neither file.
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

    searched: list[str] = ["arguments: access_key and secret_key not given"]

    if profile:
        searched.append(
            f"environment: {ENV_ACCESS_KEY} / {ENV_SECRET_KEY} skipped because a profile was named"
        )
    else:
        env_key = _env(env, ENV_ACCESS_KEY)
        env_secret = _env(env, ENV_SECRET_KEY)
        if env_key and env_secret:
            return Credentials(env_key, env_secret, _env(env, ENV_SESSION_TOKEN))
        if env_key or env_secret:
            present, missing = (
                (ENV_ACCESS_KEY, ENV_SECRET_KEY) if env_key else (ENV_SECRET_KEY, ENV_ACCESS_KEY)
            )
            raise NoCredentialsError(f"environment variable {present} is set but {missing} is not; set both")
        searched.append(f"environment: {ENV_ACCESS_KEY} / {ENV_SECRET_KEY} not set")

    name, explicit = _profile_name(profile, env)
    credentials_path = _credentials_path(env)
    config_path = _config_path(env)
    credentials_file = _read_ini(credentials_path, NoCredentialsError)
    config_file = _read_ini(config_path, NoCredentialsError)

    shared = _find_section(credentials_file, (name,))
    config = _find_section(config_file, _config_section(name))
    config_label = "[default]" if name == "default" else f"[profile {name}]"

    if shared is not None:
        found = _keys_from_section(shared, f"profile [{name}] in {credentials_path}")
        if found is not None:
            return found
        searched.append(f"shared credentials file {credentials_path}: section [{name}] has no keys")
    else:
        state = "not found" if credentials_file is None else f"no section [{name}]"
        searched.append(f"shared credentials file {credentials_path}: {state}")

    if config is not None:
        found = _keys_from_section(config, f"{config_label} in {config_path}")
        if found is not None:
            return found
        unsupported = [key for key in _UNSUPPORTED_KEYS if key in config]
        if unsupported:
            raise NoCredentialsError(
                f"profile {name!r} in {config_path} gets credentials through {', '.join(unsupported)}, "
                "which this client does not support; use static keys or the environment variables"
            )
        searched.append(f"config file {config_path}: section {config_label} has no keys")
    else:
        state = "not found" if config_file is None else f"no section {config_label}"
        searched.append(f"config file {config_path}: {state}")

    if explicit and shared is None and config is None:
        source = "the profile argument" if profile else ENV_PROFILE
        raise ProfileNotFoundError(
            f"profile {name!r} (from {source}) is not in {credentials_path} "
            f"(as [{name}]) nor in {config_path} (as {config_label})"
        )
    places = "\n".join(f"  - {line}" for line in searched)
    raise NoCredentialsError(f"no AWS credentials found for profile {name!r}; searched:\n{places}")


def resolve_region(
    region: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Find the region: argument, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, then the config file.

    The config file's ``region`` is read from the profile chosen as in
    :func:`resolve_credentials`. Raises :class:`NoRegionError` listing where it looked.
    """
    if region and region.strip():
        return region.strip()
    env = os.environ if environ is None else environ
    for variable in (ENV_REGION, ENV_DEFAULT_REGION):
        value = _env(env, variable)
        if value:
            return value

    name, _ = _profile_name(profile, env)
    config_path = _config_path(env)
    config_file = _read_ini(config_path, NoRegionError)
    config_label = "[default]" if name == "default" else f"[profile {name}]"
    section = _find_section(config_file, _config_section(name))
    if section is not None:
        value = (section.get("region") or "").strip()
        if value:
            return value
        state = f"section {config_label} has no region"
    elif config_file is None:
        state = "not found"
    else:
        state = f"no section {config_label}"
    raise NoRegionError(
        f"no AWS region found for profile {name!r}; searched:\n"
        "  - arguments: region not given\n"
        f"  - environment: {ENV_REGION} / {ENV_DEFAULT_REGION} not set\n"
        f"  - config file {config_path}: {state}\n"
        "pass region=... or set AWS_REGION"
    )
