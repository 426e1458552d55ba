"""`glose import` of annotations made on web pages: attached, mapped by hand, said."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.helpers import SEEDS, glose
from tests.unit.test_attaching import ALLIANCE, OTHER, PAGE, hypothesis_annotation
from tui.store import Store

ELSEWHERE = "https://ailleurs.example/page"


@pytest.fixture
def shell(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    found = hypothesis_annotation("l’Alliance IA, une coalition", "ont annoncé ", "", id="H1")
    twice = hypothesis_annotation("IBM et Meta", id="H2")  # in two documents
    nowhere = hypothesis_annotation("Google et Amazon", id="H3")
    file = tmp_path / "hypothesis.json"
    file.write_text(json.dumps({"total": 3, "rows": [found, twice, nowhere]}), encoding="utf-8")
    args = ["import", str(file), "--corpus", str(corpus), "--store", str(tmp_path / "store")]
    return args, tmp_path


def stored(tmp_path) -> set[tuple[str, str, str]]:
    store = Store(tmp_path / "store", annotator="me", readonly=True)
    try:
        return {(a.document, a.source, a.quote) for a in store.highlights()}
    finally:
        store.close()


def test_import_attaches_what_it_can_and_says_what_it_left(shell):
    args, cwd = shell
    result = glose(*args, cwd=cwd, timeout=30)
    assert result.returncode == 0, result.stderr
    assert (
        f"attached 1 annotation on 1 page to corpus documents ({PAGE} → {ALLIANCE}); "
        "2 left on their page: 1 ambiguous, 1 not found"
    ) in result.stderr.splitlines()
    assert "1 added, 0 merged, 0 already there, 2 orphaned" in result.stdout
    again = glose(*args, cwd=cwd, timeout=30)
    assert "0 added, 0 merged, 1 already there, 2 orphaned" in again.stdout


def test_map_puts_a_pages_annotations_on_a_document_and_warns_of_one_unused(shell):
    args, cwd = shell
    result = glose(*args, "--map", f"{PAGE}={OTHER}", "--map", f"{ELSEWHERE}={OTHER}", cwd=cwd)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert (
        f"placed 1 annotation by --map ({PAGE} → {OTHER}); 2 kept as orphans on {OTHER}: "
        "their words are not in it"
    ) in lines
    assert f"--map {ELSEWHERE}: no annotation in the file is on it" in lines
    # IBM et Meta is in that document: placed; the others are not: orphans there.
    kept = stored(cwd)
    assert {document for document, _, _ in kept} == {OTHER}
    assert {source for _, source, _ in kept} == {PAGE}


def test_map_to_a_document_not_in_the_corpus_imports_nothing(shell):
    args, cwd = shell
    result = glose(*args, "--map", f"{PAGE}=absent", cwd=cwd, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"glose: --map {PAGE}=absent: there is no document 'absent' in the corpus; "
        "nothing was imported"
    )
    assert not (cwd / "store").exists()


def test_an_import_into_a_locked_store_says_only_why_nothing_was_imported(shell):
    args, cwd = shell
    holder = Store(cwd / "store", annotator="me")  # another glose writing to it
    try:
        result = glose(*args, cwd=cwd, timeout=30)
    finally:
        holder.close()
    assert result.returncode != 0
    (line,) = result.stderr.splitlines()
    assert "another glose is writing" in line and line.endswith("nothing was imported")


def test_an_import_of_others_annotations_says_which_key_shows_them(shell):
    args, cwd = shell
    theirs = glose(*args, cwd=cwd, timeout=30, env={"GLOSE_ANNOTATOR": "lea"})
    assert "annotations by marie: the reader shows them with A" in theirs.stderr.splitlines()
    # Recorded as yours: the reader shows them already, nothing to say.
    yours = glose(*args, "--annotator", "lea", cwd=cwd, timeout=30)
    assert "the reader shows them" not in yours.stderr
