"""Uploading a corrected version of an article's text in the admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def replace_url(article_id: int) -> str:
    return reverse("admin:articles_article_replace", args=[article_id])


def upload_corrected(client, paragraph, name: str, data: bytes):
    return client.post(replace_url(paragraph.article_id), {"file": SimpleUploadedFile(name, data)})


def test_upload_corrected_version_shows_the_counts(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)

    response = upload_corrected(
        editor_client,
        paragraph,
        "corrected.txt",
        b"Title line\n\nThe slow cat naps beside the lazy dog. The dog sleeps.\n",
    )
    body = response.content.decode()
    assert '<td class="count-kept">0</td>' in body
    assert '<td class="count-moved">1</td>' in body
    assert '<td class="count-orphaned">1</td>' in body
    paragraph.refresh_from_db()
    assert paragraph.text == "The slow cat naps beside the lazy dog. The dog sleeps."


def test_upload_corrected_version_says_how_many_paragraphs_were_added_and_removed(editor_client, paragraph):
    data = f"Title line\n\n{paragraph.text}\n\nAn extra paragraph pasted by mistake.\n".encode("cp1252")
    response = upload_corrected(editor_client, paragraph, "corrected.txt", data)
    assert "1 paragraph before, 2 after: 1 added, 0 removed" in response.content.decode()
    paragraph.article.refresh_from_db()
    entry = paragraph.article.import_report["replacements"][-1]
    assert (entry["file"], entry["size"]) == ("corrected.txt", len(data))
    assert entry["stored_file"].startswith("corrections/")


def test_upload_corrected_version_help_names_every_format_the_importer_reads(editor_client, paragraph):
    body = editor_client.get(replace_url(paragraph.article_id)).content.decode()
    assert "UTF-8) file" not in body
    assert "HTML, Markdown or Word (.docx)" in body


def test_upload_corrected_version_names_a_bad_file(editor_client, paragraph):
    response = upload_corrected(editor_client, paragraph, "bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "The file contains binary data, not text" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text.startswith("The quick brown fox")


def test_upload_corrected_version_refuses_a_file_over_the_size_limit(editor_client, paragraph, settings):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 10
    response = upload_corrected(
        editor_client, paragraph, "big.txt", b"Title\n\nA paragraph that is too long.\n"
    )
    assert "over the 10 bytes limit" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text.startswith("The quick brown fox")


def test_a_fact_checker_cannot_replace_the_text(checker_client, paragraph):
    assert checker_client.get(replace_url(paragraph.article_id)).status_code == 403
