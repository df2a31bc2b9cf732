"""The shared ``config`` and ``credentials`` files, read once per lookup, as the AWS SDKs
read them.

- ``~/.aws/config`` (``AWS_CONFIG_FILE``): ``[default]`` or ``[profile NAME]`` sections,
  ``[sso-session NAME]`` and ``[services NAME]`` sections. A key indented under another
  (``s3 =`` then ``  addressing_style = path``) is a sub-section, kept as a dict.
- ``~/.aws/credentials`` (``AWS_SHARED_CREDENTIALS_FILE``): ``[NAME]`` sections whose keys
  override the config file's for the same profile (botocore merges them the same way).

A file that cannot be parsed raises the caller's error class naming the file and the
line numbers, never the lines: a malformed line may hold a secret. ``configparser`` is
imported only when a file exists.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

__all__ = ["SharedFiles", "env_value", "expand_path", "profile_name"]

ENV_PROFILE = "AWS_PROFILE"
ENV_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE"
ENV_CONFIG_FILE = "AWS_CONFIG_FILE"


def env_value(environ: Mapping[str, str], name: str) -> str | None:
    """An environment value, with an empty string treated as unset (as the CLI does)."""
    value = environ.get(name, "").strip()
    return value or None


def expand_path(path: str, environ: Mapping[str, str]) -> str:
    """Expand ``~`` from the given environment's ``HOME`` so tests never touch the real one."""
    if path == "~" or path.startswith(("~/", "~" + os.sep)):
        home = environ.get("HOME")
        if home:
            return home + path[1:]
    return os.path.expanduser(path)


def profile_name(profile: str | None, environ: Mapping[str, str]) -> tuple[str, bool]:
    """The profile to read and whether it was chosen explicitly (not the fallback)."""
    if profile:
        return profile, True
    # botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
    from_env = env_value(environ, "AWS_DEFAULT_PROFILE") or env_value(environ, ENV_PROFILE)
    if from_env:
        return from_env, True
    return "default", False


# Parsed files by path, kept while the file's size and modification time stay the same:
# every client made reads them, and a program makes many clients.
_parsed: dict[str, tuple[tuple[int, int], dict[str, dict[str, Any]]]] = {}


def _parse(path: str, error: type[Exception]) -> dict[str, dict[str, Any]] | None:
    """An INI file as {section: {key: value or sub-dict}}, or None if it does not exist.
    The result is shared between callers: read it, never change it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _parsed.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    out = _read(path, error)
    _parsed[path] = (stamp, out)
    return out


def _read(path: str, error: type[Exception]) -> dict[str, dict[str, Any]]:
    import configparser

    # No interpolation: a secret may contain "%". Not strict: later duplicates win, as in
    # the CLI. An unused default-section name: the AWS files have no [DEFAULT] whose keys
    # would leak into every profile.
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
    out: dict[str, dict[str, Any]] = {}
    for name in parser.sections():
        section: dict[str, Any] = {}
        for key, raw in parser.items(name):
            value = raw.strip()
            if raw.startswith("\n") or "\n" in value:
                # "s3 =" followed by indented "key = value" lines: a sub-section.
                sub: dict[str, str] = {}
                for line in value.splitlines():
                    if "=" in line:
                        k, v = line.split("=", 1)
                        sub[k.strip()] = v.strip()
                section[key] = sub
            else:
                section[key] = value
        out[name] = section
    return out


class SharedFiles:
    """Both files, parsed, and the sections a lookup needs. ``error``: the class raised
    for a file that cannot be parsed (the caller's: no credentials, no region...)."""

    __slots__ = ("config_path", "credentials_path", "config", "credentials")

    def __init__(self, environ: Mapping[str, str], error: type[Exception] = ValueError) -> None:
        self.credentials_path = expand_path(environ.get(ENV_CREDENTIALS_FILE) or "~/.aws/credentials", environ)
        self.config_path = expand_path(environ.get(ENV_CONFIG_FILE) or "~/.aws/config", environ)
        self.config = _parse(self.config_path, error)
        self.credentials = _parse(self.credentials_path, error)

    @staticmethod
    def config_label(name: str) -> str:
        return "[default]" if name == "default" else f"[profile {name}]"

    def config_profile(self, name: str) -> dict[str, Any] | None:
        """The profile's section of the config file (``[default]`` may be spelled either way)."""
        if self.config is None:
            return None
        names = ("default", "profile default") if name == "default" else (f"profile {name}",)
        for section in names:
            if section in self.config:
                return self.config[section]
        return None

    def credentials_profile(self, name: str) -> dict[str, Any] | None:
        return None if self.credentials is None else self.credentials.get(name)

    def profile(self, name: str) -> dict[str, Any]:
        """The profile as the SDKs see it: config-file keys, overridden by the credentials
        file's for the same name."""
        merged = dict(self.config_profile(name) or {})
        merged.update(self.credentials_profile(name) or {})
        return merged

    def has_profile(self, name: str) -> bool:
        return self.config_profile(name) is not None or self.credentials_profile(name) is not None

    def section(self, kind: str, name: str) -> dict[str, Any] | None:
        """An ``[sso-session NAME]`` or ``[services NAME]`` section of the config file."""
        if self.config is None:
            return None
        return self.config.get(f"{kind} {name}")
