"""Agreement between annotators, tag by tag, over the passages or the characters of the corpus.

With passages as units (the default) an annotator's value for a tag is 1 when they tagged the
passage with it or one of their segments carrying it overlaps the passage, 0 when not. With
characters as units it is 1 when the character lies in a passage they tagged with it or in
one of their segments carrying it; white space is left out (see `coverage`).

Only the documents an annotator annotated at all count as coded by them: a passage of an
article someone never opened is missing data, not a "no". Cohen's kappa compares two
annotators on the passages both coded; Krippendorff's alpha (nominal, from its coincidence
matrix) takes two or more and their missing data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from tui.analysis.coverage import covering, cuts, pieces
from tui.corpus import Corpus, Document
from tui.corpus.passages import Passage, index_at
from tui.store import Store

MIN_CARRIED = 5
"""A tag carried by fewer passages (or, by characters, passages and segments) than this, by
anyone, is too rare to judge."""

Unit = Literal["passage", "character"]
UNITS: tuple[Unit, ...] = ("passage", "character")


@dataclass
class TagAgreement:
    tag: str
    units: int
    """Passages (or characters) coded by at least two of the annotators."""
    carried: dict[str, int]
    """How many of those units each annotator gave the tag."""
    both: int | None
    """Units both annotators gave the tag (two annotators only)."""
    kappa: float | None
    alpha: float | None
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "units": self.units,
            "carried": self.carried,
            "both": self.both,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "note": self.note or None,
        }


@dataclass
class Agreement:
    annotators: list[str]
    documents: int
    """Documents coded by at least two of the annotators."""
    units: int
    tags: list[TagAgreement] = field(default_factory=list)
    unit: Unit = "passage"

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "annotators": self.annotators,
            "documents": self.documents,
            "units": self.units,
            "min_carried": MIN_CARRIED,
            "tags": [tag.as_json() for tag in self.tags],
        }


def cohen_kappa(first: list[int], second: list[int]) -> float | None:
    """Cohen's kappa of two annotators' labels on the same units; None when undefined (every
    label the same on both sides: chance alone agrees perfectly)."""
    if len(first) != len(second) or not first:
        raise ValueError("two lists of labels of the same, non-zero length")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((first.count(label) / n) * (second.count(label) / n) for label in labels)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(units: Mapping[tuple[Hashable | None, ...], int]) -> float | None:
    """Nominal Krippendorff's alpha of units given as how many units got each combination of
    values, one value per annotator (None: not coded); None when undefined (fewer than two
    values to pair, or one value throughout).

    A unit with m values adds each ordered pair of values of two annotators to the
    coincidences with weight 1/(m - 1); with n the values paired, alpha is 1 - (n - 1) times
    the disagreeing coincidences over the disagreeing pairs that chance would make.
    """
    coincidences: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for values, count in units.items():
        present = Counter(value for value in values if value is not None)
        paired = sum(present.values())
        if paired < 2 or count <= 0:
            continue  # a value nobody else gave to that unit pairs with nothing
        for first, times in present.items():
            for second, others in present.items():
                pairs = times * (others - 1) if first == second else times * others
                if pairs:
                    coincidences[first, second] += Fraction(count * pairs, paired - 1)
    totals: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (value, _), weight in coincidences.items():
        totals[value] += weight
    n = sum(totals.values(), Fraction())
    observed = sum((w for (a, b), w in coincidences.items() if a != b), Fraction())
    expected = n * n - sum((total * total for total in totals.values()), Fraction())
    if n < 2 or not expected:
        return None
    return float(1 - (n - 1) * observed / expected)


def krippendorff_alpha(rows: list[list[float | None]]) -> float | None:
    """Nominal Krippendorff's alpha of annotators' rows of values (None: not coded); None when
    undefined (fewer than two values to pair, or a single value throughout)."""
    return nominal_alpha(Counter(zip(*rows, strict=True)))


@dataclass
class _Coding:
    """One annotator's tags in one document: on passages (by index) and on segments."""

    passages: dict[int, list[str]]
    segments: list[tuple[int, int, list[str]]]

    def tags(self) -> set[str]:
        found = {tag for tags in self.passages.values() for tag in tags}
        return found | {tag for _, _, tags in self.segments for tag in tags}


