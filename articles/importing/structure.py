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

from . import limits
from .base import ImportProblem, ParsedArticle, ParsedParagraph
from .metadata import BYLINE, Metadata, furniture_regex, looks_like_name, parse_date, proper_name, read_line

__all__ = [
    "Block",
    "build_article",
    "is_furniture",
    "only_labels",
    "normalise_line",
    "parse_date",
    "text_blocks",
]

SIGNATURE_NAME = re.compile(r"^[—–-]?\s*(?P<name>[^\W\d_][\w .'’\-]{1,80}),$")

# A line longer than this was not hard-wrapped by an editor: each such line is a paragraph.
WRAP_WIDTH = 100
# Metadata (dates, bylines) is looked for in this many blocks at the top.
HEAD_BLOCKS = 4
# A title longer than this is really the first paragraph of a file without a title.
MAX_TITLE = 250
# A label above a headline (a section, a masthead) has at most this many words, unless in capitals.
LABEL_WORDS = 3


@dataclass
class Block:
    lines: list[str]
    role: str = "body"  # body or quote; the first body paragraph becomes the lede
    links: list[dict[str, str]] = field(default_factory=list)


# Pieces of a line of furniture: "Share: Twitter · Email", "Last updated 13 April 2025. Visitors: 2,031".
FURNITURE_PIECES = re.compile(r"\s*[|·•]\s*|(?<=[.!])\s+")
# A line with no letter at all: counters ("2 410", "👁 312"), rules, dates in figures.
NO_LETTERS = re.compile(r"^[\W\d_]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Headings that introduce a list of other articles: the short lines after one are headlines too.
RELATED = re.compile(
    r"^\s*(?:related(?: articles| stories| posts| commentary| coverage| reading)?|read (?:also|more|next)"
    r"|explore more(?: on (?:this|these) topics?)?|more on (?:this|these) topics?|материалы по теме"
    r"|more (?:on this|on the topic|from [\w ]{1,40}|in [\w ]{1,40})|you may also like|recommended(?: for you)?"
    r"|see also|читайте (?:также|по теме|ещё|еще)|по теме|смотрите также|ещё по теме|еще по теме"
    r"|связанные материалы|похожие (?:новости|материалы|записи|статьи)|другие (?:новости|материалы|статьи)[\w ]{0,30}"
    r"|тақырыпқа қатысты|тақырып бойынша|ұқсас (?:жаңалықтар|жазбалар|материалдар|мақалалар)|оқи отырыңыз"
    r"|тағы оқыңыз|басқа жаңалықтар)\s*:?\s*$",
    re.IGNORECASE,
)
# A picture's credit: the line before it, a sentence of its own, is the picture's caption.
CREDIT = re.compile(
    r"^\s*(?:photo|image|illustration|picture|фото|сурет|иллюстрация)s?\b(?:\s+(?:by|credit|caption))?\s*[:/]",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    """A whole line of page furniture: a pattern of ``GLOSSA_FURNITURE_PATTERNS``, a line without
    letters, a navigation line ("Home | News | Sport"), or pieces each of which is furniture."""
    regex = furniture_regex()
    if regex.match(line):
        return True
    if NO_LETTERS.match(line):
        # Control characters are left to clean_text, which drops them with a message of its own.
        return parse_date(line) is None and not CONTROL.search(line)
    if len(line) > MAX_TITLE:
        return False  # a line of furniture pieces is short; prose is not split to find out
    if _is_navigation(line):
        return True
    pieces = [piece for piece in FURNITURE_PIECES.split(line) if piece.strip()]
    return len(pieces) > 1 and all(regex.match(piece) or NO_LETTERS.match(piece) for piece in pieces)


def _is_navigation(line: str) -> bool:
    """Menu or breadcrumb lines: three or more short items between bars, or a masthead and a section."""
    items = [
        item.strip() for item in re.split(r"\s+[|/»>›]\s+|\s*\|\s*|\s+·\s+|\s*::\s*", line) if item.strip()
    ]
    if len(items) < 2 or any(len(item.split()) > 4 or item.endswith((".", "?", "!")) for item in items):
        return False
    if any(any(ch.isdigit() for ch in item) or BYLINE.match(item) for item in items):
        return False
    return (
        len(items) >= 3
        or any(is_capitals(item) for item in items)
        or all(len(item.split()) <= LABEL_WORDS for item in items)
    )


def is_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def is_sentence_like(text: str) -> bool:
    """Text read as running prose rather than a heading or a label."""
    return len(text) > 150 or len(text.split()) > 25 or text.rstrip("”»\"')").endswith((".", "…", ";", ","))


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


def _drop_furniture(blocks: list[Block], removed: list[str], links: list[dict[str, str]]) -> list[Block]:
    """Furniture lines go, and split their block: the lines on either side are not one wrapped text.

    After a heading of related articles ("Read also", "Читайте также") the short lines that follow
    are those articles' headlines and go too, up to the next line of prose. A sentence right above
    a picture credit, in the same block, is the picture's caption.
    """
    kept: list[Block] = []
    in_related_list = False
    for block in blocks:
        limits.check_time()
        pieces: list[list[str]] = [[]]
        for line in block.lines:
            if in_related_list and not is_sentence_like(line) and len(line) <= MAX_TITLE:
                removed.append(line)
                pieces.append([])
                continue
            in_related_list = RELATED.match(line) is not None
            if in_related_list or is_furniture(line):
                if (
                    CREDIT.match(line)
                    and pieces[-1]
                    and pieces[-1][-1].endswith(".")
                    and len(pieces[-1][-1]) <= 150
                ):
                    removed.append(pieces[-1].pop())  # the picture's caption, right above its credit
                removed.append(line)
                pieces.append([])
            else:
                pieces[-1].append(line)
        pieces = [lines for lines in pieces if lines]
        for number, lines in enumerate(pieces):
            kept.append(Block(lines, block.role, block.links if number == 0 else []))
        if pieces:
            links.extend(block.links)
    return kept


def _is_label(line: str) -> bool:
    """A section label or masthead: a few words, or a line in capitals, that is not prose."""
    if is_sentence_like(line) or line.endswith((":", "?", "!")):
        return False
    return is_capitals(line) and len(line.split()) <= 8 or len(line.split()) <= LABEL_WORDS


def only_labels(blocks: list[Block]) -> bool:
    """Whether the blocks above a heading are no more than labels and furniture (a masthead, a
    section name): the heading under them is then the headline."""
    lines = [line for block in blocks for line in block.lines]
    return 0 < len(lines) <= 4 and all(_is_label(line) or is_furniture(line) for line in lines)


def _take_labels(blocks: list[Block], meta: Metadata, removed: list[str]) -> list[Block]:
    """Labels and mastheads above a headline go, so that the headline becomes the title.

    The headline is the last heading-like line before the article starts (a date or byline line,
    or prose); the lines above it go when each is a label (a few words, or capitals). When no
    such start is in sight, nothing is taken for a label: a short title stays the title.
    """
    while blocks and blocks[0].role == "body" and read_line(blocks[0].lines[0], meta):
        # A date or byline above the headline.
        blocks[0].lines = blocks[0].lines[1:]
        blocks = [block for block in blocks if block.lines]
    units: list[tuple[int, str]] = []  # (block index, line) of the leading heading-like lines
    start = None
    for index, block in enumerate(blocks[: HEAD_BLOCKS + 2]):
        if block.role != "body":
            break
        for number, line in enumerate(block.lines):
            prose = is_sentence_like(line) or (number == 0 and is_sentence_like(" ".join(block.lines)))
            if prose or read_line(line, Metadata(), bare_name_role=bool(units)):
                start = len(units)
                break
            if line[:1].islower() and units:
                units[-1] = (units[-1][0], f"{units[-1][1]} {line}")  # a headline an editor wrapped
            else:
                units.append((index, line))
        if start is not None:
            break
    if not start or start < 2:
        return blocks
    labels = 0
    while labels < start - 1 and (_is_label(units[labels][1]) or is_furniture(units[labels][1])):
        labels += 1
    for _index, line in units[:labels]:
        removed.append(line)
        block = blocks[_index]
        block.lines = block.lines[1:]
    return [block for block in blocks if block.lines]


def _take_title(blocks: list[Block], meta: Metadata) -> tuple[str, list[Block]]:
    """The headline from the first block: its first line, with the lines an editor wrapped it onto,
    when the rest of the block is metadata ("By Jane Doe", a date); otherwise the whole block."""
    first = blocks[0]
    if len(first.lines) > 1 and max(len(line) for line in first.lines) <= WRAP_WIDTH:
        end = 1
        while end < len(first.lines) and first.lines[end][:1].islower():
            end += 1
        rest = first.lines[end:]
        trial = Metadata()
        if rest and all(
            read_line(line, trial, bare_name_role=number == 0) for number, line in enumerate(rest)
        ):
            return " ".join(first.lines[:end]), [Block(rest, first.role, []), *blocks[1:]]
    paragraphs = _paragraphs_of(first)
    rest_lines = first.lines[1:] if len(paragraphs) > 1 else []
    remaining = [Block(rest_lines, first.role, [])] if rest_lines else []
    return paragraphs[0], [*remaining, *blocks[1:]]


def _take_bare_name(blocks: list[Block], meta: Metadata) -> list[Block]:
    """A name alone on the line right under the headline, with a date line next to it, is a byline."""
    if meta.authors or not blocks or blocks[0].role != "body":
        return blocks
    lines = [line for block in blocks[:2] for line in block.lines][:2]
    if len(lines) < 2 or not looks_like_name(lines[0]) or len(lines[0].split()) < 2 or "," in lines[0]:
        return blocks
    if BYLINE.match(lines[0]):
        return blocks  # a labelled byline ("By Jane Doe"), read as one below
    trial = Metadata()
    if not (read_line(lines[1], trial) and trial.published_on and not trial.authors):
        return blocks
    meta.authors = [proper_name(lines[0])]
    blocks[0].lines = blocks[0].lines[1:]
    return [block for block in blocks if block.lines]


def _take_head_metadata(blocks: list[Block], meta: Metadata) -> list[Block]:
    """Date and byline lines in the first blocks under the title; "Name, role" only right under it."""
    kept = []
    position = 0
    for index, block in enumerate(blocks):
        if index < HEAD_BLOCKS and block.role == "body":
            lines = []
            for line in block.lines:
                if not read_line(line, meta, bare_name_role=position == 0):
                    lines.append(line)
                position += 1
            if not lines:
                continue
            block.lines = lines
        kept.append(block)
    return kept


def _take_author_note(blocks: list[Block], meta: Metadata, removed: list[str]) -> list[Block]:
    """A closing line about the author ("Jane Doe writes about ...", "Иван Петров — журналист")."""
    if not blocks or not meta.authors or len(blocks[-1].lines) != 1:
        return blocks
    line = blocks[-1].lines[0]
    for name in meta.authors:
        rest = line[len(name) :] if line.startswith(name) else ""
        if rest and len(line) <= 300 and (rest[:2] in {" —", " –", " -", ", "} or rest[1:2].islower()):
            removed.append(line)
            return blocks[:-1]
    return blocks


def _take_closing_byline(blocks: list[Block], meta: Metadata) -> list[Block]:
    """A labelled byline ("Автор: Иван Петров", "By Jane Doe") as the article's last line."""
    if blocks and blocks[-1].role == "body" and len(blocks[-1].lines) == 1:
        trial = Metadata()
        if read_line(blocks[-1].lines[0], trial) and trial.authors and trial.published_on is None:
            if not meta.authors:
                meta.authors, meta.author_role = trial.authors, trial.author_role
            return blocks[:-1]
    return blocks


def _take_bare_signature(blocks: list[Block], meta: Metadata) -> list[Block]:
    """A name alone as the last line, as a signature under the text (two to four words)."""
    if not blocks or blocks[-1].role != "body" or len(blocks[-1].lines) != 1 or len(blocks) < 2:
        return blocks
    line = blocks[-1].lines[0]
    if not (looks_like_name(line) and 2 <= len(line.split()) <= 4 and not BYLINE.match(line)):
        return blocks
    if meta.authors and proper_name(line) != meta.authors[0]:
        return blocks
    meta.authors = meta.authors or [proper_name(line)]
    return blocks[:-1]


def _take_signature(blocks: list[Block], meta: Metadata) -> list[Block]:
    """A closing "Name,\nrole" signature, as one block of two lines or as two one-line blocks."""
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
    if not meta.authors or meta.authors[0] == name:
        meta.authors, meta.author_role = [name, *meta.authors[1:]], meta.author_role or role
    return blocks[:-drop]


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
    authors: list[str] | None = None,
    author_role: str = "",
    outlet_name: str = "",
    original_url: str = "",
    removed: list[str] | None = None,
    links: list[dict[str, str]] | None = None,
    empty_message: str = "The file has no text once page furniture is removed.",
) -> ParsedArticle:
    removed = list(removed or [])
    links = list(links or [])
    kept = _drop_furniture(blocks, removed, links)
    if not kept and not title:
        raise ImportProblem(empty_message)

    meta = Metadata(published_on=published_on, authors=list(authors or []), author_role=author_role)
    notes = meta.notes
    title = normalise_line(title)
    if not title:
        kept = _take_labels(kept, meta, removed)
        if not kept:
            raise ImportProblem(empty_message)
        first = " ".join(kept[0].lines)
        if len(first) <= MAX_TITLE or len(kept[0].lines) > 1:
            title, kept = _take_title(kept, meta)
        if len(title) > MAX_TITLE or not title:
            kept = [Block([title], "body"), *kept] if title else kept
            first = " ".join(kept[0].lines)
            title = first[:120].rsplit(" ", 1)[0] + "…"
            notes.append("No title line was found; the title was cut from the first paragraph.")
    if kept and " ".join(kept[0].lines) == title:
        kept = kept[1:]  # the page repeats its title as a heading
    kept = _take_bare_name(kept, meta)
    kept = _take_head_metadata(kept, meta)
    kept = _take_author_note(kept, meta, removed)
    kept = _take_closing_byline(kept, meta)
    kept = _take_signature(kept, meta)
    kept = _take_bare_signature(kept, meta)
    kept = _take_author_note(kept, meta, removed)

    paragraphs: list[ParsedParagraph] = []
    for block in kept:
        paragraphs.extend(ParsedParagraph(text, block.role) for text in _paragraphs_of(block))
    if paragraphs and paragraphs[0].text == title:
        paragraphs.pop(0)  # the page repeats its title as a heading
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
        author_name=meta.authors[0] if meta.authors else "",
        author_role=meta.author_role,
        co_authors=meta.authors[1:],
        outlet_name=outlet_name,
        original_url=original_url,
        source_format=source_format,
        removed=removed,
        links=links,
        notes=notes,
    )
