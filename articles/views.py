from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import condition, require_GET
from taggit.models import Tag

from annotations.claimreview import claim_reviews_json_ld
from annotations.models import Annotation, Rating
from annotations.rendering import annotations_for_reading, reading_paragraphs

from .freshness import article_etag, article_last_modified, rendered_once
from .models import Article, Author, Outlet
from .public_filters import ArticleFilter
from .search import co_occurring_tags

PAGE_SIZE = 20


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def published_claims():
    """Published, rated claims with what a claim card shows, newest first."""
    return (
        Annotation.objects.published()
        .claims()
        .select_related("rating", "article__author", "article__outlet", "paragraph")
        .order_by("-published_at", "-id")
    )


def tags_with_counts():
    """Tags in use on published articles or published annotations, with those counts only."""
    articles = (
        Article.objects.published()
        .filter(tags=OuterRef("pk"))
        .order_by()
        .values("tags")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotations = (
        Annotation.objects.published()
        .filter(tags=OuterRef("pk"))
        .order_by()
        .values("tags")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Tag.objects.annotate(
            article_count=Coalesce(Subquery(articles[:1]), 0),
            annotation_count=Coalesce(Subquery(annotations[:1]), 0),
        )
        .annotate(total=F("article_count") + F("annotation_count"))
        .filter(total__gt=0)
        .order_by("name")
    )


def home(request):
    articles = Article.objects.published().select_related("author", "outlet")[:8]
    claims = list(published_claims()[:8])
    tags = tags_with_counts().order_by("-total", "name")[:20]
    counts = {
        "articles": Article.objects.published().count(),
        "claims": Annotation.objects.published().claims().count(),
        "annotations": Annotation.objects.published().count(),
    }
    return render(
        request,
        "articles/home.html",
        {
            "articles": articles,
            "claims": claims,
            "tags": tags,
            "counts": counts,
            "claim_reviews": claim_reviews_json_ld(claims, Rating.objects.scale_bounds()),
            "description": f"{settings.SITE_NAME}: commentary with its claims checked beside the text.",
        },
    )


def archive(request):
    queryset = Article.objects.published().select_related("author", "outlet")
    filterset = ArticleFilter(request.GET or None, queryset=queryset, request=request)
    articles = filterset.qs if filterset.is_bound else queryset
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "articles/archive.html",
        {
            "filter": filterset,
            "page": page_of(request, articles),
            "query": query.urlencode(),
            "title": "Archive",
            "description": "Every published article in the archive, newest first.",
        },
    )


@condition(etag_func=article_etag, last_modified_func=article_last_modified)
@rendered_once(article_etag)
def article_detail(request, slug: str):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("author", "outlet"), slug=slug
    )
    reading = reading_paragraphs(article, request.user)
    notes = reading.notes
    for note in notes:
        note.article = article
    lede = next((p.paragraph.text for p in reading.paragraphs), "")
    return render(
        request,
        "articles/article_detail.html",
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


def with_visible_articles(queryset, user, field: str):
    """Outlets or authors with a published article; staff also see the rest (e.g. mid-import).

    Without this an author page answering 200 would reveal whose articles are being prepared.
    """
    if user is not None and user.is_active and user.is_staff:
        return queryset
    return queryset.filter(Exists(Article.objects.published().filter(**{field: OuterRef("pk")})))


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(with_visible_articles(Outlet.objects.all(), request.user, "outlet"), slug=slug)
    articles = Article.objects.published().filter(outlet=outlet).select_related("author", "outlet")
    return render(
        request,
        "articles/outlet_detail.html",
        {
            "outlet": outlet,
            "page": page_of(request, articles),
            "title": outlet.name,
            "description": f"Commentary from {outlet.name} in the {settings.SITE_NAME} archive.",
        },
    )


def author_detail(request, slug: str):
    authors = with_visible_articles(Author.objects.select_related("outlet"), request.user, "author")
    author = get_object_or_404(authors, slug=slug)
    articles = Article.objects.published().filter(author=author).select_related("author", "outlet")
    return render(
        request,
        "articles/author_detail.html",
        {
            "author": author,
            "outlet_linked": author.outlet_id is not None
            and with_visible_articles(
                Outlet.objects.filter(pk=author.outlet_id), request.user, "outlet"
            ).exists(),
            "page": page_of(request, articles),
            "title": author.name,
            "description": f"Commentary by {author.name} in the {settings.SITE_NAME} archive.",
        },
    )


def tag_list(request):
    return render(
        request,
        "articles/tag_list.html",
        {
            "tags": tags_with_counts(),
            "title": "Tags",
            "description": "Topics of the articles and annotations in the archive.",
        },
    )


def tag_detail(request, slug: str):
    tag = get_object_or_404(tags_with_counts(), slug=slug)
    articles = Article.objects.published().filter(tags=tag).select_related("author", "outlet")
    annotations = list(
        annotations_for_reading(
            Annotation.objects.published().filter(tags=tag).select_related("article__author", "paragraph")
        ).order_by("-published_at", "-id")[:50]
    )
    return render(
        request,
        "articles/tag_detail.html",
        {
            "tag": tag,
            "page": page_of(request, articles),
            "annotations": annotations,
            "claim_reviews": claim_reviews_json_ld(annotations, Rating.objects.scale_bounds()),
            "related_tags": co_occurring_tags(tag.slug),
            "title": f"Tagged “{tag.name}”",
            "description": f"Articles and annotations tagged “{tag.name}”.",
        },
    )


def methodology(request):
    return render(
        request,
        "articles/methodology.html",
        {
            "ratings": Rating.objects.all(),
            "title": "Methodology",
            "description": "How claims are checked and rated, how sources are cited and corrections made.",
        },
    )


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    return HttpResponseRedirect(static("img/favicon.svg"))
