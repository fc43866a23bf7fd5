"""The layout's rule that import-linter cannot see: no app reaches into another app's private helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import jiju

SOURCE = Path(jiju.__file__).parent


def private_imports(root: Path) -> list[str]:
    """`from jiju.<other app>... import _name` anywhere under `root`, as "file: module._name"."""
    found = []
    for path in root.rglob("*.py"):
        app = path.relative_to(root).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jiju.")):
                continue
            if node.module.split(".")[1] == app:
                continue
            found += [f"{path.relative_to(root)}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_app_imports_another_apps_private_helpers():
    assert private_imports(SOURCE) == []


def test_the_check_sees_a_private_import(tmp_path):
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "views.py").write_text("from jiju.registry.views import _kind\n", encoding="utf-8")
    assert private_imports(tmp_path) == ["monitoring/views.py: jiju.registry.views._kind"]
