from __future__ import annotations

import hashlib
import re

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from articles.freshness import annotation_etag, annotation_last_modified, rendered_once
from articles.public_filters import ClaimFilter
from articles.views import page_of, published_claims

from .claimreview import claim_review, claim_reviews_json_ld, to_json
from .models import Annotation, Rating
from .rendering import Span, annotations_for_reading, highlight, span_offsets

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@condition(etag_func=annotation_etag, last_modified_func=annotation_last_modified)
@rendered_once(annotation_etag)
def annotation_detail(request, pk: int):
    annotation = get_object_or_404(
        annotations_for_reading(Annotation.objects.visible_to(request.user)).select_related(
            "article__author", "article__outlet", "paragraph"
        ),
        pk=pk,
    )
    annotation.number = None
    context_html = None
    if annotation.paragraph:
        start, end = span_offsets(annotation.paragraph.text, annotation)
        annotation.whole_paragraph = start is None
        span = Span(annotation.pk, 1, annotation.kind, start, end)
        context_html = highlight(annotation.paragraph.text, [span])
    preview = not (annotation.status == Annotation.Status.PUBLISHED and annotation.article.is_published)
    title = annotation.claim_text or annotation.exact or annotation.get_kind_display()
    return render(
        request,
        "annotations/annotation_detail.html",
        {
            "annotation": annotation,
            "article": annotation.article,
            "context_html": context_html,
            "preview": preview,
            "claim_reviews": claim_reviews_json_ld([annotation], Rating.objects.scale_bounds()),
            "title": f"{annotation.get_kind_display()}: {title[:90]}",
            "description": annotation.conclusion or annotation.body[:280],
            "og_type": "article",
        },
    )


def claim_list(request):
    queryset = annotations_for_reading(published_claims())
    filterset = ClaimFilter(request.GET or None, queryset=queryset, request=request)
    claims = filterset.qs if filterset.is_bound else queryset
    page = page_of(request, claims)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "annotations/claim_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "claim_reviews": claim_reviews_json_ld(page.object_list, Rating.objects.scale_bounds()),
            "title": "Fact-checked claims",
            "description": "Every published fact-checked claim in the archive with its rating.",
        },
    )


@require_GET
def rating_css(request):
    """Badge colours from the editable rating scale, as a stylesheet (no inline styles under CSP).

    The colour is only a swatch beside the label; the label text is always dark on light, so
    any colour an editor picks keeps the badge readable.
    """
    # Only well-formed values reach the stylesheet, whatever path wrote the row.
    ratings = [r for r in Rating.objects.all() if HEX_COLOUR.fullmatch(r.colour) and SLUG.fullmatch(r.slug)]
    css = render_to_string("annotations/ratings.css", {"ratings": ratings})
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def claimreview_export(request):
    """Every published, rated claim as schema.org ClaimReview JSON-LD, streamed as one JSON array."""
    bounds = Rating.objects.scale_bounds()
    claims = published_claims().exclude(rating=None).iterator(chunk_size=500)

    def records():
        yield "["
        for number, claim in enumerate(claims):
            yield ("," if number else "") + "\n" + to_json(claim_review(claim, bounds))
        yield "\n]\n"

    response = StreamingHttpResponse(records(), content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="claimreview.json"'
    return response
