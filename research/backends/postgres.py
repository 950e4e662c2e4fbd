"""PostgreSQL: stored ``tsvector`` columns, GIN indexes, ``websearch_to_tsquery`` per language.

The vectors of articles, paragraphs and annotations are kept current by triggers (annotations
migration 0007); a search entry's vector is its annotation's (weights A-C) with its passage's
(weight D), copied by ``index_entries``. ``ts_rank`` orders, ``ts_headline`` highlights the page
shown only, and trigram similarity finds tags and sources spelt slightly wrong.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from annotations.models import Annotation
from articles.models import Article, Paragraph

from ..query import ParsedQuery
from .base import ENTRY_FACETS, START, STOP, EntrySummary, Prepared, SearchBackend, marked_to_html


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

    def prepare(self, parsed: ParsedQuery) -> Prepared:
        """The tsquery for a parsed search.

        The search is parsed with the text-search configuration of every language in the archive,
        so each article is matched with its own language's stemming; parses that come out the same
        (English and Russian treat Latin-script words alike) are kept once.
        """
        with connection.cursor() as cursor:
            cursor.execute(self.TSQUERIES, [parsed.text])
            texts = sorted(text for (text,) in cursor.fetchall() if text)
            if not texts and not cursor.rowcount:
                cursor.execute("SELECT websearch_to_tsquery('simple', %s)::text", [parsed.text])
                texts = [text for (text,) in cursor.fetchall() if text]
        return Prepared(parsed, TsQuery(" | ".join(f"( {text} )" for text in texts)))

    def _paragraph_matches(self, query) -> QuerySet:
        return Paragraph.objects.filter(search_vector=query).order_by()

    def search_articles(self, queryset, search):
        query = search.query
        # A UNION of two index scans: an OR across them would make PostgreSQL read every row.
        by_title = Article.objects.filter(search_vector=query).order_by().values("pk")
        matches = by_title.union(self._paragraph_matches(query).values("article_id"))
        return queryset.filter(pk__in=matches).annotate(
            rank=_double(
                Coalesce(SearchRank(F("search_vector"), query), Value(0.0), output_field=FloatField())
            )
        )

    def rank_articles(self, queryset, search):
        rank = Coalesce(SearchRank(F("search_vector"), search.query), Value(0.0), output_field=FloatField())
        return queryset.annotate(rank=_double(rank))

    # A search's matches in date order (paragraphs, search entries) are read one range of dates at
    # a time: the newest ``FIRST_SPAN`` published articles' dates first, then a range as wide as the
    # matches found so far say the rest will need. In each range PostgreSQL picks its way: a common
    # word is found by walking the rows' date index and stopping at the limit, a rarer one by
    # intersecting its index with the range's (BitmapAnd), so only rows that are in both are read.
    # A word rare enough to need more than ``LAST_SPAN`` articles is read whole from its index: it
    # has few matches. At 100,000 articles a first range of 5,000 did best of 500 to 20,000: each of
    # the bench's words finds its window in 4 to 18 ms, where the plain query took up to 76.
    FIRST_SPAN = 5_000
    LAST_SPAN = 30_000

    def dated_rows(self, rows, ordering, date, fields, limit, newest):
        def ordered(part):
            first = F(date).desc(nulls_last=True) if newest else F(date).asc(nulls_last=True)
            return part.order_by(first, *ordering[1:])

        # Lookups for the dates still to read (``past`` the last range) and for a range's far end.
        if newest:
            dates, past, upto = F("published_on").desc(nulls_last=True), "lt", "gte"
        else:
            # Backwards along the same index: with undated articles left out, nulls first is no change.
            dates, past, upto = F("published_on").asc(nulls_first=True), "gt", "lte"
        dated = Article.objects.published().filter(published_on__isnull=False).order_by(dates, "pk")
        found: list[tuple] = []
        bound = None  # the ranges read so far end at this date
        span, read = self.FIRST_SPAN, 0
        while span <= self.LAST_SPAN:
            after = dated.filter(**{f"published_on__{past}": bound}) if bound else dated
            cutoff = after.values_list("published_on", flat=True)[span - 1 : span].first()
            if cutoff is None:
                break  # fewer than ``span`` dated articles are left: read them with the rest
            part = rows.filter(**{f"{date}__{upto}": cutoff})
            if bound:
                part = part.filter(**{f"{date}__{past}": bound})
            found += ordered(part).values_list(*fields)[: limit - len(found)]
            if len(found) >= limit:
                return found
            bound, read = cutoff, read + span
            # As many articles as the matches so far say the rest will need, and half as many again.
            wanted = (limit - len(found)) * read / len(found) if found else self.LAST_SPAN + 1
            span = max(int(wanted * 1.5), span * 2)
        rest = rows
        if bound:
            rest = rows.filter(Q(**{f"{date}__{past}": bound}) | Q(**{date: None}))
        return found + list(ordered(rest).values_list(*fields)[: limit - len(found)])

    def article_window(self, articles, paragraphs, search, size, newest):
        # A common word matches most articles: collecting every match to keep the newest would
        # read them all. Instead take the matching paragraphs in their articles' date order (the
        # planner walks the date index or the word's index, whichever reads fewer rows), and the
        # title matches the same way, then merge the two lists.
        def order(date, pk):
            return (
                [F(date).desc(nulls_last=True), F(pk).desc()]
                if newest
                else [F(date).asc(nulls_last=True), F(pk).asc()]
            )

        query = search.query
        date = F("article__published_on")
        text_order = [
            date.desc(nulls_last=True) if newest else date.asc(nulls_last=True),
            "article_id",
            "position",
        ]
        # Read matching paragraphs until ``size`` + 1 articles are known (or all were read).
        scan = size * 4
        while True:
            by_text = self.dated_rows(
                paragraphs, text_order, "search_date", ("article_id", "search_date"), scan, newest
            )
            if len(by_text) < scan or len({pk for pk, _date in by_text}) > size or scan >= size * 64:
                break
            scan *= 4
        if len(by_text) == scan and len({pk for pk, _date in by_text}) <= size:
            return None  # articles with very many matching paragraphs: filter the whole search
        by_title = list(
            articles.filter(search_vector=query)
            .order_by(*order("published_on", "pk"))
            .values_list("pk", "published_on")[: size + 1]
        )
        found = dict([*by_text, *by_title])
        sign = -1 if newest else 1

        def key(item) -> tuple:  # the list's order, undated articles last
            pk, date = item
            return (date is None, sign * date.toordinal() if date else 0, sign * pk)

        ranked = sorted(found.items(), key=key)
        if len(by_text) == scan:
            # The text matches were cut at ``scan`` rows: only articles up to the last one read are known.
            last = key(by_text[-1])
            ranked = [item for item in ranked if key(item) <= last]
        return [pk for pk, _date in ranked[: size + 1]]

    def search_paragraphs(self, queryset, search):
        query = search.query
        return queryset.filter(search_vector=query).annotate(
            rank=_double(SearchRank(F("search_vector"), query))
        )

    def search_annotations(self, queryset, search):
        query = search.query
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

    def search_entries(self, queryset, search):
        query = search.query
        return queryset.filter(search_vector=query).annotate(
            rank=_double(SearchRank(F("search_vector"), query))
        )

    def index_entries(self, ids):
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE research_searchentry AS e "
                "SET search_vector = a.search_vector || setweight(coalesce(p.search_vector, ''), 'D') "
                "FROM annotations_annotation AS a "
                "LEFT JOIN articles_paragraph AS p ON p.id = a.paragraph_id "
                "WHERE a.id = e.annotation_id AND e.annotation_id = ANY(%s)",
                [list(ids)],
            )

    def fill_entries(self):
        # One INSERT ... SELECT: the same rows ``research.index`` makes in batches, for a whole
        # archive at once (a restore, a synthetic load). The lock makes a writer's refresh wait
        # until these rows are committed, so it then recomputes its own entries over them.
        content_type = ContentType.objects.get_for_model(Annotation).pk
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE research_searchentry IN EXCLUSIVE MODE")
            cursor.execute(
                "INSERT INTO research_searchentry (annotation_id, article_id, paragraph_id, start, kind, "
                "rating_id, outlet_id, author_id, language, published_on, year, tag_ids, search_vector) "
                "SELECT a.id, a.article_id, a.paragraph_id, a.start, a.kind, a.rating_id, ar.outlet_id, "
                "ar.author_id, coalesce(ar.language, ''), ar.published_on, "
                "extract(year FROM ar.published_on)::smallint, "
                "coalesce((SELECT array_agg(DISTINCT t.tag_id ORDER BY t.tag_id) FROM taggit_taggeditem AS t "
                "          WHERE t.content_type_id = %s AND t.object_id = a.id), '{}'), "
                "a.search_vector || setweight(coalesce(p.search_vector, ''), 'D') "
                "FROM annotations_annotation AS a "
                "JOIN articles_article AS ar ON ar.id = a.article_id "
                "LEFT JOIN articles_paragraph AS p ON p.id = a.paragraph_id "
                "WHERE a.status = %s AND ar.status = %s",
                [content_type, Annotation.Status.PUBLISHED, Article.Status.PUBLISHED],
            )
            return cursor.rowcount

    def repair_row_dates(self):
        # The triggers keep these copies; only a paragraph inserted before its article, in one
        # transaction (foreign keys are checked at commit), escapes them.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_paragraph AS p SET search_date = a.published_on FROM articles_article AS a "
                "WHERE a.id = p.article_id AND p.search_date IS DISTINCT FROM a.published_on"
            )
            return cursor.rowcount

    def truncate_entries(self):
        # TRUNCATE leaves a fresh, compact table where DELETE leaves every old row as dead space.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE research_searchentry")
        return True

    def analyse_archive(self):
        # After a bulk load: VACUUM as well, which marks the new pages all-visible, so that the lists'
        # index-only scans need not visit the table. VACUUM cannot run inside a transaction.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

    def analyse_entries(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE research_searchentry")

    def entry_summary(self, entries):
        # One pass over the matching entries: each row is joined to its tags (WITH ORDINALITY, so
        # that its first tag, or its lack of tags, stands for the row itself), then GROUPING SETS
        # count the facets and the tags at once. Outlet by rating (the chart) is one set; the
        # outlet and rating facets and the total are its sums.
        try:
            sql, params = entries.order_by().values_list(*ENTRY_FACETS, "tag_ids").query.sql_with_params()
        except EmptyResultSet:
            return EntrySummary()
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

    def headlines(self, queryset, expression, search):
        query = search.query
        language = "language" if queryset.model._meta.model_name == "article" else "article__language"
        rows = queryset.annotate(
            snippet=SearchHeadline(
                expression,
                query,
                config=Func(F(language), function="glossa_search_config"),
                start_sel=START,
                stop_sel=STOP,
                **self.headline_options,
            )
        ).values_list("pk", "snippet")
        return {pk: marked_to_html(snippet or "") for pk, snippet in rows}

    def facet_counts(self, rows, names, distinct=True):
        # One pass over the results for every facet (GROUPING SETS), not one query per facet.
        try:
            sql, params = rows.order_by().query.sql_with_params()
        except EmptyResultSet:
            return {name: [] for name in names}
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
        return (
            queryset.annotate(similarity=TrigramSimilarity(field_name, text))
            .filter(Q(similarity__gt=0.2) | Q(**{f"{field_name}__icontains": text}))
            .order_by("-similarity", field_name)[:limit]
        )
