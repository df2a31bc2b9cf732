"""Signing, anonymous use, credentials, retries and timeouts, against a real local server."""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from aws_connectparticipant import Client, Config, Credentials, errors, shapes
from awsgen_runtime.errors import NoCredentialsError, ReadTimeoutError, TransportError
from awsgen_runtime.retries import RetryConfig

AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def no_aws_env(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "nocreds"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "noconfig"))


def _sleeps():
    slept: list[float] = []
    return slept, RetryConfig(max_attempts=3, sleep=slept.append, random=lambda: 0.5)


def test_signed_request_matches_botocores_signature(server, no_aws_env) -> None:
    creds = Credentials(AKID, SECRET, "session-token")
    c = Client(region="us-west-2", endpoint_url=server.url, credentials=creds, anonymous=False)
    server.reply(200, {})
    c.send_message(content_type="text/plain", content="hi", connection_token="ct", client_token="k")
    req = server.last
    auth = req.headers["Authorization"]
    assert auth.startswith(f"AWS4-HMAC-SHA256 Credential={AKID}/")
    assert "/us-west-2/execute-api/aws4_request" in auth
    assert req.headers["X-Amz-Security-Token"] == "session-token"
    # botocore signs the same request, at the same instant, to the same signature
    # (Through botocore's signature steps, not add_auth, which would read the clock again
    # and differ whenever a second ticks between the two signatures.)
    signed_names = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    headers = {k: v for k, v in req.headers.items() if k.lower() in signed_names}
    aws_req = AWSRequest(method=req.method, url=server.url + req.path, data=req.body, headers=headers)
    aws_req.context["timestamp"] = req.headers["X-Amz-Date"]
    signer = SigV4Auth(BotoCredentials(AKID, SECRET, "session-token"), "execute-api", "us-west-2")
    expected = signer.signature(signer.string_to_sign(aws_req, signer.canonical_request(aws_req)), aws_req)
    assert auth.split("Signature=")[1] == expected


def test_connectparticipant_is_anonymous_by_default(server, no_aws_env) -> None:
    c = Client(region="us-east-1", endpoint_url=server.url)
    server.reply(200, {})
    c.disconnect_participant(connection_token="ct")
    assert "Authorization" not in server.last.headers
    assert "X-Amz-Date" not in server.last.headers
    assert server.last.headers["X-Amz-Bearer"] == "ct"


def test_explicit_credentials_sign_and_env_credentials_sign_when_not_anonymous(server, no_aws_env, monkeypatch) -> None:
    Client(region="us-east-1", endpoint_url=server.url, aws_access_key_id=AKID,
           aws_secret_access_key=SECRET).disconnect_participant(connection_token="ct")
    assert "Authorization" in server.last.headers
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    Client(region="us-east-1", endpoint_url=server.url, anonymous=False).disconnect_participant(connection_token="ct")
    assert "Credential=AKIDFROMENV/" in server.last.headers["Authorization"]


def test_missing_credentials_say_where_they_looked(server, no_aws_env) -> None:
    client = Client(region="us-east-1", endpoint_url=server.url, anonymous=False)  # made, as boto3's is
    with pytest.raises(NoCredentialsError) as info:
        client.disconnect_participant(connection_token="ct")  # the first signed call looks
    text = str(info.value)
    assert "AWS_ACCESS_KEY_ID" in text and "nocreds" in text
    assert server.requests == []


def test_credentials_are_looked_for_at_the_first_signed_call(server, no_aws_env, monkeypatch) -> None:
    client = Client(region="us-east-1", endpoint_url=server.url, anonymous=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDLATER")  # set after the client was made
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "latersecret")
    client.disconnect_participant(connection_token="ct")
    assert "Credential=AKIDLATER/" in server.last.headers["Authorization"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDCHANGED")  # kept once found
    client.disconnect_participant(connection_token="ct")
    assert "Credential=AKIDLATER/" in server.last.headers["Authorization"]


def test_a_key_without_its_secret_fails_at_construction(no_aws_env) -> None:
    with pytest.raises(NoCredentialsError, match="secret_key"):
        Client(region="us-east-1", aws_access_key_id="AKIDONLY")


def test_region_from_the_environment(no_aws_env, monkeypatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    assert Client().region == "ap-south-1"


def test_secrets_never_appear_in_reprs(server, no_aws_env) -> None:
    creds = Credentials(AKID, SECRET, "tok3n")
    c = Client(region="us-east-1", endpoint_url=server.url, credentials=creds, anonymous=False)
    for text in (repr(c), repr(creds), str(creds)):
        assert SECRET not in text and "tok3n" not in text
    attendee = shapes.Attendee(attendee_id="a1", join_token="very-secret-join-token")
    assert "very-secret-join-token" not in repr(attendee) and "a1" in repr(attendee)


def test_throttled_then_answers(server, no_aws_env) -> None:
    slept, retry = _sleeps()
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(retry=retry))
    server.reply(429, {"message": "slow"}, {"x-amzn-errortype": "ThrottlingException"})
    server.reply(503, b"", {})
    server.reply(200, {"AuthenticationUrl": "https://ok"})
    out = c.get_authentication_url(session_id="1" * 36, redirect_uri="r", connection_token="c")
    assert out.authentication_url == "https://ok"
    assert len(server.requests) == 3
    assert slept == [0.5, 1.0]  # full jitter with random()=0.5: 0.5 * 1, 0.5 * 2


def test_gives_up_after_max_attempts(server, no_aws_env) -> None:
    slept, retry = _sleeps()
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(retry=retry))
    for _ in range(5):
        server.reply(500, {"message": "boom"}, {"x-amzn-errortype": "InternalServerException"})
    with pytest.raises(errors.InternalServerException):
        c.disconnect_participant(connection_token="c")
    assert len(server.requests) == 3 and len(slept) == 2


