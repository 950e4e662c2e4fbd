"""A search's first paragraphs in date order, read one range of dates at a time on PostgreSQL, are
exactly the ones the plain ordered query gives; the date they are read by follows the article's."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import F

from articles.models import Article, Paragraph
from research.backends import backend
from research.backends.postgres import PostgresBackend
from research.query import parse_query
from tests.factories import ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")


@pytest.fixture
def archive(db):
    """Forty articles on twenty dates (ties), three undated and two drafts; "pipeline" in most of
    their paragraphs, "kazakhstan" in one in ten, "treaty" in two."""
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
            if made in (17, 140):
                words.append("A treaty was read.")
            ParagraphFactory(article=article, position=position, text=" ".join(words))


def plain(paragraphs, newest):
    date = F("article__published_on")
    first = date.desc(nulls_last=True) if newest else date.asc(nulls_last=True)
    return list(paragraphs.order_by(first, "article_id", "position").values_list("pk", flat=True))


@pytest.mark.parametrize("word", ["pipeline", "kazakhstan", "treaty", "absent"])
@pytest.mark.parametrize("newest", [True, False])
def test_the_first_paragraphs_are_the_plain_querys(archive, monkeypatch, word, newest):
    # Spans of a few articles, so that the ranges, their growth and the final read all happen here.
    monkeypatch.setattr(PostgresBackend, "FIRST_SPAN", 2)
    monkeypatch.setattr(PostgresBackend, "LAST_SPAN", 12)
    search = backend().prepare(parse_query(word))
    matches = backend().search_paragraphs(Paragraph.objects.published(), search)
    expected = plain(matches, newest)
    assert (word == "absent") == (not expected)
    for limit in (1, 3, 7, 20, 61, len(expected), len(expected) + 5):
        found = backend().dated_paragraphs(matches, ("pk",), limit, newest)
        assert [pk for (pk,) in found] == expected[:limit], limit


@pytest.mark.parametrize("newest", [True, False])
def test_a_paragraph_search_page_shows_the_newest_matches(client, archive, monkeypatch, newest):
    from research.filters import ParagraphSearchFilter

    monkeypatch.setattr(ParagraphSearchFilter, "window", 5)
    monkeypatch.setattr(PostgresBackend, "FIRST_SPAN", 2)
    filterset = ParagraphSearchFilter(
        {"q": "kazakhstan", "sort": "newest" if newest else "oldest"}, queryset=Paragraph.objects.published()
    )
    shown = list(filterset.qs.values_list("pk", flat=True))
    search = backend().prepare(parse_query("kazakhstan"))
    expected = plain(backend().search_paragraphs(Paragraph.objects.published(), search), newest)
    assert filterset.window_full
    assert shown == expected[:5]


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
