"""Credential and region resolution: precedence, profiles, and errors that explain.

Every test passes its own ``environ`` dict and writes its files under ``tmp_path``,
so the real environment and ``~/.aws`` are never read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from awsgen_runtime.credentials import ProfileNotFoundError, resolve_credentials, resolve_region
from awsgen_runtime.errors import CredentialRetrievalError, NoCredentialsError, NoRegionError
from awsgen_runtime.sigv4 import Credentials

SECRET = "s3cr3t/Value+With%Percent"
FILE_SECRET = "fileSecretDoNotLeak0123456789"
CONFIG_SECRET = "configSecretDoNotLeak987654"
TOKEN = "tokenDoNotLeak"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / ".aws").mkdir()
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def files_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment pointing both files into ``home`` explicitly."""
    return {
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }


def assert_no_secrets(text: str) -> None:
    for secret in (SECRET, FILE_SECRET, CONFIG_SECRET, TOKEN):
        assert secret not in text


# --- precedence -----------------------------------------------------------------


def test_explicit_arguments_win(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKFILE\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, AWS_ACCESS_KEY_ID="AKENV", AWS_SECRET_ACCESS_KEY=SECRET)
    creds = resolve_credentials("AKARG", "argsecret", "argtoken", profile="other", environ=env)
    assert creds == Credentials("AKARG", "argsecret", "argtoken")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"access_key": "AKARG"}, "access_key was given without secret_key"),
        ({"secret_key": SECRET}, "secret_key was given without access_key"),
        ({"token": TOKEN}, "token was given without access_key and secret_key"),
    ],
)
def test_partial_explicit_arguments_are_an_error(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(NoCredentialsError, match=message) as info:
        resolve_credentials(**kwargs, environ={"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": SECRET})
    assert_no_secrets(str(info.value))


def test_environment_wins_over_files(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKFILE\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, AWS_ACCESS_KEY_ID="AKENV", AWS_SECRET_ACCESS_KEY=SECRET, AWS_SESSION_TOKEN=TOKEN)
    assert resolve_credentials(environ=env) == Credentials("AKENV", SECRET, TOKEN)


def test_environment_without_token_has_no_token() -> None:
    creds = resolve_credentials(environ={"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": SECRET})
    assert creds.token is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AWS_ACCESS_KEY_ID": "AKENV"}, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
        ({"AWS_SECRET_ACCESS_KEY": SECRET}, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"),
    ],
)
def test_half_set_environment_is_an_error(env: dict[str, str], message: str) -> None:
    with pytest.raises(NoCredentialsError, match=message) as info:
        resolve_credentials(environ=env)
    assert_no_secrets(str(info.value))


def test_empty_environment_values_count_as_unset(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKFILE\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="  ")
    assert resolve_credentials(environ=env).access_key == "AKFILE"


def test_a_profile_named_in_code_skips_the_environment(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[work]\naws_access_key_id = AKWORK\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, AWS_ACCESS_KEY_ID="AKENV", AWS_SECRET_ACCESS_KEY=SECRET)
    assert resolve_credentials(profile="work", environ=env).access_key == "AKWORK"


def test_aws_profile_does_not_skip_the_environment(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[work]\naws_access_key_id = AKWORK\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, AWS_ACCESS_KEY_ID="AKENV", AWS_SECRET_ACCESS_KEY=SECRET, AWS_PROFILE="work")
    assert resolve_credentials(environ=env).access_key == "AKENV"


# --- files and profiles ---------------------------------------------------------


def test_credentials_file_default_profile_with_token(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKFILE\naws_secret_access_key = {FILE_SECRET}\naws_session_token = {TOKEN}\n",
    )
    assert resolve_credentials(environ=files_env(home)) == Credentials("AKFILE", FILE_SECRET, TOKEN)


def test_files_are_found_through_home(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKHOME\naws_secret_access_key = {FILE_SECRET}\n",
    )
    write(home / ".aws" / "config", "[default]\nregion = eu-west-3\n")
    env = {"HOME": str(home)}
    assert resolve_credentials(environ=env).access_key == "AKHOME"
    assert resolve_region(environ=env) == "eu-west-3"


