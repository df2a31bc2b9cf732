"""Paginators: the pages of a listing, as botocore's paginators walk them.

A generated client has ``paginate_<operation>(...)`` for each paginator of its
service's ``paginators-1.json``; it returns a :class:`Paginator` over the typed output
pages. What botocore does, this does: the next tokens are read from each answer (the
first non-empty alternative of ``a || b``; an empty string counts as none), a
``more_results`` member that is false ends the listing, the page size goes into the
operation's limit member, ``max_items`` cuts the listing (mid-page if need be) and
leaves :attr:`Paginator.resume_token`, which ``starting_token`` takes to go on where
it stopped, and a service that answers the same next token twice raises
:class:`~awsgen_runtime.errors.PaginationError` instead of looping forever.

Resume tokens are botocore's: base64 of JSON holding the input tokens by their model
names (and ``boto_truncate_amount`` when cut mid-page), so a token from boto3's
paginator resumes here and the other way round, for string and number tokens.

The paths of tokens and result keys are resolved at generation time into attribute
names and list indexes; :func:`get` walks them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

from .errors import PaginationError, ParamValidationError

__all__ = ["AsyncPaginator", "Paginator", "PaginatorSpec", "decode_token", "encode_token", "get"]

P = TypeVar("P")
I = TypeVar("I")  # noqa: E741
Y = TypeVar("Y")
Steps = tuple[str | int, ...]


def get(value: Any, steps: Steps) -> Any:
    """The value at ``steps`` (attribute names, list indexes) below ``value``; None where
    the path breaks off (an unset member, an index past the end), as JMESPath has it.
    Dicts (the boto3-compatible client's answers) are walked by key, other values by
    attribute."""
    for step in steps:
        if value is None:
            return None
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            value = getattr(value, step, None)
    return value


def _put(value: Any, steps: Steps, new: Any) -> None:
    """Set the member at ``steps``: in a dict, making the dicts on the way as botocore's
    ``set_value_from_jmespath`` does; in a typed answer, when its parent exists."""
    if isinstance(value, dict):
        for step in steps[:-1]:
            value = value.setdefault(step, {})
        value[steps[-1]] = new
        return
    parent = get(value, steps[:-1])
    if parent is not None and isinstance(steps[-1], str):
        setattr(parent, steps[-1], new)


def _truthy(value: Any) -> bool:
    """JMESPath's truth (for ``a || b``): null, false, and empty strings, lists and maps
    are false; numbers, 0 included, are true."""
    return value is not None and value is not False and not (isinstance(value, (str, list, dict)) and not value)


class PaginatorSpec:
    """One paginator, as the generator compiled it from the service's paginators file.

    ``token_names``: the input tokens' model names (the resume token's keys);
    ``input_tokens``: their Python names; ``output_tokens``: per input token, the
    alternatives of its output path; ``codecs``: per input token that is no string or
    number, functions to and from its JSON form (DynamoDB's start keys).
    """

    __slots__ = ("operation", "token_names", "input_tokens", "output_tokens", "more_results", "limit_member",
                 "result_keys", "non_aggregate_keys", "codecs", "limit_is_text")

    def __init__(self, operation: str, token_names: tuple[str, ...], input_tokens: tuple[str, ...],
                 output_tokens: tuple[tuple[Steps, ...], ...], more_results: Steps | None, limit_member: str | None,
                 result_keys: tuple[Steps, ...], non_aggregate_keys: tuple[Steps, ...] = (),
                 codecs: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] | None = None,
                 limit_is_text: bool = False) -> None:
        self.operation = operation
        self.token_names = token_names
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.more_results = more_results
        self.limit_member = limit_member
        self.result_keys = result_keys
        self.non_aggregate_keys = non_aggregate_keys
        self.codecs = codecs or {}
        self.limit_is_text = limit_is_text


class _Pages(Generic[P, I]):
    """What both paginators share: arguments, checks, resume tokens, and the walk over
    pages (:meth:`_walk`), which does no I/O; :class:`Paginator` and
    :class:`AsyncPaginator` drive it with a blocking or an awaited call."""

    _KEEP_STATE = False  # see _walk

    def __init__(self, call: Callable[..., Any], kwargs: dict[str, Any], spec: PaginatorSpec, *,
                 page_size: int | None = None, max_items: int | None = None,
                 starting_token: str | None = None) -> None:
        self._check(spec, page_size, max_items)
        self._call = call
        self._kwargs = {k: v for k, v in kwargs.items() if v is not None}
        self._spec = spec
        self._page_size = page_size
        self._max_items = max_items
        self._start: tuple[dict[str, Any], int] | None = (
            None if starting_token is None else self._decode(starting_token))
        self.resume_token: str | None = None
        #: The non-aggregate members (``non_aggregate_keys``) of the first page, by path.
        self.non_aggregate: dict[Steps, Any] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._spec.operation})"

    @staticmethod
    def _check(spec: PaginatorSpec, page_size: int | None, max_items: int | None) -> None:
        for name, value in (("page_size", page_size), ("max_items", max_items)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise ParamValidationError([f"{name}: must be a positive integer, not {value!r}"])
        if page_size is not None and spec.limit_member is None:
            raise ParamValidationError([f"page_size: {spec.operation} takes no page size"])

    def _repeated(self, next_token: dict[str, Any]) -> Exception:
        """The error for a service that answered the same next token twice."""
        return PaginationError(f"{self._spec.operation}: the service answered the same next token twice "
                               f"({next_token}); stopping instead of asking again forever")

    # ----- the walk (botocore's PageIterator.__iter__, step for step) -----------------
    def _walk(self) -> Generator[tuple[bool, Any], Any, None]:
        """Yields (True, the keyword arguments of the next call), to be sent that call's
        page, and (False, a page to hand out), to be sent None."""
        spec = self._spec
        # botocore injects tokens into the iterator's arguments themselves and keeps its
        # resume token, so iterating its page iterator again goes on from the last page
        # (the compat client does the same); the typed client starts over
        kwargs = self._kwargs if self._KEEP_STATE else dict(self._kwargs)
        next_token: dict[str, Any] = {name: None for name in spec.input_tokens}
        if self._start is not None:
            next_token = dict(self._start[0])
            self._inject(kwargs, next_token)
        if self._page_size is not None and spec.limit_member is not None:
            # a limit member typed as a string (Route 53's MaxItems) takes the number as text
            kwargs[spec.limit_member] = str(self._page_size) if spec.limit_is_text else self._page_size
        if not self._KEEP_STATE:
            self.resume_token = None
        previous: dict[str, Any] | None = None
        total = 0
        first = True
        primary = spec.result_keys[0]
        truncation = 0
        while True:
            page = yield True, kwargs
            if first:
                if self._start is not None:
                    truncation = self._skip_start(page, self._start[1])
                first = False
                self.non_aggregate = {steps: get(page, steps) for steps in spec.non_aggregate_keys}
            else:
                truncation = 0
            items = get(page, primary)
            count = len(items) if isinstance(items, (list, str)) else 0
            over = total + count - self._max_items if self._max_items is not None else 0
            if over > 0:
                keep = count - over
                _put(page, primary, (items or [])[:keep])
                self.resume_token = self._encode({**next_token, "boto_truncate_amount": keep + truncation})
                yield False, page
                return
            yield False, page
            total += count
            next_token = self._next_token(page)
            if all(t is None for t in next_token.values()):
                return
            if self._max_items is not None and total == self._max_items:
                self.resume_token = self._encode(next_token)
                return
            if previous is not None and previous == next_token:
                raise self._repeated(next_token)
            self._inject(kwargs, next_token)
            previous = next_token

    def _items_of(self, page: Any) -> list[Any]:
        found = get(page, self._spec.result_keys[0])
        return found if isinstance(found, list) else []

    def _next_token(self, page: Any) -> dict[str, Any]:
        spec = self._spec
        if spec.more_results is not None and not get(page, spec.more_results):
            return {}
        tokens: dict[str, Any] = {}
        for name, alternatives in zip(spec.input_tokens, spec.output_tokens):
            value = None
            for steps in alternatives:  # "a || b": the first that is not false
                value = get(page, steps)
                if _truthy(value):
                    break
            tokens[name] = value if value else None  # an empty string (or 0) is no token, as botocore has it
        return tokens

    @staticmethod
    def _inject(kwargs: dict[str, Any], tokens: dict[str, Any]) -> None:
        for name, value in tokens.items():
            if value is not None and value != "None":
                kwargs[name] = value
            else:
                kwargs.pop(name, None)

    def _skip_start(self, page: Any, truncation: int) -> int:
        """The first page after a resume token cut mid-page: the items already seen are
        dropped, and the other result keys emptied (they were returned then); a number
        (DynamoDB's Count) is kept, as botocore keeps it."""
        primary, *others = self._spec.result_keys
        found = get(page, primary)
        _put(page, primary, found[truncation:] if isinstance(found, (list, str)) else None)
        for steps in others:
            sample = get(page, steps)
            empty: Any = ([] if isinstance(sample, list) else "" if isinstance(sample, str)
                          else sample if isinstance(sample, (int, float)) else None)
            _put(page, steps, empty)
        return truncation

    # ----- resume tokens ------------------------------------------------------------------
    def _encode(self, tokens: dict[str, Any]) -> str:
        spec = self._spec
        names = dict(zip(spec.input_tokens, spec.token_names))
        out: dict[str, Any] = {}
        for key, value in tokens.items():
            if key in spec.codecs and value is not None:
                value = spec.codecs[key][0](value)
            out[names.get(key, key)] = value
        return encode_token(out)

    def _decode(self, token: str) -> tuple[dict[str, Any], int]:
        spec = self._spec
        try:
            raw = decode_token(token, restore_bytes=False)
            truncation = raw.pop("boto_truncate_amount", 0)
            if not isinstance(truncation, int) or set(raw) != set(spec.token_names):
                raise ValueError("not this paginator's tokens")
            tokens = {}
            for py, name in zip(spec.input_tokens, spec.token_names):
                value = raw[name]
                if py in spec.codecs and value is not None:
                    value = spec.codecs[py][1](value)
                tokens[py] = value
        except (ValueError, TypeError, UnicodeError, KeyError, AttributeError) as exc:
            raise ParamValidationError([f"starting_token: not a resume token of {spec.operation}'s paginator "
                                        f"({exc})"]) from None
        return tokens, truncation


class Paginator(_Pages[P, I]):
    """The pages of one listing (iterate it), or their items (:meth:`items`).

    Nothing is sent until it is iterated; iterating again starts over.
    ``resume_token`` is set when ``max_items`` stopped the listing before its end.
    """

    def __iter__(self) -> Iterator[P]:
        walk = self._walk()
        step = next(walk, None)
        while step is not None:
            call, value = step
            if call:
                step = resume(walk, self._call(**value))
            else:
                yield value
                step = resume(walk, None)

    def items(self) -> Iterator[I]:
        """The items of the primary result key, across pages."""
        for page in self:
            yield from self._items_of(page)


class AsyncPaginator(_Pages[P, I]):
    """:class:`Paginator` for the asyncio client: ``async for page in paginator``."""

    async def __aiter__(self) -> AsyncIterator[P]:
        walk = self._walk()
        step = next(walk, None)
        while step is not None:
            call, value = step
            if call:
                step = resume(walk, await self._call(**value))
            else:
                yield value
                step = resume(walk, None)

    async def items(self) -> AsyncIterator[I]:
        """The items of the primary result key, across pages."""
        async for page in self:
            for item in self._items_of(page):
                yield item


def encode_token(token: dict[str, Any]) -> str:
    """A resume token as botocore's ``TokenEncoder`` writes it: base64 of the JSON; bytes
    anywhere inside are written as base64 text and their paths listed under
    ``boto_encoded_keys``."""
    try:
        text = json.dumps(token)
    except (TypeError, UnicodeDecodeError):
        encoded: list[list[str | int]] = []
        text = json.dumps({**_encode_bytes(token, [], encoded), "boto_encoded_keys": encoded})
    return base64.b64encode(text.encode("utf-8")).decode("utf-8")


def _encode_bytes(value: Any, path: list[str | int], found: list[list[str | int]]) -> Any:
    if isinstance(value, dict):
        return {k: _encode_bytes(v, [*path, k], found) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode_bytes(v, [*path, i], found) for i, v in enumerate(value)]
    if isinstance(value, bytes):
        found.append(path)
        return base64.b64encode(value).decode("utf-8")
    return value


def decode_token(token: str, *, restore_bytes: bool = True) -> dict[str, Any]:
    """The dict of a resume token (:func:`encode_token`'s inverse; botocore's
    ``TokenDecoder``): the values listed under ``boto_encoded_keys`` become bytes again
    (or stay base64 text with ``restore_bytes=False``). Raises ValueError or TypeError
    when ``token`` is none."""
    raw = json.loads(base64.b64decode(token.encode("ascii"), validate=True).decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    paths = raw.pop("boto_encoded_keys", None)
    if restore_bytes and paths is not None:
        for path in paths:
            parent = raw
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = base64.b64decode(parent[path[-1]].encode("utf-8"))
    return raw


def resume(steps: Generator[Y, Any, None], value: Any) -> Y | None:
    """The next step of a no-I/O walk (the paginators' and waiters'), or None at its end."""
    try:
        return steps.send(value)
    except StopIteration:
        return None
