from __future__ import annotations

import pytest

from tests.factories import AnnotationFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def test_the_search_page_lists_annotations_with_their_article_and_rating(client, archive):
    response = client.get("/search/", {"q": "tariffs"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>tariffs</mark>" in html
    assert "Pipeline politics" in html
    assert f"#{archive.pipeline_claim.paragraph.anchor}" in html
    assert "False" in html


def test_the_page_links_facets_that_refine_the_search(client, archive):
    html = client.get("/search/", {"q": "gas"}).content.decode()
    assert "?q=gas&amp;tag=energy" in html
    assert f"?q=gas&amp;outlet={archive.pension.outlet.slug}" in html
    assert "?q=gas&amp;from=2023-01-01&amp;to=2023-12-31" in html


def test_a_chosen_tag_is_kept_when_refining_further(client, archive):
    html = client.get("/search/", {"tag": "energy"}).content.decode()
    assert "?tag=energy&amp;tag=tariffs" in html
    assert '<input type="hidden" name="tag" value="energy">' in html


def test_the_page_draws_ratings_per_outlet_with_a_table(client, archive):
    html = client.get("/search/").content.decode()
    assert '<svg viewBox="0 0' in html
    assert 'role="img"' in html
    assert "<table>" in html and "Steppe Herald" in html


def test_paragraph_and_article_results_render(client, archive):
    html = client.get("/search/", {"q": "minister", "type": "paragraphs"}).content.decode()
    assert f"#{archive.pension_claim.paragraph.anchor}" in html
    html = client.get("/search/", {"q": "minister", "type": "articles"}).content.decode()
    assert "Pension reform" in html and "<mark>minister</mark>" in html


def test_drafts_are_not_on_the_page(client, archive):
    html = client.get("/search/", {"type": "articles"}).content.decode()
    assert "secretword" not in html
    assert "hiddentag" not in client.get("/search/").content.decode()


def test_staff_see_only_published_content_in_search_too(client, archive, editor):
    client.force_login(editor)
    assert "secretword" not in client.get("/search/", {"type": "articles"}).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-02-30"}, "Enter dates as YYYY-MM-DD"),
        ({"rating": "fantastic"}, "Unknown rating: fantastic"),
        ({"tag": "nosuchtag"}, "Unknown tag: nosuchtag"),
        ({"page": "99999999999"}, "page number is too large"),
        ({"page": "50"}, "Page 50 does not exist"),
        ({"q": '""'}, "no words to look for"),
        ({"q": "word " * 500}, "the limit is 200"),
        ({"format": "xls"}, "Unknown export format"),
        ({"tag": "a\x00b"}, "Null characters are not allowed"),
        ({"q": "a\x00b"}, "Null characters are not allowed"),
        ({"outlet": "a\x00b"}, "Null characters are not allowed"),
        ({"tag": [f"t{n}" for n in range(21)]}, "At most 20 values"),
        ({"sort": "random"}, "sort must be relevance, newest or oldest"),
    ],
)
def test_bad_input_gets_a_message_not_a_crash(client, archive, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_result_says_so(client, archive):
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert "Nothing matches this search" in response.content.decode()


@pytest.mark.parametrize("data_type", ["annotations", "paragraphs", "articles"])
def test_queries_do_not_grow_with_the_results(client, archive, data_type, django_assert_max_num_queries):
    from tests.factories import ArticleFactory

    for n in range(30):
        article = ArticleFactory(outlet=archive.pension.outlet)
        article.tags.add("energy")
        AnnotationFactory(
            paragraph=ParagraphFactory(article=article, position=1, text=f"Gas story {n}."),
            exact="Gas story",
        ).tags.add("energy")
    with django_assert_max_num_queries(20):
        response = client.get("/search/", {"q": "gas", "tag": "energy", "type": data_type})
    assert response.status_code == 200
    assert response.content.decode().count('class="result ') == 20
