"""Statistics of a corpus's annotations: each tag's passages, segments and coded characters,
tags per article, tags found together, how much of each article is annotated, and who
annotated what; with a Rich rendering for the terminal (`glose stats`) and the app's
statistics screen alike (no Textual here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from rich.bar import Bar
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui.analysis.coverage import covered
from tui.corpus import Corpus, Document
from tui.corpus.counting import Share, annotated_share
from tui.corpus.decoding import NotText
from tui.store import ALL, Store
from tui.store.model import Anchored
from tui.text import counted, printable

BAR_WIDTH = 30
"""Cells of every bar: bars of different articles compare by length."""

UNTAGGED_SHOWN = 8
"""Articles without tags named in the one line that lists them; the rest are counted."""


@dataclass(frozen=True)
class TagSummary:
    name: str
    color: str
    passages: int
    """Passages of the corpus carrying the tag (for ALL, each place once)."""
    segments: int = 0
    """Coded segments carrying it (for ALL, each span of words once)."""
    characters: int = 0
    """Characters its passages and segments cover, white space left out (see `coverage`),
    each once however many cover it; only annotations placed on their document's current
    text count."""

    @property
    def places(self) -> int:
        """Passages and segments carrying the tag."""
        return self.passages + self.segments


@dataclass(frozen=True, eq=False)
class ArticleStatistics:
    """One article: its title and passages are asked of its document when first shown, since
    making every title and count of a big corpus would take seconds (and read every file)."""

    id: str
    document: Document = field(repr=False)
    annotated_passages: Collection[int] = field(repr=False)
    """The passages (by index) the store has annotations on, for the annotator viewed."""
    tags: dict[str, int] = field(default_factory=dict)
    """Passages and segments carrying each tag, in the store's tag order; tags it never got
    left out."""

    @cached_property
    def title(self) -> str:
        title = self.document.known_title
        return title if title is not None else self.document.relpath

    @cached_property
    def _share(self) -> Share:
        # Counted when annotated (the share needs it) or read already and quick to cut; an
        # unread article never annotated is 0% annotated whatever its length: it stays unread.
        return annotated_share(self.document, self.annotated_passages, "annotated")

    @property
    def passages(self) -> int | None:
        """Passages of the article; None when not counted yet (an unread article never
        annotated, or one that cannot be read)."""
        return self._share.passages

    @property
    def annotated(self) -> int:
        """Passages carrying a tag, a highlight or a note (as the article list counts them)."""
        return self._share.annotated if self.annotated_passages else 0

    @property
    def share(self) -> float | None:
        """The annotated share of the article, 0 to 1; None when its passages are unknown."""
        if not self.passages:
            return None
        return min(1.0, self.annotated / self.passages)


@dataclass(frozen=True)
class AnnotatorStatistics:
    name: str
    tagged: int
    """Passages they tagged."""
    highlights: int
    """Their highlights, of whole passages and of words."""
    notes: int
    segments: int = 0
    """Their segments carrying a tag."""


@dataclass(frozen=True)
class Statistics:
    annotator: str
    """Whose annotations the tags and shares count: a name, or ALL for everyone's."""
    tags: tuple[TagSummary, ...]
    """Tags carried at least once, in the store's order (tags from imports that the store
    has no record of come last)."""
    articles: tuple[ArticleStatistics, ...]
    """Every article of the corpus, in corpus order."""
    together: dict[tuple[str, str], int]
    """Passages and segments carrying both tags of each pair that is ever found together, the
    pair in tag order."""
    annotators: tuple[AnnotatorStatistics, ...]
    """Everyone who annotated in the corpus (and the store's own annotator), by name."""

    def co_occurrence(self, first: str, second: str) -> int:
        """Passages and segments carrying both tags (in either order); for one tag, those
        carrying it."""
        if first == second:
            return next((tag.places for tag in self.tags if tag.name == first), 0)
        return self.together.get((first, second), self.together.get((second, first), 0))