def test_profile_from_argument_then_aws_profile_then_default(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        "\n".join(
            f"[{name}]\naws_access_key_id = AK{name.upper()}\naws_secret_access_key = {FILE_SECRET}\n"
            for name in ("default", "env", "arg")
        ),
    )
    assert resolve_credentials(environ=files_env(home)).access_key == "AKDEFAULT"
    assert resolve_credentials(environ=files_env(home, AWS_PROFILE="env")).access_key == "AKENV"
    assert (
        resolve_credentials(profile="arg", environ=files_env(home, AWS_PROFILE="env")).access_key == "AKARG"
    )


def test_credentials_file_wins_over_config_file(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[dev]\naws_access_key_id = AKCRED\naws_secret_access_key = {FILE_SECRET}\n",
    )
    write(
        home / ".aws" / "config",
        f"[profile dev]\naws_access_key_id = AKCONF\naws_secret_access_key = {CONFIG_SECRET}\n",
    )
    assert resolve_credentials(profile="dev", environ=files_env(home)).access_key == "AKCRED"


def test_config_file_profile_section(home: Path) -> None:
    write(home / ".aws" / "credentials", "[dev]\nregion = ignored\n")  # section without keys
    write(
        home / ".aws" / "config",
        f"[dev]\naws_access_key_id = AKWRONG\naws_secret_access_key = x\n"
        f"[profile dev]\naws_access_key_id = AKCONF\naws_secret_access_key = {CONFIG_SECRET}\n",
    )
    assert resolve_credentials(profile="dev", environ=files_env(home)) == Credentials("AKCONF", CONFIG_SECRET)


@pytest.mark.parametrize("section", ["default", "profile default"])
def test_config_file_default_section_either_spelling(home: Path, section: str) -> None:
    write(
        home / ".aws" / "config",
        f"[{section}]\naws_access_key_id = AKCONF\naws_secret_access_key = {CONFIG_SECRET}\n",
    )
    assert resolve_credentials(environ=files_env(home)).access_key == "AKCONF"


def test_percent_and_whitespace_in_file_values(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id =   AKFILE  \naws_secret_access_key={SECRET}\n",
    )
    assert resolve_credentials(environ=files_env(home)) == Credentials("AKFILE", SECRET)


def test_half_set_profile_is_an_error_naming_the_file(home: Path) -> None:
    path = write(home / ".aws" / "credentials", f"[default]\naws_secret_access_key = {FILE_SECRET}\n")
    with pytest.raises(NoCredentialsError) as info:
        resolve_credentials(environ=files_env(home))
    text = str(info.value)
    assert str(path) in text and "aws_access_key_id" in text
    assert_no_secrets(text)


def test_a_role_whose_source_profile_is_missing_names_it(home: Path) -> None:
    write(
        home / ".aws" / "config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n",
    )
    with pytest.raises(CredentialRetrievalError, match="source_profile 'default' is in neither") as info:
        resolve_credentials(profile="admin", environ=files_env(home))
    assert info.value.provider == "assume role of profile 'admin'"


# --- nothing found --------------------------------------------------------------


def test_missing_everywhere_lists_each_place_searched(home: Path) -> None:
    env = files_env(home)
    with pytest.raises(NoCredentialsError) as info:
        resolve_credentials(environ=env)
    assert not isinstance(info.value, ProfileNotFoundError)
    text = str(info.value)
    for needle in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        env["AWS_SHARED_CREDENTIALS_FILE"],
        env["AWS_CONFIG_FILE"],
        "'default'",
    ):
        assert needle in text
    assert "not found" in text


def test_missing_profile_in_existing_files_names_the_sections(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        f"[other]\naws_access_key_id = AKOTHER\naws_secret_access_key = {FILE_SECRET}\n",
    )
    write(
        home / ".aws" / "config",
        f"[profile other]\naws_access_key_id = AKOTHER\naws_secret_access_key = {CONFIG_SECRET}\n",
    )
    with pytest.raises(NoCredentialsError) as info:
        resolve_credentials(environ=files_env(home))
    text = str(info.value)
    assert "no section [default]" in text
    assert_no_secrets(text)


