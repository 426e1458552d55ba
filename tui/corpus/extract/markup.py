"""HTML and XML read safely: no entities expanded, no DTD loaded, nothing fetched, scripts,
styles and frames left out as what they are (code, not text)."""

from __future__ import annotations

import re

from lxml import etree, html

from tui.corpus.extract.common import NotExtracted, TextBuilder, join_lines, tidy

_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CODE = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "canvas",
        "applet",
    }
)
"""What a browser would run or frame in: its text is not the page's."""
_NOT_TEXT = _CODE | {"svg", "math", "head", "nav", "button", "select", "form"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "li",
        "dd",
        "dt",
        "pre",
        "figcaption",
        "caption",
        "address",
        "aside",
        "header",
        "footer",
        "td",
        "th",
        "tr",
        "table",
        "ul",
        "ol",
        "dl",
        "body",
        "hr",
        "figure",
        "center",
    }
)


def xml_tree(data: bytes, what: str) -> etree._Element:
    """An XML document parsed without entities or DTDs (an XML bomb is refused)."""
    head = data[:4096].replace(b"\x00", b"")
    if b"<!ENTITY" in head or b"<!ENTITY" in data.replace(b"\x00", b""):
        raise NotExtracted(f"declares XML entities in {what}, which no document needs")
    try:
        return etree.fromstring(data, _XML)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise NotExtracted(f"is broken: {what} is not well-formed XML") from error


def html_tree(data: bytes | str) -> html.HtmlElement:
    """A web page or XHTML chapter parsed as browsers do, forgiving, with nothing fetched."""
    if isinstance(data, str):
        # lxml refuses text that declares its encoding: it is decoded already.
        data = _XML_DECLARATION.sub("", data, count=1)
    try:
        parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        return html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise NotExtracted("is not a web page that can be read (no text in its markup)") from error


def without_code(tree: html.HtmlElement) -> html.HtmlElement:
    """The page without what a browser would run or frame in (its text is not the page's)."""
    for element in [element for element in tree.iter() if local(element.tag) in _CODE]:
        element.drop_tree()
    return tree


def local(tag: object) -> str:
    """An element's name without its namespace, in lower case ('' for comments and the like)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def html_blocks(
    root: etree._Element, out: TextBuilder, *, level_shift: int = 0, base: str = ""
) -> None:
    """The text of an HTML tree as blocks: headings, paragraphs, list items, table rows (cells
    separated by a tab), preformatted text as written; links kept (relative ones made absolute
    against `base`, the page's own address, when it is known)."""
    run: list[str] = []

    def flush() -> None:
        if run:
            out.block(join_lines(["".join(run)]))
            run.clear()

    def walk(element: etree._Element) -> None:
        name = local(element.tag)
        if name in _NOT_TEXT:
            if element.tail:
                run.append(element.tail)
            return
        if name in _HEADINGS:
            flush()
            out.heading("".join(element.itertext()), _HEADINGS[name] + level_shift)
        elif name == "pre":
            flush()
            out.block("".join(element.itertext()).strip("\n"))
        elif name == "tr":
            flush()
            cells = [
                tidy(" ".join(cell.itertext()))
                for cell in element
                if local(cell.tag) in ("td", "th")
            ]
            out.block("\t".join(cells))
        elif name == "br":
            run.append("\n")
        elif name in _BLOCKS:
            flush()
            if element.text:
                run.append(element.text)
            for child in element:
                walk(child)
            flush()
        else:
            opening, closing = "", ""
            if name == "a" and element.get("href"):
                opening, closing = out.link_marks(element.get("href", ""), base)
            run.append(opening)
            if element.text:
                run.append(element.text)
            for child in element:
                walk(child)
            run.append(closing)
        if element.tail:
            run.append(element.tail)

    walk(root)
    flush()


def linked_text(element: etree._Element, out: TextBuilder, *, base: str = "") -> str:
    """An element's text with its links (`<a href>`, or trafilatura's `<ref target>`) marked
    for `TextBuilder.block` to keep."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        name = local(node.tag)
        target = node.get("href") if name == "a" else node.get("target") if name == "ref" else None
        opening, closing = out.link_marks(target, base) if target else ("", "")
        parts.append(opening)
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append(closing)

    walk(element)
    return "".join(parts)
