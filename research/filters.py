"""FilterSets for the search page, the exports and the API: search parameters in, a QuerySet out.

Every result set is published content only. The three FilterSets differ in what they list
(annotations, read through the search index; paragraphs; articles) and in how each parameter
reaches it, set out in the ``*_path`` attributes; the parameters and their validation
(``research/forms.py``) are shared. Counting, paging, facets and snippets are done elsewhere
with what a FilterSet says (``facets.py``, ``pagination.py``, ``snippets.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from taggit.models import Tag, TaggedItem

from annotations.models import Annotation
from articles.models import Article, Paragraph

from .backends import Prepared, backend
from .forms import DATE_MESSAGES, SearchForm, SlugListField
from .idlists import among
from .models import SearchEntry


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


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

    data_type = ""  # annotations, paragraphs or articles
    # How each parameter reaches the listed model; subclasses fill these in.
    tag_owner: type = Article
    tag_path = ""  # "" when the listed model carries the tags itself
    outlet_path = "article__outlet"
    author_path = "article__author"
    date_path = "article__published_on"
    language_path = "article__language"
    related: tuple[str, ...] = ("article__outlet", "article__author")

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
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q") or ""

    @functools.cached_property
    def prepared_search(self) -> Prepared | None:
        """The search made ready once (parsed by the form), for the results, their count and snippets."""
        parsed = self.form.parsed_query
        return backend().prepare(parsed) if parsed is not None else None

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
        if self.prepared_search is not None:
            queryset = self.search(queryset, self.prepared_search)
        if self.windowed:
            queryset = self.within_window(queryset)
        return queryset.order_by(*self.ordering())

    # A search page ranks, counts and facets its results. So that this costs the same in an archive of
    # any size, those are worked out over a window: the first ``window`` results in date order
    # (newest first, or oldest first when asked), found from an index. When more results match, the
    # page says so (``window_full``); exports and the API's cursor pages in date order take every
    # result and set ``windowed`` False.
    window = 1000
    windowed = True
    window_full = False

    def within_window(self, queryset: QuerySet) -> QuerySet:
        ids = self.first_ids(queryset, self.window + 1)
        self.window_full = len(ids) > self.window
        if not self.window_full:
            return queryset
        return queryset.filter(among("pk", ids[: self.window]))

    # The column of the searched rows that holds their article's date (``date_path`` without a
    # join), from which a backend can read a search's matches by ranges of dates.
    row_date = ""

    def first_ids(self, queryset: QuerySet, limit: int) -> list[int]:
        """The ids of the first ``limit`` of ``queryset`` in date order (newest or oldest first)."""
        newest = self.sort != "oldest"
        keys = [(self.date_path, newest), *self.tiebreak(newest)]
        ordering = [F(n).desc(nulls_last=True) if d else F(n).asc(nulls_last=True) for n, d in keys]
        if self.prepared_search is not None and self.row_date:
            rows = backend().dated_rows(queryset, ordering, self.row_date, ("pk",), limit, newest)
            return [pk for (pk,) in rows]
        return list(queryset.order_by(*ordering).values_list("pk", flat=True)[:limit])

    def search(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        raise NotImplementedError

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
        """Results with a published annotation of these ratings or this kind."""
        annotations = Annotation.objects.published()
        if ratings:
            annotations = annotations.filter(rating__slug__in=ratings)
        if kind:
            annotations = annotations.filter(kind=kind)
        return queryset.filter(pk__in=annotations.values(self.annotation_owner))

    annotation_owner = ""

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

    @property
    def result_model(self) -> type:
        """The model of the results shown (the FilterSet may search an index of them instead)."""
        return self.qs.model


class AnnotationSearchFilter(SearchFilter):
    """Annotations, searched through their search index entries (research.SearchEntry).

    Every entry is a published annotation on a published article, with the article's outlet,
    author, language, date and the annotation's tags copied onto it: filters, sorting, counts
    and facets read that one table. The page shown is then loaded as Annotation objects.
    """

    data_type = "annotations"
    tag_owner = Annotation
    related = ("article__outlet", "article__author", "paragraph", "rating")
    outlet_path = "outlet"
    author_path = "author"
    date_path = "published_on"
    row_date = "published_on"
    language_path = "language"

    class Meta(SearchFilter.Meta):
        model = SearchEntry

    @property
    def result_model(self) -> type:
        return Annotation

    def search(self, queryset, search):
        return backend().search_entries(queryset, search)

    def filter_tags(self, queryset, slugs, match):
        ids = list(Tag.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        return queryset.filter(**{"tag_ids__has_any" if match == "any" else "tag_ids__has_all": ids})

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


class ParagraphSearchFilter(SearchFilter):
    data_type = "paragraphs"
    window = 500
    row_date = "search_date"
    annotation_owner = "paragraph_id"
    tag_path = "article"

    class Meta(SearchFilter.Meta):
        model = Paragraph

    def search(self, queryset, search):
        return backend().search_paragraphs(queryset, search)

    def tiebreak(self, newest):
        return [("article_id", False), ("position", False)]


class ArticleSearchFilter(SearchFilter):
    data_type = "articles"
    window = 200
    annotation_owner = "article_id"
    outlet_path = "outlet"
    author_path = "author"
    date_path = "published_on"
    language_path = "language"
    related = ("outlet", "author")

    class Meta(SearchFilter.Meta):
        model = Article

    def search(self, queryset, search):
        self.unsearched = queryset
        return backend().search_articles(queryset, search)

    def within_window(self, queryset):
        if self.prepared_search is None:
            return super().within_window(queryset)
        # The matching paragraphs with the same filters, in date order: their articles match too.
        data = self.data.copy()
        data["sort"] = "oldest" if self.sort == "oldest" else "newest"
        data.pop("type", None)
        paragraphs = ParagraphSearchFilter(data, queryset=Paragraph.objects.published())
        paragraphs.windowed = False
        if not paragraphs.is_valid():
            return super().within_window(queryset)
        newest = self.sort != "oldest"
        search = self.prepared_search
        ids = backend().article_window(self.unsearched, paragraphs.qs, search, self.window, newest)
        if ids is None:
            return super().within_window(queryset)
        self.window_full = len(ids) > self.window
        # Every match is among ``ids``: the page, its count and facets read only those rows.
        return backend().rank_articles(self.unsearched.filter(among("pk", ids[: self.window])), search)


FILTERSETS = {
    "annotations": (AnnotationSearchFilter, lambda: SearchEntry.objects.all()),
    "paragraphs": (ParagraphSearchFilter, lambda: Paragraph.objects.published()),
    "articles": (ArticleSearchFilter, lambda: Article.objects.published()),
}


def search_filterset(data, data_type: str | None = None, default_type: str = "annotations") -> SearchFilter:
    """The FilterSet for ``data_type`` (else ``data["type"]``; annotations when absent or wrong)
    over published content."""
    kind = data_type or data.get("type") or default_type
    filterset, published = FILTERSETS[kind if kind in FILTERSETS else default_type]
    return filterset(data, queryset=published())
