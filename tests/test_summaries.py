"""The counts the reader pages show (annotations/summaries.py) follow every kind of write."""

from __future__ import annotations

import pytest

from annotations import summaries
from annotations.models import Annotation, TagUse, Tally
from articles.models import Article
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def kept() -> tuple[dict, dict]:
    tally = dict(Tally.objects.values_list("name", "value"))
    uses = {
        use.tag.name: (use.articles, use.annotations, use.claims, use.total)
        for use in TagUse.objects.select_related("tag")
    }
    return tally, uses


def recounted() -> tuple[dict, dict]:
    summaries.rebuild()
    return kept()


def assert_current():
    now = kept()
    assert now == recounted()
    return now


def test_publishing_tagging_and_deleting_keep_every_count_exact():
    article = ArticleFactory(status=Article.Status.DRAFT, language="en")
    paragraph = ParagraphFactory(article=article)
    claim = AnnotationFactory(paragraph=paragraph)
    claim.tags.add("energy")
    article.tags.add("energy", "trade")
    tally, uses = assert_current()
    assert tally.get("articles", 0) == 0 and "energy" not in uses

    article.status = Article.Status.PUBLISHED
    article.save()
    tally, uses = assert_current()
    assert tally["articles"] == 1 and tally["language:en"] == 1
    assert uses["energy"] == (1, 1, 1, 2) and uses["trade"] == (1, 0, 0, 1)

    article.tags.remove("trade")
    tally, uses = assert_current()
    assert "trade" not in uses

    claim.status = Annotation.Status.DRAFT
    claim.save()
    tally, uses = assert_current()
    assert uses["energy"] == (1, 0, 0, 1)

    Article.objects.filter(pk=article.pk).delete()
    tally, uses = assert_current()
    assert tally.get("articles", 0) == 0 and uses == {}


def test_a_tag_page_and_the_home_page_show_the_kept_counts(client):
    article = ArticleFactory(title="Counted")
    article.tags.add("energy")
    AnnotationFactory(paragraph=ParagraphFactory(article=article)).tags.add("energy")
    home = client.get("/").content.decode()
    assert "1 article " in home or "1 article<" in home or "1 article ·" in home
    tags = client.get("/tags/").content.decode()
    assert "energy" in tags
    assert TagUse.objects.get(tag__name="energy").total == 2


def test_a_bulk_load_recounts_everything(db):
    from django.core.management import call_command

    call_command("synth_archive", "--articles", "6", "--paragraphs", "3", "--annotations", "2")
    assert_current()
    assert kept()[0]["articles"] == Article.objects.published().count()


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_transaction_keeps_the_counts():
    # Scripts and the shell save in autocommit mode: the recount must not need the caller's transaction.
    article = ArticleFactory(status=Article.Status.DRAFT)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert kept()[0]["articles"] == 1
