"""Event-stream answers on the boto3-compatible client, as botocore's ``EventStream``.

The runtime's decoder and reader (:class:`awsgen_runtime.eventstream.EventStream`) with
botocore's results: each event is ``{event type: its dict}`` (an event type the model
does not know is skipped, as botocore skips the ``{}`` it parses to); an exception event raises
``EventStreamError`` (botocore's, a ``ClientError``, when botocore is installed) whose
``.response`` is botocore's: ``{"Error": {"Code": the exception type, "Message": its
body's message}}``, or the ``:error-code`` / ``:error-message`` headers of an error
message or of an exception the model does not list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..eventstream import EventStream, EventStreamError, Message
from .errors import event_stream_error_class

EventParser = Callable[[dict[str, Any], bytes], dict[str, Any]]


def _one(**event: Any) -> dict[str, Any]:
    return event


class CompatEventStream(EventStream[dict[str, Any]]):
    """botocore's ``EventStream`` of dicts: iterate it, ``close()`` it, use it in ``with``."""

    def __init__(self, body: Any, events: dict[str, EventParser], exceptions: dict[str, EventParser],
                 operation: str) -> None:
        super().__init__(body, _one, {name: (name, parse) for name, parse in events.items()})
        self._exception_parsers = exceptions
        self._operation = operation

    def get_initial_response(self) -> Any:
        """botocore's name for the answer's other members (json protocols): already in the
        answer's dict, as botocore puts them."""
        return self.initial_response

    def _event(self, message: Message) -> dict[str, Any] | None:
        headers = message.headers
        kind = headers.get(":message-type")
        if kind == "event":
            name = headers.get(":event-type")
            if not isinstance(name, str) or name not in self._events:
                return None  # botocore: an event type its model does not know parses to {}, not yielded
            return super()._event(message)
        if kind in ("exception", "error"):
            name = str(headers.get(":exception-type", ""))
            parse = self._exception_parsers.get(name) if kind == "exception" else None
            if parse is not None:
                try:
                    body = parse(headers, message.payload)
                except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
                    raise EventStreamError("payload", f"the {name} exception event could not be parsed: "
                                                      f"{exc}") from exc
                error = {"Code": name, "Message": body.get("Message", body.get("message", ""))}
            else:
                error = {"Code": headers.get(":error-code", ""), "Message": headers.get(":error-message", "")}
            raise event_stream_error_class()({"Error": error}, self._operation)
        raise EventStreamError("header", f"an event-stream message of unknown type {kind!r}")
