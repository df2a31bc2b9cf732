"""Every ConnectParticipant operation against a real HTTP server on 127.0.0.1.

Each test asserts the exact request the server received and the parsed result.
"""

from __future__ import annotations

import json
import uuid

import pytest

from aws_connectparticipant import Client, Config, errors, shapes
from awsgen_runtime.errors import ParamValidationError, ServiceError


@pytest.fixture
def client(server):
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(max_attempts=1))
    yield c
    c.close()


def _is_uuid4(text: str) -> bool:
    return uuid.UUID(text).version == 4


def test_default_endpoint_follows_the_region() -> None:
    assert Client(region="eu-west-2").endpoint_url == "https://participant.connect.eu-west-2.amazonaws.com"


def test_create_participant_connection(client, server) -> None:
    server.reply(200, {
        "Websocket": {"Url": "wss://ws.example/abc", "ConnectionExpiry": "2024-01-01T00:00:00Z"},
        "ConnectionCredentials": {"ConnectionToken": "conn-tok", "Expiry": "2024-01-02T00:00:00Z"},
        "WebRTCConnection": {
            "Attendee": {"AttendeeId": "att-1", "JoinToken": "join"},
            "Meeting": {"MeetingId": "m-1", "MediaRegion": "us-east-1",
                        "MediaPlacement": {"AudioHostUrl": "https://audio", "SignalingUrl": "wss://sig"}},
        },
    })
    out = client.create_participant_connection(
        participant_token="p-token",
        type=[shapes.ConnectionType.WEBSOCKET, shapes.ConnectionType.CONNECTION_CREDENTIALS],
        connect_participant=True,
    )
    req = server.last
    assert (req.method, req.path) == ("POST", "/participant/connection")
    assert req.headers["X-Amz-Bearer"] == "p-token"
    assert req.headers["Content-Type"] == "application/json"
    assert req.json() == {"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": True}
    assert isinstance(out, shapes.CreateParticipantConnectionResponse)
    assert out.websocket == shapes.Websocket(url="wss://ws.example/abc", connection_expiry="2024-01-01T00:00:00Z")
    assert out.connection_credentials.connection_token == "conn-tok"
    assert out.connection_credentials.expiry == "2024-01-02T00:00:00Z"  # a string in the model: stays one
    assert out.web_rtc_connection.attendee.attendee_id == "att-1"
    assert out.web_rtc_connection.meeting.media_placement.signaling_url == "wss://sig"


def test_absent_members_are_omitted(client, server) -> None:
    server.reply(200, {})
    client.create_participant_connection(participant_token="t")
    assert server.last.body in (b"", b"{}")
    assert "Type" not in (server.last.json() if server.last.body else {})


def test_validation_collects_every_problem_before_any_io(client, server) -> None:
    with pytest.raises(ParamValidationError) as info:
        client.create_participant_connection(participant_token="x" * 1001, type=[], connect_participant="yes")  # type: ignore[arg-type]
    assert sorted(info.value.problems) == sorted([
        "type: item count must be at least 1, got 0",
        "participant_token: length must be between 1 and 1000, got 1001",
        "connect_participant: expected bool, got str",
    ])
    with pytest.raises(ParamValidationError) as info:
        client.create_participant_connection(participant_token="t", type=["WEBSOCKET", "CARRIER_PIGEON"])
    assert info.value.problems == [
        "type[1]: 'CARRIER_PIGEON' is not one of WEBSOCKET, CONNECTION_CREDENTIALS, WEBRTC_CONNECTION"]
    with pytest.raises(TypeError):
        client.create_participant_connection()  # type: ignore[call-arg]
    assert server.requests == []


