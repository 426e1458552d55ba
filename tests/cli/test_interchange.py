"""`glose export --format`, `glose import` and `glose agreement` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import glose


@pytest.fixture
def shell(annotated, tmp_path):
    """The annotated corpus and store, closed so that commands can take the store's lock."""
    annotated.store.close()
    return annotated.root, annotated.store.directory, tmp_path


def test_annotated_only_narrows_a_project_to_the_annotated_documents(shell):
    corpus, store, cwd = shell
    args = ["export", "--corpus", str(corpus), "--store", str(store), "--format", "refi-qda"]
    every, narrow = cwd / "every.qdpx", cwd / "narrow.qdpx"
    assert glose(*args, "-o", str(every), cwd=cwd).returncode == 0
    result = glose(*args, "--annotated-only", "-o", str(narrow), cwd=cwd)
    assert result.returncode == 0, result.stderr
    texts = [
        [n for n in zipfile.ZipFile(path).namelist() if n.startswith("sources/")]
        for path in (every, narrow)
    ]
    written = list(corpus.glob("*.txt")) + list(corpus.glob("*.md"))
    assert len(texts[0]) == len(written)
    assert 0 < len(texts[1]) < len(texts[0]) and set(texts[1]) < set(texts[0])


def test_annotated_only_elsewhere_than_a_project_is_refused_in_one_sentence(shell):
    corpus, store, cwd = shell
    result = glose(
        "export", "--corpus", str(corpus), "--store", str(store), "--annotated-only", cwd=cwd
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "glose: --annotated-only is for refi-qda projects, not json"


@pytest.mark.parametrize(
    ("format_name", "check"),
    [
        ("json", lambda out: json.loads(out)["version"] == 5),
        ("jsonl", lambda out: all(json.loads(line)["kind"] for line in out.splitlines())),
        ("csv", lambda out: out.startswith("\ufeffdocument,title,passage,start,end,quote,tags")),
        ("markdown", lambda out: out.startswith("# Reading notes\n")),
        ("w3c", lambda out: json.loads(out)["type"] == "AnnotationCollection"),
    ],
)
def test_every_text_format_to_standard_output(shell, format_name, check):
    corpus, store, cwd = shell
    result = glose(
        "export", "--corpus", str(corpus), "--store", str(store), "--format", format_name, cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    assert check(result.stdout)


def test_refi_qda_to_a_file_and_to_a_pipe(shell):
    corpus, store, cwd = shell
    out = cwd / "projet.qdpx"
    args = ["--corpus", str(corpus), "--store", str(store)]
    result = glose("export", *args, "--format", "refi-qda", "-o", str(out), cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "refi-qda" in result.stderr and "orphan" in result.stderr  # orphans said left out
    assert "project.qde" in zipfile.ZipFile(out).namelist()
    piped = subprocess.run(
        [sys.executable, "-m", "tui", "export", *args, "--format", "refi-qda"],
        cwd=cwd,
        capture_output=True,
        timeout=60,
    )
    assert zipfile.ZipFile(io.BytesIO(piped.stdout)).namelist() == zipfile.ZipFile(out).namelist()


@pytest.mark.parametrize(
    ("name", "given", "written"),
    [
        ("codes.qdc", [], "refi-qdc"),
        ("projet.qdpx", [], "refi-qda"),
        ("notes.CSV", [], "csv"),
        ("notes.md", [], "markdown"),
        ("notes.jsonld", [], "w3c"),
        ("notes.txt", [], "json"),
        ("notes.csv", ["--format", "json"], "json"),
    ],
)
def test_export_to_a_file_takes_its_format_from_the_extension(shell, name, given, written):
    # `-o codes.qdc` once wrote glose JSON into a file named for a codebook.
    corpus, store, cwd = shell
    args = ["--corpus", str(corpus), "--store", str(store), "-o", name, *given]
    result = glose("export", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().endswith(f"to {name} ({written})")
    starts = {
        "refi-qdc": b"<?xml",
        "refi-qda": b"PK",
        "csv": b"\xef\xbb\xbfdocument,",
        "markdown": b"# Reading notes",
        "w3c": b"{",
        "json": b"{",
    }
    content = (cwd / name).read_bytes()
    assert content.startswith(starts[written])
    if written in ("json", "w3c"):
        kind = json.loads(content).get("type")
        assert (kind == "AnnotationCollection") == (written == "w3c")


def test_filters_keep_what_they_name_and_warn_about_what_names_nothing(shell):
    corpus, store, cwd = shell
    args = ["export", "--corpus", str(corpus), "--store", str(store), "--format", "jsonl"]
    result = glose(*args, "--tag", "SÉCURITÉ", "--annotator", "bob", cwd=cwd)
    records = annotation_records(result.stdout)
    assert len(records) == 2
    assert all(r["annotator"] == "bob" and "sécurité" in r["tags"] for r in records)
    result = glose(*args, "--document", "hostile", "--document", "nulle-part", cwd=cwd)
    assert {record["document"] for record in annotation_records(result.stdout)} == {"hostile"}
    assert "no document 'nulle-part' in the corpus or the store" in result.stderr
    result = glose(*args, "--tag", "inconnu", cwd=cwd)
    assert result.stdout == "" and "no tag 'inconnu' in the store" in result.stderr
    assert result.returncode == 2, "a filter that names nothing exports nothing: an error"


def test_a_mistyped_filter_never_replaces_an_export_with_nothing(shell):
    corpus, store, cwd = shell
    out = cwd / "export.jsonl"
    args = ["export", "--corpus", str(corpus), "--store", str(store), "--format", "jsonl"]
    assert glose(*args, "-o", str(out), cwd=cwd).returncode == 0
    before = out.read_bytes()
    assert before
    typo = glose(*args, "-o", str(out), "--tag", "securte", cwd=cwd)
    assert typo.returncode == 2
    assert typo.stderr == "glose: nothing exported: no tag 'securte' in the store\n"
    assert out.read_bytes() == before


def test_import_prints_a_summary_and_twice_changes_nothing(shell):
    corpus, store, cwd = shell
    exported = cwd / "export.json"
    common = ["--corpus", str(corpus)]
    glose("export", *common, "--store", str(store), "-o", str(exported), cwd=cwd)
    target = cwd / "autre"
    first = glose("import", str(exported), *common, "--store", str(target), cwd=cwd)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("imported export.json (glose.annotations 5): 15 added, 0 merged")
    assert "2 orphaned" in first.stdout
    assert "kept on 1 document not in the corpus: ailleurs/disparu" in first.stderr
    journal = (target / "glose.journal").read_bytes()
    again = glose("import", str(exported), *common, "--store", str(target), cwd=cwd)
    assert "0 added, 0 merged, 15 already there, 2 orphaned" in again.stdout
    assert (target / "glose.journal").read_bytes() == journal


def test_import_dry_run_works_while_the_app_holds_the_store_and_writes_nothing(shell):
    corpus, store, cwd = shell
    exported = cwd / "export.jsonl"
    common = ["--corpus", str(corpus)]
    glose(
        "export", *common, "--store", str(store), "--format", "jsonl", "-o", str(exported), cwd=cwd
    )
    from tui.store import Store

    target = cwd / "tenu"
    holder = Store(target)  # the app, say
    try:
        before = sorted(p.name for p in target.iterdir())
        dry = glose("import", str(exported), *common, "--store", str(target), "--dry-run", cwd=cwd)
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout.startswith("would import export.jsonl (JSON Lines): 15 added")
        assert sorted(p.name for p in target.iterdir()) == before
        assert holder.annotations() == []
        real = glose("import", str(exported), *common, "--store", str(target), cwd=cwd)
        # The real import waits for no one: it says who holds the store, and does nothing.
        assert real.returncode == 2 and "another glose is writing to" in real.stderr
    finally:
        holder.close()


def test_a_malformed_import_is_one_line_and_changes_nothing(shell):
    corpus, store, cwd = shell
    bad = cwd / "bad.json"
    data = json.loads(
        glose("export", "--corpus", str(corpus), "--store", str(store), cwd=cwd).stdout
    )
    data["documents"][0]["passages"][0]["end"] = "fin"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = (store / "glose.journal").read_bytes()
    result = glose("import", str(bad), "--corpus", str(corpus), "--store", str(store), cwd=cwd)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "documents[0].passages[0].end: 'fin' is not of type 'integer'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert (store / "glose.journal").read_bytes() == before


SPECIAL_FILES = {
    "fifo": (lambda path: os.mkfifo(path), "is a named pipe (FIFO), not a file"),
    "device": (lambda path: path.symlink_to("/dev/zero"), "is a device, not a file"),
    "folder": (lambda path: path.mkdir(), "is a folder, not a file"),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
def test_importing_a_special_file_is_one_sentence_not_a_hang(shell, kind):
    # A pipe once blocked the import for ever, /dev/zero read until memory ran out.
    corpus, store, cwd = shell
    make, said = SPECIAL_FILES[kind]
    path = cwd / "annotations.json"
    make(path)
    before = (store / "glose.journal").read_bytes()
    command = ["import", str(path), "--corpus", str(corpus), "--store", str(store)]
    result = subprocess.run(
        [sys.executable, "-m", "tui", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert result.stderr == f"glose: {path}: {said}; nothing was imported\n"
    assert (store / "glose.journal").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("pipe", os.mkfifo, "is a named pipe (FIFO), not a file"),
        ("a", lambda path: None, "cannot be read: No such file or directory"),
    ],
    ids=["fifo", "missing"],
)
def test_import_names_the_file_even_when_the_message_holds_its_name(shell, name, make, said):
    # "pipe" is in "named pipe", "a" in "cannot be read": the name was once left out.
    corpus, store, cwd = shell
    make(cwd / name)
    result = glose(
        "import", name, "--corpus", str(corpus), "--store", str(store), cwd=cwd, timeout=20
    )
    assert result.returncode == 2
    assert result.stderr == f"glose: {name}: {said}; nothing was imported\n"


def test_import_names_the_annotator_of_a_file_that_names_none(shell):
    corpus, _, cwd = shell
    text = (corpus / "000_9ff77a90e9a0ba93.txt").read_text(encoding="utf-8")
    words = "défendre le développement de modèles d’IA Open Source"
    start = text.index(words)
    passage = {"index": 1, "start": start, "end": start + len(words), "text": words}
    v1 = {
        "format": "glose.annotations",
        "version": 1,
        "tags": [{"name": "ouvert", "color": "#2ca02c", "key": 1}],
        "documents": [
            {
                "id": "000_9ff77a90e9a0ba93",
                "sha256": "0" * 64,  # another version of the text: found by its words
                "passages": [{**passage, "tags": ["ouvert"], "highlighted": False}],
            }
        ],
    }
    path = cwd / "v1.json"
    path.write_text(json.dumps(v1), encoding="utf-8")
    common = ["--corpus", str(corpus), "--store", str(cwd / "s")]
    unnamed = glose("import", str(path), *common, cwd=cwd)
    assert "1 annotation named no annotator: recorded as" in unnamed.stderr
    named = glose("import", str(path), *common, "--annotator", "Zoé", cwd=cwd)
    assert "1 added" in named.stdout  # Zoé's, beside the first one: not the same annotation
    lines = glose("export", *common, "--format", "jsonl", "--annotator", "Zoé", cwd=cwd)
    (record,) = annotation_records(lines.stdout)
    assert record["tags"] == ["ouvert"] and record["quote"] == words
    assert record["status"] == "exact" and record["start"] == start


def test_agreement_table_and_json(shell):
    corpus, store, cwd = shell
    args = ["agreement", "--corpus", str(corpus), "--store", str(store)]
    table = glose(*args, cwd=cwd)
    assert table.returncode == 0, table.stderr
    assert "Cohen's κ" in table.stdout and "Krippendorff's α" in table.stdout
    assert "[bold]gras[/bold]" in table.stdout  # a tag name is shown, never read as markup
    assert "too rare to judge" in table.stdout
    data = json.loads(glose(*args, "--format", "json", cwd=cwd).stdout)
    assert data["annotators"] == ["alice", "bob"]
    (security,) = [row for row in data["tags"] if row["tag"] == "sécurité"]
    assert security["carried"] == {"alice": 4, "bob": 2}  # 3 in 000, 1 in 002
    unknown = glose(*args, "--annotator", "personne", cwd=cwd)
    assert unknown.returncode == 2 and "no annotations by 'personne'" in unknown.stderr


def test_the_import_annotator_given_before_the_command_is_used(annotated, tmp_path):
    annotated.store.close()
    exported = tmp_path / "e.jsonl"
    common = ["--corpus", str(annotated.root)]
    glose("export", *common, "--store", str(annotated.store.directory), "--format", "jsonl",
          "-o", str(exported), cwd=tmp_path)  # fmt: skip
    target = ["--store", str(tmp_path / "t")]
    result = glose("--annotator", "zed", "import", str(exported), *common, *target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = glose("export", *common, *target, "--format", "jsonl", cwd=tmp_path).stdout
    assert {record["annotator"] for record in annotation_records(out)} == {"zed"}


def test_annotator_names_glose_cannot_keep_are_said(annotated, tmp_path):
    annotated.store.close()
    store = str(annotated.store.directory)
    args = ["--corpus", str(annotated.root), "--store", store, "--format", "jsonl"]
    lines = glose("export", *args, cwd=tmp_path).stdout
    record = {**annotation_records(lines)[0], "annotator": "*"}
    path = tmp_path / "star.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = glose("import", str(path), "--corpus", str(annotated.root), "--store",
                   str(tmp_path / "t"), "--dry-run", cwd=tmp_path)  # fmt: skip
    assert "annotator names glose cannot keep ('*'): would be recorded as lecteur" in result.stderr


def test_agreement_tags_ignore_case_and_unknown_ones_are_refused(annotated, tmp_path):
    annotated.store.close()
    args = ["agreement", "--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    upper = json.loads(glose(*args, "--tag", "SÉCURITÉ", "--format", "json", cwd=tmp_path).stdout)
    assert [row["tag"] for row in upper["tags"]] == ["sécurité"]
    assert upper["tags"][0]["carried"] == {"alice": 4, "bob": 2}
    unknown = glose(*args, "--tag", "nulle", cwd=tmp_path)
    assert unknown.returncode == 2 and "no tag 'nulle'" in unknown.stderr
    alone = glose(*args, "--annotator", "alice", "--annotator", "alice", cwd=tmp_path)
    assert alone.returncode == 2 and "agreement needs two annotators" in alone.stderr


def test_a_refi_qda_project_is_imported_as_coded_segments(coded, tmp_path):
    coded.store.close()
    corpus, store = str(coded.root), str(coded.store.directory)
    project = tmp_path / "projet.qdpx"
    exported = glose(
        "export", "--corpus", corpus, "--store", store, "-o", str(project), cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    target = str(tmp_path / "autre")
    first = glose("import", str(project), "--corpus", corpus, "--store", target, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    # Every placed annotation, passages' included, each a segment of its own words.
    assert first.stdout.startswith("imported projet.qdpx (REFI-QDA project): 19 added, 0 merged"), (
        first.stdout + first.stderr
    )
    lines = glose(
        "export", "--corpus", corpus, "--store", target, "--format", "jsonl", cwd=tmp_path
    )
    records = annotation_records(lines.stdout)
    assert {r["kind"] for r in records} == {"segment", "highlight"}
    tagged = next(r for r in records if r["quote"] == "leaders incontestés")
    assert tagged["tags"] == ["acteurs/entreprises", "sécurité"] and not tagged["highlighted"]
    again = glose("import", str(project), "--corpus", corpus, "--store", target, cwd=tmp_path)
    assert "0 added, 0 merged, 19 already there" in again.stdout


def test_a_hypothesis_search_result_is_imported_whatever_its_name(shell):
    corpus, _, cwd = shell
    text = (corpus / "000_9ff77a90e9a0ba93.txt").read_text(encoding="utf-8")
    words = "Bard et Claude"
    start = text.index(words)

    def row(id_: str, uri: str, selectors: list) -> dict:
        target = {"source": uri, "selector": selectors} if selectors else {"source": uri}
        return {
            "id": id_,
            "created": "2024-01-31T09:00:00.000000+00:00",
            "updated": "2024-01-31T09:00:00.000000+00:00",
            "user": "acct:marie@hypothes.is",
            "uri": uri,
            "text": "*Les trois* grands.",
            "tags": ["chatbots"],
            "group": "__world__",
            "target": [target],
            "document": {"title": ["Article"]},
        }

    quote = {"type": "TextQuoteSelector", "exact": words, "prefix": "", "suffix": " sont d"}
    position = {"type": "TextPositionSelector", "start": start, "end": start + len(words)}
    local = "file:///ailleurs/corpus/000_9ff77a90e9a0ba93.txt"
    search = {
        "total": 3,
        "rows": [
            row("Local1", local, [position, quote]),
            row("Web1", "https://example.org/article", [quote]),
            row("Page1", "https://example.org/article", []),
        ],
    }
    path = cwd / "hypothesis.export"
    path.write_text(json.dumps(search), encoding="utf-8")
    target = cwd / "hyp-store"
    args = ["import", str(path), "--corpus", str(corpus), "--store", str(target)]
    result = glose(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "imported hypothesis.export (Hypothesis API JSON): "
        "1 added, 1 merged, 0 already there, 0 orphaned, 1 skipped\n"
    )
    assert "skipped Page1: a page note on https://example.org/article" in result.stderr
    # The page's words are the local copy's: the same segment, which learns its page.
    assert (
        "attached 1 annotation on 1 page to corpus documents "
        "(https://example.org/article → 000_9ff77a90e9a0ba93)"
    ) in result.stderr
    journal = (target / "glose.journal").read_bytes()
    again = glose(*args, cwd=cwd)
    assert "0 added, 0 merged, 2 already there, 0 orphaned" in again.stdout
    assert (target / "glose.journal").read_bytes() == journal


def _csv_rows(path) -> list[dict[str, str]]:
    """The rows as Python's csv module reads them, no spreadsheet in between."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_guards_formulas_by_default_and_writes_exact_text_without_the_guard(annotated, shell):
    corpus, store, cwd = shell
    args = ["export", "--corpus", str(corpus), "--store", str(store), "--format", "csv"]
    guarded, exact = cwd / "guarded.csv", cwd / "exact.csv"
    assert glose(*args, "-o", str(guarded), cwd=cwd).returncode == 0
    result = glose(*args, "--no-formula-guard", "-o", str(exact), cwd=cwd)
    assert result.returncode == 0, result.stderr
    texts = {document.id: document.text for document in annotated.corpus}
    placed = [row for row in _csv_rows(exact) if row["status"] != "orphan"]
    assert any(row["quote"].startswith("=1+1") for row in placed)
    assert any(row["quote"].startswith("- un tiret") for row in placed)
    for row in placed:
        assert row["quote"] == texts[row["document"]][int(row["start"]) : int(row["end"])]
    assert any(row["tags"] == "=SUM(A1)" for row in _csv_rows(exact))
    for row in _csv_rows(guarded):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    quotes = {row["uuid"]: row["quote"] for row in _csv_rows(guarded)}
    assert all(quotes[row["uuid"]] in (row["quote"], f"'{row['quote']}") for row in placed)
    assert quotes[next(r for r in placed if r["quote"][:1] == "=")["uuid"]].startswith("'=")


def test_the_formula_guard_flag_is_refused_for_another_format(shell):
    corpus, store, cwd = shell
    args = ["export", "--corpus", str(corpus), "--store", str(store), "--no-formula-guard"]
    result = glose(*args, "--format", "json", cwd=cwd)
    assert result.returncode != 0
    assert "--no-formula-guard is for CSV" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_import_keeps_the_stores_tag_descriptions_and_says_how_many_differ(tmp_path, seeds):
    from tui.store import Store

    common = ["--corpus", str(seeds)]
    source, target = ["--store", str(tmp_path / "a")], ["--store", str(tmp_path / "b")]
    for store, meaning in ((source, "Ce que l'État encadre."), (target, "Autre sens.")):
        with Store(Path(store[1])) as made:
            made.create_tag("politique", description=meaning)
        glose("tag", "--tag", "politique", "--document", "000_9ff77a90e9a0ba93",
              "--passage", "2", *common, *store, cwd=tmp_path)  # fmt: skip
    out = tmp_path / "a.jsonl"
    glose("export", *common, *source, "-o", str(out), cwd=tmp_path)
    result = glose("import", str(out), *common, *target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kept the store's description of 1 tag: the file describes them otherwise" in (
        result.stderr
    )
    lines = glose("export", *common, *target, "--format", "jsonl", cwd=tmp_path).stdout
    (tag,) = [json.loads(line) for line in lines.splitlines() if '"kind":"tag"' in line]
    assert tag["description"] == "Autre sens."


def annotation_records(text: str) -> list[dict]:
    """The annotations of a JSON Lines export, after its codebook's tag lines."""
    records = [json.loads(line) for line in text.splitlines()]
    return [record for record in records if record["kind"] != "tag"]
