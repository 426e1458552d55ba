"""`glose export` and `glose import`: annotations out to a file in a format, and back in."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import IO, TYPE_CHECKING, Any

from tui.cli.opening import annotator, open_corpus, open_store, open_to_read
from tui.cli.options import CommandError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tui.corpus import Corpus, Document
    from tui.interchange.export import Export, Filters
    from tui.interchange.formats import Format
    from tui.interchange.into import Added
    from tui.interchange.reading import Parsed
    from tui.store import Store


def run_export(args: argparse.Namespace) -> int:
    from tui.interchange.export import Filters, select
    from tui.interchange.files import write_atomically
    from tui.interchange.formats import FORMATS, EmptyCodebook, format_for, left_out
    from tui.text import printable

    # An explicit --format wins; else -o's extension names one (x.csv), else glose JSON.
    format = FORMATS[args.format] if args.format else format_for(args.output)
    if args.no_formula_guard:
        format = _without_formula_guard(format)
    filters = Filters(
        tuple(args.tag or ()), tuple(args.document or ()), tuple(args.annotators or ())
    )
    if getattr(args, "annotated_only", False) and format.name != "refi-qda":
        # Only a project holds documents besides their annotations: elsewhere it would do nothing.
        raise CommandError(f"--annotated-only is for refi-qda projects, not {format.name}")
    if format.binary and args.output is None and sys.stdout.isatty():
        raise CommandError(f"{format.name} writes a file, not text for a terminal: give -o FILE")
    # Readers take no lock: export works while the app has the store open. A project holds
    # every document of the corpus; other formats, only those with annotations.
    whole = format.name == "refi-qda" and not getattr(args, "annotated_only", False)
    corpus, store = open_to_read(args, every_file=whole, also=filters.documents)
    try:
        if not store.exists:  # the default place, not made yet: a new corpus
            print(f"glose: there is no store at {args.store}; nothing to export", file=sys.stderr)
        unknown = _unknown_filters(corpus, store, filters)
        selection = select(corpus, store, filters)
        selection.annotated_only = getattr(args, "annotated_only", False)
    finally:
        store.close()
    if unknown and not selection.items:
        # A mistyped filter must not pass for "no data", nor replace a file with nothing.
        raise CommandError(f"nothing exported: {printable('; '.join(unknown))}")
    for warning in unknown:
        print(f"glose: {printable(warning)}", file=sys.stderr)
    try:
        content = format.to_bytes(selection, corpus)
    except EmptyCodebook as error:
        raise CommandError(str(error)) from error
    missing = left_out(format, selection)
    if missing:
        print(f"glose: {missing}", file=sys.stderr)
    if args.output is None:
        sys.stdout.flush()
        if not format.binary and sys.stdout.isatty():
            # Text is data: on a terminal, control characters from articles, tags and notes
            # show as placeholders (ESC as ␛) instead of driving it. Files and pipes get bytes.
            from tui.text import terminal_safe

            content = terminal_safe(content.decode("utf-8")).encode("utf-8")
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # stdout replaced by a text stream (embedding, tests)
            sys.stdout.write(content.decode("utf-8"))
            return 0
        # The bytes as made: UTF-8 whatever the locale says (a pipe has no locale).
        out.write(content)
        out.flush()
        return 0
    try:
        write_atomically(args.output, lambda out: out.write(content), binary=True)
    except IsADirectoryError as error:
        raise CommandError(f"cannot write {args.output}: it is a folder, not a file") from error
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from error
    held = format.contents(selection, corpus)
    print(f"exported {held} to {printable(str(args.output))} ({format.name})", file=sys.stderr)
    return 0


def _without_formula_guard(format: Format) -> Format:
    """CSV that writes each cell's exact text: `--no-formula-guard` means nothing elsewhere."""
    if format.name != "csv":
        raise CommandError(
            f"--no-formula-guard is for CSV, not {format.name}: give --format csv or -o FILE.csv"
        )
    from tui.interchange import csv_format

    def write(export: Export, corpus: Corpus, out: IO[Any]) -> None:
        csv_format.write(export, out, formula_guard=False)

    return dataclasses.replace(format, write=write)


def _unknown_filters(corpus: Corpus, store: Store, filters: Filters) -> list[str]:
    """A warning for each filter that names nothing: a typo must not pass for "no data"."""
    warnings = []
    stored = {a.document for a in [*store.annotations(), *store.highlights()]}
    for doc_id in filters.documents:
        if corpus.get(doc_id) is None and doc_id not in stored:
            warnings.append(f"no document {doc_id!r} in the corpus or the store")
    for name in filters.tags:
        if not store.tags_under(name):  # a level of the tree stands for the tags under it
            warnings.append(f"no tag {name!r} in the store")
    known = set(store.annotators())
    for name in filters.annotators:
        if name not in known:
            warnings.append(f"no annotations by {name!r} in the store")
    return warnings


