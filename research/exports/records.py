"""The records researchers get, one builder per kind: the API and every export format use them.

Columns and fields are documented in docs/RESEARCH.md; change them only with that page.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Annotation, Rating, Source
from articles.models import Article, Paragraph


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _article_fields(article) -> dict:
    return {
        "article_id": article.pk,
        "article_title": article.title,
        "article_url": site_url(article.get_absolute_url()),
        "original_url": article.original_url,
        "outlet": article.outlet.name if article.outlet else "",
        "outlet_slug": article.outlet.slug if article.outlet else "",
        "author": article.author.name if article.author else "",
        "author_slug": article.author.slug if article.author else "",
        "language": article.language,
        "published_on": _date(article.published_on),
    }


def annotation_record(annotation: Annotation) -> dict:
    paragraph = annotation.paragraph
    # Where the quote sits now; an orphan keeps the offsets it had when it was last placed.
    if paragraph is not None:
        start, end = annotation.current_span(paragraph.text) or (None, None)
    else:
        start, end = annotation.start, annotation.end
    return {
        "id": annotation.pk,
        "url": site_url(annotation.get_absolute_url()),
        "kind": annotation.kind,
        "rating": annotation.rating.slug if annotation.rating else "",
        "rating_label": annotation.rating.label if annotation.rating else "",
        "rating_value": annotation.rating.value if annotation.rating else None,
        "claim_text": annotation.claim_text,
        "claimant": annotation.claimant,
        "conclusion": annotation.conclusion,
        "body": annotation.body,
        "quote": annotation.exact,
        "quote_prefix": annotation.prefix,
        "quote_suffix": annotation.suffix,
        "quote_start": start,
        "quote_end": end,
        "anchor_state": annotation.anchor_state,
        "paragraph_key": paragraph.key if paragraph else "",
        "paragraph_position": paragraph.position if paragraph else None,
        "paragraph_url": site_url(f"{annotation.article.get_absolute_url()}#{paragraph.anchor}")
        if paragraph
        else "",
        "paragraph_text": paragraph.text if paragraph else "",
        **_article_fields(annotation.article),
        "tags": [tag.name for tag in annotation.tags.all()],
        "sources": [citation.source.url or citation.source.title for citation in annotation.citations.all()],
        "created": _date(annotation.created),
        "modified": _date(annotation.modified),
    }


def paragraph_record(paragraph: Paragraph) -> dict:
    return {
        "id": paragraph.pk,
        "key": paragraph.key,
        "position": paragraph.position,
        "role": paragraph.role,
        "url": site_url(f"{paragraph.article.get_absolute_url()}#{paragraph.anchor}"),
        "text": paragraph.text,
        **_article_fields(paragraph.article),
    }


def article_record(article: Article) -> dict:
    fields = _article_fields(article)
    return {
        "id": article.pk,
        "url": fields.pop("article_url"),
        "title": fields.pop("article_title"),
        **{k: v for k, v in fields.items() if k != "article_id"},
        "tags": [tag.name for tag in article.tags.all()],
    }


RECORDS = {
    "annotations": (annotation_record, ("tags", "citations__source")),
    "paragraphs": (paragraph_record, ()),
    "articles": (article_record, ("tags",)),
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


def paragraph_summary(paragraph: Paragraph) -> dict:
    return {
        "id": paragraph.pk,
        "key": paragraph.key,
        "position": paragraph.position,
        "role": paragraph.role,
        "text": paragraph.text,
    }


def article_with_paragraphs(article: Article) -> dict:
    return {**article_record(article), "paragraphs": [paragraph_summary(p) for p in article.paragraphs.all()]}


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
