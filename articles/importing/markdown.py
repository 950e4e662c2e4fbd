"""Markdown: headings, quotes and lists become paragraphs; emphasis and links are reduced to their text.

Link targets are not lost: they go to the import report, where an editor can turn them into sources.
"""

from __future__ import annotations

import re

from ..validators import is_web_url
from .base import ParsedArticle
from .structure import Block, build_article, normalise_line, parse_date

ATX_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
QUOTE = re.compile(r"^\s{0,3}>\s?")
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
REFERENCE_DEFINITION = re.compile(
    r"^\s{0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<url>\S+?)>?(?:\s+[\"'(].*[\"')])?\s*$"
)

URL = r"(?P<url>(?:[^()\s<>]|\([^()\s]*\))*)"  # one level of balanced parentheses, as in wiki URLs
IMAGE = re.compile(r"!\[(?P<text>[^\]]*)\]\(<?" + URL + r">?(?:\s+[\"'][^\"']*[\"'])?\)")
INLINE_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\(<?" + URL + r">?(?:\s+[\"'][^\"']*[\"'])?\)")
REFERENCE_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\[(?P<ref>[^\]]*)\]")
AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
CODE = re.compile(r"`+(?P<text>[^`]+)`+")
STRONG = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)(?P<text>.+?)(?<=\S)\*(?!\*)|(?<!\w)_(?=\S)(?P<text2>.+?)(?<=\S)_(?!\w)"
)
STRIKE = re.compile(r"~~(?P<text>.+?)~~")
ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>~|])")

MARKDOWN_SIGNS = [
    re.compile(r"^\s{0,3}#{1,6}\s+\S", re.MULTILINE),
    INLINE_LINK,
    STRONG,
    re.compile(r"^\s{0,3}>\s?\S", re.MULTILINE),
    re.compile(r"^\s{0,3}[-*+]\s+\S", re.MULTILINE),
    re.compile(r"^\s{0,3}(=+|-+)\s*$", re.MULTILINE),
]


def looks_like_markdown(text: str) -> bool:
    if front_matter(text[:4000].split("\n"))[0].get("title"):
        return True
    first_line = next((line for line in text.split("\n") if line.strip()), "")
    if ATX_HEADING.match(first_line) and first_line.lstrip().startswith("# "):
        return True
    head = text[:20000]
    found = 0
    for sign in MARKDOWN_SIGNS:
        if sign.search(head):
            found += 1
            if found == 2:
                return True
    return False


def reduce_inline(text: str, references: dict[str, str], links: list[dict[str, str]]) -> str:
    """Markdown inline markup to plain text; web link targets are appended to ``links``."""

    def keep(text: str, url: str) -> str:
        text = reduce_inline(text, references, links) if text else url
        if is_web_url(url):
            links.append({"text": text, "url": url})
        return text

    text = CODE.sub(lambda m: m["text"].replace("*", "\\*").replace("_", "\\_"), text)
    text = IMAGE.sub(lambda m: keep(m["text"], m["url"]), text)
    text = INLINE_LINK.sub(lambda m: keep(m["text"], m["url"]), text)
    text = REFERENCE_LINK.sub(
        lambda m: keep(m["text"], references.get((m["ref"] or m["text"]).lower(), "")), text
    )
    text = AUTOLINK.sub(lambda m: keep("", m["url"]), text)
    for _ in range(2):  # nested emphasis: ***both***
        text = STRONG.sub(lambda m: m["text"], text)
        text = EMPHASIS.sub(lambda m: m["text"] or m["text2"], text)
    text = STRIKE.sub(lambda m: m["text"], text)
    return ESCAPE.sub(lambda m: m["char"], text)


def front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Simple ``key: value`` YAML front matter (as static-site generators write it) and the lines after it."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end, line in enumerate(lines[1:41], start=1):
        if line.strip() in {"---", "..."}:
            fields = {}
            for entry in lines[1:end]:
                key, colon, value = entry.partition(":")
                if colon and key.strip():
                    fields[key.strip().lower()] = value.strip().strip("\"'")
            return fields, lines[end + 1 :]
    return {}, lines


