"""Validators for conditional GET on the article and annotation pages, and the stored renders.

A page's fingerprint is read in one small query: the article's ``updated_at`` and its
``content_changed_at``, which signals (``annotations/signals.py``) set whenever a paragraph,
annotation, citation, correction, source, rating, author, outlet or tag shown on the page
is saved or deleted; for an annotation page also the annotation's own ``modified``. Staff
get no validators, so previews are never cached.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from annotations.models import Annotation

from .models import Article

# Stored pages are keyed by their fingerprint and never stale; the timeout only bounds memory.
PAGE_CACHE_SECONDS = 3600


def _fingerprint(values: tuple) -> tuple[str, datetime]:
    stamps = [v for v in values if isinstance(v, datetime)]
    digest = hashlib.sha256(repr(values).encode()).hexdigest()[:32]
    return digest, max(stamps)


def article_fingerprint(slug: str) -> tuple[str, datetime] | None:
    row = (
        Article.objects.published()
        .filter(slug=slug)
        .values_list("pk", "updated_at", "content_changed_at")
        .first()
    )
    return _fingerprint(row) if row else None


def annotation_fingerprint(pk: int) -> tuple[str, datetime] | None:
    row = (
        Annotation.objects.published()
        .filter(pk=pk)
        .values_list("pk", "modified", "article__updated_at", "article__content_changed_at")
        .first()
    )
    return _fingerprint(row) if row else None


def _fingerprint_for(request, compute, key) -> tuple[str, datetime] | None:
    """One query per request although Django asks for the ETag and Last-Modified separately."""
    if request.user.is_active and request.user.is_staff:
        return None
    cache = request.__dict__.setdefault("_glossa_fingerprints", {})
    slot = (compute.__name__, key)
    if slot not in cache:
        cache[slot] = compute(key)
    return cache[slot]


def article_etag(request, slug: str) -> str | None:
    found = _fingerprint_for(request, article_fingerprint, slug)
    return found[0] if found else None


def article_last_modified(request, slug: str) -> datetime | None:
    found = _fingerprint_for(request, article_fingerprint, slug)
    return found[1] if found else None


def annotation_etag(request, pk: int) -> str | None:
    found = _fingerprint_for(request, annotation_fingerprint, pk)
    return found[0] if found else None


def annotation_last_modified(request, pk: int) -> datetime | None:
    found = _fingerprint_for(request, annotation_fingerprint, pk)
    return found[1] if found else None


def rendered_once(etag_func):
    """Keep the rendered page for anonymous readers under its ETag, in Django's default cache.

    The key is the data fingerprint, so a stored page is never stale: any change that
    would change the ETag also misses the cache. Pages shown to readers carry nothing
    personal (no CSRF token, no user name), which is what makes sharing them safe.
    Staff previews get no ETag and are always rendered.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            etag = etag_func(request, *args, **kwargs)
            if etag is None or request.method != "GET":
                return view(request, *args, **kwargs)
            key = f"glossa:page:{request.get_full_path()}:{etag}"
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
            return response

        return wrapper

    return decorator
