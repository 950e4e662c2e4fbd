"""Builders for import test files: every fixture is made here or kept in tests/fixtures/import/."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "annotations"
    / "fixtures"
    / "demo"
    / "multi-vector-policy-in-kazakh-style.txt"
)

RUSSIAN = """Многовекторная политика по-казахски

Дата публикации: 12 марта 2025

В условиях противостояния России и Запада Астане всё сложнее сохранять равноудалённость во внешней политике.

После распада СССР в республику пришли транснациональные корпорации с готовыми проектами соглашений о разделе продукции.

Казахстан не спешит подавать заявку на членство в этом объединении, и позиция Астаны остаётся неясной.

Источник

Комментарии

Читайте также
"""

FRENCH = """La politique des ponts

Publié le 4 février 2025

Les ponts sont l'épine dorsale discrète de l'économie : leur entretien coûte cher, mais à long terme c'est la dépense publique la plus sûre.

Quand un pont ferme, les détours pèsent sur les travailleurs, les transporteurs et les services d'urgence pendant des années.
"""


def english_article(title: str = "Why bridges matter", paragraphs: int = 3, seed: str = "") -> str:
    body = "\n\n".join(
        f"Paragraph {n} {seed}: bridges carry commuters, freight and emergency services across the river, "
        f"and their upkeep is a public matter."
        for n in range(1, paragraphs + 1)
    )
    return f"{title}\n\n{body}\n"


def make_docx(
    paragraphs: list[tuple[str, str | None]], *, core_title: str = "", break_lines: bool = False
) -> bytes:
    """A .docx from (text, style) pairs; "\\n" in a text becomes a line break inside its paragraph."""
    document = docx.Document()
    for text, style in paragraphs:
        paragraph = document.add_paragraph(style=style)
        for number, line in enumerate(text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    if core_title:
        document.core_properties.title = core_title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" * 4