def run_import(args: argparse.Namespace) -> int:
    from functools import cache

    from tui.interchange.importing import read_file
    from tui.interchange.reading import FileError
    from tui.store import StoreError, clean_annotator, default_annotator
    from tui.text import counted, printable

    corpus = open_corpus(args)
    mapping = _mapping(args.map or [], corpus)
    try:
        parsed = read_file(args.file, corpus, mapping)
    except FileError as error:
        # The message never names the file (read_file leaves it to us): named here, once.
        raise CommandError(f"{args.file}: {error}; nothing was imported") from error
    override = annotator(args) if getattr(args, "annotator", None) else None
    # You, as every command names you; asked only when a record names nobody glose can keep.
    you = cache(lambda: annotator(args) or default_annotator())
    unnamed = 0
    refused: set[str] = set()
    for annotation in parsed.annotations:
        if override:
            annotation.annotator = override
        elif not annotation.annotator:
            unnamed += 1
            annotation.annotator = you()
        else:
            try:
                annotation.annotator = clean_annotator(annotation.annotator)
            except ValueError:
                refused.add(annotation.annotator)
                annotation.annotator = you()
    for line in parsed.skipped:
        print(printable(line), file=sys.stderr)
    folder = _into(args, corpus)
    # A dry run reads the store without its lock: it works while the app has it open.
    try:
        store = open_store(args, readonly=args.dry_run)
    except CommandError as error:
        raise CommandError(f"{error}; nothing was imported") from error
    added = None
    try:
        documents = {document.id: document for document in corpus}
        if folder is not None and parsed.outside:
            if args.dry_run:  # the documents the files would be, none written
                documents |= _planned_sources(parsed, corpus, folder)
            else:
                added, corpus = _add_sources(args, parsed, corpus, folder)
                documents = {document.id: document for document in corpus}
        held = {tag.name.casefold() for tag in store.tags()}
        # What was kept on an old id (a source now a file) moves before what comes in meets it.
        merging = (parsed.annotations, documents, parsed.tags, documents.values())
        if args.dry_run:
            with store.rehearsal():
                report = store.import_annotations(*merging)
        else:
            report = store.import_annotations(*merging)
    except StoreError as error:
        if added is not None:
            added.undo()  # one change, all or nothing: the files too
        raise CommandError(f"{error} Nothing was imported.") from error
    except BaseException:
        if added is not None:
            added.undo()
        raise
    finally:
        store.close()
    # Said once the import is done: one that fails says only why.
    for line in parsed.attached.lines() if parsed.attached else ():
        print(printable(line), file=sys.stderr)
    _say_sources(args, parsed, folder, added)
    gone = sorted({a.document for a in parsed.annotations} - set(documents))
    if gone:
        shown = ", ".join(printable(doc) for doc in gone[:5]) + (", …" if len(gone) > 5 else "")
        print(
            f"kept on {counted(len(gone), 'document')} not in the corpus: {shown}",
            file=sys.stderr,
        )
    recorded = "would be recorded" if args.dry_run else "recorded"
    if unnamed:
        print(
            f"{counted(unnamed, 'annotation')} named no annotator: {recorded} as "
            f"{printable(you())} (--annotator names another)",
            file=sys.stderr,
        )
    if refused:
        names = ", ".join(repr(printable(name)) for name in sorted(refused)[:5])
        print(
            f"annotator names glose cannot keep ({names}): {recorded} as "
            f"{printable(you())} (--annotator names another)",
            file=sys.stderr,
        )
    if report.descriptions_differ:
        print(
            f"kept the store's description of {counted(report.descriptions_differ, 'tag')}: "
            "the file describes them otherwise",
            file=sys.stderr,
        )
    _say_others(parsed, you)
    verb = "would import" if args.dry_run else "imported"
    skipped = len([line for line in parsed.skipped if line.startswith("skipped")])
    # The file's tags against the store's: those it held keep their colours and keys.
    incoming = {tag.name.casefold() for tag in parsed.tags}
    tags = f"{len(incoming - held)} added, {len(incoming & held)} already there"
    if parsed.format.endswith(("codebook", "codebook CSV")):  # what counts is its tags
        print(
            f"{verb} {printable(args.file.name)} ({parsed.format}): tags: {tags}, {skipped} skipped"
        )
        return 0
    print(
        f"{verb} {printable(args.file.name)} ({parsed.format}): {report.added} added, "
        f"{report.merged} merged, {report.unchanged} already there, "
        f"{report.orphaned} orphaned, {skipped + report.skipped} skipped"
    )
    if parsed.format == "REFI-QDA project":
        print(f"tags: {tags}")
    return 0


