from __future__ import annotations

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.importing import ImportProblem, parse_file
from articles.importing.markdown import looks_like_markdown
from articles.importing.uploads import read_upload
from articles.validators import is_web_url
from tests.import_samples import (
    FIXTURES,
    FRENCH,
    PNG_BYTES,
    RUSSIAN,
    SAMPLE,
    english_article,
    make_docx,
    make_zip,
)


def texts(parsed) -> list[str]:
    return [paragraph.text for paragraph in parsed.paragraphs]


# Plain text


def test_the_sample_article_parses_to_its_known_parts():
    parsed = parse_file(SAMPLE.name, SAMPLE.read_bytes())
    assert parsed.title == "Multi-vector policy in Kazakh style"
    assert parsed.published_on == datetime.date(2025, 2, 4)
    assert (parsed.author_name, parsed.author_role) == ("Sergey Saenko", "International observer")
    assert len(parsed.paragraphs) == 15
    assert [p.role for p in parsed.paragraphs] == ["lede"] + ["body"] * 14
    assert parsed.paragraphs[0].text.startswith("In the context of the confrontation")
    assert parsed.paragraphs[-1].text.endswith("the future will show.")
    assert parsed.removed == ["X", "A source", "Comments", "0", "Read on the topic"]
    assert not {"X", "A source", "Comments", "0", "Read on the topic"} & set(texts(parsed))
    assert (parsed.source_format, parsed.encoding, parsed.language) == ("text", "utf-8", "en")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251"), ("koi8-r", "koi8-r")],
)
def test_it_decodes_russian_text_in_each_encoding(encoding, expected):
    parsed = parse_file("statya.txt", RUSSIAN.encode(encoding))
    assert parsed.encoding == expected
    assert parsed.title == "Многовекторная политика по-казахски"
    assert parsed.published_on == datetime.date(2025, 3, 12)
    assert len(parsed.paragraphs) == 3
    assert parsed.paragraphs[0].text.startswith("В условиях противостояния")
    assert parsed.removed == ["Источник", "Комментарии", "Читайте также"]
    assert parsed.language == "ru"


def test_it_decodes_latin_1_text():
    parsed = parse_file("ponts.txt", FRENCH.encode("latin-1"))
    assert parsed.encoding in {"cp1252", "iso8859-1", "iso8859-15"}
    assert parsed.title == "La politique des ponts"
    assert "l'épine dorsale discrète de l'économie" in parsed.paragraphs[0].text
    assert parsed.published_on == datetime.date(2025, 2, 4)
    assert parsed.language == "fr"


def test_it_normalises_line_endings_and_joins_hard_wrapped_lines():
    text = (
        "A wrapped article\r\n\r\nThe first paragraph was wrapped\r\nby an editor at a narrow\r\nwidth.\r\n\r\n"
        "The second one\rtoo.\r"
    )
    parsed = parse_file("wrapped.txt", text.encode())
    assert texts(parsed) == [
        "The first paragraph was wrapped by an editor at a narrow width.",
        "The second one too.",
    ]


def test_long_lines_without_blank_lines_are_separate_paragraphs():
    long_one = "This paragraph is one long line as copied from a web page, " * 3
    long_two = "And this is another long line that was never wrapped by anybody at all, " * 3
    parsed = parse_file("lines.txt", f"A title\n{long_one}\n{long_two}\n".encode())
    assert parsed.title == "A title"
    assert texts(parsed) == [long_one.strip(), long_two.strip()]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date of publication: 4 February 2025", datetime.date(2025, 2, 4)),
        ("4 February 2025", datetime.date(2025, 2, 4)),
        ("2025-06-03", datetime.date(2025, 6, 3)),
        ("12 марта 2025", datetime.date(2025, 3, 12)),
        ("Опубликовано: 12 марта 2025", datetime.date(2025, 3, 12)),
        ("Published on June 3, 2025", datetime.date(2025, 6, 3)),
        ("Publié le 3 juin 2025", datetime.date(2025, 6, 3)),
        ("4. Februar 2025", datetime.date(2025, 2, 4)),
    ],
)
def test_it_finds_the_publication_date(line, expected):
    parsed = parse_file(
        "dated.txt", f"A dated article\n\n{line}\n\n{english_article('x').split(chr(10), 2)[2]}".encode()
    )
    assert parsed.published_on == expected
    assert line not in texts(parsed)


