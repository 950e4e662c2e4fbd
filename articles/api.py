"""The read-only JSON API at /api/: published content only, the search parameters as filters.

Plain Django views: the API is a handful of read-only lists built on the same FilterSets and
record builders as the search page and its exports, which a framework would not shorten.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from taggit.models import Tag

from annotations.exports import annotation_record, article_record, paragraph_record
from annotations.models import Annotation, Rating, Source

from .filters import FILTERSETS, PUBLISHED, CursorError, PageOutOfRange
from .models import Article, Paragraph
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


def by_cursor(request, record, filterset, prefetch: tuple = ()) -> JsonResponse:
    """The results after ``cursor`` (``cursor=`` empty for the first), and a ``next`` link to go on."""
    if "page" in request.GET:
        raise BadRequest({"cursor": ["Use either page or cursor, not both."]})
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    cursor = request.GET.get("cursor", "").strip()
    if len(cursor) > 1000:
        raise BadRequest({"cursor": ["The cursor is longer than any this API gives out."]})
    try:
        ids, next_cursor = filterset.cursor_page(cursor, per_page)
    except CursorError as error:
        raise BadRequest({"cursor": [str(error)]}) from None
    following = None
    if next_cursor is not None:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        following = f"{settings.SITE_URL}{request.path}?{query.urlencode()}"
    return JsonResponse(
        {
            "count": filterset.qs.count(),
            "per_page": per_page,
            "cursor": cursor,
            "next": following,
            "results": [record(obj) for obj in filterset.load(ids, prefetch)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def paginated(request, queryset, record, filterset=None, prefetch: tuple = ()) -> JsonResponse:
    """A page of ``queryset`` (or of the search ``filterset``, loading only the rows shown)."""
    if filterset is not None and "cursor" in request.GET:
        return by_cursor(request, record, filterset, prefetch)
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    number = _positive(request, "page", 1, 10_000)
    if filterset is not None:
        try:
            paginator, page, objects = filterset.page(number, per_page, prefetch)
        except PageOutOfRange as error:
            raise BadRequest({"page": [str(error)]}) from None
    else:
        paginator = Paginator(queryset, per_page)
        if number > max(paginator.num_pages, 1):
            raise BadRequest(
                {"page": [f"Page {number} does not exist: there are {paginator.num_pages} pages."]}
            )
        page = paginator.page(number)
        objects = page.object_list

    def link(n: int | None) -> str | None:
        if n is None:
            return None
        query = request.GET.copy()
        query["page"] = str(n)
        return f"{settings.SITE_URL}{request.path}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "per_page": per_page,
            "next": link(page.next_page_number() if page.has_next() else None),
            "previous": link(page.previous_page_number() if page.has_previous() else None),
            "results": [record(obj) for obj in objects],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def searched(request, data_type: str):
    """The validated search FilterSet for the request, or BadRequest naming each bad parameter."""
    if "type" in request.GET:
        raise BadRequest({"type": ["Each endpoint lists one type; leave out the type parameter."]})
    filterset = FILTERSETS[data_type](request.GET, queryset=PUBLISHED[data_type]())
    if not filterset.is_valid():
        raise BadRequest({name: list(messages) for name, messages in filterset.errors.items()})
    return filterset


def _paragraph_summary(paragraph: Paragraph) -> dict:
    return {
        "id": paragraph.pk,
        "key": paragraph.key,
        "position": paragraph.position,
        "role": paragraph.role,
        "text": paragraph.text,
    }


def article_with_paragraphs(article: Article) -> dict:
    return {
        **article_record(article),
        "paragraphs": [_paragraph_summary(p) for p in article.paragraphs.all()],
    }


ARTICLE_PREFETCH = ("tags", Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")))
ANNOTATION_PREFETCH = ("tags", "citations__source")


@api_view
def index(request):
    names = ["articles", "paragraphs", "annotations", "sources", "tags", "ratings", "schema"]
    return JsonResponse({name: f"{settings.SITE_URL}{reverse(f'api_{name}')}" for name in names})


@api_view
def articles(request):
    return paginated(request, None, article_with_paragraphs, searched(request, "articles"), ARTICLE_PREFETCH)


@api_view
def article(request, pk: int):
    obj = (
        Article.objects.published()
        .select_related("outlet", "author")
        .prefetch_related(*ARTICLE_PREFETCH)
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404(f"No published article has id {pk}.")
    return JsonResponse(article_with_paragraphs(obj), json_dumps_params={"ensure_ascii": False})


@api_view
def paragraphs(request):
    return paginated(request, None, paragraph_record, searched(request, "paragraphs"))


@api_view
def annotations(request):
    return paginated(request, None, annotation_record, searched(request, "annotations"), ANNOTATION_PREFETCH)


@api_view
def annotation(request, pk: int):
    obj = (
        Annotation.objects.published()
        .select_related("article__outlet", "article__author", "paragraph", "rating")
        .prefetch_related(*ANNOTATION_PREFETCH)
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404(f"No published annotation has id {pk}.")
    return JsonResponse(annotation_record(obj), json_dumps_params={"ensure_ascii": False})


def _lookup(request, queryset, field_name: str):
    from .search import backend

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


def source_record(source: Source) -> dict:
    return {
        "id": source.pk,
        "url": source.url or "",
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
        "archived_url": source.archived_url,
        "kind": source.kind,
        "citations": source.citation_count,
    }


@api_view
def sources(request):
    published = Q(citations__annotation__in=Annotation.objects.published())
    queryset = (
        Source.objects.annotate(citation_count=Count("citations", filter=published))
        .filter(citation_count__gt=0)
        .order_by("title", "pk")
    )
    return paginated(request, _lookup(request, queryset, "title"), source_record)


def tag_record(tag: Tag) -> dict:
    return {
        "id": tag.pk,
        "name": tag.name,
        "slug": tag.slug,
        "articles": tag.article_count,
        "annotations": tag.annotation_count,
        "search": f"{settings.SITE_URL}{reverse('search')}?tag={tag.slug}",
    }


@api_view
def tags(request):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from taggit.models import TaggedItem

    def count(model, visible):
        items = (
            TaggedItem.objects.filter(
                tag=OuterRef("pk"),
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=visible.values("pk"),
            )
            .order_by()
            .values("tag")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(items), 0)

    queryset = (
        Tag.objects.annotate(
            article_count=count(Article, Article.objects.published()),
            annotation_count=count(Annotation, Annotation.objects.published()),
        )
        .filter(Q(article_count__gt=0) | Q(annotation_count__gt=0))
        .order_by("name")
    )
    return paginated(request, _lookup(request, queryset, "name"), tag_record)


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


@api_view
def ratings(request):
    return JsonResponse(
        {"results": [rating_record(r) for r in Rating.objects.all()]},
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def schema(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
