"""Word (.docx) files: title from the Title style or the document properties, paragraphs in order."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError

from . import limits
from .base import ImportProblem, ParsedArticle
from .structure import Block, build_article, normalise_line, only_labels

QUOTE_STYLES = {"quote", "intense quote", "block text"}


def check_members(data: bytes) -> None:
    """The zip's members, as its directory declares them, fit the unpacked-size limit: checked before
    any is read. (A member that would unpack to more than it declares fails its CRC check unread.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportProblem(f"The Word file is damaged or is not a .docx document ({error}).") from None
    limits.check_unpacked(sum(member.file_size for member in members), "The Word file")


def open_document(data: bytes):
    check_members(data)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise ImportProblem(f"The Word file is damaged or is not a .docx document ({error}).") from None
    except Exception as error:  # lxml and zipfile raise many kinds on damaged packages
        raise ImportProblem(
            f"The Word file is damaged and cannot be read ({type(error).__name__})."
        ) from None


def parse_docx(data: bytes) -> ParsedArticle:
    document = open_document(data)
    title = ""
    blocks: list[Block] = []
    removed: list[str] = []
    for paragraph in document.paragraphs:
        limits.check_time()
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        text = paragraph.text
        limits.check_paragraph_length(text)
        lines = [normalise_line(line) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if style == "title" and not title:
            title = " ".join(lines)
            continue
        if style == "heading 1" and not title and (not blocks or only_labels(blocks)):
            # A masthead or section label typed above the headline goes with the furniture.
            removed.extend(line for block in blocks for line in block.lines)
            blocks = []
            title = " ".join(lines)
            continue
        blocks.append(Block(lines, "quote" if style in QUOTE_STYLES else "body"))
        limits.check_paragraph_count(len(blocks))
    if not title:
        title = normalise_line(document.core_properties.title or "")
    # core_properties.author names whoever made the file, not the article's author: not used.
    return build_article(
        blocks,
        source_format="docx",
        title=title,
        removed=removed,
        empty_message="The Word file has no text once page furniture is removed.",
    )