def statistics(corpus: Corpus, store: Store, annotator: str | None = None) -> Statistics:
    """The statistics of the corpus's placed annotations (orphans never count): the store's
    own annotator's (None), another's, or everyone's (ALL). Annotations of documents that are
    not in the corpus are left out, so that every section counts the same passages."""
    who = ALL if annotator == ALL else annotator or store.annotator
    documents = {document.id: document for document in corpus}
    if store.readonly:
        _anchor(store, documents)
    placed = [a for a in store.annotations() if not a.is_orphan and a.document in documents]
    spans = [h for h in store.highlights() if not h.is_orphan and h.document in documents]

    def viewed(annotation: Anchored) -> bool:
        return who == ALL or annotation.annotator == who

    # A place is a passage's words, or a segment's: for ALL, several people's there are one.
    places: dict[tuple[str, str, int, int], list[str]] = {}
    for kind, found in (("passage", placed), ("segment", spans)):
        for annotation in found:
            if viewed(annotation) and annotation.tags:
                where = (kind, annotation.document, annotation.start, annotation.end)
                carried = places.setdefault(where, [])
                carried.extend(tag for tag in annotation.tags if tag not in carried)

    order = {tag.name: index for index, tag in enumerate(store.tags())}
    colors = {tag.name: tag.color for tag in store.tags()}
    per_document: dict[str, Counter[str]] = {}
    pairs: Counter[tuple[str, str]] = Counter()
    totals: dict[str, Counter[str]] = {"passage": Counter(), "segment": Counter()}
    for (kind, document, _, _), carried in places.items():
        per_document.setdefault(document, Counter()).update(carried)
        totals[kind].update(carried)
        ranked = sorted(carried, key=lambda name: (order.get(name, len(order)), name))
        pairs.update(combinations(ranked, 2))
    characters = _coded_characters(
        documents, [a for a in [*placed, *spans] if viewed(a) and a.tags]
    )

    def rank(name: str) -> tuple[int, str]:
        return order.get(name, len(order)), name

    names = sorted(totals["passage"] | totals["segment"], key=rank)
    tags = tuple(
        TagSummary(
            name,
            colors.get(name, "default"),
            totals["passage"][name],
            totals["segment"][name],
            characters[name],
        )
        for name in names
    )
    annotated = store.annotated_passages(who)
    articles = tuple(
        _article(document, annotated.get(document.id, ()), per_document.get(document.id), rank)
        for document in list(corpus)
    )
    return Statistics(who, tags, articles, dict(pairs), _annotators(who, placed, spans))


def _anchor(store: Store, documents: dict[str, Document]) -> None:
    """Find, in memory, the annotations of texts that changed since they were made: a store
    only read from keeps nothing of it, and the characters counted are this text's."""
    for doc_id in store.annotated_documents() & documents.keys():
        document = documents[doc_id]
        try:
            # Cut first: only a cut text tells annotations made on another cut of it.
            passages = document.passages
            if store.needs_anchoring(document):
                store.anchor(document, passages)
        except (OSError, NotText):
            continue  # unreadable now: its annotations are counted as they were placed


def _coded_characters(documents: dict[str, Document], tagged: list[Anchored]) -> Counter[str]:
    """The characters each tag's annotations cover, white space left out, each once."""
    by_document: dict[str, list[Anchored]] = {}
    for annotation in tagged:
        by_document.setdefault(annotation.document, []).append(annotation)
    found: Counter[str] = Counter()
    for doc_id, made in by_document.items():
        document = documents[doc_id]
        try:
            text, sha256 = document.text, document.sha256
        except (OSError, NotText):
            continue  # unreadable now: no characters to count
        spans: dict[str, list[tuple[int, int]]] = {}
        for annotation in made:
            if annotation.sha256 != sha256:
                continue  # made on another version of the text, not found in this one yet
            for tag in annotation.tags:
                spans.setdefault(tag, []).append((annotation.start, annotation.end))
        for tag, where in spans.items():
            found[tag] += covered(text, where)
    return found


def _article(
    document: Document, annotated: Collection[int], tags: Counter[str] | None, rank
) -> ArticleStatistics:
    counts = {name: tags[name] for name in sorted(tags, key=rank)} if tags else {}
    return ArticleStatistics(document.id, document, annotated, counts)


def _annotators(who: str, placed: list, spans: list) -> tuple[AnnotatorStatistics, ...]:
    tagged: Counter[str] = Counter()
    segments: Counter[str] = Counter()
    highlights: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    for annotation in placed:
        tagged[annotation.annotator] += bool(annotation.tags)
        highlights[annotation.annotator] += annotation.highlighted
        notes[annotation.annotator] += bool(annotation.note)
    for span in spans:
        # A segment made by tagging words is no highlight: its words show its tags' colours.
        segments[span.annotator] += bool(span.tags)
        highlights[span.annotator] += span.highlighted
        notes[span.annotator] += bool(span.note)
    # Everyone's: those who annotated (not the user of this machine with nothing, say).
    shown = set() if who == ALL else {who}
    people = sorted(({a.annotator for a in [*placed, *spans]} - {""}) | shown)
    return tuple(
        AnnotatorStatistics(name, tagged[name], highlights[name], notes[name], segments[name])
        for name in people
    )


# Rendering. Text is data: every title, tag and name goes in a Text, never in markup.


def render(stats: Statistics) -> RenderableType:
    """The five sections, each under its heading, for a Rich console or a Textual Static."""
    whose = "everyone's" if stats.annotator == ALL else f"{printable(stats.annotator)}'s"
    return Group(
        Text(f"Statistics of {whose} annotations", style="bold"),
        _heading("Tags"),
        _tag_totals(stats),
        _heading("Tags per article"),
        _tags_per_article(stats),
        _heading("Co-occurrence"),
        _co_occurrence(stats),
        _heading("Annotated share"),
        _annotated_share(stats),
        _heading("Per annotator"),
        _per_annotator(stats),
    )


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _tag_totals(stats: Statistics) -> RenderableType:
    if not stats.tags:
        return Text("No passage or segment carries a tag.", style="dim")
    table = Table(
        caption="Characters: those its passages and segments cover, white space left out, "
        "each once.",
        caption_justify="left",
    )
    table.add_column("Tag", max_width=40, overflow="ellipsis", no_wrap=True)
    for heading in ("Passages", "Segments", "Characters"):
        table.add_column(heading, justify="right", no_wrap=True)
    for tag in stats.tags:
        table.add_row(
            Text(printable(tag.name)),
            Text(f"{tag.passages:,}"),
            Text(f"{tag.segments:,}"),
            Text(f"{tag.characters:,}"),
        )
    return table


