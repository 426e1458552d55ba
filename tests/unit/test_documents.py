"""Documents: discovery, ids, decoding, newline normalising, SHA-256 and titles."""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import read_long_after, text_document
from tui.corpus import Corpus, CorpusError
from tui.corpus.document import file_stamp, make_title
from tui.corpus.passages import sentence_spans
from tui.store import Store, StoreError
from tui.text import Lines, printable, printable_passage


def test_seed_titles(seeds):
    titles = {document.id: document.title for document in Corpus.open(seeds)}
    assert titles == {
        "000_9ff77a90e9a0ba93": "Capture d'écran 2023 12 05 Au 12 31 34",
        "001_5049656ab526f4d3": "IA: Meta et IBM forment une coalition avec plus de 50 entreprises "
        "pour promouvoir l'open source",
        "002_c25bee6c01f21316": "Le mardi, IBM et Meta ont annoncé l’Alliance IA, une coalition "
        "internationale de plus de 50…",
        "003_df3649e4754c1e63": "date 2023-12 Meta, la société-mère de Facebook, et le groupe "
        "technologique IBM ont établi une…",
        "004_5666f5666deb1184": "IBM et Meta lancent l'AI Alliance en collaboration avec plus "
        "de 50 membres fondateurs et…",
    }
    assert all(len(title) <= 120 for title in titles.values())


def test_title_of_a_long_first_line_is_its_first_sentence_when_short():
    line = "Une phrase courte. " + "Puis une très longue suite de mots " * 10
    assert make_title(line, "x") == "Une phrase courte."
    assert make_title("\n\n  \n", "fallback.txt") == "fallback.txt"


def test_discovery_is_recursive_sorted_and_limited_to_txt_and_md(make_corpus):
    root = make_corpus(
        {
            "b.txt": "B",
            "a/z.md": "Z",
            "a/b.TXT": "upper",
            "notes.rst": "ignored",
            "image.png": b"\x89PNG",
            ".hidden.txt": "hidden",
            ".git/x.txt": "hidden",
        }
    )
    corpus = Corpus.open(root)
    assert [document.id for document in corpus] == ["a/b", "a/z", "b"]
    assert corpus.get("a/z").relpath == "a/z.md"
    assert corpus.get("a/z").is_markdown


def test_bom_removed_newlines_normalised_and_hashed(make_corpus):
    root = make_corpus({"doc.txt": "\ufeffUn\r\nDeux\rTrois\n".encode()})
    document = Corpus.open(root).get("doc")
    assert document.text == "Un\nDeux\nTrois\n"
    assert document.sha256 == hashlib.sha256(b"Un\nDeux\nTrois\n").hexdigest()
    assert [(p.start, p.end) for p in document.passages] == [(0, 2), (3, 7), (8, 13)]


def test_missing_or_file_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match=r"corpus directory not found: .*nowhere"):
        Corpus.open(tmp_path / "nowhere")
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(CorpusError, match=r"not a directory"):
        Corpus.open(file)


def test_unreadable_file_is_reported_not_raised(make_corpus, monkeypatch):
    root = make_corpus({"ok.txt": "Bonjour.", "locked.txt": "secret"})
    opening = os.open

    def refuse_locked(path, flags, *args, **kwargs) -> int:
        # Tests may run as root, which ignores chmod: refuse the open the way the OS would.
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return opening(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_locked)
    corpus = Corpus.open(root)
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == ["locked.txt: Permission denied"]


def test_printable_keeps_one_code_point_per_code_point():
    hostile = "a\x1b[31mb\x07\x9b\u202ec\u2028d"
    shown = printable(hostile)
    assert len(shown) == len(hostile)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in shown)
    assert "\u202e" not in shown and "\u2028" not in shown
    assert shown.startswith("a␛[31mb␇")
    assert printable_passage("un\ndeux\ttrois") == "un deux trois"


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_lines_break_only_between_the_lines_given(lines: list[str]):
    shown = Lines.of(*lines)
    assert shown.split("\n") == [printable(line) for line in lines]


def test_a_document_text_has_unix_newlines():
    document = text_document("x", "a\r\nb")
    assert document.text == "a\nb"


def test_files_that_would_share_an_id_keep_distinct_ids(make_corpus):
    root = make_corpus({"a.txt": "texte", "a.md": "# Markdown", "a.md.txt": "double"})
    corpus = Corpus.open(root)
    assert [(d.id, d.relpath) for d in corpus] == [
        ("a", "a.md"),
        ("a.md", "a.md.txt"),
        ("a.txt", "a.txt"),
    ]
    assert corpus.get("a").title == "Markdown"
    assert corpus.problems == ["a.txt: another file already has the id 'a', so this one is 'a.txt'"]


