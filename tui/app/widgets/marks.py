"""How tags look wherever they are drawn: a coloured dot and the tag's colour."""

from __future__ import annotations

from rich.style import Style

TAG_MARK = "●"


def tag_style(color: str) -> Style:
    """The tag's colour as a style; a colour that does not parse falls back to none."""
    try:
        return Style(color=color)
    except Exception:  # a hand-edited or imported store may hold any string
        return Style()
