"""`glose agreement` and `glose stats` on a store with coded segments, as a user runs them."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import glose
from tests.unit.test_agreement import characters_one_by_one, package_alpha
from tui.corpus import Corpus
from tui.store import Store

TEXT = "\n\n".join(f"Paragraphe numéro {i}, assez long." for i in range(8))


@pytest.fixture
def coded(make_corpus, tmp_path):
    """Ann tags passages 0-4 with risque; Bob codes risque on a segment from the middle of
    passage 1 to the middle of passage 3, and on the first words of passage 6. The store is
    closed, for the commands to open; with it, what Ann and Bob coded, as spans."""
    root = make_corpus({"a.txt": TEXT})
    document = Corpus.open(root).get("a")
    passages = document.passages
    store = Store(tmp_path / "store", annotator="ann")
    for passage in passages[:5]:
        store.tag_passage(document, passages[passage.index], "risque")
    store.annotator = "bob"
    middle = [(p.start + p.end) // 2 for p in passages]
    store.tag_span(document, passages, middle[1], middle[3], "risque")
    store.tag_span(document, passages, passages[6].start, passages[6].start + 10, "risque")
    bob = [(h.start, h.end) for h in store.highlights("a")]
    store.close()
    ann = [(p.start, p.end) for p in passages[:5]]
    where = ["--corpus", str(root), "--store", str(tmp_path / "store")]
    return where, document.text, ann, bob


def test_agreement_by_characters_table(coded, tmp_path):
    where, text, ann, bob = coded
    table = glose("agreement", *where, "--unit", "character", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    one_by_one = characters_one_by_one(text, [ann, bob])
    header = next(line for line in table.stdout.splitlines() if "Tag" in line)
    assert re.findall(r"[^┃\s][^┃]*[^┃\s]", header) == [
        "Tag", "Characters", "ann", "bob", "Both", "Krippendorff's α", "Note"
    ]  # fmt: skip
    row = next(line for line in table.stdout.splitlines() if "risque" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert cells[1] == f"{len(one_by_one):,}"
    assert cells[5] == f"{package_alpha(one_by_one):.3f}"
    assert f"Units: {len(one_by_one):,} characters, white space left out, of 1 document" in (
        table.stdout
    )
    assert (
        "A character is coded with a tag when it lies in a passage tagged with it or in a "
        "segment carrying it." in table.stdout
    )


def test_agreement_by_characters_json(coded, tmp_path):
    where, text, ann, bob = coded
    done = glose("agreement", *where, "--unit", "character", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    one_by_one = characters_one_by_one(text, [ann, bob])
    assert data["unit"] == "character" and data["units"] == len(one_by_one)
    (row,) = data["tags"]
    assert row["carried"] == {
        "ann": sum(values[0] for values in one_by_one),
        "bob": sum(values[1] for values in one_by_one),
    }
    assert row["both"] == sum(1 for values in one_by_one if values == (1, 1))
    assert row["alpha"] == pytest.approx(package_alpha(one_by_one)) and row["kappa"] is None


def test_agreement_by_passages_counts_the_passages_segments_overlap(coded, tmp_path):
    where, *_ = coded
    table = glose("agreement", *where, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert (
        "A passage carries a tag for an annotator when they tagged it or one of their segments "
        "with that tag overlaps it." in table.stdout
    )
    row = next(line for line in table.stdout.splitlines() if "risque" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    # Units, Ann's, Bob's (his segments overlap passages 1, 2, 3 and 6), both.
    assert cells[1:5] == ["8", "5", "4", "3"]


def tags_section(out: str) -> dict[str, list[str]]:
    """The rows of `glose stats`'s table of tags, by tag."""
    section = out.split("\nTags\n")[1].split("\nTags per article\n")[0]
    rows = [re.split("[│┃]", line)[1:-1] for line in section.splitlines()]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows if cells}


def visible(text: str, spans: list[tuple[int, int]]) -> int:
    """The characters other than white space that the spans cover, looked at one by one."""
    return sum(
        1 for i, c in enumerate(text) if not c.isspace() and any(s <= i < e for s, e in spans)
    )


def test_stats_of_one_annotator_counts_segments_and_coded_characters(coded, tmp_path):
    where, text, _, bob = coded
    done = glose("stats", *where, "--annotator", "bob", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = tags_section(done.stdout)
    assert rows["Tag"] == ["Passages", "Segments", "Characters"]
    assert rows["risque"] == ["0", "2", f"{visible(text, bob):,}"]


def test_stats_of_everyone_counts_each_character_once(coded, tmp_path):
    where, text, ann, bob = coded
    done = glose("stats", *where, "--all", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tags_section(done.stdout)["risque"] == ["5", "2", f"{visible(text, ann + bob):,}"]
