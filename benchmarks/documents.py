"""What documents of other formats cost: extraction speed per format against `pdftotext`, and
the first frame of a long PDF, cold and cached, against a bare Textual app, in the same run.

    python benchmarks/documents.py [--pages 500] [--megabytes 2] [--runs 3] [--timeout 120]

It writes its inputs: a PDF of `--pages` full pages (a running header, paragraphs across page
breaks, page numbers; made by hand as the tests make theirs), a `.txt` book holding its
extracted text, and a web page, an EPUB, a Word and an OpenDocument file and a Markdown file
(the tests' README copy, again and again) of about `--megabytes` MB of text each. The real PDF
kept in the tests' data is measured too. Then, medians of `--runs`:

- extraction of each file in process (`extract`, the bytes already read) and as a whole
  process (Python started, glose's extractor imported, the file read and extracted): pages per
  second for a PDF, MB of extracted text per second for the others; `pdftotext` on the same
  PDFs as the reference when it is installed (the table says when it is not; Debian:
  `apt-get install poppler-utils`);
- the PDF's first pages (what the reader shows first) and its text read back from the store's
  cache, in process;
- process start to first frame: the installed `glose` (else `python -m tui`) in a 120x36
  pseudo-terminal, until the first passage's words are on the screen, with `scale.py`'s
  helper: a bare Textual app (the reference), the `.txt` book, the PDF cold (a fresh store,
  nothing cached) and its cached reopening (the store that cold run left, once a `glose
  search` in it has extracted and kept the whole text).

Machines are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import textual
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interchange import median_time  # a script beside this one
from scale import BARE_APP, BARE_LINE, first_frame

from tests.e2e.tmux import installed_glose
from tests.unit.test_corpus_documents import book_pdf
from tests.unit.test_extract import ODT_CONTENT, epub_file, odt_file
from tui.corpus.extract import Extracted, extract
from tui.corpus.extract.markdown import extract_markdown
from tui.corpus.extract.pdf import extract_pdf_start
from tui.corpus.extraction_cache import FOLDER, OPENING_PAGES, ExtractionCache, file_sha256

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
REAL_PDF = ROOT / "tests" / "data" / "documents" / "libtasn1.pdf"
MARKDOWN = ROOT / "tests" / "data" / "markdown" / "readme-copy.md"
MARKER = "Page 1 line 1 goes on"
"""Words of the PDF's first passage, and of the `.txt` book's."""

# A whole process: Python started, the extractor imported, the file read and extracted.
EXTRACT = """import sys
from pathlib import Path
path = Path(sys.argv[1])
if path.suffix == ".md":
    from tui.corpus.extract.markdown import extract_markdown
    extract_markdown(path.read_text("utf-8"))
else:
    from tui.corpus.extract import extract
    extract(path.read_bytes(), path.suffix)
"""


def run(command: list[str]) -> Callable[[], object]:
    return lambda: subprocess.run(command, stdout=subprocess.DEVNULL, check=True)


# The inputs


def paragraphs(megabytes: float) -> list[str]:
    """Numbered French paragraphs of about `megabytes` MB: trafilatura drops a repeated one."""
    made, size, number = [], 0, 0
    while size < megabytes * MB:
        words = f"Paragraphe {number} : " + f"une phrase {number} de l’article, assez longue. " * 8
        made.append(words.strip())
        size += len(made[-1].encode("utf-8")) + 2
        number += 1
    return made


def web_page(parts: list[str]) -> bytes:
    body = "".join(f"<p>{part}</p>" for part in parts)
    return (
        "<html><head><title>Un long article</title></head><body><nav>Accueil</nav>"
        f"<article><h1>Un long article</h1>{body}</article></body></html>"
    ).encode()


def epub(parts: list[str]) -> bytes:
    chapters = 50
    return epub_file(
        [
            f"<h1>Chapitre {n + 1}</h1>" + "".join(f"<p>{part}</p>" for part in parts[n::chapters])
            for n in range(chapters)
        ]
    )


def word(parts: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for number, part in enumerate(parts):
        if number % 50 == 0:
            document.add_heading(f"Partie {number // 50 + 1}", level=1)
        document.add_paragraph(part)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def opendocument(parts: list[str]) -> bytes:
    body = "".join(
        (f'<text:h text:outline-level="1">Partie {n // 50 + 1}</text:h>' if n % 50 == 0 else "")
        + f"<text:p>{part}</text:p>"
        for n, part in enumerate(parts)
    )
    start = ODT_CONTENT.index("<office:text>") + len("<office:text>")
    end = ODT_CONTENT.index("</office:text>")
    return odt_file(ODT_CONTENT[:start] + body + ODT_CONTENT[end:])


def markdown(megabytes: float) -> bytes:
    """The tests' real README copy (a table, code, nested lists) again and again."""
    source = MARKDOWN.read_text("utf-8")
    return (source * int(megabytes * MB / len(source.encode("utf-8")) + 1)).encode()


