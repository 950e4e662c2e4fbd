"""The records researchers get, one builder per kind: the API and every export format use them.

Columns and fields are documented in docs/RESEARCH.md; change them only with that page.
"""

from __future__ import annotations

from operator import itemgetter

from django.conf import settings
from django.urls import reverse
from taggit.models import Tag

from annotations.anchoring import current_span
from annotations.models import Rating, Source
from config.urlpaths import path_maker


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _date(value) -> str | None:
    return value.isoformat() if value else None


# What each record is read from: plain values (``values()``), never model instances, so an export
# of 100,000 rows builds no objects and runs no query per row (``research/exports/rows.py``).
ARTICLE_VALUES = (
    "title",
    "slug",
    "original_url",
    "language",
    "published_on",
    "outlet__name",
    "outlet__slug",
    "author__name",
    "author__slug",
)
VALUES = {
    "annotations": (
        "id",
        "article_id",
        "kind",
        "rating_id",
        "claim_text",
        "claimant",
        "conclusion",
        "body",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "anchor_state",
        "created",
        "modified",
        "paragraph_id",
        "paragraph__key",
        "paragraph__position",
        "paragraph__text",
        "author__first_name",
        "author__last_name",
        *(f"article__{name}" for name in ARTICLE_VALUES),
    ),
    "paragraphs": (
        "id",
        "article_id",
        "key",
        "position",
        "role",
        "text",
        *(f"article__{name}" for name in ARTICLE_VALUES),
    ),
    "articles": ("id", *ARTICLE_VALUES),
}


class Paths:
    """The public URLs of records, each URL pattern reversed once (``config.urlpaths``)."""

    def __init__(self) -> None:
        self.article = path_maker("article_detail")
        self.annotation = path_maker("annotation_detail")
        # Read once: a setting is looked up through Django's lazy settings object at every use.
        self.site = settings.SITE_URL

    def article_url(self, slug: str) -> str:
        return self.site + self.article(slug)

    def annotation_url(self, pk: int) -> str:
        return self.site + self.annotation(pk)


# The article's columns as they are named in the rows of annotations and paragraphs (``article__``)
# and of articles (no prefix), spelt out once rather than for every row.
_ARTICLE_VALUES_OF = {
    prefix: itemgetter(*(f"{prefix}{name}" for name in ARTICLE_VALUES)) for prefix in ("article__", "")
}


def _article_fields(row: dict, paths: Paths, prefix: str = "article__") -> dict:
    title, slug, original_url, language, published_on, outlet, outlet_slug, author, author_slug = (
        _ARTICLE_VALUES_OF[prefix](row)
    )
    return {
        "article_id": row["article_id"] if prefix else row["id"],
        "article_title": title,
        "article_url": paths.article_url(slug),
        "original_url": original_url,
        "outlet": outlet or "",
        "outlet_slug": outlet_slug or "",
        "author": author or "",
        "author_slug": author_slug or "",
        "language": language,
        "published_on": published_on.isoformat() if published_on else None,
    }


