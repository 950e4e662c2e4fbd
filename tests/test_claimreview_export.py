from __future__ import annotations

import json

import pytest

from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def test_it_lists_every_published_rated_claim_and_nothing_else(client):
    live = ParagraphFactory(
        article=ArticleFactory(status="published", original_url="https://example.org/op-ed")
    )
    draft_article = ParagraphFactory(article=ArticleFactory(status="draft"))
    shown = AnnotationFactory(paragraph=live, exact="lazy dog", claim_text="Dogs are lazy.")
    AnnotationFactory(paragraph=live, exact="brown fox", status="draft")
    AnnotationFactory(paragraph=live, exact="quick", kind="note", rating=None, body="context")
    AnnotationFactory(paragraph=draft_article)

    response = client.get("/claims/claimreview.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    records = json.loads(response.content)["dataFeedElement"]
    assert [r["claimReviewed"] for r in records] == ["Dogs are lazy."]
    record = records[0]
    assert record["@type"] == "ClaimReview"
    assert record["url"].endswith(shown.get_absolute_url())
    assert record["reviewRating"]["alternateName"] == "False"
    assert record["reviewRating"]["ratingValue"] == 1
    assert (record["reviewRating"]["worstRating"], record["reviewRating"]["bestRating"]) == (1, 5)
    assert record["itemReviewed"]["appearance"]["url"] == "https://example.org/op-ed"


def test_an_empty_archive_gives_an_empty_feed(client):
    document = json.loads(client.get("/claims/claimreview.json").content)
    assert document["@type"] == "DataFeed"
    assert document["dataFeedElement"] == [] and document["next"] is None


@pytest.fixture
def five_claims(settings):
    settings.GLOSSA_CLAIMREVIEW_PAGE_SIZE = 2
    settings.SITE_URL = "https://glossa.example.org"
    paragraph = ParagraphFactory(article=ArticleFactory(status="published"), text="One two three four five.")
    words = ["One", "two", "three", "four", "five"]
    return [AnnotationFactory(paragraph=paragraph, exact=word, claim_text=f"Claim {word}") for word in words]


def test_pages_follow_next_links_newest_first_without_gaps_or_repeats(client, five_claims):
    url, seen, pages = "/claims/claimreview.json", [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        document = json.loads(response.content)
        assert document["@context"][0] == "https://schema.org"
        assert document["@context"][1]["next"]["@id"] == "http://www.w3.org/ns/hydra/core#next"
        assert document["@id"] == f"https://glossa.example.org{url}"
        assert len(document["dataFeedElement"]) <= 2
        seen += [record["claimReviewed"] for record in document["dataFeedElement"]]
        if document["next"]:
            assert response["Link"] == f'<{document["next"]}>; rel="next"'
            url = document["next"].removeprefix("https://glossa.example.org")
        else:
            assert "Link" not in response
            url = None
        pages += 1
    assert pages == 3
    assert seen == [f"Claim {word}" for word in ["five", "four", "three", "two", "One"]]


def test_a_claim_published_while_harvesting_does_not_shift_the_later_pages(client, five_claims):
    first = json.loads(client.get("/claims/claimreview.json").content)
    AnnotationFactory(paragraph=five_claims[0].paragraph, exact="three four", claim_text="Claim new")
    second = json.loads(client.get(first["next"].removeprefix("https://glossa.example.org")).content)
    assert [r["claimReviewed"] for r in second["dataFeedElement"]] == ["Claim three", "Claim two"]


def test_a_repeat_request_gets_304_until_a_claim_on_the_page_changes(client, five_claims):
    response = client.get("/claims/claimreview.json")
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/claims/claimreview.json", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/claims/claimreview.json", headers={"if-modified-since": modified}).status_code == 304
    five_claims[-1].claim_text = "Claim five, reworded"
    five_claims[-1].save()
    changed = client.get("/claims/claimreview.json", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Claim five, reworded" in changed.content.decode()


def test_a_claim_taken_down_changes_the_page_validators(client, five_claims):
    response = client.get("/claims/claimreview.json")
    five_claims[3].status = "draft"
    five_claims[3].save()
    again = client.get("/claims/claimreview.json", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 200
    assert [r["claimReviewed"] for r in json.loads(again.content)["dataFeedElement"]] == [
        "Claim five",
        "Claim three",
    ]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "9" * 30])
def test_a_malformed_before_is_a_400_naming_it(client, value):
    response = client.get("/claims/claimreview.json", {"before": value})
    assert response.status_code == 400
    assert "before must be a claim id" in response.json()["errors"]["before"][0]


def test_tag_page_lists_co_occurring_tags_from_published_content_only(client):
    published = ArticleFactory(status="published")
    published.tags.add("energy", "kazakhstan")
    annotation = AnnotationFactory(paragraph=ParagraphFactory(article=published))
    annotation.tags.add("energy", "uranium")
    hidden = ArticleFactory(status="draft")
    hidden.tags.add("energy", "secret-plan")

    body = client.get("/tags/energy/").content.decode()

    assert "Often tagged together" in body
    assert "kazakhstan" in body and "uranium" in body
    assert "secret-plan" not in body
    assert "tag=energy&amp;tag=kazakhstan&amp;match=all" in body


def test_each_feed_record_is_the_claim_review_of_its_claim(client):
    """The feed builds its records from rows; a page's JSON-LD builds them from claims. Both agree,
    whatever is missing: a claimant, an author, a date, an original URL, the claim's own words."""
    from annotations.claimreview import claim_review
    from annotations.models import Annotation, Rating
    from tests.factories import AuthorFactory

    with_all = ArticleFactory(
        author=AuthorFactory(name="Ann Writer"),
        original_url="https://example.org/a",
        published_on="2024-02-03",
    )
    bare = ArticleFactory(author=None, outlet=None, original_url="", published_on=None)
    made = [
        AnnotationFactory(paragraph=ParagraphFactory(article=with_all), exact="fox", claimant="A Minister"),
        AnnotationFactory(paragraph=ParagraphFactory(article=with_all), exact="lazy dog", claimant=""),
        AnnotationFactory(paragraph=ParagraphFactory(article=bare), exact="brown fox", claim_text=""),
        AnnotationFactory(
            paragraph=ParagraphFactory(article=bare),
            exact="quick",
            rating=Rating.objects.get(slug="unverifiable"),
        ),
    ]
    records = json.loads(client.get("/claims/claimreview.json").content)["dataFeedElement"]
    bounds = Rating.objects.scale_bounds()
    claims = Annotation.objects.select_related("rating", "article__author").order_by("-id")
    expected = [claim_review(claim, bounds) for claim in claims.filter(pk__in=[a.pk for a in made])]
    assert records == json.loads(json.dumps(expected))
    assert {r["itemReviewed"].get("author", {}).get("name") for r in records} == {
        "A Minister",
        "Ann Writer",
        None,
    }
    assert "ratingValue" not in records[0]["reviewRating"]  # the unverifiable claim, newest
