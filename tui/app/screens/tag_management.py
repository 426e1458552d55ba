"""Changing tags from the sidebar's keys and the palette: rename (and merge), recolour,
delete, key, describe; each one step of undo, shown everywhere at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.app.screens.confirm import Confirm
from tui.app.screens.tag_editing import ChooseColour, ChooseKey, RenameTag
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.store import StoreError, Tag, TagNameError
from tui.store.codebook import is_under
from tui.store.model import NoteError
from tui.text import counted, printable

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen

NEEDS_A_TAG = "{path} is a level of the tree, not a tag: press t to create a tag of that name."


class TagManagement:
    """What the main screen does when a tag is to change (`manage_tag`)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.store = screen.store

    def manage_tag(self, what: str, path: str) -> None:
        """Ask what is needed, then `what` ("rename", "recolor", "delete", "key",
        "describe") on the tag (or level of the tree) `path`."""
        screen = self.screen
        if not screen.can_change_tags():
            return
        tag = self.store.find_tag(path)
        under = [t for t in self.store.tags_under(path) if tag is None or t.name != tag.name]
        if tag is None and not under:
            screen.notify(f"No tag is called {path}.", severity="warning")
            return
        shown = printable(path)
        if what == "rename":
            screen.app.push_screen(RenameTag(path, len(under)), lambda new: self._rename(path, new))
        elif what == "delete":
            self._delete(path, len(under), own=tag is not None)
        elif tag is None:
            screen.notify(NEEDS_A_TAG.format(path=shown), severity="warning")
        elif what == "recolor":
            name = tag.name
            screen.app.push_screen(
                ChooseColour(name, tag.color),
                lambda color: (
                    color
                    and self._do(f"recolour {name}", lambda: self.store.recolor_tag(name, color))
                ),
            )
        elif what == "key":
            screen.app.push_screen(ChooseKey(tag.name, tag.key), lambda key: self._key(tag, key))
        elif what == "describe":
            from tui.app.screens.note_editor import NoteEditor  # a TextArea: 8 ms at start

            name = tag.name
            screen.app.push_screen(
                NoteEditor(f"What {shown} means (exported with the codebook)", tag.description),
                lambda text: (
                    text is not None
                    and self._do(f"describe {name}", lambda: self.store.describe_tag(name, text))
                ),
            )

    def _rename(self, path: str, new: str | None) -> None:
        if not new:
            return
        try:
            merges = self.store.merges_for(path, new)
        except TagNameError as error:
            self.screen.notify(str(error), severity="warning")
            return
        if not merges:
            label = f"rename {path} to {new}"
            self._do(label, lambda: self.store.rename_tag(path, new), follow=new)
            return
        into = ", ".join(merges)
        question = (
            f"{into} already exists: merge {path} into it? Every passage tagged {path} will "
            f"carry {into} instead (u undoes it)."
        )

        def answered(sure: bool | None) -> None:
            if sure:
                label = f"merge {path} into {into}"
                self._do(label, lambda: self.store.rename_tag(path, new), follow=merges[0])

        self.screen.app.push_screen(Confirm(printable(question)), answered)

    def _delete(self, path: str, under: int, *, own: bool) -> None:
        passages = sum(
            1 for a in self.store.annotations() if any(is_under(t, path) for t in a.tags)
        )
        what = path
        if under:  # a level without its own tag is only the tags under it
            what = (
                f"{path} and the {counted(under, 'tag')} under it"
                if own
                else (f"the {counted(under, 'tag')} under {path}")
            )
        question = (
            f"Delete {what}? It comes off {counted(passages, 'passage')} "
            f"(every annotator's). u undoes it."
        )

        def answered(sure: bool | None) -> None:
            if sure:
                self._do(f"delete {path}", lambda: self.store.delete_tag(path))

        self.screen.app.push_screen(Confirm(printable(question)), answered)

    def _key(self, tag: Tag, key: int | None) -> None:
        if key is None:
            return
        self._do(
            f"key {key} for {tag.name}" if key else f"no key for {tag.name}",
            lambda: self.store.set_tag_key(tag.name, key or None),
        )

    def _do(self, label: str, change: Callable[[], object], follow: str = "") -> None:
        """One step of undo, then the reader, the sidebar and the list as the store has them;
        the sidebar's cursor on `follow` (a tag's new name)."""
        last = self.store.last_change
        try:
            with self.store.undoable(label):
                change()
        except (TagNameError, NoteError) as error:
            self.screen.notify(str(error), severity="warning")
            return
        except (OSError, StoreError) as error:
            self.screen.write_failed(error)
            return
        self.screen.refresh_everything()
        if follow:
            self.screen.query_one(TagSidebar).highlight_tag(follow)
        if self.store.last_change is last:
            self.screen.notify("Nothing changed.", title="Tags")
        else:
            self.screen.notify(f"Done: {label} (u undoes it).", title="Tags")
