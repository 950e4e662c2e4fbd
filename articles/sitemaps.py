"""sitemap.xml: an index of section files, and the sections of articles, outlets and authors
(the annotations app adds its own and composes the index).

Each section lists plain values (``values()``), not model instances, and builds its paths with
one ``reverse()`` per file (``config.urlpaths``); a file holds at most ``GLOSSA_SITEMAP_LIMIT``
URLs (the protocol allows 50,000), and every URL carries a ``lastmod``: when the page it names
last read differently.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpResponse
from django.utils.http import http_date

from config.urlpaths import path_maker

from .models import Article, Author, Outlet

# When an article's page last read differently: its own row, or anything shown on it.
ARTICLE_CHANGED = Greatest(F("updated_at"), Coalesce(F("content_changed_at"), F("updated_at")))


def latest_change(articles: QuerySet) -> datetime.datetime | None:
    """The newest ``ARTICLE_CHANGED`` among ``articles`` (a filter on the article table alone): the
    greater of the newest ``updated_at`` and the newest ``content_changed_at``, which PostgreSQL reads
    from the end of each one's index, rather than the expression worked out for every article."""
    newest = articles.aggregate(updated=Max("updated_at"), content=Max("content_changed_at"))
    return max((moment for moment in newest.values() if moment is not None), default=None)


def lists_changed():
    """When the lists (home, archive, claims, tags) last read differently: the latest change of a
    published article or of anything on one. A withdrawal touches the withdrawn article only, which
    then no longer counts; the lists still change at each publication and edit."""
    return latest_change(Article.objects.published())


class Sitemap(BaseSitemap):
    """Locations on the public address (SITE_URL), as robots.txt, canonical links and feeds use,
    not on whichever host the request came through (a proxy, an internal name)."""

    url_name = ""  # the one-argument URL each item's ``key`` fills in

    @property
    def limit(self) -> int:
        return settings.GLOSSA_SITEMAP_LIMIT

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        # Host plus any path prefix, since locations are appended to it as SITE_URL + path.
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path

    def location(self, item: dict) -> str:
        if not hasattr(self, "_path"):
            self._path = path_maker(self.url_name)
        return self._path(item["key"])

    def lastmod(self, item: dict):
        return item["changed"]

    def counted(self) -> int | None:
        """How many items the section has, when a maintained summary knows (None: they are counted)."""
        return None

    @property
    def paginator(self) -> Paginator:
        pages = Paginator(self._items(), self.limit)
        known = self.counted()
        if known is not None:
            pages.count = known  # in place of a COUNT(*) over the section (a cached property)
        return pages

    def get_latest_lastmod(self):
        """The newest ``lastmod`` of the section, in one aggregate (the index's ``lastmod``)."""
        return self.items().aggregate(latest=Max("changed"))["latest"]

    def entries(self, page) -> list[tuple[str, object]]:
        """The location and ``lastmod`` of each item on ``page``: what Django's ``get_urls`` gives
        (and the ``latest_lastmod`` it sets), without the dictionary of fields this archive does
        not use (priority, change frequency, languages) that it builds for every item (a file of
        50,000 articles about 400 -> 330 ms, measured)."""
        origin = f"{self.get_protocol()}://{self.get_domain()}"
        location, lastmod = self.location, self.lastmod
        found = [(origin + location(item), lastmod(item)) for item in self.paginator.page(page).object_list]
        dates = [changed for _location, changed in found]
        if dates and all(dates):
            self.latest_lastmod = max(dates)
        return found


class ArticleSitemap(Sitemap):
    url_name = "article_detail"

    def items(self):
        return Article.objects.published().order_by("pk").values(key=F("slug"), changed=ARTICLE_CHANGED)

    def get_latest_lastmod(self):
        return lists_changed()


class PublicNameSitemap(Sitemap):
    """Outlets and authors: changed when one of their published articles last did."""

    model: type = Outlet

    def items(self):
        published = Q(articles__status=Article.Status.PUBLISHED)
        changed = Max(
            Greatest(
                F("articles__updated_at"),
                Coalesce(F("articles__content_changed_at"), F("articles__updated_at")),
            ),
            filter=published,
        )
        return (
            self.model.objects.public().order_by("pk").values("pk", key=F("slug")).annotate(changed=changed)
        )

    def get_latest_lastmod(self):
        # A public outlet or author is one with a published article: the newest change among those.
        field = self.model._meta.model_name
        return latest_change(Article.objects.published().filter(**{f"{field}__isnull": False}))


class OutletSitemap(PublicNameSitemap):
    model = Outlet
    url_name = "outlet_detail"


class AuthorSitemap(PublicNameSitemap):
    model = Author
    url_name = "author_detail"


def site_url_index(request, sitemaps: dict, section_url_name: str):
    """Django's sitemap index view, with the section files named on SITE_URL as their entries are."""
    response = sitemap_views.index(request, sitemaps, sitemap_url_name=section_url_name)
    request_origin = f"{request.scheme}://{request.get_host()}"
    for entry in response.context_data["sitemaps"]:
        if entry.location.startswith(request_origin):
            entry.location = settings.SITE_URL + entry.location[len(request_origin) :]
    return response


def _w3c_datetime(value) -> str:
    if not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


def section_view(request, sitemaps: dict, section: str) -> HttpResponse:
    """One file of a section (``?p=2`` the second): Django's sitemap view, written without a template.

    Rendering 50,000 entries through a template costs seconds; each entry is a fixed pair of
    elements, so it is written as a string with its location escaped.
    """
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    site = sitemaps[section]()
    try:
        entries = site.entries(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404(f"No page {request.GET.get('p')!r} in sitemap section {section!r}.") from None
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    parts += [
        f"<url><loc>{escape(location)}</loc><lastmod>{_w3c_datetime(lastmod)}</lastmod></url>\n"
        if lastmod
        else f"<url><loc>{escape(location)}</loc></url>\n"
        for location, lastmod in entries
    ]
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    latest = getattr(site, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
