"""The standard library of the endpoint rules language, for compiled rule sets.

Each generated package carries an ``endpoints.py`` in which the service's rule set
has already been turned into plain ``if``/``return`` code. That code calls the
small functions below for the parts of the rules language that are more than a
comparison: partition lookup, URL and ARN parsing, host-label checks, substrings
and URI encoding. Nothing here interprets rules, so resolving an endpoint costs a
few attribute look-ups and string joins rather than a walk over a JSON tree.

Conventions shared by every function here, because compiled code relies on them:

* An unset value (``None``) is accepted everywhere and yields ``None`` (for value
  functions) or ``False`` (for predicates), as the rules language defines it.
* Structured results (partition, URL, ARN) are read-only mappings keyed by the
  rules language's own attribute names (``dnsSuffix``, ``normalizedPath``,
  ``resourceId``), so a ``getAttr`` in a rule set maps to one subscript.

This module uses the standard library only and never imports the generator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar, overload
from urllib.parse import quote, urlsplit

from awsgen_runtime.errors import EndpointResolutionError

__all__ = [
    "Endpoint",
    "EndpointResolutionError",
    "PartitionTable",
    "attr",
    "bool_param",
    "is_valid_host_label",
    "is_virtual_hostable_s3_bucket",
    "item",
    "parse_arn",
    "parse_url",
    "require",
    "str_list_param",
    "str_param",
    "substring",
    "truthy",
    "uri_encode",
]


class Endpoint:
    """Where to send a request, as a rule set decided it. Immutable.

    ``properties`` carries what the rule set attaches to the endpoint, notably
    ``authSchemes`` (signing name and region); ``headers`` are extra request headers.
    Written by hand rather than as a dataclass: importing ``dataclasses`` would
    cost more than the whole compiled S3 rule set.
    """

    __slots__ = ("url", "properties", "headers")
    url: str
    properties: dict[str, Any]
    headers: dict[str, list[str]]

    def __init__(
        self,
        url: str,
        properties: dict[str, Any] | None = None,
        headers: dict[str, list[str]] | None = None,
    ) -> None:
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "properties", {} if properties is None else properties)
        object.__setattr__(self, "headers", {} if headers is None else headers)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Endpoint is immutable; cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Endpoint is immutable; cannot delete {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Endpoint):
            return NotImplemented
        return (self.url, self.properties, self.headers) == (
            other.url,
            other.properties,
            other.headers,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, holds dicts

    def __repr__(self) -> str:
        return f"Endpoint(url={self.url!r}, properties={self.properties!r}, headers={self.headers!r})"


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------


@overload
def str_param(params: Mapping[str, Any], name: str, default: str) -> str: ...
@overload
def str_param(
    params: Mapping[str, Any], name: str, default: None = None
) -> str | None: ...
def str_param(
    params: Mapping[str, Any], name: str, default: str | None = None
) -> str | None:
    """Read a ``string`` parameter; ``None`` means unset and takes the default.

    A value of the wrong type is refused here, at the edge, so compiled comparisons
    never see one.
    """
    value = params.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise EndpointResolutionError(
            f"Parameter {name} must be a string, not {type(value).__name__}"
        )
    return value


@overload
def bool_param(params: Mapping[str, Any], name: str, default: bool) -> bool: ...
@overload
def bool_param(
    params: Mapping[str, Any], name: str, default: None = None
) -> bool | None: ...
def bool_param(
    params: Mapping[str, Any], name: str, default: bool | None = None
) -> bool | None:
    """Read a ``boolean`` parameter; with a declared default the result is never None."""
    value = params.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise EndpointResolutionError(
            f"Parameter {name} must be a boolean, not {type(value).__name__}"
        )
    return value


@overload
def str_list_param(
    params: Mapping[str, Any], name: str, default: Sequence[str]
) -> list[str]: ...
@overload
def str_list_param(
    params: Mapping[str, Any], name: str, default: None = None
) -> list[str] | None: ...
def str_list_param(
    params: Mapping[str, Any], name: str, default: Sequence[str] | None = None
) -> list[str] | None:
    """Read a ``stringArray`` parameter as a fresh list (any sequence of strings)."""
    value = params.get(name)
    if value is None:
        return None if default is None else list(default)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise EndpointResolutionError(f"Parameter {name} must be a list of strings")
    values = list(value)
    if not all(isinstance(v, str) for v in values):
        raise EndpointResolutionError(f"Parameter {name} must be a list of strings")
    return values


_T = TypeVar("_T")


def require(name: str, value: _T | None) -> _T:
    """Refuse a required parameter that has no value and no default."""
    if value is None:
        raise EndpointResolutionError(f"Missing required endpoint parameter: {name}")
    return value


# --------------------------------------------------------------------------
# getAttr support
# --------------------------------------------------------------------------


def truthy(value: object) -> bool:
    """A rule condition holds unless its value is unset or ``False``."""
    return value is not None and value is not False


def attr(value: object, name: str) -> Any:
    """``getAttr`` by name on a value of unknown shape: missing means unset."""
    if isinstance(value, Mapping):
        return value.get(name)
    return None


def item(value: object, index: int) -> Any:
    """``getAttr`` by ``[index]``: out of range (or not a list) means unset."""
    if isinstance(value, (list, tuple)) and 0 <= index < len(value):
        return value[index]
    return None


# --------------------------------------------------------------------------
# aws.partition
# --------------------------------------------------------------------------


class PartitionTable:
    """``aws.partition``: which partition a region belongs to, and its DNS facts.

    A compiled module builds one table at import from a literal holding only what
    the lookup needs: partition id, region pattern, known region names and the
    partition's outputs. A region listed by name wins over any pattern; a region
    that matches nothing falls back to the ``aws`` partition, as the rules language
    specifies. Results are cached per region string because clients ask for the
    same few regions over and over.
    """

    _CACHE_LIMIT = 64

    def __init__(
        self, partitions: Sequence[tuple[str, str, Sequence[str], Mapping[str, Any]]]
    ) -> None:
        if not partitions:
            raise ValueError("a partition table needs at least one partition")
        self._by_region: dict[str, Mapping[str, Any]] = {}
        self._patterns: list[tuple[re.Pattern[str], Mapping[str, Any]]] = []
        for partition_id, region_regex, regions, outputs in partitions:
            result = MappingProxyType({**outputs, "name": partition_id})
            for region in regions:
                self._by_region.setdefault(region, result)
            self._patterns.append((re.compile(region_regex), result))
        named_aws = [
            outputs for _, outputs in self._patterns if outputs["name"] == "aws"
        ]
        self._default = named_aws[0] if named_aws else self._patterns[0][1]
        self._cache: dict[str, Mapping[str, Any]] = {}

    def lookup(self, region: str | None) -> Mapping[str, Any] | None:
        """The outputs of the partition for ``region`` (``name``, ``dnsSuffix``, ...)."""
        if region is None:
            return None
        found = self._cache.get(region)
        if found is not None:
            return found
        found = self._by_region.get(region)
        if found is None:
            found = next(
                (out for pattern, out in self._patterns if pattern.match(region)),
                self._default,
            )
        if len(self._cache) < self._CACHE_LIMIT:
            self._cache[region] = found
        return found


# --------------------------------------------------------------------------
# String functions
# --------------------------------------------------------------------------


_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_IPV4_LIKE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}\Z")


def is_valid_host_label(value: str | None, allow_subdomains: bool) -> bool:
    """``isValidHostLabel``: an RFC 1123 label (or dotted labels when allowed)."""
    if value is None:
        return False
    if allow_subdomains:
        return all(_HOST_LABEL.match(label) is not None for label in value.split("."))
    return _HOST_LABEL.match(value) is not None


def is_virtual_hostable_s3_bucket(value: str | None, allow_subdomains: bool) -> bool:
    """``aws.isVirtualHostableS3Bucket``: can the bucket name go into the host name?

    It must be a valid host label (or dotted labels when allowed), at least three
    characters, all lower case, and must not look like an IPv4 address.
    """
    if value is None or len(value) < 3 or value != value.lower():
        return False
    if _IPV4_LIKE.match(value) is not None:
        return False
    return is_valid_host_label(value, allow_subdomains)


def substring(value: str | None, start: int, stop: int, reverse: bool) -> str | None:
    """``substring``: characters ``start`` to ``stop``, counted from the end if reversed.

    Unset when the range is empty or too long, or when the text is not ASCII (an
    index into non-ASCII text would not mean the same thing in every SDK).
    """
    if value is None or start >= stop or len(value) < stop or not value.isascii():
        return None
    if reverse:
        return value[len(value) - stop : len(value) - start]
    return value[start:stop]


def uri_encode(value: str | None) -> str | None:
    """``uriEncode``: percent-encode everything but RFC 3986 unreserved characters."""
    if value is None:
        return None
    return quote(value, safe="")


# --------------------------------------------------------------------------
# parseURL and aws.parseArn
# --------------------------------------------------------------------------


def _is_ip_host(host: str) -> bool:
    if _IPV4_LIKE.match(host) is not None:
        return True
    if host.startswith("[") and host.endswith("]"):
        import ipaddress  # only for IPv6 literals; it is slow to import

        try:
            ipaddress.IPv6Address(host[1:-1].replace("%25", "%", 1))
        except ValueError:
            return False
        return True
    return False


def parse_url(value: str | None) -> Mapping[str, Any] | None:
    """``parseURL``: an ``http``/``https`` URL without a query, split into parts.

    ``normalizedPath`` always starts and ends with ``/`` so that rule sets can
    append a bucket name to it; ``isIp`` tells whether the host is an IP address.
    """
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.query:
        return None
    if not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    else:
        host = host.split(":", 1)[0]
    path = parts.path
    normalized = path if path.startswith("/") else "/" + path
    if not normalized.endswith("/"):
        normalized += "/"
    return MappingProxyType(
        {
            "scheme": parts.scheme,
            "authority": parts.netloc,
            "path": path,
            "normalizedPath": normalized,
            "isIp": _is_ip_host(host),
        }
    )


def parse_arn(value: str | None) -> Mapping[str, Any] | None:
    """``aws.parseArn``: ``arn:partition:service:region:account:resource``.

    Partition, service and resource must be non-empty; region and account may be
    empty. ``resourceId`` is the resource split on both ``:`` and ``/``.
    """
    if value is None or not value.startswith("arn:"):
        return None
    pieces = value.split(":", 5)
    if len(pieces) != 6:
        return None
    _, partition, service, region, account, resource = pieces
    if not partition or not service or not resource:
        return None
    return MappingProxyType(
        {
            "partition": partition,
            "service": service,
            "region": region,
            "accountId": account,
            "resourceId": resource.replace(":", "/").split("/"),
        }
    )
