"""`glose add`'s model: pages fetched from a server on 127.0.0.1, files copied, duplicates
skipped, nothing overwritten."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.serving import serving
from tests.unit.test_extract import prose_pages
from tui.corpus import Corpus
from tui.corpus.adding import NotAdded, add_address, add_file, fetch, slug

PAGE = (
    "<html><head><title>L’IA ouverte : une alliance</title></head><body><nav>Menu</nav>"
    "<article><h1>L’IA ouverte : une alliance</h1><p>{}</p></article></body></html>"
)
BODY = "Elle compte plus de cinquante membres fondateurs, venus de la recherche et de l’industrie."
HTML = {"Content-Type": "text/html; charset=utf-8"}


def routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {
        "/article": (200, HTML, PAGE.format(BODY).encode()),
        "/moved": (301, {"Location": "/article"}, b""),
        "/paper": (200, {"Content-Type": "application/pdf"}, prose_pages()),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/big": (200, HTML, PAGE.format("mot " * 5000).encode()),
        "/fake.pdf": (200, {"Content-Type": "application/pdf"}, b"<html>not a pdf</html>"),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    }


def test_a_page_is_saved_by_its_title_with_its_address_beside_it(tmp_path):
    with serving(routes()) as base:
        added = add_address(tmp_path, f"{base}/article")
    assert added.relpath == "l-ia-ouverte-une-alliance.html"
    saved = tmp_path / added.relpath
    assert saved.read_bytes() == PAGE.format(BODY).encode(), "the very bytes the server sent"
    source = json.loads((tmp_path / f"{added.relpath}.source.json").read_text())
    assert source["url"] == f"{base}/article" and source["fetched"][:2] == "20"
    (document,) = Corpus.open(tmp_path)
    assert document.id == "l-ia-ouverte-une-alliance.html"
    assert document.metadata.url == f"{base}/article"
    assert BODY in document.text and "Menu" not in document.text


def test_a_redirect_is_followed_and_both_addresses_kept(tmp_path):
    with serving(routes()) as base:
        added = add_address(tmp_path, f"{base}/moved")
    source = json.loads((tmp_path / f"{added.relpath}.source.json").read_text())
    assert source["url"] == f"{base}/article" and source["requested"] == f"{base}/moved"


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/missing", "the server answered 404 Not Found"),
        ("/image", "is image/png, not a web page or a document glose reads"),
        ("/big", "is larger than 0.01 MB"),
        ("/fake.pdf", "was sent as application/pdf but is not a PDF"),
        ("/to-file", "redirects to file:///etc/passwd, which is not an http or https address"),
    ],
)
def test_what_cannot_be_added_is_said_in_one_sentence_and_nothing_is_written(
    tmp_path, path, sentence
):
    with serving(routes()) as base, pytest.raises(NotAdded) as refused:
        add_address(tmp_path, base + path, limit=10_000)
    assert str(refused.value) == sentence
    assert list(tmp_path.iterdir()) == []


def test_only_web_addresses_are_fetched():
    with pytest.raises(NotAdded, match="^only http and https addresses are fetched$"):
        fetch("file:///etc/passwd")


def test_a_server_that_is_not_there_is_said(tmp_path):
    with serving({}) as base:
        pass  # closed: nothing answers there now
    with pytest.raises(NotAdded, match="^cannot be fetched: "):
        fetch(base + "/article", timeout=5)


def test_a_pdf_is_saved_by_its_title_and_a_duplicate_skipped(tmp_path):
    with serving(routes()) as base:
        first = add_address(tmp_path, f"{base}/paper")
        again = add_address(tmp_path, f"{base}/paper")
    assert first.relpath == "a-test-of-pdf.pdf"
    assert again.relpath is None and again.same_as == "a-test-of-pdf.pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a-test-of-pdf.pdf",
        "a-test-of-pdf.pdf.source.json",
    ]


def test_a_file_is_copied_in_never_over_another_and_not_twice(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    corpus.mkdir(), elsewhere.mkdir()
    (corpus / "notes.txt").write_text("Mes notes.\n")
    (elsewhere / "notes.txt").write_text("D’autres notes.\n")
    added = add_file(corpus, elsewhere / "notes.txt", into=corpus / "inbox")
    assert added.relpath == "inbox/notes.txt"
    again = add_file(corpus, elsewhere / "notes.txt")
    assert again.same_as == "inbox/notes.txt"
    (elsewhere / "notes.txt").write_text("Encore d’autres.\n")
    assert (
        add_file(corpus, elsewhere / "notes.txt", into=corpus / "inbox").relpath
        == "inbox/notes-2.txt"
    )
    assert (corpus / "notes.txt").read_text() == "Mes notes.\n"
    assert (corpus / "inbox/notes.txt").read_text() == "D’autres notes.\n"


def test_a_folder_outside_the_corpus_or_a_file_glose_cannot_read_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "a.txt").write_text("Un mot.\n")
    (tmp_path / "scan.png").write_bytes(b"\x89PNG")
    (tmp_path / "liar.pdf").write_text("Pas un PDF.\n")
    with pytest.raises(NotAdded, match="not a folder inside the corpus"):
        add_file(corpus, tmp_path / "a.txt", into=tmp_path / "out")
    with pytest.raises(NotAdded, match="^is not a kind of file glose reads"):
        add_file(corpus, tmp_path / "scan.png")
    with pytest.raises(NotAdded, match=r"^is named \.pdf but is not a PDF; not added$"):
        add_file(corpus, tmp_path / "liar.pdf")
    assert list(corpus.iterdir()) == [] and not (tmp_path / "out").exists()


@given(st.text())
def test_a_slug_is_a_safe_file_name(title):
    name = slug(title)
    assert name and len(name) <= 60
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in name)
    assert not name.startswith(("-", ".")) and name == name.lower()


def test_a_server_that_trickles_is_given_up_at_the_deadline(tmp_path, monkeypatch):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tui.corpus import adding

    done = threading.Event()

    class Trickling(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<")
            self.wfile.flush()
            done.wait(10)  # the rest never comes while the client waits

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickling)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    monkeypatch.setattr(adding, "FETCH_DEADLINE", 0.0, raising=False)
    try:
        with pytest.raises(NotAdded, match="^took more than 0 seconds to download; not added$"):
            add_address(tmp_path, f"http://127.0.0.1:{server.server_address[1]}/slow")
    finally:
        done.set()
        server.shutdown()
        server.server_close()
        thread.join()
    assert list(tmp_path.iterdir()) == []


def test_a_link_out_of_the_corpus_is_not_searched_for_duplicates(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir(), outside.mkdir()
    (outside / "private.txt").write_text("Un secret.\n")
    (tmp_path / "lone.txt").write_text("Un secret.\n")
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    (corpus / "one.txt").symlink_to(tmp_path / "lone.txt")
    (tmp_path / "new.txt").write_text("Un secret.\n")
    added = add_file(corpus, tmp_path / "new.txt")
    assert added.same_as is None, "the corpus does not list files out of it"
    assert added.relpath == "new.txt"
