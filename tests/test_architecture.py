"""The model and every command but the reader never import Textual: they need no screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
MODEL = [
    "corpus",
    "store",
    "interchange",
    "analysis",
    "anchoring.py",
    "text.py",
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


# The command line's modules other than the reader's: export, import, tag, search, check, stats
# and agreement run without a screen.
READER_COMMAND = PACKAGE / "cli" / "reader.py"


def command_line_files() -> list[Path]:
    return [path for path in sorted((PACKAGE / "cli").glob("*.py")) if path != READER_COMMAND]


@pytest.mark.parametrize("path", command_line_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_reader_command_imports_textual_or_the_app(path):
    for name in imported_modules(path):
        assert name.split(".")[0] != "textual", f"{path.name} imports {name}"
        assert not name.startswith("tui.app"), f"{path.name} imports {name}"
        assert name != "tui.cli.reader", f"{path.name} imports {name}"


def test_the_command_line_is_checked_at_all():
    assert READER_COMMAND.exists()
    assert len(command_line_files()) >= 6


# What the reader's first frame does not need, and which costs it time to import: the fuzzy
# matcher (a changed text), the note editor's TextArea, statistics, search (its index is built
# after the first frame), TOML (a settings file), the export formats' writers, the actions the
# keys run and their dialogs. Each is imported where it is used.
NOT_AT_START = (
    "rapidfuzz",
    "textual.widgets._text_area",
    "tui.analysis.statistics",
    "tui.corpus.search",
    "tui.corpus.matches",
    "tui.app.screens.places",
    "tui.app.screens.search_dialog",
    "tui.app.actions.finding",
    "tui.app.actions.annotating",
    "tui.app.actions.tags",
    "tui.app.actions.orphans",
    "tui.app.actions.reports",
    "tomllib",
    "tui.interchange.json_format",
    "tui.interchange.refi",
    "tui.interchange.w3c",
)


def test_starting_the_reader_does_not_import_what_its_first_frame_does_not_need():
    program = (
        "import sys\n"
        "from tui.cli import build_parser\n"
        "from tui.app.app import GloseApp\n"
        "build_parser()\n"
        f"print([name for name in {NOT_AT_START!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert done.stdout.strip() == "[]"


def test_every_dialog_brings_the_dialogs_style():
    # A dialog without it would open unstyled if it were the first one opened.
    import inspect

    from textual.screen import Screen

    from tui.app.app import _subclasses, glose_bindings
    from tui.app.screens import DIALOGS_CSS
    from tui.app.screens.main import MainScreen

    glose_bindings()  # imports every module of the app
    screens = [
        cls
        for cls in _subclasses(Screen)
        if cls.__module__.startswith("tui.app.") and cls is not MainScreen
    ]
    assert len(screens) >= 14
    for screen in screens:
        assert screen.CSS_PATH == DIALOGS_CSS, inspect.getfile(screen)