def _tags_per_article(stats: Statistics) -> RenderableType:
    if not stats.tags:
        return Text("No passage or segment carries a tag.", style="dim")
    colors = {tag.name: tag.color for tag in stats.tags}
    # One scale for every article: the longest bar is the most used tag in any article.
    most = max(count for article in stats.articles for count in article.tags.values())
    parts: list[RenderableType] = []
    untagged = []
    # One width for the names of every article's grid, so that counts and bars line up.
    name_width = min(max(len(printable(tag.name)) for tag in stats.tags), 40)
    for article in stats.articles:
        if not article.tags:
            untagged.append(article)
            continue
        parts.append(Text(printable(article.title), style="bold", overflow="ellipsis"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=2)
        grid.add_column(width=name_width, overflow="ellipsis", no_wrap=True)
        grid.add_column(justify="right", min_width=len(f"{most:,}"), no_wrap=True)
        grid.add_column(width=BAR_WIDTH)
        for name, count in article.tags.items():
            bar = Bar(size=most, begin=0, end=count, width=BAR_WIDTH, color=colors[name])
            grid.add_row("", Text(printable(name)), Text(f"{count:,}"), bar)
        parts.append(grid)
    if untagged:
        parts.append(Text(f"No tags in {counted(len(untagged), 'article')}:", style="dim"))
        # One title a line, cut to it: titles hold commas, and a long one would run into the next.
        for article in untagged[:UNTAGGED_SHOWN]:
            title = f"  {printable(article.title)}"
            parts.append(Text(title, style="dim", no_wrap=True, overflow="ellipsis"))
        if len(untagged) > UNTAGGED_SHOWN:
            parts.append(Text(f"  and {len(untagged) - UNTAGGED_SHOWN:,} more", style="dim"))
    return Group(*parts)


def _co_occurrence(stats: Statistics) -> RenderableType:
    if not stats.together:
        return Text("No passage or segment carries two tags.", style="dim")
    # Only tags found with another: a row of zeros would say nothing.
    paired = {name for pair in stats.together for name in pair}
    names = [tag.name for tag in stats.tags if tag.name in paired]
    table = Table(
        caption="Passages and segments carrying both tags; on the diagonal, those carrying "
        "the tag.",
        caption_justify="left",
    )
    table.add_column("")
    for name in names:
        table.add_column(Text(printable(name)), justify="right")
    for row in names:
        cells: list[RenderableType] = [Text(printable(row), style="bold")]
        for column in names:
            count = stats.co_occurrence(row, column)
            if row == column:
                cells.append(Text(f"{count:,}", style="dim italic"))
            else:
                cells.append(Text(f"{count:,}" if count else "·", style="" if count else "dim"))
        table.add_row(*cells)
    return table


def _annotated_share(stats: Statistics) -> RenderableType:
    if not any(article.annotated for article in stats.articles):
        return Text("No passage is annotated yet.", style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(max_width=40, overflow="ellipsis", no_wrap=True)
    # The figures never wrap nor shorten: the title gives way first.
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(width=BAR_WIDTH, no_wrap=True)
    # Annotated articles only: ten thousand rows of 0% would bury them (and take seconds).
    unannotated = sum(1 for article in stats.articles if not article.annotated)
    for article in stats.articles:
        if not article.annotated:
            continue
        share = article.share
        if article.passages is None:
            shown, percent = f"{article.annotated:,}/?", "not counted yet"
        elif article.passages == 0:
            shown, percent = "0/0", "empty"
        else:
            shown, percent = f"{article.annotated:,}/{article.passages:,}", f"{share:.0%}"
        bar = Bar(size=1, begin=0, end=share or 0, width=BAR_WIDTH, color="green")
        table.add_row(Text(printable(article.title)), Text(shown), Text(percent, style="dim"), bar)
    if not unannotated:
        return table
    rest = Text(f"and {counted(unannotated, 'article')} with no annotation", style="dim")
    return Group(table, rest)


def _per_annotator(stats: Statistics) -> RenderableType:
    if not any(p.tagged or p.segments or p.highlights or p.notes for p in stats.annotators):
        return Text("Nobody has annotated yet.", style="dim")
    table = Table()
    table.add_column("Annotator")
    table.add_column("Tagged passages", justify="right")
    table.add_column("Coded segments", justify="right")
    table.add_column("Highlights", justify="right")
    table.add_column("Notes", justify="right")
    for person in stats.annotators:
        table.add_row(
            Text(printable(person.name)),
            Text(f"{person.tagged:,}"),
            Text(f"{person.segments:,}"),
            Text(f"{person.highlights:,}"),
            Text(f"{person.notes:,}"),
        )
    return table
