"""Agreement between annotators, tag by tag, over the passages of the corpus.

Each passage is a unit; an annotator's value for a tag is 1 when their annotation of the
passage carries it, 0 when it does not. Only the documents an annotator annotated at all
count as coded by them: a passage of an article someone never opened is missing data, not a
"no". Cohen's kappa compares two annotators on the passages both coded; Krippendorff's alpha
(nominal, the `krippendorff` package) takes two or more and their missing data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.corpus import Corpus
from tui.store import Store

MIN_CARRIED = 5
"""A tag carried by fewer passages than this (by anyone) is too rare to judge."""


@dataclass
class TagAgreement:
    tag: str
    units: int
    """Passages coded by at least two of the annotators."""
    carried: dict[str, int]
    """How many of those passages each annotator gave the tag."""
    both: int | None
    """Passages both annotators gave the tag (two annotators only)."""
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

    def as_json(self) -> dict[str, Any]:
        return {
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


def krippendorff_alpha(rows: list[list[float | None]]) -> float | None:
    """Nominal Krippendorff's alpha of annotators' rows of values (None: not coded); None when
    undefined (fewer than two values to pair, or a single value throughout)."""
    import krippendorff
    import numpy

    data = numpy.array(
        [[numpy.nan if value is None else value for value in row] for row in rows], dtype=float
    )
    pairable = (~numpy.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    if values.size == 0 or len(set(values[~numpy.isnan(values)].tolist())) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def measure(
    corpus: Corpus,
    store: Store,
    annotators: list[str] | None = None,
    tags: list[str] | None = None,
) -> Agreement:
    """Per tag agreement between `annotators` (default: everyone who annotated)."""
    people = annotators or annotated_by(store)
    coded: dict[str, dict[str, dict[int, list[str]]]] = {person: {} for person in people}
    for document in corpus:
        if not any(a.document == document.id for a in _anything(store, document.id)):
            continue
        passages = document.passages
        if store.needs_anchoring(document):
            store.anchor(document, passages)
        for person in people:
            made = [a for a in _anything(store, document.id) if a.annotator == person]
            if not any(not a.is_orphan for a in made):
                continue  # this person did not code this document
            on = store.annotations_on(document, passages, annotator=person)
            coded[person][document.id] = {index: a.tags for index, a in on.items()}
    sizes = {document.id: len(document.passages) for document in corpus}
    shared = [
        doc_id for doc_id in sizes if sum(1 for person in people if doc_id in coded[person]) >= 2
    ]
    units = [(doc_id, index) for doc_id in shared for index in range(sizes[doc_id])]
    report = Agreement(people, len(shared), len(units))
    names = tags or sorted(
        {
            tag
            for person in people
            for doc in coded[person].values()
            for ts in doc.values()
            for tag in ts
        },
        key=str.casefold,
    )
    for name in names:
        report.tags.append(_tag_agreement(name, people, coded, units))
    return report


def _tag_agreement(
    name: str,
    people: list[str],
    coded: dict[str, dict[str, dict[int, list[str]]]],
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


def annotated_by(store: Store) -> list[str]:
    """Everyone who annotated, by name (not the store's own annotator, unless they did)."""
    return sorted({a.annotator for a in [*store.annotations(), *store.highlights()]} - {""})


def _anything(store: Store, document: str) -> list:
    return [*store.annotations(document), *store.highlights(document)]
