"""Make any text safe to put on a terminal, one code point for one, so offsets still hold.

Textual passes ESC and other control bytes straight through to the terminal, so every string
that comes from a file (article text, titles, file and tag names) goes through `printable`.
"""

from __future__ import annotations

import re

# C0 controls show as their Unicode "control picture" (ESC -> ␛), DEL as ␡.
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
# C1 controls (0x80-0x9f) include CSI and OSC introducers on some terminals.
_TABLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
# Bidirectional embeddings, overrides and isolates would reorder the interface around them.
_TABLE.update(
    {
        code: "\ufffd"
        for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)
# Line and paragraph separators would break a line the layout believes is one.
_TABLE.update({0x2028: " ", 0x2029: " "})
# Emoji joiners, skin tones and the emoji presentation selector: terminals disagree on how many
# cells the sequences they build take, so the layout and the screen would drift apart. Each
# becomes a zero-width space and the emoji show one by one, at widths everyone agrees on.
_TABLE.update({code: "\u200b" for code in (0x200D, 0xFE0F, *range(0x1F3FB, 0x1F400))})

_PASSAGE_TABLE = dict(_TABLE)
# Inside a passage, a newline (hard-wrapped text) or a tab reads as a space.
_PASSAGE_TABLE.update({0x0A: " ", 0x09: " "})


def printable(text: str) -> str:
    """`text` with every control, bidi and separator character replaced by one visible one."""
    return text.translate(_TABLE)


_LONE_CR = re.compile(r"\r(?!\n)")
_TERMINAL_TABLE = {code: shown for code, shown in _TABLE.items() if code not in (9, 10, 13)}


def terminal_safe(text: str) -> str:
    """Like `printable`, but tabs and line ends stay: for whole files shown on a terminal.
    A carriage return stays only before a line feed: alone, it would write over the line."""
    return _LONE_CR.sub("\u240d", text).translate(_TERMINAL_TABLE)


class Lines(str):
    """Text whose line breaks are meant, each of its lines made printable: a notice that
    keeps its lines where `printable` would show the breaks as ␊. Build it with `Lines.of`."""

    @classmethod
    def of(cls, *lines: str) -> Lines:
        """`lines` one below the other; a line end inside one of them still shows as ␊."""
        return cls("\n".join(printable(line) for line in lines))


def printable_passage(text: str) -> str:
    """Like `printable`, but newlines and tabs inside a passage become spaces."""
    return text.translate(_PASSAGE_TABLE)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 passage`, `2 passages`: a count with its noun agreeing."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`start, end` kept within `text`, then moved inwards past any white space at either end."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def shortened(text: str, length: int) -> str:
    """`text` on one line, safe to show, cut to `length` characters with an ellipsis."""
    text = printable(" ".join(text.split()))
    return text if len(text) <= length else text[: length - 1] + "…"
