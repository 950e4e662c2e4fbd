"""The read-only JSON API at /api/: published content only, the search parameters as filters.

Plain Django views: the API is a handful of read-only lists built on the same FilterSets and
record builders as the search page and its exports, which a framework would not shorten.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.urls import reverse

from annotations.models import Annotation, Rating, Source, Tag
from articles.listing import capped_count
from articles.models import Article

from . import pagination
from .backends import backend
from .exports.records import rating_record, source_record, tag_record
from .exports.rows import records
from .filters import search_filterset
from .openapi import openapi_document

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


class BadRequest(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def api_view(view):
    """GET only, open to any origin (CORS), and bad input answered with 400 and the reasons."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"errors": {"method": ["This API is read-only: use GET."]}}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = JsonResponse({"errors": error.errors}, status=400)
            except Http404 as error:
                response = JsonResponse({"errors": {"id": [str(error) or "Not found."]}}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _positive(request, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest({name: [f"{name} must be a whole number, not {raw[:40]!r}."]}) from None
    if not 1 <= value <= maximum:
        raise BadRequest({name: [f"{name} must be between 1 and {maximum}."]})
    return value


def search_records(filterset, ids: list[int]) -> list[dict]:
    """The records of these results, in order; articles carry their paragraphs."""
    return records(filterset.data_type, ids, with_paragraphs=filterset.data_type == "articles")


def by_cursor(request, filterset) -> JsonResponse:
    """The results after ``cursor`` (``cursor=`` empty for the first), and a ``next`` link to go on."""
    if "page" in request.GET:
        raise BadRequest({"cursor": ["Use either page or cursor, not both."]})
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    cursor = request.GET.get("cursor", "").strip()
    if len(cursor) > 1000:
        raise BadRequest({"cursor": ["The cursor is longer than any this API gives out."]})
    # In date order every result can be reached a page at a time; ranked results come from the window.
    filterset.windowed = filterset.sort == "relevance"
    try:
        ids, next_cursor = pagination.cursor_page(filterset, cursor, per_page)
    except pagination.CursorError as error:
        raise BadRequest({"cursor": [str(error)]}) from None
    following = None
    if next_cursor is not None:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        following = f"{settings.SITE_URL}{request.path}?{query.urlencode()}"
    count, exact = capped_count(filterset.qs)
    return JsonResponse(
        {
            "count": count,
            "count_is_exact": exact and not filterset.window_full,
            "per_page": per_page,
            "cursor": cursor,
            "next": following,
            "results": search_records(filterset, ids),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def paginated(request, queryset, record=None, filterset=None) -> JsonResponse:
    """A page of ``queryset`` (or of the search ``filterset``, loading only the rows shown)."""
    if filterset is not None and "cursor" in request.GET:
        return by_cursor(request, filterset)
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    number = _positive(request, "page", 1, 10_000)
    if filterset is not None:
        try:
            page, ids = pagination.page(filterset, number, per_page)
        except pagination.PageOutOfRange as error:
            raise BadRequest({"page": [str(error)]}) from None
        paginator, results = page.paginator, search_records(filterset, ids)
    else:
        paginator = Paginator(queryset, per_page)
        if number > max(paginator.num_pages, 1):
            raise BadRequest(
                {"page": [f"Page {number} does not exist: there are {paginator.num_pages} pages."]}
            )
        page = paginator.page(number)
        results = [record(obj) for obj in page.object_list]

    def link(n: int | None) -> str | None:
        if n is None:
            return None
        query = request.GET.copy()
        query["page"] = str(n)
        return f"{settings.SITE_URL}{request.path}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "count_is_exact": not (filterset is not None and filterset.window_full),
            "page": number,
            "per_page": per_page,
            "next": link(page.next_page_number() if page.has_next() else None),
            "previous": link(page.previous_page_number() if page.has_previous() else None),
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def searched(request, data_type: str):
    """The validated search FilterSet for the request, or BadRequest naming each bad parameter."""
    if "type" in request.GET:
        raise BadRequest({"type": ["Each endpoint lists one type; leave out the type parameter."]})
    filterset = search_filterset(request.GET, data_type)
    if not filterset.is_valid():
        raise BadRequest({name: list(messages) for name, messages in filterset.errors.items()})
    return filterset


@api_view
def index(request):
    names = ["articles", "paragraphs", "annotations", "sources", "tags", "ratings", "schema"]
    return JsonResponse({name: f"{settings.SITE_URL}{reverse(f'api_{name}')}" for name in names})


@api_view
def articles(request):
    return paginated(request, None, filterset=searched(request, "articles"))


@api_view
def article(request, pk: int):
    found = records("articles", [pk], with_paragraphs=True)
    if not found:
        raise Http404(f"No published article has id {pk}.")
    return JsonResponse(found[0], json_dumps_params={"ensure_ascii": False})


@api_view
def paragraphs(request):
    return paginated(request, None, filterset=searched(request, "paragraphs"))


@api_view
def annotations(request):
    return paginated(request, None, filterset=searched(request, "annotations"))


@api_view
def annotation(request, pk: int):
    found = records("annotations", [pk])
    if not found:
        raise Http404(f"No published annotation has id {pk}.")
    return JsonResponse(found[0], json_dumps_params={"ensure_ascii": False})


def _lookup(request, queryset, field_name: str):
    q = request.GET.get("q", "").strip()
    if len(q) > 100:
        raise BadRequest({"q": ["The look-up is longer than 100 characters."]})
    if "\x00" in q:
        raise BadRequest({"q": ["Null characters are not allowed."]})
    if not q:
        return queryset
    # Closest first, so a slightly wrong spelling still finds the tag or source.
    found = [obj.pk for obj in backend().similar(queryset, field_name, q, limit=MAX_PER_PAGE)]
    order = {pk: index for index, pk in enumerate(found)}
    return sorted(queryset.filter(pk__in=found), key=lambda obj: order[obj.pk])


@api_view
def sources(request):
    # Joined through each citation's own annotation and article (citations are few), not tested
    # against the set of every published annotation, which grows with the archive.
    published = Q(
        citations__annotation__status=Annotation.Status.PUBLISHED,
        citations__annotation__article__status=Article.Status.PUBLISHED,
    )
    queryset = (
        Source.objects.annotate(citation_count=Count("citations", filter=published))
        .filter(citation_count__gt=0)
        .order_by("title", "pk")
    )
    return paginated(request, _lookup(request, queryset, "title"), source_record)


@api_view
def tags(request):
    return paginated(
        request, _lookup(request, Tag.objects.with_counts().order_by("name"), "name"), tag_record
    )


@api_view
def ratings(request):
    return JsonResponse(
        {"results": [rating_record(r) for r in Rating.objects.all()]},
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def schema(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
