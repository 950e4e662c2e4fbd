from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Correction, Rating, Source
from articles.models import Article, Paragraph
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory, SourceFactory, rating

pytestmark = pytest.mark.django_db


def test_default_rating_scale_is_seeded_with_descriptions():
    labels = list(Rating.objects.values_list("label", flat=True))
    assert labels == ["True", "Mostly true", "Misleading", "Mostly false", "False", "Unverifiable", "Opinion"]
    assert all(Rating.objects.values_list("description", flat=True))
    assert Rating.objects.get(slug="unverifiable").value is None
    assert Rating.objects.scale_bounds() == (1, 5)


def test_article_gets_a_unique_slug():
    first = ArticleFactory(title="Same title")
    second = ArticleFactory(title="Same title")
    assert first.slug == "same-title"
    assert second.slug == "same-title-2"


def test_it_refuses_a_second_article_with_the_same_sha256():
    ArticleFactory(sha256="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(sha256="a" * 64)


def test_articles_without_a_file_do_not_clash_on_sha256():
    ArticleFactory(sha256=None)
    ArticleFactory(sha256=None)
    assert Article.objects.count() == 2


def test_paragraph_position_is_unique_per_article(article):
    ParagraphFactory(article=article, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphFactory(article=article, position=1)


def test_paragraph_keys_are_short_and_distinct(article):
    keys = {ParagraphFactory(article=article, position=n).key for n in range(1, 30)}
    assert len(keys) == 29
    assert all(len(key) == 8 for key in keys)


def test_annotation_fills_both_selectors_from_the_quote(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    text = paragraph.text
    assert (annotation.start, annotation.end) == (text.index("lazy dog"), text.index("lazy dog") + 8)
    assert annotation.prefix == text[: annotation.start][-32:]
    assert annotation.suffix == text[annotation.end :][:32]
    assert annotation.article_id == paragraph.article_id


def test_a_quote_not_in_the_paragraph_gets_a_clear_error(paragraph):
    annotation = Annotation(paragraph=paragraph, exact="purple cat", kind="note")
    with pytest.raises(ValidationError) as error:
        annotation.full_clean()
    assert error.value.message_dict["exact"] == ["The quote “purple cat” does not occur in this paragraph."]
    with pytest.raises(ValidationError):
        annotation.save()
    assert not Annotation.objects.exists()


def test_a_repeated_quote_is_told_apart_by_position(paragraph):
    second = paragraph.text.rindex("dog")
    annotation = AnnotationFactory(paragraph=paragraph, exact="dog", start=second)
    assert annotation.start == second


def test_a_repeated_quote_is_told_apart_by_its_context(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, exact="dog", prefix="The ", suffix=" sleeps")
    assert annotation.start == paragraph.text.rindex("dog")


def test_an_ambiguous_quote_is_refused(paragraph):
    with pytest.raises(ValidationError) as error:
        AnnotationFactory(paragraph=paragraph, exact="dog")
    assert "occurs 2 times" in error.value.messages[0]


def test_the_database_refuses_start_after_end(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(start=10, end=5)


def test_a_published_claim_needs_a_rating(paragraph):
    annotation = Annotation(paragraph=paragraph, kind="claim", status="published", exact="brown fox")
    with pytest.raises(ValidationError) as error:
        annotation.full_clean()
    assert error.value.message_dict["rating"] == ["A published claim needs a rating."]
    with pytest.raises(IntegrityError), transaction.atomic():
        annotation.save()


def test_only_claims_carry_a_rating(paragraph):
    annotation = Annotation(paragraph=paragraph, kind="note", rating=rating("true"), body="x")
    with pytest.raises(ValidationError) as error:
        annotation.full_clean()
    assert error.value.message_dict["rating"] == ["Only claims carry a rating."]


def test_deleting_a_paragraph_orphans_its_annotations_instead_of_deleting_them(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    paragraph.delete()
    annotation.refresh_from_db()
    assert annotation.paragraph is None
    assert annotation.anchor_state == Annotation.AnchorState.ORPHANED
    assert Annotation.objects.orphaned().count() == 1


def test_source_urls_are_normalised_and_unique():
    source = SourceFactory(url="HTTPS://Example.org:443/report/?utm_source=x&id=7#section")
    assert source.url == "https://example.org/report?id=7"
    duplicate = Source(url="https://example.org/report?id=7&utm_medium=y", title="Again")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "url" in error.value.message_dict


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/x"])
def test_non_web_urls_are_refused_at_input(url):
    source = Source(url=url, title="Bad")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict
    article = Article(title="t", original_url=url)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "original_url" in error.value.message_dict


def test_a_correction_needs_a_public_note(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(annotation=annotation, note="")


def test_empty_paragraph_text_is_refused(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(article=article, position=1, text="")
