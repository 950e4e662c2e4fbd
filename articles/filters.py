"""FilterSets for the search page, the exports and the API: one vocabulary of parameters.

Every result set is published content only. The three FilterSets differ in what they list
(articles, paragraphs or annotations) and in how each parameter reaches it, set out in
``paths``; the parameters and their validation are shared.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import math
from collections.abc import Iterable

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, TextField, Value, Window
from django.db.models.functions import Concat, ExtractYear
from taggit.models import Tag, TaggedItem

from annotations.models import Annotation, Rating, SearchEntry

from .charts import outlet_rating_chart
from .models import Article, Author, Outlet, Paragraph
from .search import EntrySummary, SearchInputError, backend, parse_query

MAX_PAGE = 10_000
FACET_TITLES = {
    "tag": "Tags",
    "rating": "Ratings",
    "outlet": "Outlets",
    "author": "Authors",
    "kind": "Kinds",
    "year": "Years",
}
FACET_LIMIT = 15
SEARCH_TYPES = ("annotations", "paragraphs", "articles")


def _has_field(model, path: str) -> bool:
    """Whether ``path`` (``a__b__name``) leads from ``model`` to a stored field."""
    *hops, last = path.split("__")
    for hop in hops:
        field = model._meta.get_field(hop)
        if not field.is_relation:
            return False
        model = field.related_model
    return any(f.name == last for f in model._meta.concrete_fields)


class CursorError(ValueError):
    """A cursor that this search did not give out (altered, or from another sort)."""


def _after(keys: list[tuple[str, bool]], values: list) -> Q:
    """Rows that sort after ``values`` under ``keys`` (each ascending or descending, NULLs last)."""
    after = Q(pk__in=[])
    same = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        if value is None:
            # Nothing sorts after an empty value but other empty values, which the next key orders.
            same &= Q(**{f"{name}__isnull": True})
            continue
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value}) | Q(**{f"{name}__isnull": True})
        after |= same & beyond
        same &= Q(**{name: value})
    return after


class PageOutOfRange(ValueError):
    """A page number past the last page; the message says how many there are."""


class SlugListField(forms.Field):
    """A repeatable parameter (``?tag=a&tag=b``) as a list of non-empty strings."""

    widget = forms.MultipleHiddenInput

    max_values = 20
    max_length = 100

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(v.strip() for v in value if v and v.strip()))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.max_values:
            raise forms.ValidationError(f"At most {self.max_values} values, not {len(value)}.")
        for item in value:
            if "\x00" in item:
                raise forms.ValidationError("Null characters are not allowed.")
            if len(item) > self.max_length:
                raise forms.ValidationError(f"{item[:30]}… is longer than {self.max_length} characters.")


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


def public_tags() -> QuerySet:
    """Tags on published articles or published annotations: the only ones a search may name."""
    on_articles = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=Article.objects.published().values("pk"),
    )
    on_annotations = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Annotation),
        object_id__in=Annotation.objects.published().values("pk"),
    )
    return Tag.objects.filter(
        Q(pk__in=on_articles.values("tag_id")) | Q(pk__in=on_annotations.values("tag_id"))
    )


def public_tag_slugs(slugs: list[str]) -> set[str]:
    """Those of ``slugs`` that public_tags() holds, found without listing every public tag."""
    if not slugs:
        return set()
    on_articles = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=Article.objects.published().values("pk"),
    )
    found = set()
    for pk, slug in Tag.objects.filter(slug__in=slugs).values_list("pk", "slug"):
        # Search entries are exactly the published annotations on published articles.
        if (
            SearchEntry.objects.filter(tag_ids__has_any=[pk]).exists()
            or on_articles.filter(tag_id=pk).exists()
        ):
            found.add(slug)
    return found


def _did_you_mean(queryset: QuerySet, field_name: str, text: str) -> str:
    close = [getattr(row, field_name) for row in backend().similar(queryset, field_name, text, limit=3)]
    return f" Did you mean {', '.join(close)}?" if close else ""


class SearchForm(forms.Form):
    """Checks that belong to the whole search: names that must exist, date order, query syntax."""

    type = forms.ChoiceField(
        choices=[(t, t) for t in SEARCH_TYPES],
        required=False,
        error_messages={"invalid_choice": "type must be annotations, paragraphs or articles, not %(value)s."},
    )
    sort = forms.ChoiceField(
        choices=[("relevance", "relevance"), ("newest", "newest"), ("oldest", "oldest")],
        required=False,
        error_messages={"invalid_choice": "sort must be relevance, newest or oldest, not %(value)s."},
    )
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": "The page must be a whole number.",
            "max_value": f"The page number is too large (at most {MAX_PAGE}).",
            "min_value": "Pages start at 1.",
        },
    )

    def clean_q(self) -> str:
        q = " ".join((self.cleaned_data.get("q") or "").split())
        try:
            parse_query(q)
        except SearchInputError as error:
            raise forms.ValidationError(str(error)) from None
        return q

    def clean_tag(self) -> list[str]:
        # Names known only from drafts are unknown here, and never suggested.
        values = self.cleaned_data.get("tag") or []
        known = public_tag_slugs(values)
        unknown = [v for v in values if v not in known]
        if unknown:
            hint = _did_you_mean(public_tags(), "name", unknown[0])
            raise forms.ValidationError(f"Unknown tag: {', '.join(unknown)}.{hint}")
        return values

    def clean_rating(self) -> list[str]:
        values = self.cleaned_data.get("rating") or []
        known = dict(Rating.objects.values_list("slug", "label"))
        unknown = [v for v in values if v not in known]
        if unknown:
            raise forms.ValidationError(
                f"Unknown rating: {', '.join(unknown)}. Ratings are: {', '.join(known)}."
            )
        return values

    def _one(self, name: str, model, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        public = model.objects.filter(pk__in=Article.objects.published().values(model._meta.model_name))
        if value and not public.filter(slug=value).exists():
            hint = _did_you_mean(public, "name", value)
            raise forms.ValidationError(f"Unknown {label}: {value}.{hint}")
        return value

    def clean_outlet(self) -> str:
        return self._one("outlet", Outlet, "outlet")

    def clean_author(self) -> str:
        return self._one("author", Author, "author")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return data


DATE_MESSAGES = {"invalid": "Enter dates as YYYY-MM-DD, for example 2024-03-01."}


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search")
    tag = SlugListFilter(label="Tags")
    match = django_filters.ChoiceFilter(
        choices=[("all", "all of the tags"), ("any", "any of the tags")],
        empty_label=None,
        error_messages={"invalid_choice": "match must be all or any, not %(value)s."},
    )
    rating = SlugListFilter(label="Ratings")
    outlet = django_filters.CharFilter(label="Outlet")
    author = django_filters.CharFilter(label="Author")
    language = django_filters.CharFilter(label="Language", max_length=8)
    kind = django_filters.ChoiceFilter(
        choices=Annotation.Kind.choices,
        error_messages={"invalid_choice": "kind must be claim, source or note, not %(value)s."},
    )

    # How each parameter reaches the listed model; subclasses fill these in.
    tag_owner: type = Article
    tag_path = ""  # "" when the listed model carries the tags itself
    outlet_path = "article__outlet"
    author_path = "article__author"
    date_path = "article__published_on"
    language_path = "article__language"
    related: tuple[str, ...] = ("article__outlet", "article__author")
    year_path = ""  # a stored year, where there is one; else the year of date_path

    class Meta:
        form = SearchForm
        fields: list[str] = []

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # "from" is a Python keyword, so these two cannot be declared as attributes.
        filters["from"] = django_filters.DateFilter(label="From", error_messages=DATE_MESSAGES)
        filters["to"] = django_filters.DateFilter(label="To", error_messages=DATE_MESSAGES)
        return filters

    @property
    def data_type(self) -> str:
        return self.form.cleaned_data.get("type") or "annotations"

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q") or ""

    @functools.cached_property
    def prepared_search(self):
        """The search made ready once, for the results, their count and the snippets."""
        return backend().prepare(self.search_text)

    @property
    def sort(self) -> str:
        sort = self.form.cleaned_data.get("sort") or ("relevance" if self.search_text else "newest")
        return "newest" if sort == "relevance" and not self.search_text else sort

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        if data.get("tag"):
            queryset = self.filter_tags(queryset, data["tag"], data.get("match") or "all")
        if data.get("rating") or data.get("kind"):
            queryset = self.filter_annotations(queryset, data.get("rating") or [], data.get("kind") or "")
        if data.get("outlet"):
            queryset = queryset.filter(**{f"{self.outlet_path}__slug": data["outlet"]})
        if data.get("author"):
            queryset = queryset.filter(**{f"{self.author_path}__slug": data["author"]})
        if data.get("language"):
            queryset = queryset.filter(**{self.language_path: data["language"]})
        if data.get("from"):
            queryset = queryset.filter(**{f"{self.date_path}__gte": data["from"]})
        if data.get("to"):
            queryset = queryset.filter(**{f"{self.date_path}__lte": data["to"]})
        if self.search_text:
            queryset = queryset.search(self.prepared_search)
        return queryset.order_by(*self.ordering())

    def tagged(self, slugs: Iterable[str]) -> QuerySet:
        content_type = ContentType.objects.get_for_model(self.tag_owner)
        return TaggedItem.objects.filter(content_type=content_type, tag__slug__in=list(slugs)).values(
            "object_id"
        )

    def filter_tags(self, queryset: QuerySet, slugs: list[str], match: str) -> QuerySet:
        owner = f"{self.tag_path}_id" if self.tag_path else "pk"
        if match == "any":
            return queryset.filter(**{f"{owner}__in": self.tagged(slugs)})
        for slug in slugs:
            queryset = queryset.filter(**{f"{owner}__in": self.tagged([slug])})
        return queryset

    def filter_annotations(self, queryset: QuerySet, ratings: list[str], kind: str) -> QuerySet:
        raise NotImplementedError

    def order_keys(self) -> list[tuple[str, bool]]:
        """The sort as (field, descending) pairs, empty values last, ending in a unique key."""
        newest = self.sort != "oldest"
        keys = [(self.date_path, newest), *self.tiebreak(newest)]
        return [("rank", True), *keys] if self.sort == "relevance" else keys

    def tiebreak(self, newest: bool) -> list[tuple[str, bool]]:
        """What orders results of the same date (and rank): at the least a unique key."""
        return [("pk", newest)]

    def ordering(self) -> list:
        return [
            F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
            for name, descending in self.order_keys()
        ]

    # Cursor pagination: the position after a result is the values of its sort keys, so the next
    # slice starts there whatever was added before it (and reads an index instead of skipping rows).

    def cursor_page(self, cursor: str, size: int) -> tuple[list[int], str | None]:
        """The ids of ``size`` results after ``cursor`` ("" for the first) and the next cursor."""
        keys = self.order_keys()
        queryset = self.qs
        if cursor:
            queryset = queryset.filter(_after(keys, self._decode_cursor(cursor, keys)))
        rows = list(queryset.values_list("pk", *(name for name, _descending in keys))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return [row[0] for row in rows], self._encode_cursor(rows[-1][1:]) if more else None

    def _cursor_scope(self) -> str:
        """A short digest of the search (every parameter but the page), kept in its cursors."""
        data = {
            k: v for k, v in sorted(self.form.cleaned_data.items()) if k != "page" and v not in (None, "", [])
        }
        text = json.dumps([self.data_type, self.sort, data], default=str, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def _encode_cursor(self, values) -> str:
        plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
        text = json.dumps([self._cursor_scope(), *plain], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode_cursor(self, cursor: str, keys: list[tuple[str, bool]]) -> list:
        problem = CursorError(
            "The cursor is not one this search gave (a cursor goes with the search parameters and "
            "sort it came from): start again with cursor= empty."
        )
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            scope, *values = json.loads(text)
        except (ValueError, TypeError):
            raise problem from None
        if scope != self._cursor_scope() or len(values) != len(keys):
            raise problem
        decoded = []
        for (name, _descending), value in zip(keys, values, strict=True):
            try:
                if value is None:
                    decoded.append(None)
                elif name == "rank":
                    if (
                        isinstance(value, bool)
                        or not isinstance(value, int | float)
                        or not math.isfinite(value)
                    ):
                        raise problem
                    decoded.append(float(value))
                elif name == self.date_path:
                    decoded.append(datetime.date.fromisoformat(value))
                elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
                    decoded.append(value)
                else:
                    raise problem
            except (TypeError, ValueError):
                raise problem from None
        return decoded

    # Facets: counts over the current result set, each value a refinement of the search.

    facet_paths: dict[str, tuple[str, str]] = {}
    facet_rows_repeat = False  # True when a facet path fans out (one result, several rows)

    def facet_queryset(self) -> QuerySet:
        # Ordering and the rank annotation are no use to a GROUP BY.
        return self.qs.order_by()

    def facets(self) -> dict[str, list[dict]]:
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

    def counted(self) -> dict[str, list[tuple]]:
        """{facet: [(value, label, results), ...]} for every facet, empty values left out."""
        columns = {}
        names = [name for name in self.facet_paths if name != "tag"]
        for name in names:
            value_path, label_path = self.facet_paths[name]
            columns[f"{name}_value"], columns[f"{name}_label"] = F(value_path), F(label_path)
        year = F(self.year_path) if self.year_path else ExtractYear(self.date_path)
        columns["year_value"] = columns["year_label"] = year
        rows = self.facet_queryset().values(facet_pk=F("pk"), **columns)
        return {
            "tag": self.tag_counts(),
            **backend().facet_counts(rows, [*names, "year"], distinct=self.facet_rows_repeat),
        }

    def tag_counts(self) -> list[tuple]:
        """(slug, name, results carrying the tag), counted from the tag side so its indexes serve."""
        results = self.qs.order_by()
        owner = f"{self.tag_path}_id" if self.tag_path else "pk"
        content_type = ContentType.objects.get_for_model(self.tag_owner)
        if not self.tag_path:
            items = TaggedItem.objects.filter(content_type=content_type, object_id__in=results.values("pk"))
            grouped = items.values("tag__slug", "tag__name").annotate(n=Count("object_id")).order_by()
            return [(row["tag__slug"], row["tag__name"], row["n"]) for row in grouped]
        # Results whose tags are their article's: results per article, then per tag of those articles.
        per_owner = dict(results.values_list(owner).annotate(n=Count("pk")).values_list(owner, "n"))
        counts: dict[tuple, int] = {}
        items = TaggedItem.objects.filter(content_type=content_type, object_id__in=results.values(owner))
        for object_id, slug, name in items.values_list("object_id", "tag__slug", "tag__name"):
            counts[(slug, name)] = counts.get((slug, name), 0) + per_owner.get(object_id, 0)
        return [(slug, name, n) for (slug, name), n in counts.items()]

    @property
    def result_model(self) -> type:
        """The model of the results shown (the FilterSet may search an index of them instead)."""
        return self.qs.model

    def visible_results(self) -> QuerySet:
        """What a result may be: published content only, checked again when results are loaded
        (for annotations, read from the index: a stale index can hide a result, never show a draft)."""
        return self.result_model.objects.published()

    def load(self, ids: list[int], prefetch: tuple = (), select: tuple = ()) -> list:
        """The results with these ids, in this order, with what showing them needs."""
        related = (*self.related, *select)
        # Stored search vectors and import reports can be large and are never shown in results:
        # leave them in the database.
        hops = {"__".join(name.split("__")[:n]) for name in related for n in range(1, name.count("__") + 2)}
        unshown = [
            path
            for hop in ("", *sorted(hops))
            for name in ("search_vector", "import_report")
            if _has_field(self.result_model, path := f"{hop}__{name}" if hop else name)
        ]
        loaded = (
            self.visible_results()
            .order_by()
            .select_related(*related)
            .defer(*unshown)
            .prefetch_related(*prefetch)
            .in_bulk(ids)
        )
        return [loaded[pk] for pk in ids if pk in loaded]

    def iterate(self, start: int, stop: int, prefetch: tuple = (), select: tuple = (), chunk: int = 500):
        """Results ``start`` to ``stop`` in order, loaded ``chunk`` at a time (for streamed exports)."""
        ids = self.qs.values_list("pk", flat=True)[start:stop].iterator(chunk_size=chunk)
        batch: list[int] = []
        for pk in ids:
            batch.append(pk)
            if len(batch) == chunk:
                yield from self.load(batch, prefetch, select)
                batch = []
        if batch:
            yield from self.load(batch, prefetch, select)

    def page(self, number: int, size: int, prefetch: tuple = ()) -> tuple[Paginator, Page, list]:
        """One page of results: the ids are found with the lean query, then only they are loaded.

        Call after is_valid(). A page past the last raises PageOutOfRange.
        """
        ids, total = self.page_ids((number - 1) * size, size)
        paginator = Paginator(self.qs.values_list("pk", flat=True), size)
        if total is not None:
            paginator.__dict__["count"] = total  # spares Paginator its own COUNT query
        if number > max(paginator.num_pages, 1):
            raise PageOutOfRange(f"Page {number} does not exist: these results have {paginator.num_pages}.")
        page = paginator.page(number)
        page.object_list = ids
        return paginator, page, self.load(ids, prefetch)

    def page_ids(self, offset: int, size: int) -> tuple[list[int], int | None]:
        """The ids of one page of results and, when it is known, the size of the whole set."""
        # Both in one query: the ids of the page and a window count over all the results.
        rows = list(
            self.qs.annotate(total=Window(Count("*"))).values_list("pk", "total")[offset : offset + size]
        )
        return [pk for pk, _total in rows], rows[0][1] if rows else None

    def facet_links(self, params) -> list[dict]:
        """Facets as groups of links: each adds its value to the current search (and drops the page)."""
        groups = []
        for name, rows in self.facets().items():
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
                label = (
                    dict(Annotation.Kind.choices).get(value, row["label"]) if name == "kind" else row["label"]
                )
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

    def snippets(self, objects: list) -> dict[int, dict]:
        """Highlighted snippets for one page of results: {pk: {"passage": html, "note": html}}."""
        raise NotImplementedError

    def chart(self) -> dict | None:
        """Ratings per outlet for the results, where the results carry ratings."""
        return None


class AnnotationSearchFilter(SearchFilter):
    """Annotations, searched through their search index entries (annotations.SearchEntry).

    Every entry is a published annotation on a published article, with the article's outlet,
    author, language, date and the annotation's tags copied onto it: filters, sorting, counts
    and facets read that one table. The page shown is then loaded as Annotation objects.
    """

    tag_owner = Annotation
    related = ("article__outlet", "article__author", "paragraph", "rating")
    outlet_path = "outlet"
    author_path = "author"
    date_path = "published_on"
    language_path = "language"
    year_path = "year"
    facet_paths = {
        "tag": ("", ""),
        "rating": ("rating__slug", "rating__label"),
        "outlet": ("outlet__slug", "outlet__name"),
        "author": ("author__slug", "author__name"),
        "kind": ("kind", "kind"),
    }

    class Meta(SearchFilter.Meta):
        model = SearchEntry

    @property
    def result_model(self) -> type:
        return Annotation

    def filter_tags(self, queryset, slugs, match):
        ids = list(Tag.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        return queryset.filter(**{"tag_ids__has_any" if match == "any" else "tag_ids__has_all": ids})

    @functools.cached_property
    def summary(self) -> EntrySummary:
        """Every count the page shows (total, facets, chart), from one pass over the results."""
        return backend().entry_summary(self.qs)

    def page_ids(self, offset, size):
        if "summary" in self.__dict__:  # the facets have counted the results already
            return list(self.qs.values_list("pk", flat=True)[offset : offset + size]), self.summary.total
        # A count, then the page: by date an index scan that stops after one page, by relevance
        # a top-N sort. Both cheaper than a window count over every result when there are thousands.
        return list(self.qs.values_list("pk", flat=True)[offset : offset + size]), self.qs.count()

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

    def chart(self) -> dict | None:
        summary = self.summary
        names = dict(
            Outlet.objects.filter(pk__in=[o for o, _r in summary.outlet_rating]).values_list("pk", "name")
        )
        counts: dict[str, dict[int, int]] = {}
        for (outlet_id, rating_id), n in summary.outlet_rating.items():
            if outlet_id in names and rating_id is not None:
                counts.setdefault(names[outlet_id], {})[rating_id] = n
        return outlet_rating_chart(counts)

    def filter_annotations(self, queryset, ratings, kind):
        if ratings:
            queryset = queryset.filter(rating__slug__in=ratings)
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset

    def tiebreak(self, newest):
        # Within one article, annotations follow the text: paragraph ids are given in text order
        # at import, and sorting on them spares a join to every matching paragraph.
        return [("article_id", False), ("paragraph_id", False), ("start", False), ("annotation_id", False)]

    def snippets(self, objects):
        if not self.search_text or not objects:
            return {}
        page = Annotation.objects.filter(pk__in=[a.pk for a in objects])
        note = Concat("claim_text", Value(" "), "conclusion", Value(" "), "body", output_field=TextField())
        passages = backend().headlines(page, F("paragraph__text"), self.prepared_search)
        notes = backend().headlines(page, note, self.prepared_search)
        return {pk: {"passage": passages.get(pk), "note": notes.get(pk)} for pk in passages}


class ByAnnotationsMixin:
    """Listing paragraphs or articles: ratings and kinds come from their published annotations."""

    annotation_owner = ""
    facet_rows_repeat = True

    def filter_annotations(self, queryset, ratings, kind):
        annotations = Annotation.objects.published()
        if ratings:
            annotations = annotations.filter(rating__slug__in=ratings)
        if kind:
            annotations = annotations.filter(kind=kind)
        return queryset.filter(pk__in=annotations.values(self.annotation_owner))

    def facet_queryset(self):
        published = Q(annotations__status=Annotation.Status.PUBLISHED)
        return super().facet_queryset().annotate(live=FilteredRelation("annotations", condition=published))


class ParagraphSearchFilter(ByAnnotationsMixin, SearchFilter):
    annotation_owner = "paragraph_id"
    tag_path = "article"
    facet_paths = {
        "tag": ("article__tags__slug", "article__tags__name"),
        "rating": ("live__rating__slug", "live__rating__label"),
        "outlet": ("article__outlet__slug", "article__outlet__name"),
        "author": ("article__author__slug", "article__author__name"),
        "kind": ("live__kind", "live__kind"),
    }

    class Meta(SearchFilter.Meta):
        model = Paragraph

    def tiebreak(self, newest):
        return [("article_id", False), ("position", False)]

    def snippets(self, objects):
        if not self.search_text or not objects:
            return {}
        page = Paragraph.objects.filter(pk__in=[p.pk for p in objects])
        return {
            pk: {"passage": html}
            for pk, html in backend().headlines(page, F("text"), self.prepared_search).items()
        }


class ArticleSearchFilter(ByAnnotationsMixin, SearchFilter):
    annotation_owner = "article_id"
    outlet_path = "outlet"
    author_path = "author"
    date_path = "published_on"
    language_path = "language"
    related = ("outlet", "author")
    facet_paths = {
        "tag": ("tags__slug", "tags__name"),
        "rating": ("live__rating__slug", "live__rating__label"),
        "outlet": ("outlet__slug", "outlet__name"),
        "author": ("author__slug", "author__name"),
        "kind": ("live__kind", "live__kind"),
    }

    class Meta(SearchFilter.Meta):
        model = Article

    def snippets(self, objects):
        if not self.search_text or not objects:
            return {}
        # The first paragraph of each article that matches stands for the article.
        first: dict[int, int] = {}
        matching = (
            Paragraph.objects.filter(article_id__in=[a.pk for a in objects])
            .search(self.prepared_search)
            .order_by("article_id", "position")
            .values_list("pk", "article_id")
        )
        for pk, article_id in matching:
            first.setdefault(article_id, pk)
        page = Paragraph.objects.filter(pk__in=first.values())
        html = backend().headlines(page, F("text"), self.prepared_search)
        return {article_id: {"passage": html.get(pk)} for article_id, pk in first.items()}


FILTERSETS = {
    "annotations": AnnotationSearchFilter,
    "paragraphs": ParagraphSearchFilter,
    "articles": ArticleSearchFilter,
}

PUBLISHED = {
    "annotations": lambda: SearchEntry.objects.all(),
    "paragraphs": lambda: Paragraph.objects.published(),
    "articles": lambda: Article.objects.published(),
}


def search_filterset(data, default_type: str = "annotations") -> SearchFilter:
    """The FilterSet for ``data["type"]`` over published content (annotations when absent or wrong)."""
    kind = data.get("type") or default_type
    kind = kind if kind in FILTERSETS else default_type
    return FILTERSETS[kind](data, queryset=PUBLISHED[kind]())


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
