"""What every format shares once its text is in blocks: furniture, dates, bylines, signatures, paragraphs.

Each format parser turns its input into ``Block`` objects (the lines of one paragraph-to-be) and
hands them to ``build_article``, so a date line or a closing signature is understood the same way
in a text file, a Word file or a saved web page.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

import dateparser
from django.conf import settings

from . import limits
from .base import ImportProblem, ParsedArticle, ParsedParagraph

# Languages tried for dates; naming them keeps dateparser from guessing among all it knows (slow).
DATE_LANGUAGES = ["en", "ru", "uk", "de", "fr", "es", "it", "pl"]

# A line longer than this was not hard-wrapped by an editor: each such line is a paragraph.
WRAP_WIDTH = 100
# Metadata (dates, bylines) is looked for in this many blocks at the top.
HEAD_BLOCKS = 4
# A title longer than this is really the first paragraph of a file without a title.
MAX_TITLE = 250

DATE_LABEL = re.compile(
    r"^(?:date of publication|publication date|date published|published(?: on)?|posted(?: on)?|date"
    r"|publié le|publié|veröffentlicht am|veröffentlicht|publicado el|publicado|pubblicato il|pubblicato"
    r"|дата публикации|дата|опубликовано|дата выхода|опубліковано)(?:\s*[:\-–—]\s*|\s+)(?P<date>.+)$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:by|written by|author|автор|авторы|текст)(?:\s*[:\-–—]\s*|\s+)(?P<rest>.+)$", re.IGNORECASE
)
BYLINE_SEPARATOR = re.compile(r"\s+[|•·—–]\s+|\s*\|\s*")
SIGNATURE_NAME = re.compile(r"^[—–-]?\s*(?P<name>[^\W\d_][\w .'’\-]{1,80}),$")
NAME_PARTICLES = {"de", "da", "del", "der", "van", "von", "la", "le", "bin", "ibn", "al", "el", "and", "и"}


@dataclass
class Block:
    lines: list[str]
    role: str = "body"  # body or quote; the first body paragraph becomes the lede
    links: list[dict[str, str]] = field(default_factory=list)


@lru_cache(maxsize=8)
def _furniture_regex(patterns: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"^\s*(?:{alternatives})\s*[:.]?\s*$", re.IGNORECASE)


def is_furniture(line: str) -> bool:
    return bool(_furniture_regex(tuple(settings.GLOSSA_FURNITURE_PATTERNS)).match(line))


# A date has a year (or is all digits and separators) and few words; anything else is not tried.
DATE_SHAPE = re.compile(r"\b\d{4}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


@lru_cache(maxsize=1)
def _date_parser() -> dateparser.DateDataParser:
    return dateparser.DateDataParser(
        languages=DATE_LANGUAGES,
        settings={
            "STRICT_PARSING": True,
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
            # Publication dates are written out; relative ("yesterday") and timestamp parsers only cost time.
            "PARSERS": ["absolute-time"],
        },
    )


# The commonest forms, read without dateparser (which costs a millisecond or two per line).
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DAY_MONTH_YEAR = re.compile(r"^(?:[a-z]+day,?\s+)?(\d{1,2})\s+([a-z]+)\s+(\d{4})$", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(r"^(?:[a-z]+day,?\s+)?([a-z]+)\s+(\d{1,2}),?\s+(\d{4})$", re.IGNORECASE)


def _common_date(text: str) -> datetime.date | None:
    try:
        if match := ISO_DATE.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if (match := DAY_MONTH_YEAR.match(text)) and match[2].lower() in MONTHS:
            return datetime.date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        if (match := MONTH_DAY_YEAR.match(text)) and match[1].lower() in MONTHS:
            return datetime.date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    except ValueError:  # 31 February
        return None
    return None


def parse_date(text: str) -> datetime.date | None:
    """A full date (day, month and year) in any of DATE_LANGUAGES, or None."""
    text = text.strip().rstrip(".")
    if not text or len(text) > 60 or len(text.split()) > 6 or not DATE_SHAPE.search(text):
        return None
    if date := _common_date(text):
        return date
    found = _date_parser().get_date_data(text)
    return found.date_obj.date() if found and found.date_obj else None


def looks_like_name(text: str) -> bool:
    words = text.replace(".", ". ").split()
    if not 1 <= len(words) <= 6 or len(text) > 80:
        return False
    if any(ch.isdigit() for ch in text):
        return False
    return (
        all(word[0].isupper() or word.lower() in NAME_PARTICLES for word in words) and words[0][0].isupper()
    )


def normalise_line(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").replace("\u200b", "").split())


def text_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks of non-empty lines; more of them, or a longer line, than an
    article may have is refused as soon as it is met."""
    blocks, current = [], []
    for raw in io.StringIO(text):  # line by line: a million short lines are never a list at once
        line = normalise_line(raw)
        if line:
            limits.check_paragraph_length(line)
            current.append(line)
        elif current:
            blocks.append(Block(current))
            current = []
            limits.check_paragraph_count(len(blocks))
            limits.check_time()
    if current:
        blocks.append(Block(current))
    return blocks


@dataclass
class _Metadata:
    published_on: datetime.date | None = None
    author_name: str = ""
    author_role: str = ""
    notes: list[str] = field(default_factory=list)


def _read_byline(line: str, meta: _Metadata) -> bool:
    match = BYLINE.match(line)
    if not match or len(line) > 200:
        return False
    name = role = ""
    date = None
    for part in BYLINE_SEPARATOR.split(match["rest"]):
        if date is None and (found := parse_date(part)):
            date = found
        elif not name:
            name, _, role = (piece.strip() for piece in part.partition(","))
    if not looks_like_name(name):
        return False
    meta.author_name, meta.author_role = name, role
    if date and meta.published_on is None:
        meta.published_on = date
    return True