def extracted(path: Path) -> Extracted:
    if path.suffix == ".md":
        return extract_markdown(path.read_text("utf-8"))
    return extract(path.read_bytes(), path.suffix)


# The table


@dataclass
class Row:
    what: str
    size: str = ""
    in_process: str = ""
    whole: str = ""
    ratio: str = ""


def rate(seconds: float, pages: int | None, text_megabytes: float) -> str:
    if pages is not None:
        return f"{seconds:.2f} s ({pages / seconds:,.0f} pages/s)"
    return f"{seconds:.2f} s ({text_megabytes / seconds:.2f} MB/s)"


def extraction_rows(files: list[tuple[str, Path, int | None]], runs: int) -> list[Row]:
    rows = []
    pdftotext = shutil.which("pdftotext")
    for what, path, pages in files:
        data = path.read_bytes()
        text = extracted(path).text
        text_megabytes = len(text.encode("utf-8")) / MB
        size = f"{len(data) / MB:.2f} MB, text {text_megabytes:.2f} MB"
        inside = median_time(lambda path=path: extracted(path), runs)
        whole = median_time(run([sys.executable, "-c", EXTRACT, str(path)]), runs)
        row = Row(what, size, rate(inside, pages, text_megabytes))
        row.whole = rate(whole, pages, text_megabytes)
        if pages is None:
            rows.append(row)
            continue
        if pdftotext is None:
            row.ratio = "pdftotext not installed"
            rows.append(row)
            continue
        reference = median_time(run([pdftotext, "-q", str(path), "-"]), runs)
        row.ratio = f"{whole / reference:.2f}x ({inside / reference:.2f}x in process)"
        rows.append(row)
        rows.append(Row("  pdftotext, same file (reference)", "", "", rate(reference, pages, 0)))
    return rows


def frames(command: list[str], marker: str, stores: list[Path | None], timeout: float) -> float:
    """Median first frame, one run per store (None: no store argument); nan on a time-out."""
    times = []
    for store in stores:
        seconds = first_frame(
            [*command, *(["--store", str(store)] if store else [])], marker, timeout
        )
        if seconds is None:
            return float("nan")
        times.append(seconds)
    return statistics.median(times)


