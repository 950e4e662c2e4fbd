"""The importer over the corpus in tests/corpus/: every field of every case, and no furniture kept.

Each case is a page, a copied text, a Markdown or a Word file shaped like an outlet's (mastheads,
section labels, bylines in their many forms, dates in several languages, captions, share and cookie
lines, related-article lists, counters); ``expected.json`` beside it says what a reader would take
from it. ``bench/importer_accuracy.py`` prints the same comparison as a table.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from articles.importing import parse_file
from articles.importing.decoding import decode
from tests.corpus.cases import FIELDS, actual_fields, cases, field_right, furniture_kept, squash
from tests.corpus.make_docx import build

CASES = cases()


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 40
    languages = {case.expected["language"] for case in CASES}
    formats = {case.path.suffix for case in CASES}
    assert {"en", "ru", "kk"} <= languages
    assert {".html", ".txt", ".md", ".docx"} <= formats
    assert sum(case.held_out for case in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_field_of_each_case_is_read_right(case):
    actual = actual_fields(parse_file(case.path.name, case.data()))
    wrong = {
        field: (case.expected[field], actual[field])
        for field in FIELDS
        if not field_right(field, case.expected[field], actual[field])
    }
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
    assert furniture_kept(case.expected, actual) == []


def input_text(case) -> str:
    if case.path.suffix == ".docx":
        source = json.loads((case.path.parent / "source.json").read_text(encoding="utf-8"))
        return squash(" ".join(text for _style, text in source["paragraphs"]))
    text, _encoding = decode(case.data())
    if case.path.suffix == ".html":
        text = lxml.html.fromstring(text).text_content()
    return squash(text)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_expected_text_is_in_its_input(case):
    # The expectations are read off the input, and the furniture listed is really on the page.
    text = input_text(case)
    for expected in [case.expected["title"], *case.expected["paragraphs"], *case.expected["furniture"]]:
        words = squash(expected).split()
        assert all(word.strip("*_>") in text for word in words), expected


DOCX_CASES = [case for case in CASES if (case.path.parent / "source.json").exists()]


@pytest.mark.parametrize("case", DOCX_CASES, ids=[case.name for case in DOCX_CASES])
def test_each_committed_word_file_is_what_its_source_builds(case, tmp_path):
    target = tmp_path / "input.docx"
    build(json.loads((case.path.parent / "source.json").read_text(encoding="utf-8")), target)
    assert parse_file("input.docx", target.read_bytes()) == parse_file("input.docx", case.data())
