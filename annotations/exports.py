"""Exports of search results: CSV, JSON and W3C Web Annotation JSON-LD, streamed.

Every export is built from a validated search FilterSet, so it holds published content only
and exactly the records the search page lists. One response carries at most
``GLOSSA_EXPORT_MAX_ROWS`` records; ``page`` selects the next slice and each format says
where it is (JSON ``next`` link, JSON-LD ``next``, CSV ``Link`` header).
Columns and fields are documented in docs/RESEARCH.md; change them only with that page.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse, StreamingHttpResponse

from .models import Annotation

if TYPE_CHECKING:
    from articles.filters import SearchFilter

WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CHUNK = 500
# Spreadsheets treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


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
        "quote_start": annotation.start,
        "quote_end": annotation.end,
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


def paragraph_record(paragraph) -> dict:
    return {
        "id": paragraph.pk,
        "key": paragraph.key,
        "position": paragraph.position,
        "role": paragraph.role,
        "url": site_url(f"{paragraph.article.get_absolute_url()}#{paragraph.anchor}"),
        "text": paragraph.text,
        **_article_fields(paragraph.article),
    }


def article_record(article) -> dict:
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
COLUMNS = {
    "annotations": [
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
        "tags",
        "sources",
        "created",
        "modified",
    ],
    "paragraphs": [
        "id",
        "key",
        "position",
        "role",
        "url",
        "text",
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
    ],
    "articles": [
        "id",
        "url",
        "title",
        "original_url",
        "outlet",
        "outlet_slug",
        "author",
        "author_slug",
        "language",
        "published_on",
        "tags",
    ],
}


# --- W3C Web Annotation -----------------------------------------------------------------


def motivation(annotation: Annotation) -> str:
    if annotation.kind == Annotation.Kind.CLAIM:
        return "assessing"
    if annotation.kind == Annotation.Kind.SOURCE and any(c.source.url for c in annotation.citations.all()):
        return "linking"
    return "commenting"


def _text_body(value: str, purpose: str, language: str) -> dict:
    body = {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}
    if language:
        body["language"] = language
    return body


def web_annotation(annotation: Annotation) -> dict:
    """One annotation in the W3C Web Annotation Data Model (without @context, added by the caller)."""
    article = annotation.article
    language = article.language
    own_purpose = motivation(annotation)
    bodies = []
    if annotation.rating:
        bodies.append(_text_body(annotation.rating.label, "assessing", "en"))
    if annotation.claim_text:
        bodies.append(_text_body(annotation.claim_text, "describing", language))
    if annotation.conclusion:
        bodies.append(_text_body(annotation.conclusion, "assessing", language))
    if annotation.body:
        bodies.append(
            _text_body(annotation.body, "assessing" if own_purpose == "assessing" else "commenting", "")
        )
    for citation in annotation.citations.all():
        source = citation.source
        if source.url:
            bodies.append({"type": "SpecificResource", "source": source.url, "purpose": "linking"})
        else:
            bodies.append(_text_body(str(source), "describing", ""))
    bodies += [
        {"type": "TextualBody", "value": tag.name, "purpose": "tagging"} for tag in annotation.tags.all()
    ]

    article_url = site_url(article.get_absolute_url())
    quote = {
        "type": "TextQuoteSelector",
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
    }
    if annotation.paragraph is None:
        # An orphan keeps its quote; where it sits in the article is no longer known.
        target = {"source": article_url, "selector": quote} if annotation.exact else article_url
    else:
        fragment = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": annotation.paragraph.anchor,
        }
        if annotation.exact:
            position = {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
            selectors = [{**fragment, "refinedBy": quote}, {**fragment, "refinedBy": position}]
        else:
            selectors = [fragment]
        target = {"source": article_url, "selector": selectors}

    creator = {"type": "Organization", "name": settings.SITE_NAME, "homepage": settings.SITE_URL + "/"}
    if annotation.author and annotation.author.get_full_name():
        creator = {"type": "Person", "name": annotation.author.get_full_name()}
    record = {
        "id": site_url(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": own_purpose,
        "created": annotation.created.isoformat(),
        "modified": annotation.modified.isoformat(),
        "creator": creator,
        "target": target,
    }
    if bodies:
        record["body"] = bodies
    return record


# --- Streaming --------------------------------------------------------------------------


def export_links(params) -> dict[str, str]:
    links = {}
    for fmt in ("csv", "json", "jsonld"):
        query = params.copy()
        query.pop("page", None)
        query["format"] = fmt
        links[fmt] = "?" + query.urlencode()
    return links


def _page_url(request, page: int | None) -> str | None:
    if page is None:
        return None
    query = request.GET.copy()
    query["page"] = str(page)
    return site_url(f"{request.path}?{query.urlencode()}")


def _rows(filterset: SearchFilter, page: int) -> tuple[Iterator, int, int | None, int | None]:
    cap = settings.GLOSSA_EXPORT_MAX_ROWS
    total = filterset.qs.count()
    offset = (page - 1) * cap
    _record, prefetch = RECORDS[filterset.data_type]
    select = ("author",) if filterset.data_type == "annotations" else ()  # the JSON-LD creator
    rows = filterset.iterate(offset, offset + cap, prefetch, select, chunk=CHUNK)
    next_page = page + 1 if offset + cap < total else None
    previous_page = page - 1 if page > 1 else None
    return rows, total, next_page, previous_page


def _json_array(items: Iterable[dict]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("" if first else ",\n") + json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        first = False


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(records: Iterable[dict], columns: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for record in records:
        row = []
        for column in columns:
            value = record[column]
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            row.append(neutralise(value))
        yield writer.writerow(row)


def stream_json(records, total, links) -> Iterator[str]:
    head = {"count": total, **links}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": [\n'
    yield from _json_array(records)
    yield "\n]}\n"


def stream_jsonld(annotations, total, page, request, next_page, previous_page) -> Iterator[str]:
    query = request.GET.copy()
    query.pop("page", None)
    collection_url = site_url(f"{request.path}?{query.urlencode()}")
    cap = settings.GLOSSA_EXPORT_MAX_ROWS
    last = max(1, -(-total // cap))
    page_doc = {
        "id": _page_url(request, page),
        "type": "AnnotationPage",
        "startIndex": (page - 1) * cap,
    }
    if next_page:
        page_doc["next"] = _page_url(request, next_page)
    if previous_page:
        page_doc["prev"] = _page_url(request, previous_page)
    if page == 1:
        document = {
            "@context": WEB_ANNOTATION_CONTEXT,
            "id": collection_url,
            "type": "AnnotationCollection",
            "label": f"{settings.SITE_NAME} annotations matching a search",
            "total": total,
            "last": _page_url(request, last),
            "first": {**page_doc, "items": []},
        }
    else:
        document = {
            "@context": WEB_ANNOTATION_CONTEXT,
            **page_doc,
            "partOf": {"id": collection_url, "total": total},
            "items": [],
        }
    text = json.dumps(document, ensure_ascii=False, indent=None)
    # Stream the items into the empty list left for them.
    head, tail = text.rsplit('"items": []', 1)
    yield head + '"items": [\n'
    yield from _json_array(web_annotation(a) for a in annotations)
    yield "\n]" + tail + "\n"


def search_export(request, filterset: SearchFilter, export_format: str) -> StreamingHttpResponse:
    """A streamed export of one slice of a validated search (format csv, json or jsonld)."""
    page = filterset.form.cleaned_data.get("page") or 1
    data_type = filterset.data_type
    if export_format == "jsonld" and data_type != "annotations":
        return JsonResponse(
            {"errors": {"format": ["Web Annotation JSON-LD is for annotations: use type=annotations."]}},
            status=400,
        )
    rows, total, next_page, previous_page = _rows(filterset, page)
    record = RECORDS[data_type][0]
    filename = f"glossa-{data_type}" + (f"-page{page}" if page > 1 else "")
    if export_format == "csv":
        response = StreamingHttpResponse(
            stream_csv((record(row) for row in rows), COLUMNS[data_type]),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        if next_page:
            response["Link"] = f'<{_page_url(request, next_page)}>; rel="next"'
    elif export_format == "json":
        links = {"next": _page_url(request, next_page), "previous": _page_url(request, previous_page)}
        response = StreamingHttpResponse(
            stream_json((record(row) for row in rows), total, links), content_type="application/json"
        )
    else:
        response = StreamingHttpResponse(
            stream_jsonld(rows, total, page, request, next_page, previous_page),
            content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        )
    response["X-Total-Count"] = str(total)
    return response
