"""The search index (research.SearchEntry) follows every way content changes.

Each test changes content one way, then compares the index with one computed from scratch: an
entry for exactly the published annotations on published articles, with their article's outlet,
author, language and date and their own tags.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from annotations.models import Annotation
from articles.importing.base import ParsedArticle, ParsedParagraph
from articles.importing.replace import replace_article_text
from articles.models import Article, Paragraph
from research import index as indexing
from research.backends import SearchBackend, backend
from research.filters import search_filterset
from research.models import SearchEntry
from tests.factories import AnnotationFactory, ArticleFactory, OutletFactory, ParagraphFactory, rating

pytestmark = pytest.mark.django_db


def expected() -> dict[int, tuple]:
    rows = {}
    for a in Annotation.objects.filter(status="published", article__status="published").select_related(
        "article"
    ):
        date = a.article.published_on
        rows[a.pk] = (
            a.article_id,
            a.paragraph_id,
            a.start,
            a.kind,
            a.rating_id,
            a.article.outlet_id,
            a.article.author_id,
            a.article.language,
            date,
            date.year if date else None,
            sorted(a.tags.values_list("pk", flat=True)),
        )
    return rows


def indexed() -> dict[int, tuple]:
    return {
        e.annotation_id: (
            e.article_id,
            e.paragraph_id,
            e.start,
            e.kind,
            e.rating_id,
            e.outlet_id,
            e.author_id,
            e.language,
            e.published_on,
            e.year,
            e.tag_ids,
        )
        for e in SearchEntry.objects.all()
    }


def assert_current():
    assert indexed() == expected()


def found(q: str) -> set[int]:
    filterset = search_filterset({"q": q})
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def hide_and_publish_again(obj, hidden_status: str) -> None:
    """Take ``obj`` (an annotation or an article) out of public view and back: the index follows."""
    obj.status = hidden_status
    obj.save()
    assert indexed() == {}
    obj.status = type(obj).Status.PUBLISHED
    obj.save()
    assert_current()


@pytest.fixture
def claim():
    return AnnotationFactory(
        paragraph=ParagraphFactory(text="The pipeline carries gas to the coast."), exact=""
    )


def test_published_annotations_are_indexed_and_drafts_are_not(claim):
    draft = AnnotationFactory(paragraph=claim.paragraph, exact="", status=Annotation.Status.DRAFT)
    assert set(indexed()) == {claim.pk}
    assert draft.pk not in indexed()
    assert_current()


def test_publishing_unpublishing_and_deleting_an_annotation(claim):
    hide_and_publish_again(claim, Annotation.Status.DRAFT)
    assert set(indexed()) == {claim.pk}
    claim.delete()
    assert indexed() == {}


def test_tags_added_and_removed_reach_the_index(claim):
    claim.tags.add("energy", "gas")
    assert_current()
    assert len(indexed()[claim.pk][-1]) == 2
    claim.tags.remove("gas")
    assert_current()
    claim.tags.clear()
    assert_current()
    claim.tags.add("energy")
    from taggit.models import Tag

    Tag.objects.get(name="energy").delete()
    assert_current()
    assert indexed()[claim.pk][-1] == []


def test_a_change_to_the_article_reaches_every_annotation_on_it(claim):
    AnnotationFactory(paragraph=claim.paragraph, exact="", kind=Annotation.Kind.NOTE, rating=None)
    article = claim.article
    article.published_on = datetime.date(2001, 2, 3)
    article.outlet = OutletFactory()
    article.language = "ru"
    article.save()
    assert_current()
    assert {row[9] for row in indexed().values()} == {2001}
    hide_and_publish_again(article, Article.Status.WITHDRAWN)
    assert len(indexed()) == 2


def test_rating_changes_reach_the_index(claim):
    claim.rating = rating("true")
    claim.save()
    assert_current()


def test_editing_a_paragraph_moves_the_anchor_in_the_index():
    paragraph = ParagraphFactory(text="Gas flows east. The pipeline carries gas to the coast.")
    annotation = AnnotationFactory(paragraph=paragraph, exact="pipeline")
    start = annotation.start
    paragraph.text = "Oil and gas flow east, and more. The pipeline carries gas to the coast."
    paragraph.save()
    assert_current()
    assert indexed()[annotation.pk][2] != start


def test_deleting_a_paragraph_keeps_the_orphan_indexed_without_it(claim):
    claim.paragraph.delete()
    assert_current()
    assert indexed()[claim.pk][1] is None


def test_a_corrected_version_leaves_the_index_current():
    article = ArticleFactory()
    first = ParagraphFactory(article=article, position=1, text="Exports of grain rose by a fifth in 2023.")
    ParagraphFactory(article=article, position=2, text="The new pipeline will carry gas to China.")
    annotation = AnnotationFactory(paragraph=first, exact="grain")
    corrected = ParsedArticle(
        title="Corrected",
        paragraphs=[
            ParsedParagraph("A new opening paragraph about the harvest."),
            ParsedParagraph("Exports of grain rose by a fifth in 2023, the ministry said."),
        ],
    )
    replace_article_text(article, corrected, user=None, filename="corrected.txt")
    assert_current()
    assert indexed()[annotation.pk][2] is not None


def test_rebuild_and_its_command_recreate_a_lost_index(claim, capsys):
    AnnotationFactory(paragraph=claim.paragraph, exact="")
    SearchEntry.objects.all().delete()
    assert indexed() == {}
    call_command("rebuild_search_index")
    assert "Indexed 2 published annotations" in capsys.readouterr().out
    assert_current()
    assert indexing.rebuild() == 2


def test_synthetic_archives_are_indexed():
    call_command("synth_archive", "--articles", "6", "--paragraphs", "4", "--annotations", "3")
    assert indexed()
    assert_current()


def test_archive_restore_rebuilds_the_index(tmp_path, claim):
    from django.contrib.auth import get_user_model
    from taggit.models import Tag, TaggedItem

    from annotations.models import Citation, Correction, Rating, Source
    from articles.models import Author, Outlet

    claim.tags.add("energy")
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path))
    for model in (
        Correction,
        Citation,
        Annotation,
        Source,
        Paragraph,
        Article,
        Author,
        Outlet,
        TaggedItem,
        Tag,
    ):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    Rating.objects.all().delete()
    call_command("import_archive", str(path))
    assert indexed()
    assert_current()


def test_words_of_the_passage_and_of_the_note_are_searched_together(claim):
    claim.body = "Checked against the operator's shipping figures."
    claim.save()
    assert found("pipeline") == {claim.pk}
    assert found("shipping") == {claim.pk}
    assert found("pipeline shipping") == {claim.pk}  # one word from each
    claim.paragraph.text = "A railway carries grain to the coast."
    claim.paragraph.save()
    assert found("pipeline") == set()
    assert found("railway") == {claim.pk}


def test_the_counts_of_one_pass_match_plain_counting():
    outlets = [OutletFactory(), OutletFactory()]
    for n in range(9):
        article = ArticleFactory(
            outlet=outlets[n % 2], published_on=datetime.date(2020 + n % 3, 1, 1) if n != 4 else None
        )
        paragraph = ParagraphFactory(article=article, text="Gas flows east through the pipeline.")
        annotation = AnnotationFactory(
            paragraph=paragraph,
            exact="",
            kind=[Annotation.Kind.CLAIM, Annotation.Kind.NOTE][n % 2],
            rating=rating("true") if n % 2 == 0 else None,
        )
        annotation.tags.add(*["gas", "east", "energy"][: n % 4])
    entries = SearchEntry.objects.all()
    mine = backend().entry_summary(entries)
    plain = SearchBackend().entry_summary(entries)
    assert mine == plain
    assert mine.total == 9
    assert sum(mine.by["kind"].values()) == 9
    assert mine.by["year"][None] == 1
    assert sum(mine.tags.values()) == sum(n % 4 for n in range(9))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vectors are PostgreSQL's")
def test_entries_carry_the_vectors_of_note_and_passage(claim):
    vector = SearchEntry.objects.values_list("search_vector", flat=True).get(pk=claim.pk)
    assert "pipelin" in vector and "fox" in vector


def test_a_tag_moved_to_another_annotation_leaves_both_current(claim):
    from taggit.models import TaggedItem

    other = AnnotationFactory(paragraph=claim.paragraph, exact="")
    claim.tags.add("energy")
    item = TaggedItem.objects.get(object_id=claim.pk, tag__name="energy")
    item.object_id = other.pk
    item.save()
    assert_current()
    assert indexed()[claim.pk][-1] == []


def test_deleting_an_article_removes_its_entries(claim):
    AnnotationFactory(paragraph=ParagraphFactory(text="Another article entirely."), exact="")
    claim.article.delete()
    assert_current()
    assert claim.pk not in indexed()


def test_a_stale_entry_for_a_draft_shows_nothing(client, claim):
    """Loading results checks publication again: a wrong index can hide a result, never leak one."""
    draft = AnnotationFactory(
        paragraph=claim.paragraph, exact="", status=Annotation.Status.DRAFT, claim_text="Secretword claim."
    )
    SearchEntry.objects.create(
        annotation=draft, article=draft.article, paragraph=draft.paragraph, kind="claim"
    )
    for url in ("/search/", "/api/annotations/", "/search/?format=csv", "/search/?format=jsonld"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Secretword" not in body, url


def test_a_whole_rebuild_makes_the_entries_a_refresh_makes():
    # PostgreSQL fills the whole index in one statement; a refresh makes entries in batches.
    call_command("synth_archive", "--articles", "8", "--paragraphs", "4", "--annotations", "3")

    def entries():
        rows = SearchEntry.objects.order_by("pk").values_list("pk", "tag_ids", "year", "search_vector")
        return [(pk, tags, year, str(vector)) for pk, tags, year, vector in rows]

    assert indexing.rebuild() == Annotation.objects.published().count() > 0
    whole = entries()
    SearchEntry.objects.all().delete()
    indexing.refresh(annotations=Annotation.objects.values_list("pk", flat=True))
    assert entries() == whole
    assert_current()
