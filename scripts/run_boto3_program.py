#!/usr/bin/env python
"""Run an open-source program written for boto3, not by us, on the boto3-compatible client.

The program's sdist (a pinned version, its sha256 checked) is downloaded from PyPI into
the cache (``.cache/boto3-programs/``) and unpacked twice into a temporary folder. Both
copies get the same *environment* patch (the program's tests point at a local SQS or
DynamoDB server: they are pointed at one moto server instead); the second copy also gets
the *switch*: the line that imports boto3 for ``boto3.client(...)`` imports
``awsgen_runtime.boto3_compat`` under the same name, nothing else. Both patches are
printed as unified diffs. The program's own tests then run twice against one moto
server in server mode (reset between the runs), unchanged with boto3, then switched;
the pass/fail counts of both runs and every test whose outcome differs are printed, with
the failure text of the switched run. A program may also have steps (its command line,
run before its tests, each an outcome like a test), test data its sdist does not ship
(made with boto3 and the unswitched program, the same for both runs) and output files
both runs write, compared with run-to-run values (request ids, dates) masked. moto counts
each run's requests by User-Agent: the switched run must send none through boto3.

Programs (see PROGRAMS): sqsx 0.7.0, an SQS task queue (its 59 tests); dynamodump
1.11.1, DynamoDB backup/restore (restore, backup, its tests/test.py on the two dumps;
then a tagged backup archived to S3 and restored from there: STS, a paginator, S3's
upload_file/download_file).

    .venv/bin/python scripts/run_boto3_program.py            # every program below
    .venv/bin/python scripts/run_boto3_program.py sqsx -v    # one; -v: pytest's output too
    .venv/bin/python scripts/run_boto3_program.py --json     # the figures as JSON (tests)

Exit status 0 when every test that passes with boto3 passes with the compat client too
(and the boto3 run passed at least one test, and every request of the switched run came
from the compat client: moto counts them by User-Agent), 1 otherwise, 2 on a setup failure (no
download, a changed sdist, generation failed).

The generated service packages come from the current generator (``generate-all --only``,
cached per generator fingerprint like the e2e packages) and the runtime from ``runtime/``.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SWITCH_IMPORT = "from awsgen_runtime import boto3_compat as boto3"


@dataclass(frozen=True)
class Patch:
    """Replace the text ``old`` (a regular expression, at least once) in ``path``;
    ``{endpoint}`` in ``new`` is the moto server's ``host:port``."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Setup:
    """A step that is not the program's: done in this process with boto3 (``call(url)``), the
    same in both runs; its requests are not counted as the run's."""

    what: str
    call: Callable[[str], None]


@dataclass(frozen=True)
class Program:
    name: str  # the PyPI project
    version: str
    sha256: str  # of the sdist
    services: tuple[str, ...]  # the generated packages its switched run needs
    why: str
    environment: tuple[Patch, ...]  # both runs: point the tests at the moto server
    switch: tuple[Patch, ...]  # the switched run only: boto3.client -> boto3_compat.client
    pytest_args: tuple[str, ...] = ("tests",)
    requires: tuple[str, ...] = ()  # what the program needs besides boto3 (its metadata's Requires-Dist)
    # commands run in the tree before its tests ({host}, {port}: the moto server), each a
    # check of its own: its exit status is an outcome like a test's
    steps: tuple[tuple[str, ...] | Setup, ...] = ()
    # makes test data the sdist does not ship: called with an unswitched tree (environment
    # patch applied), the moto server's URL and the environment for its Python; returns
    # the paths (relative) to copy into both trees. moto is reset before and after.
    fixture: Callable[[Path, str, dict[str, str]], list[str]] | None = None
    environ: tuple[tuple[str, str], ...] = ()  # variables for both runs ({url}: the moto server's)
    outputs: tuple[str, ...] = ()  # globs of JSON files both runs write, compared (volatile keys masked)
    volatile: frozenset[str] = frozenset()


KEY = SECRET = "testing"
REGION = "us-east-1"


