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


def _article_values(row: dict, paths: Paths, prefix: str = "article__") -> tuple:
    """The article's ``ARTICLE_COLUMNS``, in that order."""
    title, slug, original_url, language, published_on, outlet, outlet_slug, author, author_slug = (
        _ARTICLE_VALUES_OF[prefix](row)
    )
    return (
        row["article_id"] if prefix else row["id"],
        title,
        paths.article_url(slug),
        original_url,
        outlet or "",
        outlet_slug or "",
        author or "",
        author_slug or "",
        language,
        published_on.isoformat() if published_on else None,
    )


# Each kind's builder gives the values of its record in ``COLUMNS`` order: a CSV line is written
# from them as they are, and a JSON record is the columns zipped with them, so the two formats
# cannot disagree (and an export builds no dictionary a CSV line does not need).


def annotation_values(row: dict, paths: Paths) -> tuple:
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
    article = _article_values(row, paths)
    rating = row["rating"]
    return (
        row["id"],
        paths.annotation_url(row["id"]),
        row["kind"],
        rating["slug"] if rating else "",
        rating["label"] if rating else "",
        rating["value"] if rating else None,
        row["claim_text"],
        row["claimant"],
        row["conclusion"],
        row["body"],
        row["exact"],
        row["prefix"],
        row["suffix"],
        start,
        end,
        row["anchor_state"],
        row["paragraph__key"] or "",
        row["paragraph__position"],
        f"{article[2]}#p-{row['paragraph__key']}" if text is not None else "",
        text or "",
        *article,
        row["tags"],
        [url or title for url, title, _publisher in row["citations"]],
        # Never empty (``_date`` in line: a call per value is a tenth of an export's time).
        row["created"].isoformat(),
        row["modified"].isoformat(),
    )


def paragraph_values(row: dict, paths: Paths) -> tuple:
    article = _article_values(row, paths)
    return (
        row["id"],
        row["key"],
        row["position"],
        row["role"],
        f"{article[2]}#p-{row['key']}",
        row["text"],
        *article,
    )


def article_values(row: dict, paths: Paths) -> tuple:
    # Its own id, URL and title first; the other article columns (not its id, title or URL again).
    article = _article_values(row, paths, prefix="")
    return (row["id"], article[2], article[1], *article[3:], row["tags"])


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


VALUES_OF = {
    "annotations": annotation_values,
    "paragraphs": paragraph_values,
    "articles": article_values,
}


def _record_builder(data_type: str):
    columns, values_of = tuple(COLUMNS[data_type]), VALUES_OF[data_type]

    def record(row: dict, paths: Paths) -> dict:
        return dict(zip(columns, values_of(row, paths), strict=True))

    return record


# The records of the JSON export and the API.
RECORDS = {data_type: _record_builder(data_type) for data_type in VALUES_OF}


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
