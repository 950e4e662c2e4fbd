"""The /search/ page and its exports, and the ClaimReview export of every published claim."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.claimreview import claim_review, to_json
from annotations.models import Annotation, Rating
from articles.changes import LISTS, SEARCH
from config.pagecache import shows

from . import pagination
from .exports.download import FORMATS, export_links, search_export
from .exports.streams import stream_json
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


@require_GET
def claimreview_export(request):
    """Every published, rated claim as schema.org ClaimReview JSON-LD, streamed as one JSON array."""
    bounds = Rating.objects.scale_bounds()
    claims = (
        Annotation.objects.published()
        .claims()
        .exclude(rating=None)
        .select_related("rating", "article__author", "article__outlet")
        .order_by("-published_at", "-id")
        .iterator(chunk_size=500)
    )
    response = StreamingHttpResponse(
        stream_json((claim_review(claim, bounds) for claim in claims), encode=to_json),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="claimreview.json"'
    return response
