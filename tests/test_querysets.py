from __future__ import annotations

import pytest

from annotations.models import Annotation
from articles.models import Article
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def test_published_articles_exclude_drafts_review_and_withdrawn():
    published = ArticleFactory(status="published")
    for status in ("draft", "review", "withdrawn"):
        ArticleFactory(status=status)
    assert list(Article.objects.published()) == [published]


def test_published_annotations_need_a_published_article_too():
    live = ParagraphFactory(article=ArticleFactory(status="published"))
    draft = ParagraphFactory(article=ArticleFactory(status="draft"))
    visible = AnnotationFactory(paragraph=live)
    AnnotationFactory(paragraph=live, status="draft", exact="lazy dog")
    AnnotationFactory(paragraph=draft)
    assert list(Annotation.objects.published()) == [visible]


def test_staff_see_drafts_and_readers_do_not(editor, django_user_model):
    ArticleFactory(status="draft")
    reader = django_user_model.objects.create_user("reader")
    assert Article.objects.visible_to(editor).count() == 1
    assert Article.objects.visible_to(reader).count() == 0
