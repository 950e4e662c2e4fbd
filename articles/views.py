from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from annotations.models import Annotation

from .models import Article, Author, Outlet


def home(request):
    articles = Article.objects.published().select_related("author", "outlet")[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, slug: str):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("author", "outlet"), slug=slug
    )
    annotations = Annotation.objects.visible_to(request.user).select_related("rating")
    paragraphs = article.paragraphs.prefetch_related(Prefetch("annotations", queryset=annotations))
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "paragraphs": paragraphs, "preview": not article.is_published},
    )


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    articles = Article.objects.published().filter(outlet=outlet).select_related("author")
    return render(request, "articles/outlet_detail.html", {"outlet": outlet, "articles": articles})


def author_detail(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("outlet"), slug=slug)
    articles = Article.objects.published().filter(author=author).select_related("outlet")
    return render(request, "articles/author_detail.html", {"author": author, "articles": articles})


def annotation_detail(request, pk: int):
    annotation = get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("article", "paragraph", "rating"), pk=pk
    )
    return render(request, "annotations/annotation_detail.html", {"annotation": annotation})
