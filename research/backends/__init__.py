"""Full-text search: the one package that knows which database it runs on.

The backend is chosen once, from ``connection.vendor``: ``postgres.py`` on PostgreSQL,
``sqlite.py`` (regular expressions) anywhere else. Views, FilterSets, the API and the index call
``search(queryset, q)`` and the backend's methods, and never ask which database is underneath.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import QuerySet

from annotations.models import Annotation
from articles.models import Article, Paragraph

from ..query import ParsedQuery, parse_query
from .base import EntrySummary, Prepared, SearchBackend
from .postgres import PostgresBackend
from .sqlite import RegexBackend


@functools.cache
def _backend_for(vendor: str) -> SearchBackend:
    return PostgresBackend() if vendor == "postgresql" else RegexBackend()


def backend() -> SearchBackend:
    return _backend_for(connection.vendor)


def prepare(q: str | ParsedQuery | Prepared) -> Prepared:
    """A search made ready once: parsed (SearchInputError if it cannot run), then in the backend's form."""
    if isinstance(q, Prepared):
        return q
    return backend().prepare(q if isinstance(q, ParsedQuery) else parse_query(q))


def search(queryset: QuerySet, q: str | ParsedQuery | Prepared) -> QuerySet:
    """The rows of ``queryset`` (articles, paragraphs or annotations) that match ``q``, with ``rank``."""
    methods = {
        Article: backend().search_articles,
        Paragraph: backend().search_paragraphs,
        Annotation: backend().search_annotations,
    }
    return methods[queryset.model](queryset, prepare(q))


__all__ = ["EntrySummary", "Prepared", "SearchBackend", "backend", "prepare", "search"]