def _say_others(parsed: Parsed, you: Callable[[], str]) -> None:
    """Whose annotations came in besides yours: the reader shows yours alone until `A`."""
    from tui.text import printable

    try:
        others = sorted({a.annotator for a in parsed.annotations} - {you()})
    except CommandError:
        return  # who you are cannot be told: the import said so already, or did not need it
    if others:
        names = ", ".join(printable(name) for name in others[:5]) + (
            ", …" if len(others) > 5 else ""
        )
        print(f"annotations by {names}: the reader shows them with A", file=sys.stderr)


def _mapping(pairs: list[str], corpus: Corpus) -> dict[str, str]:
    """`--map SOURCE=DOCUMENT`s as a dict, every document one of the corpus's."""
    from tui.text import printable

    mapping: dict[str, str] = {}
    for pair in pairs:
        # The document follows the last `=`: an address may hold some (`?a=b`), an id not.
        source, equals, document = pair.rpartition("=")
        if not equals or not source or not document:
            raise CommandError(
                f"--map {printable(pair)}: give SOURCE=DOCUMENT (a page's address, "
                "a document of the corpus); nothing was imported"
            )
        if corpus.get(document) is None:
            raise CommandError(
                f"--map {printable(pair)}: there is no document {printable(document)!r} in "
                "the corpus; nothing was imported"
            )
        mapping[source] = document
    return mapping


def _into(args: argparse.Namespace, corpus: Corpus) -> Path | None:
    """The folder `--into` names, by `glose add`'s rule, refused (one sentence) unless it is
    in the corpus."""
    from pathlib import Path

    from tui.corpus.adding import NotAdded, folder_inside

    into = getattr(args, "into", None)
    if into is None:
        return None
    try:
        return folder_inside(Path(corpus.root), into, make=False).resolve()
    except NotAdded as error:
        raise CommandError(f"{error}; nothing was imported") from error


def _add_sources(
    args: argparse.Namespace, parsed: Parsed, corpus: Corpus, folder: Path
) -> tuple[Added, Corpus]:
    """The sources not in the corpus written as its text files, their annotations moved on
    them; the corpus as it is then. Files written are removed again on any failure."""
    from pathlib import Path

    from tui.interchange.into import add_sources
    from tui.text import printable

    try:
        added = add_sources(parsed.outside, folder)
    except OSError as error:
        where = printable(str(error.filename or folder))
        raise CommandError(
            f"cannot write {where}: {error.strerror or error}; nothing was imported"
        ) from error
    try:
        corpus = open_corpus(args, tell_problems=False)
        root = Path(corpus.root).resolve()
        by_path = {document.relpath: document for document in corpus}
        moved = {}
        for doc_id, path in added.paths.items():
            document = by_path.get(path.relative_to(root).as_posix())
            if document is None:
                raise CommandError(
                    f"{printable(str(path))}: written, but the corpus does not read it as a "
                    "document; nothing was imported"
                )
            moved[doc_id] = document.id
            # What an import without --into kept on the source moves onto its file.
            document.former_id = document.former_id or doc_id
    except BaseException:
        added.undo()
        raise
    for annotation in parsed.annotations:
        annotation.document = moved.get(annotation.document, annotation.document)
    return added, corpus


def _planned_sources(parsed: Parsed, corpus: Corpus, folder: Path) -> dict[str, Document]:
    """The documents `_add_sources` would add, by id, writing nothing, their annotations
    moved on them: what a dry run merges, so that it says what the real run does."""
    from pathlib import Path

    from tui.corpus import Document
    from tui.interchange.into import planned_sources

    root = Path(corpus.root).resolve()
    planned: dict[str, Document] = {}
    moved = {}
    for doc_id, path in planned_sources(parsed.outside, folder).items():
        relpath = path.relative_to(root).as_posix()
        document = corpus.get(relpath.rsplit(".", 1)[0]) or Document(
            relpath.rsplit(".", 1)[0], path, relpath, parsed.outside[doc_id].text
        )
        document.former_id = document.former_id or doc_id
        planned[document.id] = moved[doc_id] = document
    for annotation in parsed.annotations:
        if annotation.document in moved:
            annotation.document = moved[annotation.document].id
    return planned


def _say_sources(
    args: argparse.Namespace, parsed: Parsed, folder: Path | None, added: Added | None
) -> None:
    """What became of the sources that are not in the corpus: never dropped unsaid."""
    from tui.text import counted, printable

    if not parsed.outside:
        return
    count = counted(len(parsed.outside), "source")
    if folder is None:
        verb = "is" if len(parsed.outside) == 1 else "are"
        print(
            f"{count} {verb} not in the corpus: --into DIR adds them as text files",
            file=sys.stderr,
        )
    elif args.dry_run:
        print(f"would add {count} to {printable(str(args.into))} as text files", file=sys.stderr)
    elif added is not None:
        new = counted(len(added.written), "text file")
        print(f"added {new} to {printable(str(args.into))}", file=sys.stderr)
