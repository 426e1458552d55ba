"""The team's codebook: each annotator's log of changes, replayed together in time order.

Only names, levels (a name's `/`) and descriptions are shared; colours and keys stay each
coder's own. A coder's changes are found by comparing the store's tags with those it had
after the last sync; a renamed tag is told by its creation time, which a rename keeps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.store.codebook import SEPARATOR, levels
from tui.sync.files import Entry, event_order

Codebook = dict[str, dict[str, str]]
"""Tags by name: their `created` time and `description`, as a sync remembers them."""


def event_id(annotator: str, base: str, *parts: str) -> str:
    """An event's id, the same each time the same change is found from the same last sync:
    a sync killed after writing it and run again writes no second one."""
    text = "\x00".join((annotator, base, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def changes(before: Codebook, now: Codebook, annotator: str, base: str, at: str) -> list[Entry]:
    """The events that turn `before` into `now`: this coder's own changes since the last sync."""
    gone = {name: tag for name, tag in before.items() if name not in now}
    new = {name: tag for name, tag in now.items() if name not in before}
    renamed: dict[str, str] = {}
    by_created: dict[str, list[str]] = {}
    for name, tag in new.items():
        by_created.setdefault(tag["created"], []).append(name)
    gone_created: dict[str, list[str]] = {}
    for name, tag in gone.items():
        gone_created.setdefault(tag["created"], []).append(name)
    for created, names in gone_created.items():
        successors = by_created.get(created, [])
        if created and len(names) == 1 and len(successors) == 1:
            renamed[names[0]] = successors[0]
    events: list[Entry] = []

    def add(op: str, tag: str, **more: str) -> None:
        parts = [op, tag, *(f"{k}={v}" for k, v in sorted(more.items()))]
        event = {"at": at, "by": annotator, "id": event_id(annotator, base, *parts), "op": op}
        events.append({**event, "tag": tag, **more})

    # Parents before children: a level renamed first carries the tags under it along.
    for old in sorted(renamed, key=lambda name: (len(levels(name)), name)):
        target = renamed[old]
        op = "moved" if levels(old)[-1] == levels(target)[-1] else "renamed"
        add(op, old, to=target)
        if now[target]["description"] != before[old]["description"]:
            add("described", target, description=now[target]["description"])
    for name in sorted(new):
        if name not in renamed.values():
            add("created", name, description=now[name]["description"])
    for name in sorted(gone):
        if name not in renamed:
            add("deleted", name)
    for name in sorted(set(before) & set(now)):
        if now[name]["description"] != before[name]["description"]:
            add("described", name, description=now[name]["description"])
    return events


def merges(
    events: list[Entry],
    base: Mapping[str, Entry],
    mine: Mapping[str, Entry],
    tags: Codebook,
    base_commit: str,
) -> list[Entry]:
    """`events` with each tag gone that was renamed into another tag (merged with it) said
    so: the annotations that carried it at the last sync (`base`) all carry that tag now
    (`mine`). Sent as a deletion, it would take the tag off the others' annotations."""
    found = []
    for event in events:
        if event["op"] != "deleted":
            found.append(event)
            continue
        gone = str(event["tag"])
        carried = [
            uuid
            for uuid, entry in base.items()
            if "deleted" not in entry and gone in entry.get("tags", ()) and uuid in mine
        ]
        common = set(tags)
        for uuid in carried:
            common &= set(mine[uuid].get("tags", ()))
        gained = {
            name
            for name in common
            if any(name not in base[uuid].get("tags", ()) for uuid in carried)
        }
        if not carried or len(gained) != 1:
            found.append(event)
            continue
        (target,) = gained
        op = "moved" if levels(gone)[-1] == levels(target)[-1] else "renamed"
        who = str(event["by"])
        merged_id = event_id(who, base_commit, op, gone, f"to={target}")
        found.append({**event, "id": merged_id, "op": op, "to": target})
    return found


def without(now: Codebook, made: list[Entry], before: Codebook) -> Codebook:
    """`now` as it would be without the changes `made` to `before`: what a sync remembers
    when the coder changed the codebook while it ran, so that the next sync sends them."""
    kept = {name: dict(tag) for name, tag in now.items()}
    for event in made:
        tag = str(event["tag"])
        if event["op"] == "created":
            kept.pop(tag, None)
        elif event["op"] in ("renamed", "moved"):
            kept.pop(str(event["to"]), None)
            kept[tag] = dict(before[tag])
        elif event["op"] == "deleted":
            kept[tag] = dict(before[tag])
        elif event["op"] == "described" and tag in before and tag in kept:
            kept[tag]["description"] = before[tag]["description"]
    return kept


@dataclass
class TeamCodebook:
    """The codebook all logs replayed make: its tags and descriptions, and where the names
    that are gone went (renamed) or that they were deleted."""

    tags: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)

    def current(self, name: str) -> str | None:
        """The name a tag carried by an annotation is called now (None: deleted)."""
        seen = set()
        while name not in self.tags and name in self.renamed and name not in seen:
            seen.add(name)
            name = self.renamed[name]
        if name not in self.tags and name in self.deleted:
            return None
        return name


def replay(events: Iterable[Mapping[str, Any]]) -> TeamCodebook:
    """The team's codebook: every event of every log, in time order."""
    book = TeamCodebook()
    for event in sorted(events, key=event_order):
        apply(book, event)
    return book


def apply(book: TeamCodebook, event: Mapping[str, Any]) -> None:
    op, tag = event["op"], str(event.get("tag", ""))
    if op == "created":
        book.tags[tag] = book.tags.get(tag) or str(event.get("description", ""))
        book.deleted.discard(tag)
    elif op in ("renamed", "moved"):
        target = str(event.get("to", ""))
        if tag in book.tags and target:
            description = book.tags.pop(tag)
            book.tags[target] = book.tags.get(target) or description
            book.renamed[tag] = target
            book.deleted.discard(target)
    elif op == "described":
        book.tags[tag] = str(event.get("description", ""))
    elif op == "deleted" and tag in book.tags:
        del book.tags[tag]
        book.deleted.add(tag)


def sentence(event: Mapping[str, Any]) -> str:
    """What a change to the codebook was and who made it: `alice renamed "x" to "y"`."""
    who, tag = event.get("by", "someone"), event.get("tag", "")
    op = event["op"]
    if op in ("renamed", "moved"):
        target = event.get("to", "")
        if op == "moved":
            parent = SEPARATOR.join(levels(target)[:-1])
            where = f'under "{parent}"' if parent else "to the top level"
            return f'{who} moved "{tag}" {where}'
        return f'{who} renamed "{tag}" to "{target}"'
    if op == "described":
        return f'{who} described "{tag}"'
    return f'{who} {op} "{tag}"'
