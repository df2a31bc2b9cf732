"""The command line as a new user and a maintainer meet it: help, mistakes caught, models
in botocore's own layouts, template overrides held to the built-in templates' promises."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
STS = REPO / "models" / "sts"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or REPO, capture_output=True,
                          text=True, check=False)


def test_help_lists_every_command_in_plain_text() -> None:
    out = run("--help").stdout
    for command in ("generate", "generate-all", "fetch-model", "update", "diff", "build", "docs"):
        assert f"\n  {command} " in out
    assert "``" not in out and out.startswith("usage: python -m generator COMMAND [options]")
    assert "the manifest to generate" in run("generate", "--help").stdout


def test_package_without_model_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["generate", "--package", "foo"])
    assert done.value.code == 2
    assert "give --model too" in capsys.readouterr().err


def test_model_in_botocores_wheel_layout_gets_its_resolver(tmp_path: Path) -> None:
    """botocore's wheels keep data/<service>/<version>/service-2.json.gz with a gzipped
    rule set beside it and partitions.json two folders up."""
    version = tmp_path / "data" / "sts" / "2011-06-15"
    version.mkdir(parents=True)
    for name in ("service-2.json", "endpoint-rule-set-1.json"):
        (version / (name + ".gz")).write_bytes(gzip.compress((STS / name).read_bytes()))
    shutil.copy(REPO / "models" / "partitions.json", tmp_path / "data" / "partitions.json")
    assert main(["generate", "--model", str(version / "service-2.json.gz"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "aws-sts" / "aws_sts" / "endpoints.py").exists()


def test_model_without_partitions_gets_the_pinned_table_and_without_rules_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(STS / "service-2.json", folder)
    shutil.copy(STS / "endpoint-rule-set-1.json", folder)
    assert main(["generate", "--model", str(folder / "service-2.json"), "--package", "my_sts",
                 "--out", str(tmp_path / "a")]) == 0
    assert "def resolve_endpoint" in (tmp_path / "a" / "my-sts" / "my_sts" / "endpoints.py").read_text()
    (folder / "endpoint-rule-set-1.json").unlink()
    assert main(["generate", "--model", str(folder / "service-2.json"), "--out", str(tmp_path / "b")]) == 0
    assert "resolves no endpoints, so its clients need endpoint_url=" in capsys.readouterr().err


def override(tmp_path: Path, rel: str, text: str) -> Path:
    folder = tmp_path / "templates"
    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
    (folder / rel).write_text(text)
    return folder


def test_template_override_replaces_a_template(tmp_path: Path) -> None:
    original = (REPO / "templates" / "package" / "README.md.jinja").read_text()
    folder = override(tmp_path, "package/README.md.jinja", original + "\nMaintained by the Example team.\n")
    assert main(["generate", "--model", str(STS / "service-2.json"), "--templates", str(folder),
                 "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "aws-sts" / "README.md").read_text().endswith("Maintained by the Example team.\n")


@pytest.mark.parametrize("rel, text, message", [
    ("package/__package__/errors.py.jinja", "x = (\n", "aws_sts/errors.py, which does not compile"),
    ("package/__package__/errors.py.jinja", "{% if %}\n", "template syntax"),
    ("package/nothere.py.jinja", "x = 1\n", "replaces no built-in template"),
])
def test_bad_template_overrides_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str,
                                              text: str, message: str) -> None:
    folder = override(tmp_path, rel, text)
    assert main(["generate", "--model", str(STS / "service-2.json"), "--templates", str(folder),
                 "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_pre_commit_hook_and_workflows_run_real_commands() -> None:
    """The hook's command passes on this checkout; the workflows call scripts that exist."""
    import shlex

    import yaml

    hook = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    argv = shlex.split(hook["entry"])
    assert argv[:3] == ["python", "-m", "generator"]
    done = run(*argv[3:])
    assert done.returncode == 0, done.stdout[-2000:]
    for workflow in ("ci.yml", "models.yml"):
        text = (REPO / ".github" / "workflows" / workflow).read_text()
        yaml.safe_load(text)
        for script in (".ci/run", "scripts/generate", "scripts/test"):
            if script in text:
                assert (REPO / script).exists()
    assert "update --botocore latest" in (REPO / ".github" / "workflows" / "models.yml").read_text()


def test_the_console_script_names_itself() -> None:
    script = Path(sys.executable).parent / "awsgen"  # installed by `pip install -e .` (scripts/test does it)
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("usage: awsgen COMMAND [options]") and "Run `awsgen COMMAND --help`" in out
