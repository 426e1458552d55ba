"""`S` syncs with the team's repository: the screen's side of it (the switchboard), driven
with keys over a test double of tui.sync's API, which tests/sync tests for real."""

from __future__ import annotations

import sys
import threading
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import press, quiet, recording
from tui.app.app import GloseApp
from tui.app.screens.help import HelpScreen
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.corpus import Corpus, Document
from tui.store import Store
from tui.store.model import PassageAnnotation

SIZE = (120, 40)


class SyncError(Exception):
    """The double of tui.sync.SyncError."""


@dataclass(frozen=True)
class SyncReport:
    """The double of tui.sync.SyncReport."""

    finished: datetime
    new_annotations: int
    annotators: tuple[str, ...] = ()
    pushed: bool = True

    def sentence(self) -> str:
        return f"Synced: {self.new_annotations} new annotations."


@dataclass
class Script:
    """What the double's start, exchange and bring_in do, and what they were given."""

    incoming: list[PassageAnnotation] = field(default_factory=list)
    """Annotations bring_in writes into the store, as an import does."""
    documents: dict[str, Document] = field(default_factory=dict)
    """The corpus's documents, by id, on which they are anchored."""
    new_annotations: int = 0
    finished: datetime = field(default_factory=lambda: datetime.now(UTC))
    start_fails: str | None = None
    exchange_fails: str | None = None
    bring_in_fails: str | None = None
    gate: threading.Event | None = None
    """exchange waits for it, when given: the sync stays under way until the test says."""
    last: SyncReport | None = None
    last_fails: str | None = None
    started: list[tuple[Store, Path]] = field(default_factory=list)
    brought_in: int = 0
    steps: list[tuple[str, bool]] = field(default_factory=list)
    """Each step the double took, and whether on the thread the app runs on."""


@pytest.fixture
def script(monkeypatch) -> Script:
    """tui.sync replaced by a double of its API that follows the script."""
    plan = Script()

    class Sync:
        @classmethod
        def start(cls, store: Store, corpus_root: Path, repo: Path | None = None) -> Sync:
            if plan.start_fails:
                raise SyncError(plan.start_fails)
            plan.started.append((store, corpus_root))
            return cls()

        def exchange(self) -> None:
            plan.steps.append(("exchange", threading.current_thread() is threading.main_thread()))
            if plan.gate is not None:
                assert plan.gate.wait(timeout=30), "the test never let the exchange end"
            if plan.exchange_fails:
                raise SyncError(plan.exchange_fails)

        def read_in(self) -> None:
            plan.steps.append(("read_in", threading.current_thread() is threading.main_thread()))

        def bring_in(self, store: Store) -> SyncReport:
            plan.steps.append(("bring_in", threading.current_thread() is threading.main_thread()))
            if plan.bring_in_fails:
                raise SyncError(plan.bring_in_fails)
            store.import_annotations(plan.incoming, plan.documents)
            plan.brought_in += 1
            return SyncReport(plan.finished, plan.new_annotations)

    module = types.ModuleType("tui.sync")
    module.Sync, module.SyncError, module.SyncReport = Sync, SyncError, SyncReport

    def last_sync(store: Store) -> SyncReport | None:
        if plan.last_fails:
            raise SyncError(plan.last_fails)
        return plan.last

    module.last_sync = last_sync
    monkeypatch.setitem(sys.modules, "tui.sync", module)
    return plan


def coming(script: Script, app, tmp_path: Path, annotator: str, tag: str) -> None:
    """What the next sync brings in: a tag on the first passage of the open article, put by
    `annotator` in a glose of their own."""
    screen = app.screen
    document = screen.document
    with Store(tmp_path / f"elsewhere-{annotator}", annotator=annotator) as theirs:
        theirs.toggle_tag(document, document.passages[0], tag)
        script.incoming = theirs.annotations()
    script.documents = {d.id: d for d in screen.corpus}


async def synced(app, pilot) -> None:
    """Wait for the sync's worker, then for what it set off on the screen."""
    await app.workers.wait_for_complete([w for w in app.workers if w.group == "sync"])
    await quiet(pilot)


def today_at(hour: int, minute: int) -> datetime:
    return datetime.now().astimezone().replace(hour=hour, minute=minute, second=0)


