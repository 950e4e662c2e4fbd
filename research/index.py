"""Keep the search index (SearchEntry) in step with what readers can see.

An annotation has an entry when it and its article are published. The entry copies what search
filters, sorts and counts on (kind, rating, outlet, author, language, date, tags) so that a search
reads one narrow table. ``follow`` is registered with ``articles.changes`` and recomputes the
entries of every annotation a change touches, in the writer's transaction; ``rebuild()`` redoes
the whole index (``manage.py rebuild_search_index``, archive restore, synthetic data).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from taggit.models import TaggedItem

from annotations.models import Annotation
from articles.changes import Change
from articles.models import Article

from .backends import backend
from .models import SearchEntry

BATCH = 500


def follow(change: Change) -> None:
    """The index's part in every change: the entries of the annotations it touches, recomputed."""
    if change.bulk:
        rebuild()
        # Rows loaded in bulk leave the planner's statistics behind until autovacuum comes round:
        # bring them up to date as soon as the load is committed, so the site is fast at once.
        transaction.on_commit(backend().analyse_archive)
    elif change.article_rows or change.annotations or change.edited:
        # An entry copies its article's status, outlet, author, language and date, its annotation's
        # fields and tags, and its passage's text: only changes to those touch it.
        refresh(annotations=change.annotations, articles=change.article_rows, paragraphs=change.edited)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for begin in range(0, len(ids), BATCH):
        yield ids[begin : begin + BATCH]


def refresh(
    annotations: Iterable[int] = (), articles: Iterable[int] = (), paragraphs: Iterable[int] = ()
) -> int:
    """Recompute the entries of these annotations, and of every annotation on these articles or
    paragraphs. Returns how many entries exist for them afterwards."""
    which = (
        Q(pk__in=list(annotations)) | Q(article_id__in=list(articles)) | Q(paragraph_id__in=list(paragraphs))
    )
    ids = list(Annotation.objects.filter(which).order_by("pk").values_list("pk", flat=True))
    return _refresh_ids(ids)


def rebuild() -> int:
    """Recompute the whole index (after bulk loads, or to repair it). Returns the number of entries."""
    # PostgreSQL refuses TRUNCATE in a transaction that has written rows pointing at the table's
    # neighbours (an archive restore): inside someone else's transaction, DELETE instead.
    alone = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if not (alone and backend().truncate_entries()):
            _delete(SearchEntry.objects.all())
        created = backend().fill_entries()
        if created is None:
            created = _refresh_ids(list(Annotation.objects.order_by("pk").values_list("pk", flat=True)))
        backend().repair_row_dates()  # paragraphs' copies of their article's date, which searches read
    backend().analyse_entries()
    return created


def _delete(entries) -> None:
    # A plain DELETE: derived rows need no per-row signals, and Django would load every row to send them.
    entries._raw_delete(entries.db)


def _refresh_ids(ids: list[int]) -> int:
    if not ids:
        return 0
    created = 0
    content_type = ContentType.objects.get_for_model(Annotation)
    with transaction.atomic():
        for chunk in _chunks(ids):
            # Lock the articles first (in id order): a refresh running beside this one waits,
            # then reads what this one committed, so neither can put back an entry for an
            # annotation the other has just unpublished. Articles, not annotations: every write
            # that leads here has already locked its article (its own update, or the timestamp
            # set by record_change()), so this adds no new lock order and no deadlock.
            articles = Annotation.objects.filter(pk__in=chunk).values("article_id")
            list(Article.objects.select_for_update().filter(pk__in=articles).order_by("pk").values_list("pk"))
            _delete(SearchEntry.objects.filter(annotation_id__in=chunk))
            visible = Annotation.objects.published().filter(pk__in=chunk)
            tags: dict[int, list[int]] = {}
            tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=chunk)
            for object_id, tag_id in tagged.values_list("object_id", "tag_id"):
                tags.setdefault(object_id, []).append(tag_id)
            rows = visible.values_list(
                "pk",
                "article_id",
                "paragraph_id",
                "start",
                "kind",
                "rating_id",
                "article__outlet_id",
                "article__author_id",
                "article__language",
                "article__published_on",
            )
            entries = [
                SearchEntry(
                    annotation_id=pk,
                    article_id=article_id,
                    paragraph_id=paragraph_id,
                    start=start,
                    kind=kind,
                    rating_id=rating_id,
                    outlet_id=outlet_id,
                    author_id=author_id,
                    language=language or "",
                    published_on=published_on,
                    year=published_on.year if published_on else None,
                    tag_ids=tags.get(pk, []),
                )
                for pk, article_id, paragraph_id, start, kind, rating_id, outlet_id, author_id, language, published_on in rows
            ]
            SearchEntry.objects.bulk_create(entries)
            backend().index_entries([entry.annotation_id for entry in entries])
            created += len(entries)
    return created