def annotation_record(row: dict, paths: Paths) -> dict:
    """``row``: the ``VALUES["annotations"]`` of one annotation, its ``rating`` (a dict or None),
    ``tags`` (names) and ``citations`` ((url, title, publisher) of each cited source)."""
    text = row["paragraph__text"]
    # Where the quote sits now; an orphan keeps the offsets it had when it was last placed.
    if row["paragraph_id"] is not None:
        start, end = current_span(
            text, row["exact"], row["prefix"], row["suffix"], row["start"], row["end"]
        ) or (None, None)
    else:
        start, end = row["start"], row["end"]
    article = _article_fields(row, paths)
    rating = row["rating"]
    return {
        "id": row["id"],
        "url": paths.annotation_url(row["id"]),
        "kind": row["kind"],
        "rating": rating["slug"] if rating else "",
        "rating_label": rating["label"] if rating else "",
        "rating_value": rating["value"] if rating else None,
        "claim_text": row["claim_text"],
        "claimant": row["claimant"],
        "conclusion": row["conclusion"],
        "body": row["body"],
        "quote": row["exact"],
        "quote_prefix": row["prefix"],
        "quote_suffix": row["suffix"],
        "quote_start": start,
        "quote_end": end,
        "anchor_state": row["anchor_state"],
        "paragraph_key": row["paragraph__key"] or "",
        "paragraph_position": row["paragraph__position"],
        "paragraph_url": f"{article['article_url']}#p-{row['paragraph__key']}" if text is not None else "",
        "paragraph_text": text or "",
        **article,
        "tags": row["tags"],
        "sources": [url or title for url, title, _publisher in row["citations"]],
        # Never empty (``_date`` in line: a call per value is a tenth of an export's time).
        "created": row["created"].isoformat(),
        "modified": row["modified"].isoformat(),
    }


def paragraph_record(row: dict, paths: Paths) -> dict:
    article = _article_fields(row, paths)
    return {
        "id": row["id"],
        "key": row["key"],
        "position": row["position"],
        "role": row["role"],
        "url": f"{article['article_url']}#p-{row['key']}",
        "text": row["text"],
        **article,
    }


def article_record(row: dict, paths: Paths) -> dict:
    fields = _article_fields(row, paths, prefix="")
    return {
        "id": row["id"],
        "url": fields.pop("article_url"),
        "title": fields.pop("article_title"),
        **{k: v for k, v in fields.items() if k != "article_id"},
        "tags": row["tags"],
    }


RECORDS = {
    "annotations": annotation_record,
    "paragraphs": paragraph_record,
    "articles": article_record,
}

# Column order is part of the documented format.
ARTICLE_COLUMNS = [
    "article_id",
    "article_title",
    "article_url",
    "original_url",
    "outlet",
    "outlet_slug",
    "author",
    "author_slug",
    "language",
    "published_on",
]
ANNOTATION_COLUMNS = [
    "id",
    "url",
    "kind",
    "rating",
    "rating_label",
    "rating_value",
    "claim_text",
    "claimant",
    "conclusion",
    "body",
    "quote",
    "quote_prefix",
    "quote_suffix",
    "quote_start",
    "quote_end",
    "anchor_state",
    "paragraph_key",
    "paragraph_position",
    "paragraph_url",
    "paragraph_text",
]
COLUMNS = {
    "annotations": [*ANNOTATION_COLUMNS, *ARTICLE_COLUMNS, "tags", "sources", "created", "modified"],
    "paragraphs": ["id", "key", "position", "role", "url", "text", *ARTICLE_COLUMNS],
    # An article's own record names its fields without the article_ prefix.
    "articles": ["id", "url", "title", *ARTICLE_COLUMNS[3:], "tags"],
}


# An article's paragraphs as the API's article records carry them.
PARAGRAPH_SUMMARY = ("id", "key", "position", "role", "text")


def source_record(source: Source) -> dict:
    return {
        "id": source.pk,
        "url": source.url or "",
        "title": source.title,
        "publisher": source.publisher,
        "published_on": _date(source.published_on),
        "accessed_on": _date(source.accessed_on),
        "archived_url": source.archived_url,
        "kind": source.kind,
        "citations": source.citation_count,
    }


def tag_record(tag: Tag) -> dict:
    return {
        "id": tag.pk,
        "name": tag.name,
        "slug": tag.slug,
        "articles": tag.article_count,
        "annotations": tag.annotation_count,
        "search": f"{settings.SITE_URL}{reverse('search')}?tag={tag.slug}",
    }


def rating_record(rating: Rating) -> dict:
    return {
        "id": rating.pk,
        "slug": rating.slug,
        "label": rating.label,
        "value": rating.value,
        "description": rating.description,
        "colour": rating.colour,
        "order": rating.order,
    }
