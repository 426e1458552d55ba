"""How tags look wherever they are drawn: a coloured dot and the tag's colour."""

from __future__ import annotations

from rich.style import Style

from tui.store.model import HIGHLIGHT_COLORS

TAG_MARK = "●"


def tag_style(color: str) -> Style:
    """The tag's colour as a style; a colour that does not parse falls back to none."""
    try:
        return Style(color=color)
    except Exception:  # a hand-edited or imported store may hold any string
        return Style()


NOTE_MARK = "✎"

HIGHLIGHT_MARK = "▮"


def highlight_style(color: str, *, underline: bool = False) -> Style:
    """A highlight's colour as a background under dark text (readable in any theme)."""
    background = HIGHLIGHT_COLORS.get(color, HIGHLIGHT_COLORS["yellow"])
    return Style(bgcolor=background, color="#1a1a1a", underline=underline)
