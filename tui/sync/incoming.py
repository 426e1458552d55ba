"""What a sync brings in: the team's records made from the lines of the shared files (no
store needed, so a reader makes them in a worker thread), then put into the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.store import Store
from tui.store.index import passage_key
from tui.store.model import Highlight, PassageAnnotation, now
from tui.store.records import merged
from tui.sync import codebook
from tui.sync.files import KINDS, Entry, is_tombstone


@dataclass(frozen=True)
class Arrived:
    """An annotator's file changed since the last sync: this annotator's entries, merged
    with the store's records, or another's records, which replace the store's."""

    annotator: str
    entries: dict[str, Entry]
    wanted: dict[str, tuple[str, dict[str, Any]]] | None


@dataclass(frozen=True)
class Brought:
    """What a sync read to bring into the store."""

    head: str
    events: list[Entry]
    book: codebook.TeamCodebook
    unapplied: list[tuple[Entry, str]]
    digests: dict[str, str]
    names: set[str]
    arrived: list[Arrived]


def to_entry(record: dict[str, Any], kind: str, prefix: str) -> Entry:
    """A store record as a line of its annotator's file: where it is, by repository path."""
    entry = {k: v for k, v in record.items() if k != "annotator"}
    entry["kind"] = kind
    entry["document"] = to_repository(record["document"], prefix)
    return entry


def to_repository(document: str, prefix: str) -> str:
    """A document's id as its path in the repository, the corpus being in folder `prefix`."""
    folders = prefix.split("/") if prefix else []
    while folders and document.startswith("../"):
        folders.pop()
        document = document[3:]
    return "/".join([*folders, document])


def from_repository(path: str, prefix: str) -> str:
    """A repository path as an id of the corpus in folder `prefix` (`..` where it is not)."""
    folders, parts = prefix.split("/"), path.split("/")
    common = 0
    while common < min(len(folders), len(parts) - 1) and parts[common] == folders[common]:
        common += 1
    return "/".join([".."] * (len(folders) - common) + parts[common:])


def from_entry(
    entry: Entry, annotator: str, prefix: str, book: codebook.TeamCodebook
) -> dict[str, Any] | None:
    """The store record a line holds, its tags as the team's codebook names them now (None:
    nothing is left on it, or it is not a record glose can keep)."""
    record = {k: v for k, v in entry.items() if k != "kind"}
    document = str(record.get("document", ""))
    if prefix:
        document = from_repository(document, prefix)
    record["document"], record["annotator"] = document, annotator
    kind = PassageAnnotation if entry["kind"] == "passage" else Highlight
    try:
        annotation = kind.from_record(record)
    except (ValueError, TypeError):
        return None
    tags = [book.current(tag) for tag in annotation.tags]
    annotation.tags = list(dict.fromkeys(tag for tag in tags if tag))
    if annotation.is_empty:
        return None
    return annotation.to_record()


def everyones(
    store: Store, annotators: set[str]
) -> dict[str, dict[str, tuple[str, str, dict[str, Any]]]]:
    """The records of each of `annotators` in the store by UUID: (table, id, record)."""
    found: dict[str, dict[str, tuple[str, str, dict[str, Any]]]] = {
        annotator: {} for annotator in annotators
    }
    if not annotators:
        return found
    for table in KINDS.values():
        for doc_id, record in store.records(table).items():
            whose = found.get(record.get("annotator", ""))
            if whose is not None:
                whose[record.get("uuid", "")] = (table, doc_id, record)
    return found


def placed_keys(store: Store, annotator: str) -> dict[tuple, str]:
    """Where an annotator's placed passage annotations are: their passage key, their id."""
    return {
        passage_key(record): doc_id
        for doc_id, record in store.records("passages").items()
        if record.get("annotator") == annotator and record.get("status") != "orphan"
    }


