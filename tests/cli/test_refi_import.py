"""`glose import` of REFI-QDA files: codebooks, ATLAS.ti's sample projects, what each says."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.helpers import SEEDS, glose

REFI = Path(__file__).parent.parent / "conformance" / "refi-qda"


@pytest.mark.slow
def test_the_atlas_ti_sample_and_a_codebook_say_how_many_tags_they_added(tmp_path):
    store = str(tmp_path / "store")
    common = ("--corpus", str(SEEDS), "--store", store)
    atlas = glose("import", str(REFI / "target-atlas.qdpx"), *common, cwd=tmp_path)
    assert atlas.returncode == 0 and atlas.stderr == "", atlas.stderr
    assert atlas.stdout == (
        "imported target-atlas.qdpx (REFI-QDA project): 0 added, 0 merged, 0 already there, "
        "0 orphaned, 0 skipped\ntags: 3 added, 0 already there\n"
    )
    codes = tmp_path / "codes.qdc"
    exported = glose("export", *common, "--format", "refi-qdc", "-o", str(codes), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    again = glose("import", str(codes), *common, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "imported codes.qdc (REFI-QDA codebook): tags: 0 added, 3 already there, 0 skipped\n"
    )


GUID = "3F2504E0-4F89-11D3-9A0C-0305E82C33{:02d}"
TEXT = "Premier paragraphe.\n\nLe second parle de Meta."


def outside_project(path: Path, name: str = "entretien.txt") -> Path:
    """A project of another program whose one source, coded on `Meta`, is in no corpus."""
    at = TEXT.index("Meta")
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="p"><Users><User guid="{GUID.format(9)}" name="Marie"/></Users>'
        f'<CodeBook><Codes><Code guid="{GUID.format(1)}" name="acteurs" isCodable="true"/>'
        f'</Codes></CodeBook><Sources><TextSource guid="{GUID.format(10)}" name="{name}" '
        f'plainTextPath="internal://{GUID.format(10)}.txt"><PlainTextSelection '
        f'guid="{GUID.format(11)}" startPosition="{at}" endPosition="{at + 4}" '
        f'creatingUser="{GUID.format(9)}"><Coding guid="{GUID.format(12)}"><CodeRef '
        f'targetGUID="{GUID.format(1)}"/></Coding></PlainTextSelection></TextSource>'
        "</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr(f"sources/{GUID.format(10)}.txt", TEXT.encode())
    return path


@pytest.mark.slow
def test_sources_not_in_the_corpus_are_said_then_added_with_into_once(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "nouveaux").mkdir(parents=True)
    (corpus / "autre.txt").write_text("Un autre texte.", encoding="utf-8")
    # A file of that name is there with another text: it is never overwritten.
    (corpus / "nouveaux" / "entretien.txt").write_text("Autre chose.", encoding="utf-8")
    project = outside_project(tmp_path / "p.qdpx")
    common = ("--corpus", str(corpus), "--store", str(tmp_path / "store"))
    said = glose("import", str(project), *common, "--dry-run", cwd=tmp_path)
    assert said.returncode == 0, said.stderr
    assert "1 source is not in the corpus: --into DIR adds them as text files" in said.stderr
    assert "0 added, 0 merged, 0 already there, 1 orphaned" in said.stdout
    into = ("--into", str(corpus / "nouveaux"))
    first = glose("import", str(project), *common, *into, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 added, 0 merged, 0 already there, 0 orphaned" in first.stdout
    assert "added 1 text file to" in first.stderr and "not in the corpus" not in first.stderr
    assert (corpus / "nouveaux" / "entretien.txt").read_text(encoding="utf-8") == "Autre chose."
    assert (corpus / "nouveaux" / "entretien-2.txt").read_text(encoding="utf-8") == TEXT
    again = glose("import", str(project), *common, *into, cwd=tmp_path)
    assert "0 added, 0 merged, 1 already there, 0 orphaned" in again.stdout
    assert sorted(p.name for p in (corpus / "nouveaux").iterdir()) == [
        "entretien-2.txt",
        "entretien.txt",
    ]
    segments = glose("export", *common, "--format", "jsonl", cwd=tmp_path).stdout
    rows = [json.loads(line) for line in segments.splitlines()]
    (segment,) = [row for row in rows if row["kind"] != "tag"]  # the codebook travels too
    assert (segment["document"], segment["quote"], segment["tags"]) == (
        "nouveaux/entretien-2",
        "Meta",
        ["acteurs"],
    )


def test_into_a_folder_outside_the_corpus_is_refused_in_one_sentence(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    project = outside_project(tmp_path / "p.qdpx", name="../../évasion")
    store = tmp_path / "store"
    refused = glose(
        "import", str(project), "--corpus", str(corpus), "--store", str(store),
        "--into", str(corpus / ".." / "ailleurs"), cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1, refused.stderr
    assert "not a folder inside the corpus" in refused.stderr
    assert refused.stderr.rstrip().endswith("nothing was imported")
    assert not store.exists() and not (tmp_path / "ailleurs").exists()


@pytest.mark.slow
def test_into_after_an_import_without_it_moves_the_orphans_onto_the_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "autre.txt").write_text("Un autre texte.", encoding="utf-8")
    project = outside_project(tmp_path / "p.qdpx")
    common = ("--corpus", str(corpus), "--store", str(tmp_path / "store"))
    first = glose("import", str(project), *common, cwd=tmp_path)
    assert "0 added, 0 merged, 0 already there, 1 orphaned" in first.stdout, first.stderr
    into = ("--into", str(corpus / "nouveaux"))
    # The dry run says what the real run then does, count for count.
    said = glose("import", str(project), *common, *into, "--dry-run", cwd=tmp_path)
    journal = tmp_path / "store" / "glose.journal"
    before = journal.read_bytes().count(b"\n")
    done = glose("import", str(project), *common, *into, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert said.stdout.replace("would import", "imported") == done.stdout
    assert "0 added, 0 merged, 1 already there, 0 orphaned" in done.stdout
    # The move and the import are one change: one journal line.
    assert journal.read_bytes().count(b"\n") == before + 1
    checked = glose("check", *common, cwd=tmp_path)
    assert "problems  none" in checked.stdout, checked.stdout
    rows = [
        json.loads(line)
        for line in glose("export", *common, "--format", "jsonl", cwd=tmp_path).stdout.splitlines()
    ]
    (segment,) = [row for row in rows if row["kind"] != "tag"]
    assert segment["document"] == "nouveaux/entretien" and segment["status"] == "exact"


@pytest.mark.slow
def test_a_dry_run_with_into_says_what_the_real_run_does(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    project = outside_project(tmp_path / "p.qdpx")
    common = ("--corpus", str(corpus), "--store", str(tmp_path / "store"))
    into = ("--into", str(corpus / "nouveaux"))
    said = glose("import", str(project), *common, *into, "--dry-run", cwd=tmp_path)
    assert not (corpus / "nouveaux").exists()
    done = glose("import", str(project), *common, *into, cwd=tmp_path)
    assert "1 added, 0 merged, 0 already there, 0 orphaned" in done.stdout, done.stderr
    assert said.stdout.replace("would import", "imported") == done.stdout
