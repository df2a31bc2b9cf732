"""``credential_process``: a command in the profile that prints credentials as JSON.

The command is split as a POSIX shell would split it (no shell runs it), its standard
output must be ``{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
"SessionToken": ..., "Expiration": ..., "AccountId": ...}`` (the last three optional);
keys with an ``Expiration`` are fetched again before they expire. What the command
prints never appears in an error: only its exit status and the first line of its
standard error, which is where such tools explain themselves.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Any

from ..errors import CredentialRetrievalError
from ..refresh import Fetched, RefreshableCredentials
from ..sigv4 import Credentials
from . import parse_time

__all__ = ["process_source"]

TIMEOUT = 60.0


def process_source(command: str, profile: str, account_id: str | None = None) -> Credentials | RefreshableCredentials:
    """Run ``command`` now; keys that expire become a source that runs it again."""
    source = f"credential_process of profile {profile!r}"
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise CredentialRetrievalError(source, f"cannot split the command: {exc}") from None
    if not argv:
        raise CredentialRetrievalError(source, "the command is empty")

    def fetch() -> Fetched:
        try:
            done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, check=False)
        except FileNotFoundError:
            raise CredentialRetrievalError(source, f"{argv[0]!r} was not found") from None
        except subprocess.TimeoutExpired:
            raise CredentialRetrievalError(source, f"{argv[0]!r} did not finish within {TIMEOUT:.0f} s") from None
        except OSError as exc:
            raise CredentialRetrievalError(source, f"cannot run {argv[0]!r}: {exc.strerror}") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = f": {said[0][:200]}" if said else ""
            raise CredentialRetrievalError(source, f"{argv[0]!r} exited with status {done.returncode}{detail}")
        try:
            doc: Any = json.loads(done.stdout)
        except ValueError:
            raise CredentialRetrievalError(source, f"{argv[0]!r} did not print JSON") from None
        if not isinstance(doc, dict):
            raise CredentialRetrievalError(source, f"{argv[0]!r} printed JSON that is not an object")
        if doc.get("Version") != 1:
            raise CredentialRetrievalError(source, f"unsupported Version {doc.get('Version')!r} (only 1 is)")
        missing = [k for k in ("AccessKeyId", "SecretAccessKey") if not isinstance(doc.get(k), str) or not doc[k]]
        if missing:
            raise CredentialRetrievalError(source, f"the output lacks {', '.join(missing)}")
        expiry = None
        if doc.get("Expiration") is not None:
            try:
                expiry = parse_time(doc["Expiration"])
            except ValueError:
                raise CredentialRetrievalError(source, "Expiration is not a timestamp") from None
        account = doc.get("AccountId") if isinstance(doc.get("AccountId"), str) else account_id
        return Credentials(doc["AccessKeyId"], doc["SecretAccessKey"], doc.get("SessionToken"), account), expiry

    keys, expiry = fetch()
    if expiry is None:
        return keys
    return RefreshableCredentials(fetch, source, current=(keys, expiry))