def test_describe_view_get_with_percent_encoded_label(client, server) -> None:
    server.reply(200, {"View": {"Id": "v1", "Arn": "arn:aws:connect:view", "Name": "Form", "Version": 3,
                                "Content": {"InputSchema": "{}", "Template": "<t/>", "Actions": ["Submit"]}}})
    out = client.describe_view(view_token="tok/with space+plus", connection_token="c")
    req = server.last
    assert (req.method, req.path, req.body) == ("GET", "/participant/views/tok%2Fwith%20space%2Bplus", b"")
    assert req.headers["X-Amz-Bearer"] == "c"
    assert out.view.version == 3
    assert out.view.content.actions == ["Submit"]


def test_cancel_participant_authentication(client, server) -> None:
    server.reply(200, {})
    sid = "12345678-1234-1234-1234-123456789012"
    out = client.cancel_participant_authentication(session_id=sid, connection_token="c")
    assert (server.last.method, server.last.path) == ("POST", "/participant/cancel-authentication")
    assert server.last.json() == {"SessionId": sid}
    assert out == shapes.CancelParticipantAuthenticationResponse()


def test_complete_attachment_upload_fills_idempotency_token(client, server) -> None:
    server.reply(200, {})
    client.complete_attachment_upload(attachment_ids=["a1"], connection_token="c")
    body = server.last.json()
    assert server.last.path == "/participant/complete-attachment-upload"
    assert body["AttachmentIds"] == ["a1"] and _is_uuid4(body["ClientToken"])
    client.complete_attachment_upload(attachment_ids=["a1"], client_token="mine", connection_token="c")
    assert server.last.json()["ClientToken"] == "mine"


def test_disconnect_participant(client, server) -> None:
    server.reply(200, {})
    client.disconnect_participant(connection_token="c", client_token="ct")
    assert (server.last.path, server.last.json()) == ("/participant/disconnect", {"ClientToken": "ct"})


def test_get_attachment(client, server) -> None:
    server.reply(200, {"Url": "https://s3/obj", "UrlExpiry": "2024-01-01T00:00:00Z", "AttachmentSizeInBytes": 12345678901})
    out = client.get_attachment(attachment_id="att", connection_token="c", url_expiry_in_seconds=60)
    assert server.last.json() == {"AttachmentId": "att", "UrlExpiryInSeconds": 60}
    assert (out.url, out.url_expiry, out.attachment_size_in_bytes) == (
        "https://s3/obj", "2024-01-01T00:00:00Z", 12345678901)


def test_get_authentication_url(client, server) -> None:
    server.reply(200, {"AuthenticationUrl": "https://auth"})
    sid = "12345678-1234-1234-1234-123456789012"
    out = client.get_authentication_url(session_id=sid, redirect_uri="https://back", connection_token="c")
    assert server.last.json() == {"SessionId": sid, "RedirectUri": "https://back"}
    assert out.authentication_url == "https://auth"


def test_get_transcript_parses_nested_lists_and_enums(client, server) -> None:
    server.reply(200, {
        "InitialContactId": "c0",
        "NextToken": "n2",
        "Transcript": [
            {"Id": "i1", "Type": "MESSAGE", "ParticipantRole": "CUSTOMER", "Content": "hi",
             "Attachments": [{"AttachmentId": "a", "Status": "APPROVED"}],
             "MessageMetadata": {"MessageId": "i1", "Receipts": [{"DeliveredTimestamp": "t1", "RecipientParticipantId": "p"}]}},
            {"Id": "i2", "Type": "SOMETHING_NEW", "ParticipantRole": "AGENT"},
        ],
    })
    out = client.get_transcript(
        connection_token="c", contact_id="c0", max_results=2, next_token="n1",
        scan_direction="BACKWARD", sort_order="ASCENDING", start_position=shapes.StartPosition(id="i0"),
    )
    assert server.last.json() == {"ContactId": "c0", "MaxResults": 2, "NextToken": "n1", "ScanDirection": "BACKWARD",
                                  "SortOrder": "ASCENDING", "StartPosition": {"Id": "i0"}}
    first, second = out.transcript
    assert first.type == shapes.ChatItemType.MESSAGE and isinstance(first.type, shapes.ChatItemType)
    assert first.attachments[0].status == "APPROVED"
    assert first.message_metadata.receipts[0].delivered_timestamp == "t1"
    # a value the model does not know yet parses and is kept
    assert second.type == "SOMETHING_NEW" and not second.type.is_known
    assert out.next_token == "n2"


