"""Managed S3 transfers: ``upload_file``/``upload_fileobj`` and ``download_file``/
``download_fileobj``, as s3transfer does them for boto3, on a generated S3 client.

Above ``multipart_threshold`` an upload is a multipart upload whose parts go up
concurrently (``max_concurrency`` threads), each streamed from its slice of the file (never
held whole in memory); a part that fails after the client's own retries is tried again
(``part_attempts``), and if the upload cannot finish it is aborted, leaving no parts
behind. A download above the threshold is ranged GETs in parallel, pinned to the object's
ETag (``If-Match``), written into a temporary file beside the target, renamed into place
only when complete. ``callback`` receives byte counts as parts complete (its sum is the
object's size).
"""

from __future__ import annotations

import os
import tempfile
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any, BinaryIO, Callable

from .errors import AwsGenError, ChecksumMismatchError, ServiceError, TransportError

MiB = 1 << 20


class TransferConfig:
    """Sizes and concurrency of managed transfers (s3transfer's defaults)."""

    __slots__ = ("multipart_threshold", "multipart_chunksize", "max_concurrency", "part_attempts")

    def __init__(self, *, multipart_threshold: int = 8 * MiB, multipart_chunksize: int = 8 * MiB,
                 max_concurrency: int = 10, part_attempts: int = 3) -> None:
        if multipart_chunksize < 5 * MiB:
            raise ValueError("multipart_chunksize must be at least 5 MiB (S3's smallest part)")
        if max_concurrency < 1 or part_attempts < 1:
            raise ValueError("max_concurrency and part_attempts must be at least 1")
        self.multipart_threshold = multipart_threshold
        self.multipart_chunksize = multipart_chunksize
        self.max_concurrency = max_concurrency
        self.part_attempts = part_attempts


class TransferError(AwsGenError):
    """A managed transfer failed; an upload was aborted, a download left no file."""


