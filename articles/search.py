"""Full-text search: the one module that knows which database it runs on.

The backend is chosen once, from ``connection.vendor``. Views, filters and the API call the
QuerySet methods (``Article.objects.search(q)``, ``Paragraph.objects.search(q)``,
``Annotation.objects.search(q)``) and never ask which database is underneath.

PostgreSQL: stored ``tsvector`` columns kept current by triggers (annotations migration 0006),
GIN indexes, ``websearch_to_tsquery`` with the text-search configuration of each language in
the archive, ``ts_rank`` and ``ts_headline`` (for the page shown only), and trigram
similarity for tag and source look-ups.

SQLite: the same query syntax, matched word by word with a regular expression that anchors
each word at a word start. For plain words both give the same results.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200

# ISO 639-1 code -> PostgreSQL text-search configuration; anything else uses 'simple'.
# The database function glossa_search_config() (annotations migration 0006) holds the same map.
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Marks placed around matches by the database or by Python, turned into <mark> after escaping.
_START, _STOP = "\x02", "\x03"


def config_for(language: str) -> str:
    return LANGUAGE_CONFIGS.get(language or "", "simple")


class SearchInputError(ValueError):
    """A search the user typed that cannot be run; the message says why."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    """websearch syntax: words are all required, "quoted phrases", -excluded, ``or`` between alternatives."""

    text: str
    groups: list[list[Term]] = field(default_factory=list)

    @property
    def positive_words(self) -> list[str]:
        return [w for group in self.groups for term in group if not term.negated for w in term.words]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse_query(q: str) -> ParsedQuery:
    """Parse and check a search; raise SearchInputError with a readable reason when it cannot run."""
    text = " ".join((q or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            f"The search is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}. Use fewer words."
        )
    groups: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        negated = bool(minus) if phrase is not None else bare.startswith("-")
        words = tuple(w.lower() for w in _WORD.findall(phrase if phrase is not None else bare))
        if words:
            groups[-1].append(Term(words, negated))
    groups = [group for group in groups if group]
    parsed = ParsedQuery(text, groups)
    if text and not parsed.positive_words:
        raise SearchInputError(
            "The search has no words to look for: operators such as - and quotes need words with them."
        )
    return parsed


@dataclass(frozen=True)
class Prepared:
    """A search made ready once for several queries of one page (the backend's own form)."""

    text: str
    query: object


class SearchBackend:
    """What every backend offers; the QuerySet methods call these.

    Wherever a method takes ``q`` it also takes what prepare() returned for it.
    """

    def prepare(self, q: str) -> Prepared:
        return Prepared(q, parse_query(q))

    def search_articles(self, queryset: QuerySet, q: str) -> QuerySet:
        raise NotImplementedError

    def search_paragraphs(self, queryset: QuerySet, q: str) -> QuerySet:
        raise NotImplementedError

    def search_annotations(self, queryset: QuerySet, q: str) -> QuerySet:
        raise NotImplementedError

    def headlines(self, queryset: QuerySet, expression, q: str) -> dict[int, SafeString]:
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


def _marked_to_html(marked: str) -> SafeString:
    return mark_safe(escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


class PostgresBackend(SearchBackend):
    headline_options = {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}

    def query(self, q):
        """The tsquery for ``q``; a query from prepare() is passed through as it is."""
        from django.contrib.postgres.search import SearchQuery

        if isinstance(q, Prepared):
            return q.query
        parse_query(q)
        configs = self._configs()
        # A query is parsed once per configuration in use, so each article is matched with the
        # stemming of its own language.
        combined = None
        for config in configs:
            one = SearchQuery(q, search_type="websearch", config=config)
            combined = one if combined is None else combined | one
        return combined

    def prepare(self, q: str) -> Prepared:
        return Prepared(q, self.query(q))

    def _configs(self) -> list[str]:
        from .models import Article

        languages = Article.objects.order_by().values_list("language", flat=True).distinct()
        return sorted({config_for(language) for language in languages}) or ["simple"]

    def _paragraph_matches(self, query) -> QuerySet:
        from .models import Paragraph

        return Paragraph.objects.filter(search_vector=query).order_by()

    def search_articles(self, queryset, q):
        from django.contrib.postgres.search import SearchRank

        from .models import Article

        query = self.query(q)
        # A UNION of two index scans: an OR across them would make PostgreSQL read every row.
        by_title = Article.objects.filter(search_vector=query).order_by().values("pk")
        matches = by_title.union(self._paragraph_matches(query).values("article_id"))
        return queryset.filter(pk__in=matches).annotate(
            rank=Coalesce(SearchRank(F("search_vector"), query), Value(0.0), output_field=FloatField())
        )

    def search_paragraphs(self, queryset, q):
        from django.contrib.postgres.search import SearchRank

        query = self.query(q)
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    def search_annotations(self, queryset, q):
        from django.contrib.postgres.search import SearchRank

        from annotations.models import Annotation

        query = self.query(q)
        own = Annotation.objects.filter(search_vector=query).order_by().values("pk")
        in_passage = (
            Annotation.objects.filter(paragraph__in=self._paragraph_matches(query)).order_by().values("pk")
        )
        # A UNION of two index scans: an OR across them would make PostgreSQL read every row.
        matches = own.union(in_passage)
        rank = Coalesce(SearchRank(F("search_vector"), query), Value(0.0)) + Coalesce(
            SearchRank(F("paragraph__search_vector"), query), Value(0.0)
        )
        return queryset.filter(pk__in=matches).annotate(rank=rank)

    def headlines(self, queryset, expression, q):
        from django.contrib.postgres.search import SearchHeadline

        query = self.query(q)
        language = "language" if queryset.model._meta.model_name == "article" else "article__language"
        rows = queryset.annotate(
            snippet=SearchHeadline(
                expression,
                query,
                config=Func(F(language), function="glossa_search_config"),
                start_sel=_START,
                stop_sel=_STOP,
                **self.headline_options,
            )
        ).values_list("pk", "snippet")
        return {pk: _marked_to_html(snippet or "") for pk, snippet in rows}

    def facet_counts(self, rows, names, distinct=True):
        # One pass over the results for every facet (GROUPING SETS), not one query per facet.
        sql, params = rows.order_by().query.sql_with_params()
        columns = ", ".join(f'"{n}_value", "{n}_label"' for n in names)
        sets = ", ".join(f'("{n}_value", "{n}_label")' for n in names)
        grouped = (
            f"SELECT {columns}, {'COUNT(DISTINCT facet_pk)' if distinct else 'COUNT(*)'} "  # noqa: S608 (names are ours)
            f"FROM ({sql}) AS results "
            f"GROUP BY GROUPING SETS ({sets})"
        )
        counts: dict[str, list[tuple]] = {name: [] for name in names}
        with connection.cursor() as cursor:
            cursor.execute(grouped, params)
            for row in cursor.fetchall():
                for index, name in enumerate(names):
                    if row[2 * index] is not None:
                        counts[name].append((row[2 * index], row[2 * index + 1], row[-1]))
                        break
        return counts

    def similar(self, queryset, field_name, text, limit=10):
        from django.contrib.postgres.search import TrigramSimilarity

        return (
            queryset.annotate(similarity=TrigramSimilarity(field_name, text))
            .filter(Q(similarity__gt=0.2) | Q(**{f"{field_name}__icontains": text}))
            .order_by("-similarity", field_name)[:limit]
        )


class RegexBackend(SearchBackend):
    """SQLite (and anything else): each word must start a word in the text; no stemming, no ranking."""

    snippet_chars = 220

    @staticmethod
    def term_pattern(term: Term) -> str:
        return r"(?<!\w)" + r"\W+".join(re.escape(word) for word in term.words)

    def document_q(self, fields: list[str], q: str) -> Q:
        """True for a row whose ``fields``, taken together, satisfy the whole query."""
        parsed = q.query if isinstance(q, Prepared) else parse_query(q)
        if not parsed.groups:
            return Q()
        alternatives = Q(pk__in=[])
        for group in parsed.groups:
            clause = Q()
            for term in group:
                pattern = self.term_pattern(term)
                found = Q()
                for name in fields:
                    found |= Q(**{f"{name}__iregex": pattern})
                clause &= ~found if term.negated else found
            alternatives |= clause
        return alternatives

    def _paragraph_matches(self, q: str) -> QuerySet:
        from .models import Paragraph

        return Paragraph.objects.filter(self.document_q(["text"], q))

    def search_articles(self, queryset, q):
        matches = self.document_q(["title"], q) | Q(pk__in=self._paragraph_matches(q).values("article_id"))
        return queryset.filter(matches).annotate(rank=Value(0.0, output_field=FloatField()))

    def search_paragraphs(self, queryset, q):
        return queryset.filter(self.document_q(["text"], q)).annotate(
            rank=Value(0.0, output_field=FloatField())
        )

    def search_annotations(self, queryset, q):
        own = self.document_q(["claim_text", "conclusion", "body"], q)
        matches = own | Q(paragraph_id__in=self._paragraph_matches(q).values("pk"))
        return queryset.filter(matches).annotate(rank=Value(0.0, output_field=FloatField()))

    def headlines(self, queryset, expression, q):
        parsed = q.query if isinstance(q, Prepared) else parse_query(q)
        patterns = [
            re.compile(self.term_pattern(term), re.IGNORECASE)
            for group in parsed.groups
            for term in group
            if not term.negated
        ]
        rows = queryset.annotate(snippet_text=expression).values_list("pk", "snippet_text")
        return {pk: _marked_to_html(self.mark(text or "", patterns)) for pk, text in rows}

    def mark(self, text: str, patterns: list[re.Pattern]) -> str:
        spans = sorted(m.span() for pattern in patterns for m in pattern.finditer(text))
        begin = max(0, spans[0][0] - self.snippet_chars // 3) if spans else 0
        end = min(len(text), begin + self.snippet_chars)
        pieces, cursor = [], begin
        for start, stop in spans:
            if start < cursor or stop > end:
                continue
            pieces += [text[cursor:start], _START, text[start:stop], _STOP]
            cursor = stop
        pieces.append(text[cursor:end])
        return ("… " if begin else "") + "".join(pieces) + (" …" if end < len(text) else "")

    def similar(self, queryset, field_name, text, limit=10):
        return queryset.filter(**{f"{field_name}__icontains": text}).order_by(field_name)[:limit]


@functools.cache
def _backend_for(vendor: str) -> SearchBackend:
    return PostgresBackend() if vendor == "postgresql" else RegexBackend()


def backend() -> SearchBackend:
    return _backend_for(connection.vendor)


def co_occurring_tags(tag_slug: str, user=None, limit: int = 20) -> list[tuple]:
    """Tags found on the same articles or annotations as ``tag_slug``, with how many they share.

    Only what ``user`` may see is counted (published content for readers).
    """
    from taggit.models import Tag, TaggedItem

    from annotations.models import Annotation

    from .models import Article

    kinds = {
        ContentType.objects.get_for_model(Article).pk: Article.objects.visible_to(user).values("pk"),
        ContentType.objects.get_for_model(Annotation).pk: Annotation.objects.visible_to(user).values("pk"),
    }
    with_tag = TaggedItem.objects.filter(tag__slug=tag_slug)
    together = Q(pk__in=[])
    for content_type, visible in kinds.items():
        carriers = with_tag.filter(content_type=content_type, object_id__in=visible).values("object_id")
        together |= Q(content_type=content_type, object_id__in=carriers)
    counts = (
        TaggedItem.objects.filter(together)
        .exclude(tag__slug=tag_slug)
        .values("tag")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag__name")[:limit]
    )
    counts = list(counts)
    tags = Tag.objects.in_bulk([row["tag"] for row in counts])
    return [(tags[row["tag"]], row["n"]) for row in counts]
