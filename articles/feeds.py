"""Atom and RSS feeds of newly published articles (published only), safe for any stored text."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from .models import Article, Paragraph
from .text import clean_text

SUMMARY_LENGTH = 300


def summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Plain text cut at a word boundary within ``limit`` characters, with an ellipsis if cut."""
    # Cleaned first: Python counts some control characters as spaces, and stored text may hold them.
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def lede_text():
    """The paragraph marked as the lede, else the first one, as a subquery on articles."""
    paragraphs = (
        Paragraph.objects.filter(article=OuterRef("pk"))
        .annotate(
            lede_first=Case(
                When(role=Paragraph.Role.LEDE, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("lede_first", "position")
        .values("text")
    )
    return Subquery(paragraphs[:1])


def public_url(path: str) -> str:
    """An absolute URL on SITE_URL; the feed framework leaves absolute URLs as they are
    instead of prefixing the request's host."""
    return f"{settings.SITE_URL}{path}"


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


class XmlSafe:
    """Feed generator mixin: every string is cleaned (``clean_text``) on the way in.

    XML 1.0 cannot carry most control characters, and Django's generator refuses them with an
    error; text stored before the cleaning rule existed must not take the feed down for everyone.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()})


class SafeRssFeed(XmlSafe, Rss201rev2Feed):
    pass


class SafeAtomFeed(XmlSafe, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    feed_type = SafeRssFeed
    title = f"{settings.SITE_NAME}: latest articles"
    description = "Commentary newly published in the archive, with its claims checked."
    url_name = "feed_rss"

    def link(self) -> str:
        return public_url(reverse("archive"))

    def feed_url(self) -> str:
        return public_url(reverse(self.url_name))

    def item_link(self, item: Article) -> str:
        return public_url(item.get_absolute_url())

    def items(self):
        return (
            Article.objects.published()
            .select_related("author", "outlet")
            .annotate(lede=lede_text())
            .order_by("-first_published_at", "-id")[:30]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # RSS descriptions and Atom summaries (type="html") are read as HTML, so the plain
        # paragraph text is HTML-escaped here; the feed generator then escapes it for XML.
        if item.lede:
            return escape(summary(item.lede))
        parts = [item.author.name if item.author else "", item.outlet.name if item.outlet else ""]
        return escape(" · ".join(p for p in parts if p))

    def item_author_name(self, item: Article) -> str | None:
        return item.author.name if item.author else None

    def item_pubdate(self, item: Article) -> datetime | None:
        if item.first_published_at:
            return item.first_published_at
        if item.published_on:
            return timezone.make_aware(datetime.combine(item.published_on, time()))
        return None

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = SafeAtomFeed
    url_name = "feed_atom"
    subtitle = LatestArticlesFeed.description
