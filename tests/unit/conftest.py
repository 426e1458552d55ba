"""An annotated corpus that exercises every field of every export: two annotators, tags,
highlights, notes, an orphan, a document gone from the corpus, and hostile content."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import text_document
from tui.corpus import Corpus
from tui.store import Store

# Things each format must not read as its own syntax.
HOSTILE_TAGS = ["[bold]gras[/bold]", 'a,b"c', "<x>&</x>", "# titre", "=SUM(A1)"]
HOSTILE_NOTE = (
    "**gras** `code` [lien](http://x) <b>html</b> & &amp;\n"
    '- liste\n1. un\n> cité\n| a | b |\n"guillemets", virgule; point-virgule\n'
    "=1+1\n[red]rouge[/red] ]]> <!-- -->"
)
HOSTILE_TEXT = (
    "# Pas un titre\n\n"
    "Un paragraphe avec *étoiles*, `accents graves`, <balises> & esperluettes, "
    '"guillemets", virgules; et | barres |.\n\n'
    "- un tiret en tête\n\n"
    "=1+1 commence comme une formule, [bold]et du balisage[/bold].\n\n"
    "Deux lignes\ndans un passage.\n"
)


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
