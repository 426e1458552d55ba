"""What `glose export`, `check`, `stats` and `agreement` read: the documents they report on,
the rest of the corpus listed unread; and what they print, the same as from a corpus read
whole."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

import tui.corpus.document as document_module
from tests.helpers import catalogued_long_after
from tui.analysis.agreement import measure
from tui.analysis.statistics import render, statistics
from tui.cli import main
from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, Catalog
from tui.interchange.export import select
from tui.interchange.json_format import build
from tui.store import ALL, Store
from tui.store.health import report

ANNOTATED = {"000_9ff77a90e9a0ba93.txt", "002_c25bee6c01f21316.txt", "hostile.txt"}
"""The files the `annotated` fixture's store has annotations on (and one gone)."""

BINARY = b"\x00\x01 pas du texte \x00" * 20


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The name of each file a document is read from, as it is read."""
    read: list[str] = []
    real = document_module.read_regular_file

    def counted(path, **options):
        read.append(Path(path).name)
        return real(path, **options)

    monkeypatch.setattr(document_module, "read_regular_file", counted)
    return read


def run(capsys, annotated, *args: str) -> str:
    annotated.store.close()  # as a user runs a command: no writer at work
    where = ["--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    capsys.readouterr()
    main([*where, *args])
    return capsys.readouterr().out


def reader(annotated) -> Store:
    """The store as a command opens it: read only, anchoring in memory."""
    return Store(annotated.store.directory, readonly=True)


def catalogue(annotated) -> Path:
    """The catalog the reader leaves in the store: every file of the corpus known."""
    store_dir = annotated.store.directory
    corpus = Corpus.open(annotated.root, Catalog.load(store_dir))
    for document in corpus:
        document.count_passages()
        corpus.catalog.put(document.relpath, document.catalog_entry())
    assert corpus.catalog.save()
    catalogued_long_after(store_dir / CATALOG_NAME)
    return store_dir / CATALOG_NAME


def whole(annotated) -> Corpus:
    """The corpus read whole, as every command read it before."""
    return Corpus.open(annotated.root)


def test_export_reads_only_the_annotated_documents(annotated, reads, capsys):
    exported = run(capsys, annotated, "export")
    assert set(reads) == ANNOTATED
    made = build(select(whole(annotated), reader(annotated)), whole(annotated))
    found = json.loads(exported)
    assert found.pop("exported_at") and made.pop("exported_at")
    assert found == made


def test_agreement_reads_only_the_annotated_documents(annotated, reads, capsys):
    agreed = run(capsys, annotated, "agreement", "--format", "json")
    assert set(reads) == ANNOTATED
    assert json.loads(agreed) == measure(whole(annotated), reader(annotated)).as_json()


def test_an_export_reads_the_documents_its_options_name(annotated, reads, capsys):
    run(capsys, annotated, "export", "--document", "001_5049656ab526f4d3")
    assert set(reads) == ANNOTATED | {"001_5049656ab526f4d3.txt"}


def test_check_and_stats_read_no_file_the_catalog_knows(annotated, reads, capsys):
    catalog = catalogue(annotated)
    kept = catalog.read_bytes()
    reads.clear()
    checked = run(capsys, annotated, "check")
    assert set(reads) == ANNOTATED
    lines, _ = report(whole(annotated), reader(annotated))
    assert checked == "\n".join(lines) + "\n"

    reads.clear()
    shown = run(capsys, annotated, "stats", "--all")
    assert set(reads) == ANNOTATED
    assert shown == stats_as_printed(whole(annotated), reader(annotated))
    assert catalog.read_bytes() == kept, "a command that reads writes nothing in the store"


def test_stats_without_a_catalog_reads_each_file_once_and_cuts_only_what_it_shows(
    annotated, reads, capsys, monkeypatch
):
    cut: list[str] = []
    real = document_module.Document.count_passages

    def counting(self, **options):
        cut.append(self.relpath)
        return real(self, **options)

    monkeypatch.setattr(document_module.Document, "count_passages", counting)
    shown = run(capsys, annotated, "stats", "--all")
    # Which files are text is known only once read: the articles with no annotation are counted.
    assert sorted(reads) == sorted(p.name for p in annotated.root.iterdir())
    assert set(cut) <= ANNOTATED
    assert shown == stats_as_printed(whole(annotated), reader(annotated))


def stats_as_printed(corpus: Corpus, store: Store) -> str:
    console = Console(file=io.StringIO(), width=120, highlight=False, emoji=False)
    console.print(render(statistics(corpus, store, ALL)))
    return console.file.getvalue()


def test_an_annotated_file_no_longer_text_is_left_out_as_before(annotated, reads, capsys):
    (annotated.root / "002_c25bee6c01f21316.txt").write_bytes(BINARY)
    (annotated.root / "zz_unannotated.txt").write_bytes(BINARY)
    checked = run(capsys, annotated, "check")
    lines, _ = report(whole(annotated), reader(annotated))
    assert checked == "\n".join(lines) + "\n"
    assert "002_c25bee6c01f21316: annotations on a document that is not in the corpus" in checked

    reads.clear()
    exported = run(capsys, annotated, "export")
    assert set(reads) == ANNOTATED, "export reads no file nobody annotated"
    made = build(select(whole(annotated), reader(annotated)), whole(annotated))
    found = json.loads(exported)
    assert found.pop("exported_at") and made.pop("exported_at")
    assert found == made


NAMES = st.sampled_from(["a.txt", "a.md", "b.txt", "sub/a.txt", "sub/c.md", "sub-x.txt", "é.txt"])
CONTENTS = st.sampled_from([b"Un texte.\n\nDeux.", BINARY, b"\x01\x02\x03\x04\x05\x06 abc", b""])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.dictionaries(NAMES, CONTENTS, max_size=6), asked=st.sets(NAMES, max_size=3))
def test_reading_a_listed_corpus_leaves_out_what_reading_it_whole_does(tmp_path, files, asked):
    root = tmp_path / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    read_whole = Corpus.open(root)
    listed = Corpus.open(root, Catalog())
    listed.read_now()
    assert [d.id for d in listed] == [d.id for d in read_whole]
    assert listed.problems == read_whole.problems
    assert [(r, str(w)) for r, w in listed.left_out] == [
        (r, str(w)) for r, w in read_whole.left_out
    ]
    # Only some read: those asked for are left out as a whole reading leaves them out.
    some = Corpus.open(root, Catalog())
    ids = {name.rsplit(".", 1)[0] for name in asked}
    some.read_now(ids)
    kept = {d.id for d in read_whole}
    assert all(d.id in kept for d in some if d.id in ids)
    assert all(d.is_read == (d.id in ids) for d in some)


def test_tagging_one_passage_reads_only_its_document(annotated, reads, capsys):
    doc_id = "001_5049656ab526f4d3"
    said = run(capsys, annotated, "tag", "--tag", "t", "--document", doc_id, "--passage", "2")
    assert reads == [f"{doc_id}.txt"]
    assert said.splitlines() == [
        f"tagged {doc_id} passage 2",
        "1 passage tagged t, 0 already had it",
    ]


HEAVY = ("filelock", "tui.interchange.refi", "textual", "trafilatura", "pypdfium2", "lxml")
"""What a command that only reads the store has no use for: the writer's lock, the REFI-QDA
writer, the reader's interface, the extractors of web pages and PDFs."""


@pytest.mark.process
def test_the_reading_commands_import_nothing_they_do_not_use(annotated):
    annotated.store.close()
    where = ["--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    commands = [["export", *where], ["check", *where], ["stats", *where], ["agreement", *where]]
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main\n"
        f"for args in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        with contextlib.redirect_stderr(io.StringIO()):\n"
        "            main(args)\n"
        f"print([name for name in {HEAVY!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        cwd=annotated.root.parent,  # not the project's folder: glose as the tests import it
    )
    assert done.stdout.strip() == "[]"
