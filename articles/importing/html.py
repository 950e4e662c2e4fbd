"""Saved web pages: trafilatura finds the main text and the metadata; the rest of the page is dropped."""

from __future__ import annotations

import re

import trafilatura
from trafilatura.utils import load_html

from ..validators import is_web_url
from . import limits
from .base import ImportProblem, ParsedArticle
from .structure import Block, build_article, normalise_line, parse_date

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


def _blocks_of(body) -> list[Block]:
    blocks = []
    for element in body:
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
    title = normalise_line(document.title or "")
    body = list(document.body)
    if body and body[0].tag == "head":
        # The page's own heading is cleaner than <title>, which often carries the site name.
        heading = normalise_line("".join(body[0].itertext()))
        if heading and (not title or heading.lower() in title.lower() or title.lower() in heading.lower()):
            title = heading
            document.body.remove(body[0])
    blocks = _blocks_of(document.body)
    if not blocks:
        raise ImportProblem(NO_MAIN_TEXT)
    sitename = (document.sitename or "").strip()
    return build_article(
        blocks,
        source_format="html",
        title=title,
        published_on=parse_date(document.date) if document.date else None,
        author_name=normalise_line(document.author or ""),
        outlet_name="" if DOMAIN.match(sitename) else sitename,
        original_url=document.url if is_web_url(document.url) else "",
        empty_message=NO_MAIN_TEXT,
    )