def _read_metadata_line(line: str, meta: _Metadata) -> bool:
    """Take a date or byline from ``line`` into ``meta``; True when the line was metadata."""
    if len(line) > 200:
        return False
    if meta.published_on is None:
        if (match := DATE_LABEL.match(line)) and (date := parse_date(match["date"])):
            meta.published_on = date
            return True
        if date := parse_date(line):
            meta.published_on = date
            return True
    return not meta.author_name and _read_byline(line, meta)


def _take_head_metadata(blocks: list[Block], meta: _Metadata) -> list[Block]:
    kept = []
    for index, block in enumerate(blocks):
        if index < HEAD_BLOCKS and block.role == "body":
            lines = [line for line in block.lines if not _read_metadata_line(line, meta)]
            if not lines:
                continue
            block.lines = lines
        kept.append(block)
    return kept


def _take_signature(blocks: list[Block], meta: _Metadata) -> list[Block]:
    """A closing "Name,\\nrole" signature, as one block of two lines or as two one-line blocks."""
    if not blocks:
        return blocks
    last = blocks[-1]
    if len(last.lines) == 2:
        name_line, role_line, drop = last.lines[0], last.lines[1], 1
    elif len(last.lines) == 1 and len(blocks) > 1 and len(blocks[-2].lines) == 1:
        name_line, role_line, drop = blocks[-2].lines[0], last.lines[0], 2
    else:
        return blocks
    match = SIGNATURE_NAME.match(name_line)
    if not match or not looks_like_name(match["name"].strip()):
        return blocks
    if len(role_line) > 100 or role_line.endswith((".", "!", "?")):
        return blocks
    name, role = match["name"].strip(), role_line.strip()
    if not meta.author_name or meta.author_name == name:
        meta.author_name, meta.author_role = name, meta.author_role or role
    return blocks[:-drop]


def _take_rubric(blocks: list[Block], removed: list[str]) -> list[Block]:
    """A section label ("Economy") a scraped page puts on the line above its headline.

    A hard-wrapped headline fills its first line and continues in lower case; a word or two,
    then a line starting with a capital, is a label and a headline.
    """
    if not blocks or blocks[0].role != "body" or len(blocks[0].lines) < 2:
        return blocks
    if max(len(line) for line in blocks[0].lines) > WRAP_WIDTH:
        return blocks  # its lines are paragraphs each, the first one already the title
    first, headline = blocks[0].lines[0], blocks[0].lines[1]
    if (
        len(first.split()) > 2
        or len(first) > 30
        or not first[-1].isalnum()
        or any(c.isdigit() for c in first)
    ):
        return blocks
    if not headline[:1].isupper() or len(headline) <= len(first) or is_furniture(first):
        return blocks
    removed.append(first)
    blocks[0].lines = blocks[0].lines[1:]
    return blocks


def _paragraphs_of(block: Block) -> list[str]:
    """Hard-wrapped lines are joined; lines too long to have been wrapped are paragraphs each."""
    if len(block.lines) > 1 and max(len(line) for line in block.lines) > WRAP_WIDTH:
        return list(block.lines)
    return [" ".join(block.lines)]


def build_article(
    blocks: list[Block],
    *,
    source_format: str,
    title: str = "",
    published_on: datetime.date | None = None,
    author_name: str = "",
    author_role: str = "",
    outlet_name: str = "",
    original_url: str = "",
    removed: list[str] | None = None,
    links: list[dict[str, str]] | None = None,
    empty_message: str = "The file has no text once page furniture is removed.",
) -> ParsedArticle:
    removed = list(removed or [])
    links = list(links or [])
    kept = []
    for block in blocks:
        limits.check_time()
        # A furniture line ends the paragraph-to-be: the lines on either side are not one wrapped text.
        pieces: list[list[str]] = [[]]
        for line in block.lines:
            if is_furniture(line):
                removed.append(line)
                pieces.append([])
            else:
                pieces[-1].append(line)
        pieces = [lines for lines in pieces if lines]
        for number, lines in enumerate(pieces):
            kept.append(Block(lines, block.role, block.links if number == 0 else []))
        if pieces:
            links.extend(block.links)
    if not kept and not title:
        raise ImportProblem(empty_message)
    if not title:
        kept = _take_rubric(kept, removed)

    meta = _Metadata(published_on=published_on, author_name=author_name, author_role=author_role)
    kept = _take_head_metadata(kept, meta)
    kept = _take_signature(kept, meta)

    paragraphs: list[ParsedParagraph] = []
    for block in kept:
        paragraphs.extend(ParsedParagraph(text, block.role) for text in _paragraphs_of(block))
    notes = meta.notes
    title = normalise_line(title)
    if paragraphs and title and paragraphs[0].text == title:
        paragraphs.pop(0)  # the page repeats its title as a heading
    if not title:
        if not paragraphs:
            raise ImportProblem(empty_message)
        first = paragraphs[0].text
        if len(first) <= MAX_TITLE:
            title = paragraphs.pop(0).text
        else:
            title = first[:120].rsplit(" ", 1)[0] + "…"
            notes.append("No title line was found; the title was cut from the first paragraph.")
    if not paragraphs:
        raise ImportProblem(f"The file has a title (“{title[:80]}”) but no paragraphs.")
    for paragraph in paragraphs:
        if paragraph.role == "body":
            paragraph.role = "lede"
            break
    return ParsedArticle(
        title=title,
        paragraphs=paragraphs,
        published_on=meta.published_on,
        author_name=meta.author_name,
        author_role=meta.author_role,
        outlet_name=outlet_name,
        original_url=original_url,
        source_format=source_format,
        removed=removed,
        links=links,
        notes=notes,
    )
