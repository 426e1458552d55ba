"""The `e` export dialog and the `A` annotator view, driven with keys."""

from __future__ import annotations

import json
import zipfile

import pytest
from textual.widgets import Input, ProgressBar, Select

from tests.helpers import press, text_document
from tests.waiting import until
from tui.app.screens.confirm import Confirm
from tui.app.screens.export_dialog import ExportDialog
from tui.app.screens.main import MainScreen
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.store import ALL

SIZE = (120, 40)


async def open_dialog(app, pilot) -> ExportDialog:
    await press(pilot, "e")
    assert isinstance(app.screen, ExportDialog)
    return app.screen


async def finish(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
async def test_choose_a_format_with_keys_and_export_it(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "1")  # no tag yet: says so; then make one
        await press(pilot, "t", *"sécurité", "enter")
        dialog = await open_dialog(app, pilot)
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith(".json")
        # The format list: down opens it, down four times is W3C, enter chooses.
        await press(pilot, "down", "down", "down", "down", "down", "enter")
        assert dialog.query_one("#export-format", Select).value == "w3c"
        assert path.value.endswith(".jsonld")  # the file name follows the format
        bar = dialog.query_one(ProgressBar)
        await press(pilot, "ctrl+s")
        await finish(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert bar.total == 5 and bar.progress == 5  # one step per article
        (written,) = (store_dir / "exports").glob("*.jsonld")
        data = json.loads(written.read_text(encoding="utf-8"))
        assert data["type"] == "AnnotationCollection" and data["total"] == 1
        assert any(str(written) in m.replace("\n", "") for m in app.notified)
        # The next dialog offers the format used last.
        dialog = await open_dialog(app, pilot)
        assert dialog.query_one("#export-format", Select).value == "w3c"


@pytest.mark.slow
async def test_this_article_and_one_tag_only(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter", "j", "t", *"économie", "enter")
        await press(pilot, "]")  # the next article
        await press(pilot, "t", *"sécurité", "enter")
        dialog = await open_dialog(app, pilot)
        document = app.screen_stack[-2].document.id
        dialog.query_one("#export-documents", Select).value = document
        dialog.query_one("#export-tags", Select).value = "sécurité"
        dialog.query_one("#export-format", Select).value = "jsonl"
        # A new format gives the path its extension: wait for that before typing a path.
        path = dialog.query_one("#export-path", Input)
        await until(pilot, lambda: path.value.endswith(".jsonl"), "the path takes .jsonl")
        target = store_dir / "une.jsonl"
        dialog.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        await finish(app, pilot)
        records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert [(r["kind"], r["name"]) for r in records[:1]] == [("tag", "sécurité")]
        assert [(r["document"], r["tags"]) for r in records[1:]] == [(document, ["sécurité"])]


@pytest.mark.slow
async def test_a_codebook_export_is_said_in_tags(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter", "j", "t", *"sécurité", "enter")
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-format", Select).value = "refi-qdc"
        path = dialog.query_one("#export-path", Input)
        await until(pilot, lambda: path.value.endswith(".qdc"), "the path takes .qdc")
        await press(pilot, "ctrl+s")
        await finish(app, pilot)
        (written,) = (store_dir / "exports").glob("*.qdc")
        (said,) = [notice for notice in app.notified if notice.startswith("Exported")]
        assert said.startswith("Exported the codebook: 1 tag to\n")
        assert said.partition("\n")[2].replace("\n", "") == str(written)


@pytest.mark.slow
async def test_a_project_holds_every_article_unless_only_the_annotated_are_chosen(
    make_app, tmp_path
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter")
        written = {}
        for sources in ("*", "annotated"):
            dialog = await open_dialog(app, pilot)
            choice = dialog.query_one("#export-sources", Select)
            # Only a project holds articles; the dialog opens on the format used last.
            assert choice.display == (sources == "annotated")
            dialog.query_one("#export-format", Select).value = "refi-qda"
            await until(pilot, lambda choice=choice: choice.display, "the choice shows")
            choice.value = sources
            written[sources] = tmp_path / f"{sources.strip('*') or 'every'}.qdpx"
            dialog.query_one("#export-path", Input).value = str(written[sources])
            await press(pilot, "ctrl+s")
            await finish(app, pilot)
            assert isinstance(app.screen, MainScreen)
            # Said as the command line says it: the documents the project holds as sources.
            said = [notice for notice in app.notified if notice.startswith("Exported")][-1]
            held = "5 documents" if sources == "*" else "1 document"
            assert said.startswith(f"Exported 1 annotation, {held} as sources"), said
        every, annotated = (
            [n for n in zipfile.ZipFile(path).namelist() if n.startswith("sources/")]
            for path in written.values()
        )
        assert len(every) == 5 and len(annotated) == 1 and set(annotated) < set(every)


@pytest.mark.slow
async def test_the_taguette_codebook_is_one_of_the_formats(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter")
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-format", Select).value = "taguette-codebook"
        path = dialog.query_one("#export-path", Input)
        await until(pilot, lambda: path.value.endswith(".csv"), "the path takes .csv")
        await press(pilot, "ctrl+s")
        await finish(app, pilot)
        (written,) = (store_dir / "exports").glob("*.csv")
        assert written.read_bytes().startswith(b"tag,description,number of highlights\r\n")


@pytest.mark.slow
async def test_an_existing_file_is_replaced_only_when_the_user_says_so(make_app, tmp_path):
    app = make_app()
    target = tmp_path / "existe.json"
    target.write_text("à garder", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        assert app.screen is dialog
        assert target.read_text(encoding="utf-8") == "à garder"
        await press(pilot, "ctrl+s", "y")
        await finish(app, pilot)
        assert json.loads(target.read_text(encoding="utf-8"))["format"] == "glose.annotations"


@pytest.mark.slow
async def test_a_destination_that_cannot_be_written_is_said_in_the_dialog(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(tmp_path / "nulle" / "part.json")
        await press(pilot, "ctrl+s")
        await finish(app, pilot)
        assert app.screen is dialog  # still there, to choose another place
        message = str(dialog.query_one("#export-message").render())
        assert message.startswith("Nothing exported: cannot write") and "part.json" in message
        assert not (tmp_path / "nulle").exists()
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_escape_closes_without_writing(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert not (store_dir / "exports").exists()


async def test_a_shows_each_annotator_then_everyone_and_only_yours_can_change(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store = screen.store
        document = screen.document
        store.create_tag("moi")
        store.create_tag("lui")
        store.toggle_tag(document, document.passages[0], "moi")
        own = store.annotator
        store.annotator = "bob"
        store.toggle_tag(document, document.passages[0], "lui")
        store.set_passage_note(document, document.passages[0], "Note de Bob.")
        store.annotator = own
        await press(pilot, "A")
        assert screen.viewing == "bob"
        assert "bob's annotations" in screen.title_text()
        assert screen.reader.annotations[0].tags == ["lui"]
        assert app.screen.query_one(TagSidebar).counts == {"lui": 1}
        await press(pilot, "2")  # would toggle "lui" on Bob's passage: refused
        assert "press A until yours show" in app.notified[-1]
        assert store.annotation(document, document.passages[0], "bob").tags == ["lui"]
        assert store.annotation(document, document.passages[0]).tags == ["moi"]
        await press(pilot, "A")
        assert screen.viewing == ALL and "everyone's annotations" in screen.title_text()
        union = screen.reader.annotations[0]
        assert union.tags == ["lui", "moi"] and union.note == "bob: Note de Bob."
        await press(pilot, "A")
        assert screen.viewing is None and "annotations" not in screen.title_text()
        await press(pilot, "2")
        assert store.annotation(document, document.passages[0]).tags == ["moi", "lui"]


async def test_a_with_no_other_annotator_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "A")
        assert app.screen.viewing is None
        assert app.notified[-1].startswith("Only ")


async def test_orphans_of_others_show_when_viewing_them_and_cannot_be_changed(
    make_app, make_corpus, store_dir
):
    from tui.app.screens.orphans import OrphansView
    from tui.store import Store

    text = "Premier paragraphe.\n\nSecond paragraphe."
    root = make_corpus({"doc.txt": text})
    before = text_document("doc", text, "doc.txt")
    with Store(store_dir, annotator="bob") as bob:
        bob.add_highlight(before, before.passages, 0, 7, "green")
    with Store(store_dir) as mine:
        mine.set_passage_note(before, before.passages[1], "La mienne.")
    (root / "doc.txt").write_text("Un tout autre texte.", encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "o")
        assert isinstance(app.screen, OrphansView)
        assert [o.annotator for o in app.screen.orphans] == ["lecteur"]  # yours only
        await press(pilot, "escape", "A", "o")
        assert [o.annotator for o in app.screen.orphans] == ["bob"]
        await press(pilot, "x")
        assert "only yours can be attached or deleted" in app.notified[-1]
        assert len(screen.store.orphans()) == 2
        assert isinstance(app.screen, OrphansView), "refused before asking: the list stays"
        await press(pilot, "escape")
        # Bob's last annotation goes (deleted in his own glose, say): A is not stuck on him.
        (bobs,) = [o for o in screen.store.orphans() if o.annotator == "bob"]
        screen.store.delete(bobs)
        await press(pilot, "A")
        assert screen.viewing is None
