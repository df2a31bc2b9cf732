"""``generate-all``: every service of the pinned botocore release, in parallel worker processes.

Services whose protocol is not supported yet are reported, one line each, and nothing
is written for them. Output goes to a fresh directory; each package is written only
once it has been rendered completely.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .botocore_source import BOTOCORE_VERSION, data_dir, service_model_dir
from .load import ModelError, load_document
from .model.naming import package_names
from .validate import unsupported_protocol


@dataclass
class Outcome:
    service: str
    status: str  # "ok", "unsupported", "error"
    detail: str = ""
    lines: int = 0


def _model(service: str, data: str) -> Path:
    """The newest model of a service: the pinned release's, or from ``data`` (botocore's
    data layout, ``.json`` or ``.json.gz``)."""
    if not data:
        return service_model_dir(service) / "service-2.json"
    versions = sorted(p for p in (Path(data) / service).iterdir() if p.is_dir())
    for folder in reversed(versions):
        for name in ("service-2.json", "service-2.json.gz"):
            if (folder / name).exists():
                return folder / name
    raise ModelError([f"{Path(data) / service}: no service-2.json(.gz) in any version folder"])


def _one(service: str, out: str, fmt: bool, data: str = "", release: str = BOTOCORE_VERSION) -> Outcome:
    from .pipeline import UnsupportedProtocol, build_package
    from .render import PackageSettings
    from .write import write_packages

    try:
        model = _model(service, data)
        raw = load_document(model)
        proto = unsupported_protocol(raw) if isinstance(raw, dict) else None
        if proto is not None:
            return Outcome(service, "unsupported", f"protocol {proto!r} not supported yet")
        package, dist = package_names(service)
        label = f"botocore-{release}/{service}/{model.parent.name}/{model.name}"
        files = build_package(model, PackageSettings(package, dist, label), fmt=fmt)
        write_packages(Path(out), {dist: files})
        return Outcome(service, "ok", dist, sum(t.count("\n") for t in files.values()))
    except UnsupportedProtocol as exc:
        return Outcome(service, "unsupported", str(exc))
    except ModelError as exc:
        return Outcome(service, "error", "; ".join(exc.problems[:3]))
    except Exception as exc:  # reported per service; the run goes on
        return Outcome(service, "error", f"{type(exc).__name__}: {exc}")


def all_services(data: Path | None = None) -> list[str]:
    root = data or data_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*/service-2.json*")))


def _bar(done: int, total: int, name: str) -> None:
    if not sys.stderr.isatty() and done != total and done % 25:
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40.40}")
    if not sys.stderr.isatty():
        sys.stderr.write("\n")
    sys.stderr.flush()


def generate_all(out: Path, *, jobs: int | None = None, fmt: bool = False, only: list[str] | None = None,
                 data: Path | None = None, release: str = BOTOCORE_VERSION) -> int:
    """Every service (or ``only`` these) of the pinned release, or of botocore's data
    folder ``data`` (``update``'s ``--botocore`` / ``--from``, for a whole-release run)."""
    services = only or all_services(data)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(_one, s, str(out), fmt, str(data or ""), release): s for s in services}
        for i, fut in enumerate(as_completed(futures), 1):
            outcome = fut.result()
            outcomes.append(outcome)
            _bar(i, len(services), outcome.service)
    sys.stderr.write("\n")
    outcomes.sort(key=lambda o: o.service)
    for o in outcomes:
        if o.status != "ok":
            print(f"{o.service}: {o.detail}")
    ok = [o for o in outcomes if o.status == "ok"]
    unsupported = [o for o in outcomes if o.status == "unsupported"]
    failed = [o for o in outcomes if o.status == "error"]
    print(
        f"services: {len(outcomes)}, generated: {len(ok)}, unsupported protocol: {len(unsupported)}, "
        f"failed: {len(failed)}, lines: {sum(o.lines for o in ok):,}, "
        f"time: {time.monotonic() - started:.1f} s, formatted: {'yes' if fmt else 'no'}"
    )
    return 1 if failed else 0
