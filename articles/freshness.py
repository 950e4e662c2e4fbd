"""Validators for conditional GET on the article and annotation pages.

A page's fingerprint is read in one query from timestamps and counts of what the page
shows: the article row (saved whenever its paragraphs are edited), its published
annotations, their corrections and citations. A deleted annotation changes the count,
an edited one its ``modified``. Staff get no validators, so previews are never cached.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from annotations.models import Annotation, Citation, Correction

from .models import Article


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _count(queryset, group: str) -> Subquery:
    return Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1])


def _fingerprint(values: tuple) -> tuple[str, datetime]:
    stamps = [v for v in values if isinstance(v, datetime)]
    digest = hashlib.sha256(repr(values).encode()).hexdigest()[:32]
    return digest, max(stamps)


def article_fingerprint(slug: str) -> tuple[str, datetime] | None:
    notes = Annotation.objects.published().filter(article=OuterRef("pk"))
    row = (
        Article.objects.published()
        .filter(slug=slug)
        .annotate(
            notes_changed=_latest(notes, "modified"),
            notes=_count(notes, "article"),
            corrected=_latest(
                Correction.objects.filter(
                    annotation__article=OuterRef("pk"), annotation__status=Annotation.Status.PUBLISHED
                ),
                "created_at",
            ),
            cited=_count(Citation.objects.filter(annotation__article=OuterRef("pk")), "annotation__article"),
        )
        .values_list("pk", "updated_at", "notes_changed", "notes", "corrected", "cited")
        .first()
    )
    return _fingerprint(row) if row else None


def annotation_fingerprint(pk: int) -> tuple[str, datetime] | None:
    row = (
        Annotation.objects.published()
        .filter(pk=pk)
        .annotate(
            corrected=_latest(Correction.objects.filter(annotation=OuterRef("pk")), "created_at"),
            cited=_count(Citation.objects.filter(annotation=OuterRef("pk")), "annotation"),
        )
        .values_list("pk", "modified", "article__updated_at", "corrected", "cited")
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
