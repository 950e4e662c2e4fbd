"""A search's first paragraphs and annotations in date order, read one range of dates at a time on
PostgreSQL, are exactly the ones the plain ordered query gives; the paragraph's copy of its
article's date follows the article's. (On SQLite the same tests hold the plain fallback to the
filtersets' order.)"""

from __future__ import annotations

import datetime
import os
import random

import pytest
from django.db import connection

from articles.models import Article, Paragraph
from research import index
from research.backends.postgres import PostgresBackend
from research.filters import FILTERSETS, AnnotationSearchFilter, ParagraphSearchFilter
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")


@pytest.fixture
def archive(db):
    """Forty articles on twenty dates (ties), three undated and two drafts; "pipeline" in most of
    their paragraphs, "kazakhstan" in one in ten, "treaty" in two; an annotation on every third
    paragraph, so that annotation searches (their search entries) have the same spread."""
    chooser = random.Random(7)
    dates = [datetime.date(2020, 1, 1) + datetime.timedelta(days=19 * n) for n in range(20)]
    made = 0
    for number in range(45):
        article = ArticleFactory(
            title=f"Piece {number}",
            published_on=None if number % 15 == 14 else chooser.choice(dates),
            status=Article.Status.DRAFT if number in (5, 22) else Article.Status.PUBLISHED,
        )
        for position in range(4):
            made += 1
            words = ["The pipeline report goes on."]
            if made % 10 == 3:
                words.append("Kazakhstan signed it.")
            if made in (18, 141):
                words.append("A treaty was read.")
            paragraph = ParagraphFactory(article=article, position=position, text=" ".join(words))
            if made % 3 == 0:
                AnnotationFactory(paragraph=paragraph, exact="report", claim_text="", conclusion="")
    index.rebuild()


def first(filterset_class, word, newest, limit):
    """The filterset's first ``limit`` ids for ``word``, and the plain ordered query's."""
    data = {"q": word, "sort": "newest" if newest else "oldest"}
    filterset = filterset_class(data, queryset=FILTERSETS[filterset_class.data_type][1]())
    assert filterset.is_valid()
    matches = filterset.search(filterset.queryset, filterset.prepared_search)
    plain = list(matches.order_by(*filterset.ordering()).values_list("pk", flat=True))
    return filterset.first_ids(matches, limit), plain[:limit], plain


@pytest.mark.parametrize("filterset_class", [ParagraphSearchFilter, AnnotationSearchFilter])
@pytest.mark.parametrize("word", ["pipeline", "kazakhstan", "treaty", "absent"])
@pytest.mark.parametrize("newest", [True, False])
def test_the_first_matches_are_the_plain_querys(archive, monkeypatch, filterset_class, word, newest):
    # Spans of a few articles, so that the ranges, their growth and the final read all happen here.
    monkeypatch.setattr(PostgresBackend, "FIRST_SPAN", 2)
    monkeypatch.setattr(PostgresBackend, "LAST_SPAN", 12)
    _found, _expected, everything = first(filterset_class, word, newest, 10_000)
    assert (word == "absent") == (not everything)
    for limit in (1, 3, 7, 20, 61, len(everything), len(everything) + 5):
        found, expected, _all = first(filterset_class, word, newest, limit)
        assert found == expected, limit


@pytest.mark.parametrize("newest", [True, False])
def test_a_paragraph_search_page_shows_the_newest_matches(client, archive, monkeypatch, newest):
    monkeypatch.setattr(ParagraphSearchFilter, "window", 5)
    monkeypatch.setattr(PostgresBackend, "FIRST_SPAN", 2)
    filterset = ParagraphSearchFilter(
        {"q": "kazakhstan", "sort": "newest" if newest else "oldest"}, queryset=Paragraph.objects.published()
    )
    shown = list(filterset.qs.values_list("pk", flat=True))
    _found, expected, _all = first(ParagraphSearchFilter, "kazakhstan", newest, 5)
    assert filterset.window_full
    assert shown == expected


@postgresql_only
def test_a_paragraph_takes_its_articles_date_and_follows_it(db):
    article = ArticleFactory(published_on=datetime.date(2023, 5, 1))
    other = ArticleFactory(published_on=None)
    paragraph = ParagraphFactory(article=article, position=0, text="First words.")

    def stored():
        return Paragraph.objects.values_list("search_date", flat=True).get(pk=paragraph.pk)

    assert stored() == datetime.date(2023, 5, 1)
    article.published_on = datetime.date(2024, 2, 9)
    article.save()
    assert stored() == datetime.date(2024, 2, 9)
    # A save of the paragraph cannot write a stale date over its article's.
    paragraph.save()
    assert stored() == datetime.date(2024, 2, 9)
    Paragraph.objects.filter(pk=paragraph.pk).update(article=other)
    assert stored() is None
    Article.objects.filter(pk=other.pk).update(published_on=datetime.date(2021, 1, 2))
    assert stored() == datetime.date(2021, 1, 2)


@postgresql_only
def test_rebuilding_the_index_dates_a_paragraph_written_before_its_article(db):
    from django.core.management import call_command

    # Foreign keys are checked at commit: a paragraph may be inserted before its article, and the
    # trigger then finds no date to copy. Nothing in Glossa writes in that order; raw SQL might.
    article_id = 987_654
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_paragraph (article_id, position, role, text, key) "
            "VALUES (%s, 0, 'body', 'Early words.', 'early001')",
            [article_id],
        )
    ArticleFactory(pk=article_id, published_on=datetime.date(2022, 7, 3))
    paragraph = Paragraph.objects.get(key="early001")
    assert Paragraph.objects.values_list("search_date", flat=True).get(pk=paragraph.pk) is None
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Paragraph.objects.values_list("search_date", flat=True).get(pk=paragraph.pk) == datetime.date(
        2022, 7, 3
    )
