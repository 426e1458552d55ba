"""A store written before file names that are not UTF-8 got ids of their own: the annotations
an older glose stored under the old id (`caf\ufffd`) find their article (`caf%E9`) again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.helpers import glose
from tests.waiting import articles_read
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.store import Store

OLD_STORE = Path(__file__).parent / "stores" / "ab98ce6-non-utf8-name"
FORMER, NEW = "caf\ufffd", "caf%E9"


def project(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus and the store of OLD_STORE's README, the store as that glose left it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as file:
        file.write("Un café noir.\n\nDeux cafés au lait.\n".encode())
    (corpus / "plain.txt").write_text("Plain text here.\n", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    for name in ("glose.json", "glose.journal"):
        shutil.copyfile(OLD_STORE / name, store / name)
    return corpus, store


def store_files(store: Path) -> dict[str, bytes]:
    return {name: (store / name).read_bytes() for name in ("glose.json", "glose.journal")}


def documents_held(store: Path) -> dict[str, int]:
    with Store(store, readonly=True) as held:
        found = [a.document for a in held.annotations()]
    return {document: found.count(document) for document in sorted(set(found))}


def test_the_old_store_holds_the_former_id(tmp_path):
    _, store = project(tmp_path)
    assert documents_held(store) == {FORMER: 2, "plain": 1}


def test_a_document_knows_the_id_an_older_glose_gave_it(tmp_path):
    corpus, _ = project(tmp_path)
    ids = {document.id: document.former_id for document in Corpus.open(corpus)}
    assert ids == {NEW: FORMER, "plain": None}


def test_a_reader_sees_them_on_their_article_and_writes_nothing(tmp_path):
    corpus, store = project(tmp_path)
    before = store_files(store)
    checked = glose("--corpus", str(corpus), "--store", str(store), "check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{NEW}: 2 exact" in checked.stdout
    assert "not in the corpus" not in checked.stdout
    exported = glose(
        "--corpus", str(corpus), "--store", str(store), "export", "--format", "csv", cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count(f"{NEW},") == 2 and FORMER not in exported.stdout
    assert store_files(store) == before, "a command that reads changed the store"


def test_a_writer_moves_them_once_for_good(tmp_path):
    corpus, store = project(tmp_path)
    tagged = glose(
        "--corpus", str(corpus), "--store", str(store),
        "tag", "--tag", "texte", "--document", "plain", "--passage", "1", "--annotator", "ana",
        cwd=tmp_path,
    )  # fmt: skip
    assert tagged.returncode == 0, tagged.stderr
    assert documents_held(store) == {NEW: 2, "plain": 1}
    with Store(store, readonly=True) as held:
        assert [a.tags for a in held.annotations(NEW)] == [["boisson"], ["boisson"]]
        assert [a.status for a in held.annotations(NEW)] == ["exact", "exact"]


def test_nothing_moves_onto_an_id_that_already_holds_annotations(tmp_path):
    corpus, store = project(tmp_path)
    documents = Corpus.open(corpus)
    with Store(store) as writer:
        cafe = documents.get(NEW)
        writer.tag_passage(cafe, cafe.passages[1], "nouveau")
        assert writer.adopt_former_ids(documents) == 0
    assert documents_held(store) == {FORMER: 2, NEW: 1, "plain": 1}


async def test_the_app_shows_them_on_their_article_and_stores_the_move(tmp_path):
    corpus, store = project(tmp_path)
    writer = Store(store, annotator="ana")
    app = GloseApp(Corpus.open(corpus, Catalog.load(store)), writer)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        listing = app.screen.query_one(ArticleList)
        shown = {
            document.id: str(listing.prompt_at(index))
            for index, document in enumerate(listing.documents)
        }
        assert "2/2 annotated" in shown[NEW]
    writer.close()
    assert documents_held(store) == {NEW: 2, "plain": 1}


def test_a_file_really_named_with_the_replacement_character_keeps_its_annotations(tmp_path):
    corpus, store = project(tmp_path)
    # A UTF-8 name that holds U+FFFD: its id is the former id of `caf\xe9.txt`.
    (corpus / f"{FORMER}.txt").write_text("Un café noir.\n\nDeux cafés au lait.\n", "utf-8")
    documents = Corpus.open(corpus)
    assert documents.get(NEW).former_id is None, "whose annotations they are cannot be told"
    with Store(store, annotator="ana") as writer:
        assert writer.adopt_former_ids(documents) == 0
    assert documents_held(store) == {FORMER: 2, "plain": 1}
