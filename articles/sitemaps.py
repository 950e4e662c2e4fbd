"""sitemap.xml: published articles, published annotations, and the list pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from annotations.models import Annotation

from .models import Article, Author, Outlet
from .views import tags_with_counts


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Article):
        return item.updated_at


class AnnotationSitemap(Sitemap):
    def items(self):
        return Annotation.objects.published().only("pk", "modified").order_by("pk")

    def lastmod(self, item: Annotation):
        return item.modified


class OutletSitemap(Sitemap):
    def items(self):
        return Outlet.objects.filter(articles__status=Article.Status.PUBLISHED).distinct().order_by("pk")


class AuthorSitemap(Sitemap):
    def items(self):
        return Author.objects.filter(articles__status=Article.Status.PUBLISHED).distinct().order_by("pk")


class TagSitemap(Sitemap):
    def items(self):
        return tags_with_counts()

    def location(self, item) -> str:
        return reverse("tag_detail", args=[item.slug])


class PageSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["home", "archive", "claim_list", "tag_list", "methodology"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "annotations": AnnotationSitemap,
    "outlets": OutletSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
