"""XML answers and form bodies for the boto3-compatible client (query, ec2; rest-xml too).

What the generated ``_compat_serde`` modules of XML protocols call as ``_x.<name>``, and
what :class:`~._client.Boto3ClientBase` calls for an error answer of such a protocol.
Documents are parsed by the runtime's safe parser (:func:`awsgen_runtime.protocols.xml.parse`:
DTDs and entities refused, namespaces stripped from tags); everything here then reads
them as botocore 1.43.67's XML parsers do:

* :func:`index` is botocore's ``_build_name_to_xml_node``: a structure's children by tag,
  a repeated tag gathered into a list (in document order);
* scalars from an element's text (an empty element is ``''`` for a string); booleans are
  ``True`` only for the text ``true``;
* :func:`entries` reads a map's ``<entry><key/><value/></entry>`` (or flattened) pairs;
* :func:`query_meta` / :func:`ec2_meta`: the ``ResponseMetadata`` botocore takes from the
  document (query's ``<ResponseMetadata>`` children, ec2's ``<requestId>``);
* :data:`ERROR_LAYOUTS`: protocol -> function turning an error answer into botocore's
  parsed dict (``Error``, ``ResponseMetadata``) and the element a modeled error's members
  are read from. query and ec2 are here; rest-xml adds its layout to the table.

Form bodies (query, ec2): :func:`form_body` encodes the ``{name: value}`` dict the
serializers fill as botocore's ``AWSPreparedRequest`` does (``urlencode(doseq=True)``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus, unquote

from ..client import _reason
from ._client import generic_error
from ..errors import ResponseParseError
from ..protocols.xml import Element, ErrorBody, attr as _attr, parse, x_blob, x_ts
from ..wire import WireTypeError

__all__ = [
    "ERROR_LAYOUTS",
    "META_ONLY",
    "alias",
    "console_text",
    "attr",
    "b",
    "blob",
    "ec2_meta",
    "entries",
    "error_body",
    "error_response",
    "f",
    "form_body",
    "i",
    "index",
    "items",
    "policy",
    "q_float",
    "query_meta",
    "root",
    "s",
    "template_body",
    "ts",
    "union_tag",
    "user_data",
    "wrapped",
]


# ----- documents ------------------------------------------------------------------------


def root(body: bytes) -> Any:
    """The root element of an answer (an empty element for an empty body)."""
    if not body.strip():
        return Element("Response")
    return parse(body)


def wrapped(e: Any, name: str) -> Any:
    """The child ``name`` of the root (query's ``<OpResult>``); botocore fails without it."""
    found = index(e).get(name)
    if found is None:
        raise WireTypeError(f"the answer has no <{name}> element")
    return found


def index(e: Any) -> dict[str, Any]:
    """botocore's ``_build_name_to_xml_node``: children by tag, a repeated tag as a list
    of its elements. A list given (a repeated element) is read by its first element."""
    if e.__class__ is list:
        e = e[0]
    d: dict[str, Any] = {}
    for c in e:
        t = c.tag
        x = d.get(t)
        if x is None:
            d[t] = c
        elif x.__class__ is list:
            x.append(c)
        else:
            d[t] = [x, c]
    return d


def items(x: Any) -> list[Any]:
    """The elements of a flattened list or map member (one element, or several)."""
    return x if x.__class__ is list else [x]


def _one(x: Any) -> Any:
    return x[0] if x.__class__ is list else x


# ----- scalars --------------------------------------------------------------------------


def s(x: Any) -> str:
    if x.__class__ is list:  # a repeated element: its first (no call: strings are most values)
        x = x[0]
    t: str | None = x.text
    return "" if t is None else t


def i(x: Any) -> int:
    t = s(x)
    try:
        return int(t)
    except ValueError:
        raise WireTypeError(f"expected an integer, got {t!r:.60}") from None


def f(x: Any) -> float:
    t = s(x)
    try:
        return float(t)
    except ValueError:
        raise WireTypeError(f"expected a number, got {t!r:.60}") from None


def b(x: Any) -> bool:
    t: str | None = _one(x).text
    return t == "true"


def ts(x: Any) -> Any:
    return x_ts(_one(x))


def blob(x: Any) -> bytes:
    return x_blob(_one(x))


def attr(e: Any, name: str) -> str | None:
    """An ``xmlAttribute`` member: the attribute's text as it is (botocore converts none)."""
    return _attr(_one(e), name)


def entries(x: Any, key: str, value: str, flattened: bool) -> list[tuple[Any, Any]]:
    """(key element, value element) of each entry of a map member's element(s)."""
    out = []
    for entry in (items(x) if flattened else x):
        k = v = None
        for c in entry:
            t = c.tag
            if t == key:
                k = c
            elif t == value:
                v = c
            else:
                raise WireTypeError(f"Unknown tag: {t}")
        if k is None or v is None:
            raise WireTypeError(f"map entry <{entry.tag}> without <{key}> or <{value}>")
        out.append((k, v))
    return out


def union_tag(d: dict[str, Any], names: frozenset[str]) -> str | None:
    """The tag of a union's one member when the model does not know it (botocore then
    returns ``SDK_UNKNOWN_MEMBER``), else None; a union with other than one member fails."""
    present = [k for k, v in d.items() if k != "__type" and v is not None]
    if len(present) != 1:
        raise WireTypeError("Invalid service response: a union must have one and only one member set.")
    return None if present[0] in names else present[0]


# ----- handlers botocore applies to parsed answers and parameters -------------------------


def policy(value: str) -> Any:
    """IAM's policy documents (botocore's json_decode_policies): URL-decoded JSON."""
    import json

    try:
        return json.loads(unquote(value))
    except (ValueError, TypeError):
        return value


def template_body(value: Any) -> Any:
    """CloudFormation's GetTemplate: a JSON template as a mapping (botocore's
    json_decode_template_body, its OrderedDict included); YAML stays text."""
    import json
    from collections import OrderedDict

    try:
        return json.loads(value, object_pairs_hook=OrderedDict)
    except (ValueError, TypeError):
        return value


def user_data(value: Any) -> Any:
    """EC2's user data, base64-encoded before validation (botocore's base64_encode_user_data)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).decode("utf-8")


# ----- ResponseMetadata from the document -------------------------------------------------


def query_meta(e: Any, o: dict[str, Any]) -> dict[str, Any]:
    child = index(e).get("ResponseMetadata")
    if child is not None:
        o["ResponseMetadata"] = {k: _one(v).text for k, v in index(child).items()}
    return o


def ec2_meta(e: Any, o: dict[str, Any]) -> dict[str, Any]:
    child = index(e).get("requestId")
    if child is not None:
        o["ResponseMetadata"] = {"RequestId": _one(child).text}
    return o


def _query_meta_only(resp: Any) -> dict[str, Any]:
    return query_meta(root(resp.body), {})


def _ec2_meta_only(resp: Any) -> dict[str, Any]:
    return ec2_meta(root(resp.body), {})


# protocol -> parser of an answer to an operation without output (its ResponseMetadata)
META_ONLY: dict[str, Callable[[Any], dict[str, Any]]] = {"query": _query_meta_only, "ec2": _ec2_meta_only}


def console_text(value: Any) -> Any:
    """EC2's console output, base64-decoded to text (botocore's decode_console_output)."""
    try:
        return base64.b64decode(bytes(value, "latin-1")).decode("utf-8", "replace")
    except (ValueError, TypeError, AttributeError):
        return value


def alias(v: dict[str, Any], alias_name: str, name: str, operation: str) -> None:
    """botocore's ParameterAlias (EC2's ``Filters`` for a ``Filter`` member)."""
    if alias_name in v:
        if name in v:
            from .errors import param_validation_error

            raise param_validation_error(f"Parameter {name!r} and its alias {alias_name!r} were both provided "
                                         f"for operation {operation}")
        v[name] = v.pop(alias_name)


# ----- form bodies ------------------------------------------------------------------------


def q_float(value: Any) -> Any:
    """A float parameter's form value (botocore's _handle_float: non-finite ones by name)."""
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    if value != value:
        return "NaN"
    return value


_INF = float("inf")


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch  # what quote_plus leaves as it is
_NAMES: dict[str, str] = {}  # form names seen, encoded (bounded: names repeat across calls)


def _quoted(text: str) -> str:
    return text if _PLAIN(text) else quote_plus(text)


def form_body(q: dict[str, Any]) -> bytes:
    """The pairs as botocore's request preparation encodes them (``urlencode(doseq=True)``
    over UTF-8: ``quote_plus``, non-text values by ``str``), byte for byte."""
    parts = []
    names = _NAMES
    for k, v in q.items():
        name = names.get(k)
        if name is None:
            name = _quoted(k)
            if len(names) < 8192:
                names[k] = name
        parts.append(name + "=" + _quoted(v if isinstance(v, str) else str(v)))
    return "&".join(parts).encode("ascii")


# ----- error answers ----------------------------------------------------------------------


def _replace_nodes(d: dict[str, Any]) -> dict[str, Any]:
    """botocore's ``_replace_nodes``: elements with children become dicts, others their text."""
    for k, v in d.items():
        d[k] = _replace_nodes(index(v)) if len(v) else v.text
    return d