def wait_for_cache(store: Path, timeout: float) -> bool:
    """Whether a cold run's background extraction left the whole text in `store`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any((store / FOLDER).glob("**/*")):
            return True
        time.sleep(0.1)
    return False


def cold_then_warm(
    glose: list[str], corpus: Path, work: Path, runs: int, timeout: float
) -> tuple[list[float], list[float]]:
    """First frames of the PDF in a fresh store, then reopened in the store that run left."""
    cold, warm = [], []
    for number in range(runs):
        store = work / f"store-{number}"
        command = [*glose, "--corpus", str(corpus), "--store", str(store)]
        seconds = first_frame(command, MARKER, timeout)
        cold.append(float("nan") if seconds is None else seconds)
        # The first frame came before the whole text: let a run of its own finish extracting.
        process = subprocess.Popen(
            [*glose, "search", "paragraph", "--corpus", str(corpus), "--store", str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        process.wait(timeout)
        if not wait_for_cache(store, timeout):
            raise SystemExit(f"nothing was cached in {store}: the warm runs would be cold")
        seconds = first_frame(command, MARKER, timeout)
        warm.append(float("nan") if seconds is None else seconds)
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--megabytes", type=float, default=2, help="text of each other format")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per first frame")
    args = parser.parse_args()
    # Every child process reads this checkout's glose, whatever is installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    compileall.compile_dir(ROOT / "tui", quiet=1)  # as pip compiles an installed package
    console = Console()
    work = Path(tempfile.mkdtemp(prefix="glose-documents-"))
    try:
        rows, frame_rows, facts = measure(args, work, console)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = Table(title=f"Extraction, median of {args.runs}", caption=facts)
    for column in ("What", "Size", "In process", "Whole process", "Ratio to pdftotext"):
        table.add_column(column, justify="left" if column == "What" else "right")
    for row in rows:
        table.add_row(row.what, row.size, row.in_process, row.whole, row.ratio)
    console.print(table)
    table = Table(title=f"A {args.pages}-page PDF opened, median of {args.runs}")
    for column in ("What", "Median", "Ratio"):
        table.add_column(column, justify="left" if column == "What" else "right")
    for row in frame_rows:
        table.add_row(row.what, row.in_process, row.ratio)
    console.print(table)
    command = "python benchmarks/documents.py"
    console.print(
        f"Rerun: {command} --pages {args.pages} --megabytes {args.megabytes:g} --runs {args.runs}"
    )


def measure(
    args: argparse.Namespace, work: Path, console: Console
) -> tuple[list[Row], list[Row], str]:
    started = time.perf_counter()
    pdf_dir, txt_dir = work / "pdf", work / "txt"
    pdf_dir.mkdir(), txt_dir.mkdir()
    data = book_pdf(args.pages)
    book = pdf_dir / "book.pdf"
    book.write_bytes(data)
    whole = extract(data, ".pdf")
    (txt_dir / "book.txt").write_text(whole.text, "utf-8")
    parts = paragraphs(args.megabytes)
    others = work / "others"
    others.mkdir()
    made = {
        "web page": ("page.html", web_page(parts)),
        "EPUB, 50 chapters": ("book.epub", epub(parts)),
        "Word": ("report.docx", word(parts)),
        "OpenDocument": ("report.odt", opendocument(parts)),
        "Markdown (the tests' README copy, again and again)": (
            "readme.md",
            markdown(args.megabytes),
        ),
    }
    files: list[tuple[str, Path, int | None]] = [
        ("PDF, real: the libtasn1 manual", REAL_PDF, pdf_pages(REAL_PDF)),
        (f"PDF, generated, {args.pages} pages", book, args.pages),
    ]
    for what, (name, made_bytes) in made.items():
        (others / name).write_bytes(made_bytes)
        files.append((what, others / name, None))
    console.print(f"Inputs made in {time.perf_counter() - started:.1f} s. Extraction…")
    rows = extraction_rows(files, args.runs)

    console.print("The PDF opened…")
    frame_rows = []
    start = median_time(lambda: extract_pdf_start(data, OPENING_PAGES), args.runs)
    frame_rows.append(
        Row(f"in process: its first {OPENING_PAGES} pages", in_process=f"{start * 1e3:.0f} ms")
    )
    cache = ExtractionCache(work / "cache")
    cache.put(file_sha256(data), whole)
    cached = median_time(lambda: cache.extract(data, ".pdf"), args.runs)
    extracted_whole = median_time(lambda: extract(data, ".pdf"), args.runs)
    row = Row("in process: its whole text read back from the cache")
    row.in_process = f"{cached * 1e3:.1f} ms"
    row.ratio = f"{extracted_whole / cached:,.0f}x faster than extracting it"
    frame_rows.append(row)

    (work / "bare.py").write_text(BARE_APP, "utf-8")
    bare = frames([sys.executable, str(work / "bare.py")], BARE_LINE, [None] * args.runs, 60)
    assert bare == bare, "the bare Textual app showed nothing in 60 s"
    script = installed_glose() if shutil.which("glose") else None
    glose = [str(script)] if script else [sys.executable, "-m", "tui"]
    txt_stores = [work / f"txt-store-{n}" for n in range(args.runs)]
    text_book = frames([*glose, "--corpus", str(txt_dir)], MARKER, txt_stores, args.timeout)
    cold, warm = cold_then_warm(glose, pdf_dir, work, args.runs, args.timeout)
    frame_rows.append(
        Row("first frame: bare Textual app", in_process=f"{bare * 1e3:.0f} ms", ratio="reference")
    )
    for what, seconds in (
        ("first frame: the .txt book of the same text", text_book),
        (f"first frame: the {args.pages}-page PDF, cold (fresh store)", statistics.median(cold)),
        (f"first frame: the {args.pages}-page PDF, reopened (cached)", statistics.median(warm)),
    ):
        shown = f"> {args.timeout:.0f} s" if seconds != seconds else f"{seconds * 1e3:.0f} ms"
        frame_rows.append(Row(what, in_process=shown, ratio=f"{seconds / bare:.2f}x"))
    each = ", ".join(f"{c * 1e3:.0f}/{w * 1e3:.0f}" for c, w in zip(cold, warm, strict=True))
    frame_rows.append(Row(f"  each run, cold/reopened (ms): {each}"))
    tool = (
        subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        if shutil.which("pdftotext")
        else None
    )
    reference = tool.stderr.splitlines()[0] if tool else "pdftotext not installed"
    facts = (
        f"{os.cpu_count()} CPUs ({platform.machine()}), Python {platform.python_version()}, "
        f"Textual {textual.__version__}, {reference}; first frames: `{Path(glose[0]).name}` "
        "in a 120x36 pseudo-terminal."
    )
    return rows, frame_rows, facts


def pdf_pages(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return len(document)
    finally:
        document.close()


if __name__ == "__main__":
    main()
