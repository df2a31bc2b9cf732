"""``python -m generator update``: from a new botocore release to regenerated packages.

1. Stage: the manifest's models, every file beside them (rule set, paginators, waiters)
   and ``partitions.json`` are copied from the release (``--botocore VERSION``, its sdist
   downloaded once into the cache, or ``--from DIR``, botocore's ``data`` layout with
   ``.json`` or ``.json.gz`` files) into a copy of ``models/``, with their SOURCE.yaml.
2. Validate: every staged model is built as ``generate`` builds it. One failure and
   nothing is written: every problem is printed as ``FILE: JSON path: text``.
3. Classify: each service's old and new API are compared (generator/diff.py) and its
   version bumped by the documented rule: a breaking change -> major, compatible
   changes -> minor, documentation only -> patch, nothing -> unchanged. The change is
   written at the top of ``models/<service>/CHANGELOG.md`` (copied into the package).
4. Write and regenerate: the staged files replace ``models/``' and ``generate`` runs.

``--dry-run`` stops after 3: it prints what would change and writes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from .diff import BREAKING, COMPATIBLE, Change, diff_pair
from .fetch import FILES
from .load import ModelError
from .manifest import load_manifest

__all__ = ["bump", "changelog_entry", "update"]


def bump(version: str, changes: list[Change]) -> str:
    """The next version for these changes (semantic versioning, from the caller's side)."""
    major, minor, patch = (int(x) for x in re.findall(r"\d+", version)[:3])
    categories = {c.category for c in changes}
    if BREAKING in categories:
        return f"{major + 1}.0.0"
    if COMPATIBLE in categories:
        return f"{major}.{minor + 1}.0"
    if changes:
        return f"{major}.{minor}.{patch + 1}"
    return version


def changelog_entry(version: str, source: str, changes: list[Change]) -> str:
    """One CHANGELOG.md section: breaking changes, then compatible ones, then a count of
    documentation-only edits."""
    lines = [f"## {version} ({source})", ""]
    for title, category in (("Breaking", BREAKING), ("Added and changed", COMPATIBLE)):
        found = [c for c in changes if c.category == category]
        if found:
            lines += [f"### {title}", ""] + [f"- {c.detail} (`{c.kind}`)" for c in found] + [""]
    docs = sum(1 for c in changes if c.category not in (BREAKING, COMPATIBLE))
    if docs:
        lines += [f"Documentation: {docs} edit(s) of the model's text.", ""]
    return "\n".join(lines) + "\n"


def newest_botocore() -> str:
    """The newest botocore release on the package index pip is configured with."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "botocore",
                           "--disable-pip-version-check"], capture_output=True, text=True, check=False)
    found = re.search(r"^botocore \(([0-9.]+)\)", done.stdout, re.M)
    if found is None:
        raise ModelError([f"botocore: the package index gave no version ({(done.stderr or done.stdout).strip()[:200]})"])
    return found.group(1)


def _release_version(data: Path) -> str | None:
    """The botocore version of a data folder, from its package's ``__init__.py`` when it lies there."""
    init = data.parent / "__init__.py"
    if init.exists():
        found = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", init.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    return None


def _data_folder(path: Path) -> Path:
    """botocore's ``data`` folder from DIR: the folder itself, or ``DIR/botocore/data``."""
    for candidate in (path, path / "botocore" / "data", path / "data"):
        if (candidate / "partitions.json").exists() or (candidate / "partitions.json.gz").exists():
            return candidate
    raise ModelError([f"{path}: not botocore's data folder (no partitions.json in it, nor in botocore/data "
                      "or data below it)"])


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _service_folder(data: Path, service: str) -> Path:
    base = data / service
    versions = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    for folder in reversed(versions):
        if any((folder / f"service-2.json{gz}").exists() for gz in ("", ".gz")):
            return folder
    raise ModelError([f"{base}: the release has no model for {service!r} (the manifest lists it)"])


def _stage(data: Path, models: Path, staged: Path, release: str | None, services: list[str]) -> None:
    """Copy the release's files of ``services`` and its partition table into ``staged``
    (a copy of ``models``), with SOURCE.yaml records."""
    shutil.copytree(models, staged)
    for service in services:
        folder = _service_folder(data, service)
        dest = staged / service
        for old in FILES:  # files the new release no longer has must not linger
            (dest / old).unlink(missing_ok=True)
        record: dict[str, object] = {"source": f"botocore {release}" if release else f"botocore data in {data}",
                                     "botocore_version": release or "unknown", "files": {}}
        for name in FILES:
            src = next((f / (name + gz) for f in (folder, folder.parent) for gz in ("", ".gz")
                        if (f / (name + gz)).exists()), None)
            if src is None:
                continue
            body = _read(src)
            (dest / name).write_bytes(body)
            record["files"][name] = {  # type: ignore[index]
                # botocore/data/... within a release; where it lay for a folder on disk
                "path": src.relative_to(data.parent.parent).as_posix() if release else src.as_posix(),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        (dest / "SOURCE.yaml").write_text("# Written by `python -m generator update`; do not edit.\n"
                                          + yaml.safe_dump(record, sort_keys=True), encoding="utf-8")
    partitions = next(data / n for n in ("partitions.json", "partitions.json.gz") if (data / n).exists())
    (staged / "partitions.json").write_bytes(_read(partitions))
    retry = next((data / n for n in ("_retry.json", "_retry.json.gz") if (data / n).exists()), None)
    if retry is not None:  # legacy-mode retry policies (generator/legacy_retry.py)
        (staged / "_retry.json").write_bytes(_read(retry))


def _set_version(manifest_text: str, service: str, version: str) -> str:
    """The manifest with ``service``'s ``version:`` set, comments and layout kept."""
    lines = manifest_text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- name: {re.escape(service)}\s*", line))
    indent = re.match(r"\s*", lines[start]).group(0) + "  "  # type: ignore[union-attr]
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"\s*- name:", lines[i]) or (lines[i].strip() and not lines[i].startswith(indent)
                                                          and not lines[i].lstrip().startswith("#"))), len(lines))
    for i in range(start + 1, end):
        if lines[i].startswith(indent + "version:"):
            lines[i] = f'{indent}version: "{version}"\n'
            return "".join(lines)
    model = next(i for i in range(start + 1, end) if lines[i].startswith(indent + "model:"))
    lines.insert(model + 1, f'{indent}version: "{version}"\n')
    return "".join(lines)


