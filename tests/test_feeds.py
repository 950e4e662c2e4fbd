"""Feed items summarise an article with its lede, as plain text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from articles.feeds import summary
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, ParagraphFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_descriptions(client) -> list[str]:
    root = ET.fromstring(client.get("/feeds/articles.rss").content)  # noqa: S314 (our own test output)
    return [item.findtext("description") for item in root.iter("item")]


def atom_summaries(client) -> list[str]:
    root = ET.fromstring(client.get("/feeds/articles.atom").content)  # noqa: S314 (our own test output)
    return [entry.findtext(f"{ATOM}summary") for entry in root.iter(f"{ATOM}entry")]


def test_feed_items_are_summarised_by_their_lede(client):
    article = ArticleFactory(author=AuthorFactory(name="Ann Smith"))
    ParagraphFactory(article=article, position=2, text="The second paragraph.")
    ParagraphFactory(article=article, position=1, text="The lede <b>sets</b> the scene & more.")
    # Feed readers treat both as HTML: the paragraph's text arrives as text, not markup.
    escaped = "The lede &lt;b&gt;sets&lt;/b&gt; the scene &amp; more."
    assert rss_descriptions(client) == [escaped]
    assert atom_summaries(client) == [escaped]


def test_a_long_lede_is_cut_at_a_word_with_an_ellipsis(client):
    article = ArticleFactory()
    ParagraphFactory(article=article, position=1, text="word " * 200)
    (summary,) = rss_descriptions(client)
    assert summary.endswith("word…") and len(summary) <= 301


def test_an_article_without_paragraphs_falls_back_to_its_byline(client):
    ArticleFactory(author=AuthorFactory(name="Ann Smith"))
    assert rss_descriptions(client) == [f"Ann Smith · {Article.objects.get().outlet.name}"]


def test_the_summary_is_cut_without_splitting_a_word():
    assert summary("one two three", limit=9) == "one two…"
    assert summary("  spaced\n out  ") == "spaced out"


def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for _ in range(20):
        ParagraphFactory(article=ArticleFactory())
    with django_assert_max_num_queries(3):
        client.get("/feeds/articles.rss")
