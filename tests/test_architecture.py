"""The tree's shape: which layer may import which, and what the reader's first frame imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tui"


@pytest.mark.process
def test_the_import_contracts_hold():
    """pyproject.toml's import-linter contracts: the model and every command but the reader's
    never import Textual or the app, and each layer imports only the layers below it."""
    linted = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports; "
            "raise SystemExit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "2 kept, 0 broken" in linted.stdout


# What the reader's first frame does not need, and which costs it time to import: the fuzzy
# matcher (a changed text), the note editor's TextArea, statistics, search (its index is built
# after the first frame, its language and regular expressions), TOML (a settings file), the
# export formats' writers, the actions the keys run and their dialogs. Each is imported where
# it is used.
NOT_AT_START = (
    "rapidfuzz",
    "textual.widgets._text_area",
    "tui.analysis.statistics",
    "tui.corpus.search",
    "tui.corpus.query",
    "regex",
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


@pytest.mark.process
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
