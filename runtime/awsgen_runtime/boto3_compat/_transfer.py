"""boto3's managed S3 transfers on the compat client: ``upload_file``, ``upload_fileobj``,
``download_file``, ``download_fileobj`` with boto3's arguments (``ExtraArgs`` by model
names, ``Callback`` of byte counts, ``Config`` a boto3 ``TransferConfig`` or a dict of its
names), done by the typed client's :mod:`awsgen_runtime.transfer` on the compat client's
own core. Errors as boto3's: a failed upload raises ``S3UploadFailedError`` ("Failed to
upload FILE to BUCKET/KEY: <the ClientError>"), a failed download the ``ClientError``
itself; arguments boto3 refuses raise its ``ValueError``.
"""

from __future__ import annotations

import os
from typing import Any, Callable, ClassVar

from ..errors import ServiceError


def _op_name(method: str) -> str:
    return "".join(part.title() for part in method.split("_"))


class _Named:
    """The core as the transfer functions call it, each service error tagged with the
    operation that failed (its ClientError names it). Made per core class, in its module
    (the transfer functions find the package's shapes by it)."""

    def __new__(cls, core: Any) -> Any:
        sub = _NAMED.get(type(core))
        if sub is None:
            sub = _NAMED[type(core)] = type("_Named", (_Named,), {"__module__": type(core).__module__})
        return object.__new__(sub)

    def __init__(self, core: Any) -> None:
        self._core = core

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._core, name)
        if name.startswith("_") or not callable(found):
            return found

        def call(**kwargs: Any) -> Any:
            try:
                return found(**kwargs)
            except ServiceError as exc:
                exc.operation = _op_name(name)  # type: ignore[attr-defined]
                raise

        return call


_NAMED: dict[type, type] = {}


def _upload_failed(message: str) -> Exception:
    import importlib.util

    if importlib.util.find_spec("boto3") is not None:
        from boto3.exceptions import S3UploadFailedError  # type: ignore[import-untyped, unused-ignore]

        return S3UploadFailedError(message)  # type: ignore[no-any-return]
    return RuntimeError(message)


def _config(config: Any) -> Any:
    from ..transfer import TransferConfig

    if config is None:
        return None
    values = dict(config) if isinstance(config, dict) else {
        k: getattr(config, k) for k in ("multipart_threshold", "multipart_chunksize", "max_concurrency", "use_threads")
        if getattr(config, k, None) is not None}
    args = {k: int(values[k]) for k in ("multipart_threshold", "multipart_chunksize", "max_concurrency") if k in values}
    if values.get("use_threads") is False:
        args["max_concurrency"] = 1
    return TransferConfig(**args)


def _filename(value: Any) -> str:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise ValueError("Filename must be a string or a path-like object")
    return value


class TransferMethods:
    """Mixed into the generated S3 compat client (customization managed_transfers)."""

    # model member name -> the typed client's argument name, for ExtraArgs
    _TRANSFER_NAMES: ClassVar[dict[str, str]] = {}
    _core: Any

    def _extra(self, extra: dict[str, Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in (extra or {}).items():
            name = self._TRANSFER_NAMES.get(key)
            if name is None:
                raise ValueError(f"Invalid extra_args key '{key}', must be one of: "
                                 + ", ".join(sorted(self._TRANSFER_NAMES)))
            out[name] = value
        return out

    def _client_error_of(self, exc: BaseException) -> Exception | None:
        """The ClientError of a service error in ``exc``'s chain, None without one."""
        seen = exc
        while seen is not None and not isinstance(seen, ServiceError):
            seen = seen.__cause__  # type: ignore[assignment]
        if seen is None or not hasattr(seen, "response"):
            return None
        make: Callable[[Any, str], Exception] = getattr(self, "_client_error")
        return make(seen, getattr(seen, "operation", ""))

    def _run(self, run: Callable[[], None], failed: str | None) -> None:
        """A transfer; a service error in it becomes boto3's: for an upload (``failed``:
        "Failed to upload F to B/K") an S3UploadFailedError naming the ClientError, for a
        download the ClientError."""
        try:
            run()
        except Exception as exc:
            error = self._client_error_of(exc)
            if error is None:
                raise
            if failed is None:
                raise error from None
            raise _upload_failed(f"{failed}: {error}") from None

    def upload_file(self, Filename: Any, Bucket: str, Key: str, ExtraArgs: dict[str, Any] | None = None,  # noqa: N803
                    Callback: Callable[[int], Any] | None = None, Config: Any = None) -> None:
        from .. import transfer

        filename = _filename(Filename)
        self._run(lambda: transfer.upload_file(_Named(self._core), filename, Bucket, Key,
                                               extra_args=self._extra(ExtraArgs), callback=Callback,
                                               config=_config(Config)),
                  f"Failed to upload {filename} to {Bucket}/{Key}")

    def upload_fileobj(self, Fileobj: Any, Bucket: str, Key: str, ExtraArgs: dict[str, Any] | None = None,  # noqa: N803
                       Callback: Callable[[int], Any] | None = None, Config: Any = None) -> None:
        from .. import transfer

        if not hasattr(Fileobj, "read"):
            raise ValueError("Fileobj must implement read")
        self._run(lambda: transfer.upload_fileobj(_Named(self._core), Fileobj, Bucket, Key,
                                                  extra_args=self._extra(ExtraArgs), callback=Callback,
                                                  config=_config(Config)),
                  f"Failed to upload {Fileobj} to {Bucket}/{Key}")

    def download_file(self, Bucket: str, Key: str, Filename: Any, ExtraArgs: dict[str, Any] | None = None,  # noqa: N803
                      Callback: Callable[[int], Any] | None = None, Config: Any = None) -> None:
        from .. import transfer

        filename = _filename(Filename)
        self._run(lambda: transfer.download_file(_Named(self._core), Bucket, Key, filename,
                                                 extra_args=self._extra(ExtraArgs), callback=Callback,
                                                 config=_config(Config)), None)

    def download_fileobj(self, Bucket: str, Key: str, Fileobj: Any, ExtraArgs: dict[str, Any] | None = None,  # noqa: N803
                         Callback: Callable[[int], Any] | None = None, Config: Any = None) -> None:
        from .. import transfer

        if not hasattr(Fileobj, "write"):
            raise ValueError("Fileobj must implement write")
        self._run(lambda: transfer.download_fileobj(_Named(self._core), Bucket, Key, Fileobj,
                                                    extra_args=self._extra(ExtraArgs), callback=Callback,
                                                    config=_config(Config)), None)
