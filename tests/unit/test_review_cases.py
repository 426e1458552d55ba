"""Model-side cases found by review: files that are not files, encodings, paths, records."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from tests.helpers import text_document
from tui.corpus import Corpus, CorpusError
from tui.corpus.decoding import NotText, decode
from tui.interchange.files import write_atomically
from tui.store import Store, StoreError
from tui.store.model import NoteError, clean_note


def test_pipes_and_devices_named_txt_are_left_out_not_read(make_corpus):
    root = make_corpus({"ok.txt": "Texte."})
    os.mkfifo(root / "pipe.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    corpus = Corpus.open(root)  # would block on the pipe, or never end on /dev/zero
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == [
        "Left out 2 files that are not text: pipe.txt (not a regular file), "
        "zero.txt (not a regular file)"
    ]


def test_unreadable_folders_are_named(make_corpus, monkeypatch):
    root = make_corpus({"ok.txt": "Texte.", "locked/x.txt": "secret"})
    real_scandir = os.scandir

    def scandir(directory):
        # Root reads any folder: the refusal a user would meet is made here.
        if str(directory).endswith("locked"):
            raise PermissionError(13, "Permission denied", directory)
        return real_scandir(directory)

    monkeypatch.setattr(os, "scandir", scandir)
    corpus = Corpus.open(root)
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == ["folder locked: Permission denied"]


def test_paths_the_system_refuses_are_one_sentence(tmp_path):
    too_long = tmp_path / ("x" * 300)
    with pytest.raises(CorpusError, match="cannot read the corpus"):
        Corpus.open(too_long)
    with pytest.raises(StoreError, match="cannot read the store"):
        Store(too_long / "store")


@pytest.mark.parametrize(
    ("raw", "text", "lossy"),
    [
        (
            ("Le consortium réunit des entreprises. " + "Sans accent ici. " * 30).encode("cp1252"),
            "Le consortium réunit des entreprises. " + "Sans accent ici. " * 30,
            False,
        ),
        ("œuvre".encode("cp1252"), "œuvre", False),
        ("Ça va, dit-il.".encode("cp1252") + b"\x81", "Ça va, dit-il.\ufffd", True),
        ("La sécurité, déjà là.".encode("utf-16-le"), "La sécurité, déjà là.", False),
        ("La sécurité, déjà là.".encode("utf-16-be"), "La sécurité, déjà là.", False),
    ],
)
def test_sparse_accents_stray_bytes_and_utf16_without_a_mark(raw, text, lossy):
    decoded = decode(raw)
    assert (decoded.text, decoded.lossy) == (text, lossy)


def test_random_bytes_without_nuls_are_not_text():
    rng = random.Random(4)
    raw = bytes(rng.choice(range(1, 256)) for _ in range(4_000))
    with pytest.raises(NotText):
        decode(raw)


def test_export_follows_a_symlink_and_writes_into_devices(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomically(link, lambda out: out.write("new"))
    assert link.is_symlink() and target.read_text() == "new"
    write_atomically(Path("/dev/null"), lambda out: out.write("x"))  # written to, not replaced
    assert Path("/dev/null").exists() and not Path("/dev/null").is_file()


def test_tag_records_with_hostile_names_or_colours_are_damage(store_dir):
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    data["tags"] = {"1": {"name": "\x1b]0;PWN\x07", "color": "#ffffff", "key": 1}}
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="record 1 of the tags table"):
        Store(store_dir, readonly=True)
    data["tags"] = {"1": {"name": "ok", "color": "not-a-color", "key": 1}}
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="record 1 of the tags table"):
        Store(store_dir, readonly=True)


def test_notes_refuse_bidirectional_controls():
    with pytest.raises(NoteError, match="bidirectional"):
        clean_note("avant \u202e après")
    assert clean_note("  a\n\tb  ") == "a\n\tb"


def test_orphans_are_looked_for_once_per_text(store_dir):
    before = text_document("doc", "Des mots.\n\nD’autres mots.")
    after = text_document("doc", "Tout autre chose.")
    with Store(store_dir) as store:
        store.toggle_highlight(before, before.passages[1])
        assert store.anchor(after, after.passages).orphans == 1
        lines = (store_dir / "glose.journal").read_bytes().count(b"\n")
        assert not store.needs_anchoring(after)
        assert store.anchor(after, after.passages).orphans == 1
        assert (store_dir / "glose.journal").read_bytes().count(b"\n") == lines
        assert store.needs_anchoring(before), "a new text is looked at again"


def test_attaching_a_passage_orphan_keeps_its_colour(store_dir):
    before = text_document("doc", "Des mots.\n\nD’autres mots.")
    after = text_document("doc", "Tout autre chose.")
    with Store(store_dir) as store:
        store.toggle_highlight(before, before.passages[1], "blue")
        store.anchor(after, after.passages)
        (orphan,) = store.orphans()
        store.reattach(orphan, after, after.passages, 0, 0)
        assert store.annotation(after, after.passages[0]).color == "blue"
