"""Changing tags from the sidebar's keys and the palette: rename (and merge), recolour,
delete, key, describe (the verbs of `tag_verbs.TAG_VERBS`); each one step of undo, shown
everywhere at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.app.actions.tag_verbs import tag_verb
from tui.app.screens.confirm import Confirm
from tui.app.screens.tag_editing import ChooseColour, ChooseKey, RenameTag
from tui.app.screens.tag_prompt import Named
from tui.store import StoreError, Tag, TagNameError
from tui.store.codebook import is_under
from tui.store.model import NoteError
from tui.text import counted, printable

if TYPE_CHECKING:
    from tui.app.actions.host import Host

NEEDS_A_TAG = "{path} is a level of the tree, not a tag: press t to create a tag of that name."


class TagChanges:
    """What the main screen does when a tag is to change: `change(verb, path)` asks what is
    needed, then calls the method named after the verb."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = host.store

    def change(self, verb_name: str, path: str) -> None:
        """Do the verb called `verb_name` to the tag (or level of the tree) `path`."""
        verb = tag_verb(verb_name)
        host = self.host
        if not host.writable():
            host.dialog_refused()  # each verb asks something first
            return
        tag = self.store.find_tag(path)
        under = [t for t in self.store.tags_under(path) if tag is None or t.name != tag.name]
        if tag is None and not under:
            host.notify(f"No tag is called {path}.", severity="warning")
            return
        if tag is None and not verb.on_levels:
            host.notify(NEEDS_A_TAG.format(path=printable(path)), severity="warning")
            return
        act: Callable[[str, Tag | None, list[Tag]], None] = getattr(self, verb.name)
        act(path, tag, under)

    # The verbs, each named as in TAG_VERBS

    def rename(self, path: str, tag: Tag | None, under: list[Tag]) -> None:
        self.host.ask(
            RenameTag(path, len(under), self.store.tags()), lambda new: self._rename(path, new)
        )

    def recolor(self, path: str, tag: Tag | None, under: list[Tag]) -> None:
        assert tag is not None
        name = tag.name
        self.host.ask(
            ChooseColour(name, tag.color),
            lambda color: (
                color and self._do(f"recolour {name}", lambda: self.store.recolor_tag(name, color))
            ),
        )

    def delete(self, path: str, tag: Tag | None, under: list[Tag]) -> None:
        store = self.store
        passages, segments = (
            sum(1 for a in found if any(is_under(t, path) for t in a.tags))
            for found in (store.annotations(), store.highlights())
        )
        what = path
        if under:  # a level without its own tag is only the tags under it
            count = counted(len(under), "tag")
            what = f"{path} and the {count} under it" if tag else f"the {count} under {path}"
        carriers = counted(passages, "passage")
        if segments:
            carriers += f" and {counted(segments, 'segment')}"
        question = f"Delete {what}? It comes off {carriers} (every annotator's). u undoes it."

        def answered(sure: bool | None) -> None:
            if sure:
                self._do(f"delete {path}", lambda: self.store.delete_tag(path))

        self.host.ask(Confirm(printable(question)), answered)

    def key(self, path: str, tag: Tag | None, under: list[Tag]) -> None:
        assert tag is not None
        self.host.ask(ChooseKey(tag.name, tag.key), lambda key: self._key(tag, key))

    def describe(self, path: str, tag: Tag | None, under: list[Tag]) -> None:
        assert tag is not None
        from tui.app.screens.note_editor import NoteEditor  # a TextArea: imported when used

        name = tag.name
        self.host.ask(
            NoteEditor(
                f"What {printable(path)} means (exported with the codebook)", tag.description
            ),
            lambda text: (
                text is not None
                and self._do(f"describe {name}", lambda: self.store.describe_tag(name, text))
            ),
        )

    # What the dialogs answer

    def _rename(self, path: str, choice: Named | None) -> None:
        if not choice:
            return
        new = choice.name
        try:
            merges = self.store.merges_for(path, new)
        except TagNameError as error:
            self.host.notify(str(error), severity="warning")
            return
        if not merges:
            label = f"rename {path} to {new}"
            renamed = self._do(label, lambda: self.store.rename_tag(path, new), follow=new)
            if renamed and choice.said:
                self.host.notify(printable(choice.said), title="Tags", markup=False)
            return
        into = ", ".join(merges)
        question = (
            f"{into} already exists: merge {path} into it? Every passage and segment tagged "
            f"{path} will carry {into} instead (u undoes it)."
        )

        def answered(sure: bool | None) -> None:
            if sure:
                label = f"merge {path} into {into}"
                self._do(label, lambda: self.store.rename_tag(path, new), follow=merges[0])

        self.host.ask(Confirm(printable(question)), answered)

    def _key(self, tag: Tag, key: int | None) -> None:
        if key is None:
            return
        self._do(
            f"key {key} for {tag.name}" if key else f"no key for {tag.name}",
            lambda: self.store.set_tag_key(tag.name, key or None),
        )

    def _do(self, label: str, change: Callable[[], object], follow: str = "") -> bool:
        """One step of undo, then the reader, the sidebar and the list as the store has them;
        the sidebar's cursor on `follow` (a tag's new name). False when nothing changed."""
        last = self.store.last_change
        try:
            with self.store.undoable(label):
                change()
        except (TagNameError, NoteError) as error:
            self.host.notify(str(error), severity="warning")
            return False
        except (OSError, StoreError) as error:
            self.host.write_failed(error)
            return False
        self.host.refresh_everything()
        if follow:
            self.host.highlight_tag(follow)
        if self.store.last_change is last:
            self.host.notify("Nothing changed.", title="Tags")
            return False
        self.host.notify(f"Done: {label} (u undoes it).", title="Tags")
        return True
