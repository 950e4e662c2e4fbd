"""Writes input.docx for every corpus case that has a source.json (run after editing one):

    python tests/corpus/make_docx.py

source.json: {"paragraphs": [[style or null, text], ...], "core_title": "..."}; a "\\n" in a text is
a line break inside its paragraph. The document's author property is set to whoever typed it up, as
Word does, which is not the article's author.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import docx

HERE = Path(__file__).parent


def build(source: dict, target: Path) -> None:
    document = docx.Document()
    for style, text in source["paragraphs"]:
        paragraph = document.add_paragraph(style=style)
        for number, line in enumerate(text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            run = paragraph.add_run(line)
            run.italic = source.get("italic_first", "") == line or None
    properties = document.core_properties
    properties.title = source.get("core_title", "")
    properties.author = "Desk Computer 3"
    # Fixed times, so that the file is the same each time it is built.
    properties.created = properties.modified = datetime.datetime(2025, 1, 1)
    properties.last_modified_by = "Desk Computer 3"
    properties.revision = 1
    document.save(target)


def main() -> None:
    for source_path in sorted(HERE.glob("*/source.json")):
        build(json.loads(source_path.read_text(encoding="utf-8")), source_path.parent / "input.docx")
        print(f"wrote {source_path.parent.name}/input.docx")


if __name__ == "__main__":
    main()