def published_on(value: str):
    # Front matter dates are often timestamps ("2025-06-03T10:00:00Z"): the date part is enough.
    return (parse_date(value) or parse_date(value[:10])) if value else None


def same_words(one: str, other: str) -> bool:
    """Whether two headings say the same thing, whatever their case, spacing and punctuation."""
    return re.findall(r"\w+", one.casefold()) == re.findall(r"\w+", other.casefold())


def parse_markdown(text: str) -> ParsedArticle:
    fields, lines = front_matter(text.split("\n"))
    references = {}
    for line in lines:
        if match := REFERENCE_DEFINITION.match(line):
            references[match["ref"].lower()] = match["url"]

    title = fields.get("title", "")
    # The front matter title wins. A first heading repeating it is dropped so the title does not
    # show twice; a different one is kept as a paragraph (it is text readers saw) and noted.
    differing_heading = ""
    raw_blocks: list[tuple[list[str], str]] = []  # (lines, role)
    current: list[str] = []
    current_role = "body"
    in_fence = False

    def flush():
        nonlocal current, current_role
        if current:
            raw_blocks.append((current, current_role))
        current, current_role = [], "body"

    for raw in lines:
        if FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if raw.strip():
                current.append(raw.strip())
            continue
        if not raw.strip() or RULE.match(raw) or REFERENCE_DEFINITION.match(raw):
            flush()
            continue
        if heading := ATX_HEADING.match(raw):
            flush()
            if len(heading["marks"]) == 1 and not raw_blocks and not differing_heading:
                if not title:
                    title = heading["text"]
                    continue
                if same_words(
                    reduce_inline(heading["text"], references, []), reduce_inline(title, references, [])
                ):
                    continue
                differing_heading = heading["text"]
                raw_blocks.append(([heading["text"]], "body"))
            else:
                raw_blocks.append(([heading["text"]], "body"))
            continue
        if SETEXT_UNDERLINE.match(raw) and current:
            heading_text = " ".join(current)
            current = []
            if raw.strip().startswith("=") and not raw_blocks:
                if not title:
                    title = heading_text
                    continue
                if same_words(
                    reduce_inline(heading_text, references, []), reduce_inline(title, references, [])
                ):
                    continue
                differing_heading = heading_text
                raw_blocks.append(([heading_text], "body"))
            else:
                raw_blocks.append(([heading_text], "body"))
            continue
        if quote := QUOTE.match(raw):
            if current_role != "quote":
                flush()
                current_role = "quote"
            current.append(raw[quote.end() :].strip())
            continue
        if item := LIST_ITEM.match(raw):
            flush()
            current.append(raw[item.end() :].strip())
            continue
        if current_role == "quote":
            flush()
        current.append(raw.strip())
    flush()

    links: list[dict[str, str]] = []
    blocks = []
    for block_lines, role in raw_blocks:
        reduced = [normalise_line(reduce_inline(line, references, links)) for line in block_lines]
        reduced = [line for line in reduced if line]
        if reduced:
            blocks.append(Block(reduced, role))
    title = normalise_line(reduce_inline(title, references, links))
    url = fields.get("canonical_url") or fields.get("url") or fields.get("source") or ""
    article = build_article(
        blocks,
        source_format="markdown",
        title=title,
        published_on=published_on(fields.get("date", "")),
        author_name=normalise_line(fields.get("author", "")),
        original_url=url if is_web_url(url) else "",
        links=links,
    )
    if differing_heading:
        article.notes.append(
            f"The first heading (“{normalise_line(reduce_inline(differing_heading, references, []))}”) "
            f"differs from the front matter title (“{title}”); it was kept as the first paragraph."
        )
    return article
