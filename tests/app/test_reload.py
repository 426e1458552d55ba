"""Files that change, vanish or stop being text while the article is open."""

from __future__ import annotations

import os

import pytest

from tests.helpers import press

SIZE = (110, 34)
TEXT = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


async def test_r_reloads_the_article_and_the_place_follows_the_text(make_app, make_corpus):
    root = make_corpus({"doc.txt": "Premier paragraphe.\n\nSecond paragraphe."})
    app = make_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        await press(pilot, "j", "h")
        (root / "doc.txt").write_text(
            "Un ajout en tête.\n\nPremier paragraphe.\n\nSecond paragraphe.", encoding="utf-8"
        )
        await press(pilot, "r")
        await pilot.pause()
        assert screen.reader.passages[0].text == "Un ajout en tête."
        assert screen.reader.current == 2, "the place follows the text, not the index"
        assert any(m.startswith("Reloaded doc.txt (changed on disk)") for m in app.notified)


async def test_a_file_changed_on_disk_is_reloaded_by_itself(make_app, make_corpus):
    root = make_corpus({"doc.txt": "Avant."})
    app = make_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        path = root / "doc.txt"
        path.write_text("Après, plus long.", encoding="utf-8")
        os.utime(path, (1, 1))  # a different time, whatever the file system's clock resolution
        screen.reload_if_changed()  # what the screen's timer calls every two seconds
        await pilot.pause()
        assert screen.reader.passages[0].text == "Après, plus long."
        screen.reload_if_changed()
        await pilot.pause()
        assert len([m for m in app.notified if m.startswith("Reloaded")]) == 1


async def test_a_copy_with_the_same_size_and_times_is_reloaded(make_app, make_corpus, tmp_path):
    root = make_corpus({"doc.txt": "Avant."})
    app = make_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        path = root / "doc.txt"
        status = path.stat()
        other = tmp_path / "copy.txt"
        other.write_text("Apres.", encoding="utf-8")  # "Avant." is as many bytes
        os.utime(other, ns=(status.st_atime_ns, status.st_mtime_ns))
        os.replace(other, path)  # what `cp -p` then a rename, or a sync tool, leaves
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (
            status.st_size,
            status.st_mtime_ns,
        )
        screen.reload_if_changed()  # what the screen's timer calls every two seconds
        await pilot.pause()
        assert screen.reader.passages[0].text == "Apres."


async def test_a_deleted_or_binary_file_keeps_the_last_version_with_a_message(
    make_app, make_corpus
):
    root = make_corpus({"doc.txt": "Texte lu au départ."})
    app = make_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        (root / "doc.txt").write_bytes(b"\x00\x01binary")
        await press(pilot, "r")
        await pilot.pause()
        assert screen.reader.passages[0].text == "Texte lu au départ."
        assert "doc.txt is no longer text; still showing the version read before." in app.notified
        (root / "doc.txt").unlink()
        await press(pilot, "r")
        await pilot.pause()
        assert app.is_running
        assert (
            "doc.txt cannot be read (No such file or directory); still showing the version "
            "read before." in app.notified
        )
        # Made a link out of the corpus: not read, and said so.
        (root.parent / "secret.txt").write_text("Secret.", encoding="utf-8")
        (root / "doc.txt").symlink_to(root.parent / "secret.txt")
        await press(pilot, "r")
        assert screen.reader.passages[0].text == "Texte lu au départ."
        assert (
            "doc.txt is now a link outside the corpus; still showing the version read before."
            in app.notified
        )


async def test_a_reloaded_article_keeps_its_annotations_on_their_words(make_app, make_corpus):
    root = make_corpus({"doc.txt": "Premier paragraphe.\n\nSecond paragraphe, annoté."})
    app = make_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        await press(pilot, "j", "t", *"clé", "enter")
        await pilot.pause()
        await press(pilot, "v", "h")
        (root / "doc.txt").write_text(
            "Un ajout.\n\nPremier paragraphe.\n\nSecond paragraphe, annoté.", encoding="utf-8"
        )
        await press(pilot, "r")
        await pilot.pause()
        passage = screen.reader.passages[2]
        annotation = screen.store.annotation(screen.document, passage)
        assert annotation is not None and annotation.tags == ["clé"]
        assert annotation.status == "moved"
        (highlight,) = screen.store.highlights_on(screen.document)
        assert (highlight.quote, highlight.status) == ("Second", "moved")
        assert screen.reader.current == 2


@pytest.mark.slow
async def test_a_note_being_written_is_not_overtaken_by_a_reload(make_app, make_corpus):
    root = make_corpus({"doc.txt": TEXT})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "j", "v", "h", "a")
        await pilot.pause()
        (root / "doc.txt").write_text("Un ajout.\n\n" + TEXT, encoding="utf-8")
        os.utime(root / "doc.txt", (1, 1))
        screen.reload_if_changed()  # the timer, while the editor is open: waits
        assert screen.document.text == TEXT
        await press(pilot, *"Chiffre ?", "ctrl+s")
        await pilot.pause()
        screen.reload_if_changed()  # the editor closed: now the new text comes in
        await pilot.pause()
        (highlight,) = screen.store.highlights_on(screen.document)
        assert (highlight.quote, highlight.note) == ("Elle", "Chiffre ?")
        assert highlight.status == "moved"


async def test_a_file_that_goes_unreadable_is_reported_once(make_app, make_corpus):
    root = make_corpus({"doc.txt": TEXT})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        (root / "doc.txt").unlink()
        for _ in range(3):
            screen.reload_if_changed()
            await pilot.pause()
        assert len([m for m in app.notified if "cannot be read" in m]) == 1
        assert screen.document.text == TEXT
