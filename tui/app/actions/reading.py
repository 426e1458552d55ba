"""Aids to reading the open document: its links listed and followed (f), words copied (y),
and plain text shown as written or reflowed (W), remembered for each document."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from tui.corpus.passages import carries_layout
from tui.store import StoreError
from tui.text import counted

if TYPE_CHECKING:
    from tui.app.actions.host import Host
    from tui.corpus import Document
    from tui.corpus.extract import Link

LAYOUT_STATE = "layout"
"""The store's record of how each plain text is shown: `{document id: "written" | "reflowed"}`."""


class ReadingAids:
    """Links, copying and the layout of plain text, for the main screen."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def list_links(self) -> None:
        from tui.app.screens.links import LinksView

        reader = self.host.reader
        if reader.document is None:
            return
        self.host.ask(LinksView(reader.passage_links(), reader.document.text), self._open)

    def _open(self, link: Link | None) -> None:
        from tui.app import opener

        if link is None:
            return
        trouble = opener.open_address(link.target)
        if trouble is not None:
            self.host.reader.app.copy_to_clipboard(link.target)
            self.host.notify(trouble, severity="warning", markup=False)

    def copy(self) -> None:
        reader = self.host.reader
        text = reader.copied_text()
        if text:
            reader.app.copy_to_clipboard(text)
            self.host.notify(f"Copied {counted(len(text), 'character')}.", markup=False)

    def as_written(self, document: Document) -> bool:
        """Whether plain text is shown as written: as the reader last chose for it, else when
        its layout carries meaning (a manual page, columns)."""
        if document.is_extracted or document.is_markdown or not document.is_read:
            return False
        chosen = self.host.store.get_state(LAYOUT_STATE, {}).get(document.id)
        if chosen is not None:
            return chosen == "written"
        return carries_layout(document.text)

    def toggle_layout(self) -> None:
        """Show the open plain text as written or reflowed, remembered for this document."""
        host = self.host
        document = host.reader.document
        if document is None:
            return
        if document.is_extracted or document.is_markdown:
            host.notify(
                "This document is shown rendered; only plain text is shown as written or reflowed.",
                title="Layout",
                markup=False,
            )
            return
        written = not host.reader.as_written
        chosen = {
            **host.store.get_state(LAYOUT_STATE, {}),
            document.id: "written" if written else "reflowed",
        }
        with contextlib.suppress(StoreError):  # read-only: chosen for this session only
            host.store.set_state(LAYOUT_STATE, chosen)
        host.reader.show_as_written(written)
        host.notify(
            "Shown as written." if written else "Shown reflowed.", title="Layout", markup=False
        )
