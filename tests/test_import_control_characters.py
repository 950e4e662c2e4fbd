"""Control characters in an imported file never reach the archive: one rule, applied at the end of parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from articles.importing import ImportProblem, parse_file
from articles.importing.save import import_file
from articles.models import Article, Paragraph
from articles.text import CONTROL_CHARACTERS

LONG = (
    "Maintenance budgets are decided years before a bridge shows any sign of wear, which is why the "
    "audit office asks for a separate line in every regional budget, published and checked each year. "
)
# Escapes, a bell and a form feed in a title, a byline, paragraphs and a furniture line, with
# Windows line ends. The decoder accepts a few control characters per 200 characters of text.
TEXT = (
    "Why bridges\x07 matter\r\n"
    "\r\n"
    "By Jane\x1b Doe\r\n"
    "\r\n"
    "Bridges carry\x1b commuters,\x0c freight and emergency services across the river.\r\n"
    "\r\n"
    "Photo: AP\x07\r\n"
    "\r\n"
    "Their upkeep\x1b is a public matter, and the budget should say so plainly.\r\n"
    "\r\n"
    "\x07\x1b\r\n"
    "\r\n"
    f"{LONG * 8}\r\n"
)


def assert_no_control_characters(*texts: str) -> None:
    for text in texts:
        assert not CONTROL_CHARACTERS.search(text), repr(text)
        assert "\r" not in text


def test_control_characters_and_carriage_returns_are_removed_from_everything_parsed():
    parsed = parse_file("bridges.txt", TEXT.encode())
    assert parsed.title == "Why bridges matter"
    assert parsed.author_name == "Jane Doe"
    assert [p.text for p in parsed.paragraphs] == [
        "Bridges carry commuters, freight and emergency services across the river.",
        "Their upkeep is a public matter, and the budget should say so plainly.",
        (LONG * 8).strip(),
    ]
    assert parsed.removed == ["Photo: AP"]
    assert_no_control_characters(
        parsed.title, parsed.author_name, parsed.author_role, *(p.text for p in parsed.paragraphs)
    )


@pytest.mark.django_db
def test_a_paragraph_of_control_characters_only_is_dropped_not_saved_empty():
    result = import_file("bridges.txt", TEXT.encode())
    assert result.status == result.CREATED, result.error
    texts = list(Paragraph.objects.filter(article=result.article).values_list("text", flat=True))
    assert len(texts) == 3 and all(texts)
    assert_no_control_characters(*texts)


def test_a_markdown_front_matter_title_and_author_are_cleaned_too():
    text = (
        "---\ntitle: Tolls,\x1b revisited\nauthor: Maria\x07 Lopez\n---\n\n"
        f"Toll roads pay\x1b for themselves.\n\n{LONG * 3}\n"
    )
    parsed = parse_file("tolls.md", text.encode())
    assert (parsed.title, parsed.author_name) == ("Tolls, revisited", "Maria Lopez")
    assert [p.text for p in parsed.paragraphs] == ["Toll roads pay for themselves.", (LONG * 3).strip()]


def test_a_title_made_only_of_control_characters_is_refused():
    with pytest.raises(ImportProblem) as error:
        parse_file("odd.txt", f"\x1b\x07\n\n{LONG * 3}\n".encode())
    assert str(error.value) == (
        "The title is made only of control characters (such as escape codes); "
        "give the file a title in plain text."
    )


def test_a_file_whose_text_is_only_control_characters_under_a_title_is_refused():
    with pytest.raises(ImportProblem) as error:
        parse_file("odd.md", b"# A title\n\n\x1b\x07\n")
    assert str(error.value) == "The file has no text once control characters are removed."


def test_feeds_answer_after_such_a_file_is_imported_and_published(editor_client):
    result = import_file("bridges.txt", TEXT.encode())
    assert result.status == result.CREATED, result.error
    article = result.article
    editor_client.post(
        reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    reader = Client()
    for url in ("/feeds/articles.atom", "/feeds/articles.rss"):
        response = reader.get(url)
        assert response.status_code == 200
        feed = response.content.decode()
        assert "Why bridges matter" in feed
        assert_no_control_characters(feed.replace("\n", ""))
        ET.fromstring(response.content)  # noqa: S314 (our own test output)
