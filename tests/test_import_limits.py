"""Every import is bounded: hostile files made here are refused with a message naming the limit,
and nothing of them is saved."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from django.conf import settings

from articles.importing import ImportProblem, parse_file
from articles.importing.save import ImportResult, import_file
from articles.models import Article, Author, Outlet, Paragraph
from articles.text import KEY_ALPHABET, new_key, new_keys
from tests.import_samples import english_article, make_docx

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def refused(filename: str, data: bytes) -> str:
    """The error an import of ``data`` ends with; nothing may have been saved."""
    result = import_file(filename, data)
    assert result.status == ImportResult.ERROR, result
    assert not Article.objects.exists()
    assert not Paragraph.objects.exists()
    assert not Author.objects.exists() and not Outlet.objects.exists()
    root = settings.MEDIA_ROOT
    assert not (root.exists() and any(path.is_file() for path in root.rglob("*")))
    return result.error


def docx_bomb(unpacked: int) -> bytes:
    """A real .docx whose document.xml unpacks to ``unpacked`` bytes of tiny paragraphs.

    Written in pieces, as a bomb is made: the test never holds the unpacked text.
    """
    template = make_docx([("A title", "Title"), ("One paragraph.", None)])
    paragraph = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 1000
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, source.read(info.filename))
                continue
            head, _, tail = source.read(info.filename).partition(b"<w:body>")
            with bomb.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                written = 0
                while written < unpacked:
                    member.write(paragraph)
                    written += len(paragraph)
                member.write(tail)
    return buffer.getvalue()


def test_a_docx_that_unpacks_to_100_mb_is_refused_before_it_is_read():
    data = docx_bomb(100 * MB)
    assert len(data) < 1 * MB  # small on the way in, as the one measured (491 KB)
    error = refused("bomb.docx", data)
    assert "The Word file unpacks to" in error
    assert "over the 20.0 MB limit for unpacked content (GLOSSA_IMPORT_MAX_UNPACKED_BYTES)" in error


def test_a_gzip_bomb_is_refused_while_it_is_being_unpacked():
    page = b"<html><body><article>" + b"<p>Words in a paragraph.</p>" * (1 * MB) + b"</article></body></html>"
    data = gzip.compress(page)
    error = refused("page.html.gz", data)
    assert error.startswith("The compressed file unpacks to more than")
    assert "(GLOSSA_IMPORT_MAX_UNPACKED_BYTES)" in error


def test_a_gzip_compressed_page_within_the_limits_is_imported():
    page = (
        "<html><head><title>Bridges, again</title></head><body><article><h1>Bridges, again</h1>"
        "<p>The river crossings carry more freight every year, and their upkeep falls behind.</p>"
        "<p>A fund set aside each year would keep the crossings open for the next generation.</p>"
        "</article></body></html>"
    )
    result = import_file("page.html", gzip.compress(page.encode()))
    assert result.status == ImportResult.CREATED, result.error
    assert result.article.title == "Bridges, again"
    assert result.paragraph_count == 2


def test_a_damaged_gzip_file_gets_a_clear_error():
    data = gzip.compress(b"<html><body><p>Some text of a page.</p></body></html>")
    assert refused("page.html.gz", data[:-12]) == (
        "The compressed file is cut short (it ends before its content does)."
    )


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("tiny.txt", b"A title\n\n" + b"a\n\n" * 1_000_000),
        ("tiny.md", b"# A title\n\n" + b"a\n\n" * 1_000_000),
        ("tiny.html", b"<html><body><article>" + b"<p>a</p>" * 500_000 + b"</article></body></html>"),
    ],
    ids=["text", "markdown", "html"],
)
def test_a_million_tiny_paragraphs_are_refused(filename, data):
    error = refused(filename, data)
    assert ("more than 5,000 paragraphs" in error and "(GLOSSA_IMPORT_MAX_PARAGRAPHS)" in error) or (
        "more than 30,000 elements" in error and "(GLOSSA_IMPORT_MAX_HTML_ELEMENTS)" in error
    ), error


def test_a_docx_with_more_paragraphs_than_the_limit_is_refused(settings):
    settings.GLOSSA_IMPORT_MAX_PARAGRAPHS = 50  # python-docx is slow to write 5,000
    data = make_docx([("A title", "Title")] + [(f"Paragraph {n}.", None) for n in range(51)])
    error = refused("many.docx", data)
    assert "more than 50 paragraphs" in error and "(GLOSSA_IMPORT_MAX_PARAGRAPHS)" in error


def test_an_html_page_with_many_paragraphs_under_the_element_limit_is_refused_by_paragraph_count(settings):
    settings.GLOSSA_IMPORT_MAX_PARAGRAPHS = 50
    page = "<html><body><article><h1>A title</h1>" + "<p>A sentence of the article.</p>" * 60
    error = refused("many.html", (page + "</article></body></html>").encode())
    assert "more than 50 paragraphs" in error and "(GLOSSA_IMPORT_MAX_PARAGRAPHS)" in error


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("line.txt", b"A title\n\n" + b"word " * 1_000_000),
        ("line.md", b"# A title\n\n" + b"word " * 1_000_000),
        (
            "line.html",
            b"<html><body><article><h1>T</h1><p>" + b"word " * 1_000_000 + b"</p></article></body></html>",
        ),
        ("line.docx", make_docx([("A title", "Title"), ("word " * 30_000, None)])),
    ],
    ids=["text", "markdown", "html", "docx"],
)
def test_a_giant_single_line_is_refused(filename, data):
    error = refused(filename, data)
    assert "over the 20,000-character limit (GLOSSA_IMPORT_MAX_PARAGRAPH_CHARS)" in error, error
    assert "it begins “word word" in error


def test_deeply_nested_html_is_refused():
    page = "<html><body>" + "<div>" * 100_000 + "<p>Deep text.</p>" + "</div>" * 100_000 + "</body></html>"
    error = refused("deep.html", page.encode())
    assert "nests its elements more than 200 deep" in error and "(GLOSSA_IMPORT_MAX_HTML_DEPTH)" in error


def test_an_import_over_its_time_is_stopped(settings):
    settings.GLOSSA_IMPORT_MAX_SECONDS = 0
    error = refused("slow.txt", english_article(paragraphs=20).encode())
    assert "longer than the 0-second limit (GLOSSA_IMPORT_MAX_SECONDS)" in error


def test_each_limit_is_a_setting(settings):
    settings.GLOSSA_IMPORT_MAX_PARAGRAPHS = 2
    with pytest.raises(ImportProblem, match="more than 2 paragraphs"):
        parse_file("three.txt", english_article(paragraphs=3).encode())
    settings.GLOSSA_IMPORT_MAX_PARAGRAPHS = 3
    assert len(parse_file("three.txt", english_article(paragraphs=3).encode()).paragraphs) == 3


def test_ordinary_files_are_well_within_the_limits():
    assert parse_file("a.docx", make_docx([("A title", "Title"), ("A paragraph.", None)])).title == "A title"
    assert parse_file("a.txt", english_article(paragraphs=200).encode()).paragraphs[199].text


# Paragraph keys


def test_a_new_key_has_the_length_asked_for_in_letters_of_the_key_alphabet_and_varies():
    keys = [new_key(length) for length in (1, 3, 8, 16) for _ in range(50)]
    assert {len(key) for key in keys} == {1, 3, 8, 16}
    assert set("".join(keys)) <= set(KEY_ALPHABET)
    assert len({key for key in keys if len(key) == 8}) == 50
    # Every letter of the alphabet turns up (1,450 letters drawn from 32).
    assert set("".join(keys)) == set(KEY_ALPHABET)


def test_new_keys_are_distinct_and_avoid_the_taken_ones_even_when_the_draws_repeat(monkeypatch):
    draws = iter(["aaaa", "bbbb", "aaaa", "cccc", "bbbb", "dddd", "eeee"])
    monkeypatch.setattr("articles.text.new_key", lambda: next(draws))
    assert new_keys(3, {"cccc"}) == ["aaaa", "bbbb", "dddd"]


def test_an_import_whose_random_keys_repeat_still_saves_every_paragraph(monkeypatch):
    # The failure measured: a repeated key broke a whole import. Draws that repeat now cost a draw.
    draws = iter(["same", "same", "same", "next", "same", "last", "more"])
    monkeypatch.setattr("articles.text.new_key", lambda: next(draws))
    result = import_file("a.txt", english_article(paragraphs=3).encode())
    assert result.status == ImportResult.CREATED, result.error
    assert list(Paragraph.objects.order_by("position").values_list("key", flat=True)) == [
        "same",
        "next",
        "last",
    ]