def _document(resp: Any) -> Any:
    try:
        return parse(resp.body)
    except WireTypeError as exc:  # botocore raises its ResponseParserError here too
        raise ResponseParseError(f"an error answer (HTTP {resp.status}) could not be parsed: {exc}",
                                 status_code=resp.status,
                                 body=resp.body) from None


def _common(doc: Any) -> dict[str, Any]:
    """botocore's QueryParser._do_error_parse: the document as nested dicts of texts, an
    ``Errors`` wrapper lifted, ``RequestId`` moved into ``ResponseMetadata``."""
    parsed = _replace_nodes(index(doc))
    errors = parsed.get("Errors")
    if isinstance(errors, dict):
        del parsed["Errors"]
        parsed.update(errors)
    if "RequestId" in parsed:
        parsed["ResponseMetadata"] = {"RequestId": parsed.pop("RequestId")}
    return parsed


def _query_error(resp: Any) -> tuple[dict[str, Any], Any]:
    """query: ``<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>``."""
    doc = _document(resp)
    error_root = doc
    if doc.tag == "ErrorResponse":
        error_root = next((c for c in doc if c.tag == "Error"), doc)
    return _common(doc), error_root


def _ec2_error(resp: Any) -> tuple[dict[str, Any], Any]:
    """ec2: ``<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>``."""
    doc = _document(resp)
    parsed = _common(doc)
    if "RequestID" in parsed:
        parsed["ResponseMetadata"] = {"RequestId": parsed.pop("RequestID")}
    error_root = doc
    for c in doc:
        if c.tag == "Errors":
            found = next((x for x in c if x.tag == "Error"), None)
            if found is not None:
                error_root = found
                break
    return parsed, error_root


def _rest_xml_error(resp: Any) -> tuple[dict[str, Any], Any]:
    """rest-xml: S3's ``<Error>``, others' ``<ErrorResponse>`` (``._restxml.error_layout``)."""
    from ._restxml import error_layout

    return error_layout(resp)


# protocol -> error answer -> (botocore's parsed dict, the element modeled members are read from)
ERROR_LAYOUTS: dict[str, Callable[[Any], tuple[dict[str, Any], Any]]] = {
    "query": _query_error,
    "ec2": _ec2_error,
    "rest-xml": _rest_xml_error,
}


def error_response(resp: Any, protocol: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(botocore's parsed error dict, the body the generated ``_ce_X`` take: an
    :class:`ErrorBody` over the element of the modeled members, None for a generic answer)."""
    if generic_error(resp.status, resp.body):
        return {"Error": {"Code": str(resp.status), "Message": _reason(resp.status)},
                "ResponseMetadata": {}}, None
    parsed, element = ERROR_LAYOUTS[protocol](resp)
    return parsed, ErrorBody(element, None)


def error_body(d: dict[str, Any]) -> Any:
    """The element a modeled error's members are read from (see :func:`error_response`)."""
    return d.element if isinstance(d, ErrorBody) else Element("Error")
