from __future__ import annotations

import pytest

from tests.data import SEARCH_FILTERS
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_the_index_links_every_endpoint(client):
    data = get(client, "/api/").json()
    assert set(data) == {"articles", "paragraphs", "annotations", "sources", "tags", "ratings", "schema"}


def test_articles_come_with_their_paragraphs_in_order(client, archive):
    data = get(client, "/api/articles/").json()
    assert data["count"] == 2
    pension = next(a for a in data["results"] if a["id"] == archive.pension.pk)
    assert [p["position"] for p in pension["paragraphs"]] == [1, 2]
    assert pension["paragraphs"][0]["text"].startswith("The pension age")


def test_an_article_by_id_and_a_draft_is_not_found(client, archive):
    assert get(client, f"/api/articles/{archive.pension.pk}/").json()["title"] == "Pension reform"
    response = get(client, f"/api/articles/{archive.draft_article.pk}/")
    assert response.status_code == 404
    assert "No published article" in response.json()["errors"]["id"][0]


def test_annotations_take_the_search_filters(client, archive):
    data = get(client, "/api/annotations/", tag=["energy", "tariffs"], match="any", kind="claim").json()
    assert {a["id"] for a in data["results"]} == {archive.pipeline_claim.pk, archive.pension_claim.pk}
    data = get(client, "/api/annotations/", q="budget").json()
    assert [a["id"] for a in data["results"]] == [archive.pipeline_claim.pk]


def test_drafts_never_reach_the_api(client, archive):
    for url in ("/api/articles/", "/api/annotations/", "/api/paragraphs/", "/api/tags/", "/api/sources/"):
        text = get(client, url).content.decode()
        assert "secretword" not in text and "hiddentag" not in text, url
    assert get(client, f"/api/annotations/{archive.draft_annotation.pk}/").status_code == 404


def test_pages_link_to_each_other(client, archive):
    first = get(client, "/api/annotations/", per_page=3).json()
    assert first["count"] == 4 and len(first["results"]) == 3
    assert first["next"].endswith("per_page=3&page=2")
    second = get(client, "/api/annotations/", per_page=3, page=2).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2024-99-01"}, "from", "Enter dates as YYYY-MM-DD"),
        ({"rating": "fantastic"}, "rating", "Unknown rating"),
        ({"tag": "nosuchtag"}, "tag", "Unknown tag"),
        ({"page": "1000000"}, "page", "too large"),
        ({"page": "40"}, "page", "Page 40 does not exist"),
        ({"per_page": "5000"}, "per_page", "between 1 and 100"),
        ({"per_page": "lots"}, "per_page", "whole number"),
        ({"q": "-"}, "q", "no words to look for"),
        ({"q": "a" * 300}, "q", "the limit is 200"),
        ({"type": "articles"}, "type", "one type"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, archive, params, field, message):
    response = get(client, "/api/annotations/", **params)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])


@pytest.mark.parametrize("url", ["/api/tags/", "/api/sources/"])
def test_look_ups_refuse_null_characters_and_long_text(client, url):
    response = get(client, url, q="a\x00b")
    assert response.status_code == 400
    assert "Null characters" in response.json()["errors"]["q"][0]
    assert get(client, url, q="x" * 101).status_code == 400


def test_the_api_is_read_only(client):
    response = client.post("/api/articles/")
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"


def test_tags_count_published_use(client, archive):
    tags = {t["slug"]: t for t in get(client, "/api/tags/").json()["results"]}
    assert tags["energy"]["articles"] == 1
    assert tags["energy"]["annotations"] == 2
    assert "hiddentag" not in tags


def test_tag_and_source_look_up_by_name(client, archive):
    assert [t["slug"] for t in get(client, "/api/tags/", q="pension").json()["results"]] == ["pensions"]
    sources = get(client, "/api/sources/", q="household energy").json()["results"]
    assert [s["title"] for s in sources] == ["Household energy statistics"]


def test_sources_cited_only_by_drafts_are_hidden(client, archive):
    from tests.factories import CitationFactory, SourceFactory

    CitationFactory(annotation=archive.draft_annotation, source=SourceFactory(title="Leaked memo"))
    titles = [s["title"] for s in get(client, "/api/sources/").json()["results"]]
    assert "Leaked memo" not in titles


def test_ratings_list_the_scale(client, db):
    slugs = [r["slug"] for r in get(client, "/api/ratings/").json()["results"]]
    assert slugs[0] == "true" and "false" in slugs


def test_the_schema_describes_every_path(client):
    schema = get(client, "/api/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/articles/", "/api/annotations/", "/api/sources/", "/api/tags/", "/api/ratings/"} <= set(
        schema["paths"]
    )
    names = {p["name"] for p in schema["paths"]["/api/annotations/"]["get"]["parameters"]}
    assert set(SEARCH_FILTERS) <= names


def test_api_lists_keep_a_fixed_query_budget(client, django_assert_max_num_queries):
    for _n in range(25):
        article = ArticleFactory()
        article.tags.add("energy")
        AnnotationFactory(paragraph=ParagraphFactory(article=article, position=1))
        ParagraphFactory(article=article, position=2)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/articles/", {"per_page": 25}).json()["results"]) == 25
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/annotations/", {"per_page": 25}).json()["results"]) == 25