def _dynamodump_fixture(tree: Path, url: str, env: dict[str, str]) -> list[str]:
    """dynamodump's tests compare a backup of a restored table with ``tests/testTable``, a
    dump its repository holds and its sdist does not: seed a table with boto3 (every
    attribute type, a local and a global secondary index: moto answers ``[]`` for absent
    ones and dynamodump would restore the empty list, which moto refuses) and dump it with
    the unswitched tool. No binary sets: dynamodump 1.11.1 base64-decodes ``B`` values on
    restore but not ``BS`` ones, so they come back encoded twice (with boto3 as with the
    compat client; its test_data then fails in both runs)."""
    ddb = _boto3("dynamodb", url)
    attrs = {"id": "S", "n": "N", "g": "S"}
    ddb.create_table(
        TableName="testTable",
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": v} for k, v in attrs.items()],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{"IndexName": "by-id-g", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                              {"AttributeName": "g", "KeyType": "RANGE"}]}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    # 700 items of ~2 KB: more than the 1 MB a scan answer holds, so the backup pages
    # (LastEvaluatedKey) and the restore writes 28 batches
    for first in range(0, 700, 25):
        ddb.batch_write_item(RequestItems={"testTable": [{"PutRequest": {"Item": {
            "id": {"S": f"item-{i % 7}"}, "n": {"N": str(i)}, "g": {"S": f"g{i % 3}"},
            "b": {"B": bytes([i % 256, 0, 255])}, "ss": {"SS": ["a", f"x{i}"]}, "ns": {"NS": ["1.5", str(i), "-1E+3"]},
            "t": {"BOOL": i % 2 == 0}, "z": {"NULL": True}, "pad": {"S": f"{i:04d}" * 500},
            "m": {"M": {"k": {"S": "v\u00e9\u2603"}, "l": {"L": [{"N": "1"}, {"BOOL": True}, {"NULL": True}]}}},
        }}} for i in range(first, first + 25)]})
    host, port = url.split("//", 1)[1].split(":")
    code, output = run_step(tree, _dynamodump_args("backup", "-s", "testTable", "--dumpPath", "tests"), host, port,
                            env)
    if code != 0:
        raise SetupError(f"dynamodump backup of the seeded table failed (exit {code}):\n{output[-2000:]}")
    return ["tests/testTable"]


def _boto3(service: str, url: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client(service, endpoint_url=url, region_name=REGION, aws_access_key_id=KEY,
                        aws_secret_access_key=SECRET)


def _create_bucket(url: str) -> None:
    _boto3("s3", url).create_bucket(Bucket="dynamodump-backups")


def _tag_restored_table(url: str) -> None:
    ddb = _boto3("dynamodb", url)
    arn = ddb.describe_table(TableName="testRestoredTable")["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "backup", "Value": "yes"}])


def _dynamodump_args(mode: str, *rest: str) -> tuple[str, ...]:
    return ("dynamodump.dynamodump", "-m", mode, "-r", REGION, *rest, "--host", "{host}", "--port", "{port}",
            "--accessKey", KEY, "--secretKey", SECRET)


PROGRAMS = {
    p.name: p
    for p in (
        Program(
            name="dynamodump",
            version="1.11.1",
            sha256="61081b7ab012385e44c74c22681aeb8d0aa6ccd43467928f62c5b4fd114deec5",
            services=("dynamodb", "s3", "sts"),
            requires=("six",),
            why=("a backup/restore tool for DynamoDB (describe_table, create_table, batch_write_item with its "
                 "retries, scan with LastEvaluatedKey, update_table, client.exceptions.*) run as its own CI "
                 "runs it: restore tests/testTable into testRestoredTable, back that up, then its tests/test.py "
                 "compares the two dumps (schema and items); and through S3: a backup of the tables with a tag "
                 "(sts get_caller_identity, the list_tables paginator, list_tags_of_resource) archived and "
                 "uploaded (upload_file with ExtraArgs), restored from the bucket (head_bucket, list_objects_v2, "
                 "download_file) into testS3Table, which is backed up too"),
            # its S3 and STS clients (and the tag lookup's DynamoDB one) take no endpoint: boto3's variable
            environ=(("AWS_ENDPOINT_URL", "{url}"),),
            environment=(
                # one second per backup worker thread (25 of them) before the work starts: 0
                Patch("dynamodump/dynamodump.py", r"(?m)^THREAD_START_DELAY = 1 ", "THREAD_START_DELAY = 0 "),
            ),
            switch=(Patch("dynamodump/dynamodump.py", r"(?m)^import boto3$", SWITCH_IMPORT),),
            steps=(
                _dynamodump_args("restore", "-s", "testTable", "-d", "testRestoredTable", "--dumpPath", "tests",
                                 "--noConfirm"),
                _dynamodump_args("backup", "-s", "testRestoredTable"),
                Setup("create the bucket dynamodump-backups", _create_bucket),
                Setup("tag testRestoredTable backup=yes", _tag_restored_table),
                _dynamodump_args("backup", "-t", "backup=yes", "-a", "tar", "-b", "dynamodump-backups"),
                _dynamodump_args("restore", "-s", "testRestoredTable", "-d", "testS3Table", "-b", "dynamodump-backups",
                                 "-a", "tar", "--noConfirm"),
                Setup("remove /tmp/testRestoredTable.tar.bz2 (where the restore downloads the archive)",
                      lambda url: Path("/tmp/testRestoredTable.tar.bz2").unlink()),
                _dynamodump_args("backup", "-s", "testS3Table"),
            ),
            fixture=_dynamodump_fixture,
            pytest_args=("tests/test.py",),
            outputs=("dump/testRestoredTable/schema.json", "dump/testRestoredTable/data/*.json",
                     "dump/testS3Table/schema.json", "dump/testS3Table/data/*.json"),
            # differ from run to run whoever sends the request
            volatile=frozenset({"CreationDateTime", "RequestId", "date", "x-amzn-requestid", "x-amz-crc32",
                                "content-length"}),
        ),
        Program(
            name="sqsx",
            version="0.7.0",
            sha256="525ab831dfce546257f96fa87f67e9e6bf225e1dff14d83bb05337fb7cf6a199",
            services=("sqs",),
            requires=("pydantic>=2.5.2",),
            why=("a task queue over SQS (Queue/RawQueue: send_message, receive_message, delete_message, "
                 "change_message_visibility, create/delete_queue) whose 59 tests run against a real "
                 "SQS-compatible server (ElasticMQ) through boto3.client('sqs', endpoint_url=...)"),
            environment=(
                # ElasticMQ on a fixed port with its own region name -> the moto server (us-east-1)
                Patch("tests/conftest.py", r"localhost:9324", "{endpoint}"),
                Patch("tests/conftest.py", r'region_name="elasticmq"', 'region_name="us-east-1"'),
                Patch("tests/test_queue.py", r"localhost:9324", "{endpoint}"),
            ),
            switch=(
                Patch("tests/conftest.py", r"(?m)^import boto3$", SWITCH_IMPORT),
                Patch("tests/test_queue.py", r"(?m)^    import boto3$", "    " + SWITCH_IMPORT),
            ),
        ),
    )
}

def cache_root() -> Path:
    from generator.botocore_source import cache_dir

    return cache_dir() / "boto3-programs"


class SetupError(Exception):
    """The run could not be set up (download, checksum, generation, a patch that no longer applies)."""


# ----- the sdist ------------------------------------------------------------------------
def fetch_sdist(program: Program) -> Path:
    """The program's sdist from the cache, downloaded with pip when missing; checked."""
    root = cache_root() / "sdists"
    root.mkdir(parents=True, exist_ok=True)
    found = [p for p in root.glob(f"{program.name}-{program.version}.tar.gz")]
    if not found:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", program.name,
                 "--dest", tmp, f"{program.name}=={program.version}"],
                capture_output=True, text=True, timeout=600,
            )
            got = list(Path(tmp).glob("*.tar.gz"))
            if proc.returncode != 0 or len(got) != 1:
                raise SetupError(f"pip download {program.name}=={program.version} failed:\n{proc.stderr[-2000:]}")
            target = root / f"{program.name}-{program.version}.tar.gz"
            shutil.move(str(got[0]), target)
            found = [target]
    sdist = found[0]
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != program.sha256:
        raise SetupError(f"{sdist}: sha256 {digest}, expected {program.sha256} (delete it to download again)")
    return sdist


def unpack(sdist: Path, into: Path) -> Path:
    """The sdist's single top folder, unpacked under ``into``."""
    with tarfile.open(sdist) as tar:
        tar.extractall(into, filter="data")
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


def ensure_requirements(program: Program) -> list[Path]:
    """Folders to put on the path so that the program's requirements import: none when this
    Python has them (pydantic comes with moto[server] here), else a ``pip install --target``
    folder in the cache."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    missing = []
    for text in program.requires:
        req = Requirement(text)
        try:
            if req.specifier.contains(version(req.name), prereleases=True):
                continue
        except PackageNotFoundError:
            pass
        missing.append(text)
    if not missing:
        return []
    target = cache_root() / "requirements" / f"{program.name}-{program.version}"
    marker = target / ".complete"
    if not marker.exists():
        shutil.rmtree(target, ignore_errors=True)
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *missing],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise SetupError(f"pip install {' '.join(missing)} failed:\n{proc.stderr[-2000:]}")
        marker.write_text("\n".join(missing) + "\n", encoding="utf-8")
    return [target]


# ----- patches ---------------------------------------------------------------------------
def apply(tree: Path, patches: tuple[Patch, ...], endpoint: str) -> str:
    """Apply ``patches`` to the files under ``tree``; their unified diff."""
    before: dict[str, str] = {}
    for patch in patches:
        path = tree / patch.path
        text = path.read_text(encoding="utf-8")
        before.setdefault(patch.path, text)
        new, count = re.subn(patch.old, patch.new.replace("{endpoint}", endpoint), text)
        if count == 0:
            raise SetupError(f"{patch.path}: {patch.old!r} not found: the patch no longer applies")
        path.write_text(new, encoding="utf-8")
    out: list[str] = []
    for name, old in before.items():
        new = (tree / name).read_text(encoding="utf-8")
        out.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}", n=0))
    return "".join(out)


# ----- generated packages -----------------------------------------------------------------
def ensure_packages(services: tuple[str, ...]) -> list[Path]:
    """The distribution folders of the generated packages of ``services`` (generated once per
    generator fingerprint into the cache)."""
    from generator.model.naming import package_names
    from tests.compliance.suites import _generator_fingerprint

    root = cache_root() / "packages" / _generator_fingerprint()
    missing = [s for s in services if not (root / package_names(s)[1] / package_names(s)[0] / "compat.py").exists()]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([sys.executable, "-m", "generator", "generate-all", "--out", str(root),
                               "--only", *missing], cwd=REPO, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise SetupError(f"generate-all --only {' '.join(missing)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    dists = [root / package_names(s)[1] for s in services]
    for dist, service in zip(dists, services):
        if not (dist / package_names(service)[0] / "compat.py").exists():
            raise SetupError(f"{service}: the generated package has no compat.py (protocol not supported yet)")
    return dists


# ----- moto and pytest ----------------------------------------------------------------------
def reset_moto(url: str) -> None:
    req = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        if resp.status != 200:
            raise SetupError(f"moto reset answered {resp.status}")


class SenderCount:
    """WSGI middleware in front of moto: counts the requests by the client that sent them
    (the first word of the User-Agent: ``Boto3/...`` or ``awsgen/...``), which shows the
    switched run really went through the compat client."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.counts: dict[str, int] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("PATH_INFO", "").startswith("/moto-api/"):
            agent = environ.get("HTTP_USER_AGENT", "").split("/", 1)[0] or "(none)"
            self.counts[agent] = self.counts.get(agent, 0) + 1
        return self.app(environ, start_response)

    def take(self) -> dict[str, int]:
        counts, self.counts = self.counts, {}
        return counts


@dataclass
class Run:
    label: str
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed / failed / error / skipped
    messages: dict[str, str] = field(default_factory=dict)  # test id -> failure text (short)
    seconds: float = 0.0
    output: str = ""
    senders: dict[str, int] = field(default_factory=dict)  # client name -> requests it sent to moto

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)

    def summary(self) -> str:
        kinds = (("tests", lambda k: not k.startswith(("step: ", "setup ", "pytest run"))),
                 ("program steps", lambda k: k.startswith("step: ")),
                 ("setup steps", lambda k: k.startswith("setup ")))
        out = []
        for kind, chosen in kinds:
            outcomes = [o for k, o in self.outcomes.items() if chosen(k)]
            parts = [f"{outcomes.count(o)} {o}" for o in ("passed", "failed", "error", "skipped", "timed out")
                     if o in outcomes]
            if parts:
                out.append(f"{kind}: {', '.join(parts)}")
        if "pytest run" in self.outcomes:
            out.append(f"pytest run {self.outcomes['pytest run']}")
        return "; ".join(out) or "no test ran"


