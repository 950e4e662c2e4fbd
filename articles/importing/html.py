"""Saved web pages: trafilatura finds the main text and the metadata; the rest of the page is dropped."""

from __future__ import annotations

import json
import re

import trafilatura
from trafilatura.utils import load_html

from ..validators import is_web_url
from . import limits
from .base import ImportProblem, ParsedArticle
from .metadata import Metadata, clean_author, looks_like_name, read_line
from .structure import Block, build_article, is_furniture, normalise_line, parse_date

NO_MAIN_TEXT = "The HTML page has no main text (only navigation, scripts or other page furniture)."
# Removed before extraction: without them, a page with no article makes trafilatura fall back to its menus.
PRUNE = [
    "//nav",
    "//footer",
    "//aside",
    "//form",
    "//*[@role='navigation' or @role='contentinfo' or @role='complementary' or @role='banner']",
]
DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.IGNORECASE)


def _links_of(element) -> list[dict[str, str]]:
    return [
        {"text": normalise_line("".join(ref.itertext())), "url": ref.get("target")}
        for ref in element.iter("ref")
        if is_web_url(ref.get("target"))
    ]


LAYOUT_CONTENT = {"p", "head", "list", "quote"}


def _blocks_of(body, blocks: list[Block] | None = None) -> list[Block]:
    blocks = [] if blocks is None else blocks
    for element in body:
        if element.tag == "table" and any(cell.tag in LAYOUT_CONTENT for cell in element.iter()):
            # A table used for layout, as hand-made pages are: its cells hold the paragraphs.
            for cell in element.iter("cell"):
                _blocks_of(cell, blocks)
            continue
        if element.tag == "quote":
            parts = list(element.iter("p")) or [element]
            role = "quote"
        elif element.tag == "list":
            parts, role = list(element.iter("item")), "body"
        elif element.tag == "table":
            parts, role = list(element.iter("row")), "body"
        else:
            parts, role = [element], "body"
        for part in parts:
            # <lb/> marks a line break inside a paragraph, as in a "Name,<br>role" signature.
            for line_break in part.iter("lb"):
                line_break.text = "\n"
            lines = [normalise_line(line) for line in "".join(part.itertext()).split("\n")]
            lines = [line for line in lines if line]
            if lines:
                blocks.append(Block(lines, role, _links_of(part)))
                limits.check_paragraph_count(len(blocks))
    return blocks


def _check_shape(tree) -> None:
    """Count the elements and measure the nesting before extraction, whose work grows with both."""
    bound = limits.current().html_elements + 1
    count = deepest = 0
    stack = [(tree, 1)]
    while stack and count < bound:
        element, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    limits.check_html_shape(count, deepest)


def parse_html(text: str) -> ParsedArticle:
    try:
        tree = load_html(text)
    except Exception as error:  # lxml raises a variety of errors on broken markup
        raise ImportProblem(f"The HTML page could not be read: {error}") from None
    if tree is None:
        raise ImportProblem(NO_MAIN_TEXT)
    _check_shape(tree)
    page = _Page(tree)
    limits.check_time()
    try:
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=True,
            include_formatting=False,
            favor_precision=True,
            prune_xpath=PRUNE,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises a variety of lxml errors on broken markup
        raise ImportProblem(f"The HTML page could not be read: {error}") from None
    if document is None or document.body is None:
        raise ImportProblem(NO_MAIN_TEXT)
    blocks = _blocks_of(document.body)
    if not blocks:
        raise ImportProblem(NO_MAIN_TEXT)
    page.find_text(blocks)
    # The page's own headline is cleaner than <title>, which often carries the site name.
    title = page.headline_for(normalise_line(document.title or ""))
    meta = page.metadata()
    authors, role = meta.authors, meta.author_role
    listed = page.structured_authors()
    if len(listed) > len(authors) and (not authors or authors[0] in listed):
        # The page's structured data lists every author where its byline may show only the first,
        # or run the names together ("Ada Brennan, Marcus Lee" reads like a name and a role).
        authors, role = listed, ""
    if not authors:
        authors = clean_author(normalise_line(document.author or ""))
    sitename = (document.sitename or "").strip()
    return build_article(
        blocks,
        source_format="html",
        title=title,
        published_on=meta.published_on or (parse_date(document.date) if document.date else None),
        authors=authors,
        author_role=role,
        outlet_name="" if DOMAIN.match(sitename) else sitename,
        original_url=document.url if is_web_url(document.url) else "",
        empty_message=NO_MAIN_TEXT,
    )


