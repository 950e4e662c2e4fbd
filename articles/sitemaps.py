"""sitemap.xml: published articles, published annotations, and the list pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.urls import reverse

from annotations.models import Annotation

from .models import Article, Author, Outlet
from .views import tags_with_counts


class Sitemap(BaseSitemap):
    """Locations on the public address (SITE_URL), as robots.txt, canonical links and feeds use,
    not on whichever host the request came through (a proxy, an internal name)."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        # Host plus any path prefix, since locations are appended to it as SITE_URL + path.
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


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
