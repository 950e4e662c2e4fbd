"""Files in a bucket: with GLOSSA_S3_BUCKET set, originals and corrected versions are stored in S3
(here a local moto server), download unchanged through the admin, and a failure on either side
leaves neither rows nor objects behind."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import TestCase
from django.urls import reverse

from articles.importing.save import import_file
from articles.models import Article, Author, ImportItem, ImportJob, Outlet, Paragraph
from config.storage import BucketStorage
from tests.conftest import S3_ENV
from tests.import_samples import FIXTURES, english_article, make_docx
from tests.test_deploy_settings import SECRET, run_manage

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:articles_article_import"


def import_in_admin(client, name: str, data: bytes, **fields):
    # The upload's working copy is deleted once the import is committed: run what waits for that.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse(IMPORT_URL),
            {
                "files": [SimpleUploadedFile(name, data, "application/octet-stream")],
                "status": "draft",
                **fields,
            },
        )


def download(client, article: Article, number: int = 0):
    return client.get(reverse("admin:articles_article_file", args=[article.pk, number]))


STORAGE_REPORT = """
import json
from django.conf import settings
from django.core.files.storage import storages
options = dict(settings.STORAGES["default"].get("OPTIONS", {}))
config = options.pop("client_config", None)
print(json.dumps({
    "class": type(storages["default"]).__name__,
    "options": options,
    "timeouts": [getattr(config, "connect_timeout", None), getattr(config, "read_timeout", None)],
}))
"""


def storage_in_use(**env: str) -> dict:
    """The default storage a fresh process builds from ``env``, as an operator would set it."""
    result = run_manage("shell", "-c", STORAGE_REPORT, DEBUG="0", SECRET_KEY=SECRET, ALLOWED_HOSTS="x", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_stay_on_local_disk_unless_a_bucket_is_configured():
    assert storage_in_use()["class"] == "FileSystemStorage"


def test_a_bucket_in_the_environment_puts_files_in_object_storage():
    used = storage_in_use(
        GLOSSA_S3_BUCKET="glossa-files",
        GLOSSA_S3_ENDPOINT_URL="https://objects.example.org",
        GLOSSA_S3_PREFIX="archive",
        GLOSSA_S3_ADDRESSING_STYLE="path",
        GLOSSA_S3_TIMEOUT="3",
        **S3_ENV,
    )
    assert used["class"] == "BucketStorage"
    assert used["options"] == {
        "bucket_name": "glossa-files",
        "endpoint_url": "https://objects.example.org",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "access_key": "test",
        "secret_key": "test",
        "location": "archive",
        "file_overwrite": False,
    }
    assert used["timeouts"] == [3, 3]


def test_without_keys_in_the_environment_boto3_finds_its_own_credentials():
    used = storage_in_use(GLOSSA_S3_BUCKET="glossa-files")
    assert "access_key" not in used["options"] and "secret_key" not in used["options"]
    assert "endpoint_url" not in used["options"]


def test_an_original_imported_in_the_admin_lands_in_the_bucket_and_downloads_unchanged(
    editor_client, checker_client, bucket
):
    data = make_docx([("A Word article", "Title"), ("Its only paragraph, long enough to count.", None)])
    response = import_in_admin(editor_client, "word.docx", data)
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.original_file.name.startswith("originals/")
    assert bucket.keys() == [article.original_file.name]
    assert bucket.read(article.original_file.name) == data

    for client in (editor_client, checker_client):
        response = download(client, article)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Disposition"] == 'attachment; filename="word.docx"'
        assert response["Content-Type"] == "application/octet-stream"
        assert "sandbox" in response["Content-Security-Policy"]


def test_two_uploads_with_the_same_name_keep_two_objects(editor_client, bucket):
    first = (FIXTURES / "opinion-page.html").read_bytes()
    second = english_article("Another page").encode()
    import_in_admin(editor_client, "index.html", first)
    import_in_admin(editor_client, "index.html", second)
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 2
    assert articles[0].original_file.name != articles[1].original_file.name
    assert sorted(bucket.keys()) == sorted(a.original_file.name for a in articles)
    for article, data in zip(articles, (first, second), strict=True):
        assert b"".join(download(editor_client, article).streaming_content) == data


def test_a_name_taken_between_the_check_and_the_write_is_not_written_over(bucket, monkeypatch):
    # Two app servers importing an "index.html" at the same moment both find the name free.
    monkeypatch.setattr(BucketStorage, "exists", lambda storage, name: False)
    first = default_storage.save("originals/2026/12/index.html", ContentFile(b"first server's upload"))
    second = default_storage.save("originals/2026/12/index.html", ContentFile(b"second server's upload"))
    assert first == "originals/2026/12/index.html"
    assert second != first and second.startswith("originals/2026/12/index_")
    assert bucket.read(first) == b"first server's upload"
    assert bucket.read(second) == b"second server's upload"


def test_a_corrected_version_is_kept_in_the_bucket_beside_the_original(editor_client, bucket):
    article = import_file("a.txt", english_article().encode()).article
    corrected = english_article(seed="corrected").encode()
    response = editor_client.post(
        reverse("admin:articles_article_replace", args=[article.pk]),
        {"file": SimpleUploadedFile("corrected.txt", corrected)},
    )
    assert response.status_code == 200
    article.refresh_from_db()
    stored = article.import_report["replacements"][-1]["stored_file"]
    assert stored.startswith("corrections/")
    assert sorted(bucket.keys()) == sorted([article.original_file.name, stored])
    assert b"".join(download(editor_client, article, 1).streaming_content) == corrected


def test_an_object_missing_from_the_bucket_is_a_plain_404(editor_client, bucket):
    article = import_file("a.txt", english_article().encode()).article
    bucket.client.delete_object(Bucket=bucket.name, Key=article.original_file.name)
    response = download(editor_client, article)
    assert response.status_code == 404


def test_when_the_bucket_refuses_the_write_nothing_is_saved(editor_client, bucket, caplog):
    outlet = Outlet.objects.create(name="Example Weekly")
    bucket.client.delete_bucket(Bucket=bucket.name)  # every write now fails: NoSuchBucket
    with caplog.at_level(logging.ERROR, logger="articles.admin_import"):
        response = import_in_admin(editor_client, "page.html", (FIXTURES / "opinion-page.html").read_bytes())
    body = response.content.decode()
    assert response.status_code == 200
    assert "The files could not be stored, so nothing was imported." in body
    assert "NoSuchBucket" in caplog.text
    assert not ImportJob.objects.exists() and not ImportItem.objects.exists()
    assert not Article.objects.exists()
    assert not Paragraph.objects.exists()
    assert list(Outlet.objects.all()) == [outlet]
    assert not Author.objects.exists()


def test_a_database_failure_after_the_write_removes_the_object_again(bucket, monkeypatch):
    def fail_mid_save(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", fail_mid_save)
    with pytest.raises(OperationalError):
        import_file("half-way.txt", english_article().encode(), outlet_name="Half-way Herald")
    assert not Article.objects.exists()
    assert not Outlet.objects.exists()
    assert bucket.keys() == []


def test_a_storage_that_cannot_delete_after_a_failure_still_raises_the_failure(monkeypatch, caplog):
    # Local disk here: the point is the order of errors, whatever the storage.
    def fail_mid_save(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    def cannot_delete(storage, name):
        raise OSError("connection reset by peer")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", fail_mid_save)
    monkeypatch.setattr(FileSystemStorage, "delete", cannot_delete)
    with pytest.raises(OperationalError), caplog.at_level(logging.ERROR):
        import_file("half-way.txt", english_article().encode())
    assert not Article.objects.exists()
    assert "Could not delete originals/" in caplog.text