def measure(
    corpus: Corpus,
    store: Store,
    annotators: list[str] | None = None,
    tags: list[str] | None = None,
    unit: Unit = "passage",
) -> Agreement:
    """Per tag agreement between `annotators` (default: everyone who annotated), over the
    passages or the characters of the documents at least two of them annotated."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r}: passage or character")
    people = annotators or annotated_by(store)
    coded: dict[str, dict[str, _Coding]] = {person: {} for person in people}
    documents: dict[str, Document] = {}
    for document in corpus:
        if not _anything(store, document.id):
            continue
        passages = document.passages
        if store.needs_anchoring(document):
            store.anchor(document, passages)
        placed = [a for a in _anything(store, document.id) if not a.is_orphan]
        for person in people:
            if not any(a.annotator == person for a in placed):
                continue  # this person did not code this document
            on = store.annotations_on(document, passages, annotator=person)
            segments = [
                (s.start, s.end, list(s.tags))
                for s in store.highlights(document.id)
                if s.annotator == person and s.tags and not s.is_orphan
            ]
            passage_tags = {index: list(a.tags) for index, a in on.items()}
            coded[person][document.id] = _Coding(passage_tags, segments)
        documents[document.id] = document
    shared = [
        doc_id
        for doc_id in documents
        if sum(1 for person in people if doc_id in coded[person]) >= 2
    ]
    names = tags or sorted(
        {tag for person in people for coding in coded[person].values() for tag in coding.tags()},
        key=str.casefold,
    )
    if unit == "character":
        return _by_characters(people, names, coded, {d: documents[d] for d in shared})
    by_passage = {
        person: {
            doc_id: _passage_tags(documents[doc_id].passages, coding)
            for doc_id, coding in coded[person].items()
        }
        for person in people
    }
    units = [
        (doc_id, index) for doc_id in shared for index in range(len(documents[doc_id].passages))
    ]
    report = Agreement(people, len(shared), len(units))
    for name in names:
        report.tags.append(_tag_agreement(name, people, by_passage, units))
    return report


def _passage_tags(passages: list[Passage], coding: _Coding) -> dict[int, set[str]]:
    """The tags each passage carries for one annotator: its own, and those of every segment
    of theirs that overlaps it."""
    found = {index: set(tags) for index, tags in coding.passages.items()}
    for start, end, tags in coding.segments:
        index = index_at(passages, start)
        while index < len(passages) and passages[index].start < end:
            if passages[index].end > start:
                found.setdefault(index, set()).update(tags)
            index += 1
    return found


def _tag_agreement(
    name: str,
    people: list[str],
    coded: dict[str, dict[str, dict[int, set[str]]]],
    units: list[tuple[str, int]],
) -> TagAgreement:
    rows: list[list[float | None]] = []
    for person in people:
        row: list[float | None] = []
        for doc_id, index in units:
            document = coded[person].get(doc_id)
            row.append(None if document is None else float(name in document.get(index, ())))
        rows.append(row)
    carried = {
        person: sum(1 for value in row if value == 1)
        for person, row in zip(people, rows, strict=True)
    }
    anyone = sum(1 for column in zip(*rows, strict=True) if 1 in column) if rows else 0
    result = TagAgreement(name, len(units), carried, None, None, None)
    pairs: list[tuple[float | None, float | None]] = []
    if len(people) == 2:
        pairs = [(a, b) for a, b in zip(*rows, strict=True) if a is not None and b is not None]
        result.both = sum(1 for a, b in pairs if a == b == 1)
    if len(people) < 2:
        result.note = "agreement needs two annotators"
    elif not units:
        result.note = "no passage was coded by two annotators"
    elif anyone < MIN_CARRIED:
        carry = "passage carries" if anyone == 1 else "passages carry"
        result.note = f"too rare to judge: {anyone} {carry} it, {MIN_CARRIED} needed"
    else:
        if len(people) == 2 and pairs:
            first, second = zip(*pairs, strict=True)
            result.kappa = cohen_kappa([int(v) for v in first], [int(v) for v in second])
        result.alpha = krippendorff_alpha(rows)
        if result.alpha is None and result.kappa is None:
            result.note = "undefined: every passage got the same answer"
    return result


def _by_characters(
    people: list[str],
    names: list[str],
    coded: dict[str, dict[str, _Coding]],
    documents: dict[str, Document],
) -> Agreement:
    """Agreement with each character (white space left out) of `documents` as a unit."""
    patterns: dict[str, Counter[tuple[int | None, ...]]] = {name: Counter() for name in names}
    codings: Counter[str] = Counter()
    total = 0
    for doc_id, document in documents.items():
        text, passages = document.text, document.passages
        spans: dict[str, list[list[tuple[int, int]]]] = {n: [[] for _ in people] for n in names}
        codes = [coded[person].get(doc_id) for person in people]
        for column, coding in enumerate(codes):
            if coding is None:
                continue
            for index, tags in coding.passages.items():
                where = (passages[index].start, passages[index].end)
                _add(spans, codings, column, where, tags)
            for start, end, tags in coding.segments:
                _add(spans, codings, column, (start, end), tags)
        # One cut of the text for every tag: the white space is counted once per document.
        places = cuts(text, (span for n in names for column in spans[n] for span in column))
        weights = pieces(text, places)
        total += sum(weights)
        for name in names:
            coders = [None if c is None else spans[name][i] for i, c in enumerate(codes)]
            patterns[name].update(_values(coders, places, weights))
    report = Agreement(people, len(documents), total, unit="character")
    for name in names:
        report.tags.append(_character_agreement(name, people, patterns[name], codings[name]))
    return report


def character_values(
    text: str, coders: list[list[tuple[int, int]] | None]
) -> Counter[tuple[int | None, ...]]:
    """How many characters of `text`, white space left out, got each combination of values:
    for each coder, 1 when one of their spans covers the character, 0 when none does, None
    for a coder who did not code this text."""
    places = cuts(text, (span for spans in coders if spans for span in spans))
    return _values(coders, places, pieces(text, places))


def _values(
    coders: list[list[tuple[int, int]] | None], places: list[int], weights: list[int]
) -> Counter[tuple[int | None, ...]]:
    columns = [None if spans is None else covering(spans, places) for spans in coders]
    found: Counter[tuple[int | None, ...]] = Counter()
    for number, weight in enumerate(weights):
        if weight:
            found[tuple(None if c is None else int(c[number]) for c in columns)] += weight
    return found


def _add(
    spans: dict[str, list[list[tuple[int, int]]]],
    codings: Counter[str],
    column: int,
    where: tuple[int, int],
    tags: list[str],
) -> None:
    for tag in tags:
        if tag in spans:
            spans[tag][column].append(where)
            codings[tag] += 1


def _character_agreement(
    name: str, people: list[str], patterns: Counter[tuple[int | None, ...]], codings: int
) -> TagAgreement:
    units = sum(patterns.values())
    carried = {
        person: sum(count for values, count in patterns.items() if values[column] == 1)
        for column, person in enumerate(people)
    }
    both = patterns[1, 1] if len(people) == 2 else None
    result = TagAgreement(name, units, carried, both, None, None)
    if len(people) < 2:
        result.note = "agreement needs two annotators"
    elif not units:
        result.note = "no character was coded by two annotators"
    elif codings < MIN_CARRIED:
        carry = "passage or segment carries" if codings == 1 else "passages or segments carry"
        result.note = f"too rare to judge: {codings} {carry} it, {MIN_CARRIED} needed"
    else:
        result.alpha = nominal_alpha(patterns)
        if result.alpha is None:
            result.note = "undefined: every character got the same answer"
    return result


def annotated_by(store: Store) -> list[str]:
    """Everyone who annotated, by name (not the store's own annotator, unless they did)."""
    return sorted({a.annotator for a in [*store.annotations(), *store.highlights()]} - {""})


def _anything(store: Store, document: str) -> list:
    return [*store.annotations(document), *store.highlights(document)]
