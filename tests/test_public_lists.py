from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from annotations.models import Annotation, Rating
from articles.models import Article
from tests.factories import AnnotationFactory, ArticleFactory, AuthorFactory, ParagraphFactory, rating
from tests.sitemaps import sitemap_text
from tests.test_article_page import InlineCodeFinder

pytestmark = pytest.mark.django_db


def published_with_claim(**fields) -> Annotation:
    paragraph = ParagraphFactory(article=ArticleFactory(**fields))
    return AnnotationFactory(paragraph=paragraph)


@pytest.fixture
def mixed(db):
    """A published article with a claim and a draft one with its own claim and tag."""
    visible = published_with_claim(title="Visible piece")
    visible.article.tags.add("open-tag")
    visible.tags.add("claim-tag")
    hidden = published_with_claim(title="Hidden draft piece", status=Article.Status.DRAFT)
    hidden.article.tags.add("secret-tag")
    hidden.claim_text = "Hidden claim"
    hidden.save()
    hidden.tags.add("hidden-claim-tag")
    return visible, hidden


def test_home_shows_latest_articles_claims_tags_and_published_counts(client, mixed):
    html = client.get("/").content.decode()
    assert "Visible piece" in html and "Hidden draft piece" not in html
    assert "A fox is brown." in html and "Hidden claim" not in html
    assert "open-tag" in html and "secret-tag" not in html
    assert "1 article · 1 fact-checked claim · 1 annotation in all" in " ".join(html.split())


def test_archive_lists_published_articles_newest_first_and_paginates(client):
    for day in range(1, 26):
        ArticleFactory(title=f"Piece {day:02d}", published_on=date(2024, 1, day))
    first = client.get("/articles/").content.decode()
    assert first.index("Piece 25") < first.index("Piece 24")
    assert "Piece 05" not in first and "25 in all" in first
    # Numbered pages still answer, and the Older link reads on from the last row shown.
    assert "Piece 05" in client.get("/articles/?page=2").content.decode()
    older = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get("/articles/" + older).content.decode()
    assert "Piece 05" in second and "Piece 06" not in second and "Piece 01" in second
    newer = re.search(r'<a rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    again = client.get("/articles/" + newer).content.decode()
    assert "Piece 25" in again and "Piece 06" in again and "Piece 05" not in again


def test_a_list_refuses_a_cursor_it_did_not_give(client):
    ArticleFactory(title="Only")
    assert client.get("/articles/", {"older": '["2024-01-01",1].forged'}).status_code == 400


def test_a_page_number_past_the_numbered_pages_says_where_to_go(client):
    ArticleFactory(title="Only")
    page = client.get("/articles/", {"page": "9999"}).content.decode()
    assert "There is no page 9999 here" in page and "Newest" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=red", {"Red"}),
        ("year=2021", {"Old"}),
        ("language=ru", {"Russian"}),
        ("fact_checked=on", {"Checked"}),
    ],
)
def test_archive_filters(client, query, expected):
    ArticleFactory(title="Red", published_on=date(2024, 5, 1)).tags.add("red")
    ArticleFactory(title="Old", published_on=date(2021, 5, 1))
    ArticleFactory(title="Russian", language="ru", published_on=date(2024, 5, 1))
    published_with_claim(title="Checked", published_on=date(2024, 5, 1))
    html = client.get(f"/articles/?{query}").content.decode()
    shown = {t for t in ["Red", "Old", "Russian", "Checked"] if f">{t}</a>" in html}
    assert shown == expected


def test_archive_filters_by_outlet_and_author(client):
    author = AuthorFactory(name="Ann Smith")
    ArticleFactory(title="By Ann", author=author)
    ArticleFactory(title="By someone else")
    by_author = client.get(f"/articles/?author={author.slug}").content.decode()
    by_outlet = client.get(f"/articles/?outlet={author.outlet.slug}").content.decode()
    assert ">By Ann</a>" in by_author and "By someone else" not in by_author
    assert ">By Ann</a>" in by_outlet and "By someone else" not in by_outlet


def test_a_bad_filter_value_is_named_not_a_crash(client):
    response = client.get("/articles/?year=nineteen")
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_claims_list_filters_by_rating_and_hides_drafts(client, mixed):
    visible, _ = mixed
    true_claim = published_with_claim(title="Another")
    true_claim.rating = rating("true")
    true_claim.claim_text = "True claim"
    true_claim.save()
    html = client.get("/claims/?rating=false").content.decode()
    assert "A fox is brown." in html and "True claim" not in html and "Hidden claim" not in html
    assert "ClaimReview" in html
    assert "hidden-claim-tag" not in html
    tagged = client.get("/claims/?tag=claim-tag").content.decode()
    assert f'href="/annotations/{visible.pk}/"' in tagged and "True claim" not in tagged


