"""The annotation form: the add form prefilled from a selection, publishing, corrections and history."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotations.models import Annotation, Correction
from tests.admin_forms import change_data, post_change
from tests.factories import AnnotationFactory, rating

pytestmark = pytest.mark.django_db


# The add form, prefilled from a selection ------------------------------------------------------


def test_add_form_is_prefilled_from_the_selection(checker_client, paragraph):
    text = paragraph.text
    start = text.index("lazy dog")
    response = checker_client.get(
        reverse("admin:annotations_annotation_add"),
        {
            "paragraph": paragraph.pk,
            "kind": "claim",
            "exact": "lazy dog",
            "prefix": text[:start][-32:],
            "suffix": text[start + 8 :][:32],
            "start": start,
            "end": start + 8,
        },
    )
    form = response.context["adminform"].form
    assert form["exact"].value() == "lazy dog"
    assert str(form["start"].value()) == str(start)
    assert form["claim_text"].value() == "lazy dog"
    assert form["claimant"].value() == paragraph.article.author.name
    assert str(form["paragraph"].value()) == str(paragraph.pk)


def test_a_whole_paragraph_claim_starts_from_the_paragraph_text(checker_client, paragraph):
    response = checker_client.get(
        reverse("admin:annotations_annotation_add"), {"paragraph": paragraph.pk, "kind": "claim"}
    )
    assert response.context["adminform"].form["claim_text"].value() == paragraph.text


def test_a_note_gets_no_claim_defaults(checker_client, paragraph):
    response = checker_client.get(
        reverse("admin:annotations_annotation_add"),
        {"paragraph": paragraph.pk, "kind": "note", "exact": "lazy"},
    )
    assert response.context["adminform"].form["claim_text"].value() in (None, "")


def test_a_repeated_quote_is_placed_by_a_prefix_ending_in_a_space(checker_client, paragraph):
    text = paragraph.text  # "The quick brown fox jumps over the lazy dog. The dog sleeps."
    second = text.rindex("dog")
    response = checker_client.post(
        reverse("admin:annotations_annotation_add"),
        {
            "kind": "note",
            "status": "draft",
            "paragraph": paragraph.pk,
            "exact": "dog",
            "prefix": text[:second][-32:],
            "suffix": text[second + 3 :][:32],
            "body": "Which dog?",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Annotation.objects.get().start == second


# Publishing through the form -------------------------------------------------------------------


def test_a_fact_checker_cannot_publish_through_the_form(checker_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    response = post_change(
        checker_client, annotation, change_data(checker_client, annotation, status="published")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.status == "draft"


def test_an_editor_publishes_through_the_form(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    response = post_change(
        editor_client, annotation, change_data(editor_client, annotation, status="published")
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.status == "published"


# Corrections -----------------------------------------------------------------------------------


def test_changing_the_rating_of_a_published_claim_needs_a_correction_note(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    data = change_data(editor_client, annotation, rating=rating("mostly-true").pk)
    response = post_change(editor_client, annotation, data)
    assert response.status_code == 200
    assert "needs a public correction note" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.rating.slug == "false"
    assert not Correction.objects.exists()


def test_a_correction_records_old_and_new_verdict(editor_client, editor, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, conclusion="Foxes vary.")
    data = change_data(
        editor_client,
        annotation,
        rating=rating("mostly-true").pk,
        conclusion="Most foxes are red-brown.",
        correction_note="A reader sent a survey we had missed.",
    )
    assert post_change(editor_client, annotation, data).status_code == 302
    correction = Correction.objects.get()
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("false", "mostly-true")
    assert (correction.old_conclusion, correction.new_conclusion) == (
        "Foxes vary.",
        "Most foxes are red-brown.",
    )
    assert correction.note == "A reader sent a survey we had missed."
    assert correction.created_by == editor


def test_changing_the_conclusion_alone_also_needs_a_note(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    response = post_change(
        editor_client, annotation, change_data(editor_client, annotation, conclusion="Other.")
    )
    assert "needs a public correction note" in response.content.decode()


def test_editing_a_draft_verdict_records_nothing_public(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    data = change_data(editor_client, annotation, rating=rating("true").pk, conclusion="Fine.")
    assert post_change(editor_client, annotation, data).status_code == 302
    assert not Correction.objects.exists()


# History ---------------------------------------------------------------------------------------


def test_history_shows_who_changed_which_field_from_what_to_what(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft", body="Old body.")
    data = change_data(editor_client, annotation, rating=rating("true").pk, body="New body.")
    post_change(editor_client, annotation, data)
    entry = LogEntry.objects.get(object_id=str(annotation.pk))
    assert entry.user.username == "editor"
    assert "rating: “False” → “True”" in entry.get_change_message()
    assert "body: “Old body.” → “New body.”" in entry.get_change_message()
    history = editor_client.get(reverse("admin:annotations_annotation_history", args=[annotation.pk]))
    assert "rating: “False” → “True”" in history.content.decode()


def test_saving_an_unchanged_form_records_no_changed_fields(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, exact="lazy dog", status="draft")
    assert annotation.prefix.endswith(" ")
    post_change(editor_client, annotation, change_data(editor_client, annotation))
    assert LogEntry.objects.get(object_id=str(annotation.pk)).get_change_message() == "No fields changed."
