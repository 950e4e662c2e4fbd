from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Correction
from articles.models import Paragraph
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory, UserFactory, rating

pytestmark = pytest.mark.django_db


def annotate_url(article) -> str:
    return reverse("admin:articles_article_annotate", args=[article.pk])


def change_data(annotation: Annotation, client, **overrides) -> dict:
    """The annotation's change form as the browser would post it, with ``overrides`` typed in."""
    form = (
        client.get(reverse("admin:annotations_annotation_change", args=[annotation.pk]))
        .context["adminform"]
        .form
    )
    data = {
        "kind": annotation.kind,
        "status": annotation.status,
        "paragraph": annotation.paragraph_id or "",
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "start": annotation.start if annotation.start is not None else "",
        "end": annotation.end if annotation.end is not None else "",
        "claim_text": annotation.claim_text,
        "claimant": annotation.claimant,
        "rating": annotation.rating_id or "",
        "conclusion": annotation.conclusion,
        "body": annotation.body,
        "tags": "",
        "correction_note": "",
        "seen_version": form["seen_version"].value(),
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": str(annotation.corrections.count()),
        "corrections-INITIAL_FORMS": str(annotation.corrections.count()),
    }
    for n, correction in enumerate(annotation.corrections.all()):
        data[f"corrections-{n}-id"] = correction.pk
        data[f"corrections-{n}-annotation"] = annotation.pk
    data.update(overrides)
    return data


def post_change(client, annotation, data):
    return client.post(reverse("admin:annotations_annotation_change", args=[annotation.pk]), data)


# The annotate view --------------------------------------------------------------------------


def test_article_page_links_to_annotate_and_upload(editor_client, paragraph):
    body = editor_client.get(
        reverse("admin:articles_article_change", args=[paragraph.article_id])
    ).content.decode()
    assert f'href="{annotate_url(paragraph.article)}"' in body
    assert reverse("admin:articles_article_replace", args=[paragraph.article_id]) in body


def test_annotate_view_highlights_and_lists_annotations(checker_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog", conclusion="Dogs nap.")
    body = checker_client.get(annotate_url(paragraph.article)).content.decode()
    assert '<mark class="mark-claim"' in body and ">lazy dog</mark>" in body
    assert "False" in body and "Published" in body and "Dogs nap." in body
    assert f'data-paragraph="{paragraph.pk}"' in body


def test_annotate_view_keeps_the_paragraph_text_exact_for_the_script(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="brown fox")
    AnnotationFactory(paragraph=paragraph, exact="fox jumps", kind="note", rating=None)
    body = editor_client.get(annotate_url(paragraph.article)).content.decode()
    start = body.index(f'<p class="annotate-text" data-paragraph="{paragraph.pk}">')
    inner = body[body.index(">", start) + 1 : body.index("</p>", start)]
    import re

    assert re.sub(r"<[^>]+>", "", inner) == paragraph.text
    assert ">fox</mark>" in inner  # the overlap of both annotations is its own marked piece


def test_annotate_view_escapes_paragraph_and_annotation_text(editor_client, article):
    paragraph = ParagraphFactory(article=article, text="<b>bold</b> claim <script>x()</script>")
    AnnotationFactory(paragraph=paragraph, exact="<b>bold</b>", conclusion="<img src=x onerror=alert(1)>")
    body = editor_client.get(annotate_url(article)).content.decode()
    assert "<script>x()" not in body and "<img src=x" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_annotate_view_offers_whole_paragraph_links_without_script(checker_client, paragraph):
    body = checker_client.get(annotate_url(paragraph.article)).content.decode()
    add = reverse("admin:annotations_annotation_add")
    for kind in ("claim", "source", "note"):
        assert f'href="{add}?paragraph={paragraph.pk}&amp;kind={kind}"' in body


def test_annotate_view_is_closed_to_staff_outside_the_editor_groups(client, staff_without_group, paragraph):
    client.force_login(staff_without_group)
    assert client.get(annotate_url(paragraph.article)).status_code == 403


def test_annotate_view_query_count_is_bounded_for_a_long_article(
    editor_client, django_assert_max_num_queries
):
    article = ArticleFactory()
    text = "Exports rose by a fifth. Imports fell by a tenth. The budget balanced. Prices held steady."
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(article=article, position=n, text=f"{text} ({n})") for n in range(1, 201)
    )
    false = rating("false")
    quotes = ["Exports rose", "Imports fell", "budget balanced", "Prices held", "steady"]
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            paragraph=p,
            exact=q,
            start=text.index(q),
            end=text.index(q) + len(q),
            kind="claim",
            rating=false,
            status="published",
        )
        for p in paragraphs
        for q in quotes
    )
    assert Annotation.objects.filter(article=article).count() == 1000
    with django_assert_max_num_queries(15):
        response = editor_client.get(annotate_url(article))
    assert response.status_code == 200
    assert response.content.decode().count("<mark ") == 1000


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