def test_ids_come_from_file_names_whether_or_not_a_file_can_be_read(make_corpus, tmp_path):
    # a.md is binary: left out, read now (the commands) or later (the reader, from its
    # catalog). a.txt's id must be the same in every case, or its annotations would be lost.
    from tui.corpus.catalog import Catalog, Entry

    root = make_corpus({"a.md": b"\x00binaire\x00" * 20, "a.txt": "Un texte."})
    read_whole = Corpus.open(root)
    listed = Corpus.open(root, Catalog(tmp_path / "catalog"))
    catalog = Catalog(tmp_path / "catalog")
    status = (root / "a.md").stat()
    catalog.put("a.md", Entry(file_stamp(status), read_long_after(), "", 0, "", False, "binary"))
    known = Corpus.open(root, catalog)
    for corpus in (read_whole, listed, known):
        assert corpus.get("a.txt") is not None and corpus.get("a.txt").relpath == "a.txt"
        assert corpus.get("a") is None or corpus.get("a").relpath == "a.md"


def test_markdown_titles_drop_heading_marks():
    assert make_title("## Titre ##\n\nTexte", "x", markdown=True) == "Titre"
    assert make_title("#hashtag", "x", markdown=True) == "#hashtag"
    assert make_title("# Titre", "x") == "# Titre"


def test_markdown_front_matter_gives_the_title_or_is_skipped():
    assert make_title("---\ntitle: « L’IA ouverte »\n---\n# Autre\n", "x", markdown=True) == (
        "« L’IA ouverte »"
    )
    assert make_title("---\ndate: 2023\n---\n\n# Le vrai titre\n", "x", markdown=True) == (
        "Le vrai titre"
    )


def _title_by_pysbd(line: str) -> str:
    """A long line's title as pysbd alone makes it: its first sentence, else cut."""
    head = line[:960]
    spans = sentence_spans(head, 0, len(head))
    sentence = head[spans[0][0] : spans[0][1]] if spans else head
    if len(sentence) <= 120:
        return sentence
    cut = sentence.rfind(" ", 0, 100)
    return sentence[: cut if cut > 0 else 100].rstrip(" ,;:") + "…"


TITLE_WORDS = st.one_of(
    st.text(alphabet="abcdéèàMIVX0123", min_size=1, max_size=9),
    st.sampled_from(
        [
            *(",", ";", ":", "-", "–", "(", "«", "1)", "a)", "i)", "Mr", "M.", "Dr", "etc", "p."),
            *("nº", "art", "No", "St", "“", "»", '"', "’", "…", "?", "!", "•", ")", "\u202f", "\t"),
            # What pysbd ends a sentence after without a stop: a list of items, a quote.
            *("1) un 2) deux", "a) un b) deux", "i) un ii) deux", '-" Dr', "« dit » Il"),
        ]
    ),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(words=st.lists(TITLE_WORDS, min_size=30, max_size=80))
def test_a_long_first_line_is_titled_as_pysbd_cuts_it_even_when_pysbd_is_not_asked(words):
    # pysbd is skipped where no sentence can end within a title's length: the same titles
    # (of the line as a title shows it, a run of spaces or a tab as one space).
    line = " ".join(words).strip()
    shown = re.sub(r"\s{2,}|[^\S \u00a0\u202f]", " ", line)
    if len(shown) > 120:
        assert make_title(line, "x") == _title_by_pysbd(shown)


def test_paths_the_system_refuses_are_one_sentence(tmp_path):
    too_long = tmp_path / ("x" * 300)
    with pytest.raises(CorpusError, match="cannot read the corpus"):
        Corpus.open(too_long)
    with pytest.raises(StoreError, match="cannot read the store"):
        Store(too_long / "store")


def test_a_title_shows_runs_of_spaces_as_one_and_the_text_keeps_them(make_corpus):
    header = "CHSH(1)                  User Commands \t\t CHSH(1)"
    root = make_corpus(
        {
            "chsh.txt": f"{header}\n\nNAME\n       chsh - change login shell\n",
            "front.md": "---\ntitle: Un   titre\u2003 aéré\n---\nTexte.\n",
            "insécable.txt": "Titre : sous-titre\u00a0!\n\nTexte.",
        }
    )
    corpus = Corpus.open(root)
    document = corpus.get("chsh")
    assert document.title == "CHSH(1) User Commands CHSH(1)"
    assert document.passages[0].text == header, "only the title is shown so: the text is data"
    assert corpus.get("front").title == "Un titre aéré"
    assert corpus.get("insécable").title == "Titre : sous-titre\u00a0!", "a lone no-break space"
