"""Absurd query-string values on the public lists get a message or are ignored, never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from tests.data import SEARCH_FILTERS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ABSURD = [
    "99999999999999999999",
    "-1",
    "0",
    "10000",
    "1e5",
    "2021.5",
    "NaN",
    "Infinity",
    "nineteen",
    "20\x0021",
    "\x00",
    "-99999999999999999999",
    "",
]
ARTICLE_FIELDS = ["year", "tag", "outlet", "author", "language", "fact_checked", "page"]
CLAIM_FIELDS = ["rating", "tag", "outlet", "author", "page"]


@pytest.fixture
def listed(db):
    ArticleFactory(title="Listed piece", published_on=date(2024, 5, 1))


@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_archive_answers_absurd_filter_values_without_crashing(client, listed, field, value):
    response = client.get("/articles/", {field: value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.parametrize("field", CLAIM_FIELDS)
def test_claims_list_answers_absurd_filter_values_without_crashing(client, listed, field, value):
    response = client.get("/claims/", {field: value})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999999999", "Ensure this value is less than or equal to 9999."),
        ("-1", "Ensure this value is greater than or equal to 1."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("2021.5", "Enter a whole number."),
        ("20\x0021", "Enter a whole number."),
    ],
)
def test_an_out_of_range_or_fractional_year_is_named(client, listed, value, message):
    html = client.get("/articles/", {"year": value}).content.decode()
    assert message in html


def test_a_year_in_range_still_filters(client, listed):
    ArticleFactory(title="Older piece", published_on=date(2021, 5, 1))
    html = client.get("/articles/", {"year": "2021"}).content.decode()
    assert ">Older piece</a>" in html and ">Listed piece</a>" not in html


SEARCH_FIELDS = [*SEARCH_FILTERS, "type"]


@pytest.mark.parametrize("value", ABSURD + ["99999-01-01", "0000-00-00", "-2024-01-01"])
@pytest.mark.parametrize("field", SEARCH_FIELDS)
def test_search_answers_absurd_filter_values_without_crashing(client, listed, field, value):
    response = client.get("/search/", {field: value})
    assert response.status_code in (200, 400)
