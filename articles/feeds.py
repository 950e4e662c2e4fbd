"""Atom and RSS feeds of newly published articles (published only)."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import Article


class LatestArticlesFeed(Feed):
    title = f"{settings.SITE_NAME}: latest articles"
    link = "/articles/"
    description = "Commentary newly published in the archive, with its claims checked."

    def items(self):
        return (
            Article.objects.published()
            .select_related("author", "outlet")
            .order_by("-first_published_at", "-id")[:30]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        parts = [item.author.name if item.author else "", item.outlet.name if item.outlet else ""]
        return " · ".join(p for p in parts if p)

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
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
