"""Assumed roles and web identity against STS in a moto server, through the generated STS
client, beside botocore's own chain on the same files and environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from awsgen_runtime.credentials import resolve_credentials
from awsgen_runtime.errors import CredentialRetrievalError
from awsgen_runtime.refresh import RefreshableCredentials

SECRET = "sourceSecretDoNotLeak0123456789"


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moto_url: str) -> Path:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return tmp_path


@pytest.fixture
def sts_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str | None]]]:
    """(role ARN, access key that signed the call) of every AssumeRole the runtime makes."""
    import aws_sts

    calls: list[tuple[str, str | None]] = []
    original = aws_sts.Client.assume_role

    def spy(self: Any, **kw: Any) -> Any:
        calls.append((kw["role_arn"], self._credentials.access_key))
        return original(self, **kw)

    monkeypatch.setattr(aws_sts.Client, "assume_role", spy)
    yield calls


def botocore_keys(profile: str | None = None) -> Any:
    import botocore.session

    session = botocore.session.Session(profile=profile)
    creds = session.get_credentials()
    return creds.method, creds.get_frozen_credentials()


def role(n: str) -> str:
    return f"arn:aws:iam::123456789012:role/{n}"


def test_role_chain_through_source_profiles(aws_home: Path, sts_calls: list[Any]) -> None:
    (aws_home / "credentials").write_text(f"[base]\naws_access_key_id = AKBASE\naws_secret_access_key = {SECRET}\n")
    (aws_home / "config").write_text(
        f"[profile middle]\nrole_arn = {role('Middle')}\nsource_profile = base\n"
        f"[profile top]\nrole_arn = {role('Top')}\nsource_profile = middle\nrole_session_name = me\n"
        "external_id = ext-1\nduration_seconds = 1800\n")
    source = resolve_credentials(profile="top")
    assert isinstance(source, RefreshableCredentials)
    keys = source.frozen()
    assert keys.access_key.startswith("ASIA") and keys.token and keys.account_id == "123456789012"
    (first_role, first_key), (second_role, second_key) = sts_calls
    assert (first_role, first_key) == (role("Middle"), "AKBASE")  # the base keys assume the middle role
    assert second_role == role("Top") and second_key is not None and second_key.startswith("ASIA")
    method, theirs = botocore_keys("top")
    assert method == "assume-role" and theirs.access_key.startswith("ASIA")
    assert theirs.account_id == keys.account_id


def test_credential_source_environment(aws_home: Path, sts_calls: list[Any],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    (aws_home / "config").write_text(f"[profile r]\nrole_arn = {role('R')}\ncredential_source = Environment\n")
    assert resolve_credentials(profile="r").frozen().access_key.startswith("ASIA")  # type: ignore[union-attr]
    assert sts_calls == [(role("R"), "AKENV")]


def test_a_client_signs_with_the_assumed_role(aws_home: Path, moto_url: str) -> None:
    (aws_home / "credentials").write_text(f"[base]\naws_access_key_id = AKBASE\naws_secret_access_key = {SECRET}\n")
    (aws_home / "config").write_text(f"[profile app]\nrole_arn = {role('App')}\nsource_profile = base\n"
                                     "region = us-east-1\n")
    from aws_dynamodb import Client

    client = Client(profile="app", endpoint_url=moto_url)
    assert client.list_tables().table_names == []
    assert client._credentials.access_key.startswith("ASIA")


@pytest.mark.parametrize(
    "config, expected",
    [
        (f"[profile a]\nrole_arn = {role('A')}\nsource_profile = b\n[profile b]\nrole_arn = {role('B')}\n"
         "source_profile = a\n", "loop: a -> b -> a"),
        (f"[profile a]\nrole_arn = {role('A')}\n", "needs source_profile or credential_source"),
        (f"[profile a]\nrole_arn = {role('A')}\nsource_profile = b\ncredential_source = Environment\n",
         "both source_profile and credential_source"),
        (f"[profile a]\nrole_arn = {role('A')}\ncredential_source = Laptop\n", "'Laptop' is not one of"),
        (f"[profile a]\nrole_arn = {role('A')}\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/me\n"
         f"[profile b]\naws_access_key_id = AK\naws_secret_access_key = {SECRET}\n", "MFA code are not supported"),
        (f"[profile a]\nrole_arn = {role('A')}\nsource_profile = b\n[profile b]\nregion = x\n",
         "source_profile 'b' has no credentials"),
    ],
)
def test_role_configuration_errors(aws_home: Path, config: str, expected: str) -> None:
    (aws_home / "config").write_text(config)
    with pytest.raises(CredentialRetrievalError, match=expected) as info:
        resolve_credentials(profile="a")
    assert SECRET not in str(info.value)


def test_self_sourced_role_uses_the_profiles_own_keys(aws_home: Path, sts_calls: list[Any]) -> None:
    (aws_home / "config").write_text(f"[profile a]\nrole_arn = {role('A')}\nsource_profile = a\n"
                                     f"aws_access_key_id = AKSELF\naws_secret_access_key = {SECRET}\n")
    resolve_credentials(profile="a").frozen()  # type: ignore[union-attr]
    assert sts_calls == [(role("A"), "AKSELF")]
    assert botocore_keys("a")[0] == "assume-role"


def test_web_identity_from_environment_and_profile(aws_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = aws_home / "token"
    token.write_text("eyJhbGciOi.fake.jwt\n")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", role("Pod"))
    monkeypatch.setenv("AWS_ROLE_SESSION_NAME", "pod-session")
    keys = resolve_credentials().frozen()  # type: ignore[union-attr]
    assert keys.access_key.startswith("ASIA") and keys.account_id == "123456789012"
    method, theirs = botocore_keys()
    assert method == "assume-role-with-web-identity" and theirs.access_key.startswith("ASIA")
    for name in ("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"):
        monkeypatch.delenv(name)
    (aws_home / "config").write_text(f"[profile w]\nweb_identity_token_file = {token}\nrole_arn = {role('W')}\n")
    assert resolve_credentials(profile="w").frozen().access_key.startswith("ASIA")  # type: ignore[union-attr]
    assert botocore_keys("w")[0] == "assume-role-with-web-identity"


def test_web_identity_without_role_or_token(aws_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(aws_home / "missing"))
    with pytest.raises(CredentialRetrievalError, match="no role ARN"):
        resolve_credentials()
    monkeypatch.setenv("AWS_ROLE_ARN", role("Pod"))
    with pytest.raises(CredentialRetrievalError, match="cannot read the token file"):
        resolve_credentials().frozen()  # type: ignore[union-attr]


def test_sts_refusal_is_named(aws_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A duration under STS's minimum of 900 seconds: refused before anything is sent.
    (aws_home / "config").write_text(f"[profile r]\nrole_arn = {role('R')}\ncredential_source = Environment\n"
                                     "duration_seconds = 100\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with pytest.raises(CredentialRetrievalError, match="(?s)STS AssumeRole failed.*duration_seconds") as info:
        resolve_credentials(profile="r").frozen()  # type: ignore[union-attr]
    assert SECRET not in str(info.value)


def test_unsigned_operations_never_look_for_credentials(aws_home: Path, moto_url: str) -> None:
    """AssumeRoleWithWebIdentity needs no keys: a client with none configured anywhere
    calls it, and only a signed operation then fails for want of them."""
    from aws_sts import Client

    from awsgen_runtime.errors import NoCredentialsError

    client = Client(endpoint_url=moto_url)
    answer = client.assume_role_with_web_identity(role_arn=role("Web"), role_session_name="session",
                                                  web_identity_token="token")
    assert answer.credentials is not None and client._resolved is None
    with pytest.raises(NoCredentialsError, match="searched"):
        client.get_caller_identity()


def test_renewable_sources_show_no_secret(aws_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    (aws_home / "config").write_text(f"[profile r]\nrole_arn = {role('R')}\ncredential_source = Environment\n")
    source = resolve_credentials(profile="r")
    keys = source.frozen()  # type: ignore[union-attr]
    for text in (repr(source), str(source), repr(keys)):
        assert SECRET not in text and keys.secret_key not in text and (keys.token or "-") not in text
