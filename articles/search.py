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
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Lookup,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
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


# The columns of a search entry that facets count, in the order entry_summary() reads them.
ENTRY_FACETS = ("rating_id", "outlet_id", "author_id", "kind", "year")


@dataclass
class EntrySummary:
    """Counts over a set of search entries: what the facet sidebar and the chart show."""

    total: int = 0
    by: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in ENTRY_FACETS})
    outlet_rating: Counter = field(default_factory=Counter)  # (outlet id, rating id) -> entries
    tags: Counter = field(default_factory=Counter)  # tag id -> entries


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

    def search_entries(self, queryset: QuerySet, q: str) -> QuerySet:
        """Search index entries whose annotation text or passage, taken together, match ``q``."""
        raise NotImplementedError

    def index_entries(self, ids: list[int]) -> None:
        """Fill in what the backend keeps on these search entries beyond their plain columns."""

    def truncate_entries(self) -> bool:
        """Empty the search index in one go where the database can; False where it cannot."""
        return False

    def analyse_entries(self) -> None:
        """Bring the planner's statistics up to date after the whole index was rebuilt."""

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


class IdSetField(models.Field):
    """A set of integer ids held in one column: the tags of a search entry.

    PostgreSQL stores ``integer[]`` (GIN-indexed: ``@>`` for all of several ids, ``&&`` for any);
    other databases store the sorted ids as text, ``",3,17,"``, matched with LIKE. Python sees a
    sorted list of ints either way.
    """

    description = "A set of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value) -> list[int]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return sorted({int(v) for v in value.strip(",").split(",") if v})
        return sorted({int(v) for v in value})

    def get_db_prep_value(self, value, connection, prepared=False):
        ids = self.to_python(value)
        if connection.vendor == "postgresql":
            return ids
        return "," + "".join(f"{i}," for i in ids)


class _IdSetLookup(Lookup):
    """``field__has_all=[ids]`` / ``field__has_any=[ids]``; an empty list matches everything."""

    prepare_rhs = False
    joiner = " AND "
    operator = "@>"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted({int(i) for i in self.rhs})
        if not ids:
            return "1 = 1", []
        if connection.vendor == "postgresql":
            return f"{lhs} {self.operator} %s::integer[]", [*lhs_params, ids]
        clauses = self.joiner.join(f"{lhs} LIKE %s" for _ in ids)
        params = []
        for i in ids:
            params += [*lhs_params, f"%,{i},%"]
        return f"({clauses})", params


@IdSetField.register_lookup
class HasAll(_IdSetLookup):
    lookup_name = "has_all"


@IdSetField.register_lookup
class HasAny(_IdSetLookup):
    lookup_name = "has_any"
    joiner = " OR "
    operator = "&&"


def _double(rank):
    # ts_rank() is a float4, whose text form a client reads back as a slightly different double;
    # as a double the value survives a round trip exactly, so a cursor can compare against it.
    return Cast(rank, FloatField())


