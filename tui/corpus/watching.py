"""What changed in a corpus's folder while the reader runs: files added, removed or renamed,
found by comparing two listings; and the folders' stamps that tell, without walking the
folder again, that nothing did."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Identity = tuple[int, int, int]
"""A file's inode, size and modification time: what a rename (`mv`) keeps."""

FolderStamp = tuple[int, int, int]
"""A folder's modification time, change time and inode: a file added to it, removed from it
or renamed in it changes them."""

RACY_NS = 2_000_000_000
"""A folder changed this close to being walked may change again within the same tick of a
coarse clock, unseen: it is walked once more."""


def folder_stamp(status: os.stat_result) -> FolderStamp:
    return status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def identity_of(stamp: tuple[int, ...] | None) -> Identity | None:
    """The identity in a document's stamp (size, modification time, change time, inode)."""
    if stamp is None:
        return None
    size, mtime_ns, _, inode = stamp
    return inode, size, mtime_ns


@dataclass
class Folders:
    """The stamp of each folder a walk went through, and when it started."""

    stamps: dict[str, FolderStamp] = field(default_factory=dict)
    walked_at: int = 0
    """`time.time_ns()` when the walk began."""

    @property
    def racy(self) -> bool:
        """Whether a folder changed so close to the walk that a change may hide in its stamp."""
        return any(mtime >= self.walked_at - RACY_NS for mtime, _, _ in self.stamps.values())

    def changed(self) -> bool:
        """Whether any folder changed (or went) since it was walked: one `stat` a folder, so
        a corpus of ten thousand files in a few folders is checked in a blink."""
        if self.racy:
            return True
        for path, stamp in self.stamps.items():
            try:
                now = folder_stamp(os.stat(path))
            except OSError:
                return True
            if now != stamp:
                return True
        return False


@dataclass
class ListingChanges:
    """The files added to and removed from a corpus between two listings, by relative name,
    in path order; a file renamed (the same inode, size and time) is in `renamed` only."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(former name, new name), in the new names' order."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed)


def listing_changes(
    before: Mapping[str, Identity | None],
    after: Iterable[str],
    identity: Callable[[str], Identity | None],
) -> ListingChanges:
    """What changed from the listing `before` (each name with its file's identity, None if
    unknown) to the names `after`; `identity` gives a new file's (None when it cannot be seen),
    asked only of the names that are new."""
    now = set(after)
    gone = sorted(name for name in before if name not in now)
    new = sorted(name for name in now if name not in before)
    by_identity: dict[Identity, str] = {}
    for name in gone:
        known = before[name]
        if known is not None:
            by_identity.setdefault(known, name)
    changes = ListingChanges()
    moved: set[str] = set()
    for name in new:
        found = identity(name) if by_identity else None
        former = by_identity.pop(found, None) if found is not None else None
        if former is None:
            changes.added.append(name)
        else:
            changes.renamed.append((former, name))
            moved.add(former)
    changes.removed = [name for name in gone if name not in moved]
    return changes


def changes_notices(
    added: list[str], removed: list[str], renamed: list[tuple[str, str]]
) -> list[str]:
    """One short sentence for each kind of change to the corpus the reader sees: a name when
    one file changed, a count when many did (a sync may bring hundreds)."""
    notices = []
    if len(added) == 1:
        notices.append(f"New article: {added[0]}")
    elif added:
        notices.append(f"{len(added):,} new articles")
    if len(removed) == 1:
        notices.append(f"Article gone from the corpus: {removed[0]}")
    elif removed:
        notices.append(f"{len(removed):,} articles gone from the corpus")
    if len(renamed) == 1:
        notices.append(f"Article renamed: {renamed[0][0]} is now {renamed[0][1]}")
    elif renamed:
        notices.append(f"{len(renamed):,} articles renamed")
    return notices