def test_tags_pages_show_only_published_uses(client, mixed):
    index = client.get("/tags/").content.decode()
    assert "open-tag" in index and "claim-tag" in index
    assert "secret-tag" not in index and "hidden-claim-tag" not in index
    assert client.get("/tags/secret-tag/").status_code == 404
    page = client.get("/tags/claim-tag/").content.decode()
    assert "A fox is brown." in page and "ClaimReview" in page


def test_outlet_and_author_pages_list_only_published_articles(client, mixed):
    visible, hidden = mixed
    for obj in (visible.article.outlet, visible.article.author):
        assert "Visible piece" in client.get(obj.get_absolute_url()).content.decode()
    for obj in (hidden.article.outlet, hidden.article.author):
        assert "Hidden draft piece" not in client.get(obj.get_absolute_url()).content.decode()


def test_methodology_renders_the_scale_from_the_database(client):
    Rating.objects.filter(slug="true").update(description="Edited description of true.")
    html = client.get("/methodology/").content.decode()
    assert "Edited description of true." in html
    assert html.index("Mostly true") < html.index("Unverifiable")
    assert "rating changed from" in html


def test_feeds_list_only_published_articles(client, mixed):
    for url in ("/feeds/articles.atom", "/feeds/articles.rss"):
        body = client.get(url).content.decode()
        assert "Visible piece" in body and "Hidden draft piece" not in body
    assert client.get("/feeds/articles.atom")["Content-Type"].startswith("application/atom+xml")


def test_sitemap_lists_only_published_pages(client, mixed):
    visible, hidden = mixed
    body = sitemap_text(client)
    assert visible.article.get_absolute_url() in body and f"/annotations/{visible.pk}/" in body
    assert hidden.article.get_absolute_url() not in body and f"/annotations/{hidden.pk}/" not in body
    assert "/tags/open-tag/" in body and "/tags/secret-tag/" not in body


def test_robots_txt_points_at_the_sitemap(client, settings):
    settings.SITE_URL = "https://glossa.example.org"
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "Sitemap: https://glossa.example.org/sitemap.xml" in body


def test_rating_stylesheet_comes_from_the_scale_and_is_cached(client):
    Rating.objects.filter(slug="true").update(colour="#123456")
    response = client.get("/ratings.css")
    assert ".rating-true { --rating: #123456; }" in response.content.decode()
    assert client.get("/ratings.css", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_malformed_colour_never_reaches_the_stylesheet(client):
    Rating.objects.filter(slug="true").update(colour="red;}*{")
    assert "red;}" not in client.get("/ratings.css").content.decode()


def test_the_404_page_is_custom_and_plain(client):
    response = client.get("/articles/no-such-article/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Traceback" not in html and "no-such-article" not in html


def test_the_500_page_leaks_nothing():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and "Traceback" not in html and "SECRET" not in html


@pytest.mark.parametrize("url", ["/", "/articles/", "/claims/", "/tags/", "/methodology/"])
def test_pages_have_canonical_og_tags_and_no_inline_code(client, mixed, url):
    html = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}">' in html
    assert '<meta property="og:title"' in html
    finder = InlineCodeFinder()
    finder.feed(html)
    assert finder.problems == []


def test_the_header_has_a_search_form(client):
    html = client.get("/").content.decode()
    assert '<form class="site-search" action="/search/" method="get" role="search">' in html
    assert 'name="q"' in html


def many_articles(count: int) -> None:
    for i in range(count):
        claim = published_with_claim(title=f"Bulk {i}")
        claim.article.tags.add(f"tag-{i % 7}")
        claim.tags.add(f"tag-{i % 5}")


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/", 8),
        ("/articles/", 8),
        ("/articles/?fact_checked=on&year=2024", 8),
        ("/claims/", 11),
        ("/tags/", 2),
        ("/tags/tag-1/", 10),
        ("/sitemap.xml", 13),  # per section its size and its newest change, each read from an index
        ("/feeds/articles.atom", 2),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(client, django_assert_max_num_queries, count, url, budget):
    many_articles(count)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_outlet_and_author_query_counts_do_not_grow(client, django_assert_max_num_queries, count):
    author = AuthorFactory()
    for _ in range(count):
        ArticleFactory(author=author)
    for url in (author.get_absolute_url(), author.outlet.get_absolute_url()):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