# Elements that start a line of their own on a page as a browser shows it.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "button",
    "select",
    "option",
    "textarea",
}
HEADLINE_TAGS = {"h1", "h2", "h3"}
# How far above the article's first paragraph its headline, byline and date are looked for.
HEAD_LINES = 12


class _Page:
    """The page as lines of text, as a browser shows it: where the headline is and what is printed
    between it and the article's first paragraph (the byline and date, which trafilatura leaves out)."""

    def __init__(self, tree) -> None:
        self.lines: list[str] = []
        self.headings: list[tuple[str, int, str]] = []  # (text, line index, tag)
        self._pieces: list[str] = []
        self._walk(tree)
        self._flush()
        self.headline = ""
        self._headline_line: int | None = None
        self._first_text: int | None = None
        self._json_ld = [
            script.text
            for script in tree.iter("script")
            if (script.get("type") or "").lower() == "application/ld+json" and script.text
        ][:10]

    def _flush(self) -> None:
        for raw in "".join(self._pieces).split("\n"):
            if line := normalise_line(raw):
                self.lines.append(line)
        self._pieces = []

    def _walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in SKIPPED_TAGS:
            return
        parent = element.getparent()
        # A styled item of a metadata row (<span class="byline">, <time>) is a line of its own.
        own_line = tag in BLOCK_TAGS or (
            parent is not None
            and parent.tag in BLOCK_TAGS
            and (element.get("class") or tag == "time")
            and len(parent) > 1
        )
        if own_line:
            self._pieces.append("\n")
        if tag in HEADLINE_TAGS or "title" in (element.get("class") or "").split("__")[-1]:
            self._flush()
            text = normalise_line("".join(element.itertext()))
            if text:
                self.headings.append((text, len(self.lines), tag))
        if element.text:
            self._pieces.append(element.text)
        for child in element:
            self._walk(child)
            if child.tail:
                self._pieces.append(child.tail)
        if own_line:
            self._pieces.append("\n")

    def structured_authors(self) -> list[str]:
        """Author names in the page's JSON-LD (schema.org ``author``), in order."""
        names: list[str] = []

        def collect(value, under_author: bool) -> None:
            if isinstance(value, list):
                for item in value:
                    collect(item, under_author)
            elif isinstance(value, dict):
                for key, item in value.items():
                    if key == "name" and under_author and isinstance(item, str):
                        if looks_like_name(normalise_line(item)) and normalise_line(item) not in names:
                            names.append(normalise_line(item))
                    elif key in {"author", "creator"} or (under_author and key == "@graph"):
                        collect(item, True)
                    elif isinstance(item, list | dict):
                        collect(item, False)
            elif isinstance(value, str) and under_author and looks_like_name(normalise_line(value)):
                names.append(normalise_line(value))

        for script in self._json_ld:
            try:
                collect(json.loads(script), False)
            except (ValueError, RecursionError):
                continue  # a damaged block of structured data is ignored, as browsers do
        return names

    def headline_for(self, title: str) -> str:
        """The heading that says what <title> says; else the last heading just above the text."""
        folded = title.casefold()
        for text, index, _tag in self.headings:
            if folded and (text.casefold() in folded or folded in text.casefold()) and len(text.split()) > 1:
                self.headline, self._headline_line = text, index
                return text
        if self._first_text is not None:
            above = [
                (text, index)
                for text, index, tag in self.headings
                if tag in HEADLINE_TAGS and self._first_text - HEAD_LINES <= index < self._first_text
            ]
            if above:
                self.headline, self._headline_line = above[-1]
                return self.headline
        return title

    def find_text(self, blocks: list[Block]) -> None:
        """Where the article's first paragraph (as trafilatura found it) starts on the page."""
        headings = {text.casefold() for text, _index, _tag in self.headings}
        first = next(
            (
                line
                for block in blocks
                if " ".join(block.lines).casefold() not in headings
                for line in block.lines
                if not is_furniture(line) and not read_line(line, Metadata(), bare_name_role=True)
            ),
            None,
        )
        if first is None:
            return
        prefix = first[:60].casefold()
        for index, line in enumerate(self.lines):
            if line.casefold().startswith(prefix):
                self._first_text = index
                return

    def metadata(self) -> Metadata:
        """Dates and bylines printed between the headline and the first paragraph."""
        meta = Metadata()
        if self._headline_line is None:
            return meta
        end = self._first_text if self._first_text is not None else self._headline_line + HEAD_LINES
        end = min(end, self._headline_line + HEAD_LINES)
        for number, line in enumerate(self.lines[self._headline_line + 1 : end]):
            read_line(line, meta, bare_name_role=number < 2)
        return meta