def _junit_id(node_id: str) -> str:
    """pytest's node id (``tests/test_a.py::Class::test``) as the JUnit report names the test
    (``tests.test_a.Class::test``)."""
    path, *names = node_id.split("::")
    return ".".join([path.removesuffix(".py").replace("/", "."), *names[:-1]]) + "::" + names[-1]


def run_tests(tree: Path, program: Program, label: str, env: dict[str, str], timeout: float,
              endpoint: str, senders: SenderCount) -> Run:
    """The program's steps, then its tests in ``tree`` (pytest, outcomes read from its JUnit XML).
    The requests of setup steps are taken out of ``senders``' counts."""
    host, port = endpoint.split(":")
    steps: dict[str, str] = {}
    step_messages: dict[str, str] = {}
    step_output = []
    start = time.monotonic()
    for step in program.steps:
        if isinstance(step, Setup):
            kept = senders.take()
            try:
                step.call(f"http://{endpoint}")
                code, output = 0, ""
            except Exception as exc:
                code, output = 1, repr(exc)
            senders.take()
            senders.counts = kept
        else:
            try:
                code, output = run_step(tree, step, host, port, env, timeout)
            except subprocess.TimeoutExpired:
                code, output = -1, f"killed after {timeout:.0f} s"
        steps[step_name(step)] = "passed" if code == 0 else "failed"
        step_output.append(f"$ {step_name(step)}\n{output}")
        if code != 0:
            lines = [line for line in output.strip().splitlines() if line.strip()]
            step_messages[step_name(step)] = f"exit {code}: " + (lines[-1][:400] if lines else "")
    junit = tree / ".awsgen-junit.xml"
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "--rootdir", str(tree),
             f"--junitxml={junit}", "-o", "junit_family=xunit1", *program.pytest_args],
            cwd=tree, env=env, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:  # a test that waits for ever: the run's outcome, not a setup error
        output = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        run = Run(label, steps, step_messages, seconds=time.monotonic() - start, output="".join(step_output) + output)
        # pytest -v names each test as it starts and its outcome when done: the last one named
        # without an outcome is the one that hung; those never reached count as missing
        for line in output.splitlines():
            m = re.match(r"(\S+::\S+)(?: (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b)?", line)
            if m:
                test_id = _junit_id(m[1])
                run.outcomes[test_id] = {"PASSED": "passed", "FAILED": "failed", "ERROR": "error", None: "timed out"}.get(
                    m[2], "skipped")
                if m[2] is None:
                    run.messages[test_id] = f"still running when the run was killed after {timeout:.0f} s"
        return run
    run = Run(label, dict(steps), dict(step_messages), seconds=time.monotonic() - start,
              output="".join(step_output) + proc.stdout + proc.stderr)
    if not junit.exists():
        raise SetupError(f"{label}: pytest wrote no report (exit {proc.returncode}):\n{run.output[-3000:]}")
    for case in ET.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = {"failure": "failed"}.get(tag, tag)
                message = (node.get("message") or "").strip()
                break
        # an error in teardown is reported beside a pass; the test counts as an error
        if outcome in run.outcomes.get(test_id, ""):
            continue
        if run.outcomes.get(test_id) not in (None, "passed"):
            continue
        run.outcomes[test_id] = outcome
        if message:
            run.messages[test_id] = message.splitlines()[0][:400]
    return run


