"""Editing paragraph text in the admin re-anchors its annotations, says so, and keeps the history."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.admin_forms import change_data, post_change
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def post_paragraph_text(client, paragraph, text: str, **kwargs):
    return client.post(
        reverse("admin:articles_paragraph_change", args=[paragraph.pk]),
        {"article": paragraph.article_id, "position": 1, "role": "body", "text": text},
        **kwargs,
    )


def test_editing_paragraph_text_in_the_admin_reports_reanchoring(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    response = post_paragraph_text(editor_client, paragraph, "Now the lazy dog. The dog sleeps.", follow=True)
    assert "annotations kept 0, moved 1, orphaned 0" in response.content.decode()


def test_a_paragraph_edit_is_in_the_history_of_the_paragraph_and_its_annotations(editor_client, paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    note = AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    old_text = paragraph.text
    new_text = "A cat naps by the lazy dog. The dog sleeps."
    post_paragraph_text(editor_client, paragraph, new_text)
    paragraph_entry = LogEntry.objects.get(object_id=str(paragraph.pk), content_type__model="paragraph")
    assert f"text: “{old_text}” → “{new_text}”" in paragraph_entry.get_change_message()
    claim_entry = LogEntry.objects.get(object_id=str(claim.pk), content_type__model="annotation")
    assert claim_entry.get_change_message().startswith("Re-anchored (moved): text of paragraph 1 edited")
    note_entry = LogEntry.objects.get(object_id=str(note.pk), content_type__model="annotation")
    assert note_entry.get_change_message().startswith("Orphaned: text of paragraph 1 edited")
    assert note_entry.user.username == "editor"


def test_editing_text_in_the_article_page_inline_re_anchors(editor_client, paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    data = change_data(
        editor_client,
        paragraph.article,
        **{"paragraphs-0-text": "Yesterday the quick brown fox jumped over the lazy dog. The dog sleeps."},
    )
    response = post_change(editor_client, paragraph.article, data, follow=True)
    assert "Paragraph 1: annotations kept 0, moved 1, orphaned 0." in response.content.decode()
    claim.refresh_from_db()
    assert claim.anchor_state == "moved"
    assert claim.paragraph.text[claim.start : claim.end] == "lazy dog"
