"""Shared fixtures: the bundled seeds, a fresh store, small corpora written on the fly, the
app over them, and an annotated corpus that exercises every field of every export (two
annotators, tags, highlights, notes, an orphan, a document gone, hostile content)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import SEEDS, WEB_PAGE, recording, text_document
from tests.hostile import HOSTILE_NOTE, HOSTILE_TAGS, HOSTILE_TEXT
from tui.app.app import GloseApp
from tui.corpus import Corpus
from tui.settings import Settings
from tui.store import Store

PROJECT = Path(__file__).resolve().parent.parent

# Every test in these folders is of a kind: cli/ runs glose as a process, e2e/ in tmux.
FOLDER_MARKS = {"cli": ("process",), "e2e": ("e2e", "process", "slow")}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(PROJECT / "tests").parts[0]
        for mark in FOLDER_MARKS.get(folder, ()):
            item.add_marker(mark)


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


@pytest.fixture(autouse=True)
def cache_of_its_own(monkeypatch, tmp_path_factory) -> Path:
    """Search indexes of corpora without a store go to the user's cache folder: each test gets
    one of its own (processes it starts inherit it), never the real home's."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@pytest.fixture
def make_app(seeds: Path, store_dir: Path):
    opened: list[Store] = []

    def make(corpus_dir: Path | None = None, settings: Settings | None = None) -> GloseApp:
        """The app over `corpus_dir` (the seeds by default); `app.notified` is what it told
        the user."""
        store = Store(store_dir)
        opened.append(store)
        app = GloseApp(Corpus.open(corpus_dir or seeds), store, settings=settings)
        app.notified = recording(app)
        return app

    yield make
    for store in opened:
        store.close()


@dataclass
class Annotated:
    corpus: Corpus
    store: Store
    root: Path

    def reopen(self) -> Corpus:
        self.corpus = Corpus.open(self.root)
        return self.corpus


@pytest.fixture
def annotated(tmp_path: Path, seeds: Path):
    root = tmp_path / "corpus"
    shutil.copytree(seeds, root)
    (root / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    corpus = Corpus.open(root)
    store = Store(tmp_path / "store", annotator="alice")
    for name in HOSTILE_TAGS:
        store.create_tag(name)
    store.create_tag("sécurité")

    a = corpus.get("000_9ff77a90e9a0ba93")
    b = corpus.get("002_c25bee6c01f21316")
    h = corpus.get("hostile")
    for passage in a.passages[1:4]:
        store.toggle_tag(a, passage, "sécurité")
    store.toggle_tag(a, a.passages[2], HOSTILE_TAGS[0])
    store.toggle_highlight(a, a.passages[5], "green")
    store.set_passage_note(a, a.passages[5], HOSTILE_NOTE)
    start = a.text.index("Bard et Claude")
    highlight = store.add_highlight(a, a.passages, start, start + 14, "pink")
    highlight.note = "Trois chatbots.\nDeux lignes."
    store.update_highlight(highlight)
    for index, passage in enumerate(h.passages):
        store.toggle_tag(h, passage, HOSTILE_TAGS[index % len(HOSTILE_TAGS)])
    store.add_highlight(h, h.passages, 0, len(h.text), "blue")  # across every passage
    store.toggle_tag(b, b.passages[0], "sécurité")
    # Bob's annotations, in the same store (as an import or a shared store would have them).
    store.annotator = "bob"
    store.toggle_tag(a, a.passages[2], "sécurité")
    store.toggle_tag(a, a.passages[6], "sécurité")
    store.set_passage_note(b, b.passages[1], "Note de Bob.")
    # An annotation whose words leave its document, and one whose document leaves the corpus.
    store.annotator = "alice"
    doomed = b.passages[3]
    store.toggle_tag(b, doomed, "sécurité")
    gone = text_document("ailleurs/disparu", "Un texte qui n’est plus là.")
    store.toggle_highlight(gone, gone.passages[0])
    path = root / "002_c25bee6c01f21316.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(doomed.text, ""), encoding="utf-8")
    corpus = Corpus.open(root)
    found = Annotated(corpus, store, root)
    yield found
    found.store.close()


@pytest.fixture
def coded(annotated):
    """The annotated corpus with coded segments too: tagged words (a level of the tree among
    their tags), words tagged and highlighted, words across two passages, words with a note
    alone, and a segment on a document gone from the corpus."""
    store, corpus = annotated.store, annotated.corpus
    a = corpus.get("000_9ff77a90e9a0ba93")
    b = corpus.get("001_5049656ab526f4d3")
    start = a.text.index("leaders incontestés")
    store.tag_span(a, a.passages, start, start + 19, "acteurs/entreprises")
    store.tag_span(a, a.passages, start, start + 19, "sécurité")
    start = b.text.index("Meta et IBM")
    lit, _ = store.tag_span(b, b.passages, start, start + 11, "acteurs/entreprises")
    lit.highlighted, lit.color, lit.note = True, "orange", "Deux géants — « ouverts » ?"
    store.update_highlight(lit)
    first = b.passages[1]
    store.tag_span(b, b.passages, first.end - 10, b.passages[2].start + 12, "politique")
    store.annotator = "bob"
    start = a.text.index("source fermée")
    noted, _ = store.tag_span(a, a.passages, start, start + 13, "politique")
    noted.note = "Seulement une note, à la fin."
    store.update_highlight(noted)
    store.toggle_segment_tag(noted, "politique")  # left with its note alone
    store.annotator = "alice"
    gone = text_document("ailleurs/parti", "Des mots qui ne sont plus dans le corpus.")
    store.tag_span(gone, gone.passages, 4, 8, "politique")
    return annotated


@pytest.fixture
def web_corpus(tmp_path: Path) -> Path:
    """Two articles with one title in two folders, beside a web page with its metadata."""
    root = tmp_path / "corpus"
    (root / "mai").mkdir(parents=True)
    (root / "juin").mkdir()
    (root / "page.html").write_text(WEB_PAGE)
    (root / "mai" / "notes.txt").write_text("Notes\n\nPremier entretien, https://example.org/a.\n")
    (root / "juin" / "notes.txt").write_text("Notes\n\nSecond entretien.\n")
    return root