def test_a_year_alone_is_not_a_date():
    parsed = parse_file("year.txt", b"A title\n\n2025\n\nSome paragraph about the year ahead of us all.\n")
    assert parsed.published_on is None


@pytest.mark.parametrize(
    ("byline", "name", "role", "date"),
    [
        ("By Jane Doe, Senior Fellow", "Jane Doe", "Senior Fellow", None),
        ("By Jane Doe", "Jane Doe", "", None),
        ("By Jane Doe, Senior Fellow | 3 June 2025", "Jane Doe", "Senior Fellow", datetime.date(2025, 6, 3)),
        ("Автор: Иван Петров, политолог", "Иван Петров", "политолог", None),
    ],
)
def test_it_reads_bylines(byline, name, role, date):
    parsed = parse_file(
        "byline.txt", f"A title\n\n{byline}\n\nThe article begins here with a sentence.\n".encode()
    )
    assert (parsed.author_name, parsed.author_role, parsed.published_on) == (name, role, date)
    assert texts(parsed) == ["The article begins here with a sentence."]


def test_a_sentence_starting_with_by_is_not_a_byline():
    parsed = parse_file("by.txt", b"A title\n\nBy the way, this is the article itself.\n\nMore text.\n")
    assert parsed.author_name == ""
    assert texts(parsed)[0] == "By the way, this is the article itself."


def test_it_reads_a_closing_signature():
    text = english_article() + "\nJane Doe,\nSenior Fellow at the Bridge Institute\n"
    parsed = parse_file("signed.txt", text.encode())
    assert (parsed.author_name, parsed.author_role) == ("Jane Doe", "Senior Fellow at the Bridge Institute")
    assert len(parsed.paragraphs) == 3


def test_furniture_patterns_come_from_the_setting(settings):
    text = english_article() + "\nLike us on Myspace\n\nComments\n"
    assert "Like us on Myspace" in texts(parse_file("a.txt", text.encode()))
    settings.GLOSSA_FURNITURE_PATTERNS = [r"like us on \w+"]
    parsed = parse_file("a.txt", text.encode())
    assert parsed.removed == ["Like us on Myspace"]
    assert "Comments" in texts(parsed)


def test_markup_in_a_text_file_stays_plain_text():
    parsed = parse_file("x.txt", b"<script>alert(1)</script> Title\n\nA <b>bold</b> claim about bridges.\n")
    assert parsed.source_format == "text"
    assert parsed.title == "<script>alert(1)</script> Title"
    assert texts(parsed) == ["A <b>bold</b> claim about bridges."]


# HTML


def test_html_page_gives_main_text_and_metadata():
    parsed = parse_file("page.htm", (FIXTURES / "opinion-page.html").read_bytes())
    assert parsed.source_format == "html"
    assert parsed.title == "Why bridges matter"
    assert parsed.author_name == "Jane Doe"
    assert parsed.published_on == datetime.date(2025, 6, 3)
    assert parsed.original_url == "https://news.example.org/opinion/why-bridges-matter"
    assert parsed.outlet_name == "The Daily Example"
    assert parsed.language == "en"
    assert texts(parsed) == [
        "Bridges are the quiet backbone of every economy, and their upkeep is a matter of public record "
        "that too few voters ever read.",
        "When a bridge closes, the detour costs are borne by commuters, freight companies and emergency "
        "services, often for years before a replacement is funded.",
        "We cannot afford to wait for the next collapse before acting on maintenance.",
        "That is why the maintenance budget deserves a line of its own in the national accounts, rather "
        "than being folded into general transport spending.",
    ]
    assert [p.role for p in parsed.paragraphs] == ["lede", "body", "quote", "body"]
    assert {"text": "public record", "url": "https://example.org/report"} in parsed.links


def test_html_page_furniture_never_becomes_paragraphs():
    body = " ".join(texts(parse_file("page.html", (FIXTURES / "opinion-page.html").read_bytes())))
    for furniture in [
        "Home",
        "Share on Facebook",
        "Tweet",
        "Injected by a script",
        "color: red",
        "Related",
        "Great article",
        "Comments (3)",
        "Copyright",
    ]:
        assert furniture not in body


def test_html_is_recognised_by_content_whatever_the_extension():
    assert parse_file("saved.txt", (FIXTURES / "opinion-page.html").read_bytes()).source_format == "html"


# Markdown


