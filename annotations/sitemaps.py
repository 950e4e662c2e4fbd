"""sitemap.xml: published articles and annotations, public outlets, authors and tags, list pages."""

from __future__ import annotations

from django.urls import reverse

from articles.sitemaps import ArticleSitemap, AuthorSitemap, OutletSitemap, Sitemap

from .models import Annotation, Tag


class AnnotationSitemap(Sitemap):
    def items(self):
        return Annotation.objects.published().only("pk", "modified").order_by("pk")

    def lastmod(self, item: Annotation):
        return item.modified


class TagSitemap(Sitemap):
    def items(self):
        return Tag.objects.public().order_by("pk")

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
