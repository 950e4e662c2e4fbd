from __future__ import annotations

import datetime
from dataclasses import dataclass, field


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
    outlet_name: str = ""
    original_url: str = ""
    language: str = ""
    source_format: str = "text"
    encoding: str = ""
    removed: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict:
        """What the import did, kept on the article for provenance."""
        return {
            "format": self.source_format,
            "encoding": self.encoding,
            "language": self.language,
            "paragraphs": len(self.paragraphs),
            "removed_furniture": list(self.removed),
            "links": list(self.links),
            "notes": list(self.notes),
        }
