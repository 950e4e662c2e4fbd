from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.data import build_world
from tests.factories import UserFactory
from tests.urlwalk import admin_routes, candidate_values, public_routes, reverse_all

pytestmark = pytest.mark.django_db


def test_every_state_changing_request_without_a_csrf_token_is_refused(editor):
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    # One published article and one annotation are enough to reach every kind of URL.
    ids = [world.published.pk, world.published_note.pk]
    candidates = {**candidate_values(), "pk": ids, "id": ids, "slug": [world.published.slug]}
    urls = []
    for route in [*admin_routes(), *public_routes()]:
        urls += reverse_all(route, candidates)
    assert reverse("admin:articles_article_add") in urls
    assert reverse("admin:articles_article_delete", args=[world.published.pk]) in urls
    before = Article.objects.count()
    for url in urls:
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(
                url, {"title": "Forged", "action": "withdraw", "_selected_action": [world.published.pk]}
            )
            assert response.status_code == 403, (method.__name__, url)
    assert Article.objects.count() == before
    world.published.refresh_from_db()
    assert world.published.status == Article.Status.PUBLISHED


def test_the_admin_login_itself_needs_a_csrf_token():
    UserFactory(username="editor")
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "editor", "password": "pw-for-tests"}
    )
    assert response.status_code == 403


def test_a_csrf_failure_page_leaks_nothing():
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {})
    assert b"Traceback" not in response.content
    assert b"SECRET" not in response.content


HOSTILE_NAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "<script>alert(1)</script>.html",
    "evil.html",
    "x.svg",
    "name\u202egnp.html",
    "%2e%2e%2fescape.txt",
    ".htaccess",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_uploads_get_safe_names_under_media_root_and_are_never_served_as_html(name, editor, settings):
    from articles.models import Article

    client = Client()
    client.force_login(editor)
    page = (
        f"<html><head><title>Upload {len(name)}</title></head><body><article><h1>Upload test</h1>"
        "<p>The first paragraph of a page uploaded under a hostile file name, long enough to count.</p>"
        "<p>A second paragraph, so that the page has a main text to import.</p>"
        "<script>alert(1)</script></article></body></html>"
    ).encode()
    response = client.post(
        reverse("admin:articles_article_import"),
        {"files": [SimpleUploadedFile(name, page, "text/html")], "status": "draft"},
    )
    assert response.status_code == 200
    article = Article.objects.get(sha256__isnull=False)
    stored = article.original_file.path
    media_root = str(settings.MEDIA_ROOT.resolve())
    assert stored.startswith(media_root + "/originals/")
    assert not stored.startswith(str(django_settings.STATIC_ROOT))
    assert re.fullmatch(r"[\w.-]+", article.original_file.name.rsplit("/", 1)[-1])
    assert ".." not in article.original_file.name.replace("...", "")

    url = reverse("admin:articles_article_original", args=[article.pk])
    download = client.get(url)
    assert download.status_code == 200, url
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert Client().get(url).status_code == 302  # to the login page
    # The admin is the one way to a stored file: the storage's own address is not served at all.
    assert client.get(article.original_file.url).status_code == 404


def test_media_paths_cannot_escape_media_root(editor):
    client = Client()
    client.force_login(editor)
    for path in ["/media/../config/settings.py", "/media/%2e%2e/config/settings.py", "/media//etc/passwd"]:
        assert client.get(path).status_code == 404, path
