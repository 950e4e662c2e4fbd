"""One rule for every model readers see: changing live content is publishing.

Tried as a hostile fact-checker would: a made-up correction on a published claim, a cited source
pointed at a phishing page, a renamed public tag. Each is refused; editors (who may publish) can
make the same changes, and the admin history keeps the old values.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Correction, Source
from tests.admin_forms import form_data
from tests.factories import AnnotationFactory, CitationFactory, CorrectionFactory, SourceFactory, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_claim(paragraph):
    return AnnotationFactory(paragraph=paragraph, rating=rating("mostly-true"), conclusion="Mostly so.")


def correction_post(claim) -> dict:
    return {
        "annotation": claim.pk,
        "date": "2020-01-01",
        "old_rating": rating("mostly-true").pk,
        "new_rating": rating("false").pk,
        "note": "Back-dated change of verdict.",
    }


@pytest.mark.parametrize("who", ["checker_client", "editor_client"])
def test_nobody_can_put_a_made_up_correction_on_a_published_claim(request, who, published_claim, client):
    user_client = request.getfixturevalue(who)
    response = user_client.post(reverse("admin:annotations_correction_add"), correction_post(published_claim))
    assert response.status_code == 403
    assert not Correction.objects.exists()
    page = client.get(published_claim.get_absolute_url()).content.decode()
    assert "rating changed" not in page.lower()


def test_a_correction_is_made_by_changing_the_verdict_in_the_annotation_form(editor_client, published_claim):
    url = reverse("admin:annotations_annotation_change", args=[published_claim.pk])
    data = form_data(editor_client.get(url))
    data.update(rating=rating("false").pk, correction_note="A new report contradicts it.")
    assert editor_client.post(url, data).status_code == 302
    correction = Correction.objects.get()
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("mostly-true", "false")


def test_a_fact_checker_cannot_reword_a_published_correction(checker_client, editor_client, published_claim):
    correction = CorrectionFactory(
        annotation=published_claim,
        old_rating=rating("true"),
        new_rating=rating("mostly-true"),
        note="Original.",
    )
    url = reverse("admin:annotations_correction_change", args=[correction.pk])
    assert 'name="note"' not in checker_client.get(url).content.decode()
    assert checker_client.post(url, {"note": "Rewritten by a fact-checker."}).status_code == 403
    correction.refresh_from_db()
    assert correction.note == "Original."

    data = form_data(editor_client.get(url))
    data["note"] = "Reworded by an editor."
    assert editor_client.post(url, data).status_code == 302
    correction.refresh_from_db()
    assert correction.note == "Reworded by an editor."
    entry = LogEntry.objects.filter(object_id=str(correction.pk)).latest("action_time")
    assert "“Original.” → “Reworded by an editor.”" in entry.get_change_message()


@pytest.fixture
def cited_source(published_claim):
    return CitationFactory(
        annotation=published_claim,
        source=SourceFactory(url="https://stats.example.org/report", title="Report"),
    ).source


def test_a_fact_checker_cannot_change_a_source_that_published_claims_cite(
    checker_client, cited_source, client
):
    url = reverse("admin:annotations_source_change", args=[cited_source.pk])
    page = checker_client.get(url)
    assert page.status_code == 200  # read-only view
    assert 'name="url"' not in page.content.decode()
    attack = {"url": "https://phishing.example.net/login", "title": "Report", "kind": "other"}
    assert checker_client.post(url, attack).status_code == 403
    cited_source.refresh_from_db()
    assert cited_source.url == "https://stats.example.org/report"
    assert (
        "phishing"
        not in client.get(cited_source.citations.get().annotation.get_absolute_url()).content.decode()
    )


def test_a_fact_checker_still_edits_a_source_only_drafts_cite(checker_client, paragraph):
    draft = AnnotationFactory(paragraph=paragraph, status="draft", rating=None)
    source = CitationFactory(annotation=draft).source
    url = reverse("admin:annotations_source_change", args=[source.pk])
    data = form_data(checker_client.get(url))
    data["title"] = "A better title"
    assert checker_client.post(url, data).status_code == 302
    assert Source.objects.get(pk=source.pk).title == "A better title"


def test_an_editor_changes_a_cited_source_and_the_history_keeps_the_old_address(editor_client, cited_source):
    url = reverse("admin:annotations_source_change", args=[cited_source.pk])
    data = form_data(editor_client.get(url))
    data["url"] = "https://stats.example.org/report-2024"
    assert editor_client.post(url, data).status_code == 302
    entry = LogEntry.objects.filter(object_id=str(cited_source.pk)).latest("action_time")
    message = entry.get_change_message()
    assert "https://stats.example.org/report" in message and "report-2024" in message


def test_a_fact_checker_cannot_change_the_citations_of_a_published_claim(checker_client, published_claim):
    citation = CitationFactory(annotation=published_claim, pinpoint="p. 4")
    url = reverse("admin:annotations_annotation_change", args=[published_claim.pk])
    page = checker_client.get(url).content.decode()
    assert 'name="citations-0-pinpoint"' not in page
    citation.refresh_from_db()
    assert citation.pinpoint == "p. 4"


def test_a_fact_checker_cannot_rename_or_merge_a_public_tag(checker_client, editor_client, published_claim):
    published_claim.tags.add("energy")
    tag = Tag.objects.get(name="energy")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    assert checker_client.post(url, {"name": "scam", "slug": "scam"}).status_code == 403
    session = checker_client.session
    session["selected_tag_ids"] = str(tag.pk)
    session.save()
    merge = checker_client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "scam"})
    assert merge.status_code == 403
    assert Tag.objects.get(pk=tag.pk).name == "energy"

    data = form_data(editor_client.get(url))
    data.update(name="energy policy", slug="energy-policy")
    assert editor_client.post(url, data).status_code == 302
    entry = LogEntry.objects.filter(object_id=str(tag.pk)).latest("action_time")
    assert "“energy” → “energy policy”" in entry.get_change_message()


def test_a_fact_checker_cannot_change_the_rating_scale(checker_client):
    true = rating("true")
    url = reverse("admin:annotations_rating_change", args=[true.pk])
    assert checker_client.post(url, {"label": "Fake", "slug": "true", "description": "x"}).status_code == 403
    true.refresh_from_db()
    assert true.label == "True"
