"""sitemap.xml sections for articles, outlets and authors (the annotations app adds its own)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap

from .models import Article, Author, Outlet


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
        return Article.objects.published().only("slug", "updated_at", "content_changed_at").order_by("pk")

    def lastmod(self, item: Article):
        return max(filter(None, [item.updated_at, item.content_changed_at]))


class OutletSitemap(Sitemap):
    def items(self):
        return Outlet.objects.public().order_by("pk")


class AuthorSitemap(Sitemap):
    def items(self):
        return Author.objects.public().order_by("pk")
