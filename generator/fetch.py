"""Copy a service's files, unmodified, from the pinned botocore release into models/.

Records where they came from (release, path, sha256) in ``SOURCE.yaml`` beside them.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

from .botocore_source import BOTOCORE_VERSION, data_dir, service_model_dir

FILES = ("service-2.json", "endpoint-rule-set-1.json", "paginators-1.json", "paginators-1.sdk-extras.json",
         "waiters-2.json")


def fetch_model(service: str, models_dir: Path) -> Path:
    src_dir = service_model_dir(service)
    dest = models_dir / service
    dest.mkdir(parents=True, exist_ok=True)
    record = {
        "source": f"botocore {BOTOCORE_VERSION} source distribution (PyPI sdist)",
        "botocore_version": BOTOCORE_VERSION,
        "files": {},
    }
    for name in FILES:
        src = src_dir / name
        if not src.exists():
            src = src_dir.parent / name
        if not src.exists():
            continue
        shutil.copyfile(src, dest / name)
        record["files"][name] = {
            "path": src.relative_to(data_dir().parent.parent).as_posix(),
            "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        }
    (dest / "SOURCE.yaml").write_text(
        "# Written by `python -m generator fetch-model`; do not edit.\n"
        + yaml.safe_dump(record, sort_keys=True),
        encoding="utf-8",
    )
    partitions = data_dir() / "partitions.json"
    shutil.copyfile(partitions, models_dir / "partitions.json")
    shutil.copyfile(data_dir() / "_retry.json", models_dir / "_retry.json")
    print(f"fetched {service} into {dest}")
    return dest
