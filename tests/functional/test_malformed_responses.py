"""Bad responses raise typed errors, never a KeyError or a deep traceback."""

from __future__ import annotations

import pytest

from aws_connectparticipant import Client, Config, errors
from awsgen_runtime.errors import AwsGenError, ResponseParseError, TransportError


@pytest.fixture
def client(server):
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(max_attempts=1))
    yield c
    c.close()


def test_non_json_success_body(client, server) -> None:
    server.reply(200, b"this is not json")
    with pytest.raises(ResponseParseError) as info:
        client.get_authentication_url(session_id="1" * 36, redirect_uri="r", connection_token="c")
    assert "GetAuthenticationUrl" in str(info.value) and info.value.status_code == 200


def test_html_502_from_a_proxy(client, server) -> None:
    server.reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"Content-Type": "text/html"})
    with pytest.raises(errors.ConnectParticipantError) as info:
        client.create_participant_connection(participant_token="t")
    assert info.value.status_code == 502 and info.value.code == "502"
    assert "502 Bad Gateway" in info.value.message


@pytest.mark.parametrize("body", [
    {"Websocket": "not an object"},
    {"Websocket": {"Url": 5}},
    {"ConnectionCredentials": []},
    ["a", "list"],
    {"WebRTCConnection": {"Meeting": {"MediaPlacement": {"AudioHostUrl": {"x": 1}}}}},
])
def test_wrong_json_types(client, server, body) -> None:
    server.reply(200, body)
    with pytest.raises(ResponseParseError):
        client.create_participant_connection(participant_token="t")


def test_wrong_types_in_lists_and_numbers(client, server) -> None:
    server.reply(200, {"Transcript": [{"Id": 1}]})
    with pytest.raises(ResponseParseError):
        client.get_transcript(connection_token="c")
    server.reply(200, {"AttachmentSizeInBytes": "12"})
    with pytest.raises(ResponseParseError):
        client.get_attachment(attachment_id="a", connection_token="c")


def test_truncated_body(client, server) -> None:
    server.reply_raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Websocket\": {\"Ur")
    with pytest.raises(AwsGenError) as info:
        client.create_participant_connection(participant_token="t")
    assert isinstance(info.value, (TransportError, ResponseParseError))


def test_truncated_json_with_matching_length(client, server) -> None:
    server.reply(200, b'{"Websocket": {"Url": "wss://')
    with pytest.raises(ResponseParseError):
        client.create_participant_connection(participant_token="t")


def test_error_body_that_is_not_json_still_maps_by_header(client, server) -> None:
    server.reply(429, b"slow down", {"x-amzn-errortype": "ThrottlingException"})
    with pytest.raises(errors.ThrottlingException) as info:
        client.create_participant_connection(participant_token="t")
    assert info.value.status_code == 429


def test_connection_refused_is_a_transport_error() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = Client(region="us-east-1", endpoint_url=f"http://127.0.0.1:{port}", config=Config(max_attempts=1))
    with pytest.raises(TransportError):
        c.create_participant_connection(participant_token="t")


def test_deeply_nested_json_is_a_parse_error_not_a_crash(client, server) -> None:
    deep = b'{"Websocket": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    server.reply(200, deep)
    with pytest.raises(ResponseParseError):
        client.create_participant_connection(participant_token="t")
    server.reply(500, deep, {"x-amzn-errortype": "InternalServerException"})
    with pytest.raises(errors.InternalServerException):
        client.create_participant_connection(participant_token="t")
