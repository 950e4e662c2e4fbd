from __future__ import annotations

import pytest

from articles.models import Article, Author
from articles.text import ascii_slug
from tests.factories import AnnotationFactory, ArticleFactory, AuthorFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Новый закон о выборах", "novyy-zakon-o-vyborakh"),
        ("Щедрый вечер — Ёлка", "shchedryy-vecher-elka"),
        ("Қазақстан және Ресей", "qazaqstan-zhane-resey"),
        ("中文标题", "zhongwenbiaoti"),
        ("Україна: їжак", "ukraina-izhak"),
        ("Café société", "cafe-societe"),
    ],
)
def test_slugs_are_ascii_whatever_the_script(title, slug):
    assert ascii_slug(title) == slug


def test_a_title_with_no_latin_equivalent_still_gets_a_slug():
    first = ArticleFactory(title="★ ☆")
    second = ArticleFactory(title="★ ☆")
    assert (first.slug, second.slug) == ("article", "article-2")


def test_a_published_russian_article_is_served_on_every_public_surface(client):
    author = AuthorFactory(name="Пётр Сидоров")
    article = ArticleFactory(title="Новый закон о выборах", author=author, language="ru")
    article.tags.add("выборы")
    annotation = AnnotationFactory(
        paragraph=ParagraphFactory(article=article, text="Закон принят в марте."), exact="в марте"
    )
    annotation.tags.add("выборы")
    assert Article.objects.get().slug == "novyy-zakon-o-vyborakh"
    assert Author.objects.get().slug == "petr-sidorov"
    for url in [
        "/",
        "/articles/",
        article.get_absolute_url(),
        author.get_absolute_url(),
        annotation.get_absolute_url(),
        "/claims/",
        "/tags/",
        "/sitemap.xml",
        "/feeds/articles.atom",
        "/feeds/articles.rss",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    tag_page = client.get("/tags/выборы/")
    assert tag_page.status_code == 200
    assert "Новый закон о выборах" in tag_page.content.decode()


def test_a_tag_of_only_symbols_still_gets_a_page(client):
    article = ArticleFactory()
    article.tags.add("<<>>", "★")
    slugs = sorted(article.tags.values_list("slug", flat=True))
    assert all(slug.startswith("tag-") or slug == "★" for slug in slugs)
    assert len(set(slugs)) == 2
    assert client.get("/tags/").status_code == 200
    for slug in slugs:
        assert client.get(f"/tags/{slug}/").status_code == 200