def test_markdown_gives_title_plain_text_and_link_targets():
    parsed = parse_file("column.md", (FIXTURES / "column.md").read_bytes())
    assert parsed.source_format == "markdown"
    assert parsed.title == "Bridges, again"
    assert (parsed.author_name, parsed.author_role) == ("Jane Doe", "Senior Fellow")
    assert parsed.published_on == datetime.date(2025, 6, 3)
    assert texts(parsed) == [
        "Bridges are the quiet backbone of every economy; their upkeep is a matter of public record that too "
        "few voters read.",
        "We cannot afford to wait for the next collapse.",
        "The maintenance budget deserves a line of its own, as the audit office said, and as "
        "https://example.org/audit-summary sums up.",
    ]
    assert [p.role for p in parsed.paragraphs] == ["lede", "quote", "body"]
    assert parsed.links == [
        {"text": "public record", "url": "https://example.org/report"},
        {"text": "audit office", "url": "https://example.org/audit"},
        {"text": "https://example.org/audit-summary", "url": "https://example.org/audit-summary"},
    ]


def test_markdown_is_recognised_by_content_and_unsafe_link_targets_are_dropped():
    text = "# A title\n\nSome *text* with a [bad link](javascript:alert(1)) in it.\n"
    parsed = parse_file("notes.txt", text.encode())
    assert parsed.source_format == "markdown"
    assert texts(parsed) == ["Some text with a bad link in it."]
    assert parsed.links == []


def test_markdown_code_quotes_lists_and_images_become_plain_paragraphs():
    text = (
        "# A title\n\n"
        "Use `a*b*c` as **written**, ~~not~~ otherwise.\n\n"
        "> First quoted paragraph.\n>\n> Second quoted paragraph.\n\n"
        "1. One item\n2. Another item\n   continued\n\n"
        "![A bridge at night](https://example.org/bridge.png)\n\n"
        "```\nfenced *code*\n```\n"
    )
    parsed = parse_file("notes.md", text.encode())
    assert [(p.text, p.role) for p in parsed.paragraphs] == [
        ("Use a*b*c as written, not otherwise.", "lede"),
        ("First quoted paragraph.", "quote"),
        ("Second quoted paragraph.", "quote"),
        ("One item", "body"),
        ("Another item continued", "body"),
        ("A bridge at night", "body"),
        ("fenced *code*", "body"),
    ]
    assert parsed.links == [{"text": "A bridge at night", "url": "https://example.org/bridge.png"}]


def test_a_markdown_file_opening_with_a_rule_keeps_its_text():
    text = "---\n\n# Tolls\n\nToll roads pay for themselves.\n\n---\n\nOnly when forecasts are honest.\n"
    parsed = parse_file("tolls.md", text.encode())
    assert parsed.title == "Tolls"
    assert texts(parsed) == ["Toll roads pay for themselves.", "Only when forecasts are honest."]


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("A title\n\nSome **bold** text and a [link](https://example.org).\n", True),
        ("A title\n\n> A quote.\n\n- an item\n", True),
        ("---\ntitle: Tolls\n---\n\nText.\n", True),
        ("# Tolls\n\nText.\n", True),
        ("A title\n\nSome **bold** text, nothing else marked up.\n", False),
        ("Why bridges matter\n\n- a dash is not enough on its own\n", False),
        ("Tolls\n=====\n\nText with a [link](https://example.org).\n", True),
        ("Tolls\n\nText.\n\n   > An indented quote.\n\n   * an indented item\n", True),
        ("Plain text, from a browser.\n\nNo marks at all: 3 * 4 = 12, a - b.\n", False),
        ("Plain text with a quote:\n\n\u201cTolls pay,\u201d she said.\n", False),
    ],
)
def test_markdown_is_recognised_by_a_front_matter_title_a_first_heading_or_two_kinds_of_markup(
    text, markdown
):
    assert looks_like_markdown(text) is markdown


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://example.org/report", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("/relative/path", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_addresses_are_kept_as_link_targets(url, web):
    assert is_web_url(url) is web


# Word


