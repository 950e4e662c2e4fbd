"""Feed items summarise an article with its lede, as plain text; any stored text makes valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.utils import timezone

from articles.feeds import summary
from articles.models import Article, Author, Outlet, Paragraph
from tests.factories import ArticleFactory, AuthorFactory, ParagraphFactory, UserFactory

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


def control_characters() -> str:
    """Every C0 control character but tab, newline and carriage return: XML 1.0 allows none of them.

    PostgreSQL refuses NUL in text, so there no stored row can hold one and it is left out.
    """
    allowed = {"\t", "\n", "\r"} | ({"\x00"} if connection.vendor == "postgresql" else set())
    return "".join(chr(code) for code in range(0x20) if chr(code) not in allowed)


@pytest.fixture
def rows_with_control_characters():
    """A published article with a lede and one without paragraphs (its summary is the byline), by
    an author and outlet whose names hold control characters, all written past the models' cleaning."""
    controls = control_characters()
    with_lede = ArticleFactory(status=Article.Status.DRAFT)
    byline_only = ArticleFactory(status=Article.Status.DRAFT, author=with_lede.author)
    lede = ParagraphFactory(article=with_lede, position=1, role=Paragraph.Role.LEDE)
    Author.objects.filter(pk=with_lede.author_id).update(name=f"Ann{controls}Smith")
    Outlet.objects.filter(pk=with_lede.outlet_id).update(name=f"The{controls}Herald")
    Paragraph.objects.filter(pk=lede.pk).update(text=f"The lede{controls} sets the scene.")
    Article.objects.filter(pk=with_lede.pk).update(title=f"First{controls} title")
    Article.objects.filter(pk=byline_only.pk).update(title=f"Second{controls} title")
    Article.objects.filter(pk__in=[with_lede.pk, byline_only.pk]).update(
        status=Article.Status.PUBLISHED, first_published_at=timezone.now()
    )
    # Stored as written: nothing on the way in cleaned them.
    assert Author.objects.get().name == f"Ann{controls}Smith"
    assert Article.objects.get(pk=with_lede.pk).title == f"First{controls} title"
    return controls


def every_text(root: ET.Element) -> str:
    return "".join(
        [*(element.text or "" for element in root.iter()), *(element.tail or "" for element in root.iter())]
        + [value for element in root.iter() for value in element.attrib.values()]
    )


@pytest.mark.parametrize("url", ["/feeds/articles.atom", "/feeds/articles.rss"])
def test_feeds_stay_well_formed_with_control_characters_in_stored_text(
    client, rows_with_control_characters, url
):
    controls = rows_with_control_characters
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert not [c for c in controls if c in body]
    root = ET.fromstring(response.content)  # noqa: S314 (our own test output)
    text = every_text(root)
    assert not [c for c in controls if c in text]
    assert "First title" in text and "Second title" in text
    assert "AnnSmith" in text  # the author of each item
    assert "The lede sets the scene." in text
    assert "AnnSmith · TheHerald" in text  # the byline summary of the article without paragraphs


def test_an_admin_form_saves_a_name_without_its_control_characters(client):
    client.force_login(UserFactory(group="Editors"))
    author = AuthorFactory(name="Ann Smith")
    response = client.post(
        f"/admin/articles/author/{author.pk}/change/",
        {"name": "Ann\x1bSmith", "slug": author.slug, "role": "Colum\x07nist", "outlet": author.outlet_id},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    author.refresh_from_db()
    assert (author.name, author.role) == ("AnnSmith", "Columnist")