def _env(extra_path: list[Path], program: Program, url: str) -> dict[str, str]:
    """The environment of both runs: fake credentials, no shared files, the program's variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    env.update(
        AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE="/nonexistent/awsgen-programs/config",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent/awsgen-programs/credentials",
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=os.pathsep.join(str(p) for p in extra_path),
        PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1",
    )
    env.update({name: value.replace("{url}", url) for name, value in program.environ})
    return env


def run_step(tree: Path, step: tuple[str, ...], host: str, port: str, env: dict[str, str],
             timeout: float = 300) -> tuple[int, str]:
    """``python -m`` the step's module with its arguments in ``tree``: (exit status, output)."""
    args = [a.replace("{host}", host).replace("{port}", port) for a in step]
    proc = subprocess.run([sys.executable, "-m", *args], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout + proc.stderr


def step_name(step: tuple[str, ...] | Setup) -> str:
    if isinstance(step, Setup):
        return f"setup (boto3): {step.what}"
    return "step: python -m " + " ".join(step)


def _masked(value: Any, volatile: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in volatile else _masked(v, volatile)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, volatile) for v in value]
    return value


def compare_outputs(program: Program, a: Path, b: Path) -> tuple[list[str], list[str]]:
    """The JSON files both runs wrote (``program.outputs``): their names, and a line per difference."""
    problems: list[str] = []
    names = sorted({str(p.relative_to(tree)) for tree in (a, b) for g in program.outputs for p in tree.glob(g)})
    if program.outputs and not names:
        return names, ["no output written by either run"]
    for name in names:
        if not (a / name).exists() or not (b / name).exists():
            problems.append(f"{name}: written by the {'compat' if (b / name).exists() else 'boto3'} run only")
            continue
        x, y = (_masked(json.loads((t / name).read_text(encoding="utf-8")), program.volatile) for t in (a, b))
        if x != y:
            lines = difflib.unified_diff(json.dumps(x, indent=1, sort_keys=True).splitlines(),
                                         json.dumps(y, indent=1, sort_keys=True).splitlines(), "boto3", "compat", n=1,
                                         lineterm="")
            problems.append(f"{name} differs:\n" + "\n".join(list(lines)[:40]))
    return names, problems


