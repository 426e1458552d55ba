"""What documents of other formats cost: extraction speed, and the first frame of a long PDF
against a text book of the same words and a bare Textual app, in the same run.

    python benchmarks/documents.py [--pages 500] [--runs 3] [--timeout 120]

It writes a PDF of `--pages` full pages (a running header, paragraphs across page breaks,
page numbers; made by hand as the tests make theirs) and a `.txt` book holding its extracted
text, then measures, medians of `--runs`:

- extraction in process: the whole PDF (pages per second), its first pages (what the reader
  shows first), and its text read back from the store's cache; an EPUB of 50 chapters and a
  long web page (characters per second); `pdftotext` on the PDF when it is installed (said
  when it is not);
- the first passages in process (`read_opening`, else the whole text cut quickly, as the
  reader asks for them): the `.txt` book, the PDF cold and warm;
- process start to first frame (`python -m tui` in a 120x36 pseudo-terminal, until the first
  passage is on the screen): a bare Textual app, the `.txt` book, the PDF cold (a fresh
  store: nothing cached) and warm (its extracted text in the store from an earlier run).

Machines are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scale import BARE_APP, BARE_LINE, first_frame  # a script beside this one

from tests.unit.test_corpus_documents import book_pdf
from tests.unit.test_extract import epub_file
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.extract import extract
from tui.corpus.extract.pdf import extract_pdf_start
from tui.corpus.extraction_cache import FOLDER, OPENING_PAGES, ExtractionCache, file_sha256


def median_seconds(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def frames(
    command: list[str],
    store: Path | None,
    template: Path | None,
    marker: str,
    runs: int,
    timeout: float,
) -> float | None:
    """Median first frame; the store made afresh from `template` (or empty) for each run."""
    times = []
    for _ in range(runs):
        if store is not None:
            shutil.rmtree(store, ignore_errors=True)
            if template is not None:
                shutil.copytree(template, store)
        seconds = first_frame(
            [*command, *(["--store", str(store)] if store else [])], marker, timeout
        )
        if seconds is None:
            return None
        times.append(seconds)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="glose-documents-") as work:
        root = Path(work)
        data = book_pdf(args.pages)
        pdf_dir, txt_dir = root / "pdf", root / "txt"
        pdf_dir.mkdir(), txt_dir.mkdir()
        (pdf_dir / "book.pdf").write_bytes(data)
        whole = extract(data, ".pdf")
        (txt_dir / "book.txt").write_text(whole.text, "utf-8")
        console.print(
            f"A PDF of {args.pages} pages ({len(data) / 1e6:.1f} MB), "
            f"{len(whole.text) / 1e6:.1f} million characters of text."
        )
        table = Table(title="Documents: extraction and first frame")
        table.add_column("what")
        table.add_column("time", justify="right")
        table.add_column("rate or ratio", justify="right")

        seconds = median_seconds(lambda: extract(data, ".pdf"), args.runs)
        table.add_row(
            "PDF extracted whole", f"{seconds:.2f} s", f"{args.pages / seconds:.0f} pages/s"
        )
        start = median_seconds(lambda: extract_pdf_start(data, OPENING_PAGES), args.runs)
        table.add_row(f"PDF, first {OPENING_PAGES} pages", f"{start * 1000:.0f} ms", "")
        cache = ExtractionCache(root / "cache")
        cache.put(file_sha256(data), whole)
        warm = median_seconds(lambda: cache.extract(data, ".pdf"), args.runs)
        table.add_row(
            "PDF read back from the cache", f"{warm * 1000:.0f} ms", f"{seconds / warm:.0f}x faster"
        )
        # Numbered paragraphs: trafilatura drops a paragraph that repeats another.
        paragraphs = [
            f"<p>Paragraphe {n} : " + f"une phrase {n} de l’article, assez longue. " * 8 + "</p>"
            for n in range(3000)
        ]
        chapters = ["<h1>Chapitre</h1>" + "".join(paragraphs[n::50]) for n in range(50)]
        page = "<html><body><article>" + "".join(paragraphs) + "</article></body></html>"
        for what, made, suffix in (
            ("EPUB, 50 chapters", epub_file(chapters), ".epub"),
            (
                "web page",
                page.encode(),
                ".html",
            ),
        ):
            characters = len(extract(made, suffix).text)
            seconds = median_seconds(
                lambda made=made, suffix=suffix: extract(made, suffix), args.runs
            )
            table.add_row(
                f"{what} ({characters / 1e6:.1f} M characters)",
                f"{seconds:.2f} s",
                f"{characters / 1e6 / seconds:.1f} M characters/s",
            )
        if shutil.which("pdftotext"):
            tool = median_seconds(
                lambda: subprocess.run(
                    ["pdftotext", str(pdf_dir / "book.pdf"), "-"], capture_output=True, check=True
                ),
                args.runs,
            )
            table.add_row(
                "pdftotext (reference)", f"{tool:.2f} s", f"{args.pages / tool:.0f} pages/s"
            )
        else:
            table.add_row("pdftotext (reference)", "not installed", "")

        # The first passages as the reader asks for them, in process (no terminal, no app).
        def opening(corpus: Path, doc_id: str, store: Path) -> float:
            def action() -> None:
                document = Corpus.open(corpus, Catalog.load(store)).get(doc_id)
                assert document is not None
                document.read_opening() or document.quick_passages()

            return median_seconds(action, args.runs)

        empty, kept = root / "no-store", root / "kept-store"
        (kept / FOLDER).mkdir(parents=True)
        ExtractionCache(kept / FOLDER).put(file_sha256(data), whole)
        text_first = opening(txt_dir, "book", empty)
        table.add_row("first passages: .txt book", f"{text_first * 1000:.0f} ms", "")
        for what, store in (("cold", empty), ("warm", kept)):
            seconds = opening(pdf_dir, "book.pdf", store)
            table.add_row(
                f"first passages: {args.pages}-page PDF, {what}",
                f"{seconds * 1000:.0f} ms",
                f"{seconds / text_first:.1f}x the .txt book's",
            )

        (root / "bare.py").write_text(BARE_APP, "utf-8")
        bare = frames([sys.executable, str(root / "bare.py")], None, None, BARE_LINE, args.runs, 60)
        assert bare is not None, "the bare Textual app showed nothing in 60 s"
        table.add_row("first frame: bare Textual app", f"{bare:.2f} s", "reference")
        marker = "Page 1 line 1 goes on"
        template = root / "warm-store"
        (template / FOLDER).mkdir(parents=True)
        ExtractionCache(template / FOLDER).put(file_sha256(data), whole)
        for what, corpus, kept in (
            ("first frame: .txt book", txt_dir, None),
            (f"first frame: {args.pages}-page PDF, cold", pdf_dir, None),
            (f"first frame: {args.pages}-page PDF, warm", pdf_dir, template),
        ):
            glose = [sys.executable, "-m", "tui", "--corpus", str(corpus)]
            seconds = frames(glose, root / "store", kept, marker, args.runs, args.timeout)
            if seconds is None:
                table.add_row(what, f"> {args.timeout:.0f} s", "")
            else:
                table.add_row(what, f"{seconds:.2f} s", f"{seconds / bare:.2f}x")
        console.print(table)


if __name__ == "__main__":
    main()
