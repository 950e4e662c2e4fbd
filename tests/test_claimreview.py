from __future__ import annotations

import json
import re
from datetime import date

import pytest

from annotations.claimreview import claim_review, claim_reviews_json_ld, is_reviewable, json_ld
from annotations.models import Annotation, Rating
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory, rating


@pytest.fixture
def claim(db, settings):
    settings.SITE_URL = "https://glossa.example.org"
    settings.SITE_NAME = "Glossa"
    article = ArticleFactory(published_on=date(2025, 2, 4), original_url="https://news.example.com/op-ed")
    paragraph = ParagraphFactory(article=article, text="The quick brown fox jumps over the lazy dog.")
    return AnnotationFactory(
        paragraph=paragraph, claimant="A. Writer", claim_text="A fox is brown.", rating=rating("mostly-true")
    )


def test_claim_review_has_the_schema_org_fields(claim):
    review = claim_review(claim, Rating.objects.scale_bounds())

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://glossa.example.org/annotations/{claim.pk}/"
    assert review["claimReviewed"] == "A fox is brown."
    assert review["datePublished"] == claim.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Glossa",
        "url": "https://glossa.example.org/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A. Writer"},
        "datePublished": "2025-02-04",
        "appearance": {"@type": "CreativeWork", "url": "https://news.example.com/op-ed"},
    }


def test_a_rating_off_the_scale_carries_only_its_label(claim):
    claim.rating = rating("unverifiable")
    review = claim_review(claim, Rating.objects.scale_bounds())
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_the_claimant_defaults_to_the_article_author(claim):
    claim.claimant = ""
    review = claim_review(claim, (1, 5))
    assert review["itemReviewed"]["author"]["name"] == claim.article.author.name


def test_drafts_and_claims_on_unpublished_articles_are_not_described(claim):
    assert is_reviewable(claim)
    claim.status = Annotation.Status.REVIEW
    assert not is_reviewable(claim)
    claim.status = Annotation.Status.PUBLISHED
    claim.article.status = claim.article.Status.DRAFT
    assert not is_reviewable(claim)
    assert claim_reviews_json_ld([claim], (1, 5)) == ""


def test_json_ld_cannot_be_broken_out_of():
    html = json_ld({"claimReviewed": "</script><script>alert(1)</script> & <!--"})
    assert html.count("</script>") == 1
    assert html.startswith('<script type="application/ld+json">')
    payload = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html).group(1)
    assert json.loads(payload) == {"claimReviewed": "</script><script>alert(1)</script> & <!--"}
