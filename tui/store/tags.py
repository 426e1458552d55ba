"""The store's tags, one per name: found, created, renamed or merged, recoloured, deleted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from tui.store.codebook import SEPARATOR, is_under, levels, path_of
from tui.store.model import (
    TAG_COLOR_PATTERN,
    TAG_COLORS,
    TAG_KEYS,
    Tag,
    TagNameError,
    clean_description,
    clean_tag_name,
    now,
)
from tui.store.records import unique
from tui.store.schema import ANNOTATION_TABLES
from tui.store.tables import Tables


class Tags:
    """The tag records of a store's tables. A change to a tag reaches every passage that
    carries it (every annotator's, orphans too), as one action."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def all(self) -> list[Tag]:
        """Every tag: those with keys 1-9 in key order, then the rest by name."""
        tags = [Tag.from_record(record) for record in self._tables.of("tags").values()]
        return sorted(tags, key=lambda tag: (tag.key is None, tag.key or 0, tag.name.casefold()))

    def find(self, name: str) -> Tag | None:
        """The tag called `name`, or differing from it only in case."""
        name = name.strip()
        tag_ids = self._tables.index.tag_ids
        if name in tag_ids:
            return Tag.from_record(self._tables.of("tags")[tag_ids[name]])
        # Levels compared as paths: a name stored as "a / b" (before levels) is "a/b" typed.
        folded = path_of(name).casefold()
        for tag in self.all():
            if path_of(tag.name).casefold() == folded:
                return tag
        return None

    def for_key(self, key: int) -> Tag | None:
        return next((tag for tag in self.all() if tag.key == key), None)

    def under(self, path: str) -> list[Tag]:
        """The tag called `path` (case ignored) and every tag below it in the tree."""
        return [tag for tag in self.all() if is_under(tag.name, path)]

    def create(
        self,
        name: str,
        *,
        color: str | None = None,
        key: int | None = None,
        description: str = "",
        created: str | None = None,
        shared_color: bool = False,
    ) -> Tag:
        """A new tag (TagNameError if the name is invalid); an existing one of that name.

        It gets `key` and `color` when they are free and valid, else the next free key and
        the least used colour; with `shared_color`, a valid colour even if another tag has it.
        """
        name = clean_tag_name(name)
        existing = self.find(name)
        if existing is not None:
            return existing
        tags = self.all()
        used_keys = {tag.key for tag in tags}
        if key not in TAG_KEYS or key in used_keys:
            key = next((k for k in TAG_KEYS if k not in used_keys), None)
        used_colors = Counter(tag.color.lower() for tag in tags)
        taken = color is not None and color.lower() in used_colors and not shared_color
        if color is None or not TAG_COLOR_PATTERN.fullmatch(color) or taken:
            color = min(TAG_COLORS, key=lambda c: (used_colors[c], TAG_COLORS.index(c)))
        tag = Tag(name, color.lower(), key, description=clean_description(description))
        if created:
            tag.created = created
        self._tables.put("tags", None, tag.to_record())
        return tag

    def united(self, tag: Tag) -> Tag:
        """The store's tag of that name (case ignored), created like `tag` if there is none.

        A file's codebook never changes the store's: an existing tag keeps its colour, key and
        description (taking the file's description only when it has none). A new one takes
        the file's colour (two tags may share one, as in the file) and its key if free."""
        existing = self.find(tag.name)
        if existing is not None:
            if tag.description and not existing.description:
                existing.description = tag.description
                self._put(existing)
            return existing
        return self.create(
            tag.name,
            color=tag.color or None,
            key=tag.key,
            description=tag.description,
            created=tag.created,
            shared_color=True,
        )

    def merges_for(self, path: str, new_name: str) -> list[str]:
        """The existing tags that renaming `path` to `new_name` would merge others into."""
        renames = self._renames(path, clean_tag_name(new_name))
        merged = []
        for new in renames.values():
            existing = self._staying(new, renames)
            if existing is not None and existing.name not in merged:
                merged.append(existing.name)
        return merged

    def rename(self, path: str, new_name: str) -> dict[str, str]:
        """Rename tag `path` and the tags under it everywhere; a new name that is already a
        tag's merges into that tag (which keeps its colour). Returns old name -> new name.
        TagNameError says why a name cannot be used."""
        renames = self._renames(path, clean_tag_name(new_name))
        records, tag_ids = self._tables.of("tags"), self._tables.index.tag_ids
        moving = {old: Tag.from_record(records[tag_ids[old]]) for old in renames}
        staying = {old: self._staying(new, renames) for old, new in renames.items()}
        with self._tables.action():
            # Every moving tag leaves first, so that none is merged into one about to move.
            for old in renames:
                self._tables.put("tags", tag_ids[old], None)
            for old, new in renames.items():
                tag, existing = moving[old], staying[old] or self.find(new)
                if existing is None:
                    tag.name = new
                    self._tables.put("tags", None, tag.to_record())
                    continue
                renames[old] = existing.name
                # The tag merged into keeps what it has, and takes a key or description it lacks.
                if existing.key is None and tag.key is not None and not self.for_key(tag.key):
                    existing.key = tag.key
                existing.description = existing.description or tag.description
                self._put(existing)
            self._retag(lambda tags: [renames.get(tag, tag) for tag in tags])
        return renames

    def delete(self, path: str) -> int:
        """Delete tag `path` and the tags under it, taking them off every passage and segment
        (one left with nothing on it goes). Returns how many carried them."""
        gone = {tag.name for tag in self.under(path)}
        if not gone:
            raise TagNameError(f"No tag is called {path}.")
        with self._tables.action():
            for name in gone:
                self._tables.put("tags", self._tables.index.tag_ids[name], None)
            # Names under it that no tag record holds (an import's, say) go with them.
            return self._retag(lambda tags: [tag for tag in tags if not is_under(tag, path)])

    def recolor(self, name: str, color: str) -> None:
        if not TAG_COLOR_PATTERN.fullmatch(color):
            raise ValueError(f"not a colour: {color}")
        self._change(name, color=color.lower())

    def describe(self, name: str, description: str) -> None:
        """Set what a tag means (NoteError when the description cannot be kept)."""
        self._change(name, description=clean_description(description))

    def set_key(self, name: str, key: int | None) -> None:
        """Give a tag key 1-9 (None: no key); a tag that had that key gets this one's."""
        if key is not None and key not in TAG_KEYS:
            raise ValueError(f"a tag key is 1-9, not {key}")
        tag = self._named(name)
        holder = self.for_key(key) if key is not None else None
        with self._tables.action():
            if holder is not None and holder.name != tag.name:
                self._change(holder.name, key=tag.key)
            self._change(tag.name, key=key)

    def _staying(self, name: str, renames: dict[str, str]) -> Tag | None:
        """The tag called `name` that a rename leaves where it is (the moving ones are not)."""
        folded = path_of(name).casefold()
        for tag in self.all():
            if tag.name not in renames and path_of(tag.name).casefold() == folded:
                return tag
        return None

    def _renames(self, path: str, new_name: str) -> dict[str, str]:
        moving = self.under(path)
        if not moving:
            raise TagNameError(f"No tag is called {path}.")
        base, new_base = levels(path), path_of(new_name)
        if new_base.casefold() != path_of(path).casefold() and is_under(new_base, path):
            raise TagNameError("A tag cannot be moved under itself.")
        renames = {}
        for tag in moving:
            below = levels(tag.name)[len(base) :]  # by levels: casefolding may change lengths
            renamed = SEPARATOR.join([new_base, *below])
            renames[tag.name] = clean_tag_name(renamed)  # too long under the new name: refused
        return renames

    def _retag(self, change: Callable[[list[str]], list[str]]) -> int:
        """Apply `change` to the tags of every passage and coded segment (one left with
        nothing on it goes); returns how many changed."""
        changed = 0
        for table in ANNOTATION_TABLES:
            for doc_id, record in list(self._tables.of(table).items()):
                tags = record.get("tags", [])
                new = unique(change(tags))
                if new == tags:
                    continue
                changed += 1
                if new or record.get("highlighted") or record.get("note"):
                    self._tables.put(table, doc_id, {**record, "tags": new, "updated": now()})
                else:
                    self._tables.put(table, doc_id, None)
        return changed

    def _named(self, name: str) -> Tag:
        tag = self.find(name)
        if tag is None:
            raise TagNameError(f"No tag is called {name}.")
        return tag

    def _change(self, name: str, **changes: Any) -> None:
        tag = self._named(name)
        record = {**tag.to_record(), **changes}
        if record != tag.to_record():
            self._tables.put("tags", self._tables.index.tag_ids[tag.name], record)

    def _put(self, tag: Tag) -> None:
        """Store a changed tag over its record."""
        self._tables.put("tags", self._tables.index.tag_ids[tag.name], tag.to_record())
