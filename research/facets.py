"""Facets: counts over the current result set, each value a link that refines the search.

Annotations are counted from the search index in one pass (``EntryFacets``: the facets, the chart
and the total together); paragraphs and articles by grouping their rows (``RowFacets``).
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import ExtractYear
from taggit.models import Tag, TaggedItem

from annotations.models import Annotation, Rating
from articles.models import Author, Outlet

from .backends import EntrySummary, backend
from .charts import outlet_rating_chart
from .filters import SearchFilter

FACET_TITLES = {
    "tag": "Tags",
    "rating": "Ratings",
    "outlet": "Outlets",
    "author": "Authors",
    "kind": "Kinds",
    "year": "Years",
}
FACET_LIMIT = 15


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class Facets:
    """Counts for one FilterSet's results. ``total`` is the number of results, where it came free."""

    total: int | None = None

    def __init__(self, filterset: SearchFilter):
        self.filterset = filterset

    def counted(self) -> dict[str, list[tuple]]:
        """{facet: [(value, label, results), ...]} for every facet, empty values left out."""
        raise NotImplementedError

    def chart(self) -> dict | None:
        """Ratings per outlet for the results, where the results carry ratings."""
        return None

    def groups(self) -> dict[str, list[dict]]:
        """{facet: [{"value", "label", "count"}, ...]}: distinct results per value, largest first."""
        facets = {}
        for name, items in self.counted().items():
            if name == "year":
                facets[name] = sorted(
                    ({"value": v, "label": str(v), "count": n} for v, _label, n in items),
                    key=lambda item: -item["value"],
                )
            else:
                ranked = sorted(items, key=lambda item: (-item[2], str(item[1])))[:FACET_LIMIT]
                facets[name] = [{"value": v, "label": label, "count": n} for v, label, n in ranked]
        return facets

    def links(self, params) -> list[dict]:
        """Facets as groups of links: each adds its value to the current search (and drops the page)."""
        groups = []
        kinds = dict(Annotation.Kind.choices)
        for name, rows in self.groups().items():
            items = []
            for row in rows:
                value = str(row["value"])
                refined = params.copy()
                refined.pop("page", None)
                if name == "year":
                    start, end = year_bounds(int(value))
                    selected = params.get("from") == start.isoformat() and params.get("to") == end.isoformat()
                    refined["from"], refined["to"] = start.isoformat(), end.isoformat()
                elif name in ("tag", "rating"):
                    chosen = params.getlist(name)
                    selected = value in chosen
                    if not selected:
                        refined.setlist(name, [*chosen, value])
                else:
                    selected = params.get(name) == value
                    refined[name] = value
                label = kinds.get(value, row["label"]) if name == "kind" else row["label"]
                items.append(
                    {
                        "label": label,
                        "count": row["count"],
                        "url": "?" + refined.urlencode(),
                        "selected": selected,
                    }
                )
            groups.append({"name": name, "title": FACET_TITLES[name], "items": items})
        return groups


class EntryFacets(Facets):
    """Annotations: every count the page shows (total, facets, chart) from one pass over the index."""

    @functools.cached_property
    def summary(self) -> EntrySummary:
        return backend().entry_summary(self.filterset.qs)

    @property
    def total(self) -> int:
        return self.summary.total

    def counted(self):
        summary = self.summary

        def named(model, ids, label="name") -> dict:
            rows = model.objects.filter(pk__in=list(ids)).values_list("pk", "slug", label)
            return {pk: (slug, name) for pk, slug, name in rows}

        labels = {
            "rating_id": named(Rating, summary.by["rating_id"], "label"),
            "outlet_id": named(Outlet, summary.by["outlet_id"]),
            "author_id": named(Author, summary.by["author_id"]),
        }
        counted = {}
        for name, column in (("rating", "rating_id"), ("outlet", "outlet_id"), ("author", "author_id")):
            known = labels[column]
            counted[name] = [(*known[pk], n) for pk, n in summary.by[column].items() if pk in known]
        counted["kind"] = [(kind, kind, n) for kind, n in summary.by["kind"].items() if kind]
        counted["year"] = [(year, year, n) for year, n in summary.by["year"].items() if year is not None]
        tags = named(Tag, summary.tags)
        counted["tag"] = [(*tags[pk], n) for pk, n in summary.tags.items() if pk in tags]
        return {name: counted[name] for name in ("tag", "rating", "outlet", "author", "kind", "year")}

    def chart(self):
        summary = self.summary
        names = dict(
            Outlet.objects.filter(pk__in=[o for o, _r in summary.outlet_rating]).values_list("pk", "name")
        )
        counts: dict[str, dict[int, int]] = {}
        for (outlet_id, rating_id), n in summary.outlet_rating.items():
            if outlet_id in names and rating_id is not None:
                counts.setdefault(names[outlet_id], {})[rating_id] = n
        return outlet_rating_chart(counts)