def test_a_fact_checker_cannot_publish_through_the_form(checker_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    response = post_change(
        checker_client, annotation, change_data(annotation, checker_client, status="published")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.status == "draft"


def test_an_editor_publishes_through_the_form(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    response = post_change(
        editor_client, annotation, change_data(annotation, editor_client, status="published")
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.status == "published"


# Corrections, conflicts, audit -----------------------------------------------------------------


def test_changing_the_rating_of_a_published_claim_needs_a_correction_note(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph)
    data = change_data(annotation, editor_client, rating=rating("mostly-true").pk)
    response = post_change(editor_client, annotation, data)
    assert response.status_code == 200
    assert "needs a public correction note" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.rating.slug == "false"
    assert not Correction.objects.exists()


def test_a_correction_records_old_and_new_verdict(editor_client, editor, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, conclusion="Foxes vary.")
    data = change_data(
        annotation,
        editor_client,
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
        editor_client, annotation, change_data(annotation, editor_client, conclusion="Other.")
    )
    assert "needs a public correction note" in response.content.decode()


def test_editing_a_draft_verdict_records_nothing_public(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    data = change_data(annotation, editor_client, rating=rating("true").pk, conclusion="Fine.")
    assert post_change(editor_client, annotation, data).status_code == 302
    assert not Correction.objects.exists()


def test_a_second_editor_saving_an_outdated_form_gets_a_conflict(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft", body="First version.")
    client = Client()
    client.force_login(UserFactory(username="second", group="Editors"))
    stale = change_data(annotation, client, body="Second editor's version.")

    assert (
        post_change(
            editor_client, annotation, change_data(annotation, editor_client, body="Edited.")
        ).status_code
        == 302
    )
    response = post_change(client, annotation, stale)

    assert response.status_code == 200
    assert "was changed by editor at" in response.content.decode()
    assert "after you opened it" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.body == "Edited."


def test_history_shows_who_changed_which_field_from_what_to_what(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft", body="Old body.")
    data = change_data(annotation, editor_client, rating=rating("true").pk, body="New body.")
    post_change(editor_client, annotation, data)
    entry = LogEntry.objects.get(object_id=str(annotation.pk))
    assert entry.user.username == "editor"
    assert "rating: “False” → “True”" in entry.get_change_message()
    assert "body: “Old body.” → “New body.”" in entry.get_change_message()
    history = editor_client.get(reverse("admin:annotations_annotation_history", args=[annotation.pk]))
    assert "rating: “False” → “True”" in history.content.decode()


# Orphans and re-attaching ----------------------------------------------------------------------


def orphan_of(paragraph) -> Annotation:
    annotation = AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    paragraph.text = "A cat jumps over the lazy dog. The dog sleeps."
    paragraph.save()
    annotation.refresh_from_db()
    assert annotation.anchor_state == "orphaned"
    return annotation


def test_orphans_are_listed_with_a_way_to_reattach_them(checker_client, paragraph):
    orphan = orphan_of(paragraph)
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    body = checker_client.get(reverse("admin:annotations_orphanedannotation_changelist")).content.decode()
    assert "quick brown fox" in body and "lazy dog" not in body
    assert f"{annotate_url(paragraph.article)}?reattach={orphan.pk}" in body


def test_an_editor_reattaches_an_orphan_to_new_text(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    url = reverse("admin:articles_article_reattach", args=[paragraph.article_id, orphan.pk])
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
    url = reverse("admin:articles_article_reattach", args=[paragraph.article_id, orphan.pk])
    response = editor_client.post(url, {"paragraph": paragraph.pk, "exact": "quick brown fox"})
    assert response.status_code == 400
    assert "does not occur in this paragraph" in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.anchor_state == "orphaned"


def test_editing_paragraph_text_in_the_admin_reports_reanchoring(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    response = editor_client.post(
        reverse("admin:articles_paragraph_change", args=[paragraph.pk]),
        {
            "article": paragraph.article_id,
            "position": 1,
            "role": "body",
            "text": "Now the lazy dog. The dog sleeps.",
        },
        follow=True,
    )
    assert "annotations kept 0, moved 1, orphaned 0" in response.content.decode()


def test_upload_corrected_version_shows_the_counts(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "corrected.txt", b"Title line\n\nThe slow cat naps beside the lazy dog. The dog sleeps.\n"
    )
    response = editor_client.post(
        reverse("admin:articles_article_replace", args=[paragraph.article_id]), {"file": upload}
    )
    body = response.content.decode()
    assert '<td class="count-kept">0</td>' in body
    assert '<td class="count-moved">1</td>' in body
    assert '<td class="count-orphaned">1</td>' in body
    paragraph.refresh_from_db()
    assert paragraph.text == "The slow cat naps beside the lazy dog. The dog sleeps."


def test_upload_corrected_version_says_how_many_paragraphs_were_added_and_removed(editor_client, paragraph):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = f"Title line\n\n{paragraph.text}\n\nAn extra paragraph pasted by mistake.\n".encode("cp1252")
    response = editor_client.post(
        reverse("admin:articles_article_replace", args=[paragraph.article_id]),
        {"file": SimpleUploadedFile("corrected.txt", data)},
    )
    assert "1 paragraph before, 2 after: 1 added, 0 removed" in response.content.decode()
    paragraph.article.refresh_from_db()
    entry = paragraph.article.import_report["replacements"][-1]
    assert (entry["file"], entry["size"]) == ("corrected.txt", len(data))
    assert entry["stored_file"].startswith("corrections/")


def test_upload_corrected_version_help_names_every_format_the_importer_reads(editor_client, paragraph):
    body = editor_client.get(
        reverse("admin:articles_article_replace", args=[paragraph.article_id])
    ).content.decode()
    assert "UTF-8) file" not in body
    assert "HTML, Markdown or Word (.docx)" in body


def test_upload_corrected_version_names_a_bad_file(editor_client, paragraph):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = editor_client.post(
        reverse("admin:articles_article_replace", args=[paragraph.article_id]), {"file": upload}
    )
    assert "The file contains binary data, not text" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text.startswith("The quick brown fox")


def test_a_fact_checker_cannot_replace_the_text(checker_client, paragraph):
    assert (
        checker_client.get(reverse("admin:articles_article_replace", args=[paragraph.article_id])).status_code
        == 403
    )


def test_a_paragraph_edit_is_in_the_history_of_the_paragraph_and_its_annotations(editor_client, paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    note = AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    old_text = paragraph.text
    new_text = "A cat naps by the lazy dog. The dog sleeps."
    editor_client.post(
        reverse("admin:articles_paragraph_change", args=[paragraph.pk]),
        {"article": paragraph.article_id, "position": 1, "role": "body", "text": new_text},
    )
    paragraph_entry = LogEntry.objects.get(object_id=str(paragraph.pk), content_type__model="paragraph")
    assert f"text: “{old_text}” → “{new_text}”" in paragraph_entry.get_change_message()
    claim_entry = LogEntry.objects.get(object_id=str(claim.pk), content_type__model="annotation")
    assert claim_entry.get_change_message().startswith("Re-anchored (moved): text of paragraph 1 edited")
    note_entry = LogEntry.objects.get(object_id=str(note.pk), content_type__model="annotation")
    assert note_entry.get_change_message().startswith("Orphaned: text of paragraph 1 edited")
    assert note_entry.user.username == "editor"


def test_source_search_finds_a_source_by_another_spelling_of_its_url(checker_client):
    from tests.factories import SourceFactory

    SourceFactory(url="https://example.org/report", title="The report")
    response = checker_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "annotations",
            "model_name": "citation",
            "field_name": "source",
            "term": "HTTPS://Example.org/report/?utm_source=x",
        },
    )
    assert [row["text"] for row in response.json()["results"]] == ["The report (Example Publisher)"]


def test_an_orphan_can_be_edited_without_a_paragraph(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    response = post_change(editor_client, orphan, change_data(orphan, editor_client, body="Still relevant."))
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert (orphan.body, orphan.anchor_state, orphan.paragraph_id) == ("Still relevant.", "orphaned", None)


def test_choosing_a_paragraph_in_the_form_reattaches_an_orphan(editor_client, paragraph):
    orphan = orphan_of(paragraph)
    data = change_data(orphan, editor_client, paragraph=paragraph.pk, exact="lazy dog", start="", end="")
    assert post_change(editor_client, orphan, data).status_code == 302
    orphan.refresh_from_db()
    assert (orphan.anchor_state, orphan.exact) == ("anchored", "lazy dog")
    assert paragraph.text[orphan.start : orphan.end] == "lazy dog"


def article_form_data(client, article) -> dict:
    """The article change form, as rendered, ready to post back."""
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or name == "original_file":
                continue
            if name == "tags":
                value = ", ".join(tag.name for tag in value) if not isinstance(value, str) else value
            data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_editing_text_in_the_article_page_inline_re_anchors(editor_client, paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    data = article_form_data(editor_client, paragraph.article)
    data["paragraphs-0-text"] = "Yesterday the quick brown fox jumped over the lazy dog. The dog sleeps."
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[paragraph.article_id]), data, follow=True
    )
    assert "Paragraph 1: annotations kept 0, moved 1, orphaned 0." in response.content.decode()
    claim.refresh_from_db()
    assert claim.anchor_state == "moved"
    assert claim.paragraph.text[claim.start : claim.end] == "lazy dog"


def test_a_fact_checker_sees_the_annotate_link_but_not_the_upload(checker_client, paragraph):
    body = checker_client.get(
        reverse("admin:articles_article_change", args=[paragraph.article_id])
    ).content.decode()
    assert f'href="{annotate_url(paragraph.article)}"' in body
    assert reverse("admin:articles_article_replace", args=[paragraph.article_id]) not in body


def test_upload_corrected_version_refuses_a_file_over_the_size_limit(editor_client, paragraph, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.GLOSSA_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("big.txt", b"Title\n\nA paragraph that is too long.\n")
    response = editor_client.post(
        reverse("admin:articles_article_replace", args=[paragraph.article_id]), {"file": upload}
    )
    assert "over the 10 bytes limit" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text.startswith("The quick brown fox")


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


def test_saving_an_unchanged_form_records_no_changed_fields(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, exact="lazy dog", status="draft")
    assert annotation.prefix.endswith(" ")
    post_change(editor_client, annotation, change_data(annotation, editor_client))
    assert LogEntry.objects.get(object_id=str(annotation.pk)).get_change_message() == "No fields changed."
