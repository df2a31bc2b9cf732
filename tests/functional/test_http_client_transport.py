"""The optional http.client transport against the real local server: same behaviour as urllib3's."""

from __future__ import annotations

import time

import pytest

from aws_connectparticipant import Client, Config, errors
from awsgen_runtime.errors import ReadTimeoutError, ResponseParseError, TransportError
from awsgen_runtime.transport import HttpClientTransport


@pytest.fixture
def client(server):
    transport = HttpClientTransport()
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(max_attempts=1), transport=transport)
    yield c
    c.close()


def test_request_and_response_round_trip(client, server) -> None:
    server.reply(200, {"Websocket": {"Url": "wss://x", "ConnectionExpiry": "e"}})
    out = client.create_participant_connection(participant_token="tok", type=["WEBSOCKET"])
    assert out.websocket.url == "wss://x"
    req = server.last
    assert (req.method, req.path, req.headers["X-Amz-Bearer"]) == ("POST", "/participant/connection", "tok")
    assert req.json() == {"Type": ["WEBSOCKET"]}
    server.reply(200, {"View": {"Id": "v"}})
    assert client.describe_view(view_token="a/b", connection_token="c").view.id == "v"
    assert server.last.path == "/participant/views/a%2Fb" and server.last.body == b""


def test_connections_are_reused(client, server) -> None:
    for _ in range(5):
        server.reply(200, {})
        client.disconnect_participant(connection_token="c")
    transport = client._transport
    assert sum(len(v) for v in transport._idle.values()) == 1  # one keep-alive connection served all


def test_errors_and_malformed_bodies(client, server) -> None:
    server.reply(403, {"message": "no"}, {"x-amzn-errortype": "AccessDeniedException"})
    with pytest.raises(errors.AccessDeniedException) as info:
        client.disconnect_participant(connection_token="c")
    assert (info.value.status_code, info.value.message) == (403, "no")
    server.reply(200, b"<html>")
    with pytest.raises(ResponseParseError):
        client.get_authentication_url(session_id="1" * 36, redirect_uri="r", connection_token="c")
    server.reply_raw(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"Auth")
    with pytest.raises((TransportError, ResponseParseError)):
        client.get_authentication_url(session_id="1" * 36, redirect_uri="r", connection_token="c")


def test_a_connection_the_server_closed_is_replaced(client, server) -> None:
    # The server answers as if keeping the connection alive, then closes it.
    server.reply_raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    client.disconnect_participant(connection_token="c")
    assert sum(len(v) for v in client._transport._idle.values()) == 1
    time.sleep(0.05)
    server.reply(200, {"AuthenticationUrl": "u"})
    out = client.get_authentication_url(session_id="1" * 36, redirect_uri="r", connection_token="c")
    assert out.authentication_url == "u"
    assert len(server.requests) == 2  # the retried send reached the server once


def test_read_timeout(slow_server_url) -> None:
    c = Client(region="us-east-1", endpoint_url=slow_server_url, config=Config(max_attempts=1),
               transport=HttpClientTransport(read_timeout=0.2))
    with pytest.raises(ReadTimeoutError):
        c.disconnect_participant(connection_token="c")


def test_connection_refused() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = Client(region="us-east-1", endpoint_url=f"http://127.0.0.1:{port}", config=Config(max_attempts=1),
               transport=HttpClientTransport())
    with pytest.raises(TransportError):
        c.disconnect_participant(connection_token="c")