@dataclass
class Result:
    program: Program
    environment_diff: str
    switch_diff: str
    boto3: Run
    compat: Run
    output_files: list[str] = field(default_factory=list)
    output_problems: list[str] = field(default_factory=list)

    def differences(self) -> list[tuple[str, str, str, str]]:
        """(test id, outcome with boto3, outcome with the compat client, compat failure text)."""
        out: list[tuple[str, str, str, str]] = []
        for test_id in sorted(set(self.boto3.outcomes) | set(self.compat.outcomes)):
            a = self.boto3.outcomes.get(test_id, "missing")
            b = self.compat.outcomes.get(test_id, "missing")
            if a != b:
                out.append((test_id, a, b, self.compat.messages.get(test_id, "")))
        return out

    def switched(self) -> bool:
        """The switched run sent its requests through the compat client only (none by boto3)."""
        return bool(self.compat.senders) and set(self.compat.senders) == {"awsgen"}

    def ok(self) -> bool:
        regressions = [d for d in self.differences() if d[1] == "passed"]
        return self.boto3.count("passed") > 0 and not regressions and self.switched() and not self.output_problems

    def as_json(self) -> dict[str, Any]:
        return {
            "program": f"{self.program.name}=={self.program.version}",
            "boto3": {o: self.boto3.count(o) for o in ("passed", "failed", "error", "skipped")},
            "compat": {o: self.compat.count(o) for o in ("passed", "failed", "error", "skipped")},
            "seconds": {"boto3": round(self.boto3.seconds, 1), "compat": round(self.compat.seconds, 1)},
            "senders": {"boto3": self.boto3.senders, "compat": self.compat.senders},
            "differences": [dict(zip(("test", "boto3", "compat", "message"), d)) for d in self.differences()],
            "outputs_compared": self.output_files,
            "output_problems": self.output_problems,
            "switch_diff": self.switch_diff,
            "switched": self.switched(),
            "ok": self.ok(),
        }