def test_docx_gives_title_paragraphs_date_and_signature():
    data = make_docx(
        [
            ("Why bridges matter", "Title"),
            ("Date of publication: 4 February 2025", None),
            ("Bridges are the quiet backbone of every economy.", None),
            ("We cannot afford to wait for the next collapse.", "Quote"),
            ("That is why maintenance deserves a budget line.", None),
            ("Jane Doe,", None),
            ("Senior Fellow", None),
        ]
    )
    parsed = parse_file("bridges.docx", data)
    assert (parsed.source_format, parsed.encoding) == ("docx", "")
    assert parsed.title == "Why bridges matter"
    assert parsed.published_on == datetime.date(2025, 2, 4)
    assert (parsed.author_name, parsed.author_role) == ("Jane Doe", "Senior Fellow")
    assert texts(parsed) == [
        "Bridges are the quiet backbone of every economy.",
        "We cannot afford to wait for the next collapse.",
        "That is why maintenance deserves a budget line.",
    ]
    assert [p.role for p in parsed.paragraphs] == ["lede", "quote", "body"]


def test_docx_title_may_come_from_the_document_properties():
    data = make_docx(
        [("Bridges are the quiet backbone of every economy.", None), ("Jane Doe,\nSenior Fellow", None)],
        core_title="Why bridges matter",
    )
    parsed = parse_file("upload.bin", data)
    assert parsed.title == "Why bridges matter"
    assert texts(parsed) == ["Bridges are the quiet backbone of every economy."]
    assert (parsed.author_name, parsed.author_role) == ("Jane Doe", "Senior Fellow")


# Bad input


def problem(filename: str, data: bytes) -> str:
    with pytest.raises(ImportProblem) as error:
        parse_file(filename, data)
    return str(error.value)


def test_it_rejects_an_empty_file():
    assert problem("empty.txt", b"") == "The file is empty."
    assert problem("blank.txt", b"  \n\n \r\n") == "The file contains only blank space."


def test_it_rejects_binary_data_with_a_text_extension():
    assert "binary data" in problem("photo.txt", PNG_BYTES)


def test_it_rejects_undecodable_bytes():
    assert "not text in any known encoding" in problem("noise.txt", bytes(range(128, 256)) * 4)


def test_it_rejects_a_file_over_the_size_limit_before_reading_it(settings, tmp_path):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 10
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n\nA paragraph that is too long.\n")
    upload = SimpleUploadedFile("big.txt", path.read_bytes())
    for source in (path, upload):
        with pytest.raises(ImportProblem) as error:
            read_upload(source)
        assert str(error.value) == "The file is 37 bytes, over the 10 bytes limit for imports."


def test_it_rejects_a_file_that_is_only_furniture():
    assert problem("junk.txt", b"X\n\nComments\n\n0\n\nA source\n\nShare\n") == (
        "The file has no text once page furniture is removed."
    )


def test_it_rejects_a_file_with_a_title_but_no_paragraph():
    assert "has a title (“Only a title”) but no paragraphs" in problem("t.txt", b"Only a title\n\nComments\n")


def test_it_rejects_html_with_no_main_text():
    assert "no main text" in problem("menu.html", (FIXTURES / "no-main-text.html").read_bytes())


