"""An export response for a validated search: CSV, JSON or W3C Web Annotation JSON-LD, streamed.

Every export is built from a validated search FilterSet, so it holds published content only and
exactly the records the search page lists. One response carries at most ``GLOSSA_EXPORT_MAX_ROWS``
records; ``page`` selects the next slice and each format says where it is (JSON ``next`` link,
JSON-LD ``next``, CSV ``Link`` header).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse

from ..filters import SearchFilter
from .records import COLUMNS, RECORDS, VALUES_OF, Paths, site_url
from .rows import result_rows
from .streams import stream_csv, stream_json
from .webannotation import WEB_ANNOTATION_CONTEXT, web_annotation

FORMATS = ("csv", "json", "jsonld")


def export_links(params) -> dict[str, str]:
    """The current search as a download in each format (first slice)."""
    links = {}
    for fmt in FORMATS:
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
    rows = result_rows(filterset, offset, offset + cap)
    next_page = page + 1 if offset + cap < total else None
    previous_page = page - 1 if page > 1 else None
    return rows, total, next_page, previous_page


def _jsonld_document(request, total: int, page: int, next_page, previous_page) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    collection_url = site_url(f"{request.path}?{query.urlencode()}")
    cap = settings.GLOSSA_EXPORT_MAX_ROWS
    last = max(1, -(-total // cap))
    page_doc = {"id": _page_url(request, page), "type": "AnnotationPage", "startIndex": (page - 1) * cap}
    if next_page:
        page_doc["next"] = _page_url(request, next_page)
    if previous_page:
        page_doc["prev"] = _page_url(request, previous_page)
    if page == 1:
        return {
            "@context": WEB_ANNOTATION_CONTEXT,
            "id": collection_url,
            "type": "AnnotationCollection",
            "label": f"{settings.SITE_NAME} annotations matching a search",
            "total": total,
            "last": _page_url(request, last),
            "first": {**page_doc, "items": []},
        }
    return {
        "@context": WEB_ANNOTATION_CONTEXT,
        **page_doc,
        "partOf": {"id": collection_url, "total": total},
        "items": [],
    }


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
    build, paths = RECORDS[data_type], Paths()
    filename = f"glossa-{data_type}" + (f"-page{page}" if page > 1 else "")
    if export_format == "csv":
        response = StreamingHttpResponse(
            stream_csv((VALUES_OF[data_type](row, paths) for row in rows), COLUMNS[data_type]),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        if next_page:
            response["Link"] = f'<{_page_url(request, next_page)}>; rel="next"'
    elif export_format == "json":
        document = {
            "count": total,
            "next": _page_url(request, next_page),
            "previous": _page_url(request, previous_page),
            "results": [],
        }
        response = StreamingHttpResponse(
            stream_json((build(row, paths) for row in rows), document), content_type="application/json"
        )
    else:
        document = _jsonld_document(request, total, page, next_page, previous_page)
        response = StreamingHttpResponse(
            stream_json((web_annotation(row, paths) for row in rows), document, key="items"),
            content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        )
    response["X-Total-Count"] = str(total)
    return response
