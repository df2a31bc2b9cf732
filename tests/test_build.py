"""``build``: wheels and sdists that install into a clean virtual environment with nothing
of this repository on its path, and work there against a local server; packages made for
another runtime are refused."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

from generator.build import check_requirements, runtime_requirement, runtime_version
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent

CALL = """
import json, sys
import aws_dynamodb, awsgen_runtime
client = aws_dynamodb.Client(region="us-east-1", endpoint_url=sys.argv[1],
                             credentials=aws_dynamodb.Credentials("AKID", "secret"))
print(json.dumps({"tables": client.list_tables().table_names, "package": aws_dynamodb.__file__,
                  "runtime": awsgen_runtime.__file__, "path": sys.path}))
"""


def test_built_packages_install_and_work_in_a_clean_environment(tmp_path: Path, server: Any) -> None:
    dist = tmp_path / "dist"
    assert main(["build", "--out", str(dist), "--only", "dynamodb"]) == 0
    names = sorted(p.name for p in dist.iterdir())
    assert names == ["aws_dynamodb-0.1.0-py3-none-any.whl", "aws_dynamodb-0.1.0.tar.gz",
                     "awsgen_runtime-0.1.0-py3-none-any.whl", "awsgen_runtime-0.1.0.tar.gz"]
    assert not (REPO / "generated" / "aws-dynamodb" / "dist").exists()  # built in a scratch copy
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--find-links", str(dist), "aws-dynamodb"], check=True, capture_output=True)
    server.reply(200, {"TableNames": ["from-a-wheel"]})
    done = subprocess.run([str(python), "-I", "-c", CALL, server.url], cwd=tmp_path, capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"})
    found = json.loads(done.stdout)
    assert found["tables"] == ["from-a-wheel"]
    for module in (found["package"], found["runtime"]):
        assert module.startswith(str(env)) and "site-packages" in module
    assert not any(str(REPO) in entry for entry in found["path"])


def test_a_package_for_another_runtime_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "aws-x"
    package.mkdir()
    shutil.copy(REPO / "generated" / "aws-sts" / "pyproject.toml", package / "pyproject.toml")
    assert check_requirements([package], runtime_version()) == []
    text = (package / "pyproject.toml").read_text()
    (package / "pyproject.toml").write_text(text.replace(runtime_requirement(runtime_version()),
                                                         "awsgen-runtime>=7.0,<8"))
    problems = check_requirements([package], runtime_version())
    assert len(problems) == 1 and "requires awsgen-runtime>=7.0,<8, but the runtime is" in problems[0]


def test_every_generated_package_admits_the_runtime_it_was_generated_for() -> None:
    packages = sorted(p for p in (REPO / "generated").iterdir() if (p / "pyproject.toml").exists())
    assert packages and check_requirements(packages, runtime_version()) == []


@pytest.mark.parametrize("version, requirement", [
    ("0.1.0", "awsgen-runtime>=0.1,<0.2"), ("0.4.7", "awsgen-runtime>=0.4,<0.5"),
    ("1.2.3", "awsgen-runtime>=1.2,<2"), ("2.0.0", "awsgen-runtime>=2.0,<3"),
])
def test_runtime_requirement_rule(version: str, requirement: str) -> None:
    assert runtime_requirement(version) == requirement
