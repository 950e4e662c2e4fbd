"""Public pages that show articles only: an outlet's and an author's articles."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from config.pagecache import shows

from . import listing
from .changes import LISTS
from .models import Article, Author, Outlet


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(Outlet.objects.visible_to(request.user), slug=slug)
    articles = Article.objects.published().filter(outlet=outlet).select_related("author", "outlet")
    response = render(
        request,
        "articles/outlet_detail.html",
        {
            "outlet": outlet,
            "page": listing.page(request, articles),
            "title": outlet.name,
            "description": f"Commentary from {outlet.name} in the {settings.SITE_NAME} archive.",
        },
    )
    return shows(response, LISTS)


def author_detail(request, slug: str):
    author = get_object_or_404(Author.objects.visible_to(request.user).select_related("outlet"), slug=slug)
    articles = Article.objects.published().filter(author=author).select_related("author", "outlet")
    response = render(
        request,
        "articles/author_detail.html",
        {
            "author": author,
            "outlet_linked": author.outlet_id is not None
            and Outlet.objects.visible_to(request.user).filter(pk=author.outlet_id).exists(),
            "page": listing.page(request, articles),
            "title": author.name,
            "description": f"Commentary by {author.name} in the {settings.SITE_NAME} archive.",
        },
    )
    return shows(response, LISTS)
