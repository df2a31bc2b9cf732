"""boto3's paginators on the compatible client: ``client.get_paginator("list_tables")``
returns a :class:`Paginator` whose ``paginate(**params, PaginationConfig={...})`` gives a
:class:`PageIterator`, as botocore's.

The walk over pages is the typed client's (:class:`awsgen_runtime.paginate.Paginator`:
next tokens, ``more_results``, page size, ``MaxItems`` cutting mid-page, the repeated
token check), run over the dict answers with the paths in the model's member names, so
both clients take the same decisions; what is botocore's alone is here:
``PaginationConfig`` read as botocore reads it (``int()`` of the numbers, the page size as
text for a string limit member), resume tokens with bytes (``boto_encoded_keys``) and
botocore's old ``a___b___index`` form, ``build_full_result``, ``search``,
``non_aggregate_part``, ``result_keys`` and botocore's exceptions.

Exceptions: ``PaginationError`` and ``OperationNotPageableError`` are botocore's when
botocore can be imported (so ``except botocore.exceptions.PaginationError`` catches
them), and look-alikes with the same message and attributes otherwise; botocore is
imported at the first error, not before.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Iterator, Mapping
from itertools import tee
from typing import Any

from .. import paginate as _pg
from ..paginate import PaginatorSpec, Steps, decode_token, get

__all__ = ["OperationNotPageableError", "PageIterator", "PaginationError", "Paginator", "botocore_error"]


# ----- botocore's exceptions, or look-alikes -----------------------------------------------
class _OwnBotoCoreError(Exception):
    """botocore's ``BotoCoreError`` where botocore is not installed: ``fmt`` filled with the
    keyword arguments, which stay in ``.kwargs``."""

    fmt = "An unspecified error occurred"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(self.fmt.format(**kwargs))
        self.kwargs = kwargs

    def __reduce__(self) -> Any:
        return _rebuild, (self.__class__, self.kwargs)


def _rebuild(cls: type[_OwnBotoCoreError], kwargs: dict[str, Any]) -> _OwnBotoCoreError:
    return cls(**kwargs)


class _OwnPaginationError(_OwnBotoCoreError):
    fmt = "Error during pagination: {message}"


class _OwnOperationNotPageableError(_OwnBotoCoreError):
    fmt = "Operation cannot be paginated: {operation_name}"


class _OwnWaiterError(_OwnBotoCoreError):
    fmt = "Waiter {name} failed: {reason}"

    def __init__(self, name: str, reason: str, last_response: Any) -> None:
        super().__init__(name=name, reason=reason)
        self.last_response = last_response

    def __reduce__(self) -> Any:
        return self.__class__, (self.kwargs["name"], self.kwargs["reason"], self.last_response)


_OWN: dict[str, type[Exception]] = {"PaginationError": _OwnPaginationError,
                                    "OperationNotPageableError": _OwnOperationNotPageableError,
                                    "WaiterError": _OwnWaiterError}
_FOUND: dict[str, type[Exception]] = {}
_LOCK = threading.Lock()


def botocore_error(name: str) -> Any:
    """botocore's exception class ``name`` (PaginationError, OperationNotPageableError,
    WaiterError) when botocore is installed, else this module's look-alike."""
    found = _FOUND.get(name)
    if found is None:
        with _LOCK:
            found = _OWN[name]
            if importlib.util.find_spec("botocore") is not None:
                import botocore.exceptions as bx  # type: ignore[import-untyped, unused-ignore]

                found = getattr(bx, name)
            _FOUND[name] = found
    return found


def __getattr__(name: str) -> Any:
    """``PaginationError``, ``OperationNotPageableError``: built at first use."""
    if name in ("PaginationError", "OperationNotPageableError"):
        return botocore_error(name)
    raise AttributeError(name)


# ----- the paginator ------------------------------------------------------------------------
class ResultKey:
    """A result key as botocore hands it out (a compiled JMESPath): ``.expression`` and
    ``.search(value)``."""

    __slots__ = ("expression", "steps")

    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.expression = _expression(steps)

    def search(self, value: Any) -> Any:
        return get(value, self.steps)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResultKey) and other.steps == self.steps

    def __hash__(self) -> int:
        return hash(self.steps)

    def __repr__(self) -> str:
        return f"ResultKey({self.expression!r})"


def _expression(steps: Steps) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


class Paginator:
    """botocore's ``Paginator``: :meth:`paginate` and ``result_keys``."""

    def __init__(self, method: Callable[..., dict[str, Any]], spec: PaginatorSpec) -> None:
        self._method = method
        self._spec = spec

    def __repr__(self) -> str:
        return f"<boto3_compat paginator {self._spec.operation}>"

    @property
    def result_keys(self) -> list[ResultKey]:
        return [ResultKey(steps) for steps in self._spec.result_keys]

    def paginate(self, **kwargs: Any) -> PageIterator:
        """The pages of the operation called with ``kwargs``; ``PaginationConfig`` takes
        ``MaxItems``, ``PageSize`` and ``StartingToken`` (a ``resume_token``, boto3's or
        this client's)."""
        config = kwargs.pop("PaginationConfig", {})
        if not isinstance(config, Mapping):
            raise TypeError(f"PaginationConfig must be a dict (MaxItems, PageSize, StartingToken), "
                            f"not {type(config).__name__}")
        max_items = config.get("MaxItems")
        if max_items is not None:
            max_items = _number("MaxItems", max_items)
        page_size = config.get("PageSize")
        if page_size is not None:
            if self._spec.limit_member is None:
                raise botocore_error("PaginationError")(
                    message="PageSize parameter is not supported for the pagination interface for this operation.")
            if self._spec.limit_is_text:
                page_size = page_size if isinstance(page_size, str) else str(page_size)
            else:
                page_size = _number("PageSize", page_size)
        return PageIterator(self._method, kwargs, self._spec, page_size=page_size, max_items=max_items,
                            starting_token=config.get("StartingToken"))


