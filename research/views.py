"""The /search/ page and its exports, and the ClaimReview export of every published claim."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from annotations.claimreview import review, to_json
from annotations.models import Annotation, Rating
from articles.changes import LISTS, SEARCH
from articles.models import Article
from articles.sitemaps import latest_change
from config.pagecache import shows
from config.urlpaths import path_maker

from . import pagination
from .exports.download import FORMATS, export_links, search_export
from .facets import facets_for
from .filters import search_filterset
from .results import load
from .snippets import snippets

PAGE_SIZE = 20
KEPT_FILTERS = ("tag", "match", "rating", "outlet", "author", "language", "kind")


def search(request):
    filterset = search_filterset(request.GET)
    export_format = request.GET.get("format", "")
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "errors": [],
        # The form resubmits the facet choices, so a new query keeps its filters.
        "hidden": [(name, request.GET.getlist(name)) for name in KEPT_FILTERS],
        "active_filters": [
            f"{name}: {value}"
            for name in KEPT_FILTERS
            if name != "match"
            for value in request.GET.getlist(name)
        ],
    }
    if export_format and export_format not in FORMATS:
        context["errors"].append(f"Unknown export format {export_format!r}: use csv, json or jsonld.")
    if not filterset.is_valid():
        context["errors"] += [message for messages in filterset.errors.values() for message in messages]
    if context["errors"]:
        return render(request, "research/search.html", context, status=400)

    if export_format:
        filterset.windowed = False  # an export takes every result
        return search_export(request, filterset, export_format)

    facets = facets_for(filterset)
    links = facets.links(request.GET)  # first: for annotations the counts give the page its total too
    try:
        page, ids = pagination.page(
            filterset, filterset.form.cleaned_data.get("page") or 1, PAGE_SIZE, total=facets.total
        )
    except pagination.PageOutOfRange as error:
        context["errors"].append(str(error))
        return render(request, "research/search.html", context, status=400)
    results = load(filterset, ids)
    found = snippets(filterset, results)
    for result in results:
        result.snippet = found.get(result.pk, {})
    context.update(
        page=page,
        results=results,
        result_type=filterset.data_type,
        result_noun=filterset.data_type[:-1] if page.paginator.count == 1 else filterset.data_type,
        facets=links,
        chart=facets.chart(),
        export_links=export_links(request.GET),
        window_full=filterset.window_full,
    )
    return shows(render(request, "research/search.html", context), LISTS, SEARCH)


# ``next`` is Hydra's link to the following page; everything else is schema.org.
CLAIMREVIEW_CONTEXT = [
    "https://schema.org",
    {"next": {"@id": "http://www.w3.org/ns/hydra/core#next", "@type": "@id"}},
]


def _claimreview_page(before: int | None) -> tuple[list[tuple], bool]:
    """One page of published, rated claims (``_FEED_COLUMNS`` rows), newest id first, below
    ``before``; and whether more follow."""
    size = settings.GLOSSA_CLAIMREVIEW_PAGE_SIZE
    claims = (
        Annotation.objects.published()
        .claims()
        .exclude(rating=None)
        .order_by("-id")
        .values_list(*_FEED_COLUMNS)
    )
    if before is not None:
        claims = claims.filter(pk__lt=before)
    page = list(claims[: size + 1])
    return page[:size], len(page) > size


# What a feed page reads of each claim, as plain rows (1,000 claims as model instances, with their
# ratings, articles and authors, cost more than the rest of the page): the first six date it (its
# ETag), the rest are ``claimreview.review``'s parts.
_FEED_COLUMNS = (
    "pk",
    "modified",
    "rating_id",
    "article__updated_at",
    "article__content_changed_at",
    "article__author_id",
    "claim_text",
    "exact",
    "claimant",
    "article__author__name",
    "published_at",
    "created",
    "article__published_on",
    "article__original_url",
)


def _feed_elements(claims, bounds, path) -> list[dict]:
    ratings = {rating.pk: rating for rating in Rating.objects.all()}
    elements = []
    for claim in claims:
        pk, rating_id = claim[0], claim[2]
        claim_text, exact, claimant, author, published_at, created, appeared_on, appearance = claim[6:]
        elements.append(
            review(
                path(pk),
                claim_text or exact,
                claimant or author or "",
                published_at or created,
                ratings[rating_id],
                bounds,
                appeared_on,
                appearance,
            )
        )
    return elements


@require_GET
def claimreview_export(request):
    """Published, rated claims as schema.org ClaimReview JSON-LD, a page at a time (docs/RESEARCH.md).

    A page is a ``DataFeed`` of at most ``GLOSSA_CLAIMREVIEW_PAGE_SIZE`` ClaimReviews, newest claim
    first by id, a key that never changes, so following ``next`` (in the body and the ``Link``
    header) neither skips nor repeats a claim while new ones are published. The ETag comes from
    what the page is built from, read before anything is built, so a repeat request costs one query
    and gets 304.
    """
    raw = request.GET.get("before", "")
    before = None
    if raw:
        if not raw.isdigit() or len(raw) > 18 or int(raw) < 1:
            message = (
                f"before must be a claim id from a next link (a whole number above 0), not {raw[:40]!r}."
            )
            return JsonResponse({"errors": {"before": [message]}}, status=400)
        before = int(raw)
    claims, more = _claimreview_page(before)
    page_url = f"{settings.SITE_URL}{request.path}" + (f"?before={before}" if before is not None else "")
    next_url = f"{settings.SITE_URL}{request.path}?before={claims[-1][0]}" if more else None
    bounds = Rating.objects.scale_bounds()
    path = path_maker("annotation_detail")
    rows = [claim[:6] for claim in claims]
    etag = (
        '"'
        + hashlib.sha256(repr([page_url, next_url, bounds, settings.SITE_NAME, rows]).encode()).hexdigest()[
            :32
        ]
        + '"'
    )
    # Any change to what a page shows touches an article (a claim taken down touches its article,
    # which may then be on no page), so the newest article change dates every page.
    changed = latest_change(Article.objects.all())
    headers = {
        "ETag": etag,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Link",
    }
    if changed is not None:
        headers["Last-Modified"] = http_date(changed.timestamp())
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(changed.timestamp()) if changed else None
    )
    if not_modified is not None:
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified
    document = {
        "@context": CLAIMREVIEW_CONTEXT,
        "@type": "DataFeed",
        "@id": page_url,
        "name": f"{settings.SITE_NAME}: fact-checked claims",
        "next": next_url,
        "dataFeedElement": _feed_elements(claims, bounds, path),
    }
    response = HttpResponse(
        to_json(document), content_type="application/ld+json; charset=utf-8", headers=headers
    )
    response["Content-Disposition"] = 'inline; filename="claimreview.json"'
    return response
