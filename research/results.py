"""Result ids into objects, with what showing or exporting them needs, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from .filters import SearchFilter


def _has_field(model, path: str) -> bool:
    """Whether ``path`` (``a__b__name``) leads from ``model`` to a stored field."""
    *hops, last = path.split("__")
    for hop in hops:
        field = model._meta.get_field(hop)
        if not field.is_relation:
            return False
        model = field.related_model
    return any(f.name == last for f in model._meta.concrete_fields)


def visible(filterset: SearchFilter) -> QuerySet:
    """What a result may be: published content only, checked again when results are loaded (for
    annotations, found through the index: a stale index can hide a result, never show a draft)."""
    return filterset.result_model.objects.published()


def load(filterset: SearchFilter, ids: list[int], prefetch: tuple = (), select: tuple = ()) -> list:
    """The results with these ids, in this order, with what showing them needs."""
    related = (*filterset.related, *select)
    model = filterset.result_model
    # Stored search vectors and import reports can be large and are never shown in results:
    # leave them in the database.
    hops = {"__".join(name.split("__")[:n]) for name in related for n in range(1, name.count("__") + 2)}
    unshown = [
        path
        for hop in ("", *sorted(hops))
        for name in ("search_vector", "import_report")
        if _has_field(model, path := f"{hop}__{name}" if hop else name)
    ]
    loaded = (
        visible(filterset)
        .order_by()
        .select_related(*related)
        .defer(*unshown)
        .prefetch_related(*prefetch)
        .in_bulk(ids)
    )
    return [loaded[pk] for pk in ids if pk in loaded]
