from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..text import clean_text


class ImportProblem(ValueError):
    """A file cannot be imported; the message names what is wrong with it."""


@dataclass
class ParsedParagraph:
    text: str
    role: str = "body"  # lede, body or quote


@dataclass
class ParsedArticle:
    title: str
    paragraphs: list[ParsedParagraph]
    published_on: datetime.date | None = None
    author_name: str = ""
    author_role: str = ""
    # Further names of a byline with several ("Авторы: A, B", "By A and B"); the first is author_name.
    co_authors: list[str] = field(default_factory=list)
    outlet_name: str = ""
    original_url: str = ""
    language: str = ""
    source_format: str = "text"
    encoding: str = ""
    removed: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def authors(self) -> list[str]:
        return [self.author_name, *self.co_authors] if self.author_name else []

    def clean_texts(self) -> None:
        """Pass every text parsed through ``clean_text``, the archive's one rule for incoming text.

        Paragraphs are written with ``bulk_create``, which skips the models' own cleaning, so this is
        what keeps control characters out of pages, feeds and exports. A paragraph left empty goes.
        """
        self.title = _clean_line(self.title)
        self.author_name = _clean_line(self.author_name)
        self.author_role = _clean_line(self.author_role)
        self.co_authors = [name for name in map(_clean_line, self.co_authors) if name]
        self.outlet_name = _clean_line(self.outlet_name)
        self.original_url = _clean_line(self.original_url)
        for paragraph in self.paragraphs:
            paragraph.text = _clean_line(paragraph.text)
        self.paragraphs = [paragraph for paragraph in self.paragraphs if paragraph.text]
        if not any(paragraph.role == "lede" for paragraph in self.paragraphs):
            # The lede was made only of control characters: the next body paragraph leads instead.
            for paragraph in self.paragraphs:
                if paragraph.role == "body":
                    paragraph.role = "lede"
                    break
        self.removed = [line for line in map(_clean_line, self.removed) if line]
        self.links = [{key: _clean_line(value) for key, value in link.items()} for link in self.links]
        self.notes = [clean_text(note) for note in self.notes]
        if not self.title:
            raise ImportProblem(
                "The title is made only of control characters (such as escape codes); "
                "give the file a title in plain text."
            )
        if not self.paragraphs:
            raise ImportProblem("The file has no text once control characters are removed.")

    def report(self) -> dict:
        """What the import did, kept on the article for provenance."""
        return {
            "format": self.source_format,
            "encoding": self.encoding,
            "language": self.language,
            "authors": self.authors,
            "paragraphs": len(self.paragraphs),
            "removed_furniture": list(self.removed),
            "links": list(self.links),
            "notes": list(self.notes),
        }


def _clean_line(text: str) -> str:
    # Removing a control character can leave two spaces or an edge one where it stood.
    return " ".join(clean_text(text).split())
