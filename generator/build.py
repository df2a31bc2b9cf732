"""``python -m generator build``: wheels and sdists of the runtime and the manifest's packages.

Each project is copied into a scratch folder and built there with PyPA's ``build``
(without build isolation: the pinned setuptools of the ``release`` extra), so nothing is
left in ``runtime/`` or ``generated/``. Before building, every package's requirement on
``awsgen-runtime`` is checked against the runtime version it would be installed with: a
package generated for another runtime is refused, naming both versions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .load import ModelError
from .manifest import load_manifest

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "runtime"

__all__ = ["build", "runtime_requirement", "runtime_version"]


def runtime_version() -> str:
    """The runtime's version, from its ``__init__.py`` (the generator does not import it)."""
    text = (RUNTIME / "awsgen_runtime" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if found is None:
        raise ModelError([f"{RUNTIME / 'awsgen_runtime' / '__init__.py'}: no __version__"])
    return found.group(1)


def runtime_requirement(version: str) -> str:
    """What a generated package requires of the runtime it was generated with: the same
    minor series before 1.0 (0.x minors may break), the same major after."""
    major, minor = (int(x) for x in version.split(".")[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"awsgen-runtime>={major}.{minor},<{upper}"


def _requirement_of(pyproject: Path) -> str | None:
    found = re.search(r'"(awsgen-runtime[^"]*)"', pyproject.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def _project_version(pyproject: Path) -> str:
    found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"))
    return found.group(1) if found else "?"


def check_requirements(packages: list[Path], version: str) -> list[str]:
    """Problems: packages whose runtime requirement the runtime ``version`` does not meet."""
    from packaging.requirements import Requirement

    problems = []
    for package in packages:
        pyproject = package / "pyproject.toml"
        text = _requirement_of(pyproject)
        if text is None:
            problems.append(f"{pyproject}: no requirement on awsgen-runtime")
        elif not Requirement(text).specifier.contains(version, prereleases=True):
            problems.append(f"{pyproject}: requires {text}, but the runtime is {version}: regenerate "
                            "(python -m generator generate)")
    return problems


def build(out: Path, manifest_path: Path, only: list[str] | None = None) -> int:
    """Build everything into ``out``; returns the exit status."""
    try:
        import build as _build  # noqa: F401  (PyPA's build: the release extra)
    except ImportError:
        print("building needs PyPA's build: pip install -e '.[release]'", file=sys.stderr)
        return 2
    manifest = load_manifest(manifest_path)
    entries = [e for e in manifest.services if not only or e.name in only]
    unknown = sorted(set(only or ()) - {e.name for e in manifest.services})
    if unknown:
        raise ModelError([f"{manifest_path}: no service {name!r} in the manifest" for name in unknown])
    packages = [manifest.output / e.distribution for e in entries]
    missing = [str(p) for p in packages if not (p / "pyproject.toml").exists()]
    if missing:
        raise ModelError([f"{p}: not generated yet (python -m generator generate)" for p in missing])
    version = runtime_version()
    problems = check_requirements(packages, version)
    if problems:
        raise ModelError(problems)
    out.mkdir(parents=True, exist_ok=True)
    built: list[str] = []
    with tempfile.TemporaryDirectory(prefix="awsgen-build-") as tmp:
        for project in [RUNTIME, *packages]:
            scratch = Path(tmp) / project.name
            shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(
                "build", "dist", "*.egg-info", "__pycache__", "*.pyc"))
            done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                                   str(scratch)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stdout[-3000:] + done.stderr[-3000:], file=sys.stderr)
                print(f"building {project} failed", file=sys.stderr)
                return 1
            names = re.findall(r"Successfully built (.+)", done.stdout)
            built.append(f"{project.name} {_project_version(project / 'pyproject.toml')}: "
                         f"{names[-1] if names else 'built'}")
    print("\n".join(built))
    print(f"{len(built)} project(s) in {out} (runtime {version})")
    return 0
