"""What every search backend offers. ``research/backends/__init__.py`` picks one per database.

A search is parsed once (``research.query.parse_query``) and made ready once per request
(``prepare``): the result, a ``Prepared``, is what every other method takes, so the results,
their count, their facets and their snippets share one parse.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..query import ParsedQuery

# Marks placed around matches by the database or by Python, turned into <mark> after escaping.
START, STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Prepared:
    """A search made ready once for several queries of one page: its parse and the backend's form."""

    parsed: ParsedQuery
    query: object

    @property
    def text(self) -> str:
        return self.parsed.text


# The columns of a search entry that facets count, in the order entry_summary() reads them.
ENTRY_FACETS = ("rating_id", "outlet_id", "author_id", "kind", "year")


@dataclass
class EntrySummary:
    """Counts over a set of search entries: what the facet sidebar and the chart show."""

    total: int = 0
    by: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in ENTRY_FACETS})
    outlet_rating: Counter = field(default_factory=Counter)  # (outlet id, rating id) -> entries
    tags: Counter = field(default_factory=Counter)  # tag id -> entries


def marked_to_html(marked: str) -> SafeString:
    """Text with START/STOP marks around matches, escaped, the marks turned into <mark>."""
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


class SearchBackend:
    """The operations views, FilterSets and the index need; one subclass per database."""

    def prepare(self, parsed: ParsedQuery) -> Prepared:
        return Prepared(parsed, parsed)

    def search_articles(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        """Articles whose title or one of whose paragraphs matches, annotated with ``rank``."""
        raise NotImplementedError

    def search_paragraphs(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        raise NotImplementedError

    def search_annotations(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        """Annotations whose own text or whose passage matches."""
        raise NotImplementedError

    def search_entries(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        """Search index entries whose annotation text and passage, taken together, match."""
        raise NotImplementedError

    def dated_rows(
        self, rows: QuerySet, ordering: list, date: str, fields: tuple[str, ...], limit: int, newest: bool
    ) -> list[tuple]:
        """``fields`` of the first ``limit`` of ``rows`` (a search's matches) in ``ordering``, whose
        first key is their article's date, newest or oldest first and undated last. ``date`` names
        the column of ``rows`` that holds that date, for a backend that reads by ranges of it."""
        return list(rows.order_by(*ordering).values_list(*fields)[:limit])

    def article_window(
        self, articles: QuerySet, paragraphs: QuerySet, search: Prepared, size: int, newest: bool
    ) -> list[int] | None:
        """The ids of the first ``size`` + 1 of ``articles`` (newest or oldest first) whose title
        or one of whose ``paragraphs`` (the matching paragraphs, in their articles' date order)
        matches ``search``, found without collecting every match; None where the backend has no
        faster way than filtering the whole search."""
        return None

    def rank_articles(self, queryset: QuerySet, search: Prepared) -> QuerySet:
        """``queryset`` annotated with the ``rank`` that ``search_articles`` gives."""
        raise NotImplementedError

    def index_entries(self, ids: list[int]) -> None:
        """Fill in what the backend keeps on these search entries beyond their plain columns."""

    def fill_entries(self) -> int | None:
        """Fill the emptied search index in one statement where the database can (the number of
        entries made), or None: then the index fills it in batches."""
        return None

    def repair_row_dates(self) -> int:
        """Put right any paragraph's copy of its article's date that differs from it (where the
        backend keeps such copies); the number of paragraphs changed."""
        return 0

    def truncate_entries(self) -> bool:
        """Empty the search index in one go where the database can; False where it cannot."""
        return False

    def analyse_entries(self) -> None:
        """Bring the planner's statistics up to date after the whole index was rebuilt."""

    def analyse_archive(self) -> None:
        """Bring the planner's statistics of every table up to date (after a bulk load)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def entry_summary(self, entries: QuerySet) -> EntrySummary:
        """Total, per facet value, per outlet and rating, and per tag, in one pass over ``entries``."""
        summary = EntrySummary()
        rows = entries.order_by().values_list(*ENTRY_FACETS, "tag_ids").iterator(chunk_size=2000)
        for row in rows:
            summary.total += 1
            for name, value in zip(ENTRY_FACETS, row, strict=False):
                summary.by[name][value] += 1
            summary.outlet_rating[(row[1], row[0])] += 1
            summary.tags.update(row[-1])
        return summary

    def headlines(self, queryset: QuerySet, expression, search: Prepared) -> dict[int, SafeString]:
        """Highlighted snippets of ``expression`` for each row of ``queryset`` (one page), by pk."""
        raise NotImplementedError

    def similar(self, queryset: QuerySet, field_name: str, text: str, limit: int = 10) -> QuerySet:
        """Rows whose ``field_name`` looks like ``text`` (tag and source look-ups), closest first."""
        raise NotImplementedError

    def facet_counts(self, rows: QuerySet, names: list[str], distinct: bool = True) -> dict[str, list[tuple]]:
        """Distinct ``facet_pk`` per (``<name>_value``, ``<name>_label``) of a values() queryset.

        Returns {name: [(value, label, count), ...]}, leaving out empty values. ``distinct=False``
        says each result is one row, so plain row counts will do.
        """
        counts = {}
        for name in names:
            grouped = (
                rows.filter(**{f"{name}_value__isnull": False})
                .values(f"{name}_value", f"{name}_label")
                .annotate(n=Count("facet_pk", distinct=distinct))
                .order_by()
            )
            counts[name] = [(row[f"{name}_value"], row[f"{name}_label"], row["n"]) for row in grouped]
        return counts