def run_program(program: Program, timeout: float = 300) -> Result:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    sdist = fetch_sdist(program)
    dists = ensure_packages(program.services)
    extra_path = [REPO / "runtime", *dists, *ensure_requirements(program)]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        senders = SenderCount(server._server.app)  # type: ignore[union-attr]
        server._server.app = senders  # type: ignore[union-attr]
        endpoint = f"{host}:{port}"
        url = f"http://{endpoint}"
        env = _env(extra_path, program, url)
        with tempfile.TemporaryDirectory(prefix=f"awsgen-{program.name}-") as tmp:
            trees = {}
            for label in ("boto3", "compat", "fixture"):
                (Path(tmp) / label).mkdir()
                trees[label] = unpack(sdist, Path(tmp) / label)
            env_diff = apply(trees["boto3"], program.environment, endpoint)
            apply(trees["compat"], program.environment, endpoint)
            switch_diff = apply(trees["compat"], program.switch, endpoint)
            if program.fixture is not None:
                apply(trees["fixture"], program.environment, endpoint)
                reset_moto(url)
                try:
                    made = program.fixture(trees["fixture"], url, env)
                except SetupError:
                    raise
                except Exception as exc:
                    raise SetupError(f"{program.name}: making its test data failed: {exc!r}") from exc
                for rel in made:
                    if not (trees["fixture"] / rel).exists():
                        raise SetupError(f"{program.name}: its test data {rel} was not made")
                    for label in ("boto3", "compat"):
                        shutil.copytree(trees["fixture"] / rel, trees[label] / rel)
                senders.take()
            reset_moto(url)
            theirs = run_tests(trees["boto3"], program, "boto3", env, timeout, endpoint, senders)
            theirs.senders = senders.take()
            reset_moto(url)
            ours = run_tests(trees["compat"], program, "compat", env, timeout, endpoint, senders)
            ours.senders = senders.take()
            files, problems = compare_outputs(program, trees["boto3"], trees["compat"])
    finally:
        server.stop()
    return Result(program, env_diff.replace(endpoint, "{moto}"), switch_diff, theirs, ours, files, problems)


