"""Saved web pages: the article's main text and metadata by trafilatura, made for this; the
whole body's text when it finds no article. Nothing is fetched and no script is run."""

from __future__ import annotations

import copy
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree, html

from tui.corpus.decoding import decode
from tui.corpus.extract.common import Extracted, Metadata, NotExtracted, TextBuilder, join_lines
from tui.corpus.extract.markup import html_blocks, html_tree, linked_text, local, without_code

if TYPE_CHECKING:
    from trafilatura.settings import Document

VERSION = "html-4"
"""Raised with any change that may give a page a different text (annotations re-anchor)."""


_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+")
"""Between a page's own title and the site's name pages append to it (`Titre | Site`)."""

MAX_ARTICLE_ELEMENTS = 50_000
"""A page with more elements than this (its scripts left out) is read whole, without looking
for its article: trafilatura's time grows faster than the page, minutes for a long one."""


def extract_html(data: bytes) -> Extracted:
    """A saved web page's main text, with its title, author, date, site and canonical URL."""
    import trafilatura  # slow to import: only when a web page is opened

    page = decode(data).text
    tree = without_code(html_tree(page))
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are not ours
    if sum(1 for _ in tree.iter()) > MAX_ARTICLE_ELEMENTS:
        found = _head_metadata(tree)
    else:
        found = trafilatura.bare_extraction(
            tree,
            fast=True,  # without its second and third extractors: half the time, same text
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=True,
            deduplicate=False,
        )
    out = TextBuilder()
    base = found.url if found is not None and found.url else ""
    if found is not None and found.body is not None:
        _article_blocks(found.body, out, base)
    if not out.parts:
        html_blocks(html_tree(page).body, out, base=base)
    if not out.parts:
        raise NotExtracted("is a web page without any text")
    metadata = Metadata()
    if found is not None:
        url = found.url or ""
        title, site = own_title_and_site(found.title or "", found.sitename or "", url)
        metadata = Metadata(
            title=title, author=found.author or "", date=found.date or "", site=site, url=url
        )
    return out.extracted(metadata, VERSION)


def own_title_and_site(title: str, site: str, url: str) -> tuple[str, str]:
    """The page's own title without the site's name it ends with (`La démission | Travail-
    emploi.gouv.fr | Ministère…` is `La démission`), and the site's name: the address's host
    when none was found, or when the one found was the start of the title itself."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # `http://[x`: an address the page gives, not one to trust
        host = ""
    if site and title.casefold().startswith(site.casefold()) and site != title:
        site = ""  # trafilatura cut the title: no site's name
    names = {name.casefold() for name in (site, host) if name}
    separators = list(_TITLE_SEPARATOR.finditer(title))
    for at, separator in enumerate(separators):
        after = separators[at + 1].start() if at + 1 < len(separators) else len(title)
        part = title[separator.end() : after].strip()
        own = title[: separator.start()].strip()
        if part.casefold() in names and own:
            return own, site or part
    return title, site or host


def _head_metadata(tree: html.HtmlElement) -> Document:
    """trafilatura's metadata of the page read from its head alone (no article body)."""
    from trafilatura.metadata import extract_metadata

    head = tree.find("head")
    alone = html_tree(b"<html></html>")
    if head is not None:
        alone.insert(0, copy.deepcopy(head))
    found = extract_metadata(alone)
    found.body = None
    return found


def _article_blocks(body: etree._Element, out: TextBuilder, base: str) -> None:
    """trafilatura's own tree (head, p, list/item, quote, table/row/cell, code) as blocks."""
    for element in body:
        name = local(element.tag)
        if name == "head":
            level = (element.get("rend") or "h2").lstrip("h")
            depth = int(level) if level.isascii() and level.isdecimal() and len(level) < 3 else 2
            out.heading("".join(element.itertext()), depth)
        elif name == "list":
            for item in element.iter("item"):
                out.block(join_lines([linked_text(item, out, base=base)]))
        elif name == "table":
            for row in element.iter("row"):
                cells = [
                    join_lines([linked_text(cell, out, base=base)]) for cell in row.iter("cell")
                ]
                out.block("\t".join(cells))
        elif name == "code":
            out.block("".join(element.itertext()).strip("\n"))
        else:
            out.block(join_lines([linked_text(element, out, base=base)]))