class RowFacets(Facets):
    """Paragraphs and articles: values grouped over the result rows (one GROUPING SETS pass on
    PostgreSQL); ratings and kinds through their published annotations, tags from the tag side."""

    paths: dict[str, tuple[str, str]] = {}

    def rows(self):
        # Ordering and the rank annotation are no use to a GROUP BY.
        published = Q(annotations__status=Annotation.Status.PUBLISHED)
        return self.filterset.qs.order_by().annotate(
            live=FilteredRelation("annotations", condition=published)
        )

    def counted(self):
        columns = {}
        names = [name for name in self.paths if name != "tag"]
        for name in names:
            value_path, label_path = self.paths[name]
            columns[f"{name}_value"], columns[f"{name}_label"] = F(value_path), F(label_path)
        columns["year_value"] = columns["year_label"] = ExtractYear(self.filterset.date_path)
        rows = self.rows().values(facet_pk=F("pk"), **columns)
        # A result with several annotations appears on several rows: count distinct results.
        return {"tag": self.tag_counts(), **backend().facet_counts(rows, [*names, "year"], distinct=True)}

    def tag_counts(self) -> list[tuple]:
        """(slug, name, results carrying the tag), counted from the tag side so its indexes serve."""
        filterset = self.filterset
        results = filterset.qs.order_by()
        content_type = ContentType.objects.get_for_model(filterset.tag_owner)
        if not filterset.tag_path:
            items = TaggedItem.objects.filter(content_type=content_type, object_id__in=results.values("pk"))
            grouped = items.values("tag__slug", "tag__name").annotate(n=Count("object_id")).order_by()
            return [(row["tag__slug"], row["tag__name"], row["n"]) for row in grouped]
        # Results whose tags are their owner's (a paragraph's article's): results per owner, then per tag.
        owner = f"{filterset.tag_path}_id"
        per_owner = dict(results.values_list(owner).annotate(n=Count("pk")).values_list(owner, "n"))
        counts: dict[tuple, int] = {}
        items = TaggedItem.objects.filter(content_type=content_type, object_id__in=results.values(owner))
        for object_id, slug, name in items.values_list("object_id", "tag__slug", "tag__name"):
            counts[(slug, name)] = counts.get((slug, name), 0) + per_owner.get(object_id, 0)
        return [(slug, name, n) for (slug, name), n in counts.items()]


class ParagraphFacets(RowFacets):
    paths = {
        "tag": ("article__tags__slug", "article__tags__name"),
        "rating": ("live__rating__slug", "live__rating__label"),
        "outlet": ("article__outlet__slug", "article__outlet__name"),
        "author": ("article__author__slug", "article__author__name"),
        "kind": ("live__kind", "live__kind"),
    }


class ArticleFacets(RowFacets):
    paths = {
        "tag": ("tags__slug", "tags__name"),
        "rating": ("live__rating__slug", "live__rating__label"),
        "outlet": ("outlet__slug", "outlet__name"),
        "author": ("author__slug", "author__name"),
        "kind": ("live__kind", "live__kind"),
    }


FACETS = {"annotations": EntryFacets, "paragraphs": ParagraphFacets, "articles": ArticleFacets}


def facets_for(filterset: SearchFilter) -> Facets:
    return FACETS[filterset.data_type](filterset)