@pytest.mark.parametrize("via_env", [False, True])
def test_explicitly_named_profile_that_does_not_exist(home: Path, via_env: bool) -> None:
    write(
        home / ".aws" / "credentials",
        f"[default]\naws_access_key_id = AKFILE\naws_secret_access_key = {FILE_SECRET}\n",
    )
    env = files_env(home, **({"AWS_PROFILE": "prod"} if via_env else {}))
    with pytest.raises(ProfileNotFoundError) as info:
        resolve_credentials(profile=None if via_env else "prod", environ=env)
    assert isinstance(info.value, NoCredentialsError) and isinstance(info.value, NoRegionError)
    text = str(info.value)
    assert "'prod'" in text and ("AWS_PROFILE" in text) == via_env
    assert "[profile prod]" in text
    assert_no_secrets(text)


def test_malformed_file_error_shows_line_numbers_not_lines(home: Path) -> None:
    write(home / ".aws" / "credentials", f"[default]\naws_access_key_id = AKFILE\n{FILE_SECRET}\n")
    with pytest.raises(NoCredentialsError, match="line") as info:
        resolve_credentials(environ=files_env(home))
    assert_no_secrets(str(info.value))
    write(home / ".aws" / "credentials", f"aws_secret_access_key = {FILE_SECRET}\n")
    with pytest.raises(NoCredentialsError, match="line 1") as info:
        resolve_credentials(environ=files_env(home))
    assert_no_secrets(str(info.value))


def test_resolved_credentials_repr_is_masked(home: Path) -> None:
    creds = resolve_credentials(
        environ={
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY12",
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_SESSION_TOKEN": TOKEN,
        }
    )
    assert_no_secrets(repr(creds))
    assert "AKIAEXAMPLEKEY12" not in repr(creds)


def test_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKOSENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert resolve_credentials().access_key == "AKOSENV"
    assert resolve_region() == "ap-south-1"


# --- region ---------------------------------------------------------------------


def test_region_precedence(home: Path) -> None:
    write(home / ".aws" / "config", "[default]\nregion = from-config\n[profile dev]\nregion = from-dev\n")
    env = files_env(home, AWS_REGION="from-region", AWS_DEFAULT_REGION="from-default")
    assert resolve_region("explicit", environ=env) == "explicit"
    assert resolve_region(environ=env) == "from-region"
    del env["AWS_REGION"]
    assert resolve_region(environ=env) == "from-default"
    del env["AWS_DEFAULT_REGION"]
    assert resolve_region(environ=env) == "from-config"
    assert resolve_region(profile="dev", environ=env) == "from-dev"
    assert resolve_region(environ={**env, "AWS_PROFILE": "dev"}) == "from-dev"


def test_region_is_not_read_from_the_credentials_file(home: Path) -> None:
    write(home / ".aws" / "credentials", "[default]\nregion = us-east-2\n")
    with pytest.raises(NoRegionError):
        resolve_region(environ=files_env(home))


@pytest.mark.parametrize(
    ("config", "state"),
    [
        (None, "not found"),
        ("[profile other]\nregion = x\n", "no section [default]"),
        ("[default]\noutput = json\n", "section [default] has no region"),
    ],
)
def test_missing_region_says_where_it_looked(home: Path, config: str | None, state: str) -> None:
    if config is not None:
        write(home / ".aws" / "config", config)
    env = files_env(home)
    with pytest.raises(NoRegionError) as info:
        resolve_region(environ=env)
    text = str(info.value)
    for needle in ("AWS_REGION", "AWS_DEFAULT_REGION", env["AWS_CONFIG_FILE"], state):
        assert needle in text


def test_import_does_not_load_configparser() -> None:
    """Clients resolve credentials at start-up; the INI parser loads only if a file is read."""
    code = "import sys, awsgen_runtime.credentials; print('configparser' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(sys.path)},
    )
    assert out.stdout.strip() == "False"
