"""Dates and bylines as outlets print them (articles/importing/metadata.py)."""

from __future__ import annotations

import datetime

import pytest

from articles.importing import parse_file
from articles.importing.metadata import Metadata, parse_date, read_line
from articles.importing.save import import_file

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.2025 10:45", D(2025, 3, 12)),
        ("03.06.2025", D(2025, 6, 3)),  # dots: day first
        ("28/02/2025", D(2025, 2, 28)),
        ("Tue, 03/11/2025 - 09:15", D(2025, 3, 11)),  # the weekday picks month first
        ("Thu, 06/05/2025 - 14:30", D(2025, 6, 5)),
        ("Ср, 16/04/2025 - 12:00", D(2025, 4, 16)),
        ("14 февраля 2025, 09:30", D(2025, 2, 14)),
        ("3 июня 2025 г.", D(2025, 6, 3)),
        ("2025 жылғы 7 сәуір", D(2025, 4, 7)),
        ("2025 ж. 3 қыркүйек", D(2025, 9, 3)),
        ("12 наурыз 2025", D(2025, 3, 12)),
        ("Monday 7 July 2025", D(2025, 7, 7)),
        ("12th March 2025", D(2025, 3, 12)),
        ("Sep 02, 2025", D(2025, 9, 2)),
        ("FEB. 3, 2025", D(2025, 2, 3)),
        ("4 février 2025", D(2025, 2, 4)),
    ],
)
def test_it_reads_dates_in_the_forms_outlets_print(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["February 2025", "2025", "Monday 8 July 2025", "31.02.2025", "13/13/2025"])
def test_it_does_not_make_a_date_of_what_is_not_one(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "authors", "role", "date"),
    [
        ("Published 3 June 2025 · by Elena Varga", ["Elena Varga"], "", D(2025, 6, 3)),
        ("Posted on 2025-02-14 by Anna Kowal", ["Anna Kowal"], "", D(2025, 2, 14)),
        ("Submitted by Ruth Abernethy on Thu, 06/05/2025 - 14:30", ["Ruth Abernethy"], "", D(2025, 6, 5)),
        ("By Owen Hartley | 2 September 2025", ["Owen Hartley"], "", D(2025, 9, 2)),
        ("By Lena Ostrova and Mark Tellington", ["Lena Ostrova", "Mark Tellington"], "", None),
        ("By Jane Doe, Senior Fellow", ["Jane Doe"], "Senior Fellow", None),
        ("BY SARAH KING", ["Sarah King"], "", None),
        ("Автор: Иван Соколов", ["Иван Соколов"], "", None),
        ("Авторы: Мария Левина, Олег Гринев", ["Мария Левина", "Олег Гринев"], "", None),
        ("Текст: Павел Зорин", ["Павел Зорин"], "", None),
        ("Опубликовано 5 апреля 2025 автором Анна Белова", ["Анна Белова"], "", D(2025, 4, 5)),
        ("Мақала авторы: Мәдина Қасымова · 2025 ж. 3 қыркүйек", ["Мәдина Қасымова"], "", D(2025, 9, 3)),
        ("March 11, 2025 · 6 min read", [], "", D(2025, 3, 11)),
    ],
)
def test_it_reads_metadata_lines(line, authors, role, date):
    meta = Metadata()
    assert read_line(line, meta)
    assert (meta.authors, meta.author_role, meta.published_on) == (authors, role, date)


@pytest.mark.parametrize(
    "line",
    [
        "By the way, this is the article itself.",
        "The council met on 4 February 2025 and voted for the plan.",
        "Published 3 June 2025 · by the way",
        "Bridges, again",
    ],
)
def test_a_sentence_is_not_a_metadata_line(line):
    meta = Metadata()
    assert not read_line(line, meta, bare_name_role=True)
    assert meta == Metadata()


def test_a_markdown_byline_in_emphasis_gives_the_date_and_the_author():
    parsed = parse_file(
        "a.md",
        b"# A title\n\n*Published 3 June 2025 \xc2\xb7 by Elena Varga*\n\nThe text of the article begins here.\n",
    )
    assert (parsed.authors, parsed.published_on) == (["Elena Varga"], D(2025, 6, 3))
    assert [p.text for p in parsed.paragraphs] == ["The text of the article begins here."]


def test_a_masthead_and_a_section_label_above_the_headline_are_removed_not_the_title():
    text = "THE NORTHGATE HERALD\nOpinion\nWhy ferries matter\nBy Priya Raman\n\nThe text begins here, as prose does.\n"
    parsed = parse_file("a.txt", text.encode())
    assert parsed.title == "Why ferries matter"
    assert parsed.removed == ["THE NORTHGATE HERALD", "Opinion"]
    assert parsed.authors == ["Priya Raman"]


@pytest.mark.django_db
def test_every_author_of_a_byline_is_kept_in_the_import_report():
    text = "A title\n\nАвторы: Мария Левина, Олег Гринев\n\nТекст статьи начинается здесь.\n"
    result = import_file("a.txt", text.encode())
    assert result.article.author.name == "Мария Левина"
    assert result.article.import_report["authors"] == ["Мария Левина", "Олег Гринев"]
