"""The database going away while the site runs, and an import failing half-way."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from annotations.models import Annotation
from articles.importing.save import import_file
from articles.models import Article, Author, Outlet, Paragraph
from tests.factories import ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down():
    """Make the default connection unreachable the way a stopped server would, then bring it back.

    PostgreSQL: the connection is closed and pointed at a port where nothing listens, so psycopg
    really fails to connect. SQLite's in-memory test database cannot be reopened, so there every
    attempt to reach it raises the error the backend would.
    """
    if connection.vendor == "postgresql":
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(
            HOST="127.0.0.1", PORT="1", OPTIONS={**saved["OPTIONS"], "connect_timeout": 2}
        )
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    else:
        original = connection.ensure_connection

        def refuse():
            raise OperationalError("unable to open database file")

        connection.ensure_connection = refuse
        saved_connection, connection.connection = connection.connection, None
        try:
            yield
        finally:
            connection.connection = saved_connection
            connection.ensure_connection = original


@pytest.fixture
def published():
    article = ArticleFactory(title="Still here")
    ParagraphFactory(article=article, position=1)
    return article


def test_healthz_reports_a_reachable_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_pages_answer_503_and_healthz_fails_while_the_database_is_down_then_recover(published, superuser):
    reader = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(superuser)
    url = published.get_absolute_url()
    with database_down():
        health = reader.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": "unreachable"}
        for client, path in ((reader, url), (reader, "/"), (staff, url), (staff, "/admin/")):
            response = client.get(path)
            assert response.status_code == 503, path
            assert b"Temporarily unavailable" in response.content
            assert b"Traceback" not in response.content
            assert b"OperationalError" not in response.content
            assert response["Retry-After"] == "30"
    assert reader.get("/healthz").status_code == 200
    assert reader.get(url).status_code == 200
    assert staff.get("/admin/").status_code == 200


def test_error_pages_leak_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    for leak in ("Traceback", "urlpatterns", "DEBUG", "config.urls", "SECRET"):
        assert leak not in text


def test_a_server_error_shows_a_plain_page(monkeypatch):
    from annotations import views

    def broken(request):
        raise RuntimeError("secret detail /etc/glossa")

    monkeypatch.setattr(views, "home", broken)
    from django.urls import clear_url_caches

    clear_url_caches()
    import importlib

    import annotations.urls
    import config.urls

    importlib.reload(annotations.urls)
    importlib.reload(config.urls)
    try:
        response = Client(raise_request_exception=False).get("/")
    finally:
        monkeypatch.undo()
        importlib.reload(annotations.urls)
        importlib.reload(config.urls)
        clear_url_caches()
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"secret detail" not in response.content


SAMPLE = """A title that will not survive

Date of publication: 4 February 2025

First paragraph of the article.

Second paragraph of the article.

Jane Writer,
Columnist
"""


def test_an_import_that_fails_half_way_leaves_nothing_behind(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def fail_mid_save(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The outlet, author, file and article are written by now; the paragraphs are next.
    monkeypatch.setattr(Paragraph.objects, "bulk_create", fail_mid_save)
    with pytest.raises(OperationalError):
        import_file("../../etc/half-way.txt", SAMPLE.encode(), outlet_name="Half-way Herald")
    assert not Article.objects.exists()
    assert not Author.objects.filter(name="Jane Writer").exists()
    assert not Outlet.objects.filter(name="Half-way Herald").exists()
    assert not [path for path in (tmp_path / "media").rglob("*") if path.is_file()]

    monkeypatch.undo()
    result = import_file("../../etc/half-way.txt", SAMPLE.encode(), outlet_name="Half-way Herald")
    assert result.status == result.CREATED
    assert result.article.paragraphs.count() == 2
    assert result.article.original_file.name.startswith("originals/")
    assert ".." not in result.article.original_file.name


def test_cached_anonymous_pages_are_still_served_while_the_database_is_down(published, settings):
    settings.PAGE_CACHE_SECONDS = 300
    reader = Client(raise_request_exception=False)
    url = published.get_absolute_url()
    assert reader.get(url)["X-Page-Cache"] == "miss"
    with database_down():
        cached = reader.get(url)
        assert cached.status_code == 200
        assert cached["X-Page-Cache"] == "hit"
        assert reader.get("/authors/never-cached/").status_code == 503
        assert reader.get("/healthz").status_code == 503


def test_a_crash_while_saving_a_paragraph_edit_leaves_the_old_text_and_anchors(superuser):
    from django.db.models.signals import post_save

    from tests.factories import AnnotationFactory

    article = ArticleFactory()
    paragraph = ParagraphFactory(
        article=article, position=1, text="The quick brown fox jumps over the lazy dog."
    )
    annotation = AnnotationFactory(paragraph=paragraph, exact="brown fox", kind="note", rating=None)
    anchors = (annotation.start, annotation.end, annotation.prefix, annotation.suffix)

    def crash_while_reanchoring(sender, instance, **kwargs):
        # Whatever runs after the new text is written (re-anchoring) fails half-way.
        Annotation.objects.filter(paragraph=instance).update(start=0, end=1, anchor_state="moved")
        raise OperationalError("connection lost while re-anchoring")

    post_save.connect(crash_while_reanchoring, sender=Paragraph, dispatch_uid="test-crash")
    try:
        client = Client(raise_request_exception=False)
        client.force_login(superuser)
        response = client.post(
            f"/admin/articles/paragraph/{paragraph.pk}/change/",
            {"article": article.pk, "position": 1, "role": "body", "text": "A fox, quick and brown, jumps."},
        )
    finally:
        post_save.disconnect(sender=Paragraph, dispatch_uid="test-crash")
    assert response.status_code == 503
    paragraph.refresh_from_db()
    annotation.refresh_from_db()
    assert paragraph.text == "The quick brown fox jumps over the lazy dog."
    assert (annotation.start, annotation.end, annotation.prefix, annotation.suffix) == anchors
    assert annotation.anchor_state == "anchored"
