"""How the orphans view describes what it lists: a coded segment shows as one, with its tags."""

from __future__ import annotations

from tui.app.screens.orphans import describe_orphan
from tui.store.model import Highlight, PassageAnnotation


def orphan(**fields) -> dict:
    return {"document": "doc", "sha256": "", "start": 4, "end": 9, "quote": "mots", **fields}


def test_a_tagged_segment_is_called_a_segment_and_shows_its_tags():
    text = describe_orphan(Highlight(**orphan(tags=["acteurs/meta", "[b]x[/b]"])), "Titre")
    assert "segment by" in text.plain
    assert "tags: acteurs/meta, [b]x[/b]" in text.plain, "tag names shown as they are"


def test_a_highlight_and_a_passage_keep_their_names():
    assert "highlight by" in describe_orphan(Highlight(**orphan())).plain
    passage = describe_orphan(PassageAnnotation(**orphan(), passage=0, tags=["a"]))
    assert "passage by" in passage.plain and "tags: a" in passage.plain
