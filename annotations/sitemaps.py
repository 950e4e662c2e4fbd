"""sitemap.xml: published articles and annotations, public outlets, authors and tags, list pages,
as an index of section files (``articles/sitemaps.py`` says how a section is built)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from articles.models import Article
from articles.sitemaps import (
    ArticleSitemap,
    AuthorSitemap,
    OutletSitemap,
    Sitemap,
    lists_changed,
    section_view,
    site_url_index,
)

from . import summaries
from .models import Annotation, Tag

SECTION_URL_NAME = "sitemap_section"


class AnnotationSitemap(Sitemap):
    """An annotation's page shows its article too: changed when either last did (its Last-Modified)."""

    url_name = "annotation_detail"

    def items(self):
        changed = Greatest(
            F("modified"),
            F("article__updated_at"),
            Coalesce(F("article__content_changed_at"), F("article__updated_at")),
        )
        return Annotation.objects.published().order_by("pk").values(key=F("pk"), changed=changed)

    def counted(self) -> int:
        return summaries.total(summaries.ANNOTATIONS)  # Annotation.objects.published().count(), kept

    def get_latest_lastmod(self):
        """The newest of the items' ``changed``, from indexes: the newest ``modified`` of a published
        annotation, and the newest change of an article that carries one."""
        published = Annotation.objects.published()
        own = published.order_by(F("modified").desc()).values_list("modified", flat=True).first()
        # Articles that carry one, walked backwards along each index until the first is found (an
        # aggregate over a filter with a subquery would read every article).
        carrying = Article.objects.filter(Exists(published.filter(article=OuterRef("pk"))))
        articles = [
            carrying.filter(**{f"{field}__isnull": False})
            .order_by(F(field).desc())
            .values_list(field, flat=True)
            .first()
            for field in ("updated_at", "content_changed_at")
        ]
        return max((moment for moment in (own, *articles) if moment is not None), default=None)


class ListSitemap(Sitemap):
    """Pages that list the archive change whenever the lists do."""

    def lastmod(self, item) -> object:
        if not hasattr(self, "_changed"):
            self._changed = lists_changed()
        return self._changed

    def get_latest_lastmod(self):
        return lists_changed()


class TagSitemap(ListSitemap):
    url_name = "tag_detail"

    def items(self):
        return Tag.objects.public().order_by("pk").values(key=F("slug"))


class PageSitemap(ListSitemap):
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


def sitemap_index(request):
    return site_url_index(request, SITEMAPS, SECTION_URL_NAME)


def sitemap_section(request, section: str):
    return section_view(request, SITEMAPS, section)
