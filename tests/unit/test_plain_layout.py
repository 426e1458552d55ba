"""Plain text laid out as an outline (manual pages): headings, options and their bodies are
passages of their own; reflowed or as written, what is shown maps back to the file's text."""

from __future__ import annotations

from pathlib import Path

from tui.corpus.passages import segment

MANUAL = (Path(__file__).resolve().parents[1] / "data" / "plain" / "chsh.1.txt").read_text()


def test_a_manual_page_heading_and_options_are_not_merged_with_their_body():
    passages = [(p.kind, p.text.split("\n")[0]) for p in segment(MANUAL)]
    assert ("heading", "NAME") in passages
    assert ("paragraph", "chsh - change login shell") in passages
    assert ("heading", "OPTIONS") in passages
    assert ("paragraph", "-R, --root CHROOT_DIR") in passages
    assert ("paragraph", "Display help message and exit.") in passages
    assert ("heading", "SEE ALSO") in passages


def test_hard_wrapped_prose_with_a_hanging_indent_stays_one_paragraph():
    text = (
        "Haugh, J. F. (1994). Shadow password suite: a long reference that runs on\n"
        "    and on over two lines.\n"
    )
    assert len(segment(text)) == 1
