"""Shared fixtures: the bundled seeds, a fresh store, small corpora written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual._wait

# Pilot decides the app is idle after each key by sleeping in 20 ms slices until one passes
# with under 1 ms of CPU: at least 60 ms a key. 5 ms slices tell idleness by the same rule;
# no test relies on it for order, since each waits on the app's own state.
textual._wait.SLEEP_GRANULARITY = 0.005

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write `{relative path: text or bytes}` under a fresh directory and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "corpus"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        root.mkdir(exist_ok=True)
        return root

    return make


@pytest.fixture(autouse=True)
def same_user_everywhere(monkeypatch, tmp_path_factory):
    """Annotations record the OS user: the same name on every machine keeps tests and
    snapshots the same (getpass reads LOGNAME first; subprocesses inherit it). The user's own
    settings file (remapped keys, a theme) is not read: a config folder that does not exist."""
    monkeypatch.setenv("LOGNAME", "lecteur")
    monkeypatch.delenv("GLOSE_ANNOTATOR", raising=False)
    monkeypatch.delenv("GLOSE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-config"))
