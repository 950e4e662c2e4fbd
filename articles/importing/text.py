"""Plain text, as copied or scraped from an article page, page furniture included."""

from __future__ import annotations

import datetime
import re

import dateparser

from .base import ImportProblem, ParsedArticle, ParsedParagraph

# Lines that belong to the page around an article, never to the article. Matched whole, case-insensitively.
FURNITURE_PATTERNS = [
    r"x",
    r"a source",
    r"source",
    r"comments?(\s*\(?\d+\)?)?",
    r"\d{1,4}",
    r"read on the topic",
    r"read also",
    r"related( articles)?",
    r"share( this( article)?)?",
    r"(share on )?(facebook|twitter|telegram|vk|vkontakte|whatsapp|linkedin|email|print)",
    r"subscribe.*",
    r"advertisement",
    r"источник",
    r"комментари[иея](\s*\(?\d+\)?)?",
    r"читайте (также|по теме)",
    r"по теме",
    r"поделиться",
    r"реклама",
]
FURNITURE = re.compile(r"^\s*(?:" + "|".join(FURNITURE_PATTERNS) + r")\s*[:.]?\s*$", re.IGNORECASE)

DATE_LINE = re.compile(
    r"^\s*(?:date of publication|published( on)?|date|дата публикации|опубликовано)\s*[:\-–]\s*(?P<date>.+?)\s*$",
    re.IGNORECASE,
)
# "Name Surname," followed by a role line closes many opinion pieces.
SIGNATURE_NAME = re.compile(r"^(?P<name>[^\W\d_][\w .'’\-]{2,80}),$")


def is_furniture(line: str) -> bool:
    return bool(FURNITURE.match(line))


def parse_date(text: str) -> datetime.date | None:
    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True})
    return parsed.date() if parsed else None


def blocks_of(text: str) -> list[list[str]]:
    """Blank-line separated blocks of stripped, non-empty lines."""
    blocks, current = [], []
    for raw in text.split("\n"):
        line = raw.replace("\u00a0", " ").strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_text(text: str) -> ParsedArticle:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    removed: list[str] = []
    kept: list[list[str]] = []
    for block in blocks_of(text):
        lines = []
        for line in block:
            if is_furniture(line):
                removed.append(line)
            else:
                lines.append(line)
        if lines:
            kept.append(lines)
    if not kept:
        raise ImportProblem("The file has no text once page furniture is removed.")

    title = " ".join(kept.pop(0))
    published_on = None
    author_name = author_role = ""
    for index, block in enumerate(kept[:3]):
        match = DATE_LINE.match(" ".join(block))
        if match and (date := parse_date(match["date"])):
            published_on = date
            kept.pop(index)
            break
    if kept and len(kept[-1]) == 2 and (signature := SIGNATURE_NAME.match(kept[-1][0])):
        author_name, author_role = signature["name"].strip(), kept[-1][1].strip()
        kept.pop()
    if not kept:
        raise ImportProblem("The file has a title but no paragraphs.")

    paragraphs = [
        ParsedParagraph(" ".join(block), "lede" if i == 0 else "body") for i, block in enumerate(kept)
    ]
    return ParsedArticle(
        title=title,
        paragraphs=paragraphs,
        published_on=published_on,
        author_name=author_name,
        author_role=author_role,
        source_format="text",
        removed=removed,
    )