def _set_source(manifest_text: str, release: str) -> str:
    return re.sub(r'(?m)^(\s*botocore:\s*)"?[^"\n]*"?\s*$', rf'\g<1>"{release}"', manifest_text, count=1)


def update(manifest_path: Path, *, botocore: str | None = None, source: Path | None = None,
           dry_run: bool = False) -> int:
    """The ``update`` command; returns the exit status (0 done, 2 nothing written)."""
    from .diff import botocore_data
    from .pipeline import UnsupportedProtocol, build_package
    from .render import PackageSettings

    manifest = load_manifest(manifest_path)
    models = manifest_path.parent
    release: str | None
    if botocore == "latest":
        botocore = newest_botocore()
        print(f"newest botocore on the package index: {botocore}")
    if botocore:
        data, release = botocore_data([botocore])[0], botocore
    else:
        assert source is not None
        data = _data_folder(source)
        release = _release_version(data)
    origin = f"botocore {release}" if release else f"models from {data}"
    names = [entry.name for entry in manifest.services]
    with tempfile.TemporaryDirectory(prefix="awsgen-update-") as tmp:
        staged = Path(tmp) / models.name
        _stage(data, models, staged, release, names)
        staged_manifest = load_manifest(staged / manifest_path.name)
        problems: list[str] = []
        for entry in staged_manifest.services:
            try:
                build_package(entry.model, PackageSettings(entry.package, entry.distribution, entry.model_label,
                                                           entry.version, tuple(sorted(entry.options.items()))),
                              fmt=False)
            except ModelError as exc:
                problems += exc.problems
            except UnsupportedProtocol as exc:
                problems.append(str(exc))
        if problems:
            for problem in problems:
                print(problem)
            print(f"\n{origin}: {len(problems)} problem(s); nothing was written")
            return 2
        text = (staged / manifest_path.name).read_text(encoding="utf-8")
        if release:
            text = _set_source(text, release)
        report = []
        for old, new in zip(manifest.services, staged_manifest.services):
            changes, problems = diff_pair(old.name, old.model, new.model)
            if problems:  # the old side could not be read: every change is unknown
                report.append(f"{old.name}: the current model could not be compared ({problems[0]})")
                continue
            version = bump(old.version, changes)
            counts = Counter(c.category for c in changes)
            summary = ", ".join(f"{n} {cat}" for cat, n in sorted(counts.items())) or "no change"
            report.append(f"{old.name}: {old.version} -> {version} ({summary})" if version != old.version
                          else f"{old.name}: {old.version} (no change to its API)")
            report += [f"    breaking: {c.detail}" for c in changes if c.category == BREAKING]
            if version != old.version:
                text = _set_version(text, old.name, version)
                log = staged / old.name / "CHANGELOG.md"
                previous = log.read_text(encoding="utf-8") if log.exists() else f"# {old.distribution}\n\n"
                head, _, rest = previous.partition("\n\n")
                log.write_text(f"{head}\n\n{changelog_entry(version, origin, changes)}{rest}",
                               encoding="utf-8")
        (staged / manifest_path.name).write_text(text, encoding="utf-8")
        print("\n".join(report))
        if dry_run:
            print(f"\n--dry-run: nothing written ({origin})")
            return 0
        written = 0
        for path in sorted(p for p in staged.rglob("*") if p.is_file()):
            target = models / path.relative_to(staged)
            if not target.exists() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                written += 1
        for path in sorted(p for p in models.rglob("*") if p.is_file()):
            if not (staged / path.relative_to(models)).exists() and path.name in FILES:
                path.unlink()  # a file the release dropped
                written += 1
    print(f"\n{origin}: {written} file(s) of {models} updated; regenerating")
    from .cli import main

    return main(["generate", "--manifest", str(manifest_path)])
