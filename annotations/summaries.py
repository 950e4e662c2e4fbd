"""Counts the reader pages show, kept as they change instead of counted on every request.

``Tally`` holds the archive's totals (published articles, annotations, claims, and articles per
language); ``TagUse`` holds each tag's published articles, annotations and claims. ``follow`` is
registered with ``articles.changes`` and recounts, inside the writer's transaction, exactly what a
change can alter: the totals when an article's or annotation's own row changed, and the counts of
the tags on the articles and annotations it touched (and of tags put on or taken off). Each
recount is exact, so the summaries cannot drift; a writer first locks the rows it recounts, so
two writers at once recount one after the other and the later one sees the earlier's rows.
A bulk load recounts everything (``rebuild``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from taggit.models import Tag, TaggedItem

from articles.changes import Change
from articles.models import Article

from .models import Annotation, TagUse, Tally

ARTICLES, ANNOTATIONS, CLAIMS = "articles", "annotations", "claims"
LANGUAGE = "language:"  # + code: published articles in that language


def follow(change: Change) -> None:
    if not (change.bulk or change.article_rows or change.annotations or change.tags or change.reanchored):
        return  # nothing counted can differ (a draft imported, a paragraph of a draft edited)
    # A writer in autocommit mode (a save() outside atomic()) still recounts under the rows' locks.
    with transaction.atomic():
        _follow(change)


def _follow(change: Change) -> None:
    if change.bulk:
        rebuild()
        return
    if change.article_rows or change.annotations:
        recount_totals()
    if change.article_rows or change.annotations or change.tags or change.reanchored:
        # The tags on everything the change touched: their counts, and their pages, may differ.
        change.tags |= tags_on(articles=change.articles, annotations=change.annotations)
        recount_tags(change.tags)


def rebuild() -> None:
    """Recount every summary (after bulk loads, or to repair them)."""
    recount_totals()
    TagUse.objects.all().delete()
    recount_tags(None)


def tags_on(articles: Iterable[int] = (), annotations: Iterable[int] = ()) -> set[int]:
    """The tags on these articles, on these annotations, and on the annotations of these articles
    (publishing an article shows its annotations, and so their tags)."""
    articles, annotations = list(articles), list(annotations)
    article_type, annotation_type = _types()
    of_articles = Annotation.objects.filter(article_id__in=articles).values("pk")
    return set(
        TaggedItem.objects.filter(
            Q(content_type_id=article_type, object_id__in=articles)
            | Q(content_type_id=annotation_type, object_id__in=annotations)
            | Q(content_type_id=annotation_type, object_id__in=of_articles)
        ).values_list("tag_id", flat=True)
    )


def _types() -> tuple[int, int]:
    return (
        ContentType.objects.get_for_model(Article).pk,
        ContentType.objects.get_for_model(Annotation).pk,
    )


def recount_totals() -> None:
    # Taking the rows' locks first queues concurrent writers (see the module docstring).
    list(Tally.objects.select_for_update().order_by("name").values_list("name"))
    published = Article.objects.published()
    counts = {
        ARTICLES: published.count(),
        ANNOTATIONS: Annotation.objects.published().count(),
        CLAIMS: Annotation.objects.published().claims().count(),
    }
    for language, n in published.order_by().values_list("language").annotate(n=Count("pk")):
        counts[LANGUAGE + language] = n
    Tally.objects.exclude(name__in=counts).delete()
    Tally.objects.bulk_create(
        [Tally(name=name, value=value) for name, value in counts.items()],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["value"],
    )


def recount_tags(tags: set[int] | None) -> None:
    """Recount the uses of ``tags`` (all tags for None)."""
    items = TaggedItem.objects.order_by()
    if tags is not None:
        tags = sorted(tags)
        list(Tag.objects.select_for_update().filter(pk__in=tags).values_list("pk"))
        items = items.filter(tag_id__in=tags)
    article_type, annotation_type = _types()

    def counted(content_type: int, visible) -> dict[int, int]:
        rows = items.filter(content_type_id=content_type, object_id__in=visible.values("pk"))
        return dict(rows.values_list("tag_id").annotate(n=Count("pk")))

    articles = counted(article_type, Article.objects.published())
    annotations = counted(annotation_type, Annotation.objects.published())
    claims = counted(annotation_type, Annotation.objects.published().claims())
    uses = [
        TagUse(
            tag_id=tag,
            articles=articles.get(tag, 0),
            annotations=annotations.get(tag, 0),
            claims=claims.get(tag, 0),
            total=articles.get(tag, 0) + annotations.get(tag, 0),
        )
        for tag in set(articles) | set(annotations)
    ]
    unused = TagUse.objects.all() if tags is None else TagUse.objects.filter(tag_id__in=tags)
    unused.exclude(tag_id__in=[use.tag_id for use in uses]).delete()
    TagUse.objects.bulk_create(
        uses,
        update_conflicts=True,
        unique_fields=["tag"],
        update_fields=["articles", "annotations", "claims", "total"],
    )


def total(name: str) -> int:
    return Tally.objects.filter(name=name).values_list("value", flat=True).first() or 0


def totals() -> dict[str, int]:
    return dict(Tally.objects.values_list("name", "value"))


def languages() -> list[str]:
    """The languages of published articles, by code."""
    names = Tally.objects.filter(name__startswith=LANGUAGE, value__gt=0).order_by("name")
    return [name[len(LANGUAGE) :] for name in names.values_list("name", flat=True) if name != LANGUAGE]
