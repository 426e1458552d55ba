"""The passages selected with V: 1-9 and t tag all of them, h highlights all of them, each
in one step of undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.corpus import Passage
from tui.store import StoreError
from tui.text import counted, printable

if TYPE_CHECKING:
    from tui.app.actions.host import Host


class SelectedPassages:
    """Annotating every passage of the reader's range (V) at once."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = host.store

    def targets(self) -> list[Passage]:
        """The passages selected with V; annotating them needs their final cut."""
        reader = self.host.reader
        selected, passages = reader.passage_range, reader.passages
        return [passages[i] for i in selected] if selected is not None else []

    def tag(self, name: str, *, add_only: bool = False) -> None:
        """Put a tag on every selected passage, or, when all carry it already (and it is a
        toggle, 1-9), take it off all of them: one step of undo either way."""
        host, store = self.host, self.store
        document, passages = host.document, self.targets()
        assert document is not None
        if host.reader.passages is document.opening:
            host.notify("This book is still being read; annotate it in a moment.")
            return
        if any(p.kind == "pending" for p in passages):
            host.notify("Some of these passages are still being cut into sentences.")
            return
        carrying = [
            p
            for p in passages
            if (a := store.annotation(document, p)) is not None and name in a.tags
        ]
        remove = not add_only and len(carrying) == len(passages)
        changing = passages if remove else [p for p in passages if p not in carrying]
        try:
            many = counted(len(changing), "passage")
            label = f"removal of tag {name} from {many}" if remove else f"tag {name} on {many}"
            with store.undoable(label):
                for passage in changing:
                    if remove:
                        store.toggle_tag(document, passage, name)
                    else:
                        store.add_tag(document, passage, name)
        except (OSError, StoreError) as error:
            host.write_failed(error)
            self._done()
            return
        self._done()
        host.notify(said(printable(name), remove, len(changing), len(carrying)))

    def highlight(self, color: str) -> None:
        """Highlight every selected passage in `color`, or clear them all when all are
        highlighted."""
        host, store = self.host, self.store
        document, passages = host.document, self.targets()
        assert document is not None
        lit = [
            p
            for p in passages
            if (a := store.annotation(document, p)) is not None and a.highlighted
        ]
        clear = len(lit) == len(passages)
        try:
            many = counted(len(passages), "passage")
            label = f"removal of highlights from {many}" if clear else f"highlight on {many}"
            with store.undoable(label):
                for passage in lit if clear else [p for p in passages if p not in lit]:
                    store.toggle_highlight(document, passage, color)
        except (OSError, StoreError) as error:
            host.write_failed(error)
        self._done()

    def _done(self) -> None:
        # The range stays, as help promises, for the next key: V or escape leaves it.
        self.host.refresh_everything()


def said(name: str, removed: bool, changed: int, had: int) -> str:
    """What tagging a range did: only the passages that changed count as tagged."""
    if removed:
        return f"{name} taken off {counted(changed, 'passage')}."
    if not changed:
        return f"{name} was on {'that passage' if had == 1 else f'all {had:,} passages'} already."
    already = f" ({had:,} had it already)" if had else ""
    return f"{name} put on {counted(changed, 'passage')}{already}."