def place(
    store: Store,
    table: str,
    record: dict[str, Any],
    have: tuple[str, str, dict[str, Any]] | None,
    keys: dict[tuple, str],
) -> None:
    """Put a record in the store over the one it was (`have`); a passage annotation on a
    passage its annotator already annotated is merged into that one."""
    if have is not None:
        if have[0] == "passages":
            keys.pop(passage_key(have[2]), None)
        if have[0] != table:
            store.put_record(have[0], have[1], None)
            have = None
    target = have[1] if have is not None else None
    if table == "passages" and record.get("status") != "orphan":
        key = passage_key(record)
        twin = keys.get(key)
        if twin is not None and twin != target:
            if target is not None:
                store.put_record(table, target, None)
            there = store.records(table)[twin]
            new = merged(table, there, record)
            # Both machines keep the same one of the two, so that both drop the same other.
            new["uuid"] = min(there["uuid"], record["uuid"])
            if new != there:
                new["updated"] = now()
                store.put_record(table, twin, new)
            return
        keys[key] = store.put_record(table, target, record)
        return
    store.put_record(table, target, record)


def replayed(
    events: list[Entry], applied: set[str]
) -> tuple[codebook.TeamCodebook, list[tuple[Entry, str]]]:
    """The team's codebook replayed, and the changes the store has not had made to it, in
    order, each with the name its tag had just before it."""
    book = codebook.TeamCodebook()
    unapplied: list[tuple[Entry, str]] = []
    seen = set(applied)
    for event in sorted(events, key=codebook.event_order):
        source = book.current(str(event.get("tag", ""))) or str(event.get("tag", ""))
        codebook.apply(book, event)
        if event["id"] not in seen:
            seen.add(event["id"])
            unapplied.append((event, source))
    return book, unapplied


def wanted_records(
    entries: dict[str, Entry], annotator: str, book: codebook.TeamCodebook, prefix: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Another annotator's records as their file has them, by UUID: (table, record)."""
    wanted: dict[str, tuple[str, dict[str, Any]]] = {}
    places: dict[tuple, str] = {}
    for uuid, entry in sorted(entries.items()):
        if is_tombstone(entry):
            continue
        record = from_entry(entry, annotator, prefix, book)
        if record is None:
            continue
        table = KINDS[entry["kind"]]
        if table == "passages" and record.get("status") != "orphan":
            twin = places.get(passage_key(record))
            if twin is not None:  # two machines of theirs, not yet merged: one annotation
                wanted[twin] = (table, merged(table, wanted[twin][1], record))
                continue
            places[passage_key(record)] = uuid
        wanted[uuid] = (table, record)
    return wanted


def theirs_in(
    store: Store,
    wanted: dict[str, tuple[str, dict[str, Any]]],
    held: dict[str, tuple[str, str, dict[str, Any]]],
) -> int:
    """Another annotator's records (`wanted`) in place of what the store held of them
    (`held`). How many came in or changed."""
    changed = 0
    for uuid, (table, doc_id, _) in list(held.items()):
        if uuid not in wanted or wanted[uuid][0] != table:
            store.put_record(table, doc_id, None)
            del held[uuid]
    for uuid, (table, record) in wanted.items():
        have = held.get(uuid)
        if have is not None and have[2] == record:
            continue
        store.put_record(table, have[1] if have is not None else None, record)
        # A record this store changed since (a rename of the codebook's) is not news.
        if have is None or record.get("updated", "") > have[2].get("updated", ""):
            changed += 1
    return changed


def apply_to_store(store: Store, event: Entry, source: str) -> bool:
    """Make one change of another coder's (or of this coder on another machine) to the
    store's codebook; False when the store had it already."""
    op, tag = event["op"], str(event.get("tag", ""))
    description = str(event.get("description", ""))
    if op == "created":
        if store.find_tag(tag) is not None:
            return False
        store.create_tag(tag, description=description)
        return True
    if op in ("renamed", "moved"):
        held = store.find_tag(source) or store.find_tag(tag)
        target = str(event.get("to", ""))
        if held is None or held.name == target:
            return False
        store.rename_tag(held.name, target)
        return True
    if op == "described":
        found = store.find_tag(source) or store.find_tag(tag)
        if found is None:
            store.create_tag(tag, description=description)
            return True
        if found.description == description:
            return False
        store.describe_tag(found.name, description)
        return True
    if op == "deleted":
        found = store.find_tag(source) or store.find_tag(tag)
        if found is None:
            return False
        store.delete_tag(found.name)
        return True
    return False
