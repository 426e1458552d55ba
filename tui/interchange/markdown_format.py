"""Markdown reading notes: one section per document, each quote (a passage's, or a coded
segment's own words) a blockquote with its tags and note beneath, for Obsidian or a README.
Nothing from the text is read as Markdown."""

from __future__ import annotations

import re
from typing import IO

from tui.interchange.export import Export, Item
from tui.store.model import PassageAnnotation

# The ASCII marks that CommonMark, GFM or Obsidian read inside a line: emphasis, code, links,
# HTML, entities, tables, strikethrough, tags, highlights, maths, comments, footnotes,
# wikilinks. CommonMark lets any ASCII punctuation be escaped with a backslash.
_MARKS = re.compile(r"[\\`*_{}\[\]<>#|~&$=%^]|(?<=www)\.|:(?=//)")
# Marks that mean something only at the start of a line: lists, quotes, headings, rules.
_LINE_START = re.compile(r"[-+]|\d{1,9}[.)]")
_ENTITIES = {" ": "&#32;", "\t": "&#9;"}


def escape(text: str) -> str:
    """`text` as Markdown that renders as exactly these characters, line for line."""
    return "\n".join(_escape_line(line) for line in text.split("\n"))


def _escape_line(line: str) -> str:
    body = line.strip(" \t")
    if not body:
        return "".join(_ENTITIES[c] for c in line)
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    tail = line[len(lead) + len(body) :]
    escaped = _MARKS.sub(lambda m: "\\" + m.group(0), body)
    marker = _LINE_START.match(escaped)
    if marker:
        end = marker.end()
        escaped = f"{escaped[: end - 1]}\\{escaped[end - 1 :]}"
    # Spaces before would make a code block, two after a line break: kept, as entities.
    lead = "".join(_ENTITIES[c] for c in lead)
    tail = "".join(_ENTITIES[c] for c in tail)
    return lead + escaped + tail


def code(text: str) -> str:
    """`text` as an inline code span (shown as is; backticks inside take a longer fence)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or longest else text
    return f"{fence}{padded}{fence}"


def write(export: Export, out: IO[str]) -> None:
    out.write("# Reading notes\n")
    current: str | None = None
    for item in export.items:
        annotation = item.annotation
        if annotation.document != current:
            current = annotation.document
            title = " ".join((item.title or annotation.document).split())
            out.write(f"\n## {escape(title)}\n\n")
            where = item.document.relpath if item.document else "not in the corpus any more"
            out.write(f"{code(annotation.document)} · {escape(where)}\n")
        out.write("\n")
        out.write(_entry(item))


def _entry(item: Item) -> str:
    annotation = item.annotation
    quote = "\n".join(f"> {line}" if line else ">" for line in escape(annotation.quote).split("\n"))
    facts = [f"passage {item.passage + 1}" if item.passage is not None else "orphan"]
    if annotation.tags:
        facts.append("tags " + ", ".join(code(tag) for tag in annotation.tags))
    if annotation.highlighted:
        # A whole passage is "highlighted", words are "a highlight", as the reader says.
        passage = isinstance(annotation, PassageAnnotation)
        facts.append(f"{'highlighted' if passage else 'highlight'} {annotation.color}")
    facts.append(f"by {escape(' '.join(annotation.annotator.split()))}")
    text = f"{quote}\n\n{' · '.join(facts)}\n"
    if annotation.note:
        # A note's lines stay lines: each but the last ends in a backslash, a hard break.
        lines = escape(annotation.note).split("\n")
        text += "\n" + "\\\n".join(lines) + "\n"
    return text
