"""Where botocore's data comes from: the pinned source distribution, fetched once.

The models, the protocol compliance suites, the SigV4 suite and the endpoint rule-set
cases all come from one pinned botocore release. It is downloaded from the package
registry with pip (``pip download --no-binary :all: --no-deps``) the first time it is
needed and unpacked into a cache directory; later runs reuse it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

BOTOCORE_VERSION = "1.43.67"
_REPO_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """The cache root: ``$AWSGEN_CACHE`` or ``<repo>/.cache``."""
    env = os.environ.get("AWSGEN_CACHE")
    return Path(env) if env else _REPO_ROOT / ".cache"


def sdist_root(version: str = BOTOCORE_VERSION) -> Path:
    """Return the unpacked ``botocore-<version>`` source tree, fetching it if needed."""
    root = cache_dir() / f"botocore-{version}"
    marker = root / ".complete"
    if marker.exists():
        return root
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
                "--no-deps", f"botocore=={version}", "-d", tmp,
            ],
            check=True,
        )
        archive = Path(tmp) / f"botocore-{version}.tar.gz"
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        unpacked = Path(tmp) / f"botocore-{version}"
        if root.exists():
            import shutil

            shutil.rmtree(root)
        unpacked.rename(root)
    marker.write_text(version)
    return root


def data_dir(version: str = BOTOCORE_VERSION) -> Path:
    """botocore's ``botocore/data`` folder: one folder per service."""
    return sdist_root(version) / "botocore" / "data"


def protocol_tests_dir(version: str = BOTOCORE_VERSION) -> Path:
    return sdist_root(version) / "tests" / "unit" / "protocols"


def sigv4_suite_dir(version: str = BOTOCORE_VERSION) -> Path:
    return sdist_root(version) / "tests" / "unit" / "auth" / "aws4_testsuite"


def endpoint_tests_dir(version: str = BOTOCORE_VERSION) -> Path:
    return sdist_root(version) / "tests" / "functional" / "endpoint-rules"


def service_model_dir(service: str, version: str = BOTOCORE_VERSION) -> Path:
    """The newest API-version folder of one service (what botocore itself loads)."""
    base = data_dir(version) / service
    versions = sorted(p for p in base.iterdir() if p.is_dir())
    if not versions:
        raise FileNotFoundError(f"no model versions under {base}")
    return versions[-1]