def report(result: Result, verbose: bool) -> None:
    p = result.program
    print(f"== {p.name} {p.version}: {p.why}")
    print("-- environment patch (both runs; {moto} is the moto server's host:port):")
    print(result.environment_diff.rstrip())
    print("-- the switch (compat run only):")
    print(result.switch_diff.rstrip())
    for run in (result.boto3, result.compat):
        sent = ", ".join(f"{n} by {who}" for who, n in sorted(run.senders.items())) or "none"
        print(f"-- with {run.label:6}: {run.summary()} ({run.seconds:.1f} s; requests to moto: {sent})")
        if verbose:
            print(run.output.rstrip())
    diffs = result.differences()
    print(f"-- differences: {len(diffs)}")
    for test_id, a, b, message in diffs:
        print(f"   {test_id}: boto3 {a}, compat {b}" + (f"\n      {message}" if message else ""))
    if p.outputs:
        print(f"-- the {len(result.output_files)} files both runs wrote ({', '.join(result.output_files)}; "
              f"{', '.join(sorted(p.volatile))} masked): "
              + ("the same" if not result.output_problems else "DIFFER"))
        for problem in result.output_problems:
            print("   " + problem.replace("\n", "\n   "))
    if not result.switched():
        print("-- the switched run sent requests other than the compat client's: the switch did not take")
    if result.ok():
        print("-- OK: every test that passes with boto3 passes with the compat client")
    else:
        print("-- FAILED: a test that passes with boto3 does not with the compat client (or none passed)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("programs", nargs="*", metavar="PROGRAM",
                        help=f"programs to run (default: all of {', '.join(PROGRAMS)})")
    parser.add_argument("-v", "--verbose", action="store_true", help="print pytest's output of both runs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds for one run of the program's tests (default 300)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.programs if name not in PROGRAMS]
    if unknown:
        parser.error(f"unknown program {unknown[0]!r} (known: {', '.join(PROGRAMS)})")
    results = []
    try:
        for name in args.programs or list(PROGRAMS):
            results.append(run_program(PROGRAMS[name], args.timeout))
    except (SetupError, subprocess.TimeoutExpired) as exc:  # a step or the test data timed out
        print(f"run_boto3_program: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([r.as_json() for r in results], indent=2))
    else:
        for result in results:
            report(result, args.verbose)
    return 0 if all(r.ok() for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
