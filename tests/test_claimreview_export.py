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
    records = json.loads(b"".join(response.streaming_content))
    assert [r["claimReviewed"] for r in records] == ["Dogs are lazy."]
    record = records[0]
    assert record["@type"] == "ClaimReview"
    assert record["url"].endswith(shown.get_absolute_url())
    assert record["reviewRating"]["alternateName"] == "False"
    assert record["reviewRating"]["ratingValue"] == 1
    assert (record["reviewRating"]["worstRating"], record["reviewRating"]["bestRating"]) == (1, 5)
    assert record["itemReviewed"]["appearance"]["url"] == "https://example.org/op-ed"


def test_an_empty_archive_gives_an_empty_list(client):
    response = client.get("/claims/claimreview.json")
    assert json.loads(b"".join(response.streaming_content)) == []


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
