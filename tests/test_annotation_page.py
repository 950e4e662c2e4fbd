from __future__ import annotations

import pytest

from annotations.models import Annotation
from articles.models import Article
from tests.factories import AnnotationFactory, CitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_annotation_in_its_paragraph_with_a_link_back(client, paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog", claim_text="Dogs are lazy.")
    CitationFactory(annotation=claim)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'<mark class="hl hl-claim" data-note="a-{claim.pk}">lazy dog</mark>' in html
    assert f'href="{paragraph.article.get_absolute_url()}#a-{claim.pk}"' in html
    assert f'href="{paragraph.article.get_absolute_url()}#{paragraph.anchor}"' in html
    assert "Fact-check: Dogs are lazy." in html
    assert '"@type": "ClaimReview"' in html


def test_a_draft_annotation_is_not_found(client, paragraph):
    draft = AnnotationFactory(paragraph=paragraph, status=Annotation.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_annotation_on_a_draft_article_is_not_found(client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    Article.objects.filter(pk=paragraph.article_id).update(status=Article.Status.DRAFT)
    assert client.get(annotation.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_annotation_marked_as_preview(client, paragraph):
    draft = AnnotationFactory(paragraph=paragraph, status=Annotation.Status.REVIEW, body="Pending note")
    client.force_login(UserFactory())
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Preview." in html and "Pending note" in html
    assert "application/ld+json" not in html


def test_a_repeated_request_gets_304(client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    url = annotation.get_absolute_url()
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    CitationFactory(annotation=annotation)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_a_whole_paragraph_note_says_so(client, paragraph):
    note = AnnotationFactory(paragraph=paragraph, exact="", kind=Annotation.Kind.NOTE, rating=None)
    html = client.get(note.get_absolute_url()).content.decode()
    assert "The whole paragraph is annotated." in html


def test_query_count_is_fixed(client, paragraph, django_assert_max_num_queries):
    annotation = AnnotationFactory(paragraph=paragraph)
    for _ in range(5):
        CitationFactory(annotation=annotation)
    annotation.tags.add("a", "b", "c")
    with django_assert_max_num_queries(7):
        assert client.get(annotation.get_absolute_url()).status_code == 200
