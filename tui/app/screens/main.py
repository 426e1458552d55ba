"""The main screen: article list, reader and tag sidebar, wired to the corpus and the store."""

from __future__ import annotations

import contextlib
import functools
import gc
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer

from tui.app.actions.articles import Articles, reading_place
from tui.app.screens.main_bindings import MAIN_BINDINGS, PALETTE_BINDING
from tui.app.widgets.article_list import ArticleList
from tui.app.widgets.reader import Reader
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.app.widgets.title_bar import Found, TitleBar
from tui.corpus import Corpus, Document, Passage
from tui.corpus.corpus import Listed, Relisted
from tui.corpus.counting import count_unknown, forget_stale_counts
from tui.corpus.decoding import NotText
from tui.corpus.document import OPENING_FROM
from tui.corpus.passages import index_at
from tui.store import Store, StoreError
from tui.store.model import Anchored
from tui.store.reading import Reading
from tui.store.readonly import Cause, ReadOnlyReason, clock

if TYPE_CHECKING:
    from tui.app.actions.annotating import Annotating
    from tui.app.actions.finding import Finding
    from tui.app.actions.orphans import Orphans
    from tui.app.actions.reading import ReadingAids
    from tui.app.actions.reports import Reports
    from tui.app.actions.syncing import Syncing
    from tui.app.actions.tags import TagChanges
    from tui.corpus.matches import Matches
    from tui.corpus.search import SearchIndex
    from tui.settings import Settings

# Search (tui.corpus.search, and the dialogs and actions built on it) is imported where it is
# first used: the index is built after the first frame, which need not wait for the import.

WATCH_SECONDS = 2.0
"""How often the open article's file, the corpus's folders (and a read-only store's files) are
checked for changes."""


