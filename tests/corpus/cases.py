"""The importer corpus: one directory per case, its input file and ``expected.json``.

``expected.json`` holds the ``title``, ``date`` (ISO, or null), ``authors`` (names, without
roles), ``language`` and ``paragraphs`` a reader would take from the input, the ``furniture`` lines
of the page that must not be kept, and ``held_out`` for the cases written after the rules, kept
as a check that they hold for pages they were not tuned on. Word cases are built from ``source.json``
by ``make_docx.py`` beside this file, and the .docx it writes is committed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent
FIELDS = ["title", "date", "authors", "language", "paragraphs"]


@dataclass
class Case:
    name: str
    path: Path
    expected: dict

    @property
    def batch(self) -> int:
        """0 for the development cases, else the held-out batch (1, 2, ...) the case was written in."""
        held_out = self.expected.get("held_out", 0)
        return 1 if held_out is True else int(held_out)

    @property
    def held_out(self) -> bool:
        return self.batch > 0

    def data(self) -> bytes:
        return self.path.read_bytes()


def cases() -> list[Case]:
    found = []
    for directory in sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")):
        inputs = sorted(directory.glob("input.*"))
        if len(inputs) != 1:
            raise ValueError(f"{directory.name}: expected one input.* file, found {len(inputs)}")
        expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
        found.append(Case(directory.name, inputs[0], expected))
    return found


def squash(text: str) -> str:
    return " ".join(text.split())


def actual_fields(parsed) -> dict:
    """The fields of a ParsedArticle in the form ``expected.json`` gives them."""
    return {
        "title": parsed.title,
        "date": parsed.published_on.isoformat() if parsed.published_on else None,
        "authors": parsed.authors,
        "language": parsed.language,
        "paragraphs": [p.text for p in parsed.paragraphs],
    }


def field_right(field: str, expected, actual) -> bool:
    if field == "paragraphs":
        return [squash(t) for t in expected] == [squash(t) for t in actual]
    if field == "title":
        return squash(expected) == squash(actual)
    return expected == actual


def furniture_kept(expected: dict, actual: dict) -> list[str]:
    """Furniture lines found in the output: as a whole paragraph or the title, or (when long enough
    not to occur by chance) inside one."""
    texts = [squash(actual["title"]), *(squash(t) for t in actual["paragraphs"])]
    kept = []
    for line in expected.get("furniture", []):
        line = squash(line)
        if any(text == line or (len(line) >= 20 and line in text) for text in texts):
            kept.append(line)
    return kept


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())
