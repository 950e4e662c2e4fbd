"""A search ranks, counts and facets a window of its newest results, and says so when more match."""

from __future__ import annotations

import datetime

import pytest

from research.filters import AnnotationSearchFilter, ArticleSearchFilter, ParagraphSearchFilter
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_windows(monkeypatch):
    for filterset in (AnnotationSearchFilter, ArticleSearchFilter, ParagraphSearchFilter):
        monkeypatch.setattr(filterset, "window", 3)


@pytest.fixture
def six(db):
    made = []
    for day in range(1, 7):
        article = ArticleFactory(title=f"Piece {day}", published_on=datetime.date(2024, 3, day))
        paragraph = ParagraphFactory(article=article, text=f"The pipeline story number {day} goes on.")
        made.append(AnnotationFactory(paragraph=paragraph, exact="pipeline", body="About the pipeline."))
    return made


@pytest.mark.parametrize("kind", ["annotations", "paragraphs", "articles"])
def test_a_search_matching_more_than_its_window_says_so(client, small_windows, six, kind):
    page = client.get("/search/", {"q": "pipeline", "type": kind}).content.decode()
    assert f"More than 3 {kind}" in page
    assert "the 3 newest are ranked, counted and shown here" in page
    # The newest three are the ones shown.
    assert "Piece 6" in page and "Piece 4" in page and "Piece 1" not in page


def test_a_search_within_its_window_counts_exactly(client, small_windows, six):
    page = client.get("/search/", {"q": "story number 2"}).content.decode()
    assert "More than" not in page


def test_the_api_says_when_a_count_is_a_lower_bound(client, small_windows, six):
    data = client.get("/api/annotations/", {"q": "pipeline"}).json()
    assert data["count"] == 3 and data["count_is_exact"] is False
    exact = client.get("/api/annotations/", {"q": '"story number 2"'}).json()
    assert exact["count_is_exact"] is True


def test_cursor_pages_in_date_order_reach_every_result(client, small_windows, six):
    seen, params = [], {"q": "pipeline", "sort": "newest", "cursor": "", "per_page": 2}
    while True:
        data = client.get("/api/annotations/", params).json()
        seen += [row["id"] for row in data["results"]]
        if not data["next"]:
            break
        params["cursor"] = data["next"].split("cursor=")[1].split("&")[0]
    assert sorted(seen) == sorted(a.pk for a in six)


def test_exports_take_every_result(client, small_windows, six):
    import json

    response = client.get("/search/", {"q": "pipeline", "format": "json"})
    document = json.loads(b"".join(response.streaming_content))
    records = document["results"] if isinstance(document, dict) else document
    assert len(records) == 6
