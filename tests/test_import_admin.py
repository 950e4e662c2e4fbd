from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.importing.save import import_file
from articles.models import Article
from tests.factories import OutletFactory, UserFactory
from tests.import_samples import FIXTURES, SAMPLE, english_article, make_docx

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:articles_article_import"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post_files(client, files, **fields):
    return client.post(reverse(IMPORT_URL), {"files": files, "status": "draft", **fields})


def test_article_list_links_to_the_import_page(editor_client):
    body = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{reverse(IMPORT_URL)}"' in body
    assert "Import articles" in body


def test_import_page_shows_the_form(editor_client):
    response = editor_client.get(reverse(IMPORT_URL))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file" name="files"' in body and "multiple" in body


def test_editor_imports_good_files_even_when_others_fail(editor_client):
    outlet = OutletFactory(name="Example Weekly")
    docx_data = make_docx([("A Word article", "Title"), ("Its only paragraph, long enough to count.", None)])
    response = post_files(
        editor_client,
        [
            upload("sample.txt", SAMPLE.read_bytes()),
            upload("empty.txt", b""),
            upload("page.html", (FIXTURES / "opinion-page.html").read_bytes()),
            upload("menu.html", (FIXTURES / "no-main-text.html").read_bytes()),
            upload("word.docx", docx_data),
            upload("broken.docx", docx_data[:300]),
        ],
        outlet=outlet.pk,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "A Word article",
        "Multi-vector policy in Kazakh style",
        "Why bridges matter",
    ]
    assert set(Article.objects.values_list("outlet", flat=True)) == {outlet.pk}
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert "3 created, 0 duplicates, 3 errors" in body
    assert "Not imported: The file is empty." in body
    assert "The HTML page has no main text" in body
    assert "The Word file is damaged" in body
    for article in Article.objects.all():
        assert reverse("admin:articles_article_change", args=[article.pk]) in body


def test_a_duplicate_upload_links_to_the_existing_article(editor_client):
    existing = import_file("first.txt", english_article().encode()).article
    body = post_files(editor_client, [upload("again.txt", english_article().encode())]).content.decode()
    assert "Duplicate: this file was imported before" in body
    assert reverse("admin:articles_article_change", args=[existing.pk]) in body
    assert Article.objects.count() == 1


def test_an_editor_may_import_as_published(editor_client):
    post_files(editor_client, [upload("a.txt", english_article().encode())], status="published")
    assert Article.objects.get().status == "published"


def test_only_publishers_are_offered_published_status(client):
    user = UserFactory(username="importer")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(user)
    assert 'value="published"' not in client.get(reverse(IMPORT_URL)).content.decode()
    response = post_files(client, [upload("a.txt", english_article().encode())], status="published")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists()


def test_a_fact_checker_cannot_import(checker_client):
    assert checker_client.get(reverse(IMPORT_URL)).status_code == 403
    assert post_files(checker_client, [upload("a.txt", english_article().encode())]).status_code == 403
    assert not Article.objects.exists()


def test_submitting_no_file_says_so(editor_client):
    response = editor_client.post(reverse(IMPORT_URL), {"status": "draft"})
    assert "Choose one or more files to import." in response.content.decode()


def test_an_upload_over_the_limit_is_refused_before_reading(editor_client, settings):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 500
    body = post_files(
        editor_client, [upload("big.txt", english_article(paragraphs=20).encode())]
    ).content.decode()
    assert "over the 500 bytes limit" in body
    assert not Article.objects.exists()


def test_markup_in_an_imported_title_and_paragraph_is_shown_escaped(editor_client, client):
    data = b"<script>alert(1)</script> Title\n\nA <img src=x onerror=alert(2)> claim about bridges.\n"
    body = post_files(editor_client, [upload("x.txt", data)], status="published").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Title" in body
    article = Article.objects.get()
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in change and "<img src=x" not in change
    public = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in public and "<img src=x" not in public
    assert "&lt;img src=x onerror=alert(2)&gt;" in public


def test_article_page_shows_the_import_report(editor_client):
    article = import_file("column.md", (FIXTURES / "column.md").read_bytes()).article
    article.import_report["removed_furniture"] = ["Comments <b>3</b>"]
    article.save()
    body = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Format: <strong>markdown</strong>" in body
    assert "<code>Comments &lt;b&gt;3&lt;/b&gt;</code>" in body
    assert 'href="https://example.org/audit"' in body


def test_the_stored_original_cannot_be_replaced_in_the_admin(editor_client):
    article = import_file("a.txt", english_article().encode()).article
    body = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="original_file"' not in body
    assert reverse("admin:articles_article_original", args=[article.pk]) in body


def test_staff_download_the_original_unchanged_and_never_inline(editor_client, checker_client):
    data = (FIXTURES / "opinion-page.html").read_bytes()
    article = import_file("page.html", data).article
    url = reverse("admin:articles_article_original", args=[article.pk])
    for client in (editor_client, checker_client):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Disposition"] == 'attachment; filename="page.html"'
        assert response["Content-Type"] == "application/octet-stream"


def test_anonymous_users_cannot_download_originals(client):
    article = import_file("a.txt", english_article().encode()).article
    response = client.get(reverse("admin:articles_article_original", args=[article.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_unexpected_failure_on_one_file_does_not_stop_the_others(editor_client, monkeypatch, caplog):
    from articles.models import Paragraph

    real_bulk_create = Paragraph.objects.bulk_create

    def fails_for_one_article(objs, *args, **kwargs):
        objs = list(objs)
        if objs and objs[0].article.title == "Doomed":
            raise OSError("disk full")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Paragraph.objects, "bulk_create", fails_for_one_article)
    body = post_files(
        editor_client,
        [
            upload("doomed.txt", english_article("Doomed").encode()),
            upload("fine.txt", english_article("Fine").encode()),
        ],
    ).content.decode()
    assert list(Article.objects.values_list("title", flat=True)) == ["Fine"]
    assert "An unexpected error stopped this file; nothing was saved for it." in body
    assert "Importing doomed.txt failed" in caplog.text
