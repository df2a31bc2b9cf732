"""A drop-in for boto3 clients, generated beside each typed client.

``boto3_compat.client("dynamodb", region_name=..., endpoint_url=..., config=...)`` (or
``boto3_compat.Session(...).client(...)``) returns the service package's ``compat.Boto3Client``
(``aws_<service>.compat``, imported only here): boto3's method names, CamelCase keyword
arguments, plain dicts back with ``ResponseMetadata``, ``ClientError`` with boto3's
``.response``, ``client.exceptions.<Name>``, ``ParamValidationError`` in botocore's words.

How it is made: each protocol unit of the generator writes, beside the typed serde, dict
serializers (boto3's input dict -> ``wire.Request``, checked as botocore checks it, in one
pass) and dict parsers (answer -> the dict botocore's parser returns) as straight-line code
(``<package>/_compat_serde.py``); ``<package>/compat.py`` has one method per operation and
a core class that is the typed client with :class:`~._client.CompatCore` mixed in, so the
endpoint rules, signing, retries and transport are the typed client's, unchanged.
A protocol whose unit writes no dict serde yet has no ``compat.py``: ``client()`` says so.

``Config`` (botocore's, or a dict of the same names) is mapped by :func:`client_config`.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import client_error_class

__all__ = ["ClientError", "ParamValidationError", "Session", "client", "client_config"]

# botocore's Config attributes and the awsgen Config setting each becomes
_SAME = {
    "connect_timeout": "connect_timeout",
    "read_timeout": "read_timeout",
    "max_pool_connections": "max_pool_connections",
    "parameter_validation": "validate",
    "user_agent_extra": "user_agent_extra",
    "user_agent_appid": "user_agent_appid",
    "use_fips_endpoint": "use_fips",
    "use_dualstack_endpoint": "use_dualstack",
    "proxies": "proxies",
    "s3": "s3",
    "request_checksum_calculation": "request_checksum_calculation",
    "response_checksum_validation": "response_checksum_validation",
    "account_id_endpoint_mode": "account_id_endpoint_mode",
}


def client_config(config: Any, verify: Any = None) -> tuple[dict[str, Any], str | None, bool]:
    """(awsgen Config arguments, region_name, unsigned) from a botocore ``Config`` or a dict
    of its names. Retries: ``total_max_attempts`` counts every attempt, ``max_attempts``
    only retries (botocore's rule). The default mode is botocore's: legacy, with the
    service's policy from botocore's ``_retry.json`` (its attempts: 5, DynamoDB's 10)."""
    if config is None:
        values: dict[str, Any] = {}
    elif isinstance(config, dict):
        values = dict(config)
    else:  # botocore.config.Config: the options given, by its attribute names
        values = {k: getattr(config, k) for k in (*_SAME, "region_name", "retries", "signature_version")
                  if getattr(config, k, None) is not None}
    args = {_SAME[k]: v for k, v in values.items() if k in _SAME and v is not None}
    if verify is not None:
        args["verify"] = verify
    retries = values.get("retries") or {}
    if retries.get("mode"):  # else the environment's, the config file's, or botocore's default: legacy
        args["retry_mode"] = retries["mode"]
    if retries.get("total_max_attempts") is not None:
        args["max_attempts"] = int(retries["total_max_attempts"])
    elif retries.get("max_attempts") is not None:
        args["max_attempts"] = int(retries["max_attempts"]) + 1
    signature = values.get("signature_version")
    # botocore.UNSIGNED (an instance of its class UNSIGNED), or the text "UNSIGNED"
    unsigned = signature is not None and (str(signature) == "UNSIGNED" or type(signature).__name__ == "UNSIGNED")
    return args, values.get("region_name"), unsigned


def client(service_name: str, region_name: str | None = None, api_version: str | None = None,
           use_ssl: bool = True, verify: Any = None, endpoint_url: str | None = None,
           aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
           aws_session_token: str | None = None, config: Any = None, *, profile_name: str | None = None,
           aws_account_id: str | None = None) -> Any:
    """boto3.client's signature; the service's package ``aws_<service>`` must be installed."""
    del api_version, use_ssl, aws_account_id  # one API version per package; https; no account-id override yet
    package = "aws_" + service_name.replace("-", "_")
    try:
        module = importlib.import_module(package + ".compat")
    except ModuleNotFoundError as exc:
        if exc.name == package:
            raise ModuleNotFoundError(f"no generated package {package!r} for service {service_name!r}: "
                                      f"install it (pip install ./generated/aws-{service_name})",
                                      name=package) from None
        if exc.name != package + ".compat":
            raise
        raise NotImplementedError(f"{service_name}: the installed package {package!r} has no boto3-compatible "
                                  f"client (compat.py): it was generated before there was one; regenerate "
                                  f"it") from None
    from ..client import Config

    args, config_region, unsigned = client_config(config, verify)
    cls = module.Boto3Client
    core = cls._CORE(
        region=region_name or config_region,
        endpoint_url=endpoint_url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        profile=profile_name,
        anonymous=True if unsigned else None,
        config=Config(**args),
    )
    out = cls(core)
    # a signature version chosen in code: S3 presigns with it, not boto3's default version 2
    signature = config.get("signature_version") if isinstance(config, dict) else getattr(
        config, "signature_version", None)
    out._signature_version = None if signature is None else str(signature)
    return out


class Session:
    """boto3.Session's constructor and ``client()``: credentials, region and profile
    given here apply to every client it makes."""

    def __init__(self, aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
                 aws_session_token: str | None = None, region_name: str | None = None,
                 botocore_session: Any = None, profile_name: str | None = None,
                 aws_account_id: str | None = None) -> None:
        del botocore_session, aws_account_id
        self._keys = (aws_access_key_id, aws_secret_access_key, aws_session_token)
        self._region = region_name
        self.profile_name = profile_name

    @property
    def region_name(self) -> str | None:
        return self._region

    def client(self, service_name: str, region_name: str | None = None, api_version: str | None = None,
               use_ssl: bool = True, verify: Any = None, endpoint_url: str | None = None,
               aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
               aws_session_token: str | None = None, config: Any = None) -> Any:
        key, secret, token = self._keys
        return client(service_name, region_name or self._region, api_version, use_ssl, verify, endpoint_url,
                      aws_access_key_id or key, aws_secret_access_key or secret, aws_session_token or token,
                      config, profile_name=self.profile_name)


def __getattr__(name: str) -> Any:
    """``ClientError`` and ``ParamValidationError``, built at first use (errors module)."""
    if name == "ClientError":
        return client_error_class()
    if name == "ParamValidationError":
        from .errors import _bases

        return _bases()["ParamValidationError"]
    raise AttributeError(name)
