"""The undo log: what each undoable action changed, to undo it and redo it whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UNDO_DEPTH = 500
"""Steps of undo kept in a session (the issue asks for at least 100)."""


@dataclass
class Step:
    """One record as it was before a change and after it (None: absent)."""

    table: str
    document: str
    uuid: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def reversed(self) -> Step:
        """The step that takes this one back."""
        return Step(self.table, self.document, self.uuid, self.after, self.before)


@dataclass
class Change:
    """What one user action changed, to undo or redo it whole."""

    label: str
    steps: list[Step] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        """The documents it touched, in order."""
        found: list[str] = []
        for step in self.steps:
            record = step.after or step.before or {}
            if record.get("document") and record["document"] not in found:
                found.append(record["document"])
        return found

    def replayed(self, *, backwards: bool) -> list[Step]:
        """The steps that make the change again, or (backwards) take it back, in order."""
        if backwards:
            return [step.reversed() for step in reversed(self.steps)]
        return list(self.steps)


Replay = Callable[[list[Step]], None]
"""Makes steps happen in the store, all or none (raising when none did)."""


class UndoLog:
    """The changes of a session that can be undone, newest last, and those undone since."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self.depth = depth
        self._done: list[Change] = []
        self._undone: list[Change] = []
        self._recording: Change | None = None

    @property
    def recording(self) -> bool:
        """Whether an undoable action is under way (its changes are steps of one change)."""
        return self._recording is not None

    def begin(self, label: str) -> None:
        self._recording = Change(label)

    def record(
        self, table: str, before: dict[str, Any] | None, after: dict[str, Any] | None
    ) -> None:
        """One record changed during the action (copies of it, the log keeps them)."""
        assert self._recording is not None
        either = after or before or {}
        step = Step(table, either.get("document", ""), either.get("uuid", ""), before, after)
        self._recording.steps.append(step)

    def end(self) -> None:
        """The action is done: a change that changed something can be undone, and what was
        undone before it can no longer be redone."""
        change, self._recording = self._recording, None
        if change is not None and change.steps:
            self._done.append(change)
            del self._done[: -self.depth]
            self._undone.clear()

    def abandon(self) -> None:
        """The action failed: nothing of it happened, so nothing of it is kept."""
        self._recording = None

    @property
    def last(self) -> Change | None:
        """The change `undo` would take back (None: nothing to undo)."""
        return self._done[-1] if self._done else None

    def undo(self, replay: Replay) -> Change | None:
        """Take back the last change through `replay` (None: nothing to undo)."""
        return self._move(self._done, self._undone, replay, backwards=True)

    def redo(self, replay: Replay) -> Change | None:
        """Make again the last change undone (None: nothing to redo)."""
        return self._move(self._undone, self._done, replay, backwards=False)

    @staticmethod
    def _move(
        source: list[Change], target: list[Change], replay: Replay, *, backwards: bool
    ) -> Change | None:
        if not source:
            return None
        change = source[-1]
        replay(change.replayed(backwards=backwards))  # if it raises, the change stays put
        source.pop()
        target.append(change)
        return change
