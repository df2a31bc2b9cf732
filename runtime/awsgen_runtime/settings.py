"""Client settings from arguments, the environment and the config file, with the
precedence the AWS SDKs document: a value given in code (``Config(...)`` or a client
argument) wins, then the environment variable, then the profile's key in
``~/.aws/config``, then the default. README's "Settings" table lists each one and
whether botocore 1.43.67 reads it the same way (tests/functional/test_settings.py runs
both on the same files and environment).

Values from the environment or the file are checked like values given in code; a bad
one raises :class:`~awsgen_runtime.errors.ConfigError` naming the variable or the file
and key it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .profiles import SharedFiles, env_value, profile_name

if TYPE_CHECKING:
    from .client import Config

__all__ = ["configured_endpoint", "resolve_config", "service_key"]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"{value!r} is neither true nor false")


def _int(value: Any) -> int:
    return int(str(value).strip())


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip().lower()  # botocore lowercases these values
        if text not in allowed:
            raise ValueError(f"{text!r} is not one of {', '.join(allowed)}")
        return text

    return check


#: (Config attribute, environment variable, config-file key, conversion, default).
SETTINGS: tuple[tuple[str, str | None, str | None, Callable[[Any], Any], Any], ...] = (
    ("retry_mode", "AWS_RETRY_MODE", "retry_mode", _choice("standard", "adaptive", "legacy"), "standard"),
    ("max_attempts", "AWS_MAX_ATTEMPTS", "max_attempts", _int, 3),
    ("use_fips", "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", _bool, False),
    ("use_dualstack", "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint", _bool, False),
    ("verify", "AWS_CA_BUNDLE", "ca_bundle", str, True),
    ("user_agent_appid", "AWS_SDK_UA_APP_ID", "sdk_ua_app_id", str, None),
    ("request_checksum_calculation", "AWS_REQUEST_CHECKSUM_CALCULATION", "request_checksum_calculation",
     _choice("when_supported", "when_required"), "when_supported"),
    ("response_checksum_validation", "AWS_RESPONSE_CHECKSUM_VALIDATION", "response_checksum_validation",
     _choice("when_supported", "when_required"), "when_supported"),
    ("account_id_endpoint_mode", "AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode",
     _choice("preferred", "required", "disabled"), "preferred"),
    ("validate", None, "parameter_validation", _bool, True),
)

# S3's settings: the profile's "s3" sub-section, and the environment for one of them.
_S3_KEYS: tuple[tuple[str, str | None, Callable[[Any], Any]], ...] = (
    ("addressing_style", None, _choice("auto", "virtual", "path")),
    ("use_accelerate_endpoint", None, _bool),
    ("us_east_1_regional_endpoint", "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", _choice("legacy", "regional")),
)


def _convert(convert: Callable[[Any], Any], raw: Any, where: str) -> Any:
    try:
        return convert(raw)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def resolve_config(config: Config, profile: str | None, environ: Mapping[str, str],
                   files: SharedFiles | None = None, defaults: Mapping[str, Any] | None = None) -> Config:
    """``config`` with every setting it leaves unset (None) filled from the environment,
    the profile in the config file, or the default (``defaults`` replaces some: the
    boto3-compatible client's retry mode is botocore's, legacy). ``config`` itself is not
    changed."""
    files = files or SharedFiles(environ, ConfigError)
    name, _ = profile_name(profile, environ)
    section = files.config_profile(name) or {}
    label = f"{files.config_label(name)} of {files.config_path}"
    values: dict[str, Any] = {}
    defaulted: set[str] = set()
    for attr, variable, key, convert, default in SETTINGS:
        value = getattr(config, attr)
        if value is None and variable is not None:
            raw = env_value(environ, variable)
            if raw is not None:
                value = _convert(convert, raw, f"environment variable {variable}")
        if value is None and key is not None and section.get(key) not in (None, ""):
            value = _convert(convert, section[key], f"{key} in {label}")
        if value is None:
            defaulted.add(attr)
            if defaults is not None:
                default = defaults.get(attr, default)
        values[attr] = default if value is None else value
    if values["retry_mode"] == "legacy" and "max_attempts" in defaulted:
        values["max_attempts"] = None  # legacy mode: the service's policy says how many
    s3 = dict(config.s3)
    sub = section.get("s3")
    for key, variable, convert in _S3_KEYS:
        if key in s3:
            continue
        raw = env_value(environ, variable) if variable else None
        if raw is not None:
            s3[key] = _convert(convert, raw, f"environment variable {variable}")
        elif isinstance(sub, dict) and sub.get(key):
            s3[key] = _convert(convert, sub[key], f"s3.{key} in {label}")
    return config.copy(s3=s3, **values)


def service_key(service_id: str) -> str:
    """The name a service goes by in ``AWS_ENDPOINT_URL_<NAME>`` (upper case) and in a
    ``[services]`` section (lower case): its serviceId, spaces and hyphens as underscores."""
    return service_id.replace(" ", "_").replace("-", "_").lower()


def configured_endpoint(service_id: str, profile: str | None, environ: Mapping[str, str],
                        files: SharedFiles | None = None) -> str | None:
    """The endpoint URL the environment or config file set for this service, or None:
    ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the ``[services NAME]`` section
    the profile's ``services`` names, then the profile's ``endpoint_url`` (botocore's
    order). ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` / ``ignore_configured_endpoint_urls``
    turn all four off."""
    files = files or SharedFiles(environ, ConfigError)
    name, _ = profile_name(profile, environ)
    section = files.config_profile(name) or {}
    ignore = env_value(environ, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
    where = "environment variable AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
    if ignore is None and section.get("ignore_configured_endpoint_urls"):
        ignore, where = section["ignore_configured_endpoint_urls"], "ignore_configured_endpoint_urls"
    if ignore is not None and _convert(_bool, ignore, where):
        return None
    key = service_key(service_id)
    found = env_value(environ, "AWS_ENDPOINT_URL_" + key.upper()) or env_value(environ, "AWS_ENDPOINT_URL")
    if found:
        return found
    services = section.get("services")
    if services:
        block = files.section("services", str(services))
        if block is None:
            raise ConfigError(f"{files.config_label(name)} of {files.config_path} names services = {services}, "
                              f"but there is no [services {services}] section")
        service = block.get(key)
        if isinstance(service, dict) and service.get("endpoint_url"):
            return str(service["endpoint_url"])
    return str(section["endpoint_url"]) if section.get("endpoint_url") else None
