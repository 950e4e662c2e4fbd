"""The public reader pages that show annotations: home, the archive, the reading view, annotation
permalinks, claims, tags, the methodology and the rating colours."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from articles import listing
from articles.access import sees_drafts
from articles.changes import LISTS, article_key, tag_key
from articles.models import Article
from config.pagecache import shows

from . import summaries
from .claimreview import claim_reviews_json_ld
from .filters import ArticleFilter, ClaimFilter
from .models import Annotation, Rating, Tag
from .rendering import Span, annotations_for_reading, highlight, reading_paragraphs

RELATED_SAMPLE = 100  # tags found with a tag are counted among its articles and annotations added last
TAG_ANNOTATIONS = 20  # a tag's newest annotations on its page; search lists them all


def published_claims():
    """Published, rated claims with what a claim card shows, newest first."""
    return (
        Annotation.objects.published()
        .claims()
        .select_related("rating", "article__author", "article__outlet", "paragraph")
        .order_by(*listing.newest_first("published_at"))
    )


def home(request):
    articles = (
        Article.objects.published()
        .select_related("author", "outlet")
        .order_by(*listing.newest_first("published_on"))[:8]
    )
    claims = list(published_claims()[:8])
    tags = Tag.objects.with_counts().order_by("-total", "name")[:20]
    totals = summaries.totals()
    counts = {name: totals.get(name, 0) for name in ("articles", "claims", "annotations")}
    response = render(
        request,
        "annotations/home.html",
        {
            "articles": articles,
            "claims": claims,
            "tags": tags,
            "counts": counts,
            "claim_reviews": claim_reviews_json_ld(claims, Rating.objects.scale_bounds()),
            "description": f"{settings.SITE_NAME}: commentary with its claims checked beside the text.",
        },
    )
    return shows(response, LISTS)


def archive(request):
    queryset = Article.objects.published().select_related("author", "outlet")
    filterset = ArticleFilter(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        articles, count = queryset.none(), 0
    elif filterset.is_bound and any(filterset.form.cleaned_data.values()):
        articles, count = filterset.qs, None
    else:  # the whole archive: its size is kept in the summaries
        articles, count = queryset, summaries.total(summaries.ARTICLES)
    response = render(
        request,
        "annotations/archive.html",
        {
            "filter": filterset,
            "page": listing.page(request, articles, count=count),
            "title": "Archive",
            "description": "Every published article in the archive, newest first.",
        },
    )
    return shows(response, LISTS)


def validated(request, response: HttpResponse, pk: int, *stamps) -> HttpResponse:
    """A reader's page with validators from the row ``pk`` and the times it was built from,
    answering a repeat request with 304. Staff previews carry none, so nothing caches them."""
    stamps = [stamp for stamp in stamps if stamp is not None]
    if sees_drafts(request.user) or not stamps:
        return response
    etag = '"' + hashlib.sha256(repr([pk, *stamps]).encode()).hexdigest()[:32] + '"'
    last_modified = max(stamps)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
    )


def article_detail(request, slug: str):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("author", "outlet"), slug=slug
    )
    reading = reading_paragraphs(article, request.user)
    notes = reading.notes
    for note in notes:
        note.article = article
    lede = next((p.paragraph.text for p in reading.paragraphs), "")
    response = render(
        request,
        "annotations/article_detail.html",
        {
            "article": article,
            "paragraphs": reading.paragraphs,
            "detached": reading.detached,
            "notes": notes,
            "tags": article.tags.all(),
            "preview": not article.is_published,
            "claim_reviews": claim_reviews_json_ld(notes, Rating.objects.scale_bounds()),
            "title": article.title,
            "description": lede[:280],
            "og_type": "article",
        },
    )
    shows(response, article_key(article.pk))
    return validated(request, response, article.pk, article.updated_at, article.content_changed_at)


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
        start, end = annotation.current_span(annotation.paragraph.text) or (None, None)
        annotation.whole_paragraph = start is None
        context_html = highlight(
            annotation.paragraph.text, [Span(annotation.pk, 1, annotation.kind, start, end)]
        )
    article = annotation.article
    preview = not (annotation.status == Annotation.Status.PUBLISHED and article.is_published)
    title = annotation.claim_text or annotation.exact or annotation.get_kind_display()
    response = render(
        request,
        "annotations/annotation_detail.html",
        {
            "annotation": annotation,
            "article": article,
            "context_html": context_html,
            "preview": preview,
            "claim_reviews": claim_reviews_json_ld([annotation], Rating.objects.scale_bounds()),
            "title": f"{annotation.get_kind_display()}: {title[:90]}",
            "description": annotation.conclusion or annotation.body[:280],
            "og_type": "article",
        },
    )
    shows(response, article_key(article.pk))
    return validated(
        request, response, annotation.pk, annotation.modified, article.updated_at, article.content_changed_at
    )


def claim_list(request):
    queryset = annotations_for_reading(published_claims())
    filterset = ClaimFilter(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        claims, count = queryset.none(), 0
    elif filterset.is_bound and any(filterset.form.cleaned_data.values()):
        claims, count = filterset.qs, None
    else:
        claims, count = queryset, summaries.total(summaries.CLAIMS)
    page = listing.page(request, claims, date_field="published_at", count=count)
    response = render(
        request,
        "annotations/claim_list.html",
        {
            "filter": filterset,
            "page": page,
            "claim_reviews": claim_reviews_json_ld(page.object_list, Rating.objects.scale_bounds()),
            "title": "Fact-checked claims",
            "description": "Every published fact-checked claim in the archive with its rating.",
        },
    )
    return shows(response, LISTS)


def tag_list(request):
    response = render(
        request,
        "annotations/tag_list.html",
        {
            "tags": Tag.objects.with_counts().order_by("name"),
            "title": "Tags",
            "description": "Topics of the articles and annotations in the archive.",
        },
    )
    return shows(response, LISTS)


def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag.objects.with_counts(), slug=slug)
    carried_by = Tag.objects.carried_by
    articles = (
        Article.objects.published().filter(pk__in=carried_by(tag, Article)).select_related("author", "outlet")
    )
    # The newest ids from the index first, then only those rows with what a note shows.
    newest = listing.newest_first("published_at")
    ids = list(
        Annotation.objects.published()
        .filter(pk__in=carried_by(tag, Annotation))
        .order_by(*newest)
        .values_list("pk", flat=True)[:TAG_ANNOTATIONS]
    )
    annotations = list(
        annotations_for_reading(
            Annotation.objects.filter(pk__in=ids).select_related("article__author", "paragraph")
        ).order_by(*newest)
    )
    response = render(
        request,
        "annotations/tag_detail.html",
        {
            "tag": tag,
            "page": listing.page(request, articles, count=tag.article_count),
            "annotations": annotations,
            "more_annotations": tag.annotation_count > len(annotations),
            "claim_reviews": claim_reviews_json_ld(annotations, Rating.objects.scale_bounds()),
            "related_tags": Tag.objects.found_with(tag, sample=RELATED_SAMPLE),
            "related_sampled": tag.article_count > RELATED_SAMPLE or tag.annotation_count > RELATED_SAMPLE,
            "related_sample": RELATED_SAMPLE,
            "title": f"Tagged “{tag.name}”",
            "description": f"Articles and annotations tagged “{tag.name}”.",
        },
    )
    # A tag's page shows only what carries the tag: changes to those name it (articles.changes).
    return shows(response, tag_key(tag.pk))


def methodology(request):
    return render(
        request,
        "annotations/methodology.html",
        {
            "ratings": Rating.objects.all(),
            "title": "Methodology",
            "description": "How claims are checked and rated, how sources are cited and corrections made.",
        },
    )


@require_GET
def rating_css(request):
    """Badge colours from the editable rating scale, as a stylesheet (no inline styles under CSP).

    The colour is only a swatch beside the label; the label text is always dark on light, so
    any colour an editor picks keeps the badge readable.
    """
    # Only well-formed values reach the stylesheet, whatever path wrote the row.
    ratings = [r for r in Rating.objects.all() if r.has_safe_style()]
    css = render_to_string("annotations/ratings.css", {"ratings": ratings})
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=300)
    return response
