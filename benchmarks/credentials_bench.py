"""What finding credentials and settings costs: the first signed call's resolution, beside
botocore's, per source.

Each figure is a fresh interpreter (bytecode compiled beforehand, as an installed package
has it) that builds a DynamoDB client and makes two ListTables calls to a local server,
timed in-process, with the keys looked up just before the first call and timed apart
("resolve", provider imports included; "first call" includes it). Later calls pay
nothing for it. The first call's ~45 ms is mostly importing urllib3 and connecting;
a client given its keys in code is the baseline. botocore's
column is ``Session().get_credentials().get_frozen_credentials()`` on the same files and
environment (boto3 resolves when the client is made; the same work either way).

Sources measured: environment keys; the shared credentials file (plus a config file with
settings and a services section); a ``credential_process``; the container endpoint on a
local server. Target (issue 11): at most 2 ms added to the first call by sources that do
no I/O of their own, nothing to later calls.

Run: ``.venv/bin/python benchmarks/credentials_bench.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

OURS = """
import os, time, json
import aws_dynamodb
given = os.environ.pop("BENCH_GIVEN", None)
kw = {"credentials": aws_dynamodb.Credentials("AKGIVEN", "s")} if given else {}
t0 = time.perf_counter()
c = aws_dynamodb.Client(region="us-east-1", endpoint_url=os.environ["BENCH_URL"], **kw)
t1 = time.perf_counter()
k = c._credentials
t2 = time.perf_counter()
c.list_tables()
t3 = time.perf_counter()
c.list_tables()
t4 = time.perf_counter()
assert k.access_key.startswith("AK")
print(json.dumps({"construct": t1 - t0, "resolve": t2 - t1, "first": t3 - t2 + t2 - t1, "later": t4 - t3}))
"""

BOTOCORE = """
import time, json
import botocore.session
t1 = time.perf_counter()
k = botocore.session.Session().get_credentials().get_frozen_credentials()
t2 = time.perf_counter()
assert k.access_key.startswith("AK")
print(json.dumps({"first": t2 - t1}))
"""


def local_server() -> tuple[ThreadingHTTPServer, str]:
    """One server for the container endpoint (GET) and for DynamoDB (POST)."""
    creds = json.dumps({"AccessKeyId": "AKCONTAINER", "SecretAccessKey": "s", "Token": "t",
                        "Expiration": "2099-01-01T00:00:00Z"}).encode()

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, body: bytes) -> None:
            # One write: headers and body in separate segments meet delayed ACKs (40 ms).
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(creds)

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(b'{"TableNames": []}')

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def cases(home: Path, container_url: str) -> list[tuple[str, dict[str, str]]]:
    creds = home / "credentials"
    creds.write_text("[default]\naws_access_key_id = AKFILE\naws_secret_access_key = secret\n")
    config = home / "config"
    config.write_text("[default]\nregion = us-east-1\nretry_mode = standard\nmax_attempts = 4\n"
                      "services = s\n[services s]\ndynamodb =\n  endpoint_url = http://127.0.0.1:1\n"
                      "[profile proc]\ncredential_process = " + sys.executable +
                      " -c \"print('{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKPROC\\\", "
                      "\\\"SecretAccessKey\\\": \\\"s\\\"}')\"\n")
    files = {"AWS_CONFIG_FILE": str(config), "AWS_SHARED_CREDENTIALS_FILE": str(creds)}
    empty = {"AWS_CONFIG_FILE": str(home / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "none")}
    return [
        ("keys given in code", {**empty, "BENCH_GIVEN": "1"}),
        ("environment keys", {**empty, "AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s"}),
        ("shared files + settings", files),
        ("credential_process", {**files, "AWS_PROFILE": "proc"}),
        ("container endpoint", {**empty, "AWS_CONTAINER_CREDENTIALS_FULL_URI": container_url + "/creds"}),
    ]


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for path in C.SYS_PATH:
        compileall.compile_dir(path, quiet=1)
    httpd, url = local_server()
    base = C.isolate_aws_env(dict(os.environ))
    base["PYTHONPATH"] = os.pathsep.join(C.SYS_PATH)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    base["AWS_EC2_METADATA_DISABLED"] = "true"
    base["BENCH_URL"] = url
    print(f"{'source':<26}{'construct':>11}{'resolve':>9}{'first call':>12}{'later call':>12}"
          f"{'botocore resolve':>18}   ms, medians of {args.runs} fresh interpreters")
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in cases(Path(tmp), url):
            env = {**base, **extra}
            ours = [run(OURS, env) for _ in range(args.runs)]
            theirs = [run(BOTOCORE, env) for _ in range(args.runs)] if "BENCH_GIVEN" not in env else []

            def med(rows: list[dict[str, float]], key: str) -> float:
                return statistics.median(r[key] for r in rows) * 1000 if rows else float("nan")

            print(f"{name:<26}{med(ours, 'construct'):>11.2f}{med(ours, 'resolve'):>9.2f}{med(ours, 'first'):>12.2f}"
                  f"{med(ours, 'later'):>12.2f}{med(theirs, 'first'):>18.2f}")
    httpd.shutdown()


if __name__ == "__main__":
    main()
