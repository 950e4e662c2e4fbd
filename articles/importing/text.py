"""Plain text, as copied or scraped from an article page, page furniture included."""

from __future__ import annotations

from .base import ParsedArticle
from .structure import build_article, text_blocks


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def parse_text(text: str) -> ParsedArticle:
    return build_article(text_blocks(normalise_newlines(text)), source_format="text")
