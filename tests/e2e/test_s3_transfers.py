"""Managed transfers (upload_file, download_file, ...) on a moto server, beside boto3: a
100 MiB multipart upload with a part failing once, ranged downloads, an aborted upload that
leaves no parts, and the client's peak memory measured in its own process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsgen_runtime.errors import TransportError
from awsgen_runtime.transfer import TransferConfig, TransferError
from awsgen_runtime.transport import Urllib3Transport
from tests.e2e.test_query_and_xml_services import KEY, REGION, REPO, SECRET, packages  # noqa: F401

MiB = 1 << 20


def _write(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(MiB)
    with open(path, "wb") as f:
        for i in range(size // MiB):
            chunk = block[i % 97:] + block[: i % 97]
            f.write(chunk)
            digest.update(chunk)
        rest = size % MiB
        if rest:
            f.write(block[:rest])
            digest.update(block[:rest])
    return digest.hexdigest()


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


class FailingOnce:
    """A transport that fails chosen UploadPart requests (by part number) on their first try."""

    def __init__(self, parts: set[int], always: bool = False) -> None:
        self.inner = Urllib3Transport(connect_timeout=5, read_timeout=60)
        self.parts, self.always = parts, always
        self.sent: list[str] = []

    def send(self, request: Any, *, stream: bool = False) -> Any:
        self.sent.append(request.method + " " + request.url.split("//", 1)[1].split("/", 1)[1])
        for n in list(self.parts):
            if f"partNumber={n}&" in request.url + "&":
                if not self.always:
                    self.parts.discard(n)
                raise TransportError(f"injected failure of part {n}")
        return self.inner.send(request, stream=stream)


@pytest.fixture
def boto(moto_url: str) -> Any:
    import boto3

    return boto3.session.Session().client("s3", region_name=REGION, endpoint_url=moto_url,
                                          aws_access_key_id=KEY, aws_secret_access_key=SECRET)


def _client(packages: Any, moto_url: str, transport: Any = None) -> Any:  # noqa: F811
    from awsgen_runtime.client import Config

    return packages["s3"].Client(region=REGION, endpoint_url=moto_url, aws_access_key_id=KEY,
                                 aws_secret_access_key=SECRET, transport=transport,
                                 config=Config(s3={"addressing_style": "path"}, max_attempts=1))


def test_multipart_upload_with_a_part_failing_once(packages: Any, moto_url: str, boto: Any,  # noqa: F811
                                                   tmp_path: Path) -> None:
    size = 100 * MiB + 12345
    path = tmp_path / "big.bin"
    digest = _write(path, size)
    transport = FailingOnce({3})
    s3 = _client(packages, moto_url, transport)
    s3.create_bucket(bucket="transfers")
    seen: list[int] = []
    s3.upload_file(path, bucket="transfers", key="big.bin", extra_args={"content_type": "application/x-test"},
                   callback=seen.append, config=TransferConfig(multipart_chunksize=8 * MiB, max_concurrency=4))
    parts = [s for s in transport.sent if "uploadId=" in s and s.startswith("PUT")]
    assert len(parts) == 14  # 13 parts, part 3 twice (once failed, once sent again)
    assert sum(seen) == size
    head = boto.head_object(Bucket="transfers", Key="big.bin")
    assert head["ContentLength"] == size and head["ContentType"] == "application/x-test"
    assert head["ETag"].endswith('-13"')
    theirs = tmp_path / "theirs.bin"
    boto.download_file("transfers", "big.bin", str(theirs))
    assert _sha(theirs) == digest
    ours = tmp_path / "ours.bin"
    got: list[int] = []
    s3.download_file(bucket="transfers", key="big.bin", path=ours, callback=got.append,
                     config=TransferConfig(max_concurrency=4))
    assert _sha(ours) == digest and sum(got) == size
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".awsgen")]


def test_small_files_and_file_objects(packages: Any, moto_url: str, boto: Any, tmp_path: Path) -> None:  # noqa: F811
    import io

    s3 = _client(packages, moto_url)
    s3.create_bucket(bucket="small")
    path = tmp_path / "s.txt"
    path.write_bytes(b"small file")
    s3.upload_file(path, bucket="small", key="a")
    s3.upload_fileobj(io.BytesIO(b"from memory" * 1000), bucket="small", key="b")
    assert boto.get_object(Bucket="small", Key="a")["Body"].read() == b"small file"
    assert boto.get_object(Bucket="small", Key="b")["Body"].read() == b"from memory" * 1000
    out = io.BytesIO()
    s3.download_fileobj(bucket="small", key="b", fileobj=out)
    assert out.getvalue() == b"from memory" * 1000


def test_a_failed_upload_is_aborted(packages: Any, moto_url: str, boto: Any, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "f.bin"
    _write(path, 12 * MiB)
    s3 = _client(packages, moto_url, FailingOnce({2}, always=True))
    s3.create_bucket(bucket="aborts")
    with pytest.raises(TransferError, match="aborted"):
        s3.upload_file(path, bucket="aborts", key="f", config=TransferConfig(multipart_chunksize=5 * MiB))
    assert boto.list_multipart_uploads(Bucket="aborts").get("Uploads", []) == []
    assert boto.list_objects_v2(Bucket="aborts").get("KeyCount") == 0


def test_a_failed_download_leaves_no_file(packages: Any, moto_url: str, tmp_path: Path) -> None:  # noqa: F811
    s3 = _client(packages, moto_url)
    s3.create_bucket(bucket="nofile")
    with pytest.raises(Exception):
        s3.download_file(bucket="nofile", key="missing", path=tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


_MEMORY = """
import hashlib, sys, tracemalloc
import aws_s3
from awsgen_runtime.client import Config
from awsgen_runtime.transfer import TransferConfig
url, path, out = sys.argv[1:4]
s3 = aws_s3.Client(region="us-east-1", endpoint_url=url, aws_access_key_id="testing",
                   aws_secret_access_key="testing", config=Config(s3={"addressing_style": "path"}))
cfg = TransferConfig(multipart_chunksize=8 << 20, max_concurrency=4)
tracemalloc.start()
s3.upload_file(path, bucket="memory", key="m", config=cfg)
up = tracemalloc.get_traced_memory()[1]
tracemalloc.reset_peak()
s3.download_file(bucket="memory", key="m", path=out, config=cfg)
print(up, tracemalloc.get_traced_memory()[1])
"""


def test_transfers_stream_with_bounded_memory(packages: Any, moto_url: str, boto: Any,  # noqa: F811
                                              tmp_path: Path) -> None:
    path = tmp_path / "m.bin"
    digest = _write(path, 48 * MiB)
    boto.create_bucket(Bucket="memory")
    dist = Path(packages["s3"].__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dist), str(REPO / "runtime")])}
    proc = subprocess.run([sys.executable, "-c", _MEMORY, moto_url, str(path), str(tmp_path / "back.bin")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    up, down = map(int, proc.stdout.split())
    assert _sha(tmp_path / "back.bin") == digest
    # Four 8 MiB parts in flight, streamed in 1 MiB reads: far below the parts' size.
    assert up < 16 * MiB and down < 16 * MiB, (up, down)
