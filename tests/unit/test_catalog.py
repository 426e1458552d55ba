"""The catalog: a big corpus is listed without reading its files, from what the last run kept."""

from __future__ import annotations

import os
import shutil

import pytest

from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, Catalog, Entry
from tui.corpus.decoding import NotText

BINARY = b"\x00\x01\x02 pas du texte \x00" * 50


def catalogued(root, store):
    """Open the corpus as the app does, read and count every file, keep it all."""
    corpus = Corpus.open(root, Catalog.load(store))
    for document in corpus:
        document.count_passages()
        corpus.catalog.put(document.relpath, document.catalog_entry())
    assert corpus.catalog.save()
    return corpus


def test_listing_reads_no_file_and_the_next_run_knows_titles_and_counts(seeds, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    listed = Corpus.open(seeds, Catalog.load(store))
    assert len(listed) == 5
    assert not any(document.is_read for document in listed)
    assert all(d.known_title is None and d.known_passage_count is None for d in listed)

    catalogued(seeds, store)
    again = Corpus.open(seeds, Catalog.load(store))
    eager = Corpus.open(seeds)
    assert [d.known_title for d in again] == [d.title for d in eager]
    assert [d.known_passage_count for d in again] == [len(d.passages) for d in eager]
    assert not any(document.is_read for document in again), "known from the catalog, unread"
    # Read when asked: the same text and title as a corpus read whole.
    assert again.documents[2].text == eager.documents[2].text
    assert again.documents[2].title == eager.documents[2].title


def test_a_file_changed_since_it_was_catalogued_is_not_trusted(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Premier titre\n\nTexte.", "b.txt": "Autre titre\n\nTexte."})
    store = tmp_path / "store"
    store.mkdir()
    catalogued(root, store)
    (root / "a.txt").write_text("Nouveau titre plus long\n\nTexte.\n\nEt plus.", "utf-8")
    status = (root / "b.txt").stat()
    (root / "b.txt").write_text("Autre texte\n\nTexte.", "utf-8")  # same size, new time
    assert (root / "b.txt").stat().st_size == status.st_size
    os.utime(root / "b.txt", ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    a, b = Corpus.open(root, Catalog.load(store)).documents
    assert a.known_title is None and b.known_title is None
    assert (a.title, b.title) == ("Nouveau titre plus long", "Autre texte")
    assert a.known_passage_count is None


def test_a_file_found_not_text_is_left_out_unread_next_time(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Titre\n\nTexte.", "scan.txt": BINARY})
    store = tmp_path / "store"
    store.mkdir()
    listed = Corpus.open(root, Catalog.load(store))
    assert [d.relpath for d in listed] == ["a.txt", "scan.txt"], "not read: not known yet"
    with pytest.raises(NotText):
        _ = listed.documents[1].text
    catalog = listed.catalog
    catalog.put(
        "scan.txt",
        Entry(len(BINARY), (root / "scan.txt").stat().st_mtime, "", 0, "", False, "binary"),
    )
    catalog.save()
    again = Corpus.open(root, Catalog.load(store))
    assert [d.relpath for d in again] == ["a.txt"]
    assert any("scan.txt" in problem for problem in again.problems)


def test_a_file_gone_after_listing_raises_when_read(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Titre\n\nTexte.", "b.txt": "Autre\n\nTexte."})
    corpus = Corpus.open(root, Catalog(None))
    (root / "b.txt").unlink()
    with pytest.raises(FileNotFoundError):
        _ = corpus.documents[1].text
    corpus.drop(corpus.documents[1])
    assert [d.relpath for d in corpus] == ["a.txt"] and corpus.get("b") is None


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"format": 99, "files": {}}', b'{"format": 1, "files": 3}', b"\xff"]
)
def test_a_bad_catalog_is_started_afresh(content, seeds, tmp_path):
    (tmp_path / CATALOG_NAME).write_bytes(content)
    catalog = Catalog.load(tmp_path)
    assert catalog.entries == {}
    corpus = Corpus.open(seeds, catalog)
    assert len(corpus) == 5


def test_a_catalog_that_cannot_be_written_is_no_error(seeds, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    corpus = Corpus.open(seeds, Catalog.load(store))
    document = corpus.documents[0]
    document.count_passages()
    corpus.catalog.put(document.relpath, document.catalog_entry())
    shutil.rmtree(store)
    (tmp_path / "store").write_text("a file where the store should be")
    assert corpus.catalog.save() is False
