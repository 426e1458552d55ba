"""Finding places: the search box (`/`) and its matches in the open article (n, N), and the
lists of where a tag, the highlights or the notes are (enter in the sidebar).

Imported when first used, with the search index and the dialogs it opens: the first frame
needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tui.app.render.marks import NOTE_MARK
from tui.app.screens.places import Place, PlacesView, match_prompt
from tui.app.screens.search_dialog import (
    RESULTS_SHOWN,
    Found,
    SearchChoice,
    SearchView,
    query_status,
)
from tui.app.widgets.tag_sidebar import HIGHLIGHTS, NOTES
from tui.corpus import Document
from tui.corpus.folding import Folded, fold_text
from tui.corpus.matches import Matches
from tui.corpus.passages import Passage, index_at
from tui.corpus.query import Query, QueryError, parse
from tui.corpus.search import SearchIndex, snippet
from tui.store import ALL
from tui.store.model import Anchored, Highlight, PassageAnnotation
from tui.text import counted, printable

if TYPE_CHECKING:
    from tui.app.actions.host import SearchHost

SHOWN_MATCH = 80
"""Characters of a match shown in a result (a passage matched whole is shown by its start)."""


class Finding:
    """Search, its matches, and places to go to, for the main screen."""

    def __init__(self, host: SearchHost) -> None:
        self.host = host
        self._passages: tuple[Document, list[Passage], list[Folded]] | None = None

    # The index

    def index_ready(self, index: SearchIndex) -> None:
        """The index built in the background is here: what was read again meanwhile is folded
        again, and an open search box looks again."""
        host = self.host
        indexed = {id(document) for document in index.documents}
        reloaded = [  # read again since the index was begun
            document
            for document in host.corpus.documents
            if id(document) not in indexed and document.is_read
        ]
        host.search_index = index.refolded(reloaded)
        self.refold_stale()
        shown = host.on_top
        if isinstance(shown, SearchView):  # it said the index was coming
            shown.refresh_results()

    def refold_stale(self) -> None:
        """Fold again what the index folded at another version than the one read."""
        index = self.host.search_index
        if index is not None and (stale := index.stale()):
            self.host.search_index = index.refolded(stale)
            self._passages = None

    # The search box

    def search(self) -> None:
        """Open the search box, with the last query in it."""
        self.host.ask(SearchView(self.results, self.host.search_query or ""), self._searched)

    def results(self, query: str) -> Found | Callable[[], Found]:
        """The search box's question: matches here, elsewhere, and a line saying how many.

        What needs the store, the reader or the open article is done now, on the screen's
        thread; the search of the other articles is given back, to be run in a worker thread:
        it reads only the index and their documents, both safe to read from another thread."""
        host = self.host
        parsed = parse(query)
        host.read_whole()  # the open book's matches may be past its first bytes
        wanted = self._wanted(parsed)
        here: list[Place] = []
        here_total = 0
        document = host.document
        if document is not None:
            found = self.article_matches(parsed, document, wanted)
            here_total = len(found)
            cut = self._cut(document)
            here = [_match_place(document, start, end, cut) for start, end in found[:RESULTS_SHOWN]]
        index = host.search_index
        if index is None:
            said = (
                f"{counted(here_total, 'match', 'matches')} in this article; the other "
                f"articles are still being indexed ({host.indexed:,} of "
                f"{len(host.corpus):,} done)"
            )
            return Found(here, [], said)
        filters = parsed.filters
        among = None  # whose annotations alone the filters looked at
        if filters and not filters.annotators and host.viewing != ALL:
            among = printable(host.viewing or host.store.annotator)

        def elsewhere() -> Found:
            places, total, articles, complete = self._elsewhere(parsed, index, document, wanted)
            said = query_status(total, articles, here_total, len(here) + len(places), complete)
            if among is not None and not here_total + total:
                # Nothing among the annotations shown: another's may have been looked for.
                said += f" among {among}'s annotations (annotator:NAME for another's)"
            return Found(here, places, said)

        return elsewhere

    def article_matches(
        self, query: Query, document: Document, wanted: dict[str, list[tuple[int, int]]] | None
    ) -> list[tuple[int, int]]:
        """Every match of `query` in the open article, as original spans in order."""
        passages, folded = self._folded_passages(document)
        spans = None if wanted is None else wanted.get(document.id, [])
        return query.find(passages, folded, spans)

    def _folded_passages(self, document: Document) -> tuple[list[Passage], list[Folded]]:
        """The passages of `document` as the reader cuts them, each folded, kept while the
        article and its cut stay the same."""
        reader = self.host.reader
        passages = reader.passages if document is self.host.document else []
        passages = passages or (document.passages if document.has_passages else [])
        passages = passages or document.quick_passages()
        kept = self._passages
        if kept is None or kept[0] is not document or kept[1] is not passages:
            text = document.text
            folded = [fold_text(text[p.start : p.end]) for p in passages]
            kept = self._passages = (document, passages, folded)
        return kept[1], kept[2]

    def _wanted(self, query: Query) -> dict[str, list[tuple[int, int]]] | None:
        """The spans, by document, of the places the query's filters keep (None: no filter).
        Without `annotator:`, the annotations of whoever the reader shows."""
        if not query.filters:
            return None
        store, viewing = self.host.store, self.host.viewing
        annotations: list[Anchored] = [*store.annotations(), *store.highlights()]
        if not query.filters.annotators and viewing != ALL:
            who = viewing or store.annotator
            annotations = [a for a in annotations if a.annotator == who]
        found: dict[str, list[tuple[int, int]]] = {}
        for place in query.wanted_passages(annotations):
            found.setdefault(place.document, []).append((place.start, place.end))
        return found

    def _elsewhere(
        self,
        query: Query,
        index: SearchIndex,
        skip: Document | None,
        wanted: dict[str, list[tuple[int, int]]] | None,
    ) -> tuple[list[Place], int, int, bool]:
        """The matches in the other articles: (the first places, how many matches, in how
        many articles, whether all were counted). Only the passages that can match are
        decided on: those of the places the filters keep, or those where the index finds the
        query (every passage read when it cannot look the words up: they do not fold to
        ASCII); past the first places listed, the index counts the rest without reading
        them."""
        if wanted is None:
            return self._found_by_index(query, index, skip)
        holding = {id(d) for d in index.documents if d.id in wanted and d is not skip}
        found = (
            (document, self._decided(query, document, None, wanted))
            for document in index.documents
            if id(document) in holding
        )
        return (*_listed(found), True)

    def _found_by_index(
        self, query: Query, index: SearchIndex, skip: Document | None
    ) -> tuple[list[Place], int, int, bool]:
        """The other articles' matches as the index finds the whole query: the first ones
        read and decided on in the reader's passages, the rest counted by the index. Run in a
        worker thread, as `_elsewhere`: neither reads the store nor the reader."""
        results = index.search(query, limit=RESULTS_SHOWN, skip=skip)
        holding: dict[int, tuple[Document, set[int]]] = {}
        for hit in results.hits:
            holding.setdefault(id(hit.document), (hit.document, set()))[1].add(hit.start)
        places, total, articles = _listed(
            (document, self._decided(query, document, offsets, None))
            for document, offsets in holding.values()
        )
        if len(results.hits) < results.total:  # not all read: the index's count
            return places, results.total, results.documents, False
        return places, total, articles, True

    def _decided(
        self,
        query: Query,
        document: Document,
        offsets: set[int] | None,
        wanted: dict[str, list[tuple[int, int]]] | None,
    ) -> list[tuple[int, int]]:
        """The query's matches in `document`, decided on in the reader's passages: all of
        them, or (`offsets`) those holding one of these places."""
        passages = document.passages if document.has_passages else document.quick_passages()
        if offsets is not None:
            passages = [passages[i] for i in sorted({index_at(passages, o) for o in offsets})]
        text = document.text
        folded = [fold_text(text[p.start : p.end]) for p in passages]
        spans = None if wanted is None else wanted.get(document.id, [])
        return query.find(passages, folded, spans)

    def _searched(self, choice: SearchChoice | None) -> None:
        host = self.host
        if choice is None:
            return
        host.search_query = choice.query
        host.read_whole()
        if choice.place is not None:
            self.go_to(choice.place)
            self.mark_matches(host.document, at=choice.place.start)
            return
        current = host.reader.current_passage
        self.mark_matches(host.document, at=current.start if current else 0)
        if host.matches is None or not host.matches.marked:
            host.notify(f"No match for «{printable(choice.query)}» in this article.", markup=False)

    # Its matches in the open article

    def mark_matches(self, document: Document | None, at: int | None = None) -> None:
        """Mark the search's matches in `document`; with `at`, go to the first from there
        (wrapping round). An article with very many matches has them marked a window at a
        time, and n, N move the window on."""
        host = self.host
        query: Query | None = None
        if host.search_query is not None:
            try:
                query = parse(host.search_query)
            except QueryError:
                host.search_query = None
        if document is None or query is None or host.search_query is None:
            host.matches = None
            return
        spans = self.article_matches(query, document, self._wanted(query))
        matches = Matches.of_spans(spans, host.search_query)
        matches.mark_from(at or 0)
        if matches.windowed:
            host.notify(
                f"{matches.total:,} matches: {matches.size:,} at a time are marked.",
                title="Search",
            )
        if at is not None:
            matches.choose_first()
        host.matches = matches

    def step(self, step: int) -> None:
        """n (`step` 1) and N (-1): the next or previous match, from where the reader is."""
        host = self.host
        matches = host.matches
        if host.search_query is None or host.document is None or matches is None:
            host.notify("No search yet: / searches this article and the corpus.")
            return
        if not matches.marked:
            host.notify(
                f"No match for «{printable(host.search_query)}» in this article.", markup=False
            )
            return
        passage = host.reader.current_passage
        went = matches.step(step, (passage.start, passage.end) if passage is not None else None)
        if went == "top":
            host.notify("Went on from the top of the article.", title="Search")
        elif went == "end":
            host.notify("Went on from the end of the article.", title="Search")
        host.matches_moved()

    # Places

    def go_to(self, place: Place) -> None:
        """Open the place's article at its passage, and read there; a segment's place puts
        the segment under the cursor, where 1-9, t, h, a and x act on it."""
        host = self.host
        document = host.corpus.get(place.document)
        if document is None:
            host.notify("That article is no longer in the corpus.", severity="warning")
            return
        if document is not host.document:
            host.open_document(document)
        host.read_whole(needed_at=place.start)
        if document is not host.document:
            return  # it could not be read after all
        host.reader.go_to(index_at(host.reader.passages, place.start), top=True)
        if place.segment is not None:
            host.show_highlights(active=place.segment)
        host.reader.focus()

    def show_where(self, name: str) -> None:
        """List every place of tag `name` (or of the highlights, HIGHLIGHTS, or the notes,
        NOTES) across the corpus, to go to one."""
        host, store = self.host, self.host.store
        if host.still_listing():  # their places in articles not listed yet would be missing
            return
        found: list[Anchored]
        if name == HIGHLIGHTS:
            found, title, empty = store.highlighted(host.viewing), "Highlights", "highlight"
        elif name == NOTES:
            found, title, empty = store.noted(host.viewing), "Notes", "note"
        else:
            found = list(store.with_tag(name, host.viewing))
            title, empty = f"Tagged {name}", f"passage or segment tagged {name}"
        places = [place for annotation in found if (place := self._annotation_place(annotation))]
        heading = f"{title}: {counted(len(places), 'place')} across the corpus"
        if len(places) < len(found):
            missing = len(found) - len(places)
            heading += f" (and {missing:,} in articles not in the corpus)"
        host.ask(PlacesView(printable(heading), places, printable(f"No {empty} yet.")), self._went)

    def _went(self, place: Place | None) -> None:
        if place is not None:
            self.go_to(place)

    def _annotation_place(self, annotation: Anchored) -> Place | None:
        document = self.host.corpus.get(annotation.document)
        if document is None:
            return None  # kept in the store for when its document comes back
        quote = " ".join(annotation.quote.split())
        quote = quote if len(quote) <= 160 else quote[:159] + "…"
        number = self._passage_number(document, annotation.start)
        last = self._passage_number(document, max(annotation.start, annotation.end - 1))
        prompt = match_prompt(document.title, number, ("«", "", quote + "»"), last)
        tags = annotation.tags if isinstance(annotation, PassageAnnotation | Highlight) else []
        if tags:
            prompt.append("\n  " + ", ".join(printable(t) for t in tags), "dim")
        if self.host.viewing == ALL:
            prompt.append(f"\n  by {printable(annotation.annotator)}", "dim")
        if annotation.note:
            note = " ".join(printable(annotation.note).split())
            note = note if len(note) <= 200 else note[:199] + "…"
            prompt.append(f"\n  {NOTE_MARK} {note}", "italic")
        segment = annotation.id if isinstance(annotation, Highlight) else None
        return Place(document.id, annotation.start, annotation.end, prompt, segment)

    def _cut(self, document: Document) -> list[Passage]:
        """The passages of `document` as the reader cuts them."""
        reader = self.host.reader
        passages = reader.passages if document is self.host.document else []
        return passages or _own_cut(document)

    def _passage_number(self, document: Document, offset: int) -> int:
        """The passage holding `offset` as the reader numbers it (from 1)."""
        return _passage_number(self._cut(document), offset)


def _listed(
    found: Iterable[tuple[Document, list[tuple[int, int]]]],
) -> tuple[list[Place], int, int]:
    """The places of each article's matches, up to the number shown; how many matches, and
    in how many articles."""
    places: list[Place] = []
    total = articles = 0
    for document, matches in found:
        if matches:
            total += len(matches)
            articles += 1
            cut = _own_cut(document)
            for start, end in matches[: RESULTS_SHOWN - len(places)]:
                places.append(_match_place(document, start, end, cut))
    return places, total, articles


def _match_place(document: Document, start: int, end: int, passages: list[Passage]) -> Place:
    """A match's place, its words shown in their context within their passage among
    `passages` (a whole passage, matched by its annotations alone, by its beginning)."""
    cut = min(end, start + SHOWN_MATCH)
    low, high = _passage_span(passages, document, start)
    high = max(high, cut)
    before, match, after = snippet(document.text[low:high], start - low, cut - low)
    if cut < end:
        match, after = match + "…", ""
    number = _passage_number(passages, start)
    parts = (before, match, after)
    return Place(document.id, start, end, match_prompt(document.title, number, parts))


def _own_cut(document: Document) -> list[Passage]:
    """The passages of an article not open, as the reader would cut them (safe from a worker
    thread: the document cuts under its own lock)."""
    passages = document.passages if document.has_passages else []
    return passages or document.quick_passages()


def _passage_span(passages: list[Passage], document: Document, offset: int) -> tuple[int, int]:
    """Where the passage holding `offset` begins and ends (the whole text without any)."""
    if not passages:
        return 0, len(document.text)
    passage = passages[index_at(passages, offset)]
    return min(passage.start, offset), passage.end


def _passage_number(passages: list[Passage], offset: int) -> int:
    """The passage holding `offset` numbered from 1."""
    return index_at(passages, offset) + 1 if passages else 1
