from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from annotations.archive import dump_archive
from annotations.models import Annotation, Correction, Rating
from articles.models import Article, Paragraph
from research.backends import search
from tests.data import make_archive
from tests.factories import AnnotationFactory, CorrectionFactory, rating

pytestmark = pytest.mark.django_db


def wipe() -> None:
    """Empty the content tables, as a fresh database would be (ratings and groups stay)."""
    from taggit.models import Tag, TaggedItem

    from annotations.models import Citation, Source
    from articles.models import Author, Outlet

    for model in (
        Correction,
        Citation,
        Annotation,
        Paragraph,
        Article,
        Source,
        Author,
        Outlet,
        TaggedItem,
        Tag,
    ):
        model.objects.all().delete()


def make_everything(editor):
    archive = make_archive()
    CorrectionFactory(
        annotation=archive.pension_claim,
        old_rating=rating("mostly-true"),
        new_rating=rating("true"),
        note="The law was checked again.",
        created_by=editor,
    )
    AnnotationFactory(paragraph=archive.pension_claim.paragraph, exact="the minister said", author=editor)
    Rating.objects.filter(slug="opinion").update(description="Edited description.")
    return archive


def test_a_restored_archive_dumps_identically(tmp_path, editor):
    make_everything(editor)
    call_command("load_demo")
    first = tmp_path / "first.json"
    call_command("export_archive", str(first))
    wipe()
    call_command("import_archive", str(first))
    second = tmp_path / "second.json"
    call_command("export_archive", str(second))
    assert first.read_text() == second.read_text()
    document = json.loads(first.read_text())
    assert any(a["fields"]["status"] == "draft" for a in document["articles"])
    assert any(a["fields"]["status"] == "draft" for a in document["annotations"])
    assert document["users"] == [{"pk": editor.pk, "username": "editor", "first_name": "", "last_name": ""}]
    assert "password" not in first.read_text()
    # What the database derives is left out (it differs between databases and is rebuilt on restore).
    assert {"search_vector", "search_date"}.isdisjoint(document["paragraphs"][0]["fields"])
    demo = Article.objects.exclude(original_file="").get()
    assert b"Multi-vector policy in Kazakh style" in demo.original_file.read()
    assert demo.sha256 and demo.import_report


def test_restore_keeps_anchors_tags_and_search(tmp_path, editor):
    archive = make_everything(editor)
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path))
    wipe()
    call_command("import_archive", str(path))
    claim = Annotation.objects.get(pk=archive.pipeline_claim.pk)
    original = archive.pipeline_claim
    assert (claim.exact, claim.start, claim.end) == (original.exact, original.start, original.end)
    assert sorted(claim.tags.names()) == ["energy", "tariffs"]
    assert Rating.objects.get(slug="opinion").description == "Edited description."
    assert list(search(Annotation.objects.published(), "budget")) == [claim]
    # New rows after a restore get fresh ids.
    assert Article.objects.create(title="After restore").pk > archive.draft_article.pk


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, editor):
    make_everything(editor)
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path))
    with pytest.raises(CommandError, match="restores into an empty database"):
        call_command("import_archive", str(path))


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path, db):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="not a Glossa archive"):
        call_command("import_archive", str(path))
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_archive", str(path))


def test_a_failed_restore_leaves_nothing_behind(tmp_path, editor):
    make_everything(editor)
    path = tmp_path / "archive.json"
    with path.open("w") as handle:
        dump_archive(handle)
    wipe()
    document = json.loads(path.read_text())
    document["paragraphs"][0]["fields"]["text"] = ""  # violates the non-empty text constraint
    path.write_text(json.dumps(document))
    with pytest.raises(Exception):  # noqa: B017 (the database's own integrity error)
        call_command("import_archive", str(path))
    assert Article.objects.count() == 0
    assert Rating.objects.count() == 7