def _number(name: str, value: Any) -> int:
    """``int(value)``, as botocore converts MaxItems and PageSize; what int() refuses is
    refused with the same exception class, naming the setting."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"PaginationConfig {name}: {exc}") from None


class PageIterator(_pg.Paginator[dict[str, Any], Any]):
    """botocore's ``PageIterator``: iterate it for the pages (each the operation's whole
    answer, ``ResponseMetadata`` included); ``build_full_result()``, ``search(expr)``,
    ``resume_token`` (set when ``MaxItems`` stopped it), ``result_keys``,
    ``non_aggregate_part``."""

    _KEEP_STATE = True  # iterating again goes on from the last page's token, as botocore's

    def __init__(self, method: Callable[..., dict[str, Any]], kwargs: dict[str, Any], spec: PaginatorSpec, *,
                 page_size: Any = None, max_items: int | None = None, starting_token: str | None = None) -> None:
        super().__init__(method, kwargs, spec, page_size=page_size, max_items=max_items,
                         starting_token=starting_token)
        self._kwargs = dict(kwargs)  # None values too: the operation refuses them as boto3's does

    @staticmethod
    def _check(spec: PaginatorSpec, page_size: int | None, max_items: int | None) -> None:
        pass  # Paginator.paginate read them as botocore does

    def _repeated(self, next_token: dict[str, Any]) -> Exception:
        return botocore_error("PaginationError")(message=f"The same next token was received twice: {next_token}")  # type: ignore[no-any-return]

    def _decode(self, token: str) -> tuple[dict[str, Any], int]:
        """botocore's reading of a starting token: its dict (bytes restored) and the items
        of the first page to skip; a token that is no base64 JSON is taken in botocore's
        old form (``token___token___index``, or the service's own token)."""
        try:
            tokens = decode_token(token)
        except (ValueError, TypeError):
            return self._old_token(token)
        return tokens, tokens.pop("boto_truncate_amount", 0)

    def _old_token(self, token: str) -> tuple[dict[str, Any], int]:
        names = self._spec.input_tokens
        parts: list[Any] = token.split("___")
        index = 0
        if len(parts) == len(names) + 1:
            try:
                index = int(parts.pop())
            except ValueError:
                parts = [token]  # not an old token: the service's own
        values = [None if part == "None" else part for part in parts]
        if len(values) > len(names):
            raise ValueError(f"Bad starting token: {token}")
        values += [None] * (len(names) - len(values))
        return dict(zip(names, values)), index

    @property
    def result_keys(self) -> list[ResultKey]:
        return [ResultKey(steps) for steps in self._spec.result_keys]

    @property
    def non_aggregate_part(self) -> dict[str, Any]:
        """The non-aggregate keys (``ConsumedCapacity`` and the like) of the first page."""
        out: dict[str, Any] = {}
        for steps, value in self.non_aggregate.items():
            _pg._put(out, steps, value)
        return out

    def search(self, expression: str) -> Iterator[Any]:
        """A JMESPath expression over each page; a list found is yielded item by item."""
        import jmespath  # type: ignore[import-untyped, unused-ignore]

        compiled = jmespath.compile(expression)
        for page in self:
            found = compiled.search(page)
            if isinstance(found, list):
                yield from found
            else:
                yield found

    def result_key_iters(self) -> list[Iterator[Any]]:
        """Per result key, an iterator over its items across pages."""
        return [_key_items(pages, steps) for pages, steps in
                zip(tee(self, len(self._spec.result_keys)), self._spec.result_keys)]

    def build_full_result(self) -> dict[str, Any]:
        """All pages as one answer, as botocore merges them: lists of a result key joined,
        numbers added, texts concatenated; the first page's non-aggregate keys; and
        ``NextToken``, the resume token, when ``MaxItems`` stopped the listing."""
        full: dict[str, Any] = {}
        for page in self:
            for steps in self._spec.result_keys:
                value = get(page, steps)
                if value is None:
                    continue
                existing = get(full, steps)
                if existing is None:
                    _pg._put(full, steps, value)
                elif isinstance(value, list):
                    existing.extend(value)
                elif isinstance(value, (int, float, str)):
                    _pg._put(full, steps, existing + value)
        _merge(full, self.non_aggregate_part)
        if self.resume_token is not None:
            full["NextToken"] = self.resume_token
        return full


def _key_items(pages: Iterator[dict[str, Any]], steps: Steps) -> Iterator[Any]:
    for page in pages:
        yield from get(page, steps) or []


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """botocore's ``merge_dicts``: nested dicts merged, anything else replaced."""
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
