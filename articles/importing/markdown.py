"""Markdown: headings, quotes and lists become paragraphs; emphasis and links are reduced to their text.

markdown-it-py reads the Markdown (CommonMark, with ~~strikethrough~~) and mdit-py-plugins its front
matter. Link targets are not lost: they go to the import report, where an editor can turn them into
sources.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..validators import is_web_url
from . import limits
from .base import ParsedArticle
from .metadata import clean_author
from .structure import Block, build_article, normalise_line, only_labels, parse_date


def _parser(*plugins: Callable[[MarkdownIt], None]) -> MarkdownIt:
    # Raw HTML stays text, as in the file: the archive shows it escaped and never renders it.
    parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
    for plugin in plugins:
        parser.use(plugin)
    # Every link is parsed so its text is kept whatever its target; unsafe targets are dropped when
    # the links are collected, and nothing here is ever rendered as HTML.
    parser.validateLink = lambda url: True
    return parser


_markdown = _parser(front_matter_plugin)
# For a file that opens with a rule ("---") rather than front matter: the plugin would take
# everything up to the next rule, however far, as front matter and the text would be lost.
_markdown_without_front_matter = _parser()

# How much of a file detection reads: enough for a heading and a few paragraphs.
DETECTION_SAMPLE = 20_000
# Markdown constructs plain text seldom has by accident; two of them make a file Markdown.
MARKDOWN_SIGNS = {"atx_heading", "setext_heading", "link", "strong", "blockquote", "bullet_list"}


@dataclass
class _Inline:
    """The plain text of one inline token, and the links in it."""

    text: str
    links: list[dict[str, str]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [line for line in (normalise_line(raw) for raw in self.text.split("\n")) if line]

    @property
    def line(self) -> str:
        return normalise_line(self.text)


def _plain(children: list[Token]) -> _Inline:
    """Inline tokens to plain text; line breaks stay newlines so ``build_article`` sees the lines."""
    parts: list[str] = []
    links: list[dict[str, str]] = []
    open_links: list[tuple[str, int]] = []  # (target, where its text starts in parts)
    for token in children:
        if token.type in {"text", "code_inline"}:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
        elif token.type == "image":
            alt = _plain(token.children or [])
            url = token.attrGet("src") or ""
            parts.append(alt.text or str(url))
            links.extend(alt.links)
            _keep_link(links, alt.line or str(url), str(url))
        elif token.type == "link_open":
            open_links.append((str(token.attrGet("href") or ""), len(parts)))
        elif token.type == "link_close" and open_links:
            url, start = open_links.pop()
            text = normalise_line("".join(parts[start:]))
            if not text:
                parts.append(url)
            _keep_link(links, text or url, url)
    return _Inline("".join(parts), links)


def _inline_text(markdown: str) -> str:
    """One line of Markdown (a front matter title) as plain text."""
    return _plain(_markdown.parseInline(markdown)[0].children or []).line if markdown else ""


def _keep_link(links: list[dict[str, str]], text: str, url: str) -> None:
    if is_web_url(url):
        links.append({"text": text, "url": url})


def _signs_of(tokens: list[Token]) -> set[str]:
    signs = set()
    for token in tokens:
        if token.type == "heading_open":
            signs.add("atx_heading" if token.markup.startswith("#") else "setext_heading")
        elif token.type in {"blockquote_open", "bullet_list_open"}:
            signs.add(token.type.removesuffix("_open"))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open" and child.markup != "autolink":
                    signs.add("link")
                elif child.type == "strong_open":
                    signs.add("strong")
    return signs


def _parse(text: str) -> tuple[dict[str, str], list[Token]]:
    """The front matter fields and the tokens of a Markdown text."""
    tokens = _markdown.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        return {}, tokens
    if fields := front_matter_fields(tokens[0].content):
        return fields, tokens[1:]
    return {}, _markdown_without_front_matter.parse(text)


# Every sign above needs one of these: a line opening (after at most three spaces) with #, >, a
# bullet or an underline (= or -, which also opens front matter), a [ for a link, ** or __ for
# strong. Text with none of them is plain without parsing it (most text files).
_MAYBE_MARKDOWN = re.compile(r"^ {0,3}[#>*+=-]|\[|\*\*|__", re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    sample = text[:DETECTION_SAMPLE]
    if not _MAYBE_MARKDOWN.search(sample):
        return False
    fields, tokens = _parse(sample)
    if fields.get("title"):
        return True
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1" and tokens[0].markup == "#":
        return True
    return len(_signs_of(tokens) & MARKDOWN_SIGNS) >= 2


def front_matter_fields(content: str) -> dict[str, str]:
    """Simple ``key: value`` front matter, as static-site generators write it (nested values are skipped)."""
    fields = {}
    for line in content.split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip() and not line[:1].isspace():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields


def published_on(value: str) -> datetime.date | None:
    # Front matter dates are often timestamps ("2025-06-03T10:00:00Z"): the date part is enough.
    return (parse_date(value) or parse_date(value[:10])) if value else None


def same_words(one: str, other: str) -> bool:
    """Whether two headings say the same thing, whatever their case, spacing and punctuation."""
    return re.findall(r"\w+", one.casefold()) == re.findall(r"\w+", other.casefold())


def _blocks(tokens: list[Token]) -> list[tuple[Token, list[str], list[dict[str, str]], str]]:
    """(opening token, lines, links, role) for each heading, paragraph and code block, in order."""
    found = []
    quote_depth = 0
    for index, token in enumerate(tokens):
        role = "quote" if quote_depth else "body"
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline":
            inline = _plain(token.children or [])
            found.append((tokens[index - 1], inline.lines, inline.links, role))
        elif token.type in {"fence", "code_block"}:
            lines = [line.strip() for line in token.content.split("\n") if line.strip()]
            found.append((token, lines, [], role))
    return found


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def parse_markdown(text: str) -> ParsedArticle:
    # Counted before markdown-it reads the text: its tokens for a million paragraphs would fill memory.
    limit = limits.current().paragraphs
    limits.check_paragraph_count(sum(1 for _ in itertools.islice(BLANK_LINE.finditer(text), limit + 1)))
    fields, tokens = _parse(text)
    title = _inline_text(fields.get("title", ""))
    title_links: list[dict[str, str]] = []
    # The front matter title wins. A first heading repeating it is dropped so the title does not
    # show twice; a different one is kept as a paragraph (it is text readers saw) and noted.
    differing_heading = ""
    blocks: list[Block] = []
    removed: list[str] = []
    for opening, lines, links, role in _blocks(tokens):
        if not lines:
            continue
        if opening.type == "heading_open" and opening.tag == "h1" and (not blocks or only_labels(blocks)):
            # A masthead or section label may stand above the headline; it goes with the furniture.
            removed.extend(line for block in blocks for line in block.lines)
            blocks = []
            heading = " ".join(lines)
            if not title:
                title, title_links = heading, links
                continue
            if same_words(heading, title):
                continue
            differing_heading = heading
        if opening.type == "heading_open":
            lines = [" ".join(lines)]  # a heading is one paragraph, however its lines were broken
        blocks.append(Block(lines, role, links))
    url = fields.get("canonical_url") or fields.get("url") or fields.get("source") or ""
    article = build_article(
        blocks,
        source_format="markdown",
        title=title,
        published_on=published_on(fields.get("date", "")),
        authors=clean_author(normalise_line(fields.get("author", ""))),
        original_url=url if is_web_url(url) else "",
        links=title_links,
        removed=removed,
    )
    if differing_heading:
        article.notes.append(
            f"The first heading (“{differing_heading}”) differs from the front matter title (“{title}”); "
            "it was kept as the first paragraph."
        )
    return article
