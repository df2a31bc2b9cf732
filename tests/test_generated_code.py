"""Generated packages carry no dead code: every private top-level function is referenced."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def unused_private_functions(package: Path) -> list[str]:
    """``module:function`` for each private top-level function no module of the package names."""
    defined: dict[str, str] = {}
    referenced: set[str] = set()
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("_") and not node.name.startswith("__"):
                defined[node.name] = f"{path.name}:{node.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                referenced.add(node.id)
            elif isinstance(node, ast.Attribute):
                referenced.add(node.attr)
    return sorted(where for name, where in defined.items() if name not in referenced)


def test_committed_packages_have_no_unused_private_functions() -> None:
    packages = [p for d in sorted((REPO / "generated").iterdir()) for p in d.iterdir() if (p / "__init__.py").exists()]
    assert packages
    for package in packages:
        assert unused_private_functions(package) == [], package.name


def test_the_check_finds_an_unused_function(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "_serde.py").write_text("def _used():\n    pass\n\ndef _dead():\n    _used()\n")
    assert unused_private_functions(tmp_path) == ["_serde.py:_dead"]
