"""A team on one machine: a bare repository and clones of it, each a coder's machine with a
corpus in git and a store of its own, for the tests of `glose sync`."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.corpus import Corpus, Document
from tui.store import Store
from tui.sync import SyncReport, sync

ARTICLES = {
    "un.txt": "Premier article.\n\nLa politique du climat avance.\n\nLe prix du blé monte.\n\n"
    "Les entreprises investissent.\n",
    "deux.txt": "Second article.\n\nUne loi est votée.\n\nLe marché réagit vite.\n",
}


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=where, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def git_identity(monkeypatch: Any, folder: Path) -> None:
    """Git as on a fresh machine with only a name and an address configured: the tests never
    read the user's own configuration."""
    config = folder / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test\n\temail = test@example.org\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Machine:
    """One clone: its corpus and the store of the coder who works on it."""

    root: Path
    store_dir: Path
    annotator: str

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    def store(self) -> Store:
        return Store(self.store_dir, annotator=self.annotator)

    def document(self, name: str = "un") -> Document:
        found = Corpus.open(self.corpus_dir).get(name)
        assert found is not None
        return found

    def tag(self, passage: int, tag: str, name: str = "un") -> None:
        document = self.document(name)
        with self.store() as store:
            store.tag_passage(document, document.passages[passage], tag)

    def sync(self) -> SyncReport:
        with self.store() as store:
            return sync(store, self.corpus_dir)

    def content(self) -> set[tuple]:
        with Store(self.store_dir, readonly=True, annotator=self.annotator) as store:
            return content(store)


def content(store: Store) -> set[tuple]:
    """What a store holds, whatever its record ids: whose, where, what is on it."""
    return {
        (
            record["annotator"],
            table,
            record["uuid"],
            record["document"],
            record["start"],
            record["end"],
            tuple(sorted(record.get("tags", ()))),
            record.get("highlighted"),
            record.get("note", ""),
        )
        for table in ("passages", "highlights")
        for record in store.records(table).values()
    }


class Team:
    """A bare repository holding a corpus, and clones of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bare = folder / "team.git"
        git(folder, "init", "--quiet", "--bare", str(self.bare))
        first = folder / "first"
        git(folder, "clone", "--quiet", str(self.bare), str(first))
        for name, text in ARTICLES.items():
            path = first / "corpus" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git(first, "add", ".")
        git(first, "commit", "--quiet", "-m", "corpus")
        git(first, "push", "--quiet", "origin", "main")

    def machine(self, name: str, annotator: str) -> Machine:
        root = self.folder / name
        git(self.folder, "clone", "--quiet", str(self.bare), str(root))
        return Machine(root, self.folder / f"{name}-store", annotator)