class TsQuery(SearchQuery):
    """A tsquery given in its text form (already parsed and normalised): cast, not parsed again."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")
        self.text = text

    def as_sql(self, compiler, connection, function=None, template=None):
        return "%s::tsquery", [self.text]


def _marked_to_html(marked: str) -> SafeString:
    return mark_safe(escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


class PostgresBackend(SearchBackend):
    headline_options = {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}

    # The languages in use, found by skipping through the language index (a loose index scan)
    # rather than reading every article, then ``q`` parsed once with each one's configuration.
    TSQUERIES = """
        WITH RECURSIVE languages(code) AS (
            (SELECT language FROM articles_article ORDER BY language LIMIT 1)
            UNION ALL
            SELECT (SELECT a.language FROM articles_article AS a
                     WHERE a.language > languages.code ORDER BY a.language LIMIT 1)
              FROM languages WHERE languages.code IS NOT NULL
        )
        SELECT DISTINCT websearch_to_tsquery(glossa_search_config(code), %s)::text
          FROM languages WHERE code IS NOT NULL
    """

    def query(self, q):
        """The tsquery for ``q``; a query from prepare() is passed through as it is.

        ``q`` is parsed with the text-search configuration of every language in the archive, so
        each article is matched with its own language's stemming; parses that come out the same
        (English and Russian treat Latin-script words alike) are kept once.
        """
        if isinstance(q, Prepared):
            return q.query
        parse_query(q)
        with connection.cursor() as cursor:
            cursor.execute(self.TSQUERIES, [q])
            parsed = sorted(text for (text,) in cursor.fetchall() if text)
            if not parsed and not cursor.rowcount:
                cursor.execute("SELECT websearch_to_tsquery('simple', %s)::text", [q])
                parsed = [text for (text,) in cursor.fetchall() if text]
        return TsQuery(" | ".join(f"( {text} )" for text in parsed))

    def prepare(self, q: str) -> Prepared:
        return Prepared(q, self.query(q))

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
            rank=_double(
                Coalesce(SearchRank(F("search_vector"), query), Value(0.0), output_field=FloatField())
            )
        )

    def search_paragraphs(self, queryset, q):
        from django.contrib.postgres.search import SearchRank

        query = self.query(q)
        return queryset.filter(search_vector=query).annotate(
            rank=_double(SearchRank(F("search_vector"), query))
        )

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
        return queryset.filter(pk__in=matches).annotate(rank=_double(rank))

    def search_entries(self, queryset, q):
        from django.contrib.postgres.search import SearchRank

        query = self.query(q)
        return queryset.filter(search_vector=query).annotate(
            rank=_double(SearchRank(F("search_vector"), query))
        )

    def index_entries(self, ids):
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE annotations_searchentry AS e "
                "SET search_vector = a.search_vector || setweight(coalesce(p.search_vector, ''), 'D') "
                "FROM annotations_annotation AS a "
                "LEFT JOIN articles_paragraph AS p ON p.id = a.paragraph_id "
                "WHERE a.id = e.annotation_id AND e.annotation_id = ANY(%s)",
                [list(ids)],
            )

    def truncate_entries(self):
        # TRUNCATE leaves a fresh, compact table where DELETE leaves every old row as dead space.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE annotations_searchentry")
        return True

    def analyse_entries(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE annotations_searchentry")

    def entry_summary(self, entries):
        # One pass over the matching entries: each row is joined to its tags (WITH ORDINALITY, so
        # that its first tag, or its lack of tags, stands for the row itself), then GROUPING SETS
        # count the facets and the tags at once. Outlet by rating (the chart) is one set; the
        # outlet and rating facets and the total are its sums.
        sql, params = entries.order_by().values_list(*ENTRY_FACETS, "tag_ids").query.sql_with_params()
        single = [name for name in ENTRY_FACETS if name not in ("outlet_id", "rating_id")]
        sets = ["(outlet_id, rating_id)", *(f"({name})" for name in single), "(tag_id)"]
        grouped = (
            f"SELECT GROUPING(outlet_id, {', '.join(single)}, tag_id), outlet_id, rating_id, "  # noqa: S608 (our own SQL)
            f"{', '.join(single)}, tag_id, "
            "COUNT(*) FILTER (WHERE tag_number IS NULL OR tag_number = 1), COUNT(tag_id) "
            f"FROM ({sql}) AS results "
            "LEFT JOIN LATERAL unnest(results.tag_ids) WITH ORDINALITY AS tags(tag_id, tag_number) ON true "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        # GROUPING() sets a bit, first column highest, for each column left out of the set.
        names = ["outlet_id", *single, "tag_id"]
        bits = {name: 1 << (len(names) - 1 - index) for index, name in enumerate(names)}
        everything = (1 << len(names)) - 1
        which = {everything & ~bits[name]: name for name in names}
        summary = EntrySummary()
        with connection.cursor() as cursor:
            cursor.execute(grouped, params)
            for grouping, outlet_id, rating_id, *values, tag_id, rows, tagged in cursor.fetchall():
                name = which[grouping]
                if name == "tag_id":
                    if tag_id is not None:
                        summary.tags[tag_id] = tagged
                elif name == "outlet_id":
                    summary.outlet_rating[(outlet_id, rating_id)] = rows
                    summary.by["outlet_id"][outlet_id] += rows
                    summary.by["rating_id"][rating_id] += rows
                    summary.total += rows
                else:
                    summary.by[name][values[single.index(name)]] = rows
        return summary

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
    """SQLite (and anything else): each word must start a word in the text; no stemming.

    Relevance is simple: for every word or phrase searched for, the weight of the most important
    field that holds it (claim 1, conclusion 0.4, note 0.2, passage 0.1, as PostgreSQL's
    default weights for A to D), summed.
    """

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

    def rank(self, weighted: list[tuple[str, float]], q):
        """The relevance of a row: per term searched for, the weight of the best field holding it."""
        parsed = q.query if isinstance(q, Prepared) else parse_query(q)
        terms = dict.fromkeys(t for group in parsed.groups for t in group if not t.negated)
        total = Value(0.0, output_field=FloatField())
        for term in terms:
            pattern = self.term_pattern(term)
            best_first = sorted(weighted, key=lambda pair: -pair[1])
            total = total + Case(
                *(When(Q(**{f"{name}__iregex": pattern}), then=Value(weight)) for name, weight in best_first),
                default=Value(0.0),
                output_field=FloatField(),
            )
        return ExpressionWrapper(total, output_field=FloatField())

    def search_articles(self, queryset, q):
        matches = self.document_q(["title"], q) | Q(pk__in=self._paragraph_matches(q).values("article_id"))
        # As on PostgreSQL, only the title ranks an article.
        return queryset.filter(matches).annotate(rank=self.rank([("title", 1.0)], q))

    def search_paragraphs(self, queryset, q):
        return queryset.filter(self.document_q(["text"], q)).annotate(rank=self.rank([("text", 1.0)], q))

    def search_annotations(self, queryset, q):
        own = self.document_q(["claim_text", "conclusion", "body"], q)
        matches = own | Q(paragraph_id__in=self._paragraph_matches(q).values("pk"))
        weights = [("claim_text", 1.0), ("conclusion", 0.4), ("body", 0.2), ("paragraph__text", 0.1)]
        return queryset.filter(matches).annotate(rank=self.rank(weights, q))

    def search_entries(self, queryset, q):
        weights = [
            ("annotation__claim_text", 1.0),
            ("annotation__conclusion", 0.4),
            ("annotation__body", 0.2),
            ("paragraph__text", 0.1),
        ]
        fields = [name for name, _weight in weights]
        return queryset.filter(self.document_q(fields, q)).annotate(rank=self.rank(weights, q))

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
