"""Authors and outlets with only draft articles stay unknown to anonymous readers."""

from __future__ import annotations

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_only():
    """An author (and their outlet) whose only article is still a draft."""
    author = AuthorFactory(name="Imported Person")
    ArticleFactory(title="Being imported", author=author, outlet=author.outlet, status=Article.Status.DRAFT)
    return author


def test_anonymous_readers_get_404_for_an_author_with_only_drafts(client, draft_only):
    assert client.get(draft_only.get_absolute_url()).status_code == 404


def test_anonymous_readers_get_404_for_an_outlet_with_only_drafts(client, draft_only):
    assert client.get(draft_only.outlet.get_absolute_url()).status_code == 404


def test_staff_still_see_an_author_and_outlet_with_only_drafts(editor_client, draft_only):
    assert editor_client.get(draft_only.get_absolute_url()).status_code == 200
    assert editor_client.get(draft_only.outlet.get_absolute_url()).status_code == 200


def test_one_published_article_makes_author_and_outlet_public(client, draft_only):
    ArticleFactory(title="Out now", author=draft_only, outlet=draft_only.outlet)
    for url in (draft_only.get_absolute_url(), draft_only.outlet.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200 and ">Out now</a>" in response.content.decode()


def test_sitemap_leaves_out_authors_and_outlets_with_only_drafts(client, draft_only):
    published = AuthorFactory(name="Published Person")
    ArticleFactory(author=published, outlet=published.outlet)
    body = sitemap_text(client)
    assert published.get_absolute_url() in body and published.outlet.get_absolute_url() in body
    assert draft_only.get_absolute_url() not in body and draft_only.outlet.get_absolute_url() not in body


def test_feeds_do_not_name_authors_with_only_drafts(client, draft_only):
    ArticleFactory(title="Someone else's piece")
    for url in ("/feeds/articles.atom", "/feeds/articles.rss"):
        assert "Imported Person" not in client.get(url).content.decode()


def test_an_author_page_does_not_link_to_an_outlet_anonymous_readers_cannot_open(client):
    author = AuthorFactory(name="Moved Person")
    ArticleFactory(author=author, outlet=None)
    html = client.get(author.get_absolute_url()).content.decode()
    assert author.outlet.name in html and author.outlet.get_absolute_url() not in html
