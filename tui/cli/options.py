"""The `glose` command line's parser: its commands, their options and their defaults."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui import __version__

DEFAULT_CORPUS = Path("seeds")
DEFAULT_STORE = Path("annotations")
ANNOTATOR_VARIABLE = "GLOSE_ANNOTATOR"
READER = "tui.cli.reader:run_reader"
"""The command without a command: opening the reader."""


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exit status 2."""


class _Named(argparse.Action):
    """Keeps the path and that the user typed it: a store they name must be there, while the
    default one may not be yet (a new corpus)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        setattr(namespace, f"{self.dest}_named", True)


def _common_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    # Subcommands repeat the options with SUPPRESS so `glose --corpus X export` keeps X.
    default_corpus = DEFAULT_CORPUS if defaults else argparse.SUPPRESS
    default_store = DEFAULT_STORE if defaults else argparse.SUPPRESS
    parser.add_argument(
        "--corpus",
        type=Path,
        default=default_corpus,
        metavar="DIR",
        help=(
            "directory of articles: text, Markdown, web pages, PDF, EPUB, Word, ODT "
            "(default: ./seeds)"
        ),
    )
    parser.add_argument(
        "--store",
        type=Path,
        action=_Named,
        default=default_store,
        metavar="DIR",
        help="directory of the annotation store (default: ./annotations)",
    )


def _annotator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=(
            f"whose annotations you make (default: ${ANNOTATOR_VARIABLE}, else the settings' "
            "annotator, else your user name)"
        ),
    )


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tag",
        action="append",
        metavar="NAME",
        help="only passages with this tag, or a tag under this level (repeatable)",
    )
    parser.add_argument(
        "--document", action="append", metavar="ID", help="only this document (repeatable)"
    )
    parser.add_argument(
        "--annotator",
        action="append",
        dest="annotators",
        metavar="NAME",
        help="only this annotator's annotations (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Every command and its options. Each command names the function that runs it as
    "module:function", which main imports only when that command runs."""
    parser = argparse.ArgumentParser(
        prog="glose",
        description="Read a folder of articles in the terminal, tag and highlight passages.",
        epilog="Without a command, glose opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"glose {__version__}")
    _common_options(parser, defaults=True)
    parser.set_defaults(store_named=False)
    _annotator_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from tui.interchange.formats import FORMATS

    export = commands.add_parser(
        "export",
        help="write annotations to standard output or a file, in one of several formats",
        description="Write every annotation (or those the filters keep) to standard output, "
        "or to FILE with -o. Formats: "
        + "; ".join(f"{f.name}: {f.label}" for f in FORMATS.values())
        + ".",
    )
    _common_options(export, defaults=False)
    export.add_argument(
        "--format",
        choices=list(FORMATS),
        help="(default: the one -o FILE's extension names, else json)",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    export.add_argument(
        "--no-formula-guard",
        action="store_true",
        help="csv: write each cell's exact text, without the apostrophe that keeps a "
        "spreadsheet from reading = + - @ as a formula (for scripts, not spreadsheets)",
    )
    export.add_argument(
        "--annotated-only",
        action="store_true",
        help="refi-qda: hold only the documents with an annotation (default: every document)",
    )
    _filter_options(export)
    export.set_defaults(run="tui.cli.exchange:run_export")

    import_ = commands.add_parser(
        "import",
        help="merge annotations from a file into the store",
        description="Merge the annotations of FILE into the store: glose's JSON (any version) "
        "or JSON Lines export, W3C Web Annotations, Hypothesis API JSON (an annotation, a "
        "list or a search result), a REFI-QDA project (.qdpx, checked against its XSD) or "
        "codebook (.qdc: its codes as tags), or Taguette's codebook or highlights CSV "
        "(highlights placed by their words), found by content whatever the name. The file "
        "is checked whole first; the import is one change, all or nothing. Tags are united "
        "by name, those already there keeping their colours and keys; an annotation is "
        "merged with the one its annotator has at the same place; importing a file twice "
        "changes nothing. Annotations on documents that are not in the corpus are kept; a "
        "project's sources that are not in it are added as text files with --into DIR.",
    )
    _common_options(import_, defaults=False)
    import_.add_argument("file", type=Path, metavar="FILE")
    import_.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="whose annotations these are (default: as the file says; where it does not, you)",
    )
    import_.add_argument(
        "--map",
        action="append",
        metavar="SOURCE=DOCUMENT",
        help="put the annotations made on SOURCE (a web page's address) on the corpus "
        "DOCUMENT, placed there by their words (repeatable; without it, an annotation on a "
        "source not in the corpus goes to the one document holding its words, if one does)",
    )
    import_.add_argument(
        "--into",
        type=Path,
        metavar="DIR",
        help="REFI-QDA: add the sources that are not in the corpus as text files in DIR "
        "(a folder of the corpus, made if missing), their annotations on them",
    )
    import_.add_argument(
        "--dry-run", action="store_true", help="say what would change, change nothing"
    )
    import_.set_defaults(run="tui.cli.exchange:run_import")

    agreement = commands.add_parser(
        "agreement",
        help="agreement between annotators, tag by tag",
        description="Cohen's kappa (two annotators) and Krippendorff's alpha (two or more), "
        "per tag, over the passages of the documents at least two annotators annotated; a "
        "passage carries a tag for an annotator when they tagged it or one of their segments "
        "with that tag overlaps it. With --unit character, Krippendorff's alpha over the "
        "characters of those documents, white space left out.",
    )
    _common_options(agreement, defaults=False)
    agreement.add_argument(
        "--tag",
        action="append",
        metavar="NAME",
        help="only this tag, or the tags under this level (repeatable)",
    )
    agreement.add_argument(
        "--annotator",
        action="append",
        dest="annotators",
        metavar="NAME",
        help="compare these annotators (repeatable; default: everyone)",
    )
    agreement.add_argument(
        "--unit",
        choices=["passage", "character"],
        default="passage",
        help="what is compared: passages, or each character coded or not (default: passage)",
    )
    agreement.add_argument(
        "--format", choices=["table", "json"], default="table", help="(default: table)"
    )
    agreement.set_defaults(run="tui.cli.report:run_agreement")

    tag = commands.add_parser(
        "tag",
        help="tag passages from the shell",
        description="Tag every passage whose text matches REGEX (case and accents ignored), "
        "or the one passage named. Each tagged passage is saved before it is printed.",
    )
    _common_options(tag, defaults=False)
    tag.add_argument("--tag", required=True, metavar="NAME", help="the tag (created if new)")
    target = tag.add_mutually_exclusive_group(required=True)
    target.add_argument("--match", metavar="REGEX", help="tag every passage matching REGEX")
    target.add_argument("--document", metavar="ID", help="the document of --passage")
    tag.add_argument(
        "--passage", type=int, metavar="N", help="passage number (from 1, as the reader shows it)"
    )
    _annotator_option(tag)
    tag.set_defaults(run="tui.cli.annotate:run_tag")

    search = commands.add_parser(
        "search",
        help="find words across the corpus",
        description="Print the passages QUERY finds, best first, one line each: document id, "
        "passage number (from 1, as the reader shows it) and the words around the match. "
        "QUERY is words, each the start of a word of the passage, all in one passage; "
        '"a phrase" in quotes; prefix* (the same); -word (not in the passage); a OR b; '
        "parentheses; tag:NAME (passages carrying the tag or one under it), note:WORD, "
        "annotator:NAME. Case, accents, apostrophes and kinds of space are ignored "
        "(securite finds SÉCURITÉ). The index is kept in the store directory, or without a "
        "store in the user's cache folder, and brought up to date for files that changed. "
        "Exit status 1 when nothing is found.",
    )
    _common_options(search, defaults=False)
    search.add_argument("query", metavar="QUERY")
    search.add_argument(
        "--limit",
        type=int,
        default=100,
        metavar="N",
        help="print at most N matches (default: 100; 0 for all)",
    )
    search.add_argument(
        "--sort",
        choices=("relevance", "position"),
        default="relevance",
        help="best first (BM25, the default) or in corpus order",
    )
    search.add_argument(
        "--format", choices=("text", "json"), default="text", help="text lines or one JSON document"
    )
    search.add_argument(
        "--regex",
        action="store_true",
        help="QUERY is a regular expression (on folded text; every file is read: slower)",
    )
    search.add_argument(
        "--whole-word", action="store_true", help="each word whole, not the start of a longer one"
    )
    search.set_defaults(run="tui.cli.search:run_search")

    add = commands.add_parser(
        "add",
        help="add web pages and documents to the corpus",
        description="Fetch each URL (http or https; a web page, PDF, EPUB, Word or ODT file) "
        "and save it in the corpus, named after its title, with its address and the date "
        "beside it in NAME.source.json; copy each FILE in. Nothing already there is "
        "overwritten, and a file whose content the corpus already holds is skipped. Exit "
        "status 1 when one could not be added.",
    )
    _common_options(add, defaults=False)
    add.add_argument("sources", nargs="+", metavar="URL|FILE")
    add.add_argument(
        "--into",
        metavar="DIR",
        help="a folder inside the corpus to save into, made if missing; a relative DIR is "
        "taken from the current directory, as for glose import",
    )
    add.set_defaults(run="tui.cli.adding:run_add")

    check = commands.add_parser(
        "check",
        help="report the store's health",
        description="Report the store's health and how its annotations fit the corpus. "
        "Exit status 1 when annotations no longer fit their documents, 2 when the store "
        "cannot be read.",
    )
    _common_options(check, defaults=False)
    check.set_defaults(run="tui.cli.report:run_check")

    stats = commands.add_parser(
        "stats",
        help="statistics of the annotations, as tables and bars",
        description="Tag counts per article, tags found together on a passage, the annotated "
        "share of each article, and each annotator's tagged passages, highlights and notes. "
        "Orphans are not counted. Exit status 1 when --annotator names someone with no "
        "annotations.",
    )
    _common_options(stats, defaults=False)
    whose = stats.add_mutually_exclusive_group()
    whose.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=f"count this annotator's annotations (default: ${ANNOTATOR_VARIABLE}, else the "
        "settings' annotator, else your user name)",
    )
    whose.add_argument("--all", action="store_true", help="count everyone's annotations")
    stats.set_defaults(run="tui.cli.report:run_stats")

    sync = commands.add_parser(
        "sync",
        help="share annotations and the codebook with the team through git",
        description="Write your annotations and codebook changes to .glose/ in the corpus's "
        "git repository, commit them, pull, push, and bring every coder's annotations into "
        "the store (the reader shows them with A). Without a remote, the files are committed "
        "in the repository only.",
    )
    _common_options(sync, defaults=False)
    _annotator_option(sync)
    sync.add_argument(
        "--repo",
        type=Path,
        metavar="DIR",
        help="the git repository (default: the one holding the corpus)",
    )
    sync.set_defaults(run="tui.cli.sync:run_sync")
    return parser
