"""Plain text laid out as an outline (manual pages): headings, options and their bodies are
passages of their own; reflowed or as written, what is shown maps back to the file's text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.app.render.blocks import GUTTER, RIGHT_MARGIN, offset_in_row, passage_block
from tui.app.render.layout import Shape
from tui.app.render.wrapping import shown_positions
from tui.corpus import Passage
from tui.corpus.passages import carries_layout, segment

MANUAL = (Path(__file__).resolve().parents[1] / "data" / "plain" / "chsh.1.txt").read_text()


def test_a_manual_page_heading_and_options_are_not_merged_with_their_body():
    passages = [(p.kind, p.text.split("\n")[0]) for p in segment(MANUAL)]
    assert ("heading", "NAME") in passages
    assert ("paragraph", "chsh - change login shell") in passages
    assert ("heading", "OPTIONS") in passages
    assert ("paragraph", "-R, --root CHROOT_DIR") in passages
    assert ("paragraph", "Display help message and exit.") in passages
    assert ("heading", "SEE ALSO") in passages


def test_a_manual_page_carries_its_layout_and_prose_does_not():
    assert carries_layout(MANUAL)
    prose = "Une phrase assez longue pour être de la prose ordinaire, sans plus.\n" * 20
    assert not carries_layout(prose)
    columns = "".join(f"{n:<6}{n * n:<8}{n * 3}\n" for n in range(100, 120))
    code = "int main(void) {\n    int x = 1;\n    if (x) {\n        return x;\n    }\n}\n"
    assert carries_layout(columns) and carries_layout(code)


def test_hard_wrapped_prose_with_a_hanging_indent_stays_one_paragraph():
    text = (
        "Haugh, J. F. (1994). Shadow password suite: a long reference that runs on\n"
        "    and on over two lines.\n"
    )
    assert len(segment(text)) == 1


_PIECES = st.sampled_from(["mot", "de", "l'été", " ", "  ", "\n", "\n       ", " \n  ", "\t"])


def _drawn(text: str, span: tuple[int, int], reflowed: bool) -> tuple[str, list[int]]:
    """A row as drawn, and the file offset of each character drawn."""
    start, end = span
    kept = shown_positions(text[start:end]) if reflowed else list(range(end - start))
    return "".join(text[start + p] for p in kept), [start + p for p in kept]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, min_size=1, max_size=40).map("".join).map(str.strip).filter(bool),
    st.integers(min_value=4, max_value=40),
    st.booleans(),
)
def test_what_is_shown_reflowed_or_as_written_maps_back_to_the_files_offsets(
    text: str, width: int, written: bool
):
    passage = Passage(0, 0, len(text), text)
    shape = Shape(0, 0, (), written)
    block = passage_block(0, passage, None, None, width + GUTTER + RIGHT_MARGIN, shape=shape)
    rows = [_drawn(text, span, not written) for span in block.lines]
    for (row, offsets), span in zip(rows, block.lines, strict=True):
        assert all(text[o] == c for o, c in zip(offsets, row, strict=True))
        for column, offset in enumerate(offsets):
            row_index = block.lines.index(span)
            assert offset_in_row(block, passage, row_index, GUTTER + column) == offset
    if written:
        assert all("\n" not in row for row, _ in rows), "a line of the file a row"
    else:
        shown = "".join(row for row, _ in rows)
        assert not re.search(r"\n[ \t]|[ \t]\n|\n\n", shown), "a line break and indent: one space"
        assert "".join(shown.split()) == "".join(text.split()), "no word lost or doubled"
    starts = [start for start, _ in block.lines]
    assert starts == sorted(starts) and block.lines[-1][1] <= len(text)