class MainScreen(Screen[None]):
    """Three panes under a title bar. The screen wires the widgets to the corpus and the
    store, and hands each key to the collaborator of tui.app.actions that does it."""

    # Below 72 columns the tag sidebar folds away, below 56 the article list too.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (56, "-compact"), (72, "-normal")]

    BINDINGS = MAIN_BINDINGS

    document: var[Document | None] = var(None, init=False)
    """The article open in the reader."""
    viewing: var[str | None] = var(None, init=False)
    """Whose annotations show: None for the store's annotator, a name, or ALL."""
    reattaching: var[Anchored | None] = var(None, init=False)
    """An orphan waiting for the user to choose its new place."""
    matches: var[Matches | None] = var(None, init=False)
    """The search's matches in the open article, marked in the reader."""

    @dataclass
    class StoreRead(Message):
        """A read-only store's files were read again in the background: `reading` holds what
        a writer saved since (None: nothing); `asked` with r, which says what it found."""

        reading: Reading | None
        asked: bool

    @dataclass
    class StoreUnreadable(Message):
        """A read-only store's files could not be read again; the view stays as it was."""

        error: StoreError
        asked: bool

    @dataclass
    class CorpusRelisted(Message):
        """The corpus's folder was listed again in the background, its folders having changed:
        files added, removed or renamed come into the list or leave it."""

        relisted: Relisted

    def __init__(
        self, corpus: Corpus, store: Store, readonly_reason: ReadOnlyReason | None = None
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        if not store.readonly:
            readonly_reason = None
        elif readonly_reason is None:
            readonly_reason = ReadOnlyReason(Cause.ASKED, store.directory)
        self.readonly_reason = readonly_reason
        """Why the store is only read (None: it is written); every refused key says it."""
        self._layout = ""
        self._panes_toggled = False
        self.places, self._last_document = reading_place(store.get_state("reading"))
        self.search_index: SearchIndex | None = None
        """The corpus's folded text, once the worker that builds it is done."""
        self.indexed = 0
        """Documents indexed so far (the worker counts them)."""
        self.search_query: str | None = None
        """The last query searched, kept for the next article and the search box."""
        self._drawn = False
        """Whether the first frame is drawn: reading in the background waits for it."""
        self.articles = Articles(self)
        self._noticed: set[tuple[str, str]] = set()
        """The documents' notices said already, with their ids: each is said once."""
        self.sent_here: weakref.WeakSet[events.Key] = weakref.WeakSet()
        """Keys that reached this screen's panes: those typed at once with the key that
        opened a dialog reach them before the dialog is up, and the app gives them to it."""
        self._refused_at: float | None = None
        """When a key that opens a dialog was last refused (on the clock keys are stamped
        with): the keys typed before then were meant for the dialog."""

    def compose(self) -> ComposeResult:
        # The width's class now, as Textual would set it after the first layout: set then,
        # it restyles and lays out every pane again before the first frame.
        width = self.app.size.width
        self.add_class(next(n for w, n in reversed(self.HORIZONTAL_BREAKPOINTS) if width >= w))
        yield TitleBar(id="title-bar")
        with Horizontal(id="panes"):
            yield ArticleList(
                self.corpus.documents,
                id="articles",
                tags=lambda: self.store.document_tags(self.viewing),  # the annotations shown
            )
            with Vertical(id="reading"):
                yield Reader(id="reader")
            yield TagSidebar(id="tags")
        # Compact, and without the palette entry, so that help and quit fit in 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        layout = next(
            name
            for width, name in reversed(self.HORIZONTAL_BREAKPOINTS)
            if event.size.width >= width
        )
        if layout != self._layout:
            # Each width has its own default panes: a toggle made at another width is undone.
            self._layout = layout
            self._panes_toggled = False
            self._apply_panes()

    def _apply_panes(self) -> None:
        narrow = self._layout == "-narrow"
        self.set_class(self._panes_toggled and not narrow, "-panes-hidden")
        self.set_class(self._panes_toggled and narrow, "-list-only")
        self.call_after_refresh(self._keep_focus_visible)

    def _keep_focus_visible(self) -> None:
        """A pane that was hidden cannot keep the focus: give it to what the user sees."""
        focused = self.focused
        if focused is not None and all(node.display for node in (focused, *focused.ancestors)):
            return
        reader, articles = self.reader, self.query_one(ArticleList)
        if self.query_one("#reading").display:
            reader.focus()
        elif articles.display:
            articles.focus()

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def title_bar(self) -> TitleBar:
        return self.query_one(TitleBar)

    def on_mount(self) -> None:
        self.title_bar.readonly = self.store.readonly
        # Edits made on disk while an article is open show without asking (r asks at once).
        self.set_interval(WATCH_SECONDS, self.reload_if_changed)
        if self._last_document is not None:
            # The article open last time may be further than what is listed before the first
            # frame: listed on to it, so that the reader opens where it was left.
            self.corpus.list_until(self._last_document)
            self.query_one(ArticleList).documents_changed()
        self.articles.anchor_changed()
        self._refresh_tags()
        for document in self.corpus:
            if document.is_read and document.known_passage_count is None:
                document.count_passages(quick_only=True)  # a corpus read whole: counts at once
        articles = self.query_one(ArticleList)
        self._show_annotated()
        articles.set_places(self.places)
        last = self.corpus.get(self._last_document) if self._last_document else None
        if last is None or not self.open_document(last):
            # The first article that can be read: open_document leaves out those that cannot.
            for document in list(self.corpus.documents):
                if self.open_document(document):
                    break
        if self.document is None:
            self._nothing_open()
        self.reader.focus()
        for problem in self.corpus.problems:
            self.notify(problem, title="Corpus", severity="warning", markup=False)
        if self.readonly_reason is not None:
            self.notify(
                self.readonly_reason.notice(),
                title="Read-only",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def on_unmount(self) -> None:
        self.articles.remember_places()

    # Opening articles

    def open_document(self, document: Document) -> bool:
        """Show `document`; one that cannot be read now is left out of the corpus, said once
        (False)."""
        offset = self.places.get(document.id, 0)
        try:
            passages = self._opening_of(document, offset) or document.quick_passages()
        except (OSError, NotText) as why:
            self.drop_unreadable([(document, why)])
            return False
        if self.document is not None and self.document is not document:
            self.articles.remember_places()
            if self.reattaching is not None and self.reattaching.document != document.id:
                self.orphans.stop_attaching()  # its place is in its own article: not here
        self.document = document
        self._show_passages(document, passages, offset)
        if document.notice and (document.id, document.notice) not in self._noticed:
            self._noticed.add((document.id, document.notice))
            self.notify(document.notice, title="Corpus", severity="warning", markup=False)
        self.query_one(ArticleList).mark_open(document.id)
        self._follow_reader()  # now, not when the reader's message arrives: in the first frame
        if passages is not document.final_passages and self._drawn:
            # A stand-in cut (the final one may have come meanwhile: then it is swapped in).
            self.call_after_refresh(self._cut_sentences, document)
        return True

    def _opening_of(self, document: Document, offset: int) -> list[Passage] | None:
        """A big file's first passages, cut from its first bytes, when they are all its first
        screen needs: it opens at its start, and no search marks its matches. (An annotated
        file is read whole at start anyway, to anchor its annotations.)"""
        if self.search_query is not None:
            return None
        passages = document.read_opening()
        if passages is None or (offset and offset >= passages[-1].start):
            return None  # a place past what is cut (the last passage may go on past it)
        return passages

    def _show_passages(self, document: Document, passages: list[Passage], offset: int) -> None:
        if document.has_passages:  # anchoring needs the real passages: never wait for them here
            self.articles.anchor(document)
        annotations = self.store.annotations_on(document, passages, self.viewing)
        highlights = self.store.highlights_on(document, self.viewing)
        current = index_at(passages, offset)
        self.reader.show_document(
            document,
            passages,
            annotations,
            highlights,
            self.tag_colors(),
            current,
            as_written=self.reading_aids.as_written(document),
        )
        if self.search_query is None:
            self.matches = None
        else:
            self.finding.mark_matches(document)

    def read_whole(self, needed_at: int | None = None) -> None:
        """Show all of the open book now if it is shown from its first bytes: a search, or a
        jump to `needed_at` past them, needs it. One that turns out unreadable is left out."""
        document = self.document
        opening = document.opening if document is not None else None
        if document is None or opening is None or self.reader.passages is not opening:
            return
        if needed_at is not None and needed_at < opening[-1].start:
            return
        try:
            passages = document.quick_passages()  # read, decoded and cut into paragraphs
        except (OSError, NotText) as why:
            self._unreadable_after_all(document, why)
            return
        current = self.reader.current_passage
        self._show_passages(document, passages, current.start if current else 0)

    def _unreadable_after_all(self, document: Document, why: Exception) -> None:
        """A book shown from its first bytes turned out unreadable as a whole: left out, and
        the first article that can be read is shown instead."""
        shown = document is self.document
        self.drop_unreadable([(document, why)])
        if shown:
            self.document = None
            for other in list(self.corpus.documents):
                if self.open_document(other):
                    break
            else:
                self._nothing_open()

    def _nothing_open(self) -> None:
        """No article can be shown: an empty reader, and a title that says why."""
        self.document = None
        self.reader.clear()
        if not self.corpus.complete:
            why = "the corpus is still being listed"
        elif self.corpus.listed:
            why = "none of the corpus's files can be read"
        else:
            why = "the corpus has no documents glose can read"
        self.title_bar.nothing_open = why

    @on(ArticleList.OpenRequested)
    def _open_requested(self, event: ArticleList.OpenRequested) -> None:
        document = self.corpus.get(event.document_id)
        if document is not None:
            self.open_document(document)
            if self._layout == "-narrow" and self._panes_toggled:
                self._panes_toggled = False  # the full-width list gives way to the reader
                self._apply_panes()
            self.reader.focus()

    def action_next_article(self) -> None:
        self.articles.step(+1)

    def action_previous_article(self) -> None:
        self.articles.step(-1)

    def action_reload(self) -> None:
        """Read the open article from disk again; its annotations follow their quotes. A
        read-only store is read again too: what the writer saved since shows."""
        self.articles.reload()
        if self.store.readonly:
            self.read_store_again(asked=True)

    def on_key(self, event: events.Key) -> None:
        self.sent_here.add(event)

    @property
    def drawn(self) -> bool:
        """Whether the first frame has been drawn (the background reading starts then)."""
        return self._drawn

    def reload_if_changed(self) -> None:
        """What the file watch's timer calls: the open article again if it changed on disk,
        the corpus's folder if files came or went, and a read-only store if a writer saved."""
        if self.on_top is self:  # under an open dialog (a note being written): once it closes
            self.articles.reload_if_changed()
            self.articles.watch_corpus()
            reading = self._working("store")
            # A big store takes seconds to read: one reading at a time, the next one on a tick.
            if not reading and self.store.files_changed():
                self.read_store_again(asked=False)

    @work(thread=True, exclusive=True, group="watch")
    def look_again(self) -> None:
        """List the corpus's folder again off the screen's thread (ten thousand files take a
        while); the list shows what changed once it is back."""
        shown = self.document
        relisted = self.corpus.look_again(keep=shown.relpath if shown is not None else None)
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.post_message(self.CorpusRelisted(relisted))

    def _working(self, group: str) -> bool:
        """Whether a worker of `group` is still at work."""
        return any(w.group == group and not w.is_finished for w in self.app.workers)

    @property
    def looking_again(self) -> bool:
        """Whether the corpus's folder is being listed again."""
        return self._working("watch")

    @on(CorpusRelisted)
    def _corpus_relisted(self, event: CorpusRelisted) -> None:
        if self.on_top is not self:
            return  # a dialog may hold an article: listed again on a tick once it closes
        self.articles.take_relisted(event.relisted)

    def corpus_grew(self) -> None:
        """Articles came into the corpus: read and count them, and index them for search."""
        self._build_index()
        reading = self._working("articles")
        if not reading:
            self.read_articles()

    # A read-only store following its writer

    @work(thread=True, exclusive=True, group="store")
    def read_store_again(self, asked: bool) -> None:
        """Read a read-only store's files again off the screen's thread (a big store takes a
        while); the screen shows what was read once it is back."""
        message: MainScreen.StoreRead | MainScreen.StoreUnreadable
        try:
            message = self.StoreRead(self.store.reread(), asked)
        except StoreError as error:
            message = self.StoreUnreadable(error, asked)
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.post_message(message)

    @on(StoreRead)
    def _store_read(self, event: StoreRead) -> None:
        reading = event.reading
        if reading is not None:
            if self.on_top is not self:
                return  # a dialog may be reading the store: the watch reads it again later
            self.store.catch_up(reading)
            self.store_changed()
        elif event.asked:
            self.store.files_changed()  # found unchanged: the view is as of now
        if event.asked:
            changed = "read again" if reading is not None else "unchanged"
            self.notify(
                f"Store {changed}: annotations as of {clock(self.store.as_of)}.",
                title="Read-only",
                markup=False,
            )

    def store_changed(self) -> None:
        """The store changed from outside the keys (a writer saved, a sync brought in): what
        was anchored in memory is anchored again, quietly (said when the store was first
        read), and shown."""
        self.articles.anchor_changed(say_lost=False)
        self.refresh_everything()

    @on(StoreUnreadable)
    def _store_unreadable(self, event: StoreUnreadable) -> None:
        why = str(event.error).rstrip(".")
        self.notify(
            f"The store could not be read again: {why}. Still showing the annotations as of "
            f"{clock(self.store.as_of)}.",
            title="Read-only",
            severity="warning",
            markup=False,
        )

    # Reading in the background, after the first frame

    def after_first_frame(self) -> None:
        """Start what reads in the background: these threads share the GIL with the screen,
        and the first frame would wait on them."""
        if self._drawn:
            return
        self._drawn = True
        document = self.document
        if document is not None and self.reader.passages is not document.final_passages:
            self._cut_sentences(document)
        self.syncing.show_last()
        if self.corpus.complete:
            self._build_index()
            self.read_articles()
        else:
            self.query_one(ArticleList).set_progress("listing…")
            self.list_rest()

    @work(thread=True, exclusive=True, group="listing")
    def list_rest(self) -> None:
        """List the files the first frame did not wait for."""
        self._from_thread(self._rest_listed, self.corpus.list_rest())

    def _rest_listed(self, listed: Listed) -> None:
        """The whole corpus is listed: show it, then read it and index it."""
        self.corpus.add_listed(listed)
        articles = self.query_one(ArticleList)
        articles.documents_changed()
        articles.set_progress("")
        self.articles.anchor_changed(listed.documents)
        # Before they are read: the articles just listed may have counts to count again.
        forget_stale_counts(self.corpus, self.store.annotated_passages(self.viewing))
        if self.document is None:
            # None of the first files could be read: the first of the rest that can.
            for document in list(listed.documents):
                if self.open_document(document):
                    break
            else:
                self._nothing_open()
        for problem in listed.problems:
            self.notify(problem, title="Corpus", severity="warning", markup=False)
        self._build_index()
        self.read_articles()

    @work(thread=True, exclusive=True, group="sentences")
    def _cut_sentences(self, document: Document) -> None:
        """pysbd on a long text takes seconds: off the screen's thread, then swapped in.

        A book shown from its first bytes is read whole first, and its paragraphs shown at
        once, cut at spaces, while its sentences are cut.
        """
        try:
            if self.reader.passages is document.opening:
                document.quick_passages()  # read, decoded and cut into paragraphs
                _ = document.links  # found here, not on the screen's thread
                self.app.call_from_thread(self._sentences_ready, document)
            # Computed once, kept by the document. For a book shown from its first bytes and
            # passed over at once, this is its first whole read, which may fail too.
            _ = document.passages
        except (OSError, NotText) as why:
            self.app.call_from_thread(self._unreadable_after_all, document, why)
            return
        self.app.call_from_thread(self._sentences_ready, document)

    def _sentences_ready(self, document: Document) -> None:
        """Show the text's latest cut: its paragraphs, then its sentences."""
        if document is not self.document:
            return
        passages = document.quick_passages()  # already cut: the worker made it
        if passages is self.reader.passages:
            return
        current = self.reader.current_passage
        # The place is kept inside the current passage: the final cut opens there exactly.
        offset = self.places.get(document.id, current.start if current else 0)
        self._show_passages(document, passages, offset)
        self.query_one(ArticleList).mark_open(document.id)
        if passages is document.final_passages and document.size >= OPENING_FROM:
            # A book's passages live as long as it is open. Frozen, the cyclic collector stops
            # walking them: its full passes cost keys their speed. Collected first, so that
            # no garbage is frozen with them (once per book).
            gc.collect()
            gc.freeze()

    @work(thread=True, exclusive=True, group="articles")
    def read_articles(self) -> None:
        """Read and count every article the catalog did not know, showing how far it is; then
        keep what was found in the catalog for the next start."""
        progress = functools.partial(self._from_thread, self._articles_read)
        unreadable = count_unknown(self.corpus, progress, save=not self.store.readonly)
        if unreadable:
            self._from_thread(self.drop_unreadable, unreadable)

    def _from_thread(self, callback: Callable[..., object], *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(callback, *args)

    def _articles_read(self, ids: list[str], done: int, total: int) -> None:
        articles = self.query_one(ArticleList)
        articles.refresh_articles(ids)
        articles.set_progress("" if done == total else f"reading {done:,}/{total:,}")
        if self.search_index is not None:
            self.finding.refold_stale()

    def drop_unreadable(self, unreadable: list[tuple[Document, Exception]]) -> None:
        """Leave out of the corpus the files found unreadable, saying so once."""
        self.articles.leave_out(unreadable)

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        """Fold the corpus for search (reusing the saved index) off the screen's thread."""
        documents = list(self.corpus.documents)

        def counted_so_far(done: int, total: int) -> None:
            self.indexed = done

        from tui.corpus.search import SearchIndex

        # A read-only glose (a second one) uses the saved index but never writes it.
        index, _ = SearchIndex.build(
            documents,
            self.store.directory,
            counted_so_far,
            save=not self.store.readonly,
            root=self.corpus.root,  # without a store, kept in the user's cache folder
        )
        with contextlib.suppress(RuntimeError):  # the app closed while the index was built
            self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: SearchIndex) -> None:
        self.finding.index_ready(index)
        reading = self._working("articles")
        if not reading and any(d.known_passage_count is None for d in self.corpus):
            self.read_articles()  # files found changed since listed, while they were indexed

    # What the reader and the sidebar say

    @on(Reader.CurrentChanged)
    def _current_changed(self, event: Reader.CurrentChanged) -> None:
        if self.document is None or event.passages is not self.reader.passages:
            return  # about an article, or a cut of it, that is no longer shown
        passages = self.reader.passages
        if passages:
            offset = self.articles.keep_place(self.document, passages[event.index])
            self.query_one(ArticleList).set_place(self.document.id, offset)
        self._follow_reader()

    @on(Reader.SelectionChanged)
    def _selection_changed(self, event: Reader.SelectionChanged) -> None:
        self._follow_reader()

    def _follow_reader(self) -> None:
        """Tell the title bar how far the reader is and what it has selected."""
        self.title_bar.follow(self.reader)

    @on(TagSidebar.ToggleRequested)
    def _tag_clicked(self, event: TagSidebar.ToggleRequested) -> None:
        self.toggle_tag_named(event.name)

    @on(TagSidebar.Manage)
    def _manage(self, event: TagSidebar.Manage) -> None:
        self.manage_tag(event.what, event.path)

    @on(TagSidebar.Chosen)
    def _where(self, event: TagSidebar.Chosen) -> None:
        self.finding.show_where(event.name)

    # State others follow: the title bar, the reader's marks, whose annotations show

    def watch_document(self, document: Document | None) -> None:
        self.title_bar.document = document

    def watch_reattaching(self, orphan: Anchored | None) -> None:
        self.title_bar.reattaching = orphan is not None

    def watch_matches(self, matches: Matches | None) -> None:
        """Marks in the reader, the reader on the current match, the count in the title."""
        if matches is None:
            self.reader.set_matches([])
            self.title_bar.found = None
            return
        current = matches.current_span
        self.reader.set_matches(matches.marked, current=current)
        if current is not None:
            self.reader.go_to(index_at(self.reader.passages, current[0]))
        self.title_bar.found = Found(matches.query, matches.count, matches.number)

    def watch_viewing(self, viewing: str | None) -> None:
        """Another annotator's annotations (or everyone's) in the reader, sidebar and list."""
        if self.document is not None:
            current = self.reader.current_passage
            offset = current.start if current else 0
            self._show_passages(self.document, self.reader.passages, offset)
        self.refresh_counts()
        self.title_bar.viewing = viewing

    def title_text(self) -> str:
        """The title bar as plain text (title, then position)."""
        return self.title_bar.text

    # What the actions ask of the screen (tui.app.actions.host)

    def _refresh_tags(self) -> None:
        counts = self.store.node_counts(self.viewing)
        highlights, notes = self.store.mark_counts(self.viewing)
        self.query_one(TagSidebar).show_tags(self.store.tags(), counts, highlights, notes)

    def refresh_counts(self) -> None:
        """The sidebar's tag counts and the list's annotated counts, as the store has them."""
        self._refresh_tags()
        self._show_annotated()

    def _show_annotated(self) -> None:
        """The list's annotated passages; counts the catalog told that leave some out are
        counted again (read in the background, once the first frame is drawn)."""
        annotated = self.store.annotated_passages(self.viewing)
        self.query_one(ArticleList).set_annotated(annotated)
        if forget_stale_counts(self.corpus, annotated) and self._drawn and self.corpus.complete:
            reading = self._working("articles")
            if not reading:
                self.read_articles()

    def tag_colors(self) -> dict[str, str]:
        return {tag.name: tag.color for tag in self.store.tags()}

    def show_change(self) -> None:
        """Show what the store now holds for the current passage, the sidebar and the list."""
        assert self.document is not None
        passage = self.reader.current_passage
        if passage is not None:
            annotation = self.store.annotation(self.document, passage, self.viewing)
            self.reader.set_annotation(passage.index, annotation)
        self.refresh_counts()

    def show_highlights(self, active: int | None = None) -> None:
        assert self.document is not None
        self.reader.set_highlights(self.store.highlights_on(self.document, self.viewing), active)

    def refresh_everything(self) -> None:
        """The open article's annotations, the sidebar and the list, as the store now has them."""
        if self.document is not None:
            passages = self.reader.passages
            self.reader.set_tag_colors(self.tag_colors())  # a tag renamed, recoloured
            self.reader.set_annotations(
                self.store.annotations_on(self.document, passages, self.viewing)
            )
            self.show_highlights()
        self.refresh_counts()

    def writable(self) -> bool:
        if self.readonly_reason is not None:
            notice = self.readonly_reason.notice()
            self.notify(notice, title="Read-only", severity="warning", markup=False)
            return False
        return True

    def dialog_refused(self) -> None:
        self._refused_at = Message().time  # now, on the clock Textual stamps each key with

    def typed_for_refused_dialog(self, event: events.Key) -> bool:
        """Whether `event` was typed at once after a key that opened a dialog, before that key
        was refused: a letter meant for the dialog, not a command (`téconomie` under `A`
        would have exported)."""
        refused = self._refused_at
        if refused is None:
            return False
        if event.time <= refused:
            return True
        self._refused_at = None  # typed once the refusal was said: a command again
        return False

    def ask(self, dialog: Screen[Any], then: Callable[[Any], None] | None = None) -> None:
        self.app.push_screen(dialog, then)

    @property
    def on_top(self) -> Screen[Any]:
        return self.app.screen

    @property
    def settings(self) -> Settings | None:
        return getattr(self.app, "settings", None)

    def highlight_tag(self, name: str) -> None:
        self.query_one(TagSidebar).highlight_tag(name)

    def write_failed(self, error: Exception) -> None:
        message = str(error) if isinstance(error, StoreError) else f"Not saved: {error}"
        self.notify(message, title="Store", severity="error", markup=False)

    def still_listing(self) -> bool:
        """Whether the corpus is still being listed, said if so: what covers every article
        waits for the listing (a tenth of a second for 10,000 files)."""
        if self.corpus.complete:
            return False
        self.notify("The corpus is still being listed; try again in a moment.")
        return True

    def articles_changed(self) -> None:
        self.query_one(ArticleList).documents_changed()

    def matches_moved(self) -> None:
        self.mutate_reactive(MainScreen.matches)

    # The collaborators the keys need, each imported (with its dialogs) when first used

    @functools.cached_property
    def annotating(self) -> Annotating:
        from tui.app.actions.annotating import Annotating

        return Annotating(self)

    @functools.cached_property
    def tag_changes(self) -> TagChanges:
        from tui.app.actions.tags import TagChanges

        return TagChanges(self)

    @functools.cached_property
    def orphans(self) -> Orphans:
        from tui.app.actions.orphans import Orphans

        return Orphans(self)

    @functools.cached_property
    def reports(self) -> Reports:
        from tui.app.actions.reports import Reports

        return Reports(self)

    @functools.cached_property
    def reading_aids(self) -> ReadingAids:
        from tui.app.actions.reading import ReadingAids

        return ReadingAids(self)

    @functools.cached_property
    def syncing(self) -> Syncing:
        from tui.app.actions.syncing import Syncing

        return Syncing(self)

    @functools.cached_property
    def finding(self) -> Finding:
        from tui.app.actions.finding import Finding

        return Finding(self)

    # The keys, each handed to the collaborator that does it

    def action_toggle_tag(self, key: int) -> None:
        self.annotating.toggle_tag_key(key)

    def toggle_tag_named(self, name: str) -> None:
        """Add or remove tag `name` on the current passage, or on each selected with V (its
        key, and the palette's "tag current passage")."""
        self.annotating.toggle_tag(name)

    def manage_tag(self, what: str, path: str) -> None:
        """Rename, recolour, delete, key or describe a tag (the sidebar's keys, the palette):
        `what` names one of TAG_VERBS."""
        self.tag_changes.change(what, path)

    def open_by_id(self, document_id: str) -> None:
        """Open an article and read it (the palette's "open article")."""
        document = self.corpus.get(document_id)
        if document is not None and self.open_document(document):
            self.reader.focus()

    def action_undo(self) -> None:
        self.annotating.replay(undo=True)

    def action_redo(self) -> None:
        self.annotating.replay(undo=False)

    def action_tag_by_name(self) -> None:
        self.annotating.tag_by_name()

    def action_toggle_highlight(self) -> None:
        if self.reattaching is not None:
            self.orphans.attach_here()
        else:
            self.annotating.toggle_highlight()

    def action_cycle_color(self) -> None:
        self.annotating.cycle_color()

    def action_note(self) -> None:
        self.annotating.note()

    def action_delete_highlight(self) -> None:
        self.annotating.delete_highlight()

    def action_orphans(self) -> None:
        self.orphans.show()

    def action_cancel(self) -> None:
        if self.reattaching is not None:
            self.orphans.stop_attaching()
        elif self.search_query is not None:
            self.search_query = None
            self.matches = None

    def action_search(self) -> None:
        self.finding.search()

    def action_next_match(self) -> None:
        self.finding.step(+1)

    def action_previous_match(self) -> None:
        self.finding.step(-1)

    def action_cycle_annotator(self) -> None:
        self.annotating.show_next_annotator()

    def action_sync(self) -> None:
        self.syncing.sync()

    def on_screen_resume(self) -> None:
        self.syncing.bring_in_waiting()  # a sync done while a dialog was open

    def action_export(self) -> None:
        self.reports.export()

    def action_info(self) -> None:
        self.reports.article_info()

    def action_links(self) -> None:
        self.reading_aids.list_links()

    def action_copy(self) -> None:
        self.reading_aids.copy()

    def action_toggle_layout(self) -> None:
        self.reading_aids.toggle_layout()

    def action_statistics(self) -> None:
        self.reports.statistics()

    def action_toggle_panes(self) -> None:
        self._panes_toggled = not self._panes_toggled
        self._apply_panes()
        if self._panes_toggled and self._layout == "-narrow":
            self.call_after_refresh(self.query_one(ArticleList).focus)

    def action_help(self) -> None:
        """The keys of the focused pane, then those that work anywhere on this screen."""
        panes = {ArticleList: "Article list", Reader: "Reader", TagSidebar: "Tag sidebar"}
        anywhere = [*self.BINDINGS, *self.app.BINDINGS, *PALETTE_BINDING]
        from tui.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen.for_panes(panes, self.focused, anywhere))
