"""What happens to articles besides reading them: a file changed on disk is read again (r,
and a watch), the annotations of a text that changed follow it, and a file that cannot be
read is left out of the corpus; where the reader was in each article is kept meanwhile."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from tui.corpus import Document, Passage
from tui.corpus.corpus import Relisted, left_out_notice
from tui.corpus.decoding import NotText
from tui.corpus.document import NotRead
from tui.corpus.watching import changes_notices
from tui.store import StoreError
from tui.text import counted

if TYPE_CHECKING:
    from tui.app.actions.host import ArticlesHost


def place_of(passage: Passage, passages: list[Passage]) -> int:
    """Where `passage` is now: the same words nearest its old offset, else that offset."""
    same = [p.start for p in passages if p.text == passage.text]
    return min(same, key=lambda start: abs(start - passage.start)) if same else passage.start


def reading_place(state: object) -> tuple[dict[str, int], str | None]:
    """Each article's place (a text offset) and the last article, from the stored state.

    A hand-edited or damaged record is ignored rather than trusted.
    """
    if not isinstance(state, dict):
        return {}, None
    places = state.get("places")
    document = state.get("document")
    places = (
        {key: value for key, value in places.items() if type(value) is int and value >= 0}
        if isinstance(places, dict)
        else {}
    )
    return places, document if isinstance(document, str) else None


class Articles:
    """Reloading, anchoring again and leaving out articles, for the main screen."""

    def __init__(self, host: ArticlesHost) -> None:
        self.host = host
        self.store = host.store
        self.corpus = host.corpus
        self._reload_failed: dict[str, tuple[int, float] | None] = {}
        """The file's signature when reading it again last failed, by article."""
        self._gone: Document | None = None
        """The open article, its file gone from the corpus: it leaves the list once left."""

    # Where the reader is

    def keep_place(self, document: Document, current: Passage) -> int:
        """Keep `current` as the reader's place in `document`, and return the place kept."""
        # Kept as a text offset: it still means the same place if passages are recut. An
        # offset inside the new current passage is kept as it is: opening at a place, with a
        # stand-in cut then the final one, must not creep back a passage at a time.
        places = self.host.places
        kept = places.get(document.id)
        if kept is None or not current.start <= kept < max(current.end, current.start + 1):
            places[document.id] = current.start
        return places[document.id]

    def remember_places(self) -> None:
        """Keep the open article and each article's current passage for the next session."""
        document = self.host.document
        if self.store.readonly or document is None:
            return
        # The reading place is a convenience, not the user's work: a failed write is no alarm.
        with contextlib.suppress(StoreError):
            self.store.set_state(
                "reading", {"document": document.id, "places": dict(self.host.places)}
            )

    def step(self, step: int) -> None:
        """Open the next article (`step` 1) or the previous one (-1) that can be read."""
        host, corpus = self.host, self.corpus
        if host.document is None or not corpus.documents:
            return
        index = corpus.index_of(host.document.id) + step
        while 0 <= index < len(corpus.documents):
            if host.open_document(corpus.documents[index]):
                return
            # Found unreadable and left out: the one after it has taken its place.
            index += min(step, 0)
        else:
            host.notify("This is the last article." if step > 0 else "This is the first article.")

    # Reading an article again

    def reload_if_changed(self) -> None:
        """Read the open article again if its file changed since, unless that failed for this
        very state of the file."""
        document = self.host.document
        if document is None or not self.corpus.changed_on_disk(document):
            return
        failed = self._reload_failed.get(document.id, "never")
        if failed == self.corpus.signature(document):
            return  # said once already, for this very state of the file (None: gone)
        self.reload()

    def reload(self) -> None:
        """Read the open article from disk again; its annotations follow their quotes."""
        host = self.host
        old = host.document
        if old is None:
            return
        self._reload_failed[old.id] = self.corpus.signature(old)
        try:
            fresh = self.corpus.reload(old)
        except NotText as why:
            now = f"is now {why}" if isinstance(why, NotRead) else "is no longer text"
            host.notify(
                f"{old.relpath} {now}; still showing the version read before.",
                title="Reload",
                severity="warning",
            )
            return
        except OSError as error:
            reason = error.strerror or str(error)
            host.notify(
                f"{old.relpath} cannot be read ({reason}); still showing the version read before.",
                title="Reload",
                severity="warning",
            )
            return
        current = host.reader.current_passage
        if current is not None:
            # The place follows the passage's words to wherever they are in the new text.
            host.places[fresh.id] = place_of(current, fresh.quick_passages())
        host.document = None  # the old version is gone: nothing of it to remember
        if host.search_index is not None:
            host.search_index = host.search_index.replace(fresh)
        host.open_document(fresh)  # the list shares the corpus's documents: it shows the new one
        changed = "unchanged" if fresh.sha256 == old.sha256 else "changed on disk"
        self._reload_failed.pop(fresh.id, None)
        host.notify(f"Reloaded {fresh.relpath} ({changed}).", title="Reload")

    # Files that come into the corpus's folder, or leave it

    def watch_corpus(self) -> None:
        """List the corpus's folder again if files came, went or were renamed in it (its
        folders' stamps tell at once); the article whose file went while it was open leaves
        the list once the reader has left it."""
        host, corpus = self.host, self.corpus
        gone = self._gone
        if gone is not None and gone is not host.document:
            self._gone = None
            if corpus.get(gone.id) is gone:
                corpus.remove(gone)
                host.articles_changed()
                if host.search_index is not None:
                    host.search_index = host.search_index.without({id(gone)})
        if not host.looking_again and corpus.folders_changed():
            host.look_again()

    def take_relisted(self, relisted: Relisted) -> None:
        """Show what listing the corpus again found: new articles in their places, those whose
        files went out of the list (the open one stays shown, as read), renamed ones under
        their new names (the reader following the open one); each kind said once."""
        host, corpus = self.host, self.corpus
        shown = host.document
        went = set(relisted.changes.removed)
        if self._gone is not None and self._gone.relpath not in went:
            self._gone = None  # its file was put back: read again as any change
        keep = shown.relpath if shown is not None and shown.relpath in went else None
        taken = corpus.take_relisted(relisted, keep)
        if keep is not None:
            self._gone = shown
        for problem in relisted.listed.problems:
            host.notify(problem, title="Corpus", severity="warning", markup=False)
        if not (taken.added or taken.removed or taken.renamed):
            return
        host.articles_changed()
        left = [*taken.removed, *(former for former, _ in taken.renamed)]
        if host.search_index is not None and left:
            host.search_index = host.search_index.without({id(document) for document in left})
        new = [*taken.added, *(document for _, document in taken.renamed)]
        if new:
            # The store may hold annotations for these names (a file put back): followed.
            self.anchor_changed(new)
            host.corpus_grew()
        host.refresh_counts()
        for former, document in taken.renamed:
            if former is shown:
                current = host.reader.current_passage
                if current is not None:
                    host.places[document.id] = current.start
                host.open_document(document)
        if host.document is None:
            for document in list(corpus.documents):  # the corpus had nothing to read
                if host.open_document(document):
                    break
        for notice in changes_notices(
            [document.relpath for document in taken.added],
            [document.relpath for document in taken.removed],
            [(former.relpath, document.relpath) for former, document in taken.renamed],
        ):
            host.notify(notice, title="Corpus", markup=False)

    # Annotations following a text that changed

    def anchor_changed(
        self, documents: list[Document] | None = None, *, say_lost: bool = True
    ) -> None:
        """Articles whose text changed since they were annotated are followed up at once, so
        that counts and orphans are right before they are opened; very long ones (whose
        sentences take seconds to cut) wait until they are."""
        lost = 0
        unreadable: list[tuple[Document, Exception]] = []
        documents = list(self.corpus if documents is None else documents)
        try:
            # Annotations an older glose stored under another id find their article first.
            self.store.adopt_former_ids(documents)
        except StoreError as error:
            self.host.write_failed(error)
            return
        annotated = self.store.annotated_documents()
        for document in documents:
            if document.id not in annotated:
                continue
            try:
                # Cut first (a text of ordinary length is cut for real here): only a cut text
                # tells annotations made on another cut of it.
                document.quick_passages()
                if not self.store.needs_anchoring(document):
                    continue
            except (OSError, NotText) as why:
                unreadable.append((document, why))
                continue
            if not document.has_passages:
                continue
            try:
                lost += self.store.anchor(document, document.passages).orphans
            except StoreError as error:
                self.host.write_failed(error)
                return
        self.leave_out(unreadable)
        if lost and say_lost:
            self.host.notify(
                f"{counted(lost, 'annotation')} could not be found in the new text of their "
                "article; o lists them.",
                title="Orphans",
                severity="warning",
            )

    def anchor(self, document: Document) -> None:
        """Follow the annotations of a text that changed since they were made; say what was lost."""
        if not self.store.needs_anchoring(document):
            return
        try:
            report = self.store.anchor(document, document.passages)
        except StoreError as error:
            self.host.write_failed(error)
            return
        self.host.refresh_counts()
        if report.orphans:
            self.host.notify(
                f"{counted(report.orphans, 'annotation')} of {document.relpath} could not be found "
                "in its new text; o lists them.",
                title="Orphans",
                severity="warning",
            )

    # Files that cannot be read

    def leave_out(self, unreadable: list[tuple[Document, Exception]]) -> None:
        """Leave out articles found unreadable or not text once read, in one notice."""
        host = self.host
        # The screen and the background reading may both find the same file: said once.
        unreadable = [(d, why) for d, why in unreadable if self.corpus.get(d.id) is d]
        if not unreadable:
            return
        not_text = [(d.relpath, why) for d, why in unreadable if isinstance(why, NotText)]
        for document, why in unreadable:
            self.corpus.drop(document)
            if isinstance(why, OSError):
                host.notify(
                    f"{document.relpath}: {why.strerror or why}; left out.",
                    title="Corpus",
                    severity="warning",
                )
        if not_text:
            host.notify(left_out_notice(not_text), title="Corpus", severity="warning")
        host.articles_changed()
        if host.search_index is not None:
            host.search_index = host.search_index.without({id(d) for d, _ in unreadable})
