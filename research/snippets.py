"""Highlighted snippets for one page of results: {pk: {"passage": html, "note": html}}.

Only the page shown is highlighted (``ts_headline`` is costly); every snippet starts and ends at a
word boundary.
"""

from __future__ import annotations

from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from annotations.models import Annotation
from articles.models import Paragraph

from .backends import backend
from .filters import SearchFilter


def annotation_snippets(filterset: SearchFilter, objects: list) -> dict[int, dict]:
    page = Annotation.objects.filter(pk__in=[a.pk for a in objects])
    note = Concat("claim_text", Value(" "), "conclusion", Value(" "), "body", output_field=TextField())
    passages = backend().headlines(page, F("paragraph__text"), filterset.prepared_search)
    notes = backend().headlines(page, note, filterset.prepared_search)
    return {pk: {"passage": passages.get(pk), "note": notes.get(pk)} for pk in passages}


def paragraph_snippets(filterset: SearchFilter, objects: list) -> dict[int, dict]:
    page = Paragraph.objects.filter(pk__in=[p.pk for p in objects])
    found = backend().headlines(page, F("text"), filterset.prepared_search)
    return {pk: {"passage": html} for pk, html in found.items()}


def article_snippets(filterset: SearchFilter, objects: list) -> dict[int, dict]:
    # The first paragraph of each article that matches stands for the article.
    first: dict[int, int] = {}
    matching = (
        backend()
        .search_paragraphs(
            Paragraph.objects.filter(article_id__in=[a.pk for a in objects]), filterset.prepared_search
        )
        .order_by("article_id", "position")
        .values_list("pk", "article_id")
    )
    for pk, article_id in matching:
        first.setdefault(article_id, pk)
    page = Paragraph.objects.filter(pk__in=first.values())
    html = backend().headlines(page, F("text"), filterset.prepared_search)
    return {article_id: {"passage": html.get(pk)} for article_id, pk in first.items()}


SNIPPETS = {
    "annotations": annotation_snippets,
    "paragraphs": paragraph_snippets,
    "articles": article_snippets,
}


def snippets(filterset: SearchFilter, objects: list) -> dict[int, dict]:
    if filterset.prepared_search is None or not objects:
        return {}
    return SNIPPETS[filterset.data_type](filterset, objects)
