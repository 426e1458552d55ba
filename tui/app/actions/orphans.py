"""Orphans (o): annotations whose words are gone from their article, listed to be deleted or
attached again, by choosing their new place in the reader and pressing h."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from tui.app.actions.annotating import target
from tui.app.screens.orphans import OrphansView
from tui.store import ALL, StoreError
from tui.store.model import Anchored, Highlight
from tui.text import printable, shortened

if TYPE_CHECKING:
    from tui.app.actions.host import Host


class Orphans:
    """Listing orphans, deleting one, and attaching one again (`host.reattaching` holds it
    while the user chooses its place)."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = host.store

    def show(self) -> None:
        """List the orphans of the annotator shown, to attach again or delete."""
        host = self.host
        if host.still_listing():  # the articles not listed yet would look orphaned
            return
        corpus = {document.id for document in host.corpus}
        shown = host.viewing or self.store.annotator
        orphans = [
            orphan
            for orphan in self.store.orphans(corpus=corpus)
            if shown == ALL or orphan.annotator == shown
        ]
        if not orphans:
            host.notify("No orphaned annotations.", title="Orphans")
            return
        view = OrphansView(orphans, self._articles(orphans), self._yours, self._delete)
        host.ask(view, self._chosen)

    def _articles(self, orphans: list[Anchored]) -> dict[str, str]:
        """Each orphan's article by its title (the file's name until it is read); its id
        too when two articles share a title, and its id alone when it left the corpus."""
        titles: dict[str, str] = {}
        for doc_id in {orphan.document for orphan in orphans}:
            document = self.host.corpus.get(doc_id)
            if document is not None:
                titles[doc_id] = document.known_title or document.relpath
        shared = Counter(titles.values())
        return {
            doc_id: f"{title} ({doc_id})" if shared[title] > 1 else title
            for doc_id, title in titles.items()
        }

    def _yours(self, orphan: Anchored) -> bool:
        """Whether the user may change this orphan; if not, they are told why (a read-only
        window says its own reason)."""
        if not self.host.writable():
            return False
        if orphan.annotator == self.store.annotator:
            return True
        self.host.notify(
            f"This orphan is {printable(orphan.annotator)}'s: only yours can be "
            "attached or deleted.",
            title="Orphans",
            severity="warning",
            markup=False,
        )
        return False

    def _chosen(self, orphan: Anchored | None) -> None:
        if orphan is not None:
            self._start_attaching(orphan)

    def _delete(self, orphan: Anchored) -> bool:
        """Delete an orphan the user said to delete (False: it was not, and they are told)."""
        host = self.host
        try:
            with self.store.undoable("deletion of an orphan"):
                self.store.delete(orphan)
        except StoreError as error:
            host.write_failed(error)
            return False
        if host.reattaching is not None and host.reattaching.id == orphan.id:
            host.reattaching = None
        host.notify("Orphan deleted.", title="Orphans")
        return True

    def _start_attaching(self, orphan: Anchored) -> None:
        host = self.host
        document = host.corpus.get(orphan.document)
        if document is None:
            host.notify(
                f"Its article, {orphan.document}, is not in this corpus.",
                title="Orphans",
                severity="warning",
            )
            return
        if document is not host.document and not host.open_document(document):
            return  # unreadable now, and left out: said by open_document
        host.reattaching = orphan
        host.reader.focus()  # where v and h, which the notice names, work
        how = (
            "select words (v) and press h"
            if isinstance(orphan, Highlight)
            else "go to its passage and press h"
        )
        host.notify(
            f"Attaching «{shortened(orphan.quote, 40)}»: {how}; escape cancels.", title="Orphans"
        )

    def attach_here(self) -> None:
        """Attach the orphan being attached to the words selected, or to the current passage."""
        host = self.host
        orphan = host.reattaching
        here = target(host)
        if orphan is None or here is None:
            return
        document, passage = here
        selection = host.reader.selection
        if isinstance(orphan, Highlight):
            if selection is None or selection.start >= selection.end:
                host.notify("Select the words first (v, then w or the arrows).")
                return
            start, end = selection.start, selection.end
        else:
            start, end = passage.start, passage.end
        try:
            with self.store.undoable("orphan attached"):
                self.store.reattach(orphan, document, host.reader.passages, start, end)
        except ValueError as error:
            host.notify(f"Nothing to attach to: {error}.", severity="warning")
            return
        except StoreError as error:
            host.write_failed(error)
            return
        host.reattaching = None
        host.reader.action_leave_selection()
        host.show_highlights()
        host.show_change()
        host.notify("Attached again.", title="Orphans")

    def stop_attaching(self) -> None:
        """Leave the orphan being attached among the orphans."""
        self.host.reattaching = None
        self.host.notify("Not attached: it stays among the orphans.", title="Orphans")
