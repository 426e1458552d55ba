"""`glose tag`: tagging passages from the shell, by a pattern or by their place."""

from __future__ import annotations

import argparse
import os
import sys

from tui.cli.opening import annotator, open_corpus, open_listed, open_store, tell
from tui.cli.options import CommandError


def run_tag(args: argparse.Namespace) -> int:
    import re

    from tui.cli import OutputFailed
    from tui.corpus.folding import fold, folded_pattern
    from tui.store import StoreError, TagNameError, clean_tag_name
    from tui.text import counted, printable

    if args.document is not None and args.passage is None:
        raise CommandError("--document needs --passage N")
    if args.match is not None and args.passage is not None:
        raise CommandError("--passage goes with --document, not --match")
    try:
        pattern = folded_pattern(args.match) if args.match is not None else None
    except re.error as error:
        raise CommandError(f"--match is not a valid regular expression: {error}") from error
    if pattern is None:
        # One document tagged: the others are listed, not read.
        corpus = open_listed(args)
        corpus.read_now({args.document})
        tell(corpus.problems)
        document = corpus.get(args.document)
        if document is None:
            raise CommandError(f"no document {args.document!r} in {args.corpus}")
        # Numbered from 1, as the reader and `glose search` show passages.
        if not 1 <= args.passage <= len(document.passages):
            raise CommandError(
                f"{args.document} has passages 1 to {len(document.passages)} (counted from 1, "
                f"as the reader shows them), not {args.passage}"
            )
        targets = [(document, document.passages[args.passage - 1])]
    else:
        corpus = open_corpus(args)
        targets = [
            (document, passage)
            for document in corpus
            for passage in document.passages
            if pattern.search(fold(passage.text))
        ]
    try:
        name = clean_tag_name(args.tag)
    except TagNameError as error:
        raise CommandError(str(error)) from error
    if not targets:
        print(
            f"glose: no passage matches {printable(args.match)!r}; nothing tagged", file=sys.stderr
        )
        return 1
    store = open_store(args, readonly=False, who=annotator(args))
    tagged = already = 0
    try:
        store.adopt_former_ids(corpus)
        for document, passage in targets:
            tag, added = store.tag_passage(document, passage, name)
            if not added:
                already += 1
                continue
            tagged += 1
            # Printed only once durable: a reader of this output can trust every line.
            print(f"tagged {printable(document.id)} passage {passage.index + 1}", flush=True)
    except StoreError as error:
        raise CommandError(str(error)) from error
    except BrokenPipeError:
        # Whoever read our output stopped reading: stop tagging too, and say where.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(
            f"glose: output closed; stopped after tagging {counted(tagged, 'passage')}",
            file=sys.stderr,
        )
        return 1
    except OutputFailed as error:
        # Every passage counted is saved: the user must learn it, the lines being lost.
        error.done = f"stopped after tagging {counted(tagged, 'passage')}"
        raise
    finally:
        store.close()
    summary = f"{counted(tagged, 'passage')} tagged {printable(tag.name)}, {already} already had it"
    try:
        print(summary, flush=True)
    except OutputFailed as error:
        error.done = summary
        raise
    return 0
