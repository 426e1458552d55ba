"""The model never imports Textual: corpus, store and interchange work without a screen."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
MODEL = [
    "corpus",
    "store",
    "interchange",
    "anchoring.py",
    "agreement.py",
    "search.py",
    "statistics.py",
    "settings.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def model_files() -> list[Path]:
    files: list[Path] = []
    for part in MODEL:
        target = PACKAGE / part
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return [file for file in files if file.exists()]


@pytest.mark.parametrize("path", model_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_model_module_does_not_import_textual_or_the_app(path):
    for name in imported_modules(path):
        assert name.split(".")[0] != "textual", f"{path.name} imports {name}"
        assert not name.startswith("tui.app"), f"{path.name} imports {name}"


def test_the_model_is_checked_at_all():
    assert len(model_files()) >= 8