class _Slice:
    """A seekable read-only view of ``length`` bytes of a file from ``offset``."""

    def __init__(self, path: str, offset: int, length: int) -> None:
        self._f = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._offset, self._length, self._pos = offset, length, 0
        self._f.seek(offset)

    def read(self, n: int = -1) -> bytes:
        left = self._length - self._pos
        if n is None or n < 0 or n > left:
            n = left
        data = self._f.read(n) if n else b""
        self._pos += len(data)
        return data

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, min(self._length, base + pos))
        self._f.seek(self._offset + self._pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self._f.close()


def _first_failure(futures: list[Any]) -> None:
    """Wait for ``futures``; on the first failure cancel those not started and raise it."""
    done, pending = wait(futures, return_when=FIRST_EXCEPTION)
    failed = next((f for f in done if f.exception() is not None), None)
    if failed is not None:
        for f in pending:
            f.cancel()
        exc = failed.exception()
        assert exc is not None
        raise exc


def _retrying(attempts: int, fn: Callable[[], Any]) -> Any:
    """``fn()``, tried again on what another attempt can cure (a broken connection, a
    damaged body, a server error) after the client's own retries; not on a refusal."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            return fn()
        except (TransportError, ChecksumMismatchError) as exc:
            last = exc
        except ServiceError as exc:
            if exc.status_code < 500:
                raise
            last = exc
    assert last is not None
    raise last


# ----- uploads ---------------------------------------------------------------------------
def upload_file(client: Any, path: str | os.PathLike[str], bucket: str, key: str, *,
                extra_args: dict[str, Any] | None = None, callback: Callable[[int], Any] | None = None,
                config: TransferConfig | None = None) -> None:
    config = config or TransferConfig()
    extra = dict(extra_args or {})
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size < config.multipart_threshold:
        with open(path, "rb") as f:
            _retrying(config.part_attempts, lambda: client.put_object(bucket=bucket, key=key, body=_rewound(f), **extra))
        if callback is not None:
            callback(size)
        return
    if ("checksum_algorithm" not in extra and not any(k.startswith("checksum_") for k in extra)
            and client._config.request_checksum_calculation == "when_supported"):
        # As s3transfer: the upload declares the parts' default checksum, so S3 keeps a
        # CRC32 of the whole object (composed from the parts').
        extra["checksum_algorithm"] = "CRC32"
    upload_id = client.create_multipart_upload(bucket=bucket, key=key, **extra).upload_id
    part_extra = {k: v for k, v in extra.items()
                  if k in ("sse_customer_algorithm", "sse_customer_key", "sse_customer_key_md5", "request_payer",
                           "expected_bucket_owner", "checksum_algorithm")}
    chunk = max(config.multipart_chunksize, -(-size // 10000))  # S3 allows 10,000 parts
    offsets = list(range(0, size, chunk))
    lock = threading.Lock()

    def one(number: int, offset: int) -> Any:
        length = min(chunk, size - offset)

        def send() -> Any:
            body = _Slice(path, offset, length)
            try:
                return client.upload_part(bucket=bucket, key=key, upload_id=upload_id, part_number=number,
                                          body=body, **part_extra)
            finally:
                body.close()

        out = _retrying(config.part_attempts, send)
        if callback is not None:
            with lock:
                callback(length)
        return out

    try:
        with ThreadPoolExecutor(max_workers=config.max_concurrency) as pool:
            futures = [pool.submit(one, i + 1, off) for i, off in enumerate(offsets)]
            _first_failure(futures)
            results = [f.result() for f in futures]
        parts = _completed_parts(client, results)
        client.complete_multipart_upload(bucket=bucket, key=key, upload_id=upload_id,
                                         multipart_upload=parts, **{k: v for k, v in part_extra.items()
                                                                    if k != "checksum_algorithm"})
    except BaseException as exc:
        try:
            client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)
        except Exception:  # noqa: BLE001 - the first failure is the one to report
            pass
        if isinstance(exc, Exception) and not isinstance(exc, TransferError):
            raise TransferError(f"upload of {path} to s3://{bucket}/{key} failed and was aborted: {exc}") from exc
        raise


def _completed_parts(client: Any, results: list[Any]) -> Any:
    shapes = __import__(type(client).__module__.rsplit(".", 1)[0] + ".shapes", fromlist=["x"])
    fields = ("checksum_crc32", "checksum_crc32_c", "checksum_crc64_nvme", "checksum_sha1", "checksum_sha256")
    parts = []
    for number, r in enumerate(results, 1):
        sums = {f: getattr(r, f) for f in fields if getattr(r, f, None) is not None}
        parts.append(shapes.CompletedPart(e_tag=r.e_tag, part_number=number, **sums))
    return shapes.CompletedMultipartUpload(parts=parts)


def _rewound(f: BinaryIO) -> BinaryIO:
    f.seek(0)
    return f


def upload_fileobj(client: Any, fileobj: BinaryIO, bucket: str, key: str, *,
                   extra_args: dict[str, Any] | None = None, callback: Callable[[int], Any] | None = None,
                   config: TransferConfig | None = None) -> None:
    """A readable binary object: a real file is uploaded as ``upload_file`` does (by its
    name); anything else is spooled to a temporary file first, in 1 MiB reads."""
    name = getattr(fileobj, "name", None)
    if isinstance(name, str) and os.path.isfile(name) and fileobj.seekable() and fileobj.tell() == 0:
        upload_file(client, name, bucket, key, extra_args=extra_args, callback=callback, config=config)
        return
    with tempfile.NamedTemporaryFile(prefix="awsgen-upload-") as tmp:
        while chunk := fileobj.read(MiB):
            tmp.write(chunk)
        tmp.flush()
        upload_file(client, tmp.name, bucket, key, extra_args=extra_args, callback=callback, config=config)


# ----- downloads -------------------------------------------------------------------------
def download_file(client: Any, bucket: str, key: str, path: str | os.PathLike[str], *,
                  extra_args: dict[str, Any] | None = None, callback: Callable[[int], Any] | None = None,
                  config: TransferConfig | None = None) -> None:
    config = config or TransferConfig()
    extra = dict(extra_args or {})
    path = os.fspath(path)
    head = client.head_object(bucket=bucket, key=key, **extra)
    size = int(head.content_length or 0)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".awsgen", dir=folder)
    os.close(fd)
    try:
        with open(tmp, "r+b") as f:
            f.truncate(size)
        lock = threading.Lock()
        ranges = [(0, size)] if size < config.multipart_threshold else [
            (off, min(config.multipart_chunksize, size - off)) for off in range(0, size, config.multipart_chunksize)]

        def one(offset: int, length: int) -> None:
            def fetch() -> None:
                kwargs = dict(extra)
                if len(ranges) > 1:
                    kwargs.update(range=f"bytes={offset}-{offset + length - 1}", if_match=head.e_tag)
                got = client.get_object(bucket=bucket, key=key, **kwargs)
                written = 0
                with open(tmp, "r+b") as out, got.body as body:
                    out.seek(offset)
                    while data := body.read(MiB):
                        out.write(data)
                        written += len(data)
                if written != length:
                    raise TransportError(f"s3://{bucket}/{key}: got {written} of {length} bytes")

            _retrying(config.part_attempts, fetch)
            if callback is not None:
                with lock:
                    callback(length)

        with ThreadPoolExecutor(max_workers=config.max_concurrency) as pool:
            _first_failure([pool.submit(one, off, n) for off, n in ranges])
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, Exception) and not isinstance(exc, TransferError):
            raise TransferError(f"download of s3://{bucket}/{key} to {path} failed: {exc}") from exc
        raise


def download_fileobj(client: Any, bucket: str, key: str, fileobj: BinaryIO, *,
                     extra_args: dict[str, Any] | None = None, callback: Callable[[int], Any] | None = None,
                     config: TransferConfig | None = None) -> None:
    """Into a writable binary object: downloaded to a temporary file, then copied in 1 MiB
    writes (parts arrive out of order; a stream cannot seek)."""
    with tempfile.TemporaryDirectory(prefix="awsgen-download-") as folder:
        target = os.path.join(folder, "object")
        download_file(client, bucket, key, target, extra_args=extra_args, callback=callback, config=config)
        with open(target, "rb") as f:
            while chunk := f.read(MiB):
                fileobj.write(chunk)