async def test_s_brings_annotations_in_and_the_title_bar_says_when_and_how_many(
    make_app, script, tmp_path
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        # The same annotator on another machine: their own tag comes in, and shows at once.
        coming(script, app, tmp_path, screen.store.annotator, "ailleurs")
        script.new_annotations, script.finished = 3, today_at(14, 2)
        assert "synced" not in screen.title_text()
        await press(pilot, "S")
        await synced(app, pilot)
        assert script.started == [(screen.store, screen.corpus.root)]
        # git and the reading of the files off the app's thread; the store's part on it.
        assert script.steps == [("exchange", False), ("read_in", False), ("bring_in", True)]
        assert "synced 14:02 · 3 new" in screen.title_text()
        assert app.notified[-1] == "Synced: 3 new annotations."
        assert screen.reader.annotations[0].tags == ["ailleurs"]
        assert screen.query_one(TagSidebar).counts == {"ailleurs": 1}


async def test_the_last_sync_shows_at_start_with_its_day_when_not_today(make_app, script):
    script.last = SyncReport(datetime(2026, 3, 5, 13, 2, tzinfo=UTC), 0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        local = script.last.finished.astimezone()
        assert f"synced 5 Mar {local:%H:%M} · nothing new" in app.screen.title_text()


async def test_a_last_sync_that_cannot_be_read_is_left_unsaid(make_app, script):
    script.last_fails = "The record of the last sync is damaged."
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        assert "synced" not in app.screen.title_text()
        assert app.screen.document is not None and app.is_running


async def test_the_last_sync_gives_way_to_the_title_on_a_narrow_screen(make_app, script):
    script.last = SyncReport(today_at(14, 2), 3)
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await quiet(pilot)
        assert "synced 14:02 · 3 new" in app.screen.title_text()
        assert not app.screen.query_one("#doc-synced").display
        assert app.screen.query_one("#doc-title").size.width > 20
        await pilot.resize_terminal(100, 30)
        await quiet(pilot)
        assert app.screen.query_one("#doc-synced").display


@pytest.mark.parametrize("where", ["start", "exchange", "bring_in"])
async def test_a_failed_sync_is_one_warning_and_changes_nothing(make_app, script, tmp_path, where):
    script.last = SyncReport(today_at(9, 30), 2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        coming(script, app, tmp_path, "bob", "lui")
        why = "This corpus is not in a git repository."
        setattr(script, f"{where}_fails", why)
        await quiet(pilot)
        before = screen.title_text()
        await press(pilot, "S")
        await synced(app, pilot)
        assert app.notified[-1] == why
        assert screen.title_text() == before and "synced 09:30 · 2 new" in before
        assert script.brought_in == 0 and screen.store.annotators() == [screen.store.annotator]


async def test_s_again_while_a_sync_runs_says_so_and_starts_none(make_app, script):
    script.gate = threading.Event()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "S")
        assert "syncing…" in screen.title_text()
        await press(pilot, "S")
        assert app.notified[-1] == "A sync is already running."
        script.gate.set()
        await synced(app, pilot)
        assert len(script.started) == 1 and script.brought_in == 1
        assert "syncing" not in screen.title_text() and "synced" in screen.title_text()


async def test_a_sync_done_under_a_dialog_is_brought_in_once_it_closes(make_app, script, tmp_path):
    script.gate = threading.Event()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        coming(script, app, tmp_path, screen.store.annotator, "ailleurs")
        await press(pilot, "S", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        script.gate.set()
        await synced(app, pilot)
        assert script.brought_in == 0, "a dialog may be reading the store"
        await press(pilot, "escape")
        assert script.brought_in == 1
        assert screen.reader.annotations[0].tags == ["ailleurs"]
        assert "synced" in screen.title_text()


async def test_others_synced_annotations_show_under_a_and_cannot_be_changed(
    make_app, script, tmp_path
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store, document = screen.store, screen.document
        coming(script, app, tmp_path, "bob", "lui")
        await press(pilot, "S")
        await synced(app, pilot)
        assert 0 not in screen.reader.annotations, "bob's are not yours"
        await press(pilot, "A")
        assert screen.viewing == "bob" and screen.reader.annotations[0].tags == ["lui"]
        for key in ("1", "h", "x", "a"):
            await press(pilot, key)
            assert "press A until yours show" in app.notified[-1], key
        bobs = store.annotation(document, document.passages[0], "bob")
        assert bobs.tags == ["lui"] and not bobs.highlighted
        assert store.annotation(document, document.passages[0]) is None


async def test_s_in_a_read_only_window_says_why_and_starts_nothing(seeds, store_dir, script):
    Store(store_dir).close()
    store = Store(store_dir, readonly=True)
    app = GloseApp(Corpus.open(seeds), store)
    app.notified = recording(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "S")
            assert app.notified[-1] == app.screen.readonly_reason.notice()
            assert script.started == []
    finally:
        store.close()


async def test_s_with_a_real_repository_brings_another_coders_tags_in(tmp_path, monkeypatch):
    """The key over the real tui.sync: bob tagged and synced from his clone; alice, in the
    reader on hers, presses S and sees his annotation under `A`, read-only."""
    from tests.teams import Team, git_identity

    git_identity(monkeypatch, tmp_path)
    team = Team(tmp_path)
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "politique")
    bob.sync()
    store = Store(alice.store_dir, annotator="alice")
    app = GloseApp(Corpus.open(alice.corpus_dir), store)
    app.notified = recording(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await press(pilot, "S")
            await synced(app, pilot)
            assert "· 1 new" in screen.title_text()
            assert app.notified[-1].startswith("Synced: 1 new annotation")
            assert [(a.annotator, a.tags) for a in store.annotations()] == [("bob", ["politique"])]
            await press(pilot, "A")
            assert screen.viewing == "bob"
            await press(pilot, "1")
            assert "press A until yours show" in app.notified[-1]
    finally:
        store.close()
