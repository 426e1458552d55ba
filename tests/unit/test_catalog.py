"""The catalog: a big corpus is listed without reading its files, from what the last run kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS, SPECIAL_FILES, catalogued_long_after, read_long_after
from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, Catalog, Entry
from tui.corpus.counting import count_unknown
from tui.corpus.decoding import NotText
from tui.corpus.document import file_stamp
from tui.text import printable

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
    stamp = file_stamp((root / "scan.txt").stat())
    catalog.put("scan.txt", Entry(stamp, read_long_after(), "", 0, "", False, "binary"))
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


def left_alone(done: list[str], number: int, total: int) -> None:
    """Progress nobody watches."""


def assert_well_typed(corpus: Corpus) -> None:
    """What the corpus takes from a catalog is what glose itself would have written."""
    for document in corpus:
        title, count, length = (
            document.known_title,
            document.known_passage_count,
            document.known_length,
        )
        assert title is None or isinstance(title, str)
        assert count is None or (type(count) is int and count >= 0)
        assert length is None or (type(length) is int and length >= 0)
        assert isinstance(document.encoding, str) and type(document.lossy) is bool
        printable(document.title)  # the article list shows it


HOSTILE_FIELDS = [12345, "many", -3, None, "yes", 1.5, [], {}, True, 2**63, "x" * 20_000]


@pytest.mark.parametrize("value", HOSTILE_FIELDS, ids=repr)
def test_a_catalog_entry_of_the_wrong_types_is_dropped_not_trusted(value, tmp_path):
    # Each field of a saved entry in turn, whatever the format: a well-formed file of the wrong
    # types once crashed every start (`printable` of a number) or showed `0/-3 annotated`.
    store = tmp_path / "store"
    store.mkdir()
    catalogued(SEEDS, store)
    path = store / CATALOG_NAME
    saved = json.loads(path.read_bytes())
    relpath, fields = next(iter(saved["files"].items()))
    for position in range(len(fields)):
        changed = json.loads(json.dumps(saved))
        changed["files"][relpath][position] = value
        path.write_text(json.dumps(changed), encoding="utf-8")
        corpus = Corpus.open(SEEDS, Catalog.load(store))
        assert len(corpus) == 5, position
        assert_well_typed(corpus)


def test_a_catalog_of_the_wrong_shape_is_started_afresh(tmp_path):
    for data in ([], "glose", {"format": 3, "files": []}, {"format": 3, "files": None}):
        (tmp_path / CATALOG_NAME).write_text(json.dumps(data), encoding="utf-8")
        assert Catalog.load(tmp_path).entries == {}


@cache
def saved_catalog() -> str:
    """The catalog glose saves of the seeds, read long after they changed (all trusted)."""
    with tempfile.TemporaryDirectory() as directory:
        catalogued(SEEDS, Path(directory))
        catalogued_long_after(Path(directory) / CATALOG_NAME)
        return (Path(directory) / CATALOG_NAME).read_text(encoding="utf-8")


# Numbers as JSON parsers take them: 64 bits (a longer one makes the file unreadable whole).
NUMBER = st.integers(-(2**63), 2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBER | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON, place=st.integers(0, 14), which=st.integers(0, 4))
def test_any_json_in_place_of_an_entry_or_a_field_never_raises_nor_misleads(value, place, which):
    saved = json.loads(saved_catalog())
    relpath = sorted(saved["files"])[which]
    fields = saved["files"][relpath]
    if place < len(fields):
        fields[place] = value  # one field
    elif place == len(fields):
        saved["files"][relpath] = value  # the whole entry
    elif place == len(fields) + 1:
        saved["files"] = value  # every entry
    else:
        saved = value  # the whole catalog
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, CATALOG_NAME).write_text(json.dumps(saved), encoding="utf-8")
        catalog = Catalog.load(Path(directory))
    for entry in catalog.entries.values():
        assert all(type(part) is int for part in entry.stamp) and len(entry.stamp) == 4
        assert type(entry.passages) is int and entry.passages >= 0
        assert type(entry.length) is int and entry.length >= 0
        assert isinstance(entry.title, str) and isinstance(entry.encoding, str)
        assert entry.not_text is None or isinstance(entry.not_text, str)
    corpus = Corpus.open(SEEDS, catalog)
    known = sum(document.known_title is not None for document in corpus)
    if place <= len(json.loads(saved_catalog())["files"][relpath]):
        assert known >= 4, "the other entries are still trusted"
    assert_well_typed(corpus)


def test_a_text_file_put_in_place_of_a_binary_one_with_cp_p_is_read(make_corpus, tmp_path):
    # Same size, same modification time: only the change time (or the inode) tells.
    root = make_corpus({"a.txt": "Titre\n\nTexte.", "scan.txt": BINARY})
    store = tmp_path / "store"
    store.mkdir()
    count_unknown(Corpus.open(root, Catalog.load(store)), left_alone)
    catalogued_long_after(store / CATALOG_NAME)
    again = Corpus.open(root, Catalog.load(store))
    assert [d.relpath for d in again] == ["a.txt"], "the verdict is kept: scan.txt left out"

    text = ("Un vrai texte.\n\n" * len(BINARY))[: len(BINARY)]
    replacement = tmp_path / "restored.txt"
    replacement.write_text(text, encoding="ascii")
    before = (root / "scan.txt").stat()
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    shutil.copy2(replacement, root / "scan.txt")  # as `cp -p` does
    after = (root / "scan.txt").stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    corpus = Corpus.open(root, Catalog.load(store))
    assert [d.relpath for d in corpus] == ["a.txt", "scan.txt"]
    assert corpus.get("scan").text.startswith("Un vrai texte.")


def test_a_file_read_within_a_clock_tick_of_its_change_is_read_again_next_time(
    make_corpus, tmp_path
):
    # Made and read at once: a change made just after, within the same tick of a coarse
    # clock, would leave its times as they were read. Next time it is read again.
    root = make_corpus({"a.txt": "Premier titre\n\nTexte."})
    store = tmp_path / "store"
    store.mkdir()
    catalogued(root, store)
    corpus = Corpus.open(root, Catalog.load(store))
    assert corpus.documents[0].known_title is None, "changed too close to its reading"
    catalogued_long_after(store / CATALOG_NAME)
    corpus = Corpus.open(root, Catalog.load(store))
    assert corpus.documents[0].known_title == "Premier titre"


def test_a_change_is_compared_with_when_the_file_was_read_not_saved():
    stamp = (10, 5 * 10**9, 7 * 10**9, 42)
    catalog = Catalog()
    catalog.put("a.txt", Entry(stamp, 7 * 10**9, "A", 1, "UTF-8", False, None, 10))
    catalog.put("b.txt", Entry(stamp, 8 * 10**9, "B", 1, "UTF-8", False, None, 10))
    catalog.put("c.txt", Entry(stamp, 12 * 10**9, "C", 1, "UTF-8", False, None, 10))
    # Saved long after each was read: only the one read well after its change is trusted.
    assert catalog.get("a.txt", stamp) is None
    assert catalog.get("b.txt", stamp) is None
    assert catalog.get("c.txt", stamp) is not None
    assert catalog.get("c.txt", (10, 5 * 10**9, 7 * 10**9, 43)) is None, "another inode"
    assert catalog.get("c.txt", (10, 5 * 10**9, 8 * 10**9, 42)) is None, "changed since"


READ_COUNT_AND_SAVE = """
import sys
from pathlib import Path
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.counting import count_unknown

catalog = Catalog.load(Path(sys.argv[2]))
count_unknown(Corpus.open(sys.argv[1], catalog), lambda *told: None)
print(catalog.unusable)
"""


@pytest.mark.process
@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
def test_a_special_file_in_place_of_the_catalog_is_neither_read_nor_replaced(tmp_path, kind):
    # As the reader does: load, read every file, save. A pipe there once blocked the start.
    make, is_kind, said = SPECIAL_FILES[kind]
    make(tmp_path / CATALOG_NAME)
    done = subprocess.run(
        [sys.executable, "-c", READ_COUNT_AND_SAVE, str(SEEDS), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{tmp_path / CATALOG_NAME} is {said}, not a file\n"
    assert is_kind(os.lstat(tmp_path / CATALOG_NAME).st_mode), "never replaced"
    assert sorted(path.name for path in tmp_path.iterdir()) == [CATALOG_NAME]