def test_send_event(client, server) -> None:
    server.reply(200, {"Id": "e1", "AbsoluteTime": "2024-01-01T00:00:00.000Z"})
    out = client.send_event(content_type="application/vnd.amazonaws.connect.event.typing", connection_token="c")
    body = server.last.json()
    assert body["ContentType"] == "application/vnd.amazonaws.connect.event.typing"
    assert _is_uuid4(body["ClientToken"])
    assert (out.id, out.absolute_time) == ("e1", "2024-01-01T00:00:00.000Z")


def test_send_message(client, server) -> None:
    server.reply(200, {"Id": "m1", "AbsoluteTime": "t", "MessageMetadata": {"MessageId": "m1", "MessageProcessingStatus": "PROCESSING"}})
    out = client.send_message(content_type="text/plain", content="héllo \"world\"", connection_token="c", client_token="k")
    assert server.last.json() == {"ContentType": "text/plain", "Content": "héllo \"world\"", "ClientToken": "k"}
    assert out.message_metadata.message_processing_status == "PROCESSING"


def test_start_attachment_upload(client, server) -> None:
    server.reply(200, {"AttachmentId": "a1", "UploadMetadata": {"Url": "https://up", "UrlExpiry": "x",
                                                                "HeadersToInclude": {"x-amz-meta": "1"}}})
    out = client.start_attachment_upload(content_type="image/png", attachment_size_in_bytes=10,
                                         attachment_name="a.png", client_token="k", connection_token="c")
    assert server.last.json() == {"ContentType": "image/png", "AttachmentSizeInBytes": 10,
                                  "AttachmentName": "a.png", "ClientToken": "k"}
    assert out.upload_metadata.headers_to_include == {"x-amz-meta": "1"}


@pytest.mark.parametrize("code, status, cls", [
    ("AccessDeniedException", 403, errors.AccessDeniedException),
    ("InternalServerException", 500, errors.InternalServerException),
    ("ThrottlingException", 429, errors.ThrottlingException),
    ("ValidationException", 400, errors.ValidationException),
])
def test_modeled_errors(client, server, code, status, cls) -> None:
    server.reply(status, {"message": f"{code} happened"},
                 {"x-amzn-errortype": f"{code}:http://internal.amazon.com/coral/", "x-amzn-RequestId": "rid-1"})
    with pytest.raises(cls) as info:
        client.create_participant_connection(participant_token="t")
    err = info.value
    assert isinstance(err, errors.ConnectParticipantError) and isinstance(err, ServiceError)
    assert (err.code, err.message, err.status_code, err.request_id) == (code, f"{code} happened", status, "rid-1")


def test_error_code_from_body_type_with_namespace(client, server) -> None:
    server.reply(404, {"__type": "com.amazonaws.connect#ResourceNotFoundException", "Message": "gone",
                       "ResourceId": "v1", "ResourceType": "VIEW"})
    with pytest.raises(errors.ResourceNotFoundException) as info:
        client.describe_view(view_token="v", connection_token="c")
    assert (info.value.message, info.value.resource_id, info.value.resource_type) == ("gone", "v1", "VIEW")


def test_unknown_error_code_raises_the_service_base(client, server) -> None:
    server.reply(418, {"message": "short and stout"}, {"x-amzn-errortype": "TeapotException"})
    with pytest.raises(errors.ConnectParticipantError) as info:
        client.create_participant_connection(participant_token="t")
    assert type(info.value) is errors.ConnectParticipantError
    assert (info.value.code, info.value.message, info.value.status_code) == ("TeapotException", "short and stout", 418)
