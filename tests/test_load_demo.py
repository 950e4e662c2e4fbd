from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from annotations.models import Annotation, Citation, Source
from articles.models import Article, Author, Paragraph

pytestmark = pytest.mark.django_db

FURNITURE = {"X", "A source", "Comments", "0", "Read on the topic"}


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Paragraph, Annotation, Citation, Source)
    }


def test_demo_article_is_parsed_into_its_parts():
    call_command("load_demo")
    article = Article.objects.get()
    assert article.title == "Multi-vector policy in Kazakh style"
    assert article.published_on == datetime.date(2025, 2, 4)
    assert (article.author.name, article.author.role) == ("Sergey Saenko", "International observer")
    assert article.status == Article.Status.PUBLISHED
    paragraphs = list(article.paragraphs.all())
    assert len(paragraphs) == 15
    assert paragraphs[0].role == "lede"
    assert paragraphs[0].text.startswith("In the context of the confrontation")
    assert [p.role for p in paragraphs[1:]] == ["body"] * 14
    assert paragraphs[1].text.startswith("After the collapse of the USSR")
    assert paragraphs[-1].text.endswith("the future will show.")
    assert not any(p.text in FURNITURE for p in paragraphs)
    assert set(article.import_report["removed_furniture"]) == FURNITURE


def test_demo_annotations_cover_every_kind_and_several_ratings():
    call_command("load_demo")
    annotations = Annotation.objects.published()
    assert annotations.count() >= 8
    assert set(annotations.values_list("kind", flat=True)) == {"claim", "source", "note"}
    assert annotations.exclude(rating=None).values("rating").distinct().count() >= 4
    assert Citation.objects.exists()
    assert annotations.filter(tags__isnull=False).distinct().count() == annotations.count()
    for annotation in annotations.exclude(exact=""):
        assert annotation.paragraph.text[annotation.start : annotation.end] == annotation.exact
    # Unverifiable verdicts say what evidence would settle them.
    for annotation in annotations.filter(rating__slug="unverifiable"):
        assert "What would settle it" in annotation.body or "settle" in annotation.body


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", with_users=True)
    first = counts()
    call_command("load_demo", with_users=True)
    assert counts() == first