def test_it_rejects_a_corrupt_docx():
    data = make_docx([("Title", "Title"), ("Text.", None)])
    assert "damaged" in problem("broken.docx", data[: len(data) // 2])
    assert "not a Word document" in problem("fake.docx", b"\x01\x02 this is not a zip file at all")
    assert "not a .docx" in problem("other.docx", make_zip({"notes.txt": b"hello"}))


def test_it_names_old_word_and_pdf_files():
    assert ".doc" in problem("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "PDF" in problem("paper.pdf", b"%PDF-1.7\n...")


RUSSIAN_PAGE = """<html><head><meta charset="windows-1251"><title>Мосты и дороги — Газета Пример</title>
<meta property="og:site_name" content="Газета Пример"></head><body><nav>Главная | Новости</nav>
<article><h1>Мосты и дороги</h1><p>Опубликовано: 12 марта 2025</p>
<p>Мосты — тихая основа любой экономики, и их содержание касается всех, кто ездит на работу каждый день.</p>
<p>Когда мост закрывается, объезды ложатся на плечи водителей, перевозчиков и экстренных служб на годы.</p>
<p>Иван Петров,<br>политолог</p></article>
<div class="share">Поделиться</div><footer>© 2025</footer></body></html>"""


def test_html_in_windows_1251_with_a_date_line_and_a_signature():
    parsed = parse_file("statya.html", RUSSIAN_PAGE.encode("cp1251"))
    assert (parsed.encoding, parsed.language, parsed.source_format) == ("cp1251", "ru", "html")
    assert parsed.title == "Мосты и дороги"
    assert parsed.published_on == datetime.date(2025, 3, 12)
    assert (parsed.author_name, parsed.author_role) == ("Иван Петров", "политолог")
    assert parsed.outlet_name == "Газета Пример"
    assert [p.text[:20] for p in parsed.paragraphs] == ["Мосты — тихая основа", "Когда мост закрывает"]


def test_share_widgets_related_links_and_comments_inside_the_article_are_dropped():
    parsed = parse_file("roads.html", (FIXTURES / "widgets-inside-article.html").read_bytes())
    assert parsed.title == "Roads and tolls"
    assert texts(parsed) == [
        "Toll roads pay for themselves only when traffic forecasts are honest, which they rarely are in "
        "practice.",
        "Governments should publish the forecasts and compare them with the traffic that actually came.",
    ]
    assert parsed.removed == ["Comments 12"]


def test_the_sample_article_saved_as_a_web_page_gives_the_same_article():
    text_version = parse_file(SAMPLE.name, SAMPLE.read_bytes())
    paragraphs = "".join(f"<p>{html.escape(text)}</p>\n" for text in texts(text_version))
    page = f"""<!doctype html><html><head><title>{text_version.title}</title></head><body>
    <header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
    <main><article><h1>{text_version.title}</h1><div class="date">4 February 2025</div>
    <div class="share"><a href="#">Share</a></div>{paragraphs}<p>Sergey Saenko,<br>International observer</p>
    </article><aside><h3>Read on the topic</h3><ul><li><a href="/x">Another story</a></li></ul></aside></main>
    <footer>© 2025</footer></body></html>"""
    parsed = parse_file("sample.html", page.encode())
    assert parsed.title == text_version.title
    assert parsed.published_on == datetime.date(2025, 2, 4)
    assert (parsed.author_name, parsed.author_role) == ("Sergey Saenko", "International observer")
    assert texts(parsed) == texts(text_version)


def test_markdown_front_matter_gives_title_date_author_and_url():
    parsed = parse_file("tolls.txt", (FIXTURES / "front-matter.md").read_bytes())
    assert parsed.source_format == "markdown"
    assert parsed.title == "Tolls, revisited"
    assert parsed.published_on == datetime.date(2025, 6, 3)
    assert parsed.author_name == "Maria Lopez"
    assert parsed.original_url == "https://blog.example.org/tolls-revisited"
    assert texts(parsed) == [
        "Toll roads pay for themselves only when the traffic forecasts are honest.",
        "Governments should publish the forecasts and compare them with the traffic that came.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 February 2025", datetime.date(2025, 2, 4)),
        ("Tuesday, 4 February 2025", datetime.date(2025, 2, 4)),
        ("February 4, 2025", datetime.date(2025, 2, 4)),
        ("2025-02-04", datetime.date(2025, 2, 4)),
        ("12 марта 2025", datetime.date(2025, 3, 12)),
        ("31 February 2025", None),
        ("4 Brumaire 2025", None),
        ("February 2025", None),
        ("In 2025 we will see", None),
    ],
)
def test_parse_date_reads_full_dates_only(text, expected):
    from articles.importing.structure import parse_date

    assert parse_date(text) == expected


@hypothesis_settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.txt", "a.md", "a.html", "a.docx", "a"]))
def test_any_bytes_give_an_article_or_an_import_problem(data, name):
    try:
        parsed = parse_file(name, data)
    except ImportProblem as problem:
        assert str(problem)
    else:
        assert parsed.title and parsed.paragraphs
        assert all(p.text and p.text == p.text.strip() for p in parsed.paragraphs)


@hypothesis_settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_any_text_gives_an_article_or_an_import_problem(text):
    try:
        parsed = parse_file("t.txt", text.encode("utf-8"))
    except ImportProblem as problem:
        assert str(problem)
    else:
        assert parsed.title and all(p.text for p in parsed.paragraphs)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café", "latin-1"),
        ("Привет, как дела? Это тест.", "cp1251"),
        ("Привет, как дела? Это тест.", "koi8-r"),
        ("Zażółć gęślą jaźń — powiedział minister.", "cp1250"),
    ],
)
def test_short_legacy_encoded_text_is_decoded_correctly(text, encoding):
    from articles.importing.decoding import decode

    assert decode(text.encode(encoding))[0] == text