def test_client_errors_are_not_retried(server, no_aws_env) -> None:
    slept, retry = _sleeps()
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(retry=retry))
    server.reply(403, {"message": "no"}, {"x-amzn-errortype": "AccessDeniedException"})
    with pytest.raises(errors.AccessDeniedException):
        c.disconnect_participant(connection_token="c")
    assert len(server.requests) == 1 and slept == []


def test_retry_quota_stops_retrying(server, no_aws_env) -> None:
    slept: list[float] = []
    retry = RetryConfig(max_attempts=5, quota=10, sleep=slept.append, random=lambda: 0.0)
    c = Client(region="us-east-1", endpoint_url=server.url, config=Config(retry=retry))
    for _ in range(10):
        server.reply(503, b"", {})
    with pytest.raises(errors.ConnectParticipantError):
        c.disconnect_participant(connection_token="c")
    assert len(server.requests) == 3  # two retries of cost 5 empty the quota of 10


def test_connection_failures_are_retried() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    slept, retry = _sleeps()
    c = Client(region="us-east-1", endpoint_url=f"http://127.0.0.1:{port}", config=Config(retry=retry))
    with pytest.raises(TransportError):
        c.disconnect_participant(connection_token="c")
    assert len(slept) == 2


def test_read_timeout_is_configurable(slow_server_url) -> None:
    c = Client(region="us-east-1", endpoint_url=slow_server_url, config=Config(read_timeout=0.2, max_attempts=1))
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        c.disconnect_participant(connection_token="c")
    assert time.monotonic() - started < 0.9


def test_timestamp_helpers_are_timezone_aware() -> None:
    from awsgen_runtime.wire import p_ts

    assert p_ts(1700000000) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    assert p_ts("2023-11-14T22:13:20.5Z").tzinfo is not None


def test_a_profile_turns_signing_on_for_an_anonymous_by_default_service(server, no_aws_env, tmp_path, monkeypatch) -> None:
    creds = tmp_path / "creds"
    creds.write_text("[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    Client(region="us-east-1", endpoint_url=server.url, profile="dev").disconnect_participant(connection_token="c")
    assert "Credential=AKIDPROFILE/" in server.last.headers["Authorization"]


def test_adaptive_mode_waits_after_throttles(server, no_aws_env) -> None:
    """Adaptive mode: no waiting until the service throttles; then the client-side rate
    limit makes later attempts wait (the delays go through the retry sleep)."""
    slept: list[float] = []
    retry = RetryConfig(max_attempts=3, sleep=slept.append, random=lambda: 0.0)
    c = Client(region="us-east-1", endpoint_url=server.url, credentials=Credentials(AKID, SECRET),
               config=Config(retry=retry, retry_mode="adaptive"))
    for _ in range(3):
        server.reply(200, {})
        c.disconnect_participant(connection_token="ct")
    assert slept == [] and not c._limiter.enabled
    throttle = {"__type": "ThrottlingException", "message": "slow down"}
    for _ in range(2):
        server.reply(429, throttle)
        server.reply(429, throttle)
        server.reply(200, {})
        c.disconnect_participant(connection_token="ct")
    assert c._limiter.enabled
    assert any(s > 0 for s in slept)  # the rate limit's waits, beside the (zero) backoffs
    standard = Client(region="us-east-1", endpoint_url=server.url, credentials=Credentials(AKID, SECRET),
                      config=Config(retry=retry))
    assert standard._limiter is None
