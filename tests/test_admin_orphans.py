"""Orphans: annotations whose quote left the text, listed for editors and re-attached to new text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.admin_forms import annotate_url, change_data, post_change
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def orphan_of(paragraph) -> Annotation:
    annotation = AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    paragraph.text = "A cat jumps over the lazy dog. The dog sleeps."
    paragraph.save()
    annotation.refresh_from_db()
    assert annotation.anchor_state == "orphaned"
    return annotation


def reattach_url(orphan, paragraph) -> str:
    return reverse("admin:articles_article_reattach", args=[paragraph.article_id, orphan.pk])


def test_orphans_are_listed_with_a_way_to_reattach_them(checker_client, paragraph):
    orphan = orphan_of(paragraph)
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    body = checker_client.get(reverse("admin:annotations_orphanedannotation_changelist")).content.decode()
    assert "quick brown fox" in body and "lazy dog" not in body
    assert f"{annotate_url(paragraph.article)}?reattach={orphan.pk}" in body


def test_an_editor_reattaches_an_orphan_to_new_text(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    url = reattach_url(orphan, paragraph)
    confirm = editor_client.get(url, {"paragraph": paragraph.pk, "exact": "A cat", "start": 0})
    assert confirm.status_code == 200 and "A cat" in confirm.content.decode()

    response = editor_client.post(url, {"paragraph": paragraph.pk, "exact": "A cat", "start": 0})

    assert response.status_code == 302
    orphan.refresh_from_db()
    assert (orphan.paragraph_id, orphan.anchor_state, orphan.start, orphan.end) == (
        paragraph.pk,
        "anchored",
        0,
        5,
    )


def test_reattaching_to_text_that_is_not_there_is_refused(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    response = editor_client.post(
        reattach_url(orphan, paragraph), {"paragraph": paragraph.pk, "exact": "quick brown fox"}
    )
    assert response.status_code == 400
    assert "does not occur in this paragraph" in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.anchor_state == "orphaned"


def test_an_orphan_can_be_edited_without_a_paragraph(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    response = post_change(editor_client, orphan, change_data(editor_client, orphan, body="Still relevant."))
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert (orphan.body, orphan.anchor_state, orphan.paragraph_id) == ("Still relevant.", "orphaned", None)


def test_choosing_a_paragraph_in_the_form_reattaches_an_orphan(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    data = change_data(editor_client, orphan, paragraph=paragraph.pk, exact="lazy dog", start="", end="")
    assert post_change(editor_client, orphan, data).status_code == 302
    orphan.refresh_from_db()
    assert (orphan.anchor_state, orphan.exact) == ("anchored", "lazy dog")
    assert paragraph.text[orphan.start : orphan.end] == "lazy dog"