@pytest.fixture
def crowd(archive):
    """Ties and empty values for the cursors: shared dates, an undated article, whole-paragraph
    annotations (no start) and an orphan (no paragraph)."""
    import datetime

    from annotations.models import Annotation

    for n in range(5):
        article = ArticleFactory(
            published_on=None if n == 4 else datetime.date(2024, 5, 1 + n % 2),
            title=f"Pipeline budget {n}",
        )
        paragraphs = [
            ParagraphFactory(article=article, position=p, text=f"The pipeline budget, part {p}.")
            for p in (1, 2)
        ]
        for paragraph in paragraphs:
            AnnotationFactory(paragraph=paragraph, exact="", claim_text="Pipeline budget claim.")
            AnnotationFactory(paragraph=paragraph, exact="pipeline", claim_text="Pipeline budget claim.")
        if n == 3:
            paragraphs[1].delete()  # its two annotations become orphans
    assert Annotation.objects.filter(paragraph=None, status="published").exists()


def walk(client, url, **params) -> list[int]:
    seen, cursor = [], ""
    for _ in range(200):
        data = get(client, url, cursor=cursor, **params).json()
        seen += [item["id"] for item in data["results"]]
        if data["next"] is None:
            return seen
        cursor = data["next"].split("cursor=")[1].split("&")[0]
    raise AssertionError("the cursors never ended")


@pytest.mark.parametrize("url", ["/api/annotations/", "/api/paragraphs/", "/api/articles/"])
@pytest.mark.parametrize(
    "params", [{}, {"sort": "oldest"}, {"q": "pipeline budget"}, {"q": "budget", "sort": "oldest"}]
)
def test_cursors_walk_the_same_order_as_pages(client, crowd, url, params):
    listed = get(client, url, per_page=100, **params).json()
    expected = [item["id"] for item in listed["results"]]
    assert len(expected) == listed["count"] > 3
    assert walk(client, url, per_page=1, **params) == expected
    assert walk(client, url, per_page=3, **params) == expected


def test_a_cursor_page_says_how_many_there_are_in_all(client, crowd):
    data = get(client, "/api/annotations/", cursor="", per_page=2).json()
    assert data["count"] == get(client, "/api/annotations/").json()["count"]
    assert len(data["results"]) == 2 and data["cursor"] == "" and "cursor=" in data["next"]


def test_a_cursor_keeps_its_place_when_new_results_arrive(client, crowd):
    import datetime

    first = get(client, "/api/annotations/", cursor="", per_page=4).json()
    shown = [item["id"] for item in first["results"]]
    newest = ArticleFactory(published_on=datetime.date.today())
    added = AnnotationFactory(
        paragraph=ParagraphFactory(article=newest, text="A new pipeline budget."), exact=""
    )
    now = walk(client, "/api/annotations/", per_page=100)
    assert now[0] == added.pk  # it sorts first: with pages, page 2 would repeat one already seen
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    resumed = [
        item["id"] for item in get(client, "/api/annotations/", cursor=cursor, per_page=100).json()["results"]
    ]
    assert resumed == now[now.index(shown[-1]) + 1 :]
    assert not set(resumed) & set(shown)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cursor": "not-a-cursor"}, "not one this search gave"),
        ({"cursor": "", "page": "2"}, "either page or cursor"),
        ({"cursor": "x" * 2000}, "longer than any"),
    ],
)
def test_bad_cursors_are_a_400(client, archive, params, message):
    response = get(client, "/api/annotations/", **params)
    assert response.status_code == 400
    assert message in response.json()["errors"]["cursor"][0]


def test_a_cursor_from_another_sort_is_refused(client, crowd):
    data = get(client, "/api/annotations/", cursor="", per_page=2).json()
    cursor = data["next"].split("cursor=")[1].split("&")[0]
    response = get(client, "/api/annotations/", cursor=cursor, sort="oldest")
    assert response.status_code == 400
    assert "not one this search gave" in response.json()["errors"]["cursor"][0]


def cursor_of(values: list) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "values",
    [
        [10**30, "2020-01-01", 1, 1, 1, 1],
        ["x", "2020-01-01", 10**30, 1, 1, 1],
        ["x", "NaN-date", 1, 1, 1, 1],
        "not a list",
        [],
    ],
)
def test_forged_cursors_are_a_400_not_an_error(client, crowd, values):
    response = get(client, "/api/annotations/", cursor=cursor_of(values))
    assert response.status_code == 400
    assert "not one this search gave" in response.json()["errors"]["cursor"][0]


def test_a_cursor_from_another_search_is_refused(client, crowd):
    data = get(client, "/api/annotations/", cursor="", per_page=2, q="pipeline").json()
    cursor = data["next"].split("cursor=")[1].split("&")[0]
    assert get(client, "/api/annotations/", cursor=cursor, q="pipeline").status_code == 200
    response = get(client, "/api/annotations/", cursor=cursor, q="budget")
    assert response.status_code == 400
